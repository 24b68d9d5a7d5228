"""The people of the organization (survey E2): add, change and remove a person, and bring the whole list in
from Excel or CSV and out again as Excel.

The first part holds the pure rules (vocabularies, cell parsing, validation, warnings) over plain data; they
need no database. The writes below are one transaction each and leave an audit entry for every change.
"""

from __future__ import annotations

import io
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.db.models import ProtectedError, Q
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop
from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from certprep.catalogue.selectors import LensProcess, lens_processes
from certprep.core.audit import audit_record, diff, snapshot
from certprep.core.errors import ServiceError
from certprep.core.spreadsheets import cell_text, column_letter, neutralize, read_rows
from certprep.core.text import single_line
from certprep.core.versioning import save_versioned
from certprep.core.wording import join_names
from certprep.engagements.models import Engagement
from certprep.people import rules as role_rules
from certprep.people.choices import PROCESS_ROLE_SHORT_NAMES, PROCESS_ROLES, SmsRole
from certprep.people.models import Person
from certprep.people.rules import Pair, RoleNotationError
from certprep.people.selectors import pairs_by_person, pairs_of
from certprep.people.services import clean_pairs, roles_replace, roles_text
from certprep.survey.choices import ResponseStatus
from certprep.survey.models import Response

PERSON_FIELDS = ["name", "department", "job_title", "email"]
TEXT_LIMITS = {"name": 200, "department": 200, "job_title": 200, "email": 254}
SHEET_NAME = "People"
HELP_SHEET_NAME = "Help"
XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

# ---------------------------------------------------------------------------------------------------------
# Vocabularies
# ---------------------------------------------------------------------------------------------------------


def process_options() -> tuple[LensProcess, ...]:
    """The processes of the 13-process lens in order (from the lens file; no query)."""
    return lens_processes()


def _key(text: str) -> str:
    """How names are compared: case and spacing do not matter."""
    return " ".join(str(text).split()).casefold()


def _languages() -> list[str]:
    return [code for code, _name in settings.LANGUAGES]


def role_label(value: str) -> str:
    """The label of a role in the active language (the value itself when it is unknown)."""
    try:
        return str(SmsRole(value).label)
    except ValueError:
        return value


def role_english(value: str) -> str:
    return role_rules.role_name(value, "en")


def role_chinese(value: str) -> str:
    return role_rules.role_name(value, "zh")


# ---------------------------------------------------------------------------------------------------------
# Pure rules
# ---------------------------------------------------------------------------------------------------------

CELL_SEPARATORS = re.compile(r"[,;、，；\r\n]+")


def split_cell(text: str) -> list[str]:
    """The items of a processes cell (older files): separated by commas, semicolons, "、" or line breaks."""
    return [item.strip() for item in CELL_SEPARATORS.split(text or "") if item.strip()]


def _one_line(value: Any, *, field: str, label: str) -> str:
    """A single-line text of a person (see core.text.single_line), with runs of spaces made one."""
    return " ".join(single_line(value, field=field, label=label).split())


def clean_person_values(values: Mapping[str, Any], *, process_codes: Sequence[str]) -> dict[str, Any]:
    """Check and normalize the fields of a person; raise ServiceError naming the field on the first problem.

    Texts are single lines (a line break or another control character is refused), without surrounding
    spaces; the roles (role, process) pairs come back without repeats in reading order, so the same person
    always reads the same."""
    labels = {
        "name": _("The name"),
        "department": _("The department"),
        "job_title": _("The job title"),
        "email": _("The e-mail address"),
    }
    cleaned: dict[str, Any] = {}
    for name in ("name", "department", "job_title", "email"):
        cleaned[name] = _one_line(values.get(name, ""), field=name, label=labels[name])
    if not cleaned["name"]:
        raise ServiceError(_("Every person needs a name."), field="name")
    for name, limit in TEXT_LIMITS.items():
        if len(cleaned[name]) > limit:
            raise ServiceError(
                _("%(what)s may hold at most %(n)s characters.") % {"what": labels[name], "n": limit}, field=name
            )
    if cleaned["email"]:
        try:
            validate_email(cleaned["email"])
        except ValidationError:
            raise ServiceError(
                _('"%(value)s" is not a valid e-mail address.') % {"value": cleaned["email"]}, field="email"
            ) from None
    cleaned["roles"] = clean_pairs(values.get("roles") or [], codes=process_codes)
    return cleaned


def person_warnings(pairs: Iterable[Pair]) -> list[str]:
    """What is worth a second look about a person's roles; warnings never stop a save."""
    return role_rules.pair_warnings(pairs)


