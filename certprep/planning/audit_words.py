"""The audit bookings in words: an audit's name (with its stage 2 batch) and each warning of
certprep.planning.audit_rules as a sentence naming the audit and the dates, in the reader's language."""

from __future__ import annotations

import datetime

from django.utils import formats
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from certprep.planning.audit_rules import STAGE2, AuditWarning, Code
from certprep.planning.choices import AuditKind


def audit_name(kind: str, batch: int) -> str:
    """ "Stage 1 audit"; stage 2 with its batch: "Stage 2 audit, batch 2"."""
    label = str(AuditKind(kind).label) if kind in AuditKind.values else kind
    if kind == STAGE2:
        return _("%(audit)s, batch %(batch)s") % {"audit": label, "batch": batch}
    return label


def _day(value: datetime.date | None) -> str:
    return formats.date_format(value, "DATE_FORMAT") if value is not None else ""


def warning_text(warning: AuditWarning) -> str:
    """The warning as a sentence: the audit, its date, and the date the rule draws."""
    words = {
        "audit": audit_name(warning.kind, warning.batch),
        "date": _day(warning.date),
        "limit": _day(warning.limit),
        "since": _day(warning.since),
        "n": warning.days or 0,
        "other": audit_name(STAGE2, warning.other_batch or 1),
    }
    code = warning.code
    if code == Code.OPERATING_TIME:
        return (
            ngettext(
                "%(audit)s on %(date)s: the SMS starts operating on %(since)s and must operate for %(n)s month first, "
                "until %(limit)s.",
                "%(audit)s on %(date)s: the SMS starts operating on %(since)s and must operate for %(n)s months first, "
                "until %(limit)s.",
                warning.days or 0,
            )
            % words
        )
    if code == Code.INTERNAL_AUDIT:
        return _("%(audit)s on %(date)s: the internal audit is not finished until %(limit)s.") % words
    if code == Code.MANAGEMENT_REVIEW:
        return _("%(audit)s on %(date)s: the management review is not finished until %(limit)s.") % words
    if code == Code.FINDINGS_WINDOW:
        return (
            ngettext(
                "%(audit)s on %(date)s leaves less than %(n)s day after the stage 1 audit (%(since)s) to close its "
                "findings: not before %(limit)s.",
                "%(audit)s on %(date)s leaves less than %(n)s days after the stage 1 audit (%(since)s) to close its "
                "findings: not before %(limit)s.",
                warning.days or 0,
            )
            % words
        )
    if code == Code.BATCH_ORDER:
        return _("%(audit)s on %(date)s comes before %(other)s (%(limit)s).") % words
    if code == Code.BATCH_OVERLAP:
        return _("%(audit)s on %(date)s starts before %(other)s ends (%(limit)s).") % words
    if code == Code.MILESTONE_MOVED:
        return (
            _(
                "%(audit)s is booked for %(date)s, but its milestone on the plan was moved to %(limit)s: change the "
                "booking, or move the milestone back."
            )
            % words
        )
    if code == Code.BOOK_BY_PASSED:
        return _("%(audit)s on %(date)s is not reserved and its book-by date, %(limit)s, has passed.") % words
    if code == Code.BOOK_BY_NEAR:
        return (
            ngettext(
                "%(audit)s on %(date)s: reserve it by %(limit)s (in %(n)s day).",
                "%(audit)s on %(date)s: reserve it by %(limit)s (in %(n)s days).",
                warning.days or 0,
            )
            % words
        )
    if code == Code.SURVEILLANCE1_LATE:
        return (
            _(
                "%(audit)s on %(date)s is more than 12 months after the certification decision (after the last stage 2 "
                "audit, %(since)s): hold it by %(limit)s."
            )
            % words
        )
    if code == Code.SURVEILLANCE2_LATE:
        return (
            _(
                "%(audit)s on %(date)s is more than 12 months after the first surveillance audit (%(since)s): hold it "
                "by %(limit)s."
            )
            % words
        )
    return _("%(audit)s on %(date)s is after the certificate expires on %(limit)s.") % words
