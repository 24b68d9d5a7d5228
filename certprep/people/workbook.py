"""The people list as a workbook: brought in from Excel or CSV (every row checked first, all or nothing) and
out again as Excel, with the roles written the way the import reads them, and an empty template with help.

The columns are declared once (core.sheet_columns) and may come in any order in a file; a problem is named
by row, column and header the way every import names it."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.worksheet.worksheet import Worksheet

from certprep.catalogue.selectors import LensProcess, lens_processes
from certprep.core.actors import Actor
from certprep.core.audit import audit_record, diff, snapshot
from certprep.core.errors import ServiceError
from certprep.core.languages import is_chinese
from certprep.core.sheet_columns import (
    Column,
    append_row,
    header_key,
    header_lookup,
    problem_at,
    set_widths,
    where,
    workbook_bytes,
    write_header,
)
from certprep.core.spreadsheets import cell_text, neutralize, read_rows
from certprep.core.versioning import save_versioned
from certprep.core.wording import join_names
from certprep.core.xlsx import column_letter
from certprep.engagements.models import Engagement
from certprep.people import rules as role_rules
from certprep.people.choices import PROCESS_ROLE_SHORT_NAMES, PROCESS_ROLES, SmsRole
from certprep.people.models import Person
from certprep.people.rules import Pair, RoleNotationError, pair_warnings
from certprep.people.selectors import pairs_by_person
from certprep.people.services import person_snapshot, roles_replace
from certprep.people.values import PERSON_FIELDS, clean_person_values

SHEET_NAME = "People"
HELP_SHEET_NAME = "Help"
XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
CELL_SEPARATORS = re.compile(r"[,;、，；\r\n]+")

# The Chinese header of each column, as the template writes it in Chinese (and the import accepts).
CHINESE = {
    "name": "姓名",
    "department": "部门",
    "job_title": "职务",
    "email": "电子邮件",
    "roles": "角色",
    "processes": "过程",
}


def _column(key: str, header: Any, width: int, *aliases: str) -> Column:
    return Column(key, header, width=width, aliases=(CHINESE[key], key, *aliases))


COLUMNS: tuple[Column, ...] = (
    _column("name", gettext_lazy("Name"), 28),
    _column("department", gettext_lazy("Department"), 24),
    _column("job_title", gettext_lazy("Job title"), 24, "job-title", "title", "职位"),
    _column("email", gettext_lazy("E-mail"), 32, "email", "e-mail address", "email address", "电子邮箱", "邮箱"),
    # The roles for processes ("Change management: owner; SMS manager"). The old "SMS roles" column reads
    # the same way: a role without a process is an SMS-wide role, or a process role whose process the
    # "Processes" column names.
    _column(
        "roles",
        gettext_lazy("Roles"),
        72,
        "role",
        "roles for processes",
        "role for process",
        "sms roles",
        "sms role",
        "体系角色",
        "过程角色",
    ),
)
# Older lists named the processes a person worked in in a column of their own; it is still read: process
# roles written without a process in the same row are held for each process it names.
LEGACY_PROCESSES = _column("processes", gettext_lazy("Processes"), 24, "process")
READ_COLUMNS = (*COLUMNS, LEGACY_PROCESSES)


def split_cell(text: str) -> list[str]:
    """The items of a processes cell (older files): separated by commas, semicolons, "、" or line breaks."""
    return [item.strip() for item in CELL_SEPARATORS.split(text or "") if item.strip()]


def _english(column: Column) -> str:
    with translation.override("en"):
        return str(column.header)


# --- Reading ------------------------------------------------------------------------------------------------


@dataclass
class ImportResult:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    warnings: int = 0


@dataclass
class PeopleRow:
    """One row of the list, checked: only the columns the file has ("roles": the pairs)."""

    number: int
    values: dict[str, Any]


@dataclass
class FoundColumns:
    """Where the file holds each column it has: key -> (index, the header as written)."""

    places: dict[str, tuple[int, str]] = field(default_factory=dict)

    def fail(self, row: int, key: str, problem: str) -> ServiceError:
        index, header = self.places[key]
        return problem_at(where(row, index=index, header=header), problem, field=None)


def _expected() -> dict[str, str]:
    return {
        "expected": ", ".join(_english(column) for column in COLUMNS),
        "expected_zh": ", ".join(CHINESE[column.key] for column in COLUMNS),
    }


def _header_columns(number: int, texts: list[str]) -> FoundColumns:
    lookup = header_lookup(READ_COLUMNS)
    found = FoundColumns()
    for index, text in enumerate(texts):
        if not text:
            continue
        key = lookup.get(header_key(text))
        if key is None:
            raise ServiceError(
                _(
                    'Row %(row)s, column %(column)s: "%(header)s" is not a column of the people list. The header row '
                    "may hold: %(expected)s (or %(expected_zh)s)."
                )
                % {"row": number, "column": column_letter(index), "header": text, **_expected()}
            )
        if key in found.places:
            raise ServiceError(
                _('Row %(row)s: columns %(first)s and %(second)s both hold "%(header)s"; keep one.')
                % {
                    "row": number,
                    "first": column_letter(found.places[key][0]),
                    "second": column_letter(index),
                    "header": text,
                }
            )
        found.places[key] = (index, text)
    if "name" not in found.places:
        raise ServiceError(
            _(
                'Row %(row)s (the header row) has no "Name" column. Name the columns in that row: %(expected)s '
                "(or %(expected_zh)s)."
            )
            % {"row": number, **_expected()}
        )
    return found


def _processes_of(number: int, text: str, columns: FoundColumns, words: role_rules.Vocabulary) -> list[str]:
    codes = []
    for item in split_cell(text):
        code = words.processes.get(role_rules.name_key(item))
        if code is None:
            problem = _(
                '"%(value)s" is not one of the processes. Write a process by its name or code, as listed on '
                'the Help sheet of the template, e.g. "Incident management" or "incident".'
            ) % {"value": item}
            raise columns.fail(number, "processes", problem)
        codes.append(code)
    return codes


def _row_pairs(
    number: int,
    raw: Mapping[str, str],
    columns: FoundColumns,
    *,
    options: Sequence[LensProcess],
    words: role_rules.Vocabulary,
) -> list[Pair]:
    pairs: list[Pair] = []
    if "roles" in raw:
        try:
            pairs = role_rules.parse_roles(raw["roles"], processes=options, words=words)
        except RoleNotationError as exc:
            raise columns.fail(number, "roles", exc.message) from exc
    if "processes" in raw:
        codes = _processes_of(number, raw["processes"], columns, words)
        unplaced = [role for role, code in pairs if role in PROCESS_ROLES and not code]
        if codes and unplaced:
            placed = [pair for pair in pairs if not (pair[0] in PROCESS_ROLES and not pair[1])]
            pairs = placed + role_rules.cross(unplaced, codes)
    return pairs


def _parse_row(
    number: int,
    texts: list[str],
    columns: FoundColumns,
    *,
    options: Sequence[LensProcess],
    words: role_rules.Vocabulary,
) -> PeopleRow:
    used = {index for index, _header in columns.places.values()}
    for index, text in enumerate(texts):
        if text and index not in used:
            raise ServiceError(
                _("Row %(row)s, column %(column)s holds a value but the column has no header.")
                % {"row": number, "column": column_letter(index)}
            )
    raw = {key: (texts[index] if index < len(texts) else "") for key, (index, _header) in columns.places.items()}
    values: dict[str, Any] = {name: raw[name] for name in PERSON_FIELDS if name in raw}
    if "roles" in raw or "processes" in raw:
        values["roles"] = _row_pairs(number, raw, columns, options=options, words=words)
    defaults = {"name": "", "department": "", "job_title": "", "email": "", "roles": []}
    try:
        cleaned = clean_person_values({**defaults, **values}, process_codes=[option.code for option in options])
    except ServiceError as exc:
        key = exc.field or "name"
        if key == "roles":
            key = "roles" if "roles" in columns.places else "processes"
        raise columns.fail(number, key if key in columns.places else "name", exc.message) from exc
    return PeopleRow(number=number, values={name: cleaned[name] for name in values})


def parse_people_sheet(
    raw: bytes, filename: str, *, options: Sequence[LensProcess]
) -> tuple[list[PeopleRow], FoundColumns]:
    """Read and check every row of an uploaded people list; raise ServiceError at the first problem."""
    words = role_rules.vocabulary(options)
    columns: FoundColumns | None = None
    rows: list[PeopleRow] = []
    seen_emails: dict[str, int] = {}
    for number, cells in read_rows(raw, filename):
        texts = [cell_text(cell) for cell in cells]
        if not any(texts):
            continue
        if columns is None:
            columns = _header_columns(number, texts)
            continue
        row = _parse_row(number, texts, columns, options=options, words=words)
        email = row.values.get("email", "")
        if email:
            first = seen_emails.setdefault(email.casefold(), number)
            if first != number:
                problem = _("%(email)s is also on row %(first)s. Each e-mail address may appear only once.") % {
                    "email": email,
                    "first": first,
                }
                raise columns.fail(number, "email", problem)
        rows.append(row)
    if columns is None:
        raise ServiceError(
            _("The file is empty. Its first row must name the columns: %(expected)s.")
            % {"expected": join_names(_english(column) for column in COLUMNS)}
        )
    return rows, columns


def _name_key(text: str) -> str:
    """How names are matched: case and spacing do not matter."""
    return " ".join(str(text).split()).casefold()


def _match(rows: list[PeopleRow], people: list[Person], *, has_email_column: bool) -> list[Person | None]:
    """The existing person each row updates, or None for a new person.

    A row with an e-mail updates the person with that e-mail. Otherwise (or when nobody has it) it updates a
    person of the same name who has no e-mail yet; without an E-mail column, anyone of that name. Each person
    is matched once, the oldest first, so people with the same name stay apart."""
    by_email = {person.email.casefold(): person for person in people if person.email}
    by_name: dict[str, list[Person]] = {}
    for person in sorted(people, key=lambda p: p.pk):
        by_name.setdefault(_name_key(person.name), []).append(person)
    taken: set[int] = set()
    matches: list[Person | None] = [None] * len(rows)
    for position, row in enumerate(rows):  # e-mails first: they are unambiguous
        email = row.values.get("email", "")
        if email and email.casefold() in by_email:
            person = by_email[email.casefold()]
            matches[position] = person
            taken.add(person.pk)
    for position, row in enumerate(rows):
        if matches[position] is not None:
            continue
        for person in by_name.get(_name_key(row.values["name"]), []):
            if person.pk in taken or (has_email_column and person.email):
                continue
            matches[position] = person
            taken.add(person.pk)
            break
    return matches


# --- Writing the rows ---------------------------------------------------------------------------------------


def _row_added(*, engagement: Engagement, actor: Actor, row: PeopleRow) -> list[Pair]:
    """A new person for the row; returns the roles they hold."""
    pairs = row.values.get("roles", [])
    texts = {"department": "", "job_title": "", "email": "", **_texts(row)}
    person = Person(engagement=engagement, **texts)
    try:
        with transaction.atomic():
            person.save()
    except IntegrityError as exc:
        raise ServiceError(
            _("Row %(row)s: the e-mail address %(email)s was just given to someone else; nothing was imported.")
            % {"row": row.number, "email": texts["email"]}
        ) from exc
    roles_replace(person=person, pairs=pairs)
    audit_record(engagement=engagement, actor=actor, action="create", obj=person, values=person_snapshot(person, pairs))
    return pairs


def _row_applied(*, engagement: Engagement, actor: Actor, row: PeopleRow, person: Person, held: list[Pair]) -> bool:
    """The row's values on the person it matches (`held`: the roles they hold); True when something changed."""
    codes = [process.code for process in lens_processes()]
    stored_pairs = role_rules.canonical_pairs(held, codes)
    pairs = row.values.get("roles", stored_pairs)
    texts = _texts(row)
    stored = snapshot(person, PERSON_FIELDS)
    if {**stored, **texts} == stored and pairs == stored_pairs:
        return False
    before = person_snapshot(person, stored_pairs)
    for name, value in texts.items():
        setattr(person, name, value)
    save_versioned(person, expected_version=person.version, fields=PERSON_FIELDS)
    roles_replace(person=person, pairs=pairs)
    changes = diff(before, person_snapshot(person, pairs))
    if changes:
        audit_record(engagement=engagement, actor=actor, action="update", obj=person, changes=changes)
    return bool(changes)


