"""The plan exchanged with MS Project: the plan as MS Project XML (MSPDI)."""

from typing import Any

from django.http import HttpRequest
from django.utils import timezone
from ninja import Router

from certprep.core.api_errors import READ
from certprep.core.downloads import download
from certprep.planning.access import plan_for
from certprep.planning.api.common import BASE
from certprep.planning.exchange.mspdi_write import CONTENT_TYPE, mspdi_bytes, mspdi_filename
from certprep.planning.selectors.exchange import plan_document

router = Router()
EXCHANGE = BASE + "/exchange"


@router.get(
    EXCHANGE + "/mspdi",
    response=READ,
    summary="The plan as MS Project XML (MSPDI), for MS Project 2007 and later and ProjectLibre",
    openapi_extra={"responses": {200: {"description": "The MS Project XML file", "content": {CONTENT_TYPE: {}}}}},
)
def mspdi_export(request: HttpRequest, engagement_id: int) -> Any:
    plan, _m = plan_for(request.user, engagement_id)
    return download(
        mspdi_bytes(plan_document(plan)),
        filename=mspdi_filename(plan.engagement.name, timezone.localdate()),
        content_type=CONTENT_TYPE,
    )