def person_snapshot(person: Person, pairs: Iterable[Pair]) -> dict[str, Any]:
    """The person as the audit trail records it: the fields and the roles as one readable text."""
    return {**snapshot(person, PERSON_FIELDS), "roles": roles_text(pairs)}


# ---------------------------------------------------------------------------------------------------------
# Writes
# ---------------------------------------------------------------------------------------------------------


def _codes() -> list[str]:
    return [process.code for process in process_options()]


def _email_taken_message(email: str, other: Person) -> str:
    return _("The e-mail address %(email)s is already used by %(name)s in this engagement.") % {
        "email": email,
        "name": other.name,
    }


def _check_email_free(engagement: Engagement, email: str, *, exclude_pk: int | None = None) -> None:
    if not email:
        return
    others = Person.objects.filter(engagement=engagement, email__iexact=email)
    if exclude_pk is not None:
        others = others.exclude(pk=exclude_pk)
    other = others.order_by("pk").first()
    if other is not None:
        raise ServiceError(_email_taken_message(email, other), field="email")


def _save_refused(email: str) -> ServiceError:
    return ServiceError(
        _("The e-mail address %(email)s was just given to someone else in this engagement; choose another.")
        % {"email": email},
        field="email",
    )


@transaction.atomic
def person_create(
    *,
    engagement: Engagement,
    actor: Any,
    name: str,
    department: str = "",
    job_title: str = "",
    email: str = "",
    roles: Sequence[Pair] = (),
) -> Person:
    """Add a person with the roles they hold, each a (role, process code) pair ("" for an SMS-wide role)."""
    values = clean_person_values(
        {"name": name, "department": department, "job_title": job_title, "email": email, "roles": list(roles)},
        process_codes=_codes(),
    )
    pairs = values.pop("roles")
    _check_email_free(engagement, values["email"])
    person = Person(engagement=engagement, **values)
    try:
        with transaction.atomic():
            person.save()
    except IntegrityError as exc:
        raise _save_refused(values["email"]) from exc
    roles_replace(person=person, pairs=pairs)
    audit_record(engagement=engagement, actor=actor, action="create", obj=person, values=person_snapshot(person, pairs))
    return person


@transaction.atomic
def person_update(*, person: Person, actor: Any, expected_version: int, data: Mapping[str, Any]) -> Person:
    """Change the fields given in `data` ("roles": the (role, process code) pairs the person holds from now
    on); refused with a conflict when someone saved the person since `expected_version` was read."""
    stored = Person.objects.filter(pk=person.pk).first()
    if stored is None:
        raise ServiceError(_("This person was deleted in the meantime; nothing was saved."))
    held = pairs_of(stored)
    before = person_snapshot(stored, held)
    merged: dict[str, Any] = {name: data[name] if name in data else getattr(stored, name) for name in PERSON_FIELDS}
    merged["roles"] = data.get("roles", held)
    values = clean_person_values(merged, process_codes=_codes())
    pairs = values.pop("roles")
    _check_email_free(stored.engagement, values["email"], exclude_pk=stored.pk)
    for name, value in values.items():
        setattr(person, name, value)
    try:
        with transaction.atomic():
            save_versioned(person, expected_version=expected_version, fields=PERSON_FIELDS)
    except IntegrityError as exc:
        raise _save_refused(values["email"]) from exc
    roles_replace(person=person, pairs=pairs)
    changes = diff(before, person_snapshot(person, pairs))
    if changes:
        audit_record(engagement=stored.engagement, actor=actor, action="update", obj=person, changes=changes)
    return person


def person_started_answering(person: Person) -> Any:
    """The first response the person has started (or submitted) in a campaign, or None."""
    return (
        Response.objects.filter(respondent__person=person)
        .filter(~Q(status=ResponseStatus.NOT_STARTED) | Q(started_at__isnull=False) | Q(answers__isnull=False))
        .select_related("respondent__campaign")
        .order_by("pk")
        .first()
    )


def person_delete_refusal(person: Person) -> str | None:
    """Why the person cannot be deleted, or None when they can."""
    started = person_started_answering(person)
    if started is None:
        return None
    return _(
        '%(name)s has started answering in the campaign "%(campaign)s"; their answers belong to the survey '
        "record, so the person cannot be deleted."
    ) % {"name": person.name, "campaign": started.respondent.campaign.name}


