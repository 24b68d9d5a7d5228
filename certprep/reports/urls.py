from django.urls import path

from certprep.reports.views import reports

app_name = "reports"

P = "e/<int:engagement_id>/reports/"

urlpatterns = [
    path(P, reports.overview, name="overview"),
    path(P + "builds/<int:build_id>/", reports.build_card, name="build"),
    path(P + "builds/<int:build_id>/delete/", reports.build_remove, name="build_delete"),
    path(P + "files/<int:report_file_id>/", reports.file_download, name="file"),
]