def _texts(row: PeopleRow) -> dict[str, Any]:
    return {name: value for name, value in row.values.items() if name != "roles"}


@transaction.atomic
def people_import(*, engagement: Engagement, actor: Actor, raw: bytes, filename: str) -> ImportResult:
    """Bring in a people list from .xlsx or .csv: all rows are checked first, and nothing is written unless
    every row is valid. Rows matching an existing person update it; the others add people. The roles a row
    names (for processes or for the SMS) are the roles the person holds from then on, which is what the
    responsibility matrix shows."""
    rows, columns = parse_people_sheet(raw, filename, options=lens_processes())
    people = list(Person.objects.select_for_update().filter(engagement=engagement).order_by("pk"))
    held = pairs_by_person(engagement)
    result = ImportResult()
    for row, person in zip(rows, _match(rows, people, has_email_column="email" in columns.places), strict=True):
        if person is None:
            pairs = _row_added(engagement=engagement, actor=actor, row=row)
            result.created += 1
        else:
            held_now = held.get(person.pk, [])
            if _row_applied(engagement=engagement, actor=actor, row=row, person=person, held=held_now):
                result.updated += 1
            else:
                result.unchanged += 1
            pairs = row.values.get("roles", held_now)
        if pair_warnings(pairs):
            result.warnings += 1
    audit_record(
        engagement=engagement,
        actor=actor,
        action="update",
        obj=engagement,
        values={
            "via": _("import of the people list from %(file)s") % {"file": filename[:120]},
            "added": result.created,
            "updated": result.updated,
        },
    )
    return result


