"""The people pages' routes. They are mounted by the survey's URL configuration, in its namespace and menu
(`survey:people`, ...): people are entered while preparing the survey, and the pages kept their names when
people became an app of their own. Other apps link to them by those names."""

from django.urls import path

from certprep.people import views

_BASE = "e/<int:engagement_id>/survey/people/"

urlpatterns = [
    path(_BASE, views.people_list, name="people"),
    path(_BASE + "new/", views.person_new, name="person_new"),
    path(_BASE + "roles/", views.role_holders, name="role_holders"),
    path(_BASE + "import/", views.people_import, name="people_import"),
    path(_BASE + "export.xlsx", views.people_export, name="people_export"),
    path(_BASE + "template.xlsx", views.people_template, name="people_template"),
    path(_BASE + "<int:person_id>/", views.person_edit, name="person_edit"),
    path(_BASE + "<int:person_id>/delete/", views.person_delete, name="person_delete"),
]
