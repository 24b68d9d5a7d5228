"""The reports' kind of background job (certprep.core.background): a report build, begun at most twice."""

from __future__ import annotations

from certprep.core.background import JobKind, register
from certprep.reports.models import ReportBuild
from certprep.reports.services import recovery
from certprep.reports.tasks import build_reports

BUILD = register(
    JobKind[ReportBuild](
        key="reports.build",
        model=ReportBuild,
        task=build_reports,
        max_attempts=recovery.MAX_ATTEMPTS,
        restart_values={"steps_done": 0, "current_step": ""},
        restart_message=recovery.restart_message,
        failure_message=recovery.failure_message,
        discard=recovery.discard,
    )
)
