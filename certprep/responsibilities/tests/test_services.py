from __future__ import annotations

import pytest

from certprep.core.errors import ConflictError, ServiceError
from certprep.core.models import AuditEntry
from certprep.engagements.tests.factories import EngagementFactory
from certprep.responsibilities import library, services
from certprep.responsibilities.models import Activity, Assignment, Matrix, MatrixRole, RoleHolder

pytestmark = pytest.mark.django_db


def letters(engagement):
    return {
        (a.activity.process_code, a.activity.key, a.role.key): a.letter
        for a in Assignment.objects.filter(activity__engagement=engagement).select_related("activity", "role")
    }


def role(engagement, key):
    return MatrixRole.objects.get(engagement=engagement, key=key)


def activity(engagement, key):
    return Activity.objects.get(engagement=engagement, key=key)


# The shipped template ----------------------------------------------------------------------------------


def test_the_template_is_copied_with_roles_activities_letters_and_translations(engagement, owner, small_template):
    added = services.matrix_from_template(engagement=engagement, actor=owner, template=small_template)
    assert added == {"roles": 3, "activities": 3, "letters": 8}
    assert list(MatrixRole.objects.filter(engagement=engagement).values_list("key", flat=True)) == [
        "process-owner",
        "process-manager",
        "service-desk",
    ]
    assert letters(engagement)[("incident", "resolve", "process-manager")] == "A"
    log = activity(engagement, "log-classify")
    assert log.translations == {"zh-hans": {"name": "记录并分类事件"}}
    assert [
        a.key for a in Activity.objects.filter(engagement=engagement, process_code="incident").order_by("order")
    ] == ["log-classify", "resolve"]
    matrix = Matrix.objects.get(engagement=engagement)
    assert matrix.template_version == 3
    assert matrix.rasci is False
    entry = AuditEntry.objects.filter(engagement=engagement, object_type="responsibilities.matrix").get()
    assert entry.changes["activities"] == [None, 3]


def test_copying_the_template_twice_adds_nothing_the_second_time(engagement, owner, small_template):
    services.matrix_from_template(engagement=engagement, actor=owner, template=small_template)
    audits = AuditEntry.objects.count()
    assert services.matrix_from_template(engagement=engagement, actor=owner, template=small_template) == {
        "roles": 0,
        "activities": 0,
        "letters": 0,
    }
    assert MatrixRole.objects.filter(engagement=engagement).count() == 3
    assert Activity.objects.filter(engagement=engagement).count() == 3
    assert Assignment.objects.filter(activity__engagement=engagement).count() == 8
    assert AuditEntry.objects.count() == audits


def test_a_second_copy_keeps_the_engagements_own_changes(seeded, owner, small_template):
    manager = role(seeded, "process-manager")
    services.role_update(role=manager, actor=owner, expected_version=manager.version, name="Incident lead")
    services.cell_set(activity=activity(seeded, "resolve"), role=manager, letter="", expected="A", actor=owner)
    services.activity_delete(activity=activity(seeded, "approve"), actor=owner)
    added = services.matrix_from_template(engagement=seeded, actor=owner, template=small_template)
    assert added == {"roles": 0, "activities": 1, "letters": 3}  # the deleted activity comes back, nothing else
    assert role(seeded, "process-manager").name == "Incident lead"
    assert ("incident", "resolve", "process-manager") not in letters(seeded)


def test_a_template_using_s_turns_rasci_on(engagement, owner):
    template = library.parse_template(
        {
            "format": "certprep.raci/1",
            "roles": [{"key": "a", "name": "A"}, {"key": "b", "name": "B"}],
            "processes": {"problem": [{"key": "x", "name": "X", "raci": {"a": "A", "b": "S"}}]},
        }
    )
    services.matrix_from_template(engagement=engagement, actor=owner, template=template)
    assert Matrix.objects.get(engagement=engagement).rasci is True


