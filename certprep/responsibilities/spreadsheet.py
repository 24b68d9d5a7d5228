"""The responsibility matrix as an Excel workbook, for consultants to read and edit, and back.

Sheets:
- "Matrix": columns Process code, Process, Activity key, Activity, then one column per role. Row 1 holds
  the role KEYS (what an import reads), row 2 the role names (for people); activities start on row 3 in
  matrix order. Cells hold R, A, S, C or I, or nothing.
- "Roles": Role key, Role, Order, Holders (people by e-mail, or by name when they have none, separated by ";"),
  SMS role (a column linked to an SMS role takes its holders from the people's roles and lists none here;
  workbooks without this column link the columns keyed like SMS roles, e.g. process-owner).
- "Settings": Setting (rasci, max_roles_per_person), Value, Meaning.

Every text written goes through neutralize(), every cell read through cell_text(), so text that a spreadsheet
would run as a formula comes back exactly as typed. An import checks the whole file first and then replaces
the engagement's matrix in one transaction: all or nothing.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.db import transaction
from django.db.models import F
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Alignment
from openpyxl.worksheet.worksheet import Worksheet

from certprep.core.actors import Actor
from certprep.core.audit import audit_record
from certprep.core.errors import ServiceError
from certprep.core.sheet_columns import BOLD, HEAD_FILL, Column, Sheet, append_row, workbook_bytes, write_header
from certprep.core.spreadsheets import cell_text, read_rows
from certprep.core.text import single_line
from certprep.core.wording import join_names
from certprep.engagements.models import Engagement
from certprep.people.choices import SmsRole
from certprep.people.models import Person
from certprep.people.services import holders_carried_over
from certprep.responsibilities import selectors
from certprep.responsibilities.choices import PROCESS_CODES, letters_in_use
from certprep.responsibilities.library import KEY_PATTERN, MatrixTemplate, TemplateError, shipped_template
from certprep.responsibilities.models import Activity, Assignment, Matrix, MatrixRole, RoleHolder
from certprep.responsibilities.services import ACTIVITY_NAME_MAX, ROLE_NAME_MAX, matrix_for, unique_key

MATRIX_SHEET, ROLES_SHEET, SETTINGS_SHEET = "Matrix", "Roles", "Settings"
FIXED_COLUMNS = 4  # process code, process, activity key, activity
ROLE_COLUMN_WIDTH = 16
HOLDER_SEPARATOR = ";"
TRUE_WORDS = {"true", "yes", "y", "1", "on", "x"}
FALSE_WORDS = {"false", "no", "n", "0", "off", ""}


def matrix_columns() -> list[Column]:
    """The fixed columns of the Matrix sheet; one column per role (headed by its key) follows them."""
    return [
        Column("process", _("Process code"), width=22),
        Column("process_name", _("Process"), width=34, editable=False),
        Column("key", _("Activity key"), width=22),
        Column("name", _("Activity"), width=48),
    ]


def roles_columns() -> list[Column]:
    return [
        Column("key", _("Role key"), width=24),
        Column("name", _("Role"), width=34),
        Column("order", _("Order"), width=8),
        Column("holders", _("Holders (e-mail or name; separated by ;)"), width=60),
        Column("sms_role", _("SMS role (holders come from the people's roles)"), width=30),
    ]


def settings_columns() -> list[Column]:
    return [
        Column("key", _("Setting"), width=24),
        Column("value", _("Value"), width=10),
        Column("meaning", _("Meaning"), width=90),
    ]


def _person_ref(person: Person) -> str:
    return person.email or person.name


def _matrix_sheet(sheet: Worksheet, view: selectors.MatrixView) -> None:
    """Row 1 holds the role keys (what an import reads), row 2 the role names (for people)."""
    columns = matrix_columns() + [Column(r.key, r.key, width=ROLE_COLUMN_WIDTH) for r in view.roles]
    write_header(sheet, columns, read_only_grey=False)
    append_row(sheet, [None, None, None, _("Role name"), *[r.name for r in view.roles]])
    for block in view.processes:
        for row in block.rows:
            cells = [cell.letter or None for cell in row.cells]
            append_row(sheet, [block.code, block.name, row.activity.key, row.activity.name, *cells])
    for cell in sheet[2]:
        cell.font = BOLD
        cell.fill = HEAD_FILL
    for cells in sheet.iter_rows(min_row=3, min_col=FIXED_COLUMNS + 1):
        for cell in cells:
            cell.alignment = Alignment(horizontal="center")
    sheet.freeze_panes = "E3"


def _roles_sheet(sheet: Worksheet, view: selectors.MatrixView) -> None:
    write_header(sheet, roles_columns())
    for role in view.roles:
        holders = "" if role.sms_role else "; ".join(_person_ref(h.person) for h in role.holders.all())
        append_row(sheet, [role.key, role.name, role.order, holders or None, role.sms_role or None])


def _settings_sheet(sheet: Worksheet, matrix: Matrix) -> None:
    write_header(sheet, settings_columns())
    meaning = {
        name: str(getattr(Matrix._meta.get_field(name), "help_text", "")) for name in ("rasci", "max_roles_per_person")
    }
    append_row(sheet, ["rasci", bool(matrix.rasci), meaning["rasci"]])
    append_row(sheet, ["max_roles_per_person", matrix.max_roles_per_person, meaning["max_roles_per_person"]])


def matrix_export(engagement: Engagement) -> bytes:
    """The engagement's matrix as an .xlsx workbook (bytes)."""
    view = selectors.matrix_view(engagement)
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.title = MATRIX_SHEET
    _matrix_sheet(sheet, view)
    _roles_sheet(workbook.create_sheet(ROLES_SHEET), view)
    _settings_sheet(workbook.create_sheet(SETTINGS_SHEET), view.matrix)
    return workbook_bytes(workbook)


