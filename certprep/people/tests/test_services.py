"""Writes for the people of the organization: validation, versioned edits, deletion and the audit trail."""

from __future__ import annotations

import pytest

from certprep.catalogue.selectors import lens_processes
from certprep.core.errors import ConflictError, ServiceError
from certprep.core.models import AuditEntry
from certprep.people.models import Person
from certprep.people.rules import pair_warnings
from certprep.people.selectors import pairs_of
from certprep.people.services import person_create, person_delete, person_update

pytestmark = pytest.mark.django_db


def add(engagement, owner, **values):
    return person_create(engagement=engagement, actor=owner, **{"name": "Ann Lee", **values})


def test_a_person_is_created_cleaned_and_audited(engagement, owner):
    person = add(
        engagement,
        owner,
        department=" IT  Operations ",
        email="ann@client-a.example",
        roles=[("process_owner", "change"), ("sms_manager", ""), ("process_coordinator", "incident")],
    )
    assert person.department == "IT Operations"
    assert pairs_of(person) == [("sms_manager", ""), ("process_coordinator", "incident"), ("process_owner", "change")]
    entry = AuditEntry.objects.get(object_type="people.person", action="create")
    assert entry.changes["name"] == [None, "Ann Lee"]
    assert entry.engagement == engagement
    assert entry.changes["roles"] == [None, "SMS manager; Incident management: coordinator; Change management: owner"]


def test_it_requires_a_name(engagement, owner):
    with pytest.raises(ServiceError, match="needs a name") as caught:
        add(engagement, owner, name="   ")
    assert caught.value.field == "name"
    assert not Person.objects.exists()


def test_it_rejects_an_invalid_e_mail(engagement, owner):
    with pytest.raises(ServiceError, match='"ann@" is not a valid e-mail address') as caught:
        add(engagement, owner, email="ann@")
    assert caught.value.field == "email"


def test_it_rejects_an_e_mail_already_used_in_the_engagement_naming_the_other_person(engagement, owner):
    add(engagement, owner, name="Bob Chen", email="bob@client-a.example")
    with pytest.raises(ServiceError, match="already used by Bob Chen") as caught:
        add(engagement, owner, email="BOB@client-a.example")
    assert caught.value.field == "email"
    assert Person.objects.count() == 1


def test_the_same_e_mail_may_be_used_in_another_engagement(engagement, owner, outsider):
    add(engagement, owner, email="bob@example.com")
    other = outsider.memberships.get().engagement
    assert add(other, outsider, email="bob@example.com").engagement == other


def test_people_without_e_mail_are_not_duplicates(engagement, owner):
    add(engagement, owner)
    add(engagement, owner, name="Bob")
    assert Person.objects.count() == 2


def test_it_rejects_an_unknown_role(engagement, owner):
    with pytest.raises(ServiceError, match='"boss" is not a role') as caught:
        add(engagement, owner, roles=[("boss", "")])
    assert caught.value.field == "roles"


def test_it_rejects_an_unknown_process_without_the_catalogue(engagement, owner):
    with pytest.raises(ServiceError, match='"coffee" is not one of the processes') as caught:
        add(engagement, owner, roles=[("process_owner", "coffee")])
    assert caught.value.field == "roles"


def test_an_sms_wide_role_is_not_held_for_a_process(engagement, owner):
    with pytest.raises(ServiceError, match="not held for a process"):
        add(engagement, owner, roles=[("top_management", "change")])


def test_processes_are_checked_against_the_lens(engagement, owner):
    assert [option.code for option in lens_processes()][:2] == ["service-level", "service-reporting"]
    assert len(lens_processes()) == 13
    assert pairs_of(add(engagement, owner, roles=[("process_owner", "release")])) == [("process_owner", "release")]
    with pytest.raises(ServiceError):
        add(engagement, owner, name="Bob", roles=[("process_owner", "service-delivery")])  # a group, not a process


def test_a_process_role_without_a_process_is_saved_with_a_warning(engagement, owner):
    person = add(engagement, owner, roles=[("process_coordinator", "")])
    assert person.pk
    assert pair_warnings(pairs_of(person))


def test_an_update_changes_the_given_fields_bumps_the_version_and_audits_the_difference(engagement, owner):
    person = add(engagement, owner, email="ann@client-a.example", job_title="Engineer")
    person_update(
        person=person,
        actor=owner,
        expected_version=1,
        data={"job_title": "Lead engineer", "roles": [("process_owner", "problem")]},
    )
    person.refresh_from_db()
    assert person.version == 2
    assert person.job_title == "Lead engineer"
    assert person.email == "ann@client-a.example"
    entry = AuditEntry.objects.get(object_type="people.person", action="update")
    assert entry.changes == {"job_title": ["Engineer", "Lead engineer"], "roles": ["", "Problem management: owner"]}


def test_a_stale_update_is_refused_with_a_conflict_and_keeps_the_other_save(engagement, owner):
    person = add(engagement, owner)
    stale = Person.objects.get(pk=person.pk)
    person_update(person=person, actor=owner, expected_version=1, data={"department": "Theirs"})
    with pytest.raises(ConflictError, match="Someone else changed this"):
        person_update(person=stale, actor=owner, expected_version=1, data={"department": "Mine"})
    person.refresh_from_db()
    assert person.department == "Theirs"
    assert person.version == 2


def test_an_update_may_keep_its_own_e_mail_but_not_take_another(engagement, owner):
    add(engagement, owner, name="Bob", email="bob@client-a.example")
    ann = add(engagement, owner, email="ann@client-a.example")
    person_update(person=ann, actor=owner, expected_version=1, data={"email": "ANN@client-a.example"})
    with pytest.raises(ServiceError, match="already used by Bob"):
        person_update(person=ann, actor=owner, expected_version=2, data={"email": "bob@client-a.example"})


def test_an_update_validates_like_a_creation(engagement, owner):
    person = add(engagement, owner)
    for data in ({"name": ""}, {"email": "x@"}, {"roles": [("boss", "")]}, {"roles": [("process_owner", "coffee")]}):
        with pytest.raises(ServiceError):
            person_update(person=person, actor=owner, expected_version=1, data=data)
    person.refresh_from_db()
    assert person.version == 1
    assert person.name == "Ann Lee"


def test_a_person_is_deleted_and_the_deletion_audited(engagement, owner):
    person = add(engagement, owner)
    pk = person.pk
    person_delete(person=person, actor=owner)
    assert not Person.objects.filter(pk=pk).exists()
    entry = AuditEntry.objects.get(object_type="people.person", action="delete")
    assert entry.object_id == str(pk)
    assert entry.changes["name"] == ["Ann Lee", None]
