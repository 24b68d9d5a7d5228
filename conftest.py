"""Shared personas for every test: an engagement owner, an outsider with an engagement of their own,
and helpers to sign them in (pages) or get a token (API)."""

from __future__ import annotations

import pytest
from django.core.management import call_command

from certprep.engagements.tests.factories import EngagementFactory, UserFactory


@pytest.fixture
def owner(db):
    return UserFactory(username="olivia", email="olivia@client-a.example")


@pytest.fixture
def engagement(owner):
    return EngagementFactory(owner=owner, name="Client A preparation", organization_name="Client A Ltd")


@pytest.fixture
def outsider(db):
    """A member of another engagement only: must never see anything of `engagement`."""
    user = UserFactory(username="oscar", email="oscar@client-b.example")
    EngagementFactory(owner=user, name="Client B preparation", organization_name="Client B Ltd")
    return user


@pytest.fixture
def owner_client(client, owner):
    client.force_login(owner)
    return client


@pytest.fixture
def outsider_client(client, outsider):
    client.force_login(outsider)
    return client


@pytest.fixture
def api_token():
    from certprep.accounts.services import token_issue

    def make(user):
        return token_issue(user=user)[0]

    return make


@pytest.fixture
def catalogue(db):
    """The shipped ISO/IEC 20000-1:2018 catalogue and 13-process lens, loaded as `make run` loads them."""
    call_command("load_catalogue", verbosity=0)
    from certprep.catalogue.models import Framework

    return Framework.objects.get(urn="urn:certprep:framework:iso-iec-20000-1-2018")


@pytest.fixture(autouse=True)
def _english_unless_told():
    """Every test starts in the default language, whatever an earlier test activated in this thread."""
    from django.utils import translation

    with translation.override("en"):
        yield
