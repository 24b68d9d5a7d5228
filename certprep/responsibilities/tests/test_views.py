from __future__ import annotations

import re

import pytest
from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from certprep.core.models import AuditEntry
from certprep.engagements import services as engagement_services
from certprep.engagements.tests.factories import UserFactory
from certprep.responsibilities import services
from certprep.responsibilities.choices import PROCESS_CODES
from certprep.responsibilities.models import Activity, Assignment, Matrix, MatrixRole, RoleHolder
from certprep.responsibilities.urls import urlpatterns

pytestmark = pytest.mark.django_db

HX = {"HTTP_HX_REQUEST": "true"}


def url(name, engagement, *args):
    return reverse(f"responsibilities:{name}", args=[engagement.pk, *args])


def role(engagement, key):
    return MatrixRole.objects.get(engagement=engagement, key=key)


def activity(engagement, key):
    return Activity.objects.get(engagement=engagement, key=key)


def letter(act, rl):
    found = Assignment.objects.filter(activity=act, role=rl).first()
    return found.letter if found else ""


@pytest.fixture
def viewer_client(client, engagement, owner):
    viewer = UserFactory(username="vera")
    engagement_services.member_add(engagement=engagement, actor=owner, user=viewer, role="viewer")
    client.force_login(viewer)
    return client


# Access ------------------------------------------------------------------------------------------------


def _all_urls(engagement, person):
    values = {
        "engagement_id": engagement.pk,
        "role_id": MatrixRole.objects.filter(engagement=engagement).first().pk,
        "activity_id": Activity.objects.filter(engagement=engagement).first().pk,
        "person_id": person.pk,
    }
    for pattern in urlpatterns:
        args = re.findall(r"<int:(\w+)>", str(pattern.pattern))
        yield reverse(f"responsibilities:{pattern.name}", kwargs={a: values[a] for a in args})


def test_every_page_is_404_for_an_outsider(outsider_client, owner, seeded, make_person):
    dee = make_person("Dee")
    services.role_holder_add(role=role(seeded, "service-desk"), actor=owner, person=dee)
    checked = 0
    for address in _all_urls(seeded, dee):
        get = outsider_client.get(address)
        post = outsider_client.post(address, {"expected": "", "name": "x", "person": dee.pk, "direction": "up"}, **HX)
        assert get.status_code in (404, 405), address
        assert post.status_code == 404, address
        assert "Client A" not in get.content.decode() + post.content.decode()
        checked += 1
    assert checked == len(urlpatterns) == 16
    assert Assignment.objects.filter(activity__engagement=seeded).count() == 8
    assert RoleHolder.objects.filter(person=dee).exists()


def test_anonymous_visitors_are_sent_to_sign_in(client, seeded):
    response = client.get(url("matrix", seeded))
    assert response.status_code == 302
    assert "/accounts/signin/" in response["Location"]


def test_a_viewer_reads_the_matrix_without_edit_controls(viewer_client, seeded):
    body = viewer_client.get(url("matrix", seeded)).content.decode()
    assert "Log and classify incidents" in body
    assert "You have read-only access." in body
    assert "raci-btn" not in body
    assert "hx-post" not in body
    act, rl = activity(seeded, "resolve"), role(seeded, "process-owner")
    assert viewer_client.post(url("cell", seeded, act.pk, rl.pk), {"expected": ""}, **HX).status_code == 403
    assert viewer_client.post(url("roles", seeded), {"name": "Hacker"}).status_code == 403
    assert viewer_client.post(url("template", seeded)).status_code == 403
    assert viewer_client.get(url("import", seeded)).status_code == 403
    roles_page = viewer_client.get(url("roles", seeded)).content.decode()
    assert "Add a role" not in roles_page
    assert "Rename" not in roles_page
    assert letter(act, rl) == ""