# --- Export and template ------------------------------------------------------------------------------------


def _people_sheet(workbook: Workbook, columns: Sequence[Column]) -> Worksheet:
    sheet = workbook.active
    sheet.title = SHEET_NAME
    write_header(sheet, columns)
    sheet.freeze_panes = "A2"
    return sheet


def people_export(*, engagement: Engagement) -> bytes:
    """The engagement's people as an .xlsx workbook with the import's English headers, the roles written as
    the import reads them ("SMS manager; Change management: owner"): importing it again changes nothing."""
    options = lens_processes()
    held = pairs_by_person(engagement)
    workbook = Workbook()
    with translation.override("en"):
        sheet = _people_sheet(workbook, COLUMNS)
    people = Person.objects.filter(engagement=engagement).order_by("name", "pk")
    for person in people.iterator(chunk_size=2000):
        roles = role_rules.format_roles(held.get(person.pk, []), processes=options)
        append_row(sheet, [person.name, person.department, person.job_title, person.email, roles])
    return workbook_bytes(workbook)


def _help_descriptions() -> dict[str, str]:
    return {
        "name": _("Required. The person's full name."),
        "department": _("Optional. The department or team."),
        "job_title": _("Optional. The job title."),
        "email": _("Optional. Where the personal survey link is sent; each address once."),
        "roles": _(
            "Optional. The roles the person holds, separated by semicolons or line breaks: a role for the SMS as "
            "a whole (SMS manager), or a process, a colon and the roles held for it (Change management: owner, "
            "manager). Chinese works too: 变更管理：所有者；服务管理体系经理. They fill the responsibility matrix."
        ),
    }


