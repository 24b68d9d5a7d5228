"""One installation for the whole multi-process run (issue 16, "How it is checked"): a throwaway PostgreSQL,
moto's S3 server, the release step, the demo engagement, two gunicorn app servers and one task worker, each a
real process on 127.0.0.1 on the production settings with the CERTPREP_S3_* variables (tests/servers.py).

Every process has a var/ folder of its own (only the collected static files are shared, as a deployment ships
them to each machine): whatever one server knows that another needs has to travel through PostgreSQL or the
bucket. The secret key is one for all, as every server of an installation is given the same.

Run it on its own: `pytest -p no:xdist -m multiprocess tests/multiprocess`."""

from __future__ import annotations

import contextlib
import json
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import psycopg
import pytest

from tests.servers import (
    ObjectStore,
    Served,
    app_server,
    certprep_environment,
    manage,
    moto_server,
    release,
    task_worker,
    throwaway_postgres,
)

PASSWORD = "correct horse battery staple"
# Short, so a killed worker's build is taken for abandoned within seconds (the worker writes its heartbeat every
# quarter of it); long enough that a busy machine never makes a working worker look stopped.
STALE_SECONDS = 10
# Failed sign-ins that lock a user name out from one address (CERTPREP_LOGIN_FAILURE_LIMIT, the default).
FAILURE_LIMIT = 5

# Run by `manage.py shell` once the demo is loaded: the people and the ids the tests use, as JSON. The outsider
# has an engagement of their own and is no member of the demo's; "lena" is only there to be locked out.
FACTS_SCRIPT = f"""
import json
from django.contrib.auth import get_user_model
from certprep.engagements import services
from certprep.engagements.management.commands.load_demo import DEMO_ENGAGEMENT
from certprep.engagements.models import Engagement
from certprep.gaps.models import Rating
from certprep.survey.choices import ResponseStatus
from certprep.survey.models import Response
from certprep.survey.services.campaigns import respondent_token

User = get_user_model()
engagement = Engagement.objects.get(name=DEMO_ENGAGEMENT)
oscar = User.objects.create_user("oscar", email="oscar@client-b.example", password={PASSWORD!r})
services.engagement_create(user=oscar, name="Client B preparation", organization_name="Client B Ltd")
User.objects.create_user("lena", email="lena@harbourline.example", password={PASSWORD!r})
chosen = None
for response in Response.objects.filter(respondent__campaign__engagement=engagement).exclude(
    status=ResponseStatus.SUBMITTED
).order_by("pk"):
    texts = list(
        response.questionnaire.questions.filter(kind__in=["short_text", "long_text"]).order_by("order", "pk")
        .values_list("pk", flat=True)
    )
    if len(texts) >= 3:
        chosen = (response, texts)
        break
response, texts = chosen
print(json.dumps({{
    "engagement": engagement.pk,
    "token": respondent_token(response.respondent),
    "response": response.pk,
    "questions": texts,
    "rating": Rating.objects.filter(assessment__engagement=engagement).order_by("pk").values_list("pk", flat=True)[0],
}}))
"""


@dataclass
class Installation:
    """Everything the tests talk to, and the way to replace the worker (after one was killed)."""

    servers: list[Served]
    store: ObjectStore
    database_url: str
    environment: dict[str, str]
    folder: Path
    facts: dict[str, Any]
    worker: Served
    stack: contextlib.ExitStack
    timings: list[tuple[str, float]] = field(default_factory=list)
    workers_started: int = 1

    @property
    def a(self) -> str:
        return self.servers[0].url

    @property
    def b(self) -> str:
        return self.servers[1].url

    def start_worker(self) -> Served:
        """A new worker, as an operator starts one after a machine was lost."""
        self.workers_started += 1
        name = f"worker-{self.workers_started}"
        environment = {**self.environment, **_var(self.folder, name)}
        self.worker = self.stack.enter_context(task_worker(environment, self.folder, name=name))
        return self.worker

    def query(self, sql: str, *params: object) -> list[tuple[Any, ...]]:
        """Read the database directly, as an operator would check it (a new connection each time)."""
        with psycopg.connect(self.database_url, connect_timeout=10) as connection:
            return connection.execute(sql, params).fetchall()  # type: ignore[arg-type] - our own fixed SQL

    def logs(self) -> str:
        """The last lines of every process's log, for an assertion's message."""
        said = []
        for log in sorted(self.folder.glob("*.log")):
            said.append(f"--- {log.name}\n" + log.read_text(encoding="utf-8", errors="replace")[-1500:])
        return "\n".join(said)


