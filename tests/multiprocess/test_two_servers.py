"""certprep as several processes (issue 16, "How it is checked"): two gunicorn app servers and a task worker over
one PostgreSQL and one S3-compatible object store, each a real process on 127.0.0.1 (conftest.py). Whatever one
server did, the other sees: answers, files, report builds, the sign-in lock-out; a worker killed in the middle of
a build leaves it retried, never "running" for ever.

The clients are plain HTTP (web.py), as a browser behind a load balancer or an API client would be; the checks
read the database and the bucket directly, as an operator would. Every wait is bounded."""

from __future__ import annotations

import email
import hashlib
import html
import os
import re
import struct
import threading
import time
import zlib
from collections.abc import Callable
from typing import Any

import pytest

from certprep.engagements.selectors import INVITATION_MAIL
from tests.multiprocess.conftest import FAILURE_LIMIT, PASSWORD, STALE_SECONDS, Installation
from tests.multiprocess.web import Answer, Visitor, api_token

pytestmark = pytest.mark.multiprocess

SAVES_PER_QUESTION = 25
BUILD_SECONDS = 240  # a report build on a busy 2-core machine, with room to spare


def _wait_for(check: Callable[[], Any], what: str, seconds: float, every: float = 0.5) -> Any:
    """Poll until `check` returns something true; its value, or a failure that says what never happened."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if found := check():
            return found
        time.sleep(every)
    pytest.fail(f"{what} did not happen within {seconds:g} s")


def _token(server: str, username: str) -> str:
    answer = api_token(server, username, PASSWORD)
    assert answer.status == 200, answer.text
    return str(answer.json()["token"])


def _signed_in(server: str, username: str) -> Visitor:
    visitor = Visitor()
    answer = visitor.sign_in(server, username, PASSWORD)
    assert answer.status == 302, f"{username} could not sign in through {server}: {answer.status} {answer.text[:300]}"
    return visitor


def _png(size: int) -> bytes:
    """A picture of `size` random bytes of pixels (incompressible): evidence as a scan or a photo would be."""
    width = 256
    rows = max(1, size // (width * 3))
    pixels = os.urandom(rows * width * 3)
    raw = b"".join(b"\x00" + pixels[r * width * 3 : (r + 1) * width * 3] for r in range(rows))

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)

    header = struct.pack(">IIBBBBB", width, rows, 8, 2, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(raw, 0)) + chunk(b"IEND", b"")


# --- health ----------------------------------------------------------------------------------------------


def test_both_servers_answer_the_load_balancer_s_health_checks(installation: Installation) -> None:
    for server in (installation.a, installation.b):
        alive = Visitor().get(f"{server}/healthz")
        assert (alive.status, alive.json()) == (200, {"status": "ok"})
        ready = Visitor().get(f"{server}/readyz")
        assert (ready.status, ready.json()) == (200, {"status": "ok", "database": "ok", "storage": "ok"})


# --- answers -----------------------------------------------------------------------------------------------


def test_a_respondent_autosaving_through_both_servers_loses_no_answer(installation: Installation) -> None:
    facts = installation.facts
    servers = {"A": installation.a, "B": installation.b}
    page_path = f"/r/{facts['token']}/q/{facts['response']}/"
    respondent = Visitor()
    page = respondent.get(installation.a + page_path)
    assert page.status == 200, page.text[:500]
    assert respondent.cookie("csrftoken"), "the questionnaire page set no CSRF cookie"
    versions = {int(q): int(v) for q, v in re.findall(r'name="q(\d+)-version" value="(\d+)"', page.text)}
    questions = [q for q in facts["questions"] if q in versions]
    assert len(questions) >= 3, f"the page shows too few of the text questions {facts['questions']}"
    acknowledged: dict[int, tuple[str, int]] = {}
    refused: list[str] = []

    def type_into(question: int) -> None:
        """One question's saves, as the page sends them (each question on its own), alternately to A and B."""
        version = versions[question]
        for n in range(SAVES_PER_QUESTION):
            name = "AB"[(n + question) % 2]
            value = f"Answer {n} to {question}, saved through {name} — 第{n}次保存"
            answer = respondent.post_form(
                f"{servers[name]}{page_path}a/{question}/",
                {f"q{question}": value, "version": str(version)},
                Accept="application/json",
            )
            if answer.status != 200:
                refused.append(f"{name} q{question} #{n}: {answer.status} {answer.text[:200]}")
                return
            version = int(answer.json()["version"])
            acknowledged[question] = (value, version)

    threads = [threading.Thread(target=type_into, args=(q,)) for q in questions]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=180)
    assert not any(thread.is_alive() for thread in threads), "saves still running after 180 s"
    assert not refused, refused
    assert sorted(acknowledged) == sorted(questions)

    stored = {
        question: (value, version)
        for question, value, version in installation.query(
            "SELECT question_id, value, version FROM survey_answer WHERE response_id = %s", facts["response"]
        )
    }
    for question, (value, version) in acknowledged.items():
        assert stored.get(question) == (value, version), f"question {question}: stored {stored.get(question)}"
    for name, server in servers.items():
        page = Visitor().get(server + page_path)  # a fresh browser: what the respondent sees on reopening
        assert page.status == 200
        for question, (value, version) in acknowledged.items():
            assert html.escape(value) in page.text, f"{name} does not show the answer to {question}"
            assert f'name="q{question}-version" value="{version}"' in page.text


