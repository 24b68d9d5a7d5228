"""Autosaving respondents against two app servers over PostgreSQL, side by side with one server, in the same run
(issue 16, "How it is checked").

    .venv/bin/python bench/two_servers.py                        # 200 respondents, 30 s per layout
    .venv/bin/python bench/two_servers.py --respondents 50 --seconds 10

One throwaway PostgreSQL cluster (tests/servers.py), one campaign with the incident questionnaire sent to
--respondents people (bench/survey_load.py's prepare), then three layouts one after the other, on the same database:

- one: one gunicorn app server (config/gunicorn.py, as production starts it, --workers workers);
- two: two such servers, each respondent's saves alternating between them, as behind a load balancer with no
  sticky sessions (so every save may land on the other server than the one before);
- one-doubled: one server with as many workers as the two together (2 x --workers), so the two servers can be told
  apart from having twice the processes.

Each respondent is a thread of plain HTTP (the standard library), on 127.0.0.1 only: it opens its questionnaire,
then autosaves new values into the text questions with 50-250 ms of thinking between saves, sending the version it
last saw (a 409 is answered by sending its value again with the new version). After each layout the database is
read: the last value each save acknowledged must be the stored one (lost answers).

Prints, per layout, throughput (acknowledged saves/s), p50/p95 latency, errors and lost answers, then the ratios
two/one and two/one-doubled; writes bench/results/two_servers.json. Figures are printed, never asserted; the exit
status is 1 only when an answer was lost or a request got a 5xx or no answer. All layouts share the machine's cores
(with the database and the clients): on one machine this shows that nothing breaks when saves change servers, and
what the spreading costs, not how far more machines would carry.
"""

from __future__ import annotations

import argparse
import contextlib
import http.client
import json
import os
import random
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from http.cookies import SimpleCookie
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.figures import machine_lines  # noqa: E402 - needs the path above
from bench.survey_load import (  # noqa: E402
    REQUEST_TIMEOUT,
    THINK_SECONDS,
    Respondent,
    _exchange,
    autosave_headers,
    figures,
    prepare,
    ratio,
    save_answer,
    verify,
)
from tests.servers import Served, app_server, certprep_environment, throwaway_postgres  # noqa: E402

RESULTS = ROOT / "bench" / "results"
SUMMARY = RESULTS / "two_servers.json"
SECRET_KEY = "certprep-two-servers-benchmark-key-not-secret-0123456789"  # thrown away with the data
MAX_RESPONDENTS, MAX_SECONDS = 500, 300  # bounds on what one run may ask of the machine
# (name, its servers, gunicorn workers per server as a multiple of --workers). "one-doubled" has as many workers as
# the two servers together: beside it, "two" shows what spreading costs apart from having more processes.
LAYOUTS = [("one", ["one"], 1), ("two", ["two-a", "two-b"], 1), ("one-doubled", ["one-doubled"], 2)]


def _connections(ports: list[int]) -> dict[int, http.client.HTTPConnection]:
    return {port: http.client.HTTPConnection("127.0.0.1", port, timeout=REQUEST_TIMEOUT) for port in ports}


def _open_page(person: Respondent, port: int) -> str:
    """The questionnaire page through the first server; the CSRF token its cookie carries ("" when it failed)."""
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=REQUEST_TIMEOUT)
    try:
        person.page_status, reply, _content, person.page_ms = _exchange(connection, "GET", person.page, None, {})
    except (OSError, http.client.HTTPException) as exc:
        person.problem(f"GET {person.page}: {type(exc).__name__}: {exc}")
        return ""
    finally:
        connection.close()
    cookie: SimpleCookie = SimpleCookie()
    for header in reply.headers.get_all("Set-Cookie") or []:
        cookie.load(header)
    if person.page_status != 200 or "csrftoken" not in cookie:
        person.problem(f"GET {person.page} answered {person.page_status}")
        return ""
    return cookie["csrftoken"].value