class _HelpSheet:
    """The template's Help sheet, written line by line."""

    def __init__(self, workbook: Workbook) -> None:
        self.sheet = workbook.create_sheet(HELP_SHEET_NAME)

    def line(self, *values: Any, strong: bool = False) -> None:
        self.sheet.append([neutralize(str(v)) for v in values])
        if strong:
            for cell in self.sheet[self.sheet.max_row]:
                cell.font = Font(bold=True)


def _write_help(workbook: Workbook, options: Sequence[LensProcess]) -> None:
    help_sheet = _HelpSheet(workbook)
    line = help_sheet.line
    line(_("How to fill in the people list"), strong=True)
    line(_("One person per row on the first sheet. Keep the header row; the columns may be in any order."))
    line(
        _(
            "Rows whose e-mail belongs to someone already in the list update that person; a row without a known "
            "e-mail updates the person of the same name who has no e-mail yet; other rows add people."
        )
    )
    line(_("Nothing is imported unless every row is valid."))
    line()
    line(_("Column"), _("Also accepted"), _("What to write"), strong=True)
    descriptions = _help_descriptions()
    for column in COLUMNS:
        line(_english(column), CHINESE[column.key], descriptions[column.key])
    line()
    line(_("Example"), "", "SMS manager; Change management: owner; Incident management: coordinator, executor")
    line(_("Example"), "", "服务管理体系经理；变更管理：所有者；事件管理：协调员、执行者")
    line()
    line(_("SMS-wide role"), _("English"), _("Chinese"), strong=True)
    for role in SmsRole:
        if role.value not in PROCESS_ROLES:
            line(role.value, role_rules.role_name(role.value, "en"), role_rules.role_name(role.value, "zh"))
    line()
    line(_("Role for a process"), _("English"), _("Chinese"), strong=True)
    for role in SmsRole:
        if role.value in PROCESS_ROLES:
            names = PROCESS_ROLE_SHORT_NAMES[role.value]
            line(role.value, names["en"][0], names["zh"][0])
    line()
    line(_("Process code"), _("English"), _("Chinese"), strong=True)
    for option in options:
        line(option.code, option.name, option.name_in("zh-hans"))
    set_widths(help_sheet.sheet, (34, 34, 90))


def people_template() -> bytes:
    """An empty people list to fill in, with a Help sheet listing the columns, how to write roles for
    processes, and the allowed roles and processes. The headers are in the user's language when it is
    Chinese (both are accepted on import)."""
    chinese = is_chinese()
    columns = [Column(c.key, CHINESE[c.key], width=c.width) for c in COLUMNS] if chinese else list(COLUMNS)
    workbook = Workbook()
    with translation.override("en"):
        _people_sheet(workbook, columns)
    _write_help(workbook, lens_processes())
    return workbook_bytes(workbook)
