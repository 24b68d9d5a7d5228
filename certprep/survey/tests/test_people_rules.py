"""The pure rules of the people list: vocabularies, cell parsing, validation and warnings (no database)."""

from __future__ import annotations

import pytest

from certprep.core.errors import ServiceError
from certprep.survey.services.people import (
    FALLBACK_PROCESSES,
    clean_person_values,
    header_lookup,
    person_warnings,
    process_lookup,
    role_lookup,
    split_cell,
)

CODES = [option.code for option in FALLBACK_PROCESSES]


def person(**values):
    return {"name": "Ann Lee", "department": "", "job_title": "", "email": "", "sms_roles": [], "processes": [], **values}


def test_the_fallback_list_holds_the_13_processes_of_the_lens():
    assert CODES == [
        "service-level", "service-reporting", "continuity-availability", "budgeting-accounting", "capacity",
        "information-security", "business-relationship", "supplier", "incident", "problem", "configuration",
        "change", "release",
    ]


def test_a_cell_splits_on_commas_semicolons_enumeration_commas_and_line_breaks():
    assert split_cell("a, b;c、d\ne\r\n f ,,") == ["a", "b", "c", "d", "e", "f"]
    assert split_cell("") == []


def test_roles_are_found_by_value_english_label_or_chinese_label_in_any_case():
    lookup = role_lookup()
    assert lookup["process_manager"] == "process_manager"
    assert lookup["process manager"] == "process_manager"
    assert lookup["过程经理"] == "process_manager"
    assert lookup["top management"] == "top_management"


def test_processes_are_found_by_code_english_name_or_chinese_name():
    lookup = process_lookup(FALLBACK_PROCESSES)
    assert lookup["incident"] == "incident"
    assert lookup["incident management"] == "incident"
    assert lookup["事件管理"] == "incident"


def test_headers_are_found_in_english_or_chinese_in_any_case():
    lookup = header_lookup()
    assert lookup["e-mail"] == "email" and lookup["电子邮件"] == "email"
    assert lookup["job title"] == "job_title" and lookup["职务"] == "job_title"
    assert lookup["sms roles"] == "sms_roles" and lookup["体系角色"] == "sms_roles"
    assert lookup["姓名"] == "name" and lookup["部门"] == "department" and lookup["过程"] == "processes"


def test_clean_values_are_on_one_line_and_lists_in_vocabulary_order():
    cleaned = clean_person_values(
        person(name="  Ann \u00a0 Lee ", sms_roles=["process_owner", "top_management", "process_owner"], processes=["change", "incident"]),
        process_codes=CODES,
    )
    assert cleaned["name"] == "Ann Lee"
    assert cleaned["sms_roles"] == ["top_management", "process_owner"]
    assert cleaned["processes"] == ["incident", "change"]


@pytest.mark.parametrize(
    ("values", "field", "message"),
    [
        ({"name": "  "}, "name", "Every person needs a name."),
        ({"name": "x" * 201}, "name", "at most 200 characters"),
        ({"name": "Ann\nLee"}, "name", "The name must be one line of text"),
        ({"job_title": "Lead\r\nBcc: x@example.com"}, "job_title", "The job title must be one line of text"),
        ({"department": "d" * 201}, "department", "at most 200 characters"),
        ({"email": "bob@"}, "email", '"bob@" is not a valid e-mail address.'),
        ({"sms_roles": ["boss"]}, "sms_roles", '"boss" is not a role in the SMS'),
        ({"processes": ["coffee"]}, "processes", '"coffee" is not one of the processes'),
        ({"processes": "incident"}, "processes", "must be a list"),
    ],
)
def test_it_rejects_bad_values_naming_the_field(values, field, message):
    with pytest.raises(ServiceError) as caught:
        clean_person_values(person(**values), process_codes=CODES)
    assert caught.value.field == field
    assert message in caught.value.message


def test_a_process_role_without_a_process_gets_a_warning_not_an_error():
    assert person_warnings(["process_executor"], []) != []
    assert person_warnings(["process_executor"], ["incident"]) == []
    assert person_warnings(["top_management"], []) == []
    assert clean_person_values(person(sms_roles=["process_owner"]), process_codes=CODES)["sms_roles"] == ["process_owner"]
