from __future__ import annotations

import io
import os
import shutil
import subprocess
import sys
from pathlib import Path

import polib
import pytest
from django.core.management import call_command
from django.urls import reverse

ROOT = Path(__file__).resolve().parents[3]


@pytest.mark.django_db
def test_migrations_match_the_models():
    out = io.StringIO()
    call_command("makemigrations", "--check", "--dry-run", stdout=out)
    assert "No changes detected" in out.getvalue()


def test_deploy_check_is_clean_with_production_settings(tmp_path):
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "CERTPREP_DEBUG": "false",
        "CERTPREP_SECRET_KEY": "q8!v2Lk#9zR$wX7pT4mN&bC6hJ1sD5fG0yU3eA8iO2lK9rW6tY4uP7qZ1xV5nB3m",
        "CERTPREP_ALLOWED_HOSTS": "certprep.example.com",
        "CERTPREP_HTTPS": "true",
        "CERTPREP_EMAIL_HOST": "smtp.example.com",
        "CERTPREP_VAR_DIR": str(tmp_path),
    }
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


@pytest.mark.django_db
def test_pages_send_a_content_security_policy(client):
    response = client.get(reverse("accounts:login"))
    policy = response["Content-Security-Policy"]
    assert "default-src 'self'" in policy
    assert "object-src 'none'" in policy


def test_the_chinese_catalogue_is_complete_and_compiled():
    po_path = ROOT / "locale" / "zh_Hans" / "LC_MESSAGES" / "django.po"
    assert po_path.exists()
    po = polib.pofile(str(po_path))
    assert len(po) > 100
    untranslated = [e.msgid for e in po.untranslated_entries()]
    fuzzy = [e.msgid for e in po.fuzzy_entries()]
    assert not untranslated, f"untranslated: {untranslated[:10]}"
    assert not fuzzy, f"fuzzy: {fuzzy[:10]}"
    mo = polib.mofile(str(po_path.with_suffix(".mo")))
    assert {e.msgid for e in po.translated_entries()} <= {e.msgid for e in mo}, "run make messages to compile"


# What makemessages reads (it scans the tree like `make messages`), without what it is told to ignore.
NOT_SCANNED = {".venv", ".git", "var", "bench", "test-artifacts", ".mypy_cache", ".ruff_cache", ".hypothesis"}


def test_every_template_string_is_in_the_catalogue(tmp_path):
    """makemessages would add nothing: every user-facing string is marked and extracted.

    It runs on a copy of the tree, so the committed catalogue (which others may be appending to) is never
    written, not even for a moment."""
    tree = tmp_path / "tree"
    shutil.copytree(
        ROOT,
        tree,
        ignore=lambda folder, names: [
            n for n in names if n == "__pycache__" or (Path(folder) == ROOT and n in NOT_SCANNED)
        ],
    )
    result = subprocess.run(
        [sys.executable, "manage.py", "makemessages", "-l", "zh_Hans", "--no-obsolete", "--no-location"],
        cwd=tree,
        capture_output=True,
        text=True,
        check=False,
        env={**os.environ, "DJANGO_SETTINGS_MODULE": "config.settings_test", "CERTPREP_VAR_DIR": str(tmp_path / "var")},
    )
    assert result.returncode == 0, result.stderr
    after = polib.pofile(str(tree / "locale" / "zh_Hans" / "LC_MESSAGES" / "django.po"))
    missing = [e.msgid for e in after.untranslated_entries()] + [e.msgid for e in after.fuzzy_entries()]
    assert not missing, f"strings not translated yet: {missing[:10]}"


@pytest.mark.django_db
def test_switching_language_shows_chinese(client):
    client.post(reverse("set_language"), {"language": "zh-hans", "next": "/accounts/signin/"})
    body = client.get(reverse("accounts:login")).content.decode()
    assert "登录" in body


@pytest.mark.django_db
def test_an_id_too_large_for_the_database_is_not_found_not_a_server_error(owner_client):
    assert owner_client.get("/e/99999999999999999999999/survey/").status_code == 404
    assert owner_client.get("/e/99999999999999999999999/").status_code == 404
