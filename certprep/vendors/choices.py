"""The vendor register's choices."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class VendorKind(models.TextChoices):
    """Who the engagement may hire: a consultancy helps prepare, a certification body audits and certifies."""

    CONSULTANCY = "consultancy", _("consultancy")
    CERTIFICATION_BODY = "certification_body", _("certification body")


class Answer(models.TextChoices):
    """A yes / no / unknown answer: the accreditation's scope, and each question of the quote check."""

    YES = "yes", pgettext_lazy("answer", "yes")
    NO = "no", pgettext_lazy("answer", "no")
    UNKNOWN = "unknown", pgettext_lazy("answer", "unknown")
