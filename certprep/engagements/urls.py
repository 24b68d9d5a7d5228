from django.urls import path

from certprep.engagements import views

app_name = "engagements"

urlpatterns = [
    path("engagements/", views.engagement_list, name="list"),
    path("engagements/new/", views.engagement_create, name="create"),
    path("engagements/import/", views.engagement_import, name="import"),
    path("engagements/imports/<int:import_id>/", views.import_status, name="import_status"),
    path("e/<int:engagement_id>/", views.dashboard, name="dashboard"),
    path("e/<int:engagement_id>/settings/", views.engagement_settings, name="settings"),
    path("e/<int:engagement_id>/delete/", views.engagement_delete, name="delete"),
    path("e/<int:engagement_id>/profile/", views.profile, name="profile"),
    path("e/<int:engagement_id>/members/", views.members, name="members"),
    path("e/<int:engagement_id>/members/<int:membership_id>/role/", views.member_role, name="member_role"),
    path("e/<int:engagement_id>/members/<int:membership_id>/remove/", views.member_remove, name="member_remove"),
    path(
        "e/<int:engagement_id>/invitations/<int:invitation_id>/revoke/",
        views.invitation_revoke,
        name="invitation_revoke",
    ),
    path(
        "e/<int:engagement_id>/suggestions/<int:suggestion_id>/invite/",
        views.suggestion_invite,
        name="suggestion_invite",
    ),
    path(
        "e/<int:engagement_id>/suggestions/<int:suggestion_id>/dismiss/",
        views.suggestion_dismiss,
        name="suggestion_dismiss",
    ),
    path("e/<int:engagement_id>/audit/", views.audit, name="audit"),
    path("e/<int:engagement_id>/export.json", views.engagement_export, name="export"),
    path("invitations/<str:token>/", views.invitation, name="invitation"),
]