def test_the_shipped_template_can_be_copied(engagement, owner):
    added = services.matrix_from_template(engagement=engagement, actor=owner)
    assert added["roles"] >= 3
    assert added["activities"] > 13
    assert services.matrix_from_template(engagement=engagement, actor=owner) == {
        "roles": 0,
        "activities": 0,
        "letters": 0,
    }


def test_a_missing_shipped_template_is_a_clear_error(engagement, owner, monkeypatch, tmp_path):
    monkeypatch.setattr(library, "TEMPLATE_PATH", tmp_path / "raci-template.yaml")
    with pytest.raises(
        ServiceError, match="The shipped template cannot be used: raci-template.yaml: the file is missing"
    ):
        services.matrix_from_template(engagement=engagement, actor=owner)


# Cells -------------------------------------------------------------------------------------------------


def test_a_cell_is_created_changed_and_emptied_with_an_audit_entry_each(seeded, owner):
    act, desk = activity(seeded, "resolve"), role(seeded, "process-owner")
    assert services.cell_set(activity=act, role=desk, letter="c", expected="", actor=owner) == "C"
    assert services.cell_set(activity=act, role=desk, letter="I", expected="C", actor=owner) == "I"
    assert services.cell_set(activity=act, role=desk, letter="", expected="i", actor=owner) == ""
    assert not Assignment.objects.filter(activity=act, role=desk).exists()
    entries = AuditEntry.objects.filter(object_type="responsibilities.assignment").order_by("id")
    assert [(e.action, e.changes["letter"]) for e in entries] == [
        ("create", [None, "C"]),
        ("update", ["C", "I"]),
        ("delete", ["I", None]),
    ]


def test_a_cell_changed_meanwhile_is_refused_with_the_stored_letter(seeded, owner):
    act, manager = activity(seeded, "resolve"), role(seeded, "process-manager")
    with pytest.raises(ConflictError) as caught:
        services.cell_set(activity=act, role=manager, letter="R", expected="", actor=owner)
    assert caught.value.current == "A"
    assert "it now holds A" in caught.value.message
    assert Assignment.objects.get(activity=act, role=manager).letter == "A"


def test_s_is_refused_while_rasci_is_off_and_accepted_when_on(seeded, owner):
    act, owner_role = activity(seeded, "resolve"), role(seeded, "process-owner")
    with pytest.raises(ServiceError, match='"S" is not one of R, A, C, I'):
        services.cell_set(activity=act, role=owner_role, letter="S", expected="", actor=owner)
    services.matrix_update(engagement=seeded, actor=owner, expected_version=1, rasci=True)
    assert services.cell_set(activity=act, role=owner_role, letter="S", expected="", actor=owner) == "S"


def test_an_unknown_letter_is_refused(seeded, owner):
    with pytest.raises(ServiceError):
        services.cell_set(
            activity=activity(seeded, "resolve"),
            role=role(seeded, "process-owner"),
            letter="X",
            expected="",
            actor=owner,
        )


def test_a_cell_cannot_mix_engagements(seeded, owner, small_template):
    other = EngagementFactory(owner=owner)
    services.matrix_from_template(engagement=other, actor=owner, template=small_template)
    with pytest.raises(ServiceError):
        services.cell_set(
            activity=activity(seeded, "resolve"),
            role=role(other, "process-owner"),
            letter="I",
            expected="",
            actor=owner,
        )


# Settings ----------------------------------------------------------------------------------------------


def test_settings_are_versioned_and_audited(engagement, owner):
    matrix = services.matrix_update(engagement=engagement, actor=owner, expected_version=1, max_roles_per_person=6)
    assert matrix.version == 2
    assert matrix.max_roles_per_person == 6
    with pytest.raises(ConflictError):
        services.matrix_update(engagement=engagement, actor=owner, expected_version=1, rasci=True)
    entry = AuditEntry.objects.filter(object_type="responsibilities.matrix").get()
    assert entry.changes == {"max_roles_per_person": [4, 6]}


