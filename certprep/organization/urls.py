from django.urls import path

from certprep.organization.views import decisions, team

app_name = "organization"

P = "e/<int:engagement_id>/organization/"

urlpatterns = [
    path(P, team.overview, name="overview"),
    path(P + "members/add/", team.member_add_page, name="member_add"),
    path(P + "members/<int:project_member_id>/", team.member_edit, name="member"),
    path(P + "members/<int:project_member_id>/remove/", team.member_remove_page, name="member_remove"),
    path(P + "meetings/add/", team.meeting_add, name="meeting_add"),
    path(P + "meetings/<int:series_id>/", team.meeting_edit, name="meeting"),
    path(P + "meetings/<int:series_id>/remove/", team.meeting_remove, name="meeting_remove"),
    path(P + "decisions/", decisions.decisions, name="decisions"),
    path(P + "decisions/<int:decision_id>/", decisions.decision_edit, name="decision"),
    path(P + "decisions/<int:decision_id>/remove/", decisions.decision_remove, name="decision_remove"),
    path(P + "approvals/", decisions.approvals, name="approvals"),
    path(P + "approvals/<slug:document>/approve/", decisions.approve, name="approve"),
    path(P + "approvals/revoke/<int:approval_id>/", decisions.revoke, name="revoke"),
]
