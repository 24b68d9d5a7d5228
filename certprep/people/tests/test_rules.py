"""Roles held for processes as plain data: the cell notation in English and Chinese, its errors, the reading
order, the older crossed lists, warnings; and the people list's field rules (no database)."""

from __future__ import annotations

import pytest

from certprep.catalogue.selectors import lens_process_codes, lens_processes
from certprep.core.errors import ServiceError
from certprep.core.sheet_columns import header_lookup
from certprep.people.rules import RoleNotationError, canonical_pairs, cross, format_roles, pair_warnings, parse_roles
from certprep.people.values import clean_person_values
from certprep.people.workbook import READ_COLUMNS

PROCESSES = lens_processes()
CODES = list(lens_process_codes())


def read(text):
    return parse_roles(text, processes=PROCESSES)


def person(**values):
    return {"name": "Ann Lee", "department": "", "job_title": "", "email": "", "roles": [], **values}


def test_the_lens_file_gives_the_13_processes_in_order():
    assert len(PROCESSES) == 13
    assert CODES[0] == "service-level"
    assert CODES[-1] == "release"
    assert PROCESSES[CODES.index("incident")].name_in("zh-hans") == "事件管理"


def test_a_cell_reads_roles_for_processes_and_for_the_sms_by_short_or_full_names():
    assert read("Change: owner; Incident: coordinator") == [
        ("process_owner", "change"),
        ("process_coordinator", "incident"),
    ]
    assert read("Change management: owner, manager\nSMS manager, Top management") == [
        ("process_owner", "change"),
        ("process_manager", "change"),
        ("sms_manager", ""),
        ("top_management", ""),
    ]
    assert read("service-level: Process owner; Service level: executor") == [
        ("process_owner", "service-level"),
        ("process_executor", "service-level"),
    ]


def test_a_cell_reads_chinese_names_and_full_width_punctuation():
    assert read("变更管理：所有者、经理；事件：协调员；服务管理体系经理") == [
        ("process_owner", "change"),
        ("process_manager", "change"),
        ("process_coordinator", "incident"),
        ("sms_manager", ""),
    ]


def test_roles_and_processes_are_no_longer_crossed():
    # Owner of change and executor of capacity: the owner of change is not made owner of capacity.
    pairs = read("Change: owner; Capacity: executor")
    assert ("process_owner", "capacity") not in pairs
    assert ("process_executor", "change") not in pairs


@pytest.mark.parametrize(
    ("text", "item", "message"),
    [
        ("Change: boss", "Change: boss", '"boss" is not a role held for a process'),
        ("Coffee: owner", "Coffee: owner", '"Coffee" is not one of the processes'),
        ("Change:", "Change:", "names a process but no role"),
        ("Chief", "Chief", '"Chief" is not a role in the SMS'),
    ],
)
def test_an_unreadable_item_is_named_with_what_is_wrong(text, item, message):
    with pytest.raises(RoleNotationError) as caught:
        read(f"SMS manager; {text}")
    assert caught.value.item == item
    assert message in caught.value.message


def test_written_cells_read_back_the_same_pairs_in_both_languages():
    pairs = canonical_pairs(read("Release: executor; Change: manager, owner; Top management; Process owner"), CODES)
    for language in ("en", "zh"):
        assert canonical_pairs(read(format_roles(pairs, processes=PROCESSES, language=language)), CODES) == pairs
    assert format_roles(pairs, processes=PROCESSES) == (
        "Top management; Process owner; Change management: owner, manager; Release management: executor"
    )


def test_older_lists_are_read_as_their_cross_product_once():
    assert cross(["process_owner", "sms_manager"], ["change", "capacity"]) == [
        ("process_owner", "change"),
        ("process_owner", "capacity"),
        ("sms_manager", ""),
    ]
    assert cross(["process_owner"], []) == [("process_owner", "")]


def test_a_process_role_without_a_process_gets_a_warning_not_an_error():
    assert pair_warnings([("process_executor", "")]) != []
    assert pair_warnings([("process_executor", "incident"), ("top_management", "")]) == []
    assert clean_person_values(person(roles=[("process_owner", "")]), process_codes=CODES)["roles"] == [
        ("process_owner", "")
    ]


def test_headers_are_found_in_english_or_chinese_and_old_headers_still_work():
    lookup = header_lookup(READ_COLUMNS)
    assert lookup["e-mail"] == "email"
    assert lookup["电子邮件"] == "email"
    assert lookup["roles"] == "roles"
    assert lookup["角色"] == "roles"
    assert lookup["sms roles"] == "roles"
    assert lookup["体系角色"] == "roles"
    assert lookup["过程"] == "processes"
    assert lookup["processes"] == "processes"


def test_clean_values_are_on_one_line_and_pairs_in_reading_order():
    cleaned = clean_person_values(
        person(
            name="  Ann \u00a0 Lee ",
            roles=[
                ("process_owner", "change"),
                ("top_management", ""),
                ("process_owner", "incident"),
                ("process_owner", "change"),
            ],
        ),
        process_codes=CODES,
    )
    assert cleaned["name"] == "Ann Lee"
    assert cleaned["roles"] == [("top_management", ""), ("process_owner", "incident"), ("process_owner", "change")]


@pytest.mark.parametrize(
    ("values", "field", "message"),
    [
        ({"name": "  "}, "name", "Every person needs a name."),
        ({"name": "x" * 201}, "name", "at most 200 characters"),
        ({"name": "Ann\nLee"}, "name", "The name must be one line of text"),
        ({"job_title": "Lead\r\nBcc: x@example.com"}, "job_title", "The job title must be one line of text"),
        ({"email": "bob@"}, "email", '"bob@" is not a valid e-mail address.'),
        ({"roles": [("boss", "")]}, "roles", '"boss" is not a role in the SMS'),
        ({"roles": [("process_owner", "coffee")]}, "roles", '"coffee" is not one of the processes'),
        ({"roles": [("sms_manager", "change")]}, "roles", "not held for a process"),
        ({"roles": "process_owner"}, "roles", "must be a list"),
    ],
)
def test_it_rejects_bad_values_naming_the_field(values, field, message):
    with pytest.raises(ServiceError) as caught:
        clean_person_values(person(**values), process_codes=CODES)
    assert caught.value.field == field
    assert message in caught.value.message
