"""Load test of the respondents' autosave: many people typing answers at once through their personal links.

    .venv/bin/python bench/survey_load.py                          # 60 s on SQLite, then 60 s on PostgreSQL
    .venv/bin/python bench/survey_load.py --seconds 10 --database sqlite

For each database: builds a fresh database (bench/results/survey_load.sqlite3, or a throwaway PostgreSQL
cluster through scripts/with-postgres), creates an engagement with --respondents people and sends them a
campaign with the incident questionnaire, serves the product with gunicorn (production settings,
DEBUG off), and lets every respondent autosave new values into the questionnaire's text questions for
--seconds seconds, over one keep-alive connection each, with 50-250 ms of thinking between saves. Then it
reads the answers back from the database: the last value the server acknowledged for each question must
be the stored one.

Prints throughput, latency percentiles, 409s, errors and lost answers per database, and writes
bench/results/survey_load.json. Exits with 1 when an answer was lost or a request got a 5xx or a
connection error. See bench/README.md, "Survey autosave load test".
"""

from __future__ import annotations

import argparse
import http.client
import io
import json
import os
import random
import resource
import shutil
import socket
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from dataclasses import dataclass, field
from http.cookies import SimpleCookie
from pathlib import Path
from typing import Any
from urllib.parse import urlencode, urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))  # the shared figures (bench/figures.py) and, in prepare(), the product

from bench.figures import machine_lines, percentile  # noqa: E402 - needs the path above

RESULTS = ROOT / "bench" / "results"
SUMMARY = RESULTS / "survey_load.json"
SQLITE_FILE = RESULTS / "survey_load.sqlite3"
WITH_POSTGRES = ROOT / "scripts" / "with-postgres"
POSTGRES_BINARIES = Path("/usr/lib/postgresql")  # where scripts/with-postgres looks for initdb and pg_ctl

# Set by the driver for the process that runs one database: where that process writes its figures.
WORKER_ENV = "CERTPREP_SURVEY_LOAD_RESULT"
# Fixed, so the links the benchmark computes match the ones gunicorn checks. Not a secret: the data is thrown away.
SECRET_KEY = "certprep-survey-load-benchmark-key-not-secret-0123456789"
NAMES = {"sqlite": "SQLite", "postgres": "PostgreSQL"}

GUNICORN_WORKERS, GUNICORN_THREADS = 2, 4
# How gunicorn is started. "bench": the setting, 2 workers x 4 threads (gthread), keep-alive. "served":
# config/gunicorn.py as `make run` and production start it (synchronous workers, CERTPREP_WORKERS of them, 4 by
# default, each request bounded by the timeout, workers replaced after CERTPREP_WORKER_MAX_REQUESTS requests,
# an access log line per request; a synchronous worker closes the connection after each answer).
SERVERS = {
    "bench": f"gunicorn {GUNICORN_WORKERS} workers x {GUNICORN_THREADS} threads",
    "served": "gunicorn -c config/gunicorn.py (synchronous workers, as make run and production)",
}
THINK_SECONDS = (0.05, 0.25)  # pause before each save, like a person typing
REQUEST_TIMEOUT = 60  # seconds; longer than SQLite's 20 s lock timeout, so a waiting save is not cut short
STARTUP_TIMEOUT = 90  # seconds for gunicorn to answer /healthz (4 workers booting on a busy machine take a while)
CONFLICT_RETRIES = 5  # after a 409 the respondent keeps their value and sends it again with the new version
TEXT_KINDS = ("short_text", "long_text")
QUESTIONNAIRE_KEY = "process-incident"


# ----------------------------------------------------------------------------------------------------------------
# Figures


def ratio(a: float, b: float) -> float | None:
    return round(a / b, 2) if b else None


# ----------------------------------------------------------------------------------------------------------------
# The respondents (standard library only: they stand for browsers, not for the product)


@dataclass
class Respondent:
    """One person answering through their link, and everything that happened to their requests."""

    number: int
    token: str
    response_id: int
    questions: list[int]
    page_ms: float = 0.0
    page_status: int = 0
    saves: list[tuple[float, int]] = field(default_factory=list)  # (latency ms, HTTP status; 0 = no answer)
    acknowledged: dict[int, str] = field(default_factory=dict)  # question -> last value answered 200
    # question -> values sent after the last acknowledgement whose fate is unknown (5xx or no answer):
    # the server may have stored one of them, so finding one stored is not a lost answer.
    unsettled: dict[int, list[str]] = field(default_factory=dict)
    problems: list[str] = field(default_factory=list)  # what went wrong, for the report (first few)
    conflict_give_ups: int = 0

    @property
    def page(self) -> str:
        return f"/r/{self.token}/q/{self.response_id}/"

    def autosave_path(self, question: int) -> str:
        return f"/r/{self.token}/q/{self.response_id}/a/{question}/"

    def problem(self, text: str) -> None:
        if len(self.problems) < 5:
            self.problems.append(text)