def respond(
    person: Respondent, ports: list[int], versions: dict[int, int], start: threading.Barrier, clock: dict[str, float],
    seconds: float,
) -> None:  # fmt: skip
    """Open the page, wait for everybody, then save answers until the time is up, alternating the servers."""
    rng = random.Random(person.number)  # noqa: S311 - think times, not secrets
    csrf = _open_page(person, ports[0])
    start.wait()
    if not csrf:
        return
    connections = _connections(ports)
    deadline = clock["start"] + seconds
    counter = 0
    while True:
        pause = rng.uniform(*THINK_SECONDS)
        if time.perf_counter() + pause >= deadline:
            break
        time.sleep(pause)
        port = ports[(counter + person.number) % len(ports)]
        counter += 1
        question = rng.choice(person.questions)
        headers = autosave_headers(csrf, port)
        value = f"r{person.number}-q{question}-{len(ports)}-{counter}"
        save_answer(person, connections[port], headers, question, value, versions)
    for connection in connections.values():
        connection.close()


def run_layout(
    people: list[Respondent], ports: list[int], versions: dict[int, dict[int, int]], seconds: float
) -> float:
    """Every respondent in its own thread, bounded in time; the seconds from the common start to the last save."""
    clock: dict[str, float] = {}
    start = threading.Barrier(len(people), action=lambda: clock.__setitem__("start", time.perf_counter()))
    threads = [
        threading.Thread(
            target=respond, args=(p, ports, versions[p.number], start, clock, seconds), name=f"respondent-{p.number}"
        )
        for p in people
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=seconds + 2 * REQUEST_TIMEOUT + 120)
    if any(thread.is_alive() for thread in threads):
        raise RuntimeError("respondents still running long after the time was up")
    return time.perf_counter() - clock["start"]


def _fresh(people: list[Respondent]) -> list[Respondent]:
    """The same people, with no figures yet (the versions they saw are kept apart, across layouts)."""
    return [Respondent(p.number, p.token, p.response_id, p.questions) for p in people]


def _log_figures(servers: list[Served]) -> dict[str, int]:
    text = "".join(server.output() for server in servers)
    return {
        "tracebacks": text.count("Traceback (most recent call last)"),
        "worker_timeouts": text.count("WORKER TIMEOUT"),
    }


@contextlib.contextmanager
def _servers(environment: dict[str, str], folder: Path, names: list[str], workers: int) -> Iterator[list[Served]]:
    with contextlib.ExitStack() as stack:
        yield [stack.enter_context(app_server(environment, folder, name=name, workers=workers)) for name in names]


def measure(layout: str, people: list[Respondent], servers: list[Served], versions: Any, seconds: float) -> dict:
    ports = [int(urlsplit(server.url).port or 0) for server in servers]
    print(f"{layout}: {len(people)} respondents saving for {seconds:g} s on ports {ports} ...", flush=True)
    load_before = os.getloadavg()[0]
    elapsed = run_layout(people, ports, versions, seconds)
    result = figures(people, elapsed)
    result |= {
        "layout": layout,
        "servers": len(servers),
        "check": verify(people),
        "server_log": _log_figures(servers),
        "load_average_1min": {"before": round(load_before, 2), "after": round(os.getloadavg()[0], 2)},
    }
    return result


