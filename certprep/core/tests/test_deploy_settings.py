"""The production settings refuse a multi-machine installation (files in an object store) that would give each
machine its own secret key: sessions, forms and personal links made on one would be refused by the others."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]


def _start(tmp_path: Path, **extra: str) -> subprocess.CompletedProcess[str]:
    environment = {key: value for key, value in os.environ.items() if not key.startswith("CERTPREP_")}
    environment.update(
        {"DJANGO_SETTINGS_MODULE": "config.settings", "CERTPREP_VAR_DIR": str(tmp_path), "PYTHONPATH": str(ROOT)}
    )
    environment.update(extra)
    return subprocess.run(  # noqa: S603 - our own settings, in a fresh interpreter
        [sys.executable, "-c", "import django; django.setup(); print('started')"],
        cwd=ROOT, env=environment, capture_output=True, text=True, timeout=120, check=False,
    )  # fmt: skip


def test_an_object_store_without_a_shared_secret_key_is_refused_at_start(tmp_path: Path) -> None:
    refused = _start(tmp_path, CERTPREP_S3_BUCKET="certprep-files")
    assert refused.returncode != 0
    assert "give every app server and worker the same CERTPREP_SECRET_KEY" in refused.stderr
    assert not (tmp_path / "secret_key").exists()  # no machine-local key was made


def test_with_the_shared_key_it_starts_and_alone_on_one_machine_it_makes_its_own(tmp_path: Path) -> None:
    shared = _start(tmp_path, CERTPREP_S3_BUCKET="certprep-files", CERTPREP_SECRET_KEY="k" * 50)
    assert shared.stdout.strip() == "started", shared.stderr
    local = _start(tmp_path)
    assert local.stdout.strip() == "started", local.stderr
    assert (tmp_path / "secret_key").exists()
