"""Documents for an interview: the guide as an editable Word file (python-docx) and the calendar invitation
(iCalendar, RFC 5545). Both are built from the Guide data the page shows, so all three say the same."""

from __future__ import annotations

import datetime
import io
from typing import Any

from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from docx import Document
from docx.shared import Pt
from icalendar import Calendar, Event, vCalAddress

from certprep.core.text import without_control_characters
from certprep.core.timezones import zone
from certprep.core.wording import in_parentheses, join_names
from certprep.survey.choices import InterviewStatus
from certprep.survey.selectors.interviews import Guide, GuideQuestion

PRODID = "-//certprep//Preliminary survey interviews//EN"
UID_DOMAIN = "certprep"
AGENDA_ITEMS = 5


def _when(moment: datetime.datetime, time_zone: str) -> tuple[str, str]:
    """Day and time of `moment` as the organization's clock shows them (the engagement's zone)."""
    local = timezone.localtime(moment, zone(time_zone))
    return str(formats.date_format(local, "DATE_FORMAT")), str(formats.time_format(local, "TIME_FORMAT"))


def when_text(guide: Guide) -> str:
    """ "10 Mar 2026, 10:00 – 11:00 (Asia/Shanghai)": the interview's time with its zone named."""
    day, start = _when(guide.starts_at, guide.time_zone)
    _day, end = _when(guide.ends_at, guide.time_zone)
    return _("%(day)s, %(start)s – %(end)s (%(zone)s)") % {
        "day": day,
        "start": start,
        "end": end,
        "zone": guide.time_zone,
    }


def _answer_label(person: str, draft: bool) -> str:
    return _("%(person)s (draft)") % {"person": person} if draft else person


# --- The guide as .docx --------------------------------------------------------------------------------


def _x(text: object) -> str:
    """Text as Word can store it: XML forbids most control characters (a paste from Word can carry them)."""
    return without_control_characters(str(text))


def guide_docx(guide: Guide) -> bytes:
    """The interview guide as a Word document: title, a table of the practical details, then the parts of
    the guide with numbered questions."""
    document = Document()
    document.core_properties.title = _x(guide.title)
    document.core_properties.subject = _("Interview guide")
    document.add_heading(_x(guide.title), level=0)
    document.add_paragraph(_x(_("Interview guide: %(subject)s") % {"subject": guide.subject}))

    day, start = _when(guide.starts_at, guide.time_zone)
    _day_end, end = _when(guide.ends_at, guide.time_zone)
    rows = [
        (_("Date"), day),
        (_("Time"), _("%(start)s – %(end)s (%(zone)s)") % {"start": start, "end": end, "zone": guide.time_zone}),
        (_("Place"), guide.location or "—"),
        (_("Call link"), guide.call_link or "—"),
        (_("Attendees"), join_names(p.name for p in guide.attendees) or "—"),
        (_("Interviewer"), guide.interviewer or "—"),
        (_("Questionnaires"), join_names(guide.questionnaires) or "—"),
    ]
    table = document.add_table(rows=0, cols=2)
    table.style = "Table Grid"
    for label, value in rows:
        cells = table.add_row().cells
        cells[0].text = label
        cells[1].text = _x(value)
        for run in cells[0].paragraphs[0].runs:
            run.bold = True

    if guide.fallback and guide.respondents:
        document.add_paragraph(
            _x(
                _("No attendee has answered the questionnaire yet; this guide uses the answers of: %(names)s.")
                % {"names": join_names(guide.respondents)}
            )
        )
    if guide.not_started:
        document.add_paragraph(
            _x(_("Not started the questionnaire yet: %(names)s.") % {"names": join_names(guide.not_started)})
        )

    _part(document, _("1. Answers to discuss"), guide.flagged, flagged=True)
    _part(document, _("2. Questions left unanswered"), guide.unanswered, people_only=True)
    _part(document, _('3. Required questions answered "no"'), guide.answered_no)
    _part(document, _("4. Current answers"), guide.digest)

    document.add_heading(_("5. Open follow-ups of earlier interviews"), level=1)
    if guide.follow_ups:
        for number, follow_up in enumerate(guide.follow_ups, start=1):
            paragraph = document.add_paragraph()
            paragraph.add_run(_x(f"{number}. {follow_up.text}"))
            details = [follow_up.owner] if follow_up.owner else []
            if follow_up.due_date:
                details.append(_("due %(date)s") % {"date": formats.date_format(follow_up.due_date, "DATE_FORMAT")})
            details.append(_("from %(interview)s") % {"interview": follow_up.interview})
            paragraph.add_run(
                _x(" " + in_parentheses(pgettext("list separator", "; ").join(str(d) for d in details)))
            ).italic = True
    else:
        document.add_paragraph(_("None."))

    document.add_heading(_("Notes"), level=1)
    for _line in range(6):
        document.add_paragraph("")

    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def _part(
    doc: Any, heading: str, questions: list[GuideQuestion], *, flagged: bool = False, people_only: bool = False
) -> None:
    doc.add_heading(heading, level=1)
    if not questions:
        doc.add_paragraph(_("None."))
        return
    for number, question in enumerate(questions, start=1):
        # Numbered by hand so each part starts at 1, as on the page.
        paragraph = doc.add_paragraph()
        paragraph.add_run(f"{number}. ")
        paragraph.add_run(_x(question.question)).bold = True
        if question.section:
            paragraph.add_run(_x(" " + in_parentheses(question.section))).italic = True
        if people_only:
            names = join_names(_answer_label(a.person, a.draft) for a in question.answers)
            doc.add_paragraph(_x(_("Not answered by: %(names)s") % {"names": names}))
            continue
        for answer in question.answers:
            line = doc.add_paragraph(style="List Bullet")
            line.add_run(
                _x(pgettext("label and text", "%(label)s: ") % {"label": _answer_label(answer.person, answer.draft)})
            ).bold = True
            line.add_run(_x(answer.answer or _("(no answer)")))
            if flagged and answer.note:
                note = doc.add_paragraph()
                run = note.add_run(_x(_("To discuss: %(note)s") % {"note": answer.note}))
                run.italic = True
                note.paragraph_format.left_indent = Pt(36)
        if question.more:
            doc.add_paragraph(_("… and %(n)s more answers.") % {"n": question.more})


