from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class GapsConfig(AppConfig):
    name = "certprep.gaps"
    verbose_name = _("Gap analysis")
    default_auto_field = "django.db.models.BigAutoField"