def test_objects_of_another_engagement_are_404(owner_client, owner, seeded, small_template):
    from certprep.engagements.tests.factories import EngagementFactory

    other = EngagementFactory(owner=owner, name="Other")
    services.matrix_from_template(engagement=other, actor=owner, template=small_template)
    foreign_role = role(other, "service-desk")
    foreign_activity = activity(other, "resolve")
    assert (
        owner_client.post(
            url("cell", seeded, foreign_activity.pk, role(seeded, "service-desk").pk), {"expected": "R"}
        ).status_code
        == 404
    )
    assert (
        owner_client.post(
            url("cell", seeded, activity(seeded, "resolve").pk, foreign_role.pk), {"expected": "R"}
        ).status_code
        == 404
    )
    assert owner_client.get(url("role_edit", seeded, foreign_role.pk)).status_code == 404
    assert owner_client.get(url("activity_delete", seeded, foreign_activity.pk)).status_code == 404


# The matrix page ---------------------------------------------------------------------------------------


def test_an_empty_matrix_offers_the_shipped_template(owner_client, engagement, monkeypatch, small_template):
    page = owner_client.get(url("matrix", engagement)).content.decode()
    assert "Start from the shipped template" in page
    monkeypatch.setattr(services, "shipped_template", lambda: small_template)
    body = owner_client.post(url("template", engagement), follow=True).content.decode()
    assert "3 roles, 3 activities, 8 letters" in body
    assert "Start from the shipped template" not in body
    assert "Log and classify incidents" in body
    again = owner_client.post(url("template", engagement), follow=True).content.decode()
    assert "nothing was added" in again
    assert Activity.objects.filter(engagement=engagement).count() == 3


def test_processes_show_in_lens_order_with_their_catalogue_names(owner_client, seeded, catalogue):
    body = owner_client.get(url("matrix", seeded)).content.decode()
    assert body.index("Incident management") < body.index("Change management")
    assert 'id="process-incident"' in body
    assert 'id="process-change"' in body
    assert "Processes without activities yet:" in body


def test_the_process_filter_shows_one_process(owner_client, seeded, catalogue):
    body = owner_client.get(url("matrix", seeded) + "?process=change").content.decode()
    assert 'id="process-change"' in body
    assert 'id="process-incident"' not in body
    empty = owner_client.get(url("matrix", seeded) + "?process=release").content.decode()
    assert "No activities yet." in empty
    unknown = owner_client.get(url("matrix", seeded) + "?process=knitting").content.decode()
    assert 'id="process-incident"' in unknown
    assert 'id="process-change"' in unknown


def test_headers_show_the_people_holding_each_role(owner_client, owner, seeded, make_person):
    services.role_holder_add(role=role(seeded, "service-desk"), actor=owner, person=make_person("Dee Desk"))
    body = owner_client.get(url("matrix", seeded)).content.decode()
    header = body[body.index("Service desk</span>") :]
    assert header.index("Dee Desk") < header.index("</th>")


def test_shipped_names_show_in_chinese_for_chinese_users(owner_client, owner, seeded):
    owner_client.cookies[settings.LANGUAGE_COOKIE_NAME] = "zh-hans"
    body = owner_client.get(url("matrix", seeded)).content.decode()
    assert "记录并分类事件" in body
    assert "服务台" in body
    log = activity(seeded, "log-classify")
    services.activity_update(activity=log, actor=owner, expected_version=1, name="Log incidents")
    body = owner_client.get(url("matrix", seeded)).content.decode()
    assert "记录并分类事件" not in body
    assert "Log incidents" in body


def test_cells_are_buttons_with_a_descriptive_label(owner_client, seeded, catalogue):
    body = owner_client.get(url("matrix", seeded)).content.decode()
    act, rl = activity(seeded, "log-classify"), role(seeded, "process-manager")
    button = re.search(rf'<button[^>]*id="cell-{act.pk}-{rl.pk}"[^>]*>', body).group(0)
    assert 'aria-label="Incident management: Log and classify incidents — Process manager: A"' in button
    assert 'value="A"' in button
    assert 'name="expected"' in button
    assert f'hx-post="{url("cell", seeded, act.pk, rl.pk)}"' in button


