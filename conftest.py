"""Shared personas for every test: an engagement owner, an outsider with an engagement of their own,
and helpers to sign them in (pages) or get a token (API).

The test database holds the shipped catalogue from the start, as `make run` leaves it: it is loaded once per
run, each test's transaction rolls back whatever the test changes in it, and after a transactional test
(browser journeys, parallel saves), which empties the database when it ends, it is loaded again. A test
about an empty catalogue asks for `no_catalogue`.

Every test that touches the database is marked `database`, so the PostgreSQL run selects exactly those
(`-m "database and not fuzz"`): pure rules and parsers need no second database."""

from __future__ import annotations

from pathlib import Path
from typing import Any

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
def media(settings, tmp_path) -> Path:
    """The file store in a folder of this test's own (MEDIA_ROOT), which the code under test, a live server's thread
    and an in-process worker write and delete in."""
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def api_token():
    from certprep.accounts.services import token_issue

    def make(user):
        return token_issue(user=user)[0]

    return make


# --- the catalogue, loaded once ----------------------------------------------------------------------

ISO_20000 = "urn:certprep:framework:iso-iec-20000-1-2018"
# The database blocker once the test database exists, and whether a transactional test has emptied it since.
_database: dict[str, Any] = {"blocker": None, "emptied": False}


def _transactional(item: pytest.Item) -> bool:
    """Whether the test commits for real (and so leaves an empty database behind), as pytest-django decides."""
    marker = item.get_closest_marker("django_db")
    fixtures = getattr(item, "fixturenames", ())
    by_marker = marker is not None and bool(
        marker.kwargs.get("transaction", marker.args[0] if marker.args else False)
        or marker.kwargs.get("reset_sequences")
    )
    return by_marker or "transactional_db" in fixtures or "live_server" in fixtures


def _uses_database(item: pytest.Item) -> bool:
    fixtures = getattr(item, "fixturenames", ())
    return item.get_closest_marker("django_db") is not None or any(
        name in fixtures for name in ("db", "transactional_db", "live_server", "django_db_setup")
    )


def _load_catalogue() -> None:
    with _database["blocker"].unblock():
        call_command("load_catalogue", verbosity=0)


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker) -> None:
    """pytest-django's test database, with the shipped catalogue loaded once for the whole run."""
    _database["blocker"] = django_db_blocker
    _load_catalogue()


def pytest_runtest_teardown(item: pytest.Item, nextitem: pytest.Item | None) -> None:
    """A transactional test empties the database when it ends (its fixtures' teardown flushes every table)."""
    if _database["blocker"] is not None and _transactional(item):
        _database["emptied"] = True


@pytest.hookimpl(tryfirst=True)
def pytest_runtest_setup(item: pytest.Item) -> None:
    """Before the next test that touches the database sets up its fixtures, put the catalogue back."""
    if _database["emptied"] and _uses_database(item):
        _load_catalogue()
        _database["emptied"] = False


@pytest.hookimpl(tryfirst=True)
def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Mark the tests that touch the database, before `-m` selects."""
    for item in items:
        if _uses_database(item):
            item.add_marker(pytest.mark.database)


@pytest.fixture
def catalogue(db):
    """The shipped ISO/IEC 20000-1:2018 catalogue and 13-process lens, loaded as `make run` loads them."""
    from certprep.catalogue.models import Framework

    return Framework.objects.get(urn=ISO_20000)


@pytest.fixture
def no_catalogue(db) -> None:
    """No framework and no lens, and no record of loading them, as on a fresh installation before
    `load_catalogue` (rolled back after the test)."""
    from certprep.catalogue.models import Framework, ProcessLens
    from certprep.core.models import AuditEntry

    ProcessLens.objects.all().delete()
    Framework.objects.all().delete()
    AuditEntry.objects.filter(object_type__startswith="catalogue.").delete()


@pytest.fixture(autouse=True)
def _english_unless_told():
    """Every test starts in the default language, whatever an earlier test activated in this thread."""
    from django.utils import translation

    with translation.override("en"):
        yield