# --- files -------------------------------------------------------------------------------------------------


def test_evidence_uploaded_through_one_server_downloads_through_the_other_and_never_to_an_outsider(
    installation: Installation,
) -> None:
    engagement, rating = installation.facts["engagement"], installation.facts["rating"]
    owner = Visitor(_token(installation.a, "demo"))
    content = _png(300_000)
    uploaded = owner.post_file(
        f"{installation.a}/api/v1/engagements/{engagement}/gaps/ratings/{rating}/evidence/file",
        "file",
        "signed-policy-scan.png",
        content,
        {"title": "Signed service management policy"},
    )
    assert uploaded.status == 201, uploaded.text
    evidence = uploaded.json()
    assert evidence["sha256"] == hashlib.sha256(content).hexdigest()
    api_path = f"/api/v1/engagements/{engagement}/gaps/evidence/{evidence['id']}/download"
    page_path = f"/e/{engagement}/gaps/evidence/{evidence['id']}/download/"

    through_b = owner.get(installation.b + api_path)
    assert through_b.status == 200, through_b.text[:300]
    assert through_b.body == content
    assert through_b.headers["Content-Disposition"].startswith("attachment")
    page_b = _signed_in(installation.b, "demo").get(installation.b + page_path)
    assert page_b.status == 200
    assert page_b.body == content

    # The file is in the bucket (and in no server's folder): the only way it could reach the other server.
    (name,) = installation.query("SELECT file FROM gaps_evidence WHERE id = %s", evidence["id"])[0]
    keys = installation.store.keys()
    assert name in keys
    stored = installation.store.client().get_object(Bucket=installation.store.bucket, Key=name)["Body"].read()
    assert stored == content
    assert not [p for p in installation.folder.glob("var-*/media/**/*") if p.is_file()]

    outsider_api = Visitor(_token(installation.b, "oscar"))
    for server in (installation.a, installation.b):
        refused = outsider_api.get(server + api_path)
        assert refused.status == 404, refused.text[:300]
        assert content not in refused.body
        assert Visitor().get(server + api_path).status == 401
        refused_page = _signed_in(server, "oscar").get(server + page_path)
        assert refused_page.status == 404
        assert content not in refused_page.body


# --- reports -----------------------------------------------------------------------------------------------


def _build(visitor: Visitor, server: str, engagement: int, build: int) -> dict[str, Any]:
    answer = visitor.get(f"{server}/api/v1/engagements/{engagement}/reports/builds/{build}")
    assert answer.status == 200, answer.text[:300]
    return dict(answer.json())


def _request_build(visitor: Visitor, server: str, engagement: int, documents: list[str], languages: list[str]) -> int:
    answer = visitor.post_json(
        f"{server}/api/v1/engagements/{engagement}/reports/builds", {"documents": documents, "languages": languages}
    )
    assert answer.status == 201, answer.text
    return int(answer.json()["id"])


def _stored_object(installation: Installation, report_file: int) -> bytes:
    (name,) = installation.query("SELECT file FROM reports_reportfile WHERE id = %s", report_file)[0]
    return bytes(installation.store.client().get_object(Bucket=installation.store.bucket, Key=name)["Body"].read())


def _downloads_whole(installation: Installation, visitor: Visitor, server: str, built: dict[str, Any]) -> None:
    magic = {"pdf": b"%PDF", "docx": b"PK", "xlsx": b"PK"}
    assert built["files"], built
    for report in built["files"]:
        answer: Answer = visitor.get(server + report["download"])
        assert answer.status == 200, f"{report['name']}: {answer.status} {answer.text[:300]}"
        assert len(answer.body) == report["size"]
        assert answer.body.startswith(magic[report["format"]])
        assert answer.body == _stored_object(installation, report["id"])


