from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SurveyConfig(AppConfig):
    name = "certprep.survey"
    verbose_name = _("Preliminary survey")
    default_auto_field = "django.db.models.BigAutoField"