# Import ------------------------------------------------------------------------------------------------


def _columns_of(sheet: str) -> list[Column]:
    return {MATRIX_SHEET: matrix_columns, ROLES_SHEET: roles_columns, SETTINGS_SHEET: settings_columns}[sheet]()


def _fail(sheet: str, row: int, column: int, message: str, *, header: str = "") -> ServiceError:
    """The error for the cell in `column` (from 1) of a row: sheet, row, column and its header (a role
    column of the Matrix sheet is headed by the role's key)."""
    return Sheet(sheet, _columns_of(sheet)).fail_at(row, column - 1, message, header=header)


def _cells(sheet: str, values: list[Any]) -> list[str]:
    """A row's declared cells as text, in column order."""
    return list(Sheet(sheet, _columns_of(sheet)).cells(values).values())


def _name(text: str, *, sheet: str, row: int, column: int, label: str, limit: int) -> str:
    """A role or activity name as stored: one line (core.text.single_line), else an error naming the cell."""
    try:
        return single_line(text, field="file", label=label, limit=limit)
    except ServiceError as exc:
        raise _fail(sheet, row, column, exc.message) from exc


@dataclass
class _RoleRow:
    row: int
    key: str
    name: str
    order: int
    holders: list[Person] = field(default_factory=list)
    sms_role: str = ""


@dataclass
class _ActivityRow:
    row: int
    process_code: str
    key: str
    name: str
    letters: dict[str, str] = field(default_factory=dict)


@dataclass
class _Parsed:
    rasci: bool
    max_roles_per_person: int
    roles: list[_RoleRow]
    activities: list[_ActivityRow]


def _sheet(raw: bytes, filename: str, name: str) -> list[tuple[int, list[Any]]]:
    return list(read_rows(raw, filename, sheet=name))


