"""Nothing one app server keeps in its own memory is needed by another (issue 16, item 2).

Two gunicorn servers run as separate processes over one database file, each with a var/ folder of its own (as on
two machines; they share only the database and the secret key), and a client alternates between them: a session,
the sign-in lock-out, the invitation rate limit and a revoked personal link each hold through the other server. The
in-process caches that hold something read from the database are keyed by what they read, so a change another
server made is seen; every other in-process cache is a pure function of its arguments or of files shipped with the
release, and the list of them is checked here so that a new one is looked at before it lands.
"""

from __future__ import annotations

import contextlib
import datetime
import json
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import requests
from django.conf import settings

from tests.servers import app_server, certprep_environment, manage

PASSWORD = "Stateless-2026-pass"
FAILURE_LIMIT = 3
INVITATIONS_PER_HOUR = 2

# The shared data, made once through the first server's settings; printed as JSON for the tests.
SETUP_SCRIPT = f"""
import json
from django.contrib.auth import get_user_model
from certprep.accounts.services import token_issue
from certprep.engagements.services import engagement_create
from certprep.people.models import Person
from certprep.people.services import roles_replace
from certprep.survey.models import Respondent
from certprep.survey.tests.factories import sent_campaign
User = get_user_model()
users = {{name: User.objects.create_user(name, password="{PASSWORD}") for name in ("owner", "visitor", "locked")}}
engagement = engagement_create(user=users["owner"], name="Stateless", organization_name="Two servers Ltd.")
person = Person.objects.create(engagement=engagement, name="Li Na", email="li.na@client.example")
roles_replace(person=person, pairs=[("process_manager", "incident")])
campaign, tokens = sent_campaign(engagement, users["owner"], keys=("process-incident",))
token, _row = token_issue(user=users["owner"])
print(json.dumps({{
    "engagement": engagement.pk, "respondent": Respondent.objects.get(campaign=campaign).pk,
    "link": tokens["Li Na"], "api_token": token,
}}))
"""


@dataclass(frozen=True)
class TwoServers:
    a: str
    b: str
    world: dict[str, Any]


@pytest.fixture(scope="module")
def servers(tmp_path_factory: pytest.TempPathFactory) -> Iterator[TwoServers]:
    root = tmp_path_factory.mktemp("stateless")
    shared = {
        "DJANGO_SETTINGS_MODULE": "config.settings_test",  # no static manifest to collect; the rest as production
        "DATABASE_URL": f"sqlite:///{root / 'shared.sqlite3'}",
        "CERTPREP_S3_BUCKET": "",
        "CERTPREP_SECRET_KEY": "one-key-for-every-server-of-this-installation-0123456789",
        "CERTPREP_LOGIN_FAILURE_LIMIT": str(FAILURE_LIMIT),
        "CERTPREP_INVITATIONS_PER_HOUR": str(INVITATIONS_PER_HOUR),
    }
    environments = {}
    for name in ("a", "b"):
        (root / name).mkdir()
        environments[name] = certprep_environment(shared, root / name)
    manage(environments["a"], "migrate", "--noinput")
    manage(environments["a"], "load_catalogue")
    world = json.loads(manage(environments["a"], "shell", "-c", SETUP_SCRIPT).strip().splitlines()[-1])
    with contextlib.ExitStack() as stack:
        a = stack.enter_context(app_server(environments["a"], root, "a", workers=1))
        b = stack.enter_context(app_server(environments["b"], root, "b", workers=1))
        yield TwoServers(a.url, b.url, world)


def _sign_in(http: requests.Session, server: str, username: str, password: str = PASSWORD) -> requests.Response:
    http.get(f"{server}/accounts/signin/", timeout=30)
    return http.post(
        f"{server}/accounts/signin/",
        data={"username": username, "password": password, "csrfmiddlewaretoken": http.cookies["csrftoken"]},
        allow_redirects=False,
        timeout=30,
    )


def _api(token: str) -> requests.Session:
    http = requests.Session()
    http.headers["Authorization"] = f"Bearer {token}"
    return http


def test_a_session_made_through_one_server_works_through_the_other_and_ends_on_both(servers: TwoServers) -> None:
    http = requests.Session()  # one cookie jar for 127.0.0.1, whichever port answers: a browser behind a balancer
    assert _sign_in(http, servers.a, "visitor").status_code == 302
    account = http.get(f"{servers.b}/accounts/", allow_redirects=False, timeout=30)
    assert account.status_code == 200
    assert "visitor" in account.text
    signed_out = http.post(
        f"{servers.b}/accounts/signout/",
        data={"csrfmiddlewaretoken": http.cookies["csrftoken"]},
        allow_redirects=False,
        timeout=30,
    )
    assert signed_out.status_code == 302
    after = http.get(f"{servers.a}/accounts/", allow_redirects=False, timeout=30)
    assert after.status_code == 302
    assert "/accounts/signin/" in after.headers["Location"]


