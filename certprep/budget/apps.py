from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class BudgetConfig(AppConfig):
    name = "certprep.budget"
    verbose_name = _("Budget")
    default_auto_field = "django.db.models.BigAutoField"
