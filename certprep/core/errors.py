"""Errors that services raise and views/API turn into messages for people."""

from __future__ import annotations

from typing import Any


class ServiceError(Exception):
    """A request that breaks a domain rule; the message is shown to the user as it is."""

    def __init__(self, message: str, *, field: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.field = field


class ConflictError(ServiceError):
    """Someone else saved the object after the editor loaded it: the save is refused, never merged."""

    def __init__(self, message: str, *, current: Any = None) -> None:
        super().__init__(message)
        self.current = current
