"""Survey pages. Each views module lists its own routes; this file only assembles them."""

from certprep.survey.views import campaigns, interviews, overview, people, questionnaires, respondent, state

app_name = "survey"

urlpatterns = (
    overview.urlpatterns
    + questionnaires.urlpatterns
    + people.urlpatterns
    + campaigns.urlpatterns
    + interviews.urlpatterns
    + state.urlpatterns
    + respondent.urlpatterns
)
