"""How the organization's pages and reports word a meeting series' cadence, in the active language."""

from __future__ import annotations

from django.utils.translation import gettext as _

from certprep.organization.choices import Cadence
from certprep.organization.models import MeetingSeries


def cadence_text(series: MeetingSeries) -> str:
    """How often a series meets, in words: "Every two weeks, Wednesday, 10:00, 90 min"."""
    if series.cadence == Cadence.MONTHLY:
        when = _("Monthly, the %(which)s %(weekday)s") % {
            "which": series.get_week_of_month_display(),
            "weekday": series.get_weekday_display(),
        }
    else:
        when = _("%(cadence)s, %(weekday)s") % {
            "cadence": series.get_cadence_display(),
            "weekday": series.get_weekday_display(),
        }
    return _("%(when)s, %(time)s, %(minutes)s min") % {
        "when": when,
        "time": series.start_time.strftime("%H:%M"),
        "minutes": series.duration_minutes,
    }