def _exchange(
    connection: http.client.HTTPConnection, method: str, path: str, body: str | None, headers: dict[str, str]
) -> tuple[int, http.client.HTTPResponse, bytes, float]:
    start = time.perf_counter()
    connection.request(method, path, body=body, headers=headers)
    reply = connection.getresponse()
    content = reply.read()  # read to the end, so the connection can carry the next request
    return reply.status, reply, content, (time.perf_counter() - start) * 1000


def _json(content: bytes) -> dict[str, Any]:
    try:
        data = json.loads(content)
    except ValueError:
        return {}
    return data if isinstance(data, dict) else {}


def autosave_headers(csrf: str, port: int) -> dict[str, str]:
    """What the respondent page's script sends with an autosave: the form, JSON wanted, its CSRF token and origin."""
    return {
        "Content-Type": "application/x-www-form-urlencoded",
        "Accept": "application/json",
        "X-CSRFToken": csrf,
        "Cookie": f"csrftoken={csrf}",
        "Origin": f"http://127.0.0.1:{port}",
    }


def save_answer(
    person: Respondent, connection: http.client.HTTPConnection, headers: dict[str, str], question: int, value: str,
    versions: dict[int, int],
) -> None:  # fmt: skip
    """One autosave as the page's script sends it, sent again over a 409 with the version the server names ("keep
    mine"), at most CONFLICT_RETRIES times; records the latency and the outcome on `person`. A connection that
    failed is closed (the next request opens a new one)."""
    path = person.autosave_path(question)
    for _attempt in range(1 + CONFLICT_RETRIES):
        body = urlencode({f"q{question}": value, "version": versions[question]})
        try:
            status, _reply, content, ms = _exchange(connection, "POST", path, body, headers)
        except (OSError, http.client.HTTPException) as exc:
            person.saves.append((0.0, 0))
            person.unsettled.setdefault(question, []).append(value)
            person.problem(f"POST {path}: {type(exc).__name__}: {exc}")
            connection.close()
            return
        person.saves.append((ms, status))
        data = _json(content)
        if status == 200 and isinstance(data.get("version"), int):
            versions[question] = data["version"]
            person.acknowledged[question] = value
            person.unsettled.pop(question, None)
            return
        if status == 409 and isinstance(data.get("version"), int):
            versions[question] = data["version"]  # "keep mine": send the same value again over theirs
            continue
        if status >= 500:
            person.unsettled.setdefault(question, []).append(value)
        person.problem(f"POST {path} answered {status}: {content[:200]!r}")
        return
    person.conflict_give_ups += 1
    person.problem(f"POST {path}: still 409 after {CONFLICT_RETRIES} retries")


def respond(person: Respondent, port: int, start: threading.Barrier, clock: dict[str, float], seconds: float) -> None:
    """Open the questionnaire page, wait for everybody, then autosave answers until the time is up."""
    rng = random.Random(person.number)  # noqa: S311 - think times, not secrets
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=REQUEST_TIMEOUT)
    csrf = ""
    try:
        person.page_status, reply, _content, person.page_ms = _exchange(connection, "GET", person.page, None, {})
        cookie: SimpleCookie = SimpleCookie()
        for header in reply.headers.get_all("Set-Cookie") or []:
            cookie.load(header)
        if person.page_status != 200:
            person.problem(f"GET {person.page} answered {person.page_status}")
        elif "csrftoken" not in cookie:
            person.problem(f"GET {person.page} set no csrftoken cookie")
        else:
            csrf = cookie["csrftoken"].value
    except (OSError, http.client.HTTPException) as exc:
        person.problem(f"GET {person.page}: {type(exc).__name__}: {exc}")
    finally:
        # Waiting for everybody's page can outlast gunicorn's keep-alive (2 s), which would break the idle
        # connection under the first save: typing starts on a new connection, kept alive from then on.
        connection.close()
        start.wait()  # everybody starts typing together, even those whose page failed (they just stop)
    if not csrf:
        return

    headers = autosave_headers(csrf, port)
    versions = dict.fromkeys(person.questions, 0)
    deadline = clock["start"] + seconds
    counter = 0
    while True:
        pause = rng.uniform(*THINK_SECONDS)
        if time.perf_counter() + pause >= deadline:
            break
        time.sleep(pause)
        question = rng.choice(person.questions)
        counter += 1
        value = f"r{person.number}-q{question}-{counter}"
        save_answer(person, connection, headers, question, value, versions)
    connection.close()


