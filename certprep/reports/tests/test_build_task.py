"""A report build through the real queue: the request is queued on Django's Tasks (database backend) after the
commit, the worker (db_worker, run in-process for a batch) takes it, and the build goes queued -> running -> done
with its files, which independent readers open; a failing format marks the build failed and keeps what was made."""

from __future__ import annotations

import pytest
from django.core.management import call_command
from django_tasks_db.models import DBTaskResult

from certprep.reports.models import ReportBuild
from certprep.reports.services import drawing
from certprep.reports.services.builds import build_request
from certprep.reports.tests.readers import docx_headings, docx_text, pdf_text, xlsx_cells

# The worker checks its connection between jobs (close_old_connections), which would close a test's wrapping
# transaction: these tests commit for real, as the page and the worker do.
pytestmark = pytest.mark.django_db(transaction=True)


def _work() -> None:
    call_command("db_worker", batch=True, reload=False, startup_delay=False, verbosity=0)


def _queue(engagement, owner, documents, languages=("en", "zh-hans")) -> ReportBuild:
    build = build_request(engagement=engagement, actor=owner, documents=documents, languages=languages)
    build.refresh_from_db()
    return build


def test_a_build_is_queued_after_the_commit_and_the_worker_writes_every_file(engagement, owner, sample_parts, media):
    build = _queue(engagement, owner, ["sample_brief", "sample"])
    assert build.status == "queued"
    assert (build.steps_done, build.steps_total) == (0, 10)  # sample: Word, PDF, Excel; brief: Word, PDF; x 2
    task = DBTaskResult.objects.get(id=build.task_result_id)
    assert task.status == "READY"
    assert task.args_kwargs == {"args": [build.pk], "kwargs": {}}

    _work()

    build.refresh_from_db()
    assert build.status == "done", build.message
    assert (build.steps_done, build.steps_total, build.current_step) == (10, 10, "")
    assert build.started_at is not None
    assert build.finished_at is not None
    assert DBTaskResult.objects.get(id=build.task_result_id).status == "SUCCESSFUL"
    # The section saw the build running, its progress moving file by file (documents in the page's order:
    # the sample report, then the brief; English, then Chinese), and was built once per language: the brief
    # carries the same section, and a build builds a section once per language.
    assert sample_parts.SEEN == [("running", 0), ("running", 3)]
    files = {(f.document, f.language, f.format): f for f in build.files.all()}
    assert sorted(files) == sorted(
        [
            (d, lang, fmt)
            for d, fmts in (("sample", "docx pdf xlsx"), ("sample_brief", "docx pdf"))
            for lang in ("en", "zh-hans")
            for fmt in fmts.split()
        ]
    )
    pdf = files[("sample", "en", "pdf")]
    assert pdf.name == "budget-en.pdf"
    assert pdf.file.name == f"reports/{engagement.pk}/{build.pk}/budget-en.pdf"
    data = pdf.file.read()
    assert pdf.size == len(data) > 0
    text = pdf_text(data)
    for words in (
        "Budget",
        "Client A Ltd",
        "Vendors",
        "Acme Certification",
        "could not be written",
        "not available yet",
    ):
        assert words in text
    zh_pdf = pdf_text(files[("sample", "zh-hans", "pdf")].file.read())
    assert "预算" in zh_pdf
    assert "本节暂不可用" in zh_pdf
    en_docx = files[("sample", "en", "docx")].file.read()
    assert {"Budget", "Vendors"} <= set(docx_headings(en_docx))
    assert "Client A Ltd <b>&amp; Budget</b>" in docx_text(en_docx)  # user text as written, never markup
    assert "预算" in docx_text(files[("sample_brief", "zh-hans", "docx")].file.read())
    cells = xlsx_cells(files[("sample", "en", "xlsx")].file.read())
    assert any("Acme Certification" in row for rows in cells.values() for row in rows)


def test_a_failing_format_fails_the_build_with_a_message_and_keeps_the_files_made(
    engagement, owner, sample_parts, media, monkeypatch
):
    real = drawing.renderer

    def renderer(fmt):
        if fmt == "pdf":

            def broken(content):
                raise OSError("No space left on device")

            return broken
        return real(fmt)

    monkeypatch.setattr(drawing, "renderer", renderer)
    build = _queue(engagement, owner, ["sample_brief"], ["en"])

    _work()

    build.refresh_from_db()
    assert build.status == "failed"
    assert build.message == "OSError: No space left on device"
    assert (build.steps_done, build.steps_total) == (1, 2)
    assert build.current_step == "sample_brief:en:pdf"
    assert [(f.document, f.format) for f in build.files.all()] == [("sample_brief", "docx")]
    assert DBTaskResult.objects.get(id=build.task_result_id).status == "FAILED"


def test_a_build_deleted_while_it_runs_stops_and_leaves_no_file(engagement, owner, sample_parts, media, monkeypatch):
    real = drawing.renderer

    def renderer(fmt):
        def deleting(content):
            ReportBuild.objects.filter(pk=build.pk).delete()
            return real(fmt)(content)

        return deleting

    monkeypatch.setattr(drawing, "renderer", renderer)
    build = _queue(engagement, owner, ["sample_brief"], ["en"])

    _work()

    assert not ReportBuild.objects.filter(pk=build.pk).exists()
    assert not any(media.rglob("*.docx"))
