"""Running a report build (the worker's side): each document in each language is gathered once (a section several
documents carry, once per language) and drawn in each of its formats, on the drawing processes (services/drawing.py)
while the next document is gathered; every file is stored as soon as it is drawn, in the build's order, and the
build's progress moves, so the reports page shows how far it has come. An error marks the build failed with a message
people can read and keeps the files already made. Progress is written with plain UPDATEs outside any transaction, so
readers see it at once; it does not bump the build's version (the version guards what people change: deleting it). A
running build carries a heartbeat (heartbeat_at), written with each progress step and, between steps, every quarter
of CERTPREP_TASK_STALE_SECONDS by a small thread of the worker: a single long PDF of a large engagement may take
longer than the limit to lay out, and a heartbeat written only after each file would then call a busy worker stopped.
The thread dies with its process, so a killed worker's heartbeat stops at once, and recovery
(certprep.core.background, the one machinery of background jobs) queues the build again or fails it. Every write is
conditional on the build still running this attempt: a worker whose build was recovered under it (taken for stopped,
then came back) stops at its next step instead of writing beside the new attempt."""

from __future__ import annotations

from collections import deque
from concurrent.futures import Future
from dataclasses import dataclass

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import translation
from django.utils.text import slugify

from certprep.core.background import (
    JobGone,
    job_done,
    job_run,
    job_update,
    this_attempt,
)
from certprep.core.documents import ReportDocument, reads_shared
from certprep.core.downloads import safe_filename
from certprep.reports.choices import FileFormat
from certprep.reports.gather import documents_by_key, gather, local_day
from certprep.reports.models import ReportBuild, ReportFile
from certprep.reports.render import Content, Section
from certprep.reports.services.drawing import Drawer


def formats_of(document: ReportDocument, asked: list[str]) -> list[str]:
    return [fmt for fmt in asked if fmt != FileFormat.XLSX or document.tabular]


def file_name(document: ReportDocument, language: str, fmt: str) -> str:
    """A safe, readable name: the English title as a slug, the language and the format's extension
    ("certification-feasibility-scheme-zh-hans.pdf")."""
    with translation.override("en"):
        stem = slugify(str(document.title)) or slugify(document.key) or "report"
    return safe_filename(f"{stem}-{language}.{fmt}", fallback=f"report-{language}.{fmt}")


def step_key(document: str, language: str, fmt: str) -> str:
    """The current step as the build stores it (language-neutral; the page words it in the reader's language)."""
    return f"{document}:{language}:{fmt}"


def _steps(build: ReportBuild) -> list[tuple[ReportDocument, str, list[str]]]:
    """(document, language, formats) in the order the build writes them."""
    declared = documents_by_key()
    return [
        (declared[key], language, formats_of(declared[key], list(build.formats)))
        for key in build.documents
        if key in declared  # a document its part no longer declares: nothing to write
        for language in build.languages
    ]


def _store(build: ReportBuild, document: ReportDocument, language: str, fmt: str, data: bytes) -> ReportFile:
    report = ReportFile(
        build=build,
        document=document.key,
        language=language,
        format=fmt,
        name=file_name(document, language, fmt),
        size=len(data),
    )
    report.file.save(report.name, ContentFile(data), save=False)
    try:
        with transaction.atomic():
            if not this_attempt(build).select_for_update().exists():
                raise JobGone
            report.save()
    except Exception:
        report.file.delete(save=False)
        raise
    return report


@dataclass(frozen=True)
class _Drawing:
    """A file handed to the drawing processes, waiting to be stored."""

    document: ReportDocument
    language: str
    fmt: str
    content: Content
    future: Future[bytes]


def _write(build: ReportBuild) -> None:
    steps = _steps(build)
    job_update(build, steps_total=sum(len(formats) for _d, _l, formats in steps))
    day = local_day(build.engagement)
    drawer = Drawer()
    memo: dict[tuple[str, str], Section] = {}
    pending: deque[_Drawing] = deque()
    done = 0

    def store(wait: bool) -> None:
        """Store the files drawn so far in the build's order (all of them when `wait`); the current step is the
        first file not stored yet."""
        nonlocal done
        while pending and (wait or pending[0].future.done()):
            drawing = pending[0]
            job_update(build, current_step=step_key(drawing.document.key, drawing.language, drawing.fmt))
            data = drawer.result(drawing.future, drawing.content, drawing.fmt)
            _store(build, drawing.document, drawing.language, drawing.fmt, data)
            pending.popleft()
            done += 1
            job_update(build, steps_done=done)

    with reads_shared():
        try:
            for document, language, formats in steps:
                if not pending:
                    job_update(build, current_step=step_key(document.key, language, formats[0]))
                content = gather(build.engagement, document, language, on=day, memo=memo)
                for fmt in formats:
                    pending.append(_Drawing(document, language, fmt, content, drawer.submit(content, fmt)))
                store(wait=False)
            store(wait=True)
        finally:
            for drawing in pending:  # the build failed or was deleted: what is still queued is not drawn
                drawing.future.cancel()
    job_done(build, current_step="")


def build_run(build_id: int, *, worker_id: str = "", task_id: str = "") -> ReportBuild | None:
    """Run the queued build (core.background.job_run); returns it as it ended. Raises what made it fail, after
    recording the failure on the build (the step it stopped at stays its current step)."""
    return job_run(
        ReportBuild.objects.select_related("engagement"),
        build_id,
        _write,
        worker_id=worker_id,
        task_id=task_id,
        begin={"steps_done": 0, "current_step": ""},
    )
