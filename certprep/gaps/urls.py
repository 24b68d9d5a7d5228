from django.urls import path

from certprep.gaps.views import assessments, dashboard, documents, screen, spreadsheet, topics, weights

app_name = "gaps"

P = "e/<int:engagement_id>/gaps/"
A = P + "assessments/<int:assessment_id>/"

urlpatterns = [
    path(P, assessments.overview, name="overview"),
    path(P + "settings/", assessments.gap_settings, name="settings"),
    path(P + "assessments/new/", assessments.assessment_create, name="assessment_create"),
    path(A, screen.assessment, name="assessment"),
    path(A + "edit/", assessments.assessment_edit, name="assessment_edit"),
    path(A + "status/", assessments.assessment_status, name="assessment_status"),
    path(A + "delete/", assessments.assessment_delete, name="assessment_delete"),
    path(A + "sync/", assessments.assessment_sync, name="assessment_sync"),
    path(A + "scale/", weights.assessment_scale, name="assessment_scale"),
    path(A + "topics/generate/", topics.topics_generate, name="topics_generate"),
    path(P + "ratings/<int:rating_id>/", screen.rating_detail, name="rating"),
    path(P + "ratings/<int:rating_id>/save/", screen.rating_save, name="rating_save"),
    path(P + "ratings/<int:rating_id>/evidence/<slug:kind>/", screen.evidence_add, name="evidence_add"),
    path(P + "ratings/<int:rating_id>/suggestions/", screen.suggestion_decide, name="suggestion"),
    path(P + "evidence/<int:evidence_id>/delete/", screen.evidence_delete, name="evidence_delete"),
    path(P + "evidence/<int:evidence_id>/download/", screen.evidence_download, name="evidence_download"),
    path(P + "topics/", topics.topic_list, name="topics"),
    path(P + "topics/new/", topics.topic_edit, name="topic_create"),
    path(P + "topics/merge/", topics.topic_merge, name="topic_merge"),
    path(P + "topics/requirements/", topics.topic_requirements, name="topic_requirements"),
    path(P + "topics/<int:topic_id>/", topics.topic_edit, name="topic_edit"),
    path(P + "topics/<int:topic_id>/split/", topics.topic_split, name="topic_split"),
    path(P + "topics/<int:topic_id>/delete/", topics.topic_delete, name="topic_delete"),
    path(P + "documents/", documents.checklist, name="documents"),
    path(P + "documents/load/", documents.checklist_load, name="documents_load"),
    path(P + "documents/new/", documents.document_create, name="document_create"),
    path(P + "documents/<int:item_id>/", documents.document_save, name="document_save"),
    path(P + "documents/<int:item_id>/delete/", documents.document_delete, name="document_delete"),
    path(P + "readiness/", dashboard.readiness, name="dashboard"),
    path(P + "weights/", weights.weights, name="weights"),
    path(P + "weights/save/", weights.weight_save, name="weight_save"),
]
urlpatterns += spreadsheet.urlpatterns
