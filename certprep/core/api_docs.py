"""The OpenAPI description says everything an operation can answer and what its input must be.

Operations name the error statuses that depend on what they do (api_errors.READ/WRITE/VERSIONED);
`DocumentedAPI` adds the ones that follow from an operation's shape, so no operation can forget them:

- 401 when it needs a token;
- 404 when its path names objects;
- 422 when it takes any input (path, query or body);
- 400 and 413 when it takes a body (unreadable, or larger than the request limit);
- 503 always: a database too busy to take the request answers "send it again" (core.busy), with Retry-After.

Every error status is described the same way, with the shared error schema. An uploaded file is documented
as at least one byte long: every upload route refuses an empty file.
"""

from __future__ import annotations

from typing import Any

from ninja import NinjaAPI, Schema
from ninja.openapi.schema import REF_TEMPLATE, OpenAPISchema
from ninja.schema import NinjaGenerateJsonSchema

from certprep.core.api_errors import ErrorOut, ValidationErrorOut

DESCRIPTIONS = {
    400: "Refused: a rule of the domain, an unknown object named in the body, or a body that is not JSON; "
    "`field` names the input",
    401: "Missing, wrong or expired token",
    403: "Your role does not allow this",
    404: "Not found, or not in one of your engagements",
    409: "Changed by someone else since you read it: read it again",
    413: "The request body is larger than the limit",
    422: "The input does not match this description; `errors` lists every problem",
    429: "Too many attempts: wait and try again",
    503: "The database is busy: nothing was changed; send the request again after Retry-After seconds",
}
RETRY_AFTER = {
    "Retry-After": {
        "description": "Seconds to wait before sending again",
        "required": True,
        "schema": {"type": "integer"},
    }
}


def _operations(schema: dict[str, Any]) -> list[dict[str, Any]]:
    return [operation for path_item in schema.get("paths", {}).values() for operation in path_item.values()]


def _component(model: type[Schema]) -> dict[str, Any]:
    return model.model_json_schema(ref_template=REF_TEMPLATE, schema_generator=NinjaGenerateJsonSchema)


def _error_response(status: int) -> dict[str, Any]:
    name = ValidationErrorOut.__name__ if status == 422 else ErrorOut.__name__
    response: dict[str, Any] = {
        "description": DESCRIPTIONS.get(status, "Error"),
        "content": {"application/json": {"schema": {"$ref": REF_TEMPLATE.format(model=name)}}},
    }
    if status == 503:
        response["headers"] = RETRY_AFTER
    return response


def shape_statuses(operation: dict[str, Any]) -> set[int]:
    """The error statuses an operation answers because of its shape (see the module docstring)."""
    parameters = operation.get("parameters") or []
    has_body = "requestBody" in operation
    statuses = {503}
    if operation.get("security"):
        statuses.add(401)
    if any(p.get("in") == "path" for p in parameters):
        statuses.add(404)
    if parameters or has_body:
        statuses.add(422)
    if has_body:
        statuses |= {400, 413}
    return statuses


def document_errors(schema: dict[str, Any]) -> dict[str, Any]:
    """Add the shape statuses to every operation and describe every error status the same way."""
    components = schema.setdefault("components", {}).setdefault("schemas", {})
    components[ErrorOut.__name__] = _component(ErrorOut)
    components[ValidationErrorOut.__name__] = _component(ValidationErrorOut)
    for operation in _operations(schema):
        responses = operation.setdefault("responses", {})
        for status in shape_statuses(operation):
            responses.setdefault(status, _error_response(status))
        for status, response in responses.items():
            if int(status) in DESCRIPTIONS:
                response["description"] = DESCRIPTIONS[int(status)]
        operation["responses"] = dict(sorted(responses.items(), key=lambda item: int(item[0])))
    return schema


def document_uploads(schema: dict[str, Any]) -> dict[str, Any]:
    """An uploaded file has at least one byte: every upload route refuses an empty file."""
    for operation in _operations(schema):
        for media in operation.get("requestBody", {}).get("content", {}).values():
            for prop in media.get("schema", {}).get("properties", {}).values():
                if prop.get("format") == "binary":
                    prop["minLength"] = 1
    return schema


class DocumentedAPI(NinjaAPI):
    """A NinjaAPI whose OpenAPI description lists every error status each operation can answer."""

    def get_openapi_schema(
        self, *, path_prefix: str | None = None, path_params: dict[str, Any] | None = None
    ) -> OpenAPISchema:
        schema = super().get_openapi_schema(path_prefix=path_prefix, path_params=path_params)
        document_errors(schema)
        document_uploads(schema)
        return schema
