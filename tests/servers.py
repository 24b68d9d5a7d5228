"""Real servers for the tests that run certprep as separate processes on 127.0.0.1: a throwaway PostgreSQL
cluster, an S3-compatible object store (moto's server, S3 only), gunicorn app servers and task workers.

Each is a context manager that starts the process, waits until it answers, yields what a client needs, and stops
it (and removes what it made) on the way out, also when the test fails. Nothing listens beyond 127.0.0.1, and every
wait is bounded.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from collections.abc import Iterator, Mapping
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
START_SECONDS = 60


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _wait_until(check: object, what: str, seconds: float = START_SECONDS, log: Path | None = None) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if check():  # type: ignore[operator]
            return
        time.sleep(0.1)
    said = log.read_text(encoding="utf-8", errors="replace")[-3000:] if log is not None and log.exists() else ""
    raise TimeoutError(f"{what} did not come up within {seconds:g} s" + (f"; its log ends:\n{said}" if said else ""))


def _answers(url: str) -> bool:
    try:
        with urllib.request.urlopen(url, timeout=2) as response:  # noqa: S310 - a URL on 127.0.0.1 we made
            return bool(response.status < 500)
    except urllib.error.HTTPError as error:
        return error.code < 500
    except OSError:
        return False


def _stop(process: subprocess.Popen[bytes], seconds: float = 15) -> None:
    if process.poll() is None:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=seconds)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=seconds)


def _postgres_bin() -> Path:
    found = sorted(Path("/usr/lib/postgresql").glob("*/bin"), key=lambda p: [int(x) for x in p.parent.name.split(".")])
    if not found:
        raise RuntimeError("PostgreSQL server binaries not found (Debian: apt-get install postgresql)")
    return found[-1]


@contextlib.contextmanager
def throwaway_postgres() -> Iterator[str]:
    """A PostgreSQL cluster of its own on a free port (as scripts/with-postgres makes one); yields the URL of an
    empty database `certprep` in it. As root, the cluster runs as the `postgres` user."""
    bindir = _postgres_bin()
    port = free_port()
    folder = Path(tempfile.mkdtemp(prefix="certprep-pg-"))
    folder.chmod(0o755)
    as_user: list[str] = []
    if os.geteuid() == 0:
        shutil.chown(folder, "postgres", "postgres")
        as_user = ["runuser", "-u", "postgres", "--"]
    data = folder / "data"
    quiet = {"stdout": subprocess.DEVNULL, "stderr": subprocess.STDOUT}
    try:
        subprocess.run(  # noqa: S603 - Debian's PostgreSQL binaries
            [*as_user, str(bindir / "initdb"), "-D", str(data), "-U", "postgres", "--auth=trust", "-E", "UTF8",
             "--locale=C.UTF-8"],
            check=True, timeout=120, **quiet,
        )  # fmt: skip
        options = (
            f"-c listen_addresses=127.0.0.1 -p {port} -k {folder} -c fsync=off -c synchronous_commit=off "
            "-c full_page_writes=off -c max_connections=200"
        )
        subprocess.run(  # noqa: S603
            [*as_user, str(bindir / "pg_ctl"), "-D", str(data), "-l", str(folder / "server.log"), "-w", "-o", options,
             "start"],
            check=True, timeout=120, **quiet,
        )  # fmt: skip
        subprocess.run(  # noqa: S603
            [*as_user, str(bindir / "createdb"), "-h", "127.0.0.1", "-p", str(port), "-U", "postgres", "certprep"],
            check=True, timeout=60, **quiet,
        )  # fmt: skip
        yield f"postgres://postgres@127.0.0.1:{port}/certprep"
    finally:
        subprocess.run(  # noqa: S603
            [*as_user, str(bindir / "pg_ctl"), "-D", str(data), "-m", "immediate", "stop"],
            check=False, timeout=60, **quiet,
        )  # fmt: skip
        shutil.rmtree(folder, ignore_errors=True)


@dataclass(frozen=True)
class ObjectStore:
    """An S3-compatible server and a bucket in it, as certprep's CERTPREP_S3_* settings name them."""

    endpoint_url: str
    bucket: str
    access_key: str = "certprep-test"
    secret_key: str = "certprep-test-secret"  # noqa: S105 - moto accepts any key
    region: str = "us-east-1"

    def settings(self) -> dict[str, str]:
        """The environment variables that point certprep at this store."""
        return {
            "CERTPREP_S3_BUCKET": self.bucket,
            "CERTPREP_S3_ENDPOINT_URL": self.endpoint_url,
            "CERTPREP_S3_REGION": self.region,
            "CERTPREP_S3_ACCESS_KEY_ID": self.access_key,
            "CERTPREP_S3_SECRET_ACCESS_KEY": self.secret_key,
            "CERTPREP_S3_ADDRESSING_STYLE": "path",
        }

    def client(self):  # type: ignore[no-untyped-def] - boto3's client types are generated at run time
        import boto3

        return boto3.client(
            "s3",
            endpoint_url=self.endpoint_url,
            aws_access_key_id=self.access_key,
            aws_secret_access_key=self.secret_key,
            region_name=self.region,
        )

    def keys(self, prefix: str = "") -> list[str]:
        """Every object's key under `prefix`, however many pages."""
        keys: list[str] = []
        for page in self.client().get_paginator("list_objects_v2").paginate(Bucket=self.bucket, Prefix=prefix):
            keys += [item["Key"] for item in page.get("Contents", [])]
        return keys


