"""The implementation plan's choices. The link, lag and constraint values are MS Project's own notation, the
same strings the scheduling engine uses (certprep.planning.scheduling.network), so a stored value is what
the engine reads and what an MS Project user types."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class TaskOrigin(models.TextChoices):
    """Where a task came from: a rule of the plan's generation, or a person adding it."""

    GENERATED = "generated", _("generated")
    MANUAL = "manual", pgettext_lazy("task origin", "added by hand")


class LinkType(models.TextChoices):
    FS = "FS", _("finish-to-start")
    SS = "SS", _("start-to-start")
    FF = "FF", _("finish-to-finish")
    SF = "SF", _("start-to-finish")


class LagUnit(models.TextChoices):
    DAYS = "d", _("working days")
    PERCENT = "%", _("per cent of the predecessor's duration")


class ConstraintType(models.TextChoices):
    ASAP = "ASAP", _("as soon as possible")
    ALAP = "ALAP", _("as late as possible")
    SNET = "SNET", _("start no earlier than")
    SNLT = "SNLT", _("start no later than")
    FNET = "FNET", _("finish no earlier than")
    FNLT = "FNLT", _("finish no later than")
    MSO = "MSO", _("must start on")
    MFO = "MFO", _("must finish on")


DATED_CONSTRAINTS = frozenset(
    {
        ConstraintType.SNET,
        ConstraintType.SNLT,
        ConstraintType.FNET,
        ConstraintType.FNLT,
        ConstraintType.MSO,
        ConstraintType.MFO,
    }
)


class Weekday(models.IntegerChoices):
    """A day of the week as date.weekday() numbers it."""

    MONDAY = 0, _("Monday")
    TUESDAY = 1, _("Tuesday")
    WEDNESDAY = 2, _("Wednesday")
    THURSDAY = 3, _("Thursday")
    FRIDAY = 4, _("Friday")
    SATURDAY = 5, _("Saturday")
    SUNDAY = 6, _("Sunday")


class Stage(models.TextChoices):
    """The four stages of a certification project (the plan template's top-level tasks)."""

    PREPARATION = "preparation", _("Preliminary preparation")
    GAP_ANALYSIS = "gap-analysis", _("Gap analysis")
    ESTABLISHMENT = "establishment", _("Process establishment, improvement and trial operation")
    CERTIFICATION = "certification", _("Certification audit")


class AuditKind(models.TextChoices):
    """The audits of a three-year certificate cycle, in the order they happen."""

    STAGE1 = "stage1", _("Stage 1 audit")
    STAGE2 = "stage2", _("Stage 2 audit")
    SURVEILLANCE1 = "surveillance1", _("Surveillance audit, year 1")
    SURVEILLANCE2 = "surveillance2", _("Surveillance audit, year 2")
    RECERTIFICATION = "recertification", _("Recertification audit")


# The rule of a task that is an audit booking's milestone ("booking:stage1"): its reason on the plan page, and
# for the audits after certification the mark that keeps them out of the project's finish (see
# certprep.planning.scheduling.network.Network.beyond_finish).
BOOKING_RULE = "booking:"
AFTER_CERTIFICATION = frozenset(
    {
        BOOKING_RULE + AuditKind.SURVEILLANCE1,
        BOOKING_RULE + AuditKind.SURVEILLANCE2,
        BOOKING_RULE + AuditKind.RECERTIFICATION,
    }
)


class ExchangeFormat(models.TextChoices):
    """The files a plan is exchanged in."""

    MSPDI = "mspdi", _("MS Project XML")
    MPP = "mpp", _("MS Project file (.mpp)")
    XLSX = "xlsx", _("Excel workbook")