def test_a_lock_out_counted_through_both_servers_holds_on_both(servers: TwoServers) -> None:
    http = requests.Session()
    for server in (servers.a, servers.b)[: FAILURE_LIMIT - 1]:
        assert _sign_in(http, server, "locked", "wrong password").status_code == 200  # the form again, no pause yet
    assert _sign_in(http, servers.a, "locked", "wrong password").status_code == 429  # the limit, across both
    assert _sign_in(http, servers.b, "locked").status_code == 429  # the right password is paused too
    assert _sign_in(http, servers.a, "locked").status_code == 429


def test_the_invitation_limit_counts_invitations_sent_through_either_server(servers: TwoServers) -> None:
    http = _api(servers.world["api_token"])
    members = f"/api/v1/engagements/{servers.world['engagement']}/members"
    for number, server in enumerate((servers.a, servers.b)[:INVITATIONS_PER_HOUR]):
        sent = http.post(f"{server}{members}", json={"email": f"guest{number}@client.example"}, timeout=30)
        assert sent.status_code == 201, sent.text
    for server in (servers.a, servers.b):
        refused = http.post(f"{server}{members}", json={"email": "one.more@client.example"}, timeout=30)
        assert refused.status_code == 400, refused.text
        assert "in the last hour" in refused.text


def test_a_link_revoked_through_one_server_is_refused_by_both(servers: TwoServers) -> None:
    link = f"/r/{servers.world['link']}/"
    assert requests.get(f"{servers.a}{link}", timeout=30).status_code == 200
    assert requests.get(f"{servers.b}{link}", timeout=30).status_code == 200
    revoke = f"/api/v1/engagements/{servers.world['engagement']}/respondents/{servers.world['respondent']}/link"
    revoked = _api(servers.world["api_token"]).post(f"{servers.b}{revoke}", json={"action": "revoke"}, timeout=30)
    assert revoked.status_code == 200, revoked.text
    assert revoked.json()["link"] is None
    assert requests.get(f"{servers.a}{link}", timeout=30).status_code == 404
    assert requests.get(f"{servers.b}{link}", timeout=30).status_code == 404


# --- In-process caches -----------------------------------------------------------------------------------------

# Every in-process cache in certprep, and why another server can never make it stale. A cache not listed here fails
# the test below: check what it holds before adding it (and give it a test like the two after, if it holds
# anything read from the database).
AUDITED_CACHES = {
    # Keyed by every value read from the database, so a change anywhere makes a new key (tests below).
    "planning/selectors/schedule.py:_calendar": "the calendar row's values and the year are the key",
    "planning/selectors/schedule.py:_SCHEDULES": "the whole network (tasks, links, start, calendar) is the key",
    # Files shipped with the release (the same on every server) or libraries' data.
    "planning/template.py:load_template": "shipped plan template",
    "gaps/services/documents.py:shipped_checklist": "shipped checklist",
    "gaps/suggestion_rules.py:_shipped_rules": "shipped rules",
    "survey/library.py:shipped_templates": "shipped questionnaires",
    "budget/audit_time.py:shipped_table": "shipped audit-time table",
    "responsibilities/library.py:_cache": "shipped matrix template, by file time",
    "catalogue/selectors.py:_lens_cache": "shipped process lens, by file time",
    "planning/selectors/calendar.py:country_choices": "the holidays library's countries",
    "vendors/currency.py:currency_codes": "CLDR's currencies",
    "budget/money.py:currencies": "CLDR's currencies",
    "core/timezones.py:time_zone_names": "the time-zone database",
    "reports/render/pdf.py:_fonts": "WeasyPrint's font configuration",
    "reports/render/pdf.py:_stylesheet": "shipped stylesheet",
    # Pure functions of their arguments (and the shipped translations).
    "planning/baseline_words.py:_slip": "days and language",
    "vendors/templatetags/vendors_tags.py:_locale": "language",
    "vendors/criteria.py:shipped_names": "criterion code, shipped translations",
    "feasibility/benefits_usual.py:_shipped": "shipped benefit texts",
    "budget/money.py:_step": "currency",
    "budget/money.py:money_writer": "currency and language",
    "budget/money.py:money_short_writer": "currency and language",
    "budget/money.py:_locale": "language",
    "reports/render/pictures.py:png": "the chart's SVG text and size",
    "core/dates.py:_written": "language, format and day",
    # Not data: a registry code fills as it is imported, and a client of the object store per thread.
    "people/uses.py:_checks": "the apps' checks, registered at import",
    "core/background.py:_KINDS": "the apps' kinds of background job, registered at import",
    "core/storage.py:_probes": "the readiness check's S3 client",
}
CACHE_DECORATOR = re.compile(r"^@(?:functools\.)?(?:lru_)?cache\b.*\n(?:@.*\n)*def (\w+)", re.MULTILINE)
# A module-level container (or thread-local) that lives as long as the process.
MODULE_STATE = re.compile(
    r"^(_?\w+)\s*(?::[^=\n]+)?=\s*(?:\{\}|\[\]|dict\(\)|set\(\)|OrderedDict\(\)|defaultdict\(|threading\.local\(\))",
    re.MULTILINE,
)


