"""`manage.py move_installation` on the demo engagement, as real processes: the demo loaded into a SQLite file with
its files in a local folder (its report pack), moved into a throwaway PostgreSQL and moto's S3 server, then read
back by this test on its own (rows through Django on both databases, files hashed from the folder and from the
bucket's objects)."""

from __future__ import annotations

import hashlib
import json
import subprocess
import time
from pathlib import Path
from typing import Any

import pytest

from certprep.core import moving
from tests.servers import PYTHON, ROOT, ObjectStore, certprep_environment, manage, moto_server, throwaway_postgres

PREFIX = "installs/harbourline"

# Every model's rows as this test reads them through Django: the count and a SHA-256 of every row's values in key
# order (JSON with sorted keys, so a jsonb column's own key order does not matter).
ROWS_SCRIPT = """
import hashlib, json
from django.apps import apps
found = {}
for model in apps.get_models(include_auto_created=True):
    if model._meta.proxy or not model._meta.managed:
        continue
    names = [f.attname for f in model._meta.local_concrete_fields]
    rows = list(model._base_manager.order_by("pk").values_list(*names))
    text = json.dumps([list(row) for row in rows], sort_keys=True, default=str)
    found[model._meta.label] = [len(rows), hashlib.sha256(text.encode()).hexdigest()]
print(json.dumps(found))
"""


def _shell(environment: dict[str, str], code: str) -> str:
    """The last line `manage.py shell -c CODE` printed (the shell may say what it imported first)."""
    said = manage(environment, "shell", "-c", code).strip().splitlines()
    return said[-1] if said else ""


def _rows(environment: dict[str, str]) -> dict[str, list[Any]]:
    return json.loads(_shell(environment, ROWS_SCRIPT))


def _folder_files(media: Path) -> dict[str, str]:
    return {
        path.relative_to(media).as_posix(): hashlib.sha256(path.read_bytes()).hexdigest()
        for path in media.rglob("*")
        if path.is_file()
    }


def _bucket_files(store: ObjectStore) -> dict[str, str]:
    client = store.client()
    found = {}
    for key in store.keys(PREFIX + "/"):
        body = client.get_object(Bucket=store.bucket, Key=key)["Body"].read()
        found[key.removeprefix(PREFIX + "/")] = hashlib.sha256(body).hexdigest()
    return found


def _move(source: dict[str, str], url: str, store: ObjectStore, *more: str) -> subprocess.CompletedProcess[str]:
    options = [f"--to-s3-{k.removeprefix('CERTPREP_S3_').lower().replace('_', '-')}" for k in store.settings()]
    values = [value for pair in zip(options, store.settings().values(), strict=True) for value in pair]
    return subprocess.run(  # noqa: S603 - our own command
        [PYTHON, "manage.py", "move_installation", "--to-database", url, *values, "--to-s3-prefix", PREFIX, *more],
        cwd=ROOT, env=source, capture_output=True, text=True, timeout=600, check=False,
    )  # fmt: skip


def test_the_demo_moves_to_postgresql_and_an_object_store_and_is_checked(tmp_path: Path) -> None:
    var = tmp_path / "var"
    # The source as a single machine runs it: SQLite and the local folder, whatever this test run's environment.
    source = certprep_environment(
        {
            "DATABASE_URL": f"sqlite:///{var / 'certprep.sqlite3'}",
            "CERTPREP_S3_BUCKET": "",
            "CERTPREP_REPORT_PROCESSES": "0",
            # The key the installation keeps (docs/deploy.md: the moved installation is given the same one; with
            # an object store the settings refuse to start without it).
            "CERTPREP_SECRET_KEY": "certprep-move-test-key-not-secret-0123456789-abcdefghijklmnop",
        },
        var,
    )
    manage(source, "migrate", "--noinput")
    manage(source, "load_demo")
    media = var / "media"
    files_before = _folder_files(media)
    assert any(name.startswith("reports/") for name in files_before), "the demo's report pack is stored as files"

    with throwaway_postgres() as url, moto_server() as store:
        target = {**source, "DATABASE_URL": url, **store.settings(), "CERTPREP_S3_PREFIX": PREFIX}
        manage(target, "migrate", "--noinput")

        started = time.monotonic()
        moved = _move(source, url, store)
        print(f"\nmove_installation of the demo: {time.monotonic() - started:.1f} s")  # a figure, never asserted
        assert moved.returncode == 0, moved.stdout + moved.stderr
        assert "Everything arrived" in moved.stdout
        assert "rows  survey.Answer:" in moved.stdout  # progress, model by model

        source_rows, target_rows = _rows(source), _rows(target)
        assert source_rows["engagements.Engagement"][0] == 1
        assert source_rows["reports.ReportFile"][0] > 0
        assert target_rows == source_rows
        assert _bucket_files(store) == files_before
        assert len(files_before) > 0

        # The sequences start past the copied keys: a new row on the target takes a new key.
        new_key = _shell(
            target, "from django.contrib.auth.models import User as U; print(U.objects.create(username='new').pk)"
        )
        assert int(new_key) > max(3, source_rows["auth.User"][0])

        # Moving again is refused: the target is no longer empty, and nothing of it changes.
        again = _move(source, url, store)
        assert again.returncode != 0
        assert "not empty" in again.stderr
        assert _bucket_files(store) == files_before

        # A file lost from the bucket after the move: the check fails and names it.
        lost = sorted(files_before)[0]
        store.client().delete_object(Bucket=store.bucket, Key=f"{PREFIX}/{lost}")
        _shell(target, "from django.contrib.auth.models import User as U; U.objects.filter(username='new').delete()")
        checked = _move(source, url, store, "--check-only")
        assert checked.returncode != 0
        assert f"file {lost}: missing in the target" in checked.stdout
        assert "1 differences" in checked.stderr


def test_it_reads_the_target_from_an_env_file_with_options_over_it(tmp_path: Path) -> None:
    env_file = tmp_path / "target.env"
    env_file.write_text(
        "# the new installation\nexport DATABASE_URL='postgres://app@db/certprep'\n\nCERTPREP_S3_BUCKET=\"files\"\n"
        "CERTPREP_S3_PREFIX=one\n"
    )
    found = moving.target_environment(env_file, {"CERTPREP_S3_PREFIX": "two", "CERTPREP_S3_REGION": None})
    assert found == {
        "DATABASE_URL": "postgres://app@db/certprep",
        "CERTPREP_S3_BUCKET": "files",
        "CERTPREP_S3_PREFIX": "two",
    }


def test_it_refuses_an_env_file_line_that_is_not_a_setting(tmp_path: Path) -> None:
    env_file = tmp_path / "target.env"
    env_file.write_text("DATABASE_URL=postgres://db/certprep\nnot a setting\n")
    with pytest.raises(moving.MoveRefused, match="line 2"):
        moving.read_env_file(env_file)