def _parse_settings(rows: list[tuple[int, list[Any]]]) -> tuple[bool, int]:
    found: dict[str, Any] = {}
    for number, values in rows[1:]:
        key, value, _meaning = _cells(SETTINGS_SHEET, values)
        if not key and not value:
            continue
        if key not in ("rasci", "max_roles_per_person"):
            raise _fail(
                SETTINGS_SHEET,
                number,
                1,
                _('"%(key)s" is not a setting; use rasci or max_roles_per_person.') % {"key": key},
            )
        if key in found:
            raise _fail(SETTINGS_SHEET, number, 1, _('"%(key)s" appears twice.') % {"key": key})
        if key == "rasci":
            word = value.lower()
            if word not in TRUE_WORDS | FALSE_WORDS:
                raise _fail(SETTINGS_SHEET, number, 2, _('"%(value)s" is not TRUE or FALSE.') % {"value": value})
            found[key] = word in TRUE_WORDS
        else:
            try:
                number_value = int(value)
            except ValueError:
                number_value = 0
            if not 1 <= number_value <= 50:
                raise _fail(
                    SETTINGS_SHEET, number, 2, _('"%(value)s" is not a whole number from 1 to 50.') % {"value": value}
                )
            found[key] = number_value
    for key in ("rasci", "max_roles_per_person"):
        if key not in found:
            raise ServiceError(
                _('%(sheet)s: the row "%(key)s" is missing.') % {"sheet": SETTINGS_SHEET, "key": key}, field="file"
            )
    return bool(found["rasci"]), int(found["max_roles_per_person"])


def _people_lookup(engagement: Engagement) -> tuple[dict[str, list[Person]], dict[str, list[Person]]]:
    by_email: dict[str, list[Person]] = {}
    by_name: dict[str, list[Person]] = {}
    for person in Person.objects.filter(engagement=engagement):
        if person.email:
            by_email.setdefault(person.email.lower(), []).append(person)
        by_name.setdefault(person.name.strip().lower(), []).append(person)
    return by_email, by_name


def _order(number: int, text: str) -> int:
    try:
        order = int(text)
    except ValueError:
        order = -1
    if order < 0:
        raise _fail(ROLES_SHEET, number, 3, _('"%(value)s" is not a whole number.') % {"value": text})
    if order > 2_147_483_647:  # what the database's order column holds
        raise _fail(ROLES_SHEET, number, 3, _('"%(value)s" is too large for an order.') % {"value": text})
    return order


def _holders(number: int, text: str, people: tuple[dict[str, list[Person]], dict[str, list[Person]]]) -> list[Person]:
    """The people a Holders cell names (by e-mail, else by name), each once."""
    by_email, by_name = people
    holders: list[Person] = []
    for ref in (part.strip() for part in text.split(HOLDER_SEPARATOR)):
        if not ref:
            continue
        matches = by_email.get(ref.lower()) if "@" in ref else None
        if not matches:
            matches = by_name.get(ref.lower(), [])
        if not matches:
            raise _fail(
                ROLES_SHEET,
                number,
                4,
                _('no person "%(ref)s" in this engagement; add them to the survey\'s people first.') % {"ref": ref},
            )
        if len(matches) > 1:
            raise _fail(
                ROLES_SHEET,
                number,
                4,
                _('"%(ref)s" matches %(count)s people; use their e-mail address.')
                % {"ref": ref, "count": len(matches)},
            )
        if matches[0] not in holders:
            holders.append(matches[0])
    return holders