@transaction.atomic
def person_delete(*, person: Person, actor: Any) -> None:
    person = Person.objects.select_for_update().select_related("engagement").get(pk=person.pk)
    refusal = person_delete_refusal(person)
    if refusal:
        raise ServiceError(refusal)
    audit_record(
        engagement=person.engagement,
        actor=actor,
        action="delete",
        obj=person,
        values=person_snapshot(person, pairs_of(person)),
    )
    try:
        with transaction.atomic():
            person.delete()
    except ProtectedError as exc:
        raise ServiceError(
            _("%(name)s is still referred to elsewhere in the engagement and cannot be deleted.")
            % {"name": person.name}
        ) from exc


# ---------------------------------------------------------------------------------------------------------
# Import and export
# ---------------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Column:
    field: str
    header: str  # English, as exported
    chinese: str
    aliases: tuple[str, ...] = ()


COLUMNS: tuple[Column, ...] = (
    Column("name", gettext_noop("Name"), "姓名"),
    Column("department", gettext_noop("Department"), "部门"),
    Column("job_title", gettext_noop("Job title"), "职务", ("job-title", "title", "职位")),
    Column(
        "email", gettext_noop("E-mail"), "电子邮件", ("email", "e-mail address", "email address", "电子邮箱", "邮箱")
    ),
    # The roles for processes ("Change management: owner; SMS manager"). The old "SMS roles" column reads
    # the same way: a role without a process is an SMS-wide role, or a process role whose process the
    # "Processes" column names.
    Column(
        "roles",
        gettext_noop("Roles"),
        "角色",
        ("role", "roles for processes", "role for process", "sms roles", "sms role", "体系角色", "过程角色"),
    ),
)
# Older lists named the processes a person worked in in a column of their own; it is still read: process
# roles written without a process in the same row are held for each process it names.
LEGACY_PROCESSES = Column("processes", gettext_noop("Processes"), "过程", ("process",))
READ_COLUMNS = (*COLUMNS, LEGACY_PROCESSES)


def header_lookup() -> dict[str, str]:
    """Every accepted header (English, Chinese, translated, a few aliases; any case) -> field."""
    lookup: dict[str, str] = {}
    for column in READ_COLUMNS:
        names = [column.header, column.chinese, column.field, *column.aliases]
        for language in _languages():
            with translation.override(language):
                names.append(_(column.header))
        for name in names:
            lookup[_key(name).rstrip(" *:：")] = column.field
    return lookup


@dataclass
class ImportResult:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    warnings: int = 0


@dataclass
class _Row:
    number: int
    values: dict[str, Any]  # only the columns the file has, cleaned ("roles": the pairs)


def _at(number: int, index: int, header: str, problem: str) -> str:
    """An import problem as the user finds it: 'Row 7, column D (E-mail): ...'."""
    where = _("Row %(row)s, column %(column)s (%(header)s)") % {
        "row": number,
        "column": column_letter(index),
        "header": header,
    }
    return _("%(where)s: %(problem)s") % {"where": where, "problem": problem}


def _header_columns(number: int, texts: list[str]) -> dict[str, tuple[int, str]]:
    lookup = header_lookup()
    found: dict[str, tuple[int, str]] = {}
    expected = ", ".join(column.header for column in COLUMNS)
    expected_zh = ", ".join(column.chinese for column in COLUMNS)
    for index, text in enumerate(texts):
        if not text:
            continue
        name = lookup.get(_key(text).rstrip(" *:："))
        if name is None:
            raise ServiceError(
                _(
                    'Row %(row)s, column %(column)s: "%(header)s" is not a column of the people list. The header row '
                    "may hold: %(expected)s (or %(expected_zh)s)."
                )
                % {
                    "row": number,
                    "column": column_letter(index),
                    "header": text,
                    "expected": expected,
                    "expected_zh": expected_zh,
                }
            )
        if name in found:
            raise ServiceError(
                _('Row %(row)s: columns %(first)s and %(second)s both hold "%(header)s"; keep one.')
                % {
                    "row": number,
                    "first": column_letter(found[name][0]),
                    "second": column_letter(index),
                    "header": text,
                }
            )
        found[name] = (index, text)
    if "name" not in found:
        raise ServiceError(
            _(
                'Row %(row)s (the header row) has no "Name" column. Name the columns in that row: %(expected)s '
                "(or %(expected_zh)s)."
            )
            % {"row": number, "expected": expected, "expected_zh": expected_zh}
        )
    return found