def run_load(people: list[Respondent], port: int, seconds: float, server_pid: int) -> tuple[float, float]:
    """Run every respondent in its own thread. Returns the seconds from the common start to the last save
    and the CPU seconds the server used meanwhile (its start-up and the page loads before are not in it)."""
    clock: dict[str, float] = {}

    def begin() -> None:
        clock["start"] = time.perf_counter()
        clock["server_cpu"] = server_cpu_seconds(server_pid)

    start = threading.Barrier(len(people), action=begin)
    threads = [
        threading.Thread(target=respond, args=(p, port, start, clock, seconds), name=f"respondent-{p.number}")
        for p in people
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.perf_counter() - clock["start"]
    return elapsed, server_cpu_seconds(server_pid) - clock["server_cpu"]


# ----------------------------------------------------------------------------------------------------------------
# The server


class SetupError(Exception):
    """The run cannot go on (the server did not start, the database could not be made)."""


def server_cpu_seconds(pid: int) -> float:
    """CPU seconds used so far by gunicorn: the master, its live workers and the workers it has already
    reaped (a worker replaced after its maximum number of requests), read from /proc (Linux)."""
    ticks = os.sysconf("SC_CLK_TCK")

    def times(process: int) -> list[int]:
        try:
            stat = Path(f"/proc/{process}/stat").read_text()
        except OSError:  # the worker exited meanwhile: its time is in the master's children's time
            return [0, 0, 0, 0]
        return [int(value) for value in stat.rsplit(")", 1)[1].split()[11:15]]  # utime stime cutime cstime

    master = times(pid)
    workers: list[int] = []
    for task in Path(f"/proc/{pid}/task").glob("*/children"):
        workers += [int(child) for child in task.read_text().split()]
    return (sum(master) + sum(sum(times(worker)[:2]) for worker in workers)) / ticks


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _log_tail(log: Path, lines: int = 40) -> str:
    if not log.exists():
        return "(no server output)"
    return "\n".join(log.read_text(errors="replace").splitlines()[-lines:]) or "(no server output)"


def start_server(port: int, log: Path, kind: str = "bench") -> subprocess.Popen[bytes]:
    """gunicorn on a free port with this process's environment, set up as `kind` of SERVERS; waits for /healthz."""
    gunicorn = Path(sys.executable).parent / "gunicorn"
    if kind == "served":  # the Makefile's `make run` command; config/gunicorn.py has no control socket either
        command = [str(gunicorn), "config.wsgi", "--config", "config/gunicorn.py", "--bind", f"127.0.0.1:{port}"]
    else:
        # No control socket: gunicorn's default one (~/.gunicorn/gunicorn.ctl) is shared with a `make run` server.
        command = [
            str(gunicorn),
            "config.wsgi",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            str(GUNICORN_WORKERS),
            "--threads",
            str(GUNICORN_THREADS),
            "--no-control-socket",
        ]
    with log.open("wb") as output:
        server = subprocess.Popen(command, cwd=ROOT, env=os.environ.copy(), stdout=output, stderr=subprocess.STDOUT)
    limit = time.monotonic() + STARTUP_TIMEOUT
    while time.monotonic() < limit:
        if server.poll() is not None:
            raise SetupError(
                f"gunicorn exited with status {server.returncode} before answering /healthz. "
                f"Its output ({log}):\n{_log_tail(log)}"
            )
        probe = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
        try:
            probe.request("GET", "/healthz")
            if probe.getresponse().status == 200:
                return server
        except (OSError, http.client.HTTPException):
            pass
        finally:
            probe.close()
        time.sleep(0.2)
    stop_server(server)
    raise SetupError(
        f"gunicorn did not answer 200 on http://127.0.0.1:{port}/healthz within {STARTUP_TIMEOUT} s. "
        f"Its output ({log}):\n{_log_tail(log)}"
    )


def stop_server(server: subprocess.Popen[bytes]) -> None:
    if server.poll() is not None:
        return
    server.terminate()  # graceful: workers finish what they are doing
    try:
        server.wait(timeout=40)
    except subprocess.TimeoutExpired:
        server.kill()
        server.wait()


def server_log_summary(log: Path) -> dict[str, Any]:
    """Tracebacks and database errors in gunicorn's output, with the first traceback for the report."""
    text = log.read_text(errors="replace") if log.exists() else ""
    lines = text.splitlines()
    first: list[str] = []
    for n, line in enumerate(lines):
        if line.startswith("Traceback"):
            start = max(0, n - 1)  # the logger's line before it names the request
            end = next((m for m in range(n + 1, len(lines)) if lines[m] and not lines[m].startswith((" ", "\t"))), n)
            first = lines[start : end + 1]
            break
    return {
        "path": str(log.relative_to(ROOT)),
        "tracebacks": text.count("Traceback (most recent call last)"),
        "database_locked": text.count("database is locked"),
        "internal_server_errors": text.count("Internal Server Error"),
        "worker_timeouts": text.count("WORKER TIMEOUT"),
        "first_traceback": "\n".join(first),
    }


# ----------------------------------------------------------------------------------------------------------------
# One database, in its own process (Django is set up for that database only)


def _environment(database: str, var_dir: str) -> str:
    """Set the environment the benchmark process and gunicorn share; return the database URL."""
    os.environ.update(
        {
            "DJANGO_SETTINGS_MODULE": "config.settings",
            "CERTPREP_DEBUG": "0",
            "CERTPREP_VAR_DIR": var_dir,  # secret key file, collected static files, uploads: thrown away
            "CERTPREP_SECRET_KEY": SECRET_KEY,
            "CERTPREP_ALLOWED_HOSTS": "127.0.0.1",
            "CERTPREP_HTTPS": "0",
            # The campaign's invitations go to Django's in-memory outbox: nothing is sent, nothing is printed.
            "CERTPREP_EMAIL_BACKEND": "django.core.mail.backends.locmem.EmailBackend",
        }
    )
    for name in ("CERTPREP_EMAIL_HOST", "CERTPREP_BEHIND_PROXY", "CERTPREP_CSRF_TRUSTED_ORIGINS"):
        os.environ.pop(name, None)
    if database == "sqlite":
        RESULTS.mkdir(exist_ok=True)
        for suffix in ("", "-wal", "-shm"):
            Path(f"{SQLITE_FILE}{suffix}").unlink(missing_ok=True)
        os.environ["DATABASE_URL"] = f"sqlite:///{SQLITE_FILE}"
    else:
        url = os.environ.get("DATABASE_URL", "")
        if not url.startswith(("postgres://", "postgresql://")):
            raise SetupError(
                "The PostgreSQL run needs DATABASE_URL from scripts/with-postgres; "
                "run bench/survey_load.py --database postgres, which starts it."
            )
        _create_database(url)
    return os.environ["DATABASE_URL"]


def _create_database(url: str) -> None:
    """Create the (empty) database DATABASE_URL names in the throwaway cluster; refuse one that exists."""
    import psycopg
    from psycopg import sql

    parts = urlsplit(url)
    name = parts.path.lstrip("/")
    maintenance = urlunsplit(parts._replace(path="/postgres"))
    with psycopg.connect(maintenance, autocommit=True) as connection:
        if connection.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
            raise SetupError(
                f"Database {name!r} already exists; the PostgreSQL run expects the fresh cluster "
                "scripts/with-postgres makes."
            )
        connection.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))