@pytest.mark.parametrize("value", [0, 51])
def test_the_most_roles_per_person_stays_between_1_and_50(engagement, owner, value):
    with pytest.raises(ServiceError, match="between 1 and 50"):
        services.matrix_update(engagement=engagement, actor=owner, expected_version=1, max_roles_per_person=value)


def test_rasci_cannot_be_turned_off_while_cells_hold_s(seeded, owner):
    services.matrix_update(engagement=seeded, actor=owner, expected_version=1, rasci=True)
    services.cell_set(
        activity=activity(seeded, "resolve"), role=role(seeded, "process-owner"), letter="S", expected="", actor=owner
    )
    with pytest.raises(ServiceError, match="1 cells hold S"):
        services.matrix_update(engagement=seeded, actor=owner, expected_version=2, rasci=False)
    assert Matrix.objects.get(engagement=seeded).rasci is True


# Roles and holders -------------------------------------------------------------------------------------


def test_a_new_role_gets_a_key_from_its_name_and_goes_last(seeded, owner):
    created = services.role_create(engagement=seeded, actor=owner, name="  Change Advisory Board ")
    assert (created.key, created.name) == ("change-advisory-board", "Change Advisory Board")
    assert created.order == max(MatrixRole.objects.filter(engagement=seeded).values_list("order", flat=True))
    again = services.role_create(engagement=seeded, actor=owner, name="Change advisory board!", key="")
    assert again.key == "change-advisory-board-2"  # the names differ, their keys would not


def test_a_duplicate_role_name_or_key_is_refused(seeded, owner):
    with pytest.raises(ServiceError, match="already exists"):
        services.role_create(engagement=seeded, actor=owner, name="process OWNER")
    with pytest.raises(ServiceError, match="already used"):
        services.role_create(engagement=seeded, actor=owner, name="Lead", key="service-desk")
    with pytest.raises(ServiceError, match="key is up to 80"):
        services.role_create(engagement=seeded, actor=owner, name="Lead", key="Not A Key")
    with pytest.raises(ServiceError, match="Enter a name"):
        services.role_create(engagement=seeded, actor=owner, name="   ")


def test_a_chinese_role_name_gets_a_generic_key(engagement, owner):
    assert services.role_create(engagement=engagement, actor=owner, name="变更经理").key == "role"


def test_renaming_a_role_drops_its_translations_and_a_stale_rename_is_refused(seeded, owner):
    manager = role(seeded, "process-manager")
    assert manager.translations
    services.role_update(role=manager, actor=owner, expected_version=1, name="Incident lead")
    stored = role(seeded, "process-manager")
    assert (stored.name, stored.translations, stored.version) == ("Incident lead", {}, 2)
    with pytest.raises(ConflictError):
        services.role_update(role=role(seeded, "process-manager"), actor=owner, expected_version=1, name="Other")
    assert role(seeded, "process-manager").name == "Incident lead"
    entry = AuditEntry.objects.filter(object_type="responsibilities.matrixrole", action="update").get()
    assert entry.changes == {"name": ["Process manager", "Incident lead"]}


def test_keeping_the_same_name_keeps_the_translations(seeded, owner):
    manager = role(seeded, "process-manager")
    services.role_update(role=manager, actor=owner, expected_version=1, name="Process manager")
    assert role(seeded, "process-manager").translations


def test_roles_move_up_and_down(seeded, owner):
    desk = role(seeded, "service-desk")
    services.role_move(role=desk, actor=owner, direction="up")
    services.role_move(role=desk, actor=owner, direction="up")
    services.role_move(role=desk, actor=owner, direction="up")  # already first: nothing changes
    keys = list(MatrixRole.objects.filter(engagement=seeded).order_by("order").values_list("key", flat=True))
    assert keys == ["service-desk", "process-owner", "process-manager"]
    with pytest.raises(ServiceError):
        services.role_move(role=desk, actor=owner, direction="sideways")


