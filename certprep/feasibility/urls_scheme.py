"""The scheme's pages: the overview, one page per rating and the decision on the proposal."""

from django.urls import URLPattern, path

from certprep.feasibility.views import scheme

F = "e/<int:engagement_id>/feasibility/"

urlpatterns: list[URLPattern] = [
    path(F, scheme.overview, name="overview"),
    path(F + "ratings/<slug:kind>/", scheme.rating_edit, name="rating"),
    path(F + "decision/", scheme.decision, name="decision"),
]