@dataclass
class Survey:
    people: list[Respondent]
    questions: list[int]
    e_mails: int
    database_version: str


def prepare(respondents: int) -> Survey:
    """Migrate, load the catalogue, and send a campaign with the incident questionnaire to `respondents` people."""
    import datetime

    import django

    sys.path.insert(0, str(ROOT))
    django.setup()

    from django.contrib.auth import get_user_model
    from django.core.management import call_command
    from django.db import connection, connections
    from django.utils import timezone

    from certprep.engagements.services import engagement_create
    from certprep.people.services import person_create
    from certprep.survey.models import Respondent as RespondentRow
    from certprep.survey.services.campaigns import campaign_create, campaign_send, respondent_token
    from certprep.survey.services.questionnaires import questionnaire_copy_templates

    call_command("migrate", interactive=False, verbosity=0)
    call_command("load_catalogue", stdout=io.StringIO())  # the process codes the templates refer to
    call_command("collectstatic", interactive=False, verbosity=0)  # pages need the static manifest (DEBUG off)
    user = get_user_model().objects.create_user("survey-load", email="survey-load@bench.example", password=None)
    engagement = engagement_create(user=user, name="Survey load test", organization_name="Load Test IT Services Ltd")
    for n in range(1, respondents + 1):
        person_create(
            engagement=engagement,
            actor=user,
            name=f"Respondent {n:03d}",
            department="IT Operations",
            email=f"respondent{n:03d}@bench.example",
            roles=[("process_manager", "incident")],
        )
    questionnaire_copy_templates(engagement=engagement, actor=user)
    questionnaire = engagement.questionnaires.get(key=QUESTIONNAIRE_KEY)
    campaign = campaign_create(
        engagement=engagement,
        actor=user,
        name="Survey load test",
        deadline=timezone.localdate() + datetime.timedelta(days=21),
        questionnaire_ids=[questionnaire.pk],
    )
    sent = campaign_send(campaign=campaign, actor=user, base_url="http://127.0.0.1")
    questions = list(questionnaire.questions.filter(kind__in=TEXT_KINDS).order_by("order").values_list("pk", flat=True))
    if not questions:
        raise SetupError(f"The {QUESTIONNAIRE_KEY} questionnaire has no text question to autosave.")
    people = []
    rows = RespondentRow.objects.filter(campaign=campaign).select_related("person").prefetch_related("responses")
    for n, row in enumerate(sorted(rows, key=lambda r: r.person.name), start=1):
        responses = list(row.responses.all())
        if len(responses) != 1:
            raise SetupError(f"{row.person.name} got {len(responses)} questionnaires instead of 1.")
        people.append(Respondent(n, respondent_token(row), responses[0].pk, questions))
    if len(people) != respondents:
        raise SetupError(f"The campaign reached {len(people)} people instead of {respondents}.")
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SHOW server_version")
            version = f"PostgreSQL {cursor.fetchone()[0]}"
        else:
            version = f"SQLite {sqlite3.sqlite_version} (WAL, IMMEDIATE transactions)"
    connections.close_all()  # the server gets the database to itself
    return Survey(people, questions, int(sent["sent"]), version)


