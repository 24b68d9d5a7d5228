"""Reading the reports: the documents the parts offer with their formats, and an engagement's builds with their
files and progress worded in the reader's language (a fixed number of queries, whatever the number of builds)."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Prefetch
from django.utils.translation import gettext as _

from certprep.core.documents import ReportDocument
from certprep.engagements.models import Engagement
from certprep.reports.choices import FileFormat
from certprep.reports.gather import documents_by_key
from certprep.reports.models import ReportBuild, ReportFile
from certprep.reports.services.recovery import worker_note


@dataclass(frozen=True)
class Offer:
    """A document the reports page offers: its declaration and the formats it comes in."""

    document: ReportDocument
    formats: list[str]

    @property
    def format_labels(self) -> list[str]:
        return [str(FileFormat(fmt).label) for fmt in self.formats]


def offers() -> list[Offer]:
    return [
        Offer(document, ["docx", "pdf", "xlsx"] if document.tabular else ["docx", "pdf"])
        for document in documents_by_key().values()
    ]


def language_label(code: str) -> str:
    return {"en": _("English"), "zh-hans": _("Simplified Chinese")}.get(code, code)


def document_title(key: str) -> str:
    document = documents_by_key().get(key)
    return str(document.title) if document is not None else key


def step_words(step: str) -> str:
    """The build's current step ("feasibility:zh-hans:pdf") in the reader's language."""
    if not step:
        return ""
    document, _sep, rest = step.partition(":")
    language, _sep, fmt = rest.partition(":")
    label = str(FileFormat(fmt).label) if fmt in FileFormat.values else fmt
    return _("%(document)s, %(language)s, %(format)s") % {
        "document": document_title(document),
        "language": language_label(language),
        "format": label,
    }


@dataclass(frozen=True)
class FileView:
    report: ReportFile
    format_label: str


@dataclass(frozen=True)
class FileRow:
    """One report in one language, with its files (Word, PDF, Excel) side by side."""

    title: str
    language: str
    files: list[FileView]


@dataclass(frozen=True)
class BuildView:
    """A build as the reports page shows it: its progress step and its files worded in the reader's language."""

    build: ReportBuild
    step: str
    rows: list[FileRow]
    languages: list[str]
    documents: list[str]
    note: str = ""  # what the page says of a build whose worker stopped

    @property
    def files(self) -> list[ReportFile]:
        return [view.report for row in self.rows for view in row.files]


def build_view(build: ReportBuild) -> BuildView:
    """Uses the build's prefetched files when there are (no query), else reads them (one query)."""
    titles = {key: str(document.title) for key, document in documents_by_key().items()}
    rows: dict[tuple[str, str], FileRow] = {}
    for report in build.files.all():
        row = rows.get((report.document, report.language))
        if row is None:
            row = rows[report.document, report.language] = FileRow(
                title=titles.get(report.document, report.document), language=language_label(report.language), files=[]
            )
        label = str(FileFormat(report.format).label) if report.format in FileFormat.values else report.format
        row.files.append(FileView(report=report, format_label=label))
    return BuildView(
        build=build,
        step=step_words(build.current_step),
        rows=list(rows.values()),
        languages=[language_label(code) for code in build.languages],
        documents=[titles.get(key, key) for key in build.documents],
        note=worker_note(build),
    )


def builds_of(engagement: Engagement, *, limit: int | None = None) -> list[BuildView]:
    """The engagement's builds, newest first, each with its files; two queries."""
    builds = ReportBuild.objects.filter(engagement=engagement).prefetch_related(
        Prefetch("files", queryset=ReportFile.objects.order_by("id"))
    )
    found = list(builds[:limit] if limit else builds)
    for build in found:
        build.engagement = engagement
    return [build_view(build) for build in found]


def last_build(engagement: Engagement) -> ReportBuild | None:
    return ReportBuild.objects.filter(engagement=engagement).first()
