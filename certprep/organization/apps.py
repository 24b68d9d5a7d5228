from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OrganizationConfig(AppConfig):
    name = "certprep.organization"
    verbose_name = _("Project organization")
    default_auto_field = "django.db.models.BigAutoField"