def verify(people: list[Respondent]) -> dict[str, Any]:
    """Compare each question's last acknowledged value with the one stored."""
    from django.db import connections

    from certprep.survey.models import Answer

    connections.close_all()  # a fresh connection sees everything gunicorn committed
    stored = {
        (response, question): value
        for response, question, value in Answer.objects.filter(
            response_id__in=[p.response_id for p in people]
        ).values_list("response_id", "question_id", "value")
    }
    checked = lost = unsettled = 0
    examples: list[dict[str, Any]] = []
    for person in people:
        for question, value in person.acknowledged.items():
            checked += 1
            got = stored.get((person.response_id, question), "(no answer row)")
            if got == value:
                continue
            if got in person.unsettled.get(question, []):
                unsettled += 1  # a later save failed without an answer, but the server did store it
                continue
            lost += 1
            if len(examples) < 10:
                examples.append(
                    {
                        "respondent": person.number,
                        "response": person.response_id,
                        "question": question,
                        "acknowledged": value,
                        "stored": got,
                    }
                )
    connections.close_all()
    return {"checked": checked, "lost": lost, "stored_unacknowledged": unsettled, "lost_examples": examples}


def figures(people: list[Respondent], elapsed: float) -> dict[str, Any]:
    saves = [s for p in people for s in p.saves]
    statuses = Counter(status for _ms, status in saves)
    answered = [ms for ms, status in saves if status]
    acknowledged = statuses[200]
    page_ms = [p.page_ms for p in people if p.page_status == 200]
    return {
        "elapsed_seconds": round(elapsed, 3),
        "page_loads": {
            "ok": len(page_ms),
            "failed": sum(1 for p in people if p.page_status != 200),
            "p50_ms": round(percentile(page_ms, 50), 1),
        },
        "requests": len(saves),
        "statuses": {str(k): v for k, v in sorted(statuses.items())},
        "saves_acknowledged": acknowledged,
        "throughput_per_second": round(acknowledged / elapsed, 1) if elapsed else 0.0,
        "latency_ms": {
            "p50": round(percentile(answered, 50), 1),
            "p95": round(percentile(answered, 95), 1),
            "p99": round(percentile(answered, 99), 1),
            "max": round(max(answered, default=0.0), 1),
            "mean": round(statistics.fmean(answered), 1) if answered else 0.0,
        },
        "conflicts_409": statuses[409],
        "conflict_give_ups": sum(p.conflict_give_ups for p in people),
        "errors": {
            "5xx": sum(v for k, v in statuses.items() if k >= 500),
            "connection": statuses[0],
            "4xx_other": sum(v for k, v in statuses.items() if 400 <= k < 500 and k != 409),
        },
        "problems": [f"respondent {p.number}: {text}" for p in people for text in p.problems][:20],
    }


