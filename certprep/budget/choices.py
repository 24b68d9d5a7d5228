"""The budget's choices: the seeds' five cost categories plus internal staff effort (not cash out), the years
of the three-year certificate cycle, where a line came from, and the tool options."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class Category(models.TextChoices):
    CONSULTING = "consulting", _("consulting service fee")
    CERTIFICATION = "certification", _("certification service fee")
    TRAINING = "training", _("training")
    MATERIAL = "material", _("reference material and publicity")
    TOOLS = "tools", _("tools and software")
    INTERNAL = "internal", _("internal staff effort")


# Internal staff effort is a cost but no money leaves the organization: it is shown apart from cash out.
CASH_CATEGORIES = tuple(c for c in Category if c != Category.INTERNAL)


class CycleYear(models.IntegerChoices):
    """The year of the certificate cycle a cost falls in."""

    INITIAL = 0, _("initial certification year")
    SURVEILLANCE_1 = 1, _("surveillance year 1")
    SURVEILLANCE_2 = 2, _("surveillance year 2")
    RECERTIFICATION = 3, _("recertification year")


class LineSource(models.TextChoices):
    TYPED = "typed", _("typed")
    DERIVED = "derived", _("derived")
    QUOTE = "quote", _("from a quote")


class ToolKind(models.TextChoices):
    ADAPT = "adapt", _("adapt the existing ITSM platform")
    BUY = "buy", _("buy a new tool")
