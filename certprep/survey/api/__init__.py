"""The survey's REST API: questionnaires, campaigns with their respondents and links, answers and responses,
interviews and the current state per process; one module each.

Mounted under /engagements: every path starts with the engagement, and access is checked exactly as the pages
check it (survey.access): members read, editors adapt questionnaires, flag answers and record interviews,
owners run campaigns and manage links; anything outside the caller's engagements is 404. Respondents answer
through their personal link only, never through the API."""

from ninja import Router

from certprep.survey.api import answers, campaigns, interviews, questionnaires

router = Router()

# The operation ids stay those of the modules the API started as (survey/api.py and survey/api_interviews.py),
# so clients generated from the description keep their method names.
for module, prefix in (
    (questionnaires, "certprep_survey_api"),
    (campaigns, "certprep_survey_api"),
    (answers, "certprep_survey_api"),
    (interviews, "certprep_survey_api_interviews"),
):
    for path_view in module.router.path_operations.values():
        for operation in path_view.operations:
            operation.operation_id = f"{prefix}_{operation.view_func.__name__}"
    router.add_router("", module.router)

__all__ = ["router"]