def test_every_in_process_cache_is_audited() -> None:
    package = Path(settings.BASE_DIR) / "certprep"
    found = set()
    for path in package.rglob("*.py"):
        if "tests" in path.parts or "migrations" in path.parts:
            continue
        text = path.read_text(encoding="utf-8")
        where = path.relative_to(package).as_posix()
        found |= {f"{where}:{name}" for name in CACHE_DECORATOR.findall(text) + MODULE_STATE.findall(text)}
    assert found == set(AUDITED_CACHES)


def test_no_code_uses_django_s_cache_which_is_each_process_s_own_memory() -> None:
    # CACHES is not configured: Django's default cache is a per-process memory. Code that wants a shared cache needs
    # one configured for all servers first (docs/deploy.md), and then this test changed with it.
    package = Path(settings.BASE_DIR) / "certprep"
    users = [
        path.relative_to(package).as_posix()
        for path in package.rglob("*.py")
        if "tests" not in path.parts and re.search(r"django\.core\.cache|cache_page|CacheMiddleware", path.read_text())
    ]
    assert users == []
    assert settings.SESSION_ENGINE == "django.contrib.sessions.backends.db"


def _scheduled(result: Any, key: str) -> Any:
    return next(row.scheduled for row in result.rows if row.task.origin_key == key)


def test_a_task_changed_by_another_server_is_scheduled_anew(catalogue, engagement, owner) -> None:
    from certprep.planning.models import Task
    from certprep.planning.selectors.schedule import plan_schedule
    from certprep.planning.services.generation import plan_generate

    plan = plan_generate(engagement=engagement, actor=owner, start_date=datetime.date(2025, 1, 6))
    before = _scheduled(plan_schedule(plan), "task:stage2").finish
    kickoff = Task.objects.get(plan=plan, origin_key="task:kickoff")
    # Another server's write: straight to the database, past anything this process holds.
    Task.objects.filter(pk=kickoff.pk).update(duration_days=kickoff.duration_days + 30)
    assert _scheduled(plan_schedule(plan), "task:stage2").finish > before


def test_a_day_off_set_by_another_server_moves_the_schedule(catalogue, engagement, owner) -> None:
    from certprep.planning.models import Calendar
    from certprep.planning.selectors.schedule import plan_schedule
    from certprep.planning.services.generation import plan_generate

    monday = datetime.date(2025, 1, 6)
    plan = plan_generate(engagement=engagement, actor=owner, start_date=monday)
    assert _scheduled(plan_schedule(plan), "task:kickoff").start.date() == monday
    Calendar.objects.filter(engagement=engagement).update(days_off=["2025-01-06"])
    assert _scheduled(plan_schedule(plan), "task:kickoff").start.date() == datetime.date(2025, 1, 7)


# --- Servers and workers start without migrating (the release step does) ------------------------------------------


def test_an_app_server_and_a_worker_start_without_migrating(tmp_path: Path) -> None:
    import sqlite3
    import subprocess

    from tests.servers import PYTHON, ROOT

    database = tmp_path / "new.sqlite3"
    environment = certprep_environment(
        {"DJANGO_SETTINGS_MODULE": "config.settings_test", "DATABASE_URL": f"sqlite:///{database}"}, tmp_path
    )
    with app_server(environment, tmp_path, "unmigrated", workers=1) as server:
        assert requests.get(f"{server.url}/healthz", timeout=30).json() == {"status": "ok"}
    worker = subprocess.run(  # noqa: S603 - our own command, stopped by its error or the timeout
        [PYTHON, "manage.py", "worker", "--no-reload", "--batch"],
        cwd=ROOT, env=environment, capture_output=True, text=True, timeout=120, check=False,
    )  # fmt: skip
    assert worker.returncode != 0  # no tables: it stops on the first query instead of making them
    assert "no such table" in worker.stdout + worker.stderr
    with contextlib.closing(sqlite3.connect(database)) as connection:
        tables = [row[0] for row in connection.execute("SELECT name FROM sqlite_master WHERE type = 'table'")]
    assert "django_migrations" not in tables
    assert tables == []
