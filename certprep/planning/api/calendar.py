"""The engagement's working calendar."""

from typing import Any

from django.http import HttpRequest
from ninja import Field, Router, Schema

from certprep.core.actors import SignedInRequest
from certprep.core.api_errors import READ, VERSIONED
from certprep.core.schemas import InputSchema, IsoDate
from certprep.engagements.access import engagement_for
from certprep.engagements.choices import Role
from certprep.planning.access import calendar_in
from certprep.planning.api.common import BASE, VERSION_HELP, sent
from certprep.planning.models import Calendar
from certprep.planning.services.tasks import calendar_update

router = Router()


class CalendarOut(Schema):
    country: str = Field(description="ISO 3166 code whose public holidays apply; empty: none.")
    region: str
    workweek: list[int] = Field(description="Working weekdays, 0 = Monday.")
    days_off: list[str]
    extra_working_days: list[str]
    version: int


class CalendarPatch(InputSchema):
    version: int = Field(ge=1, description=VERSION_HELP)
    country: str | None = Field(None, max_length=2)
    region: str | None = Field(None, max_length=10)
    workweek: list[int] | None = Field(None, max_length=7)
    days_off: list[IsoDate] | None = Field(None, max_length=1000)
    extra_working_days: list[IsoDate] | None = Field(None, max_length=1000)


def calendar_out(calendar: Calendar) -> dict[str, Any]:
    fields = ("country", "region", "workweek", "days_off", "extra_working_days", "version")
    return {name: getattr(calendar, name) for name in fields}


@router.get(BASE + "/calendar", response={200: CalendarOut, **READ}, summary="The working calendar")
def calendar_get(request: HttpRequest, engagement_id: int) -> Any:
    engagement, _m = engagement_for(request.user, engagement_id)
    return calendar_out(calendar_in(engagement))


@router.patch(
    BASE + "/calendar", response={200: CalendarOut, **VERSIONED}, summary="Change the working calendar (editors)"
)
def calendar_patch(request: SignedInRequest, engagement_id: int, payload: CalendarPatch) -> Any:
    engagement, _m = engagement_for(request.user, engagement_id, role=Role.EDITOR)
    calendar = calendar_update(
        calendar=calendar_in(engagement), actor=request.user, expected_version=payload.version, **sent(payload)
    )
    return calendar_out(calendar)
