"""API list pagination: limit/offset with bounds a database can always execute."""

from __future__ import annotations

from ninja import Field, Schema
from ninja.pagination import LimitOffsetPagination


class BoundedLimitOffset(LimitOffsetPagination):
    """Like ninja's limit/offset, but an absurd offset is a 422, not a database overflow."""

    class Input(Schema):
        limit: int = Field(100, ge=1, le=1000, description="Items per page (at most 1000).")
        offset: int = Field(0, ge=0, le=100_000_000, description="Items to skip.")