def report(name: str, result: dict[str, Any]) -> None:
    lat, errors, check, log = result["latency_ms"], result["errors"], result["check"], result["server_log"]
    print()
    print(
        f"{name}: {result['database_version']}; {SERVERS[result['server']]}; "
        f"{result['respondents']} respondents for {result['seconds']:g} s"
    )
    pages = result["page_loads"]
    print(f"  page loads          {pages['ok']} ok, {pages['failed']} failed (p50 {pages['p50_ms']:.1f} ms)")
    print(f"  saves acknowledged  {result['saves_acknowledged']:,} of {result['requests']:,} autosave requests")
    print(f"  throughput          {result['throughput_per_second']:.1f} saves/s over {result['elapsed_seconds']:.1f} s")
    print(
        f"  latency             p50 {lat['p50']:.1f} ms   p95 {lat['p95']:.1f} ms   p99 {lat['p99']:.1f} ms   "
        f"max {lat['max']:.1f} ms"
    )
    print(
        f"  409 conflicts       {result['conflicts_409']}"
        + (f" ({result['conflict_give_ups']} saves gave up)" if result["conflict_give_ups"] else "")
    )
    print(
        f"  errors              {sum(errors.values())} (5xx {errors['5xx']}, connection {errors['connection']}, "
        f"other 4xx {errors['4xx_other']})"
    )
    print(
        f"  lost answers        {check['lost']} of {check['checked']} acknowledged answers checked"
        + (
            f"; {check['stored_unacknowledged']} hold a later value whose save failed"
            if check["stored_unacknowledged"]
            else ""
        )
    )
    cpu, load = result["cpu_seconds"], result["load_average_1min"]
    print(
        f"  server cpu/save     {result['server_cpu_ms_per_save']:.2f} ms: "
        f"gunicorn used {cpu['gunicorn_typing']:.1f} s of "
        f"CPU for {result['requests'] - errors['connection']:,} answered autosave requests "
        f"({cpu['gunicorn_typing'] / result['elapsed_seconds']:.2f} of {cpu['cpus']} cpus)"
    )
    print(
        f"  cpu time            gunicorn {cpu['gunicorn']:.1f} s in all (start-up and page loads included), "
        f"load generator {cpu['load_generator']:.1f} s "
        f"({cpu['cpus']} cpus; 1-min load average {load['before']:.1f} before, {load['after']:.1f} after)"
    )
    print(
        f"  server log          {log['path']}: {log['tracebacks']} tracebacks, "
        f"{log['database_locked']} 'database is locked', {log['worker_timeouts']} worker timeouts"
    )
    for example in check["lost_examples"][:5]:
        print(
            f"    lost: respondent {example['respondent']} question {example['question']}: "
            f"acknowledged {example['acknowledged']!r}, stored {example['stored']!r}"
        )
    for problem in result["problems"][:5]:
        print(f"    {problem}")
    if log["first_traceback"]:
        print("  first traceback in the server log:")
        print("\n".join(f"    {line}" for line in log["first_traceback"].splitlines()[:60]))


def failed(result: dict[str, Any]) -> bool:
    return bool(result["check"]["lost"] or result["errors"]["5xx"] or result["errors"]["connection"])


def _cpu(who: int) -> float:
    usage = resource.getrusage(who)
    return usage.ru_utime + usage.ru_stime


def work(database: str, respondents: int, seconds: float, result_file: Path, server_kind: str = "bench") -> int:
    """Run one database. Exit status: 0 all good, 1 lost answers or 5xx/connection errors, 2 could not run."""
    name = NAMES[database]
    log = RESULTS / f"survey_load-{database}-gunicorn.log"
    server = None
    var_dir = tempfile.mkdtemp(prefix="certprep-survey-load-")
    try:
        _environment(database, var_dir)
        print(f"\n{name}: preparing a fresh database ({respondents} respondents)...", flush=True)
        survey = prepare(respondents)
        print(
            f"{name}: campaign sent ({survey.e_mails} e-mails), {len(survey.questions)} text questions "
            f"({', '.join(map(str, survey.questions))}); starting gunicorn...",
            flush=True,
        )
        port = _free_port()
        server_cpu = _cpu(resource.RUSAGE_CHILDREN)
        server = start_server(port, log, server_kind)
        print(f"{name}: {respondents} respondents typing for {seconds:g} s on http://127.0.0.1:{port}/ ...", flush=True)
        load_before, client_cpu = os.getloadavg()[0], _cpu(resource.RUSAGE_SELF)
        elapsed, typing_cpu = run_load(survey.people, port, seconds, server.pid)
        client_cpu = _cpu(resource.RUSAGE_SELF) - client_cpu
        stop_server(server)  # its workers' CPU time is counted once the master has exited
        loads = figures(survey.people, elapsed)
        answered = loads["requests"] - loads["errors"]["connection"]
        result = {
            "database": database,
            "server": server_kind,
            "database_version": survey.database_version,
            "respondents": respondents,
            "seconds": seconds,
            "text_questions": survey.questions,
            **loads,
            # The robust figure on a shared machine: the server's CPU time per answered autosave request.
            "server_cpu_ms_per_save": round(typing_cpu * 1000 / answered, 2) if answered else 0.0,
            "check": verify(survey.people),
            "server_log": server_log_summary(log),
            "cpu_seconds": {
                "gunicorn": round(_cpu(resource.RUSAGE_CHILDREN) - server_cpu, 1),
                "gunicorn_typing": round(typing_cpu, 2),
                "load_generator": round(client_cpu, 1),
                "cpus": os.cpu_count(),
            },
            "load_average_1min": {"before": round(load_before, 2), "after": round(os.getloadavg()[0], 2)},
        }
    except SetupError as exc:
        print(f"\n{name}: {exc}", file=sys.stderr)
        result_file.write_text(
            json.dumps({"database": database, "respondents": respondents, "failed": str(exc)}, indent=2)
        )
        return 2
    finally:
        if server is not None:
            stop_server(server)
        shutil.rmtree(var_dir, ignore_errors=True)
    report(name, result)
    result_file.write_text(json.dumps(result, indent=2))
    return 1 if failed(result) else 0