@contextlib.contextmanager
def moto_server(bucket: str = "certprep-files") -> Iterator[ObjectStore]:
    """moto's S3 server as a process of its own on a free port, with an empty private bucket."""
    port = free_port()
    folder = Path(tempfile.mkdtemp(prefix="certprep-s3-"))
    log = folder / "moto.log"
    with log.open("wb") as out:
        process = subprocess.Popen(  # noqa: S603 - moto's own server
            [PYTHON, "-m", "moto.server", "-H", "127.0.0.1", "-p", str(port)], stdout=out, stderr=subprocess.STDOUT
        )
    try:
        endpoint = f"http://127.0.0.1:{port}"
        _wait_until(lambda: process.poll() is None and _answers(f"{endpoint}/moto-api/"), "moto's S3 server", log=log)
        store = ObjectStore(endpoint_url=endpoint, bucket=bucket)
        store.client().create_bucket(Bucket=bucket)
        yield store
    finally:
        _stop(process)
        shutil.rmtree(folder, ignore_errors=True)


@dataclass
class Served:
    """A process started by the helpers below: its address (for app servers) and its log."""

    process: subprocess.Popen[bytes]
    url: str
    log: Path

    def output(self) -> str:
        return self.log.read_text(encoding="utf-8", errors="replace")

    def kill(self) -> None:
        """Killed at once, as a machine that loses power (SIGKILL: nothing is cleaned up)."""
        if self.process.poll() is None:
            self.process.kill()
            self.process.wait(timeout=30)


def certprep_environment(extra: Mapping[str, str], var_dir: Path) -> dict[str, str]:
    """The environment of a certprep process on the production settings: `extra` (DATABASE_URL, CERTPREP_S3_*)
    over the current environment, its own var/ folder, 127.0.0.1 allowed."""
    environment = {key: value for key, value in os.environ.items() if not key.startswith("PYTEST")}
    environment.update(
        {
            "DJANGO_SETTINGS_MODULE": "config.settings",
            "CERTPREP_VAR_DIR": str(var_dir),
            "CERTPREP_ALLOWED_HOSTS": "127.0.0.1,localhost",
            "PYTHONUNBUFFERED": "1",
        }
    )
    environment.update(extra)
    return environment


def release(environment: Mapping[str, str]) -> None:
    """The release step a deployment runs once before its servers start: migrate, load the catalogue, collect the
    static files (the servers themselves never migrate). collectstatic reads no database: it runs beside the other two,
    as a deployment may run it on each app machine."""
    with ThreadPoolExecutor(max_workers=1) as beside:
        static = beside.submit(manage, environment, "collectstatic", "--noinput", "--verbosity", "0")
        manage(environment, "migrate", "--noinput")
        manage(environment, "load_catalogue")
        static.result()


def manage(environment: Mapping[str, str], *arguments: str, seconds: float = 600) -> str:
    """Run `manage.py ARGUMENTS` to the end (migrate, load_catalogue, load_demo...); its output, or an error
    with it."""
    done = subprocess.run(  # noqa: S603 - our own command
        [PYTHON, "manage.py", *arguments],
        cwd=ROOT, env=dict(environment), capture_output=True, text=True, timeout=seconds, check=False,
    )  # fmt: skip
    if done.returncode:
        raise RuntimeError(f"manage.py {' '.join(arguments)} failed:\n{done.stdout}\n{done.stderr}")
    return done.stdout


@contextlib.contextmanager
def app_server(environment: Mapping[str, str], log_dir: Path, name: str = "app", workers: int = 2) -> Iterator[Served]:
    """gunicorn serving certprep on a free port with `workers` workers (config/gunicorn.py), started as a
    production server is: no migration."""
    port = free_port()
    log = log_dir / f"{name}.log"
    with log.open("wb") as out:
        process = subprocess.Popen(  # noqa: S603 - our own server
            [PYTHON, "-m", "gunicorn", "config.wsgi", "--config", "config/gunicorn.py", "--bind", f"127.0.0.1:{port}",
             "--workers", str(workers)],
            cwd=ROOT, env={**environment, "CERTPREP_WORKERS": str(workers)}, stdout=out, stderr=subprocess.STDOUT,
        )  # fmt: skip
    served = Served(process, f"http://127.0.0.1:{port}", log)
    try:
        _wait_until(
            lambda: process.poll() is None and _answers(f"{served.url}/accounts/signin/"), f"gunicorn {name}", log=log
        )
        yield served
    finally:
        _stop(process)


@contextlib.contextmanager
def task_worker(environment: Mapping[str, str], log_dir: Path, name: str = "worker") -> Iterator[Served]:
    """`manage.py worker` (the background worker as `make run` and a deployment start it: db_worker that
    also recovers the jobs whose worker stopped) until the block ends."""
    log = log_dir / f"{name}.log"
    with log.open("wb") as out:
        process = subprocess.Popen(  # noqa: S603 - our own worker
            [PYTHON, "manage.py", "worker", "--no-reload", "--interval", "0.2"],
            cwd=ROOT, env=dict(environment), stdout=out, stderr=subprocess.STDOUT,
        )  # fmt: skip
    served = Served(process, "", log)
    try:
        time.sleep(1)
        if process.poll() is not None:
            raise RuntimeError(f"worker {name} stopped at once:\n{served.output()}")
        yield served
    finally:
        _stop(process)
