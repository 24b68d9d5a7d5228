"""The feasibility scheme's pages: the ratings, the recommendation and the timeline (urls_scheme) and the benefits
and risks (urls_benefits), under /e/<engagement>/feasibility/."""

from certprep.feasibility import urls_benefits, urls_scheme

app_name = "feasibility"

urlpatterns = [*urls_scheme.urlpatterns, *urls_benefits.urlpatterns]