def test_one_click_cycles_a_cell_and_returns_the_cell_and_the_checks(owner_client, seeded):
    act, rl = activity(seeded, "resolve"), role(seeded, "process-owner")
    response = owner_client.post(url("cell", seeded, act.pk, rl.pk), {"expected": ""}, **HX)
    assert response.status_code == 200
    body = response.content.decode()
    assert letter(act, rl) == "R"
    assert body.lstrip().startswith('<td class="raci-cell raci-r">')
    assert f'id="activity-{act.pk}"' in body
    assert 'hx-swap-oob="true"' in body
    assert 'id="raci-violations"' in body
    for expected, following in (("R", "A"), ("A", "C"), ("C", "I"), ("I", "")):
        owner_client.post(url("cell", seeded, act.pk, rl.pk), {"expected": expected}, **HX)
        assert letter(act, rl) == following


def test_with_rasci_the_cycle_passes_through_s(owner_client, owner, seeded):
    services.matrix_update(engagement=seeded, actor=owner, expected_version=1, rasci=True)
    act, rl = activity(seeded, "resolve"), role(seeded, "process-owner")
    Assignment.objects.create(activity=act, role=rl, letter="A")
    owner_client.post(url("cell", seeded, act.pk, rl.pk), {"expected": "A"}, **HX)
    assert letter(act, rl) == "S"


def test_a_letter_can_be_chosen_directly(owner_client, seeded):
    act, rl = activity(seeded, "resolve"), role(seeded, "process-owner")
    owner_client.post(url("cell", seeded, act.pk, rl.pk), {"expected": "", "letter": "i"}, **HX)
    assert letter(act, rl) == "I"
    owner_client.post(url("cell", seeded, act.pk, rl.pk), {"expected": "I", "letter": ""}, **HX)
    assert letter(act, rl) == ""


def test_a_letter_not_in_use_is_refused_with_a_message(owner_client, seeded):
    act, rl = activity(seeded, "resolve"), role(seeded, "process-owner")
    response = owner_client.post(url("cell", seeded, act.pk, rl.pk), {"expected": "", "letter": "S"}, **HX)
    assert response.status_code == 400
    assert "is not one of R, A, C, I" in response.content.decode()
    assert letter(act, rl) == ""


def test_a_stale_cell_gets_409_with_the_current_letter_and_is_not_overwritten(owner_client, seeded):
    act, rl = activity(seeded, "resolve"), role(seeded, "process-manager")  # holds A
    response = owner_client.post(url("cell", seeded, act.pk, rl.pk), {"expected": ""}, **HX)
    assert response.status_code == 409
    body = response.content.decode()
    assert "Someone else changed this cell meanwhile: it now holds A" in body
    assert re.search(rf'id="cell-{act.pk}-{rl.pk}" name="expected" value="A"', body)
    assert 'id="raci-message"' in body
    assert letter(act, rl) == "A"


def test_fixing_a_violation_clears_the_row_highlight(owner_client, seeded):
    act, manager = activity(seeded, "resolve"), role(seeded, "process-manager")
    broken = owner_client.post(
        url("cell", seeded, act.pk, manager.pk), {"expected": "A", "letter": ""}, **HX
    ).content.decode()
    assert f'id="activity-{act.pk}" class="raci-activity has-violation"' in broken
    assert "No A" in broken
    assert f'href="#activity-{act.pk}"' in broken
    page = owner_client.get(url("matrix", seeded)).content.decode()
    assert f'id="activity-{act.pk}" class="raci-activity has-violation"' in page
    fixed = owner_client.post(
        url("cell", seeded, act.pk, manager.pk), {"expected": "", "letter": "A"}, **HX
    ).content.decode()
    assert f'id="activity-{act.pk}" class="raci-activity" hx-swap-oob="true"' in fixed
    assert f'href="#activity-{act.pk}"' not in fixed


