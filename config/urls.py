from django.contrib import admin
from django.urls import include, path
from django.utils.translation import gettext_lazy as _

from certprep.api import api
from certprep.core import health
from certprep.core import views as core_views

admin.site.site_header = _("certprep administration")
admin.site.site_title = _("certprep")

urlpatterns = [
    path("", core_views.home, name="home"),
    path("healthz", health.healthz, name="healthz"),
    path("readyz", health.readyz, name="readyz"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
    path("accounts/", include("certprep.accounts.urls")),
    path("catalogue/", include("certprep.catalogue.urls")),
    path("api/v1/", api.urls),
    path("", include("certprep.survey.urls")),  # first: the respondents' autosave is the most frequent request
    path("", include("certprep.engagements.urls")),
    path("", include("certprep.responsibilities.urls")),
    path("", include("certprep.gaps.urls")),
    path("", include("certprep.planning.urls")),
    path("", include("certprep.vendors.urls")),
    path("", include("certprep.budget.urls")),
    path("", include("certprep.organization.urls")),
    path("", include("certprep.feasibility.urls")),
    path("", include("certprep.reports.urls")),
]
