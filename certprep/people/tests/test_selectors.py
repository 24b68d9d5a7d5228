"""Reads of the people's roles that other parts use: the owner of a process, and the improvement topics that
start with it."""

from __future__ import annotations

import pytest

from certprep.gaps.services import topics as topic_services
from certprep.gaps.tests.factories import assessment, rate
from certprep.people.selectors import people_for_process, process_owner
from certprep.people.tests.factories import person

pytestmark = pytest.mark.django_db


def test_the_owner_of_a_process_is_the_one_person_owning_it(engagement):
    gao = person(engagement, "Gao Bo", pairs=[("process_owner", "change"), ("process_manager", "incident")])
    person(engagement, "Wu Qiang", pairs=[("process_owner", "problem")])
    person(engagement, "Feng Lei", pairs=[("process_owner", "problem"), ("process_coordinator", "incident")])
    assert process_owner(engagement, "change") == gao
    assert process_owner(engagement, "incident") is None, "a manager is not the owner"
    assert process_owner(engagement, "problem") is None, "two owners: nobody is the owner"
    assert [p.name for p in people_for_process(engagement, "incident")] == ["Feng Lei", "Gao Bo"]


def test_improvement_topics_of_a_process_start_with_its_owner(engagement, owner, catalogue):
    gao = person(engagement, "Gao Bo", pairs=[("process_owner", "change")])
    person(engagement, "Liu Yang", pairs=[("process_owner", "incident")])
    person(engagement, "Xu Lan", pairs=[("process_owner", "incident")])
    baseline = assessment(engagement, owner)
    rate(owner, baseline, "8.5.1.1", level=0)
    rate(owner, baseline, "8.6.1", level=1)
    made = {
        t.group_key: t for t in topic_services.topics_generate(assessment=baseline, actor=owner, grouping="process")
    }
    assert made["change"].owner == gao
    assert made["incident"].owner is None, "two owners of incident management: the owner is left to choose"