@contextlib.contextmanager
def _demo_loaded(environment: dict[str, str]) -> Iterator[None]:
    manage(environment, "load_demo", "--password", PASSWORD)
    yield


def _enter_together(stack: contextlib.ExitStack, managers: list[contextlib.AbstractContextManager[Any]]) -> list[Any]:
    """Enter the context managers at the same time (each waits for its own process); each one entered is left by
    the stack, also when another failed to start."""
    with ThreadPoolExecutor(len(managers)) as pool:
        futures = [pool.submit(manager.__enter__) for manager in managers]
    entered: list[Any] = []
    failure: BaseException | None = None
    for manager, future in zip(managers, futures, strict=True):
        try:
            entered.append(future.result())
        except Exception as exc:  # raised below, once every process that did start is in the stack
            failure = failure or exc
            continue
        stack.push(manager.__exit__)
    if failure is not None:
        raise failure
    return entered


def _var(folder: Path, name: str) -> dict[str, str]:
    """A var/ folder of the process's own, with the static files the release step collected."""
    var = folder / f"var-{name}"
    var.mkdir()
    (var / "static").symlink_to(folder / "var-release" / "static", target_is_directory=True)
    return {"CERTPREP_VAR_DIR": str(var)}


_timings: list[tuple[str, float]] = []


@contextlib.contextmanager
def _timed(what: str) -> Iterator[None]:
    start = time.monotonic()
    yield
    _timings.append((what, time.monotonic() - start))


@pytest.fixture(scope="session")
def installation(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Installation]:
    folder = tmp_path_factory.mktemp("multiprocess")
    with contextlib.ExitStack() as stack:
        with _timed("PostgreSQL and moto's S3 server"):
            database_url = stack.enter_context(throwaway_postgres())
            store = stack.enter_context(moto_server())
        extra = {
            "DATABASE_URL": database_url,
            **store.settings(),
            "CERTPREP_SECRET_KEY": "certprep-multiprocess-test-key-not-secret-0123456789-abcdefghij",
            "CERTPREP_TASK_STALE_SECONDS": str(STALE_SECONDS),
            "CERTPREP_REPORT_PROCESSES": "0",  # drawn in the worker itself: a SIGKILL leaves no orphan behind
            # Mail is sent by the worker: each message a file in this folder, read back by the tests.
            "CERTPREP_EMAIL_FILE_PATH": str(folder / "mail"),
            "CERTPREP_DB_CONN_MAX_AGE": "60",
            "CERTPREP_LOGIN_FAILURE_LIMIT": str(FAILURE_LIMIT),
            "CERTPREP_S3_PREFIX": "",  # the objects' keys are the files' names, whatever this shell has set
        }
        environment = certprep_environment(extra, folder / "var-release")
        with _timed("release step (migrate, load_catalogue, collectstatic)"):
            release(environment)
        # The servers and the worker start while the demo is loaded (they never migrate; they read what is there).
        managers: list[contextlib.AbstractContextManager[Any]] = [
            app_server({**environment, **_var(folder, name)}, folder, name=name) for name in ("app-a", "app-b")
        ]
        managers.append(task_worker({**environment, **_var(folder, "worker-1")}, folder, name="worker-1"))
        with _timed("load_demo, two app servers and a worker (side by side)"):
            *servers, worker = _enter_together(stack, [*managers, _demo_loaded(environment)])[:-1]
            facts = json.loads(manage(environment, "shell", "-c", FACTS_SCRIPT).strip().splitlines()[-1])
        yield Installation(servers, store, database_url, environment, folder, facts, worker, stack)


def pytest_terminal_summary(terminalreporter: Any) -> None:
    if _timings:
        terminalreporter.write_line("multi-process set-up: " + "; ".join(f"{w} {s:.1f} s" for w, s in _timings))
