"""Survey pages. Each views module lists its own routes; this file only assembles them, with the people pages
(certprep.people.urls), which sit in the survey's menu and namespace."""

from certprep.people import urls as people_urls
from certprep.survey.views import campaigns, interviews, overview, questionnaires, respondent, state

app_name = "survey"

# The respondents' routes come first: the autosave is the most frequent request, and the resolver tries the
# patterns in order.
urlpatterns = (
    respondent.urlpatterns
    + overview.urlpatterns
    + questionnaires.urlpatterns
    + people_urls.urlpatterns
    + campaigns.urlpatterns
    + interviews.urlpatterns
    + state.urlpatterns
)
