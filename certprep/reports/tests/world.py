"""A finished report build with one file, for the isolation walk and the page tests (no renderer needed: the
file's bytes are written as they are)."""

from __future__ import annotations

from django.core.files.base import ContentFile

from certprep.engagements.models import Engagement
from certprep.reports.models import ReportBuild, ReportFile


def finished_build(engagement: Engagement, *, files: int = 1, data: bytes = b"%PDF-1.7 sample") -> ReportBuild:
    build = ReportBuild.objects.create(
        engagement=engagement,
        documents=["feasibility"],
        languages=["en"],
        formats=["docx", "pdf"],
        status="done",
        steps_done=files,
        steps_total=files,
    )
    for n in range(files):
        report = ReportFile(
            build=build, document=f"doc{n}", language="en", format="pdf", name=f"doc{n}-en.pdf", size=len(data)
        )
        report.file.save(report.name, ContentFile(data), save=True)
    return build


def walk_world(engagement: Engagement) -> dict[str, object]:
    build = ReportBuild.objects.filter(engagement=engagement).first() or finished_build(engagement)
    return {"build": build, "file": build.files.first()}
