"""The people-and-roles journey in Chromium: an SMS manager imports the people list with roles for processes
("Change management: owner; Incident: coordinator", in English and Chinese), opens the responsibility
matrix and finds each process's columns filled with the named people, with the missing and doubled owners
flagged; then adjusts the holders of several processes in one form. In English and Chinese, and on a phone."""

from __future__ import annotations

import pytest
from openpyxl import Workbook
from playwright.sync_api import expect

from certprep.people.models import Person
from certprep.people.selectors import pairs_of
from tests.browser.helpers import shot, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

ROWS = [
    ["Name", "Department", "Job title", "E-mail", "Roles"],
    ["Zhou Anna", "Quality", "SMS manager", "zhou.anna@harbourline.example", "SMS manager; Quality manager"],
    [
        "Gao Bo",
        "Infrastructure",
        "Infrastructure manager",
        "gao.bo@harbourline.example",
        "Change: owner, manager; Release: owner",
    ],
    ["He Ping", "Infrastructure", "Change coordinator", "he.ping@harbourline.example", "Change: coordinator"],
    ["Liu Yang", "Service Desk", "Service desk lead", "liu.yang@harbourline.example", "Incident: owner, manager"],
    ["Xu Lan", "Service Desk", "Agent", "xu.lan@harbourline.example", "事件管理：执行人员；变更：执行人员"],
    ["Wu Qiang", "Operations", "Problem manager", "wu.qiang@harbourline.example", "Problem management: owner, manager"],
    ["Feng Lei", "Operations", "Capacity analyst", "feng.lei@harbourline.example", "Problem management: owner"],
]


def _workbook(tmp_path):
    workbook = Workbook()
    for row in ROWS:
        workbook.active.append(row)
    path = tmp_path / "harbourline-people.xlsx"
    workbook.save(path)
    return path


def test_people_imported_with_roles_for_processes_fill_the_matrix_with_named_holders(
    new_context, engagement, owner, tmp_path
):
    page = new_context().new_page()
    sign_in(page, "olivia")
    page.goto(f"/e/{engagement.pk}/survey/people/import/")
    page.get_by_label("People list (.xlsx or .csv)").set_input_files(str(_workbook(tmp_path)))
    page.get_by_role("button", name="Import", exact=True).click()
    expect(page.get_by_text("People list imported: 7 added, 0 updated, 0 unchanged.")).to_be_visible()
    expect(page.get_by_text("Change management: owner, manager")).to_be_visible()
    shot(page, "people-roles-list")
    assert pairs_of(Person.objects.get(name="Xu Lan")) == [
        ("process_executor", "incident"),
        ("process_executor", "change"),
    ]

    page.goto(f"/e/{engagement.pk}/responsibilities/")
    page.get_by_role("button", name="Start from the shipped template").click()
    change = page.locator("#process-change")
    head = change.locator("thead")
    expect(head.get_by_role("columnheader", name="Process owner Gao Bo")).to_be_visible()
    expect(head.get_by_role("columnheader", name="Process coordinator He Ping")).to_be_visible()
    expect(head.get_by_role("columnheader", name="SMS manager Zhou Anna")).to_be_visible()
    expect(
        page.locator("#process-incident thead").get_by_role("columnheader", name="Process owner Liu Yang")
    ).to_be_visible()
    expect(page.get_by_text("Problem management has 2 process owners (Feng Lei, Wu Qiang)").first).to_be_visible()
    expect(page.get_by_text("Service level management has no process owner").first).to_be_visible()
    change.scroll_into_view_if_needed()
    shot(page, "people-roles-matrix")

    # One form fixes several processes: Feng Lei no longer owns problem management, Liu Yang gets a coordinator.
    page.goto(f"/e/{engagement.pk}/survey/people/roles/")
    expect(page.get_by_text("2 owners")).to_be_visible()
    page.get_by_label("Problem management: Process owner").select_option(label="Wu Qiang")
    page.get_by_label("Incident management: Process coordinator").select_option(label="Liu Yang")
    page.get_by_label("Service level management: Process owner").select_option(label="Zhou Anna")
    shot(page, "people-roles-per-process")
    page.get_by_role("button", name="Save all roles").click()
    expect(page.get_by_text("Roles saved: 3 people changed.")).to_be_visible()
    page.goto(f"/e/{engagement.pk}/responsibilities/?process=problem")
    expect(
        page.locator("#process-problem thead").get_by_role("columnheader", name="Process owner Wu Qiang")
    ).to_be_visible()
    expect(page.get_by_text("Problem management has 2 process owners")).to_have_count(0)


def test_the_people_roles_and_matrix_read_in_chinese_and_on_a_phone(new_context, engagement, owner, tmp_path):
    from django.core.management import call_command

    from certprep.people.workbook import people_import
    from certprep.responsibilities.services import matrix_from_template

    people_import(engagement=engagement, actor=owner, raw=_workbook(tmp_path).read_bytes(), filename="people.xlsx")
    matrix_from_template(engagement=engagement, actor=owner)
    call_command("load_catalogue", verbosity=0)
    page = new_context().new_page()
    sign_in(page, "olivia")
    with page.expect_navigation():
        page.locator("#language-select").select_option("zh-hans")  # the language switch on every page
    page.goto(f"/e/{engagement.pk}/responsibilities/?process=change")
    expect(page.locator("#process-change thead").get_by_role("columnheader", name="过程所有者 Gao Bo")).to_be_visible()
    expect(page.get_by_role("heading", name="变更管理")).to_be_visible()
    shot(page, "people-roles-matrix-zh")
    page.goto(f"/e/{engagement.pk}/survey/people/")
    expect(page.get_by_text("变更管理").first).to_be_visible()
    shot(page, "people-roles-list-zh")
    phone = new_context(viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True).new_page()
    sign_in(phone, "olivia")
    phone.goto(f"/e/{engagement.pk}/survey/people/roles/")
    expect(phone.get_by_role("button", name="Save all roles")).to_be_visible()
    shot(phone, "people-roles-per-process-phone")