def test_a_report_requested_on_one_server_is_built_by_the_worker_and_downloads_through_the_other(
    installation: Installation,
) -> None:
    engagement = installation.facts["engagement"]
    owner = Visitor(_token(installation.a, "demo"))
    build = _request_build(owner, installation.a, engagement, ["budget"], ["en"])
    built = _wait_for(
        lambda: (b := _build(owner, installation.b, engagement, build))["status"] in ("done", "failed") and b,
        f"report build {build}",
        BUILD_SECONDS,
    )
    assert built["status"] == "done", f"{built}\n{installation.logs()}"
    assert built["progress"]["done"] == built["progress"]["total"] == len(built["files"]) == 3
    _downloads_whole(installation, owner, installation.b, built)


# --- e-mail, sent by the worker -----------------------------------------------------------------------------


def _mail_to(installation: Installation, address: str) -> str:
    """The body of the message the worker wrote for `address` (Django's file backend: one file per batch, the
    messages separated by a line of dashes), decoded as a mail reader would."""
    for written in sorted((installation.folder / "mail").glob("*.log")):
        for raw in written.read_text(encoding="utf-8", errors="replace").split("-" * 79):
            message = email.message_from_string(raw.strip())
            if message["To"] == address:
                return bytes(message.get_payload(decode=True)).decode(message.get_content_charset() or "utf-8")
    return ""


def test_an_invitation_queued_through_one_server_is_sent_by_the_worker_and_its_link_opens_through_the_other(
    installation: Installation,
) -> None:
    engagement = installation.facts["engagement"]
    owner = Visitor(_token(installation.a, "demo"))
    address = "oscar@client-b.example"  # opened, never accepted: oscar stays an outsider for the other tests
    answer = owner.post_json(f"{installation.a}/api/v1/engagements/{engagement}/members", {"email": address})
    assert answer.status == 201, answer.text

    text = _wait_for(lambda: _mail_to(installation, address), f"the worker's e-mail to {address}", 60)
    found = re.search(r"/invitations/([A-Za-z0-9_-]{20,})/", text)
    assert found, text
    # What the queue kept of the message: sent, with who and when, and no longer its body (it held the link).
    rows = installation.query(
        "SELECT status, attempts, sent_at IS NOT NULL, body FROM core_outboxmessage WHERE topic = %s "
        'AND engagement_id = %s AND "to"::text LIKE %s',
        INVITATION_MAIL,
        engagement,
        f"%{address}%",
    )
    assert rows == [("done", 1, True, "")], rows

    invitee = _signed_in(installation.b, "oscar")
    page = invitee.get(f"{installation.b}/invitations/{found.group(1)}/")
    assert page.status == 200, page.text[:300]
    assert "Harbourline" in html.unescape(page.text)


# --- an engagement-file import, done by the worker --------------------------------------------------------


def test_an_engagement_file_sent_to_one_server_is_imported_by_the_worker_and_read_through_the_other(
    installation: Installation,
) -> None:
    engagement = installation.facts["engagement"]
    owner = Visitor(_token(installation.a, "demo"))
    exported = owner.get(f"{installation.a}/api/v1/engagements/{engagement}/export")
    assert exported.status == 200, exported.text[:300]
    importer = Visitor(_token(installation.b, "oscar"))
    sent = importer.post_file(
        f"{installation.b}/api/v1/engagements/import", "file", "harbourline.json", exported.body, {}
    )
    assert sent.status == 202, sent.text[:500]
    job = sent.json()
    assert job["status"] in ("queued", "running", "done"), job
    # Waiting is for the file's stored copy and the worker: what the server keeps meanwhile is the object.
    done = _wait_for(
        lambda: (
            (state := importer.get(f"{installation.a}/api/v1/engagements/imports/{job['id']}").json())["status"]
            in ("done", "failed")
            and state
        ),
        f"engagement import {job['id']}",
        BUILD_SECONDS,
    )
    assert done["status"] == "done", f"{done}\n{installation.logs()}"
    imported = importer.get(f"{installation.a}/api/v1/engagements/{done['engagement_id']}")
    assert imported.status == 200, imported.text[:300]
    assert imported.json()["my_role"] == "owner"
    rows = installation.query(
        "SELECT count(*) FROM gaps_rating r JOIN gaps_assessment a ON a.id = r.assessment_id WHERE a.engagement_id IN "
        "(%s, %s) GROUP BY a.engagement_id ORDER BY a.engagement_id",
        engagement,
        done["engagement_id"],
    )
    assert len(rows) == 2, rows
    assert rows[0] == rows[1], rows  # every rating arrived
    # Somebody else's import is nobody else's business, on either server.
    for server in (installation.a, installation.b):
        assert owner.get(f"{server}/api/v1/engagements/imports/{job['id']}").status == 404
    # The file waited in the object store and is gone once imported.
    assert installation.store.keys("imports/") == []