# ----------------------------------------------------------------------------------------------------------------
# The driver: one process per database, the PostgreSQL one inside scripts/with-postgres


def postgres_available() -> bool:
    return any(POSTGRES_BINARIES.glob("*/bin/pg_ctl"))


def _run_one(database: str, respondents: int, args: argparse.Namespace) -> tuple[dict[str, Any], int]:
    """One database at one respondent count, in its own process; returns its figures and exit status."""
    with tempfile.TemporaryDirectory(prefix="certprep-survey-load-") as folder:
        result_file = Path(folder) / "result.json"
        command = [
            sys.executable,
            str(Path(__file__).resolve()),
            "--database",
            database,
            "--seconds",
            str(args.seconds),
            "--respondents",
            str(respondents),
            "--server",
            args.server,
        ]
        env = {**os.environ, WORKER_ENV: str(result_file)}
        if database == "postgres":
            command = [str(WITH_POSTGRES), *command]
            # A free port unless one is asked for, so a test suite's cluster on 54329 does not collide.
            env.setdefault("CERTPREP_PG_PORT", str(_free_port()))
        code = subprocess.run(command, cwd=ROOT, env=env).returncode
        if result_file.exists():
            return json.loads(result_file.read_text()), code
    print(f"\n{NAMES[database]}: the run exited with status {code} and no figures", file=sys.stderr)
    return {
        "database": database,
        "respondents": respondents,
        "failed": f"the run exited with status {code} and no figures",
    }, code