def test_deleting_a_role_removes_its_letters_and_holders_and_is_audited(seeded, owner, make_person):
    desk = role(seeded, "service-desk")
    services.role_holder_add(role=desk, actor=owner, person=make_person("Dee"))
    with pytest.raises(ConflictError):
        services.role_delete(role=desk, actor=owner, expected_version=7)
    services.role_delete(role=desk, actor=owner, expected_version=desk.version)
    assert not MatrixRole.objects.filter(pk=desk.pk).exists()
    assert not RoleHolder.objects.exists()
    assert ("incident", "resolve", "service-desk") not in letters(seeded)
    entry = AuditEntry.objects.filter(object_type="responsibilities.matrixrole", action="delete").get()
    assert entry.changes["letters"] == [3, None]
    assert entry.changes["holders"] == [["Dee"], None]


def test_role_holders_are_people_of_the_same_engagement(seeded, owner, make_person):
    desk = role(seeded, "service-desk")
    dee = make_person("Dee")
    services.role_holder_add(role=desk, actor=owner, person=dee)
    with pytest.raises(ServiceError, match="already holds"):
        services.role_holder_add(role=desk, actor=owner, person=dee)
    stranger = make_person("Stranger", engagement_=EngagementFactory(owner=owner))
    with pytest.raises(ServiceError, match="not part of this engagement"):
        services.role_holder_add(role=desk, actor=owner, person=stranger)
    services.role_holder_remove(role=desk, actor=owner, person=dee)
    with pytest.raises(ServiceError, match="does not hold"):
        services.role_holder_remove(role=desk, actor=owner, person=dee)
    actions = list(
        AuditEntry.objects.filter(object_type="responsibilities.roleholder").values_list("action", flat=True)
    )
    assert sorted(actions) == ["create", "delete"]


# Activities --------------------------------------------------------------------------------------------


def test_an_activity_is_added_at_the_end_of_its_process(seeded, owner):
    added = services.activity_create(engagement=seeded, actor=owner, process_code="incident", name="Close incidents")
    assert (added.key, added.order) == ("close-incidents", 3)
    with pytest.raises(ServiceError, match="not one of the 13 processes"):
        services.activity_create(engagement=seeded, actor=owner, process_code="knitting", name="Knit")
    with pytest.raises(ServiceError, match="already has an activity"):
        services.activity_create(engagement=seeded, actor=owner, process_code="incident", name="close incidents")
    with pytest.raises(ServiceError, match="must be one line of text"):
        services.activity_create(engagement=seeded, actor=owner, process_code="incident", name="Bad\x07name")
    # the same name is fine in another process
    services.activity_create(engagement=seeded, actor=owner, process_code="problem", name="Close incidents")


def test_renaming_an_activity_drops_its_translations(seeded, owner):
    log = activity(seeded, "log-classify")
    services.activity_update(activity=log, actor=owner, expected_version=1, name="Log incidents")
    stored = activity(seeded, "log-classify")
    assert (stored.name, stored.translations) == ("Log incidents", {})
    with pytest.raises(ConflictError):
        services.activity_update(activity=activity(seeded, "log-classify"), actor=owner, expected_version=1, name="x")


def test_activities_move_within_their_process(seeded, owner):
    services.activity_move(activity=activity(seeded, "resolve"), actor=owner, direction="up")
    keys = list(
        Activity.objects.filter(engagement=seeded, process_code="incident")
        .order_by("order")
        .values_list("key", flat=True)
    )
    assert keys == ["resolve", "log-classify"]
    assert activity(seeded, "approve").order == 1  # another process is untouched


def test_deleting_an_activity_removes_its_letters_and_is_audited(seeded, owner):
    resolve = activity(seeded, "resolve")
    services.activity_delete(activity=resolve, actor=owner, expected_version=1)
    assert not Assignment.objects.filter(activity_id=resolve.pk).exists()
    entry = AuditEntry.objects.filter(object_type="responsibilities.activity", action="delete").get()
    assert entry.changes["letters"] == [{"process-manager": "A", "service-desk": "R"}, None]
