"""Moving Person to the people app keeps every person, and the old lists of roles and processes become roles
held for processes (each process role once for each process, as the lists meant)."""

from __future__ import annotations

import pytest
from django.core.management import call_command
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

BEFORE = [("people", "0001_person_from_survey"), ("responsibilities", "0002_person_in_people")]


def _apps(targets):
    executor = MigrationExecutor(connection)
    executor.migrate(targets)
    executor.loader.build_graph()
    return executor.loader.project_state(targets).apps


@pytest.mark.django_db(transaction=True)
def test_migrating_keeps_the_people_and_records_their_roles_for_processes():
    old = _apps(BEFORE)
    Engagement = old.get_model("engagements", "Engagement")
    Person = old.get_model("people", "Person")
    MatrixRole = old.get_model("responsibilities", "MatrixRole")
    RoleHolder = old.get_model("responsibilities", "RoleHolder")
    engagement = Engagement.objects.create(name="Client", organization_name="Org")
    ann = Person.objects.create(
        engagement=engagement, name="Ann", sms_roles=["process_owner", "sms_manager"], processes=["change", "capacity"]
    )
    bob = Person.objects.create(engagement=engagement, name="Bob", sms_roles=["process_executor"], processes=[])
    cai = Person.objects.create(engagement=engagement, name="Cai", sms_roles=[], processes=["incident"])
    owners = MatrixRole.objects.create(engagement=engagement, key="process-owner", name="Process owner")
    desk = MatrixRole.objects.create(engagement=engagement, key="service-desk", name="Service desk")
    RoleHolder.objects.create(role=owners, person=ann)
    RoleHolder.objects.create(role=owners, person=cai)
    RoleHolder.objects.create(role=desk, person=bob)

    call_command("migrate", verbosity=0)

    from certprep.people.models import Person as NewPerson
    from certprep.people.models import RoleAssignment
    from certprep.responsibilities.models import MatrixRole as NewMatrixRole
    from certprep.responsibilities.models import RoleHolder as NewRoleHolder

    assert sorted(NewPerson.objects.values_list("pk", "name")) == sorted(
        [(ann.pk, "Ann"), (bob.pk, "Bob"), (cai.pk, "Cai")]
    )

    def pairs(person):
        return sorted(RoleAssignment.objects.filter(person_id=person.pk).values_list("role", "process_code"))

    assert pairs(ann) == [("process_owner", "capacity"), ("process_owner", "change"), ("sms_manager", "")]
    assert pairs(bob) == [("process_executor", "")]  # kept, flagged until a process is chosen
    assert pairs(cai) == [("process_owner", "")]  # held the matrix's process-owner column
    assert NewMatrixRole.objects.get(pk=owners.pk).sms_role == "process_owner"
    assert NewMatrixRole.objects.get(pk=desk.pk).sms_role == ""
    assert list(NewRoleHolder.objects.values_list("role_id", "person_id")) == [(desk.pk, bob.pk)]


@pytest.mark.django_db
def test_the_models_and_the_migrations_agree():
    call_command("makemigrations", "people", "survey", "responsibilities", check=True, dry_run=True, verbosity=0)
