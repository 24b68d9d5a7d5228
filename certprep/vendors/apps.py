from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class VendorsConfig(AppConfig):
    name = "certprep.vendors"
    verbose_name = _("Vendors")
    default_auto_field = "django.db.models.BigAutoField"