def test_violation_links_lead_to_the_filtered_process_from_another_filter(owner_client, seeded):
    act, manager = activity(seeded, "resolve"), role(seeded, "process-manager")
    Assignment.objects.filter(activity=act, role=manager).delete()
    body = owner_client.get(url("matrix", seeded) + "?process=change").content.decode()
    assert f'href="{url("matrix", seeded)}?process=incident#activity-{act.pk}"' in body


def test_without_javascript_a_cell_post_comes_back_to_the_matrix(owner_client, seeded):
    act, rl = activity(seeded, "resolve"), role(seeded, "process-owner")
    response = owner_client.post(url("cell", seeded, act.pk, rl.pk), {"expected": "", "process": "incident"})
    assert response.status_code == 302
    assert response["Location"] == url("matrix", seeded) + f"?process=incident#activity-{act.pk}"
    assert letter(act, rl) == "R"
    stale = owner_client.post(url("cell", seeded, act.pk, rl.pk), {"expected": ""}, follow=True).content.decode()
    assert "Someone else changed this cell meanwhile" in stale
    assert letter(act, rl) == "R"


def test_a_cell_change_is_audited(owner_client, owner, seeded):
    act, rl = activity(seeded, "resolve"), role(seeded, "process-owner")
    owner_client.post(url("cell", seeded, act.pk, rl.pk), {"expected": ""}, **HX)
    entry = AuditEntry.objects.filter(object_type="responsibilities.assignment").get()
    assert entry.actor == owner
    assert entry.changes == {"letter": [None, "R"]}


def _fill(engagement, owner, *, processes, activities, roles, people):
    from certprep.people.models import Person, RoleAssignment

    linked = ["process_owner", "top_management"]  # the first columns take their holders from the people's roles
    role_objs = MatrixRole.objects.bulk_create(
        [
            MatrixRole(
                engagement=engagement, key=f"role-{n}", name=f"Role {n}", order=n, sms_role=linked[n] if n < 2 else ""
            )
            for n in range(roles)
        ]
    )
    acts = Activity.objects.bulk_create(
        [
            Activity(engagement=engagement, process_code=code, key=f"a-{n}", name=f"Activity {n}", order=n)
            for code in PROCESS_CODES[:processes]
            for n in range(activities)
        ]
    )
    Assignment.objects.bulk_create(
        [Assignment(activity=a, role=r, letter="RACI"[(a.pk + r.pk) % 4]) for a in acts for r in role_objs]
    )
    folks = Person.objects.bulk_create(
        [Person(engagement=engagement, name=f"Person {n}", email=f"p{n}@x.example") for n in range(people)]
    )
    RoleAssignment.objects.bulk_create(
        [
            RoleAssignment(person=p, role="process_owner", process_code=PROCESS_CODES[n % 13])
            for n, p in enumerate(folks)
        ]
        + [RoleAssignment(person=folks[0], role="top_management")]
    )
    RoleHolder.objects.bulk_create([RoleHolder(role=r, person=p) for r in role_objs[2:] for p in folks[:3]])


def test_the_matrix_page_query_count_does_not_grow_with_the_matrix(owner_client, owner, engagement, catalogue):
    from certprep.engagements.tests.factories import EngagementFactory

    def count(target):
        with CaptureQueriesContext(connection) as ctx:
            response = owner_client.get(url("matrix", target))
        assert response.status_code == 200
        return len(ctx.captured_queries), response

    small_engagement = engagement
    _fill(small_engagement, owner, processes=2, activities=3, roles=3, people=2)
    large_engagement = EngagementFactory(owner=owner, name="Large")
    _fill(large_engagement, owner, processes=13, activities=20, roles=10, people=15)
    Matrix.objects.create(engagement=large_engagement)
    Matrix.objects.create(engagement=small_engagement)
    small, _ = count(small_engagement)
    large, response = count(large_engagement)
    assert small == large
    assert response.content.decode().count('class="raci-btn"') == 13 * 20 * 10