def _parse_roles(rows: list[tuple[int, list[Any]]], engagement: Engagement) -> list[_RoleRow]:
    people = _people_lookup(engagement)
    roles: list[_RoleRow] = []
    keys: set[str] = set()
    names: set[str] = set()
    linked: set[str] = set()
    # Workbooks written before columns were linked to SMS roles have four columns: a column keyed like an
    # SMS role (process-owner) is linked to it, as the shipped template does.
    older = not rows or not cell_text((list(rows[0][1]) + [None] * 5)[4])
    for number, values in rows[1:]:
        key, name, order_text, holders_text, sms_role = _cells(ROLES_SHEET, values)
        if not any((key, name, order_text, holders_text, sms_role)):
            continue
        if older:
            sms_role = key.replace("-", "_") if key.replace("-", "_") in SmsRole.values else ""
        elif sms_role and sms_role not in SmsRole.values:
            raise _fail(
                ROLES_SHEET,
                number,
                5,
                _('"%(value)s" is not an SMS role; use one of %(roles)s, or leave it empty.')
                % {"value": sms_role, "roles": join_names(SmsRole.values)},
            )
        if sms_role in linked:
            if not older:
                raise _fail(
                    ROLES_SHEET, number, 5, _('The SMS role "%(value)s" is linked twice.') % {"value": sms_role}
                )
            sms_role = ""
        if sms_role:
            linked.add(sms_role)
        if not KEY_PATTERN.match(key):
            raise _fail(
                ROLES_SHEET,
                number,
                1,
                _('"%(key)s" is not a role key (up to 80 lower-case letters, digits and hyphens).') % {"key": key},
            )
        if key in keys:
            raise _fail(ROLES_SHEET, number, 1, _('The role key "%(key)s" appears twice.') % {"key": key})
        name = _name(name, sheet=ROLES_SHEET, row=number, column=2, label=_("The role name"), limit=ROLE_NAME_MAX)
        if not name:
            raise _fail(
                ROLES_SHEET, number, 2, _("A role needs a name of at most %(max)s characters.") % {"max": ROLE_NAME_MAX}
            )
        if name.lower() in names:
            raise _fail(ROLES_SHEET, number, 2, _('The role name "%(name)s" appears twice.') % {"name": name})
        order = _order(number, order_text) if order_text else len(roles) + 1
        holders = _holders(number, holders_text, people)
        keys.add(key)
        names.add(name.lower())
        if sms_role and holders and not older:
            raise _fail(
                ROLES_SHEET,
                number,
                4,
                _(
                    "%(role)s takes its holders from the people's roles; name them in the people list (or its "
                    "import) and leave this cell empty."
                )
                % {"role": name},
            )
        roles.append(_RoleRow(row=number, key=key, name=name, order=order, holders=holders, sms_role=sms_role))
    return roles


def _role_columns(header_number: int, header: list[Any], role_keys: set[str]) -> dict[int, str]:
    """The Matrix sheet's role columns: column index -> role key, read from the header row."""
    columns: dict[int, str] = {}
    for index in range(FIXED_COLUMNS, len(header)):
        key = cell_text(header[index])
        if not key:
            continue
        if key not in role_keys:
            raise _fail(
                MATRIX_SHEET,
                header_number,
                index + 1,
                _('the role "%(key)s" is not on the Roles sheet.') % {"key": key},
                header=key,
            )
        if key in columns.values():
            raise _fail(
                MATRIX_SHEET,
                header_number,
                index + 1,
                _('the role "%(key)s" has two columns.') % {"key": key},
                header=key,
            )
        columns[index] = key
    return columns


def _letters(number: int, extra: dict[int, str], columns: dict[int, str], allowed: list[str]) -> dict[str, str]:
    """A row's letters by role key; a letter not in use is refused."""
    letters: dict[str, str] = {}
    for index, role_key in columns.items():
        letter = extra.get(index, "").upper()
        if not letter:
            continue
        if letter not in allowed:
            raise _fail(
                MATRIX_SHEET,
                number,
                index + 1,
                _('"%(value)s" is not one of %(letters)s.') % {"value": extra[index], "letters": join_names(allowed)},
                header=role_key,
            )
        letters[role_key] = letter
    return letters


