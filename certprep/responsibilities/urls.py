from django.urls import path

from certprep.responsibilities import views

app_name = "responsibilities"

P = "e/<int:engagement_id>/responsibilities/"

urlpatterns = [
    path(P, views.matrix, name="matrix"),
    path(P + "cells/<int:activity_id>/<int:role_id>/", views.cell, name="cell"),
    path(P + "template/", views.template_copy, name="template"),
    path(P + "roles/", views.roles, name="roles"),
    path(P + "roles/<int:role_id>/", views.role_edit, name="role_edit"),
    path(P + "roles/<int:role_id>/move/", views.role_move, name="role_move"),
    path(P + "roles/<int:role_id>/delete/", views.role_delete, name="role_delete"),
    path(P + "roles/<int:role_id>/holders/", views.role_holder_add, name="role_holder_add"),
    path(
        P + "roles/<int:role_id>/holders/<int:person_id>/remove/", views.role_holder_remove, name="role_holder_remove"
    ),
    path(P + "activities/", views.activities, name="activities"),
    path(P + "activities/<int:activity_id>/", views.activity_edit, name="activity_edit"),
    path(P + "activities/<int:activity_id>/move/", views.activity_move, name="activity_move"),
    path(P + "activities/<int:activity_id>/delete/", views.activity_delete, name="activity_delete"),
    path(P + "settings/", views.matrix_settings, name="settings"),
    path(P + "export.xlsx", views.export_xlsx, name="export"),
    path(P + "import/", views.import_xlsx, name="import"),
]