def test_a_cell_save_query_count_does_not_grow_with_the_matrix(owner_client, owner, engagement):
    from certprep.engagements.tests.factories import EngagementFactory

    def count(target):
        act = Activity.objects.filter(engagement=target).first()
        rl = MatrixRole.objects.filter(engagement=target).first()
        current = letter(act, rl)
        with CaptureQueriesContext(connection) as ctx:
            response = owner_client.post(url("cell", target, act.pk, rl.pk), {"expected": current}, **HX)
        assert response.status_code == 200
        return len(ctx.captured_queries)

    _fill(engagement, owner, processes=2, activities=3, roles=3, people=2)
    large_engagement = EngagementFactory(owner=owner, name="Large")
    _fill(large_engagement, owner, processes=13, activities=20, roles=10, people=15)
    for target in (engagement, large_engagement):
        Matrix.objects.create(engagement=target)
    assert count(engagement) == count(large_engagement)


# Roles -------------------------------------------------------------------------------------------------


def test_roles_are_added_renamed_moved_and_deleted_from_the_pages(owner_client, seeded):
    response = owner_client.post(url("roles", seeded), {"name": "Change manager", "key": ""})
    assert response.status_code == 302
    added = role(seeded, "change-manager")
    assert response["Location"].endswith(f"#role-{added.pk}")

    form = owner_client.get(url("role_edit", seeded, added.pk)).content.decode()
    assert 'name="expected_version" value="1"' in form
    owner_client.post(url("role_edit", seeded, added.pk), {"name": "Change lead", "expected_version": 1})
    assert role(seeded, "change-manager").name == "Change lead"
    stale = owner_client.post(url("role_edit", seeded, added.pk), {"name": "Lost edit", "expected_version": 1})
    body = stale.content.decode()
    assert "Someone else changed this" in body
    assert 'value="Lost edit"' in body
    assert role(seeded, "change-manager").name == "Change lead"

    owner_client.post(url("role_move", seeded, added.pk), {"direction": "up"})
    keys = list(MatrixRole.objects.filter(engagement=seeded).order_by("order").values_list("key", flat=True))
    assert keys[-2:] == ["change-manager", "service-desk"]

    confirm = owner_client.get(url("role_delete", seeded, added.pk)).content.decode()
    assert "Delete the role" in confirm
    assert 'name="expected_version"' in confirm
    owner_client.post(
        url("role_delete", seeded, added.pk), {"expected_version": role(seeded, "change-manager").version}
    )
    assert not MatrixRole.objects.filter(pk=added.pk).exists()


def test_a_rejected_role_keeps_what_was_typed(owner_client, seeded):
    body = owner_client.post(url("roles", seeded), {"name": "Service Desk", "key": ""}).content.decode()
    assert "already exists" in body
    assert 'value="Service Desk"' in body


def test_deleting_a_role_changed_meanwhile_is_refused(owner_client, owner, seeded):
    desk = role(seeded, "service-desk")
    services.role_update(role=desk, actor=owner, expected_version=1, name="Help desk")
    body = owner_client.post(url("role_delete", seeded, desk.pk), {"expected_version": 1}, follow=True).content.decode()
    assert "it was not deleted" in body
    assert MatrixRole.objects.filter(pk=desk.pk).exists()


def test_people_are_assigned_to_roles_and_unassigned(owner_client, seeded, make_person):
    dee = make_person("Dee", processes=["incident"])
    desk = role(seeded, "service-desk")
    page = owner_client.get(url("roles", seeded)).content.decode()
    assert f'<option value="{dee.pk}">Dee</option>' in page
    owner_client.post(url("role_holder_add", seeded, desk.pk), {"person": dee.pk})
    assert RoleHolder.objects.filter(role=desk, person=dee).exists()
    page = owner_client.get(url("roles", seeded)).content.decode()
    assert f'id="person-{dee.pk}"' in page
    owner_client.post(url("role_holder_remove", seeded, desk.pk, dee.pk))
    assert not RoleHolder.objects.filter(role=desk, person=dee).exists()


