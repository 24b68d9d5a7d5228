"""REST API v1 for the gap analysis: settings, assessments and their ratings with evidence and survey
suggestions, improvement topics, the documented-information checklist, the assessment workbook and the
readiness figures; one module each.

Mounted under /engagements: every path starts with /{engagement_id}/gaps. Access is checked exactly as the
pages check it (certprep.gaps.access): members read, editors write; anything outside the caller's
engagements is 404.

No `from __future__ import annotations` in these modules: the paginated ratings list's query parameters must
be real annotations (ninja cannot resolve string annotations through the pagination wrapper)."""

from ninja import Router

from certprep.core.api_refs import fields_as_sent
from certprep.gaps.api import assessments, documents, ratings, readiness, topics

router = Router(tags=["gap analysis"])
# The services name the fields of the pages' forms; the bodies name them as below.
router.add_decorator(
    fields_as_sent(
        {
            "owner": "owner_id",
            "ratings": "rating_ids",
            "topics": "topic_ids",
            "based_on": "based_on_id",
            "answer": "answer_id",
            "framework": "framework_urn",
        }
    )
)

for module in (assessments, ratings, topics, documents):
    # The operation ids stay those of the one module the API started as, so clients generated from the
    # description keep their method names (readiness had a module of its own and keeps its ids).
    for path_view in module.router.path_operations.values():
        for operation in path_view.operations:
            operation.operation_id = f"certprep_gaps_api_{operation.view_func.__name__}"
    router.add_router("", module.router)
router.add_router("", readiness.router)
