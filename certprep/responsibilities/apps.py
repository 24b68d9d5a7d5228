from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ResponsibilitiesConfig(AppConfig):
    name = "certprep.responsibilities"
    verbose_name = _("Roles and responsibilities")
    default_auto_field = "django.db.models.BigAutoField"