def test_a_person_of_another_engagement_cannot_be_assigned(owner_client, owner, seeded, make_person):
    from certprep.engagements.tests.factories import EngagementFactory

    stranger = make_person("Stranger", engagement_=EngagementFactory(owner=owner, name="Else"))
    body = owner_client.post(
        url("role_holder_add", seeded, role(seeded, "service-desk").pk), {"person": stranger.pk}, follow=True
    )
    assert "Choose a person from the list." in body.content.decode()
    assert not RoleHolder.objects.exists()
    assert (
        owner_client.post(url("role_holder_remove", seeded, role(seeded, "service-desk").pk, stranger.pk)).status_code
        == 404
    )


def test_too_many_roles_are_flagged_on_the_roles_page(owner_client, owner, seeded, make_person):
    services.matrix_update(engagement=seeded, actor=owner, expected_version=1, max_roles_per_person=1)
    dee = make_person("Dee")
    for key in ("service-desk", "process-owner"):
        services.role_holder_add(role=role(seeded, key), actor=owner, person=dee)
    page = owner_client.get(url("roles", seeded)).content.decode()
    assert 'class="raci-too-many"' in page
    assert "2 roles: too many" in page
    matrix = owner_client.get(url("matrix", seeded)).content.decode()
    assert "Dee holds 2 roles" in matrix
    assert f"#person-{dee.pk}" in matrix


# Activities --------------------------------------------------------------------------------------------


def test_activities_are_managed_per_process(owner_client, seeded, catalogue):
    page = owner_client.get(url("activities", seeded) + "?process=incident").content.decode()
    assert "Log and classify incidents" in page
    assert "Approve changes" not in page
    response = owner_client.post(
        url("activities", seeded) + "?process=incident",
        {"process_code": "incident", "name": "Close incidents", "key": ""},
    )
    added = activity(seeded, "close-incidents")
    assert response["Location"].endswith(f"?process=incident#activity-{added.pk}")
    owner_client.post(url("activity_move", seeded, added.pk), {"direction": "up"})
    assert activity(seeded, "close-incidents").order == 2
    owner_client.post(
        url("activity_edit", seeded, added.pk),
        {"name": "Close and record", "expected_version": activity(seeded, "close-incidents").version},
    )
    assert activity(seeded, "close-incidents").name == "Close and record"
    assert "Delete the activity" in owner_client.get(url("activity_delete", seeded, added.pk)).content.decode()
    owner_client.post(
        url("activity_delete", seeded, added.pk), {"expected_version": activity(seeded, "close-incidents").version}
    )
    assert not Activity.objects.filter(pk=added.pk).exists()


def test_a_rejected_activity_keeps_what_was_typed(owner_client, seeded):
    body = owner_client.post(
        url("activities", seeded), {"process_code": "incident", "name": "Resolve incidents", "key": ""}
    ).content.decode()
    assert "already has an activity" in body
    assert 'value="Resolve incidents"' in body


# Settings ----------------------------------------------------------------------------------------------


def test_settings_are_saved_with_a_version_check(owner_client, seeded):
    page = owner_client.get(url("settings", seeded)).content.decode()
    assert 'name="expected_version" value="1"' in page
    assert "Adds S (Supportive)" in page
    owner_client.post(url("settings", seeded), {"rasci": "on", "max_roles_per_person": 3, "expected_version": 1})
    matrix = Matrix.objects.get(engagement=seeded)
    assert (matrix.rasci, matrix.max_roles_per_person, matrix.version) == (True, 3, 2)
    stale = owner_client.post(
        url("settings", seeded), {"max_roles_per_person": 9, "expected_version": 1}
    ).content.decode()
    assert "Someone else changed this" in stale
    assert Matrix.objects.get(engagement=seeded).max_roles_per_person == 3
    bad = owner_client.post(
        url("settings", seeded), {"max_roles_per_person": 0, "expected_version": 2}
    ).content.decode()
    assert "greater than or equal to 1" in bad