def report(result: dict[str, Any], workers: int) -> None:
    lat, errors, check = result["latency_ms"], result["errors"], result["check"]
    print(f"\n{result['layout']}: {result['servers']} app server(s) x {workers} gunicorn workers")
    print(f"  saves acknowledged  {result['saves_acknowledged']:,} of {result['requests']:,} autosave requests")
    print(
        f"  throughput          {result['throughput_per_second']:.1f} answers/s over {result['elapsed_seconds']:.1f} s"
    )
    print(f"  latency             p50 {lat['p50']:.1f} ms   p95 {lat['p95']:.1f} ms   max {lat['max']:.1f} ms")
    print(
        f"  errors              5xx {errors['5xx']}, no answer {errors['connection']}, other 4xx {errors['4xx_other']};"
        f" 409 {result['conflicts_409']}"
    )
    print(f"  lost answers        {check['lost']} of {check['checked']} acknowledged answers checked in the database")
    log, load = result["server_log"], result["load_average_1min"]
    print(
        f"  server logs         {log['tracebacks']} tracebacks, {log['worker_timeouts']} worker timeouts; "
        f"1-min load {load['before']:.1f} before, {load['after']:.1f} after"
    )
    for problem in result["problems"][:5]:
        print(f"    {problem}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--respondents", type=int, default=200, help=f"at most {MAX_RESPONDENTS}")
    parser.add_argument("--seconds", type=float, default=30, help=f"per layout, at most {MAX_SECONDS}")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn workers per app server")
    args = parser.parse_args()
    respondents = max(1, min(args.respondents, MAX_RESPONDENTS))
    seconds = max(1.0, min(args.seconds, MAX_SECONDS))
    print("certprep: autosaving respondents, one app server and two, over PostgreSQL")
    print("\n".join(machine_lines()))
    results: list[dict[str, Any]] = []
    with tempfile.TemporaryDirectory(prefix="certprep-two-servers-") as temporary, throwaway_postgres() as url:
        folder = Path(temporary)
        environment = certprep_environment(
            {
                "DATABASE_URL": url,
                "CERTPREP_SECRET_KEY": SECRET_KEY,
                "CERTPREP_EMAIL_BACKEND": "django.core.mail.backends.locmem.EmailBackend",
                "CERTPREP_HTTPS": "0",
            },
            folder / "var",
        )
        os.environ.update(environment)  # prepare() sets Django up in this process, on the same settings
        print(f"preparing the database ({respondents} respondents) ...", flush=True)
        survey = prepare(respondents)
        print(f"{survey.database_version}; {len(survey.questions)} text questions", flush=True)
        versions = {p.number: dict.fromkeys(p.questions, 0) for p in survey.people}
        for layout, names, workers in LAYOUTS:
            people = _fresh(survey.people)
            with _servers(environment, folder, names, workers * args.workers) as servers:
                results.append(measure(layout, people, servers, versions, seconds))
            report(results[-1], workers * args.workers)
    figures_of = {result["layout"]: result for result in results}
    two = figures_of["two"]
    ratios: dict[str, float | None] = {}
    for layout in ("one", "one-doubled"):
        other = figures_of[layout]
        ratios[f"throughput_two_over_{layout}"] = ratio(two["throughput_per_second"], other["throughput_per_second"])
        ratios[f"p95_two_over_{layout}"] = ratio(two["latency_ms"]["p95"], other["latency_ms"]["p95"])
        print(
            f"\ntwo servers / {layout}: throughput {ratios[f'throughput_two_over_{layout}']}x "
            f"({two['throughput_per_second']:.1f} vs {other['throughput_per_second']:.1f} answers/s), "
            f"p95 {ratios[f'p95_two_over_{layout}']}x "
            f"({two['latency_ms']['p95']:.1f} vs {other['latency_ms']['p95']:.1f} ms)"
        )
    RESULTS.mkdir(exist_ok=True)
    SUMMARY.write_text(
        json.dumps(
            {
                "machine": machine_lines(),
                "database": survey.database_version,
                "arguments": {"respondents": respondents, "seconds": seconds, "workers": args.workers},
                "layouts": results,
                "ratios": ratios,
            },
            indent=2,
        )
    )
    bad = [r["layout"] for r in results if r["check"]["lost"] or r["errors"]["5xx"] or r["errors"]["connection"]]
    print(f"\nFAILED on {', '.join(bad)}: see above." if bad else "\nNo answer lost, no 5xx, no request unanswered.")
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