def _parse_matrix(rows: list[tuple[int, list[Any]]], role_keys: set[str], rasci: bool) -> list[_ActivityRow]:
    if not rows:
        raise ServiceError(_("%(sheet)s: the sheet is empty.") % {"sheet": MATRIX_SHEET}, field="file")
    header_number, header = rows[0]
    columns = _role_columns(header_number, header, role_keys)
    allowed = letters_in_use(rasci)
    activities: list[_ActivityRow] = []
    seen: set[tuple[str, str]] = set()
    names: set[tuple[str, str]] = set()
    data = rows[1:]
    if data and not any(_cells(MATRIX_SHEET, data[0][1])[:3]):
        data = data[1:]  # row 2 names the roles for people; an import reads the keys of row 1
    for number, values in data:
        code, _process, key, name = _cells(MATRIX_SHEET, values)
        extra = {i: cell_text(values[i]) for i in range(FIXED_COLUMNS, len(values))}
        if not any((code, key, name)) and not any(extra.values()):
            continue
        for index, text in extra.items():
            if text and index not in columns:
                raise _fail(MATRIX_SHEET, number, index + 1, _("this column has no role key in row 1."))
        if code not in PROCESS_CODES:
            raise _fail(
                MATRIX_SHEET,
                number,
                1,
                _('"%(code)s" is not a process code; use one of %(codes)s.')
                % {"code": code, "codes": join_names(PROCESS_CODES)},
            )
        name = _name(
            name, sheet=MATRIX_SHEET, row=number, column=4, label=_("The activity name"), limit=ACTIVITY_NAME_MAX
        )
        if not name:
            raise _fail(
                MATRIX_SHEET,
                number,
                4,
                _("an activity needs a name of at most %(max)s characters.") % {"max": ACTIVITY_NAME_MAX},
            )
        if (code, name.lower()) in names:
            raise _fail(MATRIX_SHEET, number, 4, _('"%(name)s" appears twice in this process.') % {"name": name})
        if key:
            if not KEY_PATTERN.match(key):
                raise _fail(
                    MATRIX_SHEET,
                    number,
                    3,
                    _('"%(key)s" is not an activity key (up to 80 lower-case letters, digits and hyphens).')
                    % {"key": key},
                )
            if (code, key) in seen:
                raise _fail(MATRIX_SHEET, number, 3, _('"%(key)s" appears twice in this process.') % {"key": key})
            seen.add((code, key))
        letters = _letters(number, extra, columns, allowed)
        names.add((code, name.lower()))
        activities.append(_ActivityRow(row=number, process_code=code, key=key, name=name, letters=letters))
    # Rows without a key get one from their name, avoiding the keys the file uses.
    for activity in activities:
        if not activity.key:
            taken = {k for c, k in seen if c == activity.process_code}
            activity.key = unique_key(activity.name, taken, "activity")
            seen.add((activity.process_code, activity.key))
    return activities


def parse_workbook(raw: bytes, filename: str, engagement: Engagement) -> _Parsed:
    """Check the whole workbook; ServiceError names the sheet, row and column of the first problem."""
    if not filename.lower().endswith(".xlsx"):
        raise ServiceError(_("Upload the Excel workbook (.xlsx) exported from the matrix."), field="file")
    rasci, max_roles = _parse_settings(_sheet(raw, filename, SETTINGS_SHEET))
    roles = _parse_roles(_sheet(raw, filename, ROLES_SHEET), engagement)
    activities = _parse_matrix(_sheet(raw, filename, MATRIX_SHEET), {r.key for r in roles}, rasci)
    return _Parsed(rasci=rasci, max_roles_per_person=max_roles, roles=roles, activities=activities)


def _known_translations(
    engagement: Engagement, template: MatrixTemplate | None
) -> tuple[dict[tuple[str, str], dict[str, Any]], dict[tuple[str, str, str], dict[str, Any]]]:
    """Translations to keep, by (key, name) for roles and (process, key, name) for activities: from the
    engagement's current matrix, else from the shipped template. A changed name keeps none."""
    roles: dict[tuple[str, str], dict[str, Any]] = {}
    activities: dict[tuple[str, str, str], dict[str, Any]] = {}
    if template is not None:
        for rt in template.roles:
            roles[(rt.key, rt.name)] = rt.translations
        for at in template.activities:
            activities[(at.process_code, at.key, at.name)] = at.translations
    for key, name, translations in MatrixRole.objects.filter(engagement=engagement).values_list(
        "key", "name", "translations"
    ):
        if translations:
            roles[(key, name)] = translations
    for code, key, name, translations in Activity.objects.filter(engagement=engagement).values_list(
        "process_code", "key", "name", "translations"
    ):
        if translations:
            activities[(code, key, name)] = translations
    return roles, activities


