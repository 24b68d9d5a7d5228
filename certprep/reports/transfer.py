"""The reports' section of the engagement file: the finished builds' records, without their files.

Why records only: a report file is derived data. Everything it was written from travels in the other sections,
so whoever imports the engagement builds the pack again from the imported data in one click, and gets what this
installation would write from it. A pack is also heavy (Word, PDF and Excel of six documents in two languages:
megabytes, a third more as base64), and would count against the engagement file's size limit next to the
evidence and survey attachments, which cannot be made again. So the section carries each finished build's request
and outcome (documents, languages, formats, status, progress, message, who asked, when) as the history of what
was built; the imported builds list no files, and the reports page says to build again for files. Builds still
queued or running are left out: no worker in the importing installation would ever finish them.

Lossless for what it carries: exported, imported and exported again gives the same section."""

from __future__ import annotations

import datetime
from collections.abc import Collection
from typing import Annotated, Any

from django.contrib.auth import get_user_model
from django.utils.translation import gettext as _
from pydantic import BaseModel, ConfigDict, Field

from certprep.core.schemas import Choice
from certprep.core.transfer import refuse
from certprep.engagements.models import Engagement
from certprep.reports.choices import LANGUAGE_CODES, BuildStatus, FileFormat
from certprep.reports.models import ReportBuild

Key = Annotated[str, Field(pattern=r"^[a-z0-9_.-]{1,60}$")]


class _Part(BaseModel):
    model_config = ConfigDict(extra="forbid")


class BuildPart(_Part):
    documents: list[Key] = Field(min_length=1, max_length=50)
    languages: list[str] = Field(min_length=1, max_length=2)
    formats: list[Choice[FileFormat]] = Field(min_length=1, max_length=3)
    status: Choice[BuildStatus]
    steps_done: int = Field(ge=0, le=10_000)
    steps_total: int = Field(ge=0, le=10_000)
    current_step: str = Field("", max_length=300)
    message: str = Field("", max_length=2000)
    requested_by: str = Field("", max_length=150)
    requested_by_label: str = Field("", max_length=150)
    created_at: datetime.datetime
    started_at: datetime.datetime | None = None
    finished_at: datetime.datetime | None = None


class ReportsPart(_Part):
    builds: list[BuildPart] = Field(default_factory=list, max_length=10_000)


def reports_export(engagement: Engagement) -> dict[str, Any]:
    """The finished builds, oldest first, as JSON-ready data (one query)."""
    builds = (
        ReportBuild.objects.filter(engagement=engagement, status__in=[BuildStatus.DONE, BuildStatus.FAILED])
        .select_related("requested_by")
        .order_by("created_at", "pk")
    )
    part = ReportsPart(
        builds=[
            BuildPart(
                documents=list(b.documents),
                languages=list(b.languages),
                formats=[FileFormat(f) for f in b.formats],
                status=BuildStatus(b.status),
                steps_done=b.steps_done,
                steps_total=b.steps_total,
                current_step=b.current_step,
                message=b.message,
                requested_by=b.requested_by.get_username() if b.requested_by else "",
                requested_by_label=b.requested_by_label,
                created_at=b.created_at,
                started_at=b.started_at,
                finished_at=b.finished_at,
            )
            for b in builds
        ]
    )
    return part.model_dump(mode="json")


def reports_check(part: ReportsPart) -> None:
    """Refuse a section that does not hold together, before anything is written."""
    for n, build in enumerate(part.builds):
        where = f"reports.builds.{n}"
        if build.status not in (BuildStatus.DONE, BuildStatus.FAILED):
            raise refuse(f"{where}.status", _("only finished builds (done or failed) can be imported."))
        if any(code not in LANGUAGE_CODES for code in build.languages) or len(set(build.languages)) != len(
            build.languages
        ):
            raise refuse(f"{where}.languages", _("the languages are en and zh-hans, each once."))
        if build.steps_done > build.steps_total:
            raise refuse(f"{where}.steps_done", _("more steps done than the build has."))


def reports_import(*, engagement: Engagement, part: ReportsPart, members: Collection[str]) -> None:
    """Write a checked section into the new engagement (who asked is matched among the members by user name)."""
    users = {u.get_username(): u for u in get_user_model().objects.filter(username__in=list(members))}
    made = ReportBuild.objects.bulk_create(
        ReportBuild(
            engagement=engagement,
            requested_by=users.get(b.requested_by) if b.requested_by in members else None,
            **b.model_dump(exclude={"requested_by", "created_at"}),
        )
        for b in part.builds
    )
    # created_at is set on creation; the file's own moment replaces it.
    for build, b in zip(made, part.builds, strict=True):
        ReportBuild.objects.filter(pk=build.pk).update(created_at=b.created_at)