# --- The calendar invitation ---------------------------------------------------------------------------


def agenda_text(guide: Guide, url: str = "") -> str:
    """The short agenda put in the invitation's description."""
    lines = [
        _("Interview on %(subject)s.") % {"subject": guide.subject},
        _("When: %(when)s") % {"when": when_text(guide)},
        _("Answers to discuss: %(flagged)s. Answers missing: %(missing)s.")
        % {"flagged": guide.flagged_count, "missing": guide.missing_count},
    ]
    items = guide.first_items(AGENDA_ITEMS)
    if items:
        lines.append(_("First points:"))
        lines.extend(f"- {item}" for item in items)
    if guide.call_link:
        lines.append(_("Call link: %(link)s") % {"link": guide.call_link})
    if url:
        lines.append(_("Guide: %(url)s") % {"url": url})
    return "\n".join(lines)


def interview_ics(guide: Guide, *, url: str = "", now: datetime.datetime | None = None) -> bytes:
    """One VEVENT as an iTIP request. UID stays the same and SEQUENCE is the interview's version, so a
    calendar replaces the earlier invitation when the interview changes; a cancelled interview is sent
    as a cancellation."""
    cancelled = guide.status == InterviewStatus.CANCELLED
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "CANCEL" if cancelled else "REQUEST")

    event = Event()
    event.add("uid", f"{guide.uid}@{UID_DOMAIN}")
    event.add("dtstamp", (now or timezone.now()).astimezone(datetime.UTC))
    # Local times with the engagement's TZID (and its VTIMEZONE below): calendars show 10:00 Asia/Shanghai
    # to the organization and convert it for anyone elsewhere.
    local_zone = zone(guide.time_zone)
    event.add("dtstart", guide.starts_at.astimezone(local_zone))
    event.add("dtend", guide.ends_at.astimezone(local_zone))
    event.add("sequence", guide.version)
    event.add("summary", guide.title)
    event.add("status", "CANCELLED" if cancelled else "CONFIRMED")
    location = guide.location or guide.call_link
    if location:
        event.add("location", location)
    if guide.call_link:
        event.add("url", guide.call_link)
    event.add("description", agenda_text(guide, url))
    if guide.interviewer_email:
        organizer = vCalAddress(f"mailto:{guide.interviewer_email}")
        if guide.interviewer:
            organizer.params["cn"] = guide.interviewer
        event.add("organizer", organizer)
    for person in guide.attendees:
        if not person.email:
            continue
        attendee = vCalAddress(f"mailto:{person.email}")
        attendee.params["cn"] = person.name
        attendee.params["role"] = "REQ-PARTICIPANT"
        attendee.params["partstat"] = "NEEDS-ACTION"
        attendee.params["rsvp"] = "TRUE"
        event.add("attendee", attendee, encode=False)
    calendar.add_component(event)
    # The zone's rules around the interview only: a year either side covers the event and keeps the file small.
    year = guide.starts_at.year
    calendar.add_missing_timezones(
        first_date=datetime.date(max(year - 1, 1970), 1, 1), last_date=datetime.date(year + 2, 1, 1)
    )
    return calendar.to_ical()