def _write_roles(
    engagement: Engagement, parsed: _Parsed, translations: dict[tuple[str, str], dict[str, Any]]
) -> dict[str, MatrixRole]:
    """The workbook's roles with their own holders (an older workbook's holders of an SMS-role column now hold
    that SMS role); returns them by key."""
    roles = MatrixRole.objects.bulk_create(
        [
            MatrixRole(
                engagement=engagement,
                key=r.key,
                name=r.name,
                order=r.order,
                translations=translations.get((r.key, r.name), {}),
                sms_role=r.sms_role,
            )
            for r in parsed.roles
        ]
    )
    if any(role.pk is None for role in roles):
        roles = list(MatrixRole.objects.filter(engagement=engagement))
    role_by_key = {role.key: role for role in roles}
    RoleHolder.objects.bulk_create(
        [
            RoleHolder(role=role_by_key[r.key], person=person)
            for r in parsed.roles
            if not r.sms_role
            for person in r.holders
        ]
    )
    for r in parsed.roles:
        if r.sms_role and r.holders:
            holders_carried_over(role=r.sms_role, people=r.holders)
    return role_by_key


def _write_activities(
    engagement: Engagement,
    parsed: _Parsed,
    translations: dict[tuple[str, str, str], dict[str, Any]],
    role_by_key: dict[str, MatrixRole],
) -> tuple[int, int]:
    """The workbook's activities in its order per process, with their letters; returns how many of each."""
    positions: dict[str, int] = {}
    new_activities = []
    for a in parsed.activities:
        positions[a.process_code] = positions.get(a.process_code, 0) + 1
        new_activities.append(
            Activity(
                engagement=engagement,
                process_code=a.process_code,
                key=a.key,
                name=a.name,
                order=positions[a.process_code],
                translations=translations.get((a.process_code, a.key, a.name), {}),
            )
        )
    activities = Activity.objects.bulk_create(new_activities)
    if any(activity.pk is None for activity in activities):
        stored = {(x.process_code, x.key): x for x in Activity.objects.filter(engagement=engagement)}
        activities = [stored[(x.process_code, x.key)] for x in new_activities]
    cells = [
        Assignment(activity=activity, role=role_by_key[role_key], letter=letter)
        for activity, a in zip(activities, parsed.activities, strict=True)
        for role_key, letter in a.letters.items()
    ]
    Assignment.objects.bulk_create(cells)
    return len(activities), len(cells)


@transaction.atomic
def matrix_import(*, engagement: Engagement, actor: Actor, raw: bytes, filename: str) -> dict[str, int]:
    """Replace the engagement's matrix (roles, holders, activities, letters, settings) with the workbook's
    content. Nothing changes unless the whole file is valid."""
    parsed = parse_workbook(raw, filename, engagement)
    try:
        template: MatrixTemplate | None = shipped_template()
    except TemplateError:
        template = None
    role_translations, activity_translations = _known_translations(engagement, template)

    matrix = matrix_for(engagement)
    before = {"rasci": matrix.rasci, "max_roles_per_person": matrix.max_roles_per_person}
    Activity.objects.filter(engagement=engagement).delete()
    MatrixRole.objects.filter(engagement=engagement).delete()
    Matrix.objects.filter(pk=matrix.pk).update(
        rasci=parsed.rasci, max_roles_per_person=parsed.max_roles_per_person, version=F("version") + 1
    )
    matrix.refresh_from_db()
    role_by_key = _write_roles(engagement, parsed, role_translations)
    activities, letters = _write_activities(engagement, parsed, activity_translations, role_by_key)

    counts = {
        "roles": len(role_by_key),
        "holders": sum(len(r.holders) for r in parsed.roles),
        "activities": activities,
        "letters": letters,
    }
    changes = {
        k: [before[k], v]
        for k, v in (("rasci", parsed.rasci), ("max_roles_per_person", parsed.max_roles_per_person))
        if before[k] != v
    }
    audit_record(
        engagement=engagement,
        actor=actor,
        action="update",
        obj=matrix,
        changes=changes,
        values={"imported_file": filename[:200], **counts},
    )
    return counts