def test_a_viewer_reads_the_settings(viewer_client, seeded):
    body = viewer_client.get(url("settings", seeded)).content.decode()
    assert "off: plain RACI" in body
    assert '<form method="post" class="card' not in body
    assert (
        viewer_client.post(url("settings", seeded), {"max_roles_per_person": 9, "expected_version": 1}).status_code
        == 403
    )


def test_role_and_activity_names_with_markup_are_escaped_in_the_cells(client, engagement, owner):
    from certprep.responsibilities.services import activity_create, role_create

    role = role_create(engagement=engagement, actor=owner, name='<img src=x onerror="alert(1)">')
    activity = activity_create(
        engagement=engagement, actor=owner, process_code="incident", name="<script>boom()</script>"
    )
    client.force_login(owner)
    body = client.get(f"/e/{engagement.pk}/responsibilities/?process=incident").content.decode()
    assert f'id="cell-{activity.pk}-{role.pk}"' in body
    assert "<script>boom()" not in body
    assert "<img src=x" not in body
    assert "&lt;script&gt;boom()&lt;/script&gt;" in body


# Columns of SMS roles show the people holding them for each process ---------------------------------------


def test_the_matrix_shows_named_holders_per_process_and_flags_owners_and_accountable_people(
    owner_client, owner, engagement, make_person
):
    services.matrix_from_template(engagement=engagement, actor=owner)
    make_person("Gao Bo", pairs=[("process_owner", "change"), ("process_manager", "change")])
    make_person("Liu Yang", pairs=[("process_owner", "incident"), ("process_owner", "release")])
    for name in ("Ann", "Ben", "Cy", "Di"):
        make_person(name, pairs=[("process_owner", "problem")])
    make_person("Zhou Anna", pairs=[("sms_manager", "")])
    body = owner_client.get(url("matrix", engagement)).content.decode()
    change = body.split('id="process-change"')[1].split("</thead>")[0]
    assert "<bdi>Gao Bo</bdi>" in change
    assert "<bdi>Liu Yang</bdi>" not in change
    assert "<bdi>Zhou Anna</bdi>" in change
    incident = body.split('id="process-incident"')[1].split("</thead>")[0]
    assert "<bdi>Liu Yang</bdi>" in incident
    assert "<bdi>Gao Bo</bdi>" not in incident
    assert "Problem management has 4 process owners (Ann, Ben, Cy, Di)" in body
    assert "4 people hold Process owner, the Accountable role (Ann, Ben, Cy, Di)" in body
    assert "Service level management has no process owner" in body
    roles_page = owner_client.get(url("roles", engagement)).content.decode()
    assert "Change management: <bdi>Gao Bo</bdi>" in roles_page
    assert "roles per process" in roles_page


def test_a_holder_cannot_be_added_by_hand_to_a_column_of_an_sms_role(owner_client, owner, engagement, make_person):
    services.matrix_from_template(engagement=engagement, actor=owner)
    ann = make_person("Ann")
    owners = role(engagement, "process-owner")
    response = owner_client.post(url("role_holder_add", engagement, owners.pk), {"person": ann.pk}, follow=True)
    assert "held through the people" in response.content.decode()
    assert not RoleHolder.objects.exists()
    desk = role(engagement, "service-desk")
    page = owner_client.get(url("roles", engagement)).content.decode()
    assert (
        f'<select name="person" id="holder-{desk.pk}" required><option value="" selected>Choose a person</option>'
        in page
    )


def test_the_settings_page_says_what_at_most_means(owner_client, engagement):
    body = owner_client.get(url("settings", engagement)).content.decode()
    assert "At most this many roles per person" in body
    assert "once per process it is held for" in body
    assert "one more is flagged" in body
