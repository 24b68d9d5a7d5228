"""What the Django benchmarks share: a fresh database with Django set up, and the timing of one request.

A benchmark script puts the repository on sys.path, then calls fresh_database() before it imports Django or the
product (the settings read the environment when Django starts):

    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

    from bench.harness import fresh_database, timed

    DATABASE = fresh_database("audits")   # bench/results/audits.sqlite3, Django set up

    from certprep...  import ...           # only now
"""

from __future__ import annotations

import os
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from bench.figures import machine_lines, percentile

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "results"

if TYPE_CHECKING:
    from django.test import Client


def fresh_database(name: str) -> Path:
    """Set the environment for a benchmark and set Django up on an empty SQLite file bench/results/`name`.sqlite3.

    Test settings; the file (and its -wal/-shm) deleted first; a throw-away var/ directory (the settings keep a
    secret key there) so a benchmark never touches the developer's var/; django.test.Client's host name allowed.
    Returns the database file's path. The caller migrates.
    """
    database = RESULTS / f"{name}.sqlite3"
    RESULTS.mkdir(exist_ok=True)
    for suffix in ("", "-wal", "-shm"):
        Path(f"{database}{suffix}").unlink(missing_ok=True)
    os.environ["DJANGO_SETTINGS_MODULE"] = "config.settings_test"
    os.environ["DATABASE_URL"] = f"sqlite:///{database}"
    os.environ["CERTPREP_VAR_DIR"] = tempfile.mkdtemp(prefix="certprep-bench-")
    os.environ["CERTPREP_ALLOWED_HOSTS"] = "testserver"
    if str(ROOT) not in sys.path:
        sys.path.insert(0, str(ROOT))

    import django

    django.setup()
    from certprep.core.runtime import tune_garbage_collector

    tune_garbage_collector()  # as the served workers run (config/gunicorn.py)
    return database


def machine(database: Path, *, load: bool = False) -> str:
    """The machine, Django and the database file, one per line; with `load`, the load average when starting."""
    import django

    lines = machine_lines(f"django   {django.get_version()}", f"database {database.relative_to(ROOT)}")
    if load:
        lines.append(f"load     {' '.join(f'{value:.2f}' for value in os.getloadavg())} (1, 5, 15 min) when starting")
    return "\n".join(lines)


@dataclass(frozen=True)
class Timing:
    """Wall time p50/p95 and CPU p95 of the timed runs in ms, and the SQL of one more run (counted apart)."""

    p50: float
    p95: float
    cpu_p95: float  # this process's CPU time: less swayed than wall time by other work on a shared machine
    queries: int
    sql: list[str] = field(repr=False)


def timed(action: Callable[[], Any], runs: int, warm_ups: int) -> Timing:
    """Run `action` `warm_ups` times, then time `runs` runs, then count the queries of one more run.

    The queries are counted apart from the timed runs: capturing SQL slows every query a little.
    """
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    for _ in range(warm_ups):
        action()
    wall, cpu = [], []
    for _ in range(runs):
        start, start_cpu = time.perf_counter(), time.process_time()
        action()
        wall.append((time.perf_counter() - start) * 1000)
        cpu.append((time.process_time() - start_cpu) * 1000)
    with CaptureQueriesContext(connection) as captured:
        action()
    sql = [query["sql"] for query in captured.captured_queries]
    return Timing(statistics.median(wall), percentile(wall, 95), percentile(cpu, 95), len(sql), sql)


def get_ok(client: Client, url: str, headers: dict[str, str] | None = None, what: str = "") -> Callable[[], None]:
    """A GET of `url` through `client` (django.test.Client) that stops the benchmark unless it answers 200."""

    def action() -> None:
        response = client.get(url, headers=headers or {})
        if response.status_code != 200:
            raise SystemExit(f"{what}GET {url} answered {response.status_code}")

    return action