def _row_pairs(
    number: int,
    raw: Mapping[str, str],
    columns: Mapping[str, tuple[int, str]],
    *,
    options: Sequence[LensProcess],
    words: role_rules.Vocabulary,
) -> list[Pair]:
    pairs: list[Pair] = []
    if "roles" in raw:
        index, header = columns["roles"]
        try:
            pairs = role_rules.parse_roles(raw["roles"], processes=options, words=words)
        except RoleNotationError as exc:
            raise ServiceError(_at(number, index, header, exc.message)) from exc
    if "processes" in raw:
        index, header = columns["processes"]
        codes = []
        for item in split_cell(raw["processes"]):
            code = words.processes.get(role_rules._key(item))
            if code is None:
                problem = _(
                    '"%(value)s" is not one of the processes. Write a process by its name or code, as listed on '
                    'the Help sheet of the template, e.g. "Incident management" or "incident".'
                ) % {"value": item}
                raise ServiceError(_at(number, index, header, problem))
            codes.append(code)
        unplaced = [role for role, code in pairs if role in PROCESS_ROLES and not code]
        if codes and unplaced:
            placed = [pair for pair in pairs if not (pair[0] in PROCESS_ROLES and not pair[1])]
            pairs = placed + role_rules.cross(unplaced, codes)
    return pairs


def _parse_row(
    number: int,
    texts: list[str],
    columns: dict[str, tuple[int, str]],
    *,
    options: Sequence[LensProcess],
    words: role_rules.Vocabulary,
) -> _Row:
    used = {index for index, _header in columns.values()}
    for index, text in enumerate(texts):
        if text and index not in used:
            raise ServiceError(
                _("Row %(row)s, column %(column)s holds a value but the column has no header.")
                % {"row": number, "column": column_letter(index)}
            )
    raw = {name: (texts[index] if index < len(texts) else "") for name, (index, _header) in columns.items()}
    values: dict[str, Any] = {name: raw[name] for name in ("name", "department", "job_title", "email") if name in raw}
    has_roles = "roles" in raw or "processes" in raw
    if has_roles:
        values["roles"] = _row_pairs(number, raw, columns, options=options, words=words)
    defaults = {"name": "", "department": "", "job_title": "", "email": "", "roles": []}
    try:
        cleaned = clean_person_values({**defaults, **values}, process_codes=[option.code for option in options])
    except ServiceError as exc:
        name = exc.field or "name"
        if name == "roles":
            name = "roles" if "roles" in columns else "processes"
        index, header = columns.get(name, columns["name"])
        raise ServiceError(_at(number, index, header, exc.message)) from exc
    return _Row(number=number, values={name: cleaned[name] for name in values})


def parse_people_sheet(
    raw: bytes, filename: str, *, options: Sequence[LensProcess]
) -> tuple[list[_Row], dict[str, tuple[int, str]]]:
    """Read and check every row of an uploaded people list; raise ServiceError at the first problem."""
    words = role_rules.vocabulary(options)
    columns: dict[str, tuple[int, str]] | None = None
    rows: list[_Row] = []
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
                index, header = columns["email"]
                problem = _("%(email)s is also on row %(first)s. Each e-mail address may appear only once.") % {
                    "email": email,
                    "first": first,
                }
                raise ServiceError(_at(number, index, header, problem))
        rows.append(row)
    if columns is None:
        raise ServiceError(
            _("The file is empty. Its first row must name the columns: %(expected)s.")
            % {"expected": join_names(column.header for column in COLUMNS)}
        )
    return rows, columns


def _match(rows: list[_Row], people: list[Person], *, has_email_column: bool) -> list[Person | None]:
    """The existing person each row updates, or None for a new person.

    A row with an e-mail updates the person with that e-mail. Otherwise (or when nobody has it) it updates a
    person of the same name who has no e-mail yet; without an E-mail column, anyone of that name. Each person
    is matched once, the oldest first, so people with the same name stay apart."""
    by_email = {person.email.casefold(): person for person in people if person.email}
    by_name: dict[str, list[Person]] = {}
    for person in sorted(people, key=lambda p: p.pk):
        by_name.setdefault(_key(person.name), []).append(person)
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
        for person in by_name.get(_key(row.values["name"]), []):
            if person.pk in taken or (has_email_column and person.email):
                continue
            matches[position] = person
            taken.add(person.pk)
            break
    return matches


