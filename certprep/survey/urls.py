"""Survey pages. Each views module lists its own routes; this file only assembles them."""

from certprep.survey.views import campaigns, interviews, overview, people, questionnaires, respondent, state

app_name = "survey"

# The respondents' routes come first: the autosave is the most frequent request, and the resolver tries the
# patterns in order.
urlpatterns = (
    respondent.urlpatterns
    + overview.urlpatterns
    + questionnaires.urlpatterns
    + people.urlpatterns
    + campaigns.urlpatterns
    + interviews.urlpatterns
    + state.urlpatterns
)
