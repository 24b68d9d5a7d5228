from __future__ import annotations

from pathlib import Path

import pytest

from certprep.people.models import Person
from certprep.people.rules import cross
from certprep.people.services import roles_replace
from certprep.responsibilities.library import load_template

FIXTURES = Path(__file__).resolve().parent / "fixtures"


@pytest.fixture
def small_template():
    """Three roles; incident (2 activities) and change (1 activity)."""
    return load_template(FIXTURES / "raci-small.yaml")


@pytest.fixture
def make_person(engagement):
    def make(name, *, email="", sms_roles=(), processes=(), pairs=(), engagement_=None):
        person = Person.objects.create(engagement=engagement_ or engagement, name=name, email=email)
        roles_replace(person=person, pairs=list(dict.fromkeys([*pairs, *cross(sms_roles, processes)])))
        return person

    return make


@pytest.fixture
def seeded(engagement, owner, small_template):
    """The engagement with the small template copied in."""
    from certprep.responsibilities.services import matrix_from_template

    matrix_from_template(engagement=engagement, actor=owner, template=small_template)
    return engagement