def drive(args: argparse.Namespace) -> int:
    databases = ["sqlite", "postgres"] if args.database == "both" else [args.database]
    print("certprep survey autosave load test")
    print("\n".join(machine_lines()))
    print(
        f"load     {' and '.join(map(str, args.counts))} respondents x {args.seconds:g} s, think time "
        f"{THINK_SECONDS[0] * 1000:.0f}-{THINK_SECONDS[1] * 1000:.0f} ms, one keep-alive connection each; "
        f"{SERVERS[args.server]}"
    )
    RESULTS.mkdir(exist_ok=True)
    runs: list[dict[str, Any]] = []
    status = 0
    for respondents in args.counts:
        for database in databases:
            if database == "postgres" and not postgres_available():
                message = (
                    f"PostgreSQL server binaries not found under {POSTGRES_BINARIES}/*/bin "
                    "(apt-get install postgresql, or make system-test-deps): skipping the PostgreSQL run."
                )
                print(f"\n{message}", file=sys.stderr)
                runs.append({"database": database, "respondents": respondents, "skipped": message})
                if args.database == "postgres":
                    status = 1
                continue
            run, code = _run_one(database, respondents, args)
            runs.append(run)
            if code != 0:
                status = 1

    measured = [r for r in runs if "saves_acknowledged" in r]
    print()
    print(f"{SERVERS[args.server]}:")
    print(
        f"{'database':<11} {'people':>6} {'saves':>8} {'saves/s':>8} {'p50 ms':>8} {'p95 ms':>8} {'p99 ms':>8} "
        f"{'max ms':>8} {'cpu ms/save':>11} {'409':>5} {'errors':>6} {'lost':>5}"
    )
    for r in runs:
        if r not in measured:
            print(
                f"{NAMES[r['database']]:<11} {r['respondents']:>6} "
                f"{'skipped' if 'skipped' in r else 'failed'}: {r.get('skipped') or r.get('failed')}"
            )
            continue
        lat = r["latency_ms"]
        print(
            f"{NAMES[r['database']]:<11} {r['respondents']:>6} {r['saves_acknowledged']:>8,} "
            f"{r['throughput_per_second']:>8.1f} {lat['p50']:>8.1f} {lat['p95']:>8.1f} {lat['p99']:>8.1f} "
            f"{lat['max']:>8.1f} {r['server_cpu_ms_per_save']:>11.2f} {r['conflicts_409']:>5} "
            f"{sum(r['errors'].values()):>6} {r['check']['lost']:>5}"
        )
    comparisons = []
    for respondents in args.counts:
        pair = {r["database"]: r for r in measured if r["respondents"] == respondents}
        if "sqlite" not in pair or "postgres" not in pair:
            continue
        lite, pg = pair["sqlite"], pair["postgres"]
        comparison = {
            "respondents": respondents,
            "throughput_sqlite_over_postgres": ratio(lite["throughput_per_second"], pg["throughput_per_second"]),
            "p95_sqlite_over_postgres": ratio(lite["latency_ms"]["p95"], pg["latency_ms"]["p95"]),
        }
        comparisons.append(comparison)
        print(
            f"\nSQLite vs PostgreSQL, {respondents} respondents: throughput "
            f"{comparison['throughput_sqlite_over_postgres']}x "
            f"({lite['throughput_per_second']:.1f} vs {pg['throughput_per_second']:.1f} saves/s), "
            f"p95 latency {comparison['p95_sqlite_over_postgres']}x "
            f"({lite['latency_ms']['p95']:.1f} vs {pg['latency_ms']['p95']:.1f} ms)"
        )
    bad = [f"{NAMES[r['database']]} ({r['respondents']} respondents)" for r in measured if failed(r)]
    if bad:
        status = 1
        print(f"\nFAILED on {', '.join(bad)}: lost answers or 5xx/connection errors (see above and the server logs).")
    elif measured and status == 0:
        print("\nNo answer lost, no 5xx, no connection error.")
    SUMMARY.write_text(
        json.dumps(
            {
                "machine": machine_lines(),
                "arguments": {
                    "seconds": args.seconds,
                    "respondents": args.counts,
                    "database": args.database,
                    "server": args.server,
                },
                "settings": {
                    "server": SERVERS[args.server],
                    "gunicorn_workers": GUNICORN_WORKERS,
                    "gunicorn_threads": GUNICORN_THREADS,
                    "think_ms": [THINK_SECONDS[0] * 1000, THINK_SECONDS[1] * 1000],
                    "questionnaire": QUESTIONNAIRE_KEY,
                },
                "runs": runs,
                "comparisons": comparisons,
                "exit_status": status,
            },
            indent=2,
        )
    )
    print(f"Figures written to {SUMMARY.relative_to(ROOT)}")
    return status


def _counts(text: str) -> list[int]:
    try:
        counts = [int(part) for part in text.split(",") if part.strip()]
    except ValueError as exc:
        raise argparse.ArgumentTypeError(f"expected respondent counts such as 50 or 50,200, got {text!r}") from exc
    if not counts or any(n < 1 for n in counts):
        raise argparse.ArgumentTypeError(f"respondent counts must be positive, got {text!r}")
    return list(dict.fromkeys(counts))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--seconds", type=float, default=60, help="how long the respondents type (default 60)")
    parser.add_argument(
        "--respondents",
        type=_counts,
        default=[50, 200],
        dest="counts",
        metavar="N[,N...]",
        help="people answering at once; several counts run one after the other (default 50,200)",
    )
    parser.add_argument(
        "--database",
        choices=["sqlite", "postgres", "both"],
        default="both",
        help="which database to run against (default both, SQLite first)",
    )
    parser.add_argument(
        "--server",
        choices=sorted(SERVERS),
        default="bench",
        help="bench: gunicorn 2 workers x 4 threads (default); served: config/gunicorn.py as "
        "make run and production start it",
    )
    args = parser.parse_args()
    if args.seconds <= 0:
        parser.error("--seconds must be positive")
    result_file = os.environ.pop(WORKER_ENV, "")
    if result_file:  # started by drive() for one database and one respondent count
        if len(args.counts) != 1:
            parser.error("a run for one database takes one respondent count")
        return work(args.database, args.counts[0], args.seconds, Path(result_file), args.server)
    return drive(args)


if __name__ == "__main__":
    sys.exit(main())