@transaction.atomic
def people_import(*, engagement: Engagement, actor: Any, raw: bytes, filename: str) -> ImportResult:
    """Bring in a people list from .xlsx or .csv: all rows are checked first, and nothing is written unless
    every row is valid. Rows matching an existing person update it; the others add people. The roles a row
    names (for processes or for the SMS) are the roles the person holds from then on, which is what the
    responsibility matrix shows."""
    options = process_options()
    codes = [option.code for option in options]
    rows, columns = parse_people_sheet(raw, filename, options=options)
    people = list(Person.objects.select_for_update().filter(engagement=engagement).order_by("pk"))
    held = pairs_by_person(engagement)
    matches = _match(rows, people, has_email_column="email" in columns)
    result = ImportResult()
    for row, person in zip(rows, matches, strict=True):
        texts = {name: value for name, value in row.values.items() if name != "roles"}
        if person is None:
            pairs = row.values.get("roles", [])
            values = {"department": "", "job_title": "", "email": "", **texts}
            person = Person(engagement=engagement, **values)
            try:
                with transaction.atomic():
                    person.save()
            except IntegrityError as exc:
                raise ServiceError(
                    _("Row %(row)s: the e-mail address %(email)s was just given to someone else; nothing was imported.")
                    % {"row": row.number, "email": values["email"]}
                ) from exc
            roles_replace(person=person, pairs=pairs)
            audit_record(
                engagement=engagement, actor=actor, action="create", obj=person, values=person_snapshot(person, pairs)
            )
            result.created += 1
        else:
            stored_pairs = role_rules.canonical_pairs(held.get(person.pk, []), codes)
            pairs = row.values.get("roles", stored_pairs)
            before = person_snapshot(person, stored_pairs)
            stored = snapshot(person, PERSON_FIELDS)
            if {**stored, **texts} == stored and pairs == stored_pairs:
                result.unchanged += 1
            else:
                for name, value in texts.items():
                    setattr(person, name, value)
                save_versioned(person, expected_version=person.version, fields=PERSON_FIELDS)
                roles_replace(person=person, pairs=pairs)
                changes = diff(before, person_snapshot(person, pairs))
                if changes:
                    audit_record(engagement=engagement, actor=actor, action="update", obj=person, changes=changes)
                    result.updated += 1
                else:
                    result.unchanged += 1
        if person_warnings(pairs):
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


def _workbook_bytes(workbook: Workbook) -> bytes:
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _people_sheet(workbook: Workbook, headers: Sequence[str]) -> Any:
    sheet = workbook.active
    sheet.title = SHEET_NAME
    sheet.append([neutralize(h) for h in headers])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    sheet.freeze_panes = "A2"
    for index, width in enumerate((28, 24, 24, 32, 72)):
        sheet.column_dimensions[get_column_letter(index + 1)].width = width
    return sheet


def people_export(*, engagement: Engagement) -> bytes:
    """The engagement's people as an .xlsx workbook with the import's English headers, the roles written as
    the import reads them ("SMS manager; Change management: owner"): importing it again changes nothing."""
    options = process_options()
    held = pairs_by_person(engagement)
    workbook = Workbook()
    sheet = _people_sheet(workbook, [column.header for column in COLUMNS])
    people = Person.objects.filter(engagement=engagement).order_by("name", "pk")
    for person in people.iterator(chunk_size=2000):
        roles = role_rules.format_roles(held.get(person.pk, []), processes=options)
        row = [person.name, person.department, person.job_title, person.email, roles]
        sheet.append([neutralize(value) for value in row])
    return _workbook_bytes(workbook)


def people_template() -> bytes:
    """An empty people list to fill in, with a Help sheet listing the columns, how to write roles for
    processes, and the allowed roles and processes. The headers are in the user's language when it is
    Chinese (both are accepted on import)."""
    options = process_options()
    language = (translation.get_language() or "en").lower()
    headers = [column.chinese if language.startswith("zh") else column.header for column in COLUMNS]
    workbook = Workbook()
    _people_sheet(workbook, headers)
    help_sheet = workbook.create_sheet(HELP_SHEET_NAME)
    bold = Font(bold=True)

    def line(*values: Any, strong: bool = False) -> None:
        help_sheet.append([neutralize(str(v)) for v in values])
        if strong:
            for cell in help_sheet[help_sheet.max_row]:
                cell.font = bold

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
    descriptions = {
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
    for column in COLUMNS:
        line(column.header, column.chinese, descriptions[column.field])
    line()
    line(_("Example"), "", "SMS manager; Change management: owner; Incident management: coordinator, executor")
    line(_("Example"), "", "服务管理体系经理；变更管理：所有者；事件管理：协调员、执行者")
    line()
    line(_("SMS-wide role"), _("English"), _("Chinese"), strong=True)
    for role in SmsRole:
        if role.value not in PROCESS_ROLES:
            line(role.value, role_english(role.value), role_chinese(role.value))
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
    for index, width in enumerate((34, 34, 90)):
        help_sheet.column_dimensions[get_column_letter(index + 1)].width = width
    return _workbook_bytes(workbook)
