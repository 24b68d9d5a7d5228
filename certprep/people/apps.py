from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PeopleConfig(AppConfig):
    name = "certprep.people"
    verbose_name = _("People and roles")
    default_auto_field = "django.db.models.BigAutoField"