# --- the sign-in lock-out ----------------------------------------------------------------------------------


def test_the_sign_in_lock_out_holds_across_both_servers(installation: Installation) -> None:
    _signed_in(installation.b, "lena")  # the password is right
    attempts = int(installation.query("SELECT count(*) FROM axes_accessattempt WHERE username = 'lena'")[0][0])
    assert attempts == 0
    for _n in range(FAILURE_LIMIT):
        failed = Visitor().sign_in(installation.a, "lena", "not the password")
        assert failed.status in (200, 429)
        assert not failed.headers.get("Location")
    (failures,) = installation.query("SELECT failures_since_start FROM axes_accessattempt WHERE username = 'lena'")[0]
    assert failures == FAILURE_LIMIT

    for server in (installation.b, installation.a):
        visitor = Visitor()
        refused = visitor.sign_in(server, "lena", PASSWORD)
        assert refused.status == 429, f"{server}: {refused.status} {refused.text[:300]}"
        assert not visitor.cookie("sessionid")
        # Still signed out: the engagements send the visitor to the sign-in.
        assert visitor.get(f"{server}/engagements/").status == 302
        token = api_token(server, "lena", PASSWORD)
        assert token.status == 429, token.text
        assert "token" not in token.json()


# --- a worker killed in the middle of a build --------------------------------------------------------------


def test_a_worker_killed_in_the_middle_of_a_build_leaves_it_retried_and_never_running_for_ever(
    installation: Installation,
) -> None:
    engagement = installation.facts["engagement"]
    owner = Visitor(_token(installation.a, "demo"))
    build = _request_build(owner, installation.a, engagement, ["budget", "vendors"], ["en", "zh-hans"])

    def under_way() -> dict[str, Any] | None:
        state = _build(owner, installation.b, engagement, build)
        assert state["status"] not in ("done", "failed"), f"the build ended before the worker was killed: {state}"
        return state if state["status"] == "running" and state["progress"]["done"] >= 1 else None

    before = _wait_for(under_way, f"report build {build} under way", BUILD_SECONDS, every=0.2)
    installation.worker.kill()
    assert before["progress"]["done"] < before["progress"]["total"]
    (status, attempts) = installation.query("SELECT status, attempts FROM reports_reportbuild WHERE id = %s", build)[0]
    assert (status, attempts) == ("running", 1)  # the killed worker cleaned nothing up

    installation.start_worker()
    watcher = _signed_in(installation.b, "demo")
    card = f"{installation.b}/e/{engagement}/reports/builds/{build}/"

    def finished() -> dict[str, Any] | None:
        assert watcher.get(card).status == 200  # the reports page polls the build's card, as a person watching
        state = _build(owner, installation.a, engagement, build)
        return state if state["status"] in ("done", "failed") else None

    after = _wait_for(finished, f"report build {build} recovered", STALE_SECONDS + 2 * BUILD_SECONDS, every=2)
    (attempts, stopped) = installation.query(
        "SELECT attempts, worker_stopped FROM reports_reportbuild WHERE id = %s", build
    )[0]
    assert stopped, "the build was not taken for abandoned"
    if after["status"] == "done":
        assert attempts == 2
        assert after["progress"]["done"] == after["progress"]["total"] == len(after["files"])
        _downloads_whole(installation, owner, installation.a, after)
        # What the killed attempt had stored is gone from the bucket: the build's folder holds its files only.
        names = {
            name for (name,) in installation.query("SELECT file FROM reports_reportfile WHERE build_id = %s", build)
        }
        assert set(installation.store.keys(f"reports/{engagement}/{build}/")) == names
    else:
        assert after["message"], after
    assert not installation.query("SELECT id FROM django_tasks_database_dbtaskresult WHERE status = 'RUNNING'")
