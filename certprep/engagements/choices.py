from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    """What a member may do in an engagement. Owners also manage members."""

    OWNER = "owner", _("Owner")
    EDITOR = "editor", _("Editor")
    VIEWER = "viewer", _("Viewer")


ROLE_RANK = {Role.VIEWER: 1, Role.EDITOR: 2, Role.OWNER: 3}


class Industry(models.TextChoices):
    IT_SERVICES = "it_services", _("IT services and outsourcing")
    TELECOM = "telecom", _("Telecommunications")
    FINANCE = "finance", _("Banking, insurance and finance")
    GOVERNMENT = "government", _("Government and public sector")
    HEALTHCARE = "healthcare", _("Healthcare")
    MANUFACTURING = "manufacturing", _("Manufacturing")
    ENERGY = "energy", _("Energy and utilities")
    EDUCATION = "education", _("Education and research")
    RETAIL = "retail", _("Retail and logistics")
    INTERNAL_IT = "internal_it", _("Internal IT department of a larger organization")
    OTHER = "other", _("Other")


class ItilAdoption(models.TextChoices):
    NONE = "none", _("None: no ITIL practices in use")
    AWARENESS = "awareness", _("Awareness: some staff trained, practices informal")
    PARTIAL = "partial", _("Partial: a few processes (e.g. incident, change) defined and followed")
    BROAD = "broad", _("Broad: most service management processes defined and followed")
    MATURE = "mature", _("Mature: processes measured and continually improved")


class Certification(models.TextChoices):
    ISO_9001 = "iso9001", _("ISO 9001 (quality management)")
    ISO_27001 = "iso27001", _("ISO/IEC 27001 (information security)")
    ISO_22301 = "iso22301", _("ISO 22301 (business continuity)")
    ISO_14001 = "iso14001", _("ISO 14001 (environmental management)")
    ISO_20000_OLD = "iso20000_2011", _("ISO/IEC 20000-1:2011 (expired edition)")
    CMMI = "cmmi", _("CMMI")
    OTHER = "other", _("Other")
