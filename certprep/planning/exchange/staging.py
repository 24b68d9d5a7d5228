"""A file kept between its preview and the person's confirmation: stored under a random token in a folder of
its engagement and uploader, so only the person who uploaded it can import it, and removed once imported (or
when the same person uploads the next one)."""

from __future__ import annotations

import re
import secrets

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.utils.translation import gettext as _

from certprep.core.errors import ServiceError
from certprep.core.storage import stored_under

_TOKEN = re.compile(r"^[0-9a-f]{32}$")
EXTENSIONS = ("xml", "mpp")


def _folder(engagement_id: int, user_id: int) -> str:
    return f"plan-imports/{engagement_id}/{user_id}"


def _discard(folder: str) -> None:
    # Listed, not asked whether the folder exists: an object store has no folders, only names sharing a prefix.
    for name in stored_under(folder):
        default_storage.delete(name)


def stage(*, engagement_id: int, user_id: int, data: bytes, file_name: str) -> str:
    """Keep the file for its import; the token that names it."""
    folder = _folder(engagement_id, user_id)
    _discard(folder)
    token = secrets.token_hex(16)
    extension = file_name.rsplit(".", 1)[-1].lower()
    default_storage.save(f"{folder}/{token}.{extension if extension in EXTENSIONS else 'xml'}", ContentFile(data))
    return token


def staged(*, engagement_id: int, user_id: int, token: str) -> bytes:
    """The staged file's bytes; ServiceError when the token names none (expired, imported, or not yours)."""
    folder = _folder(engagement_id, user_id)
    if _TOKEN.match(token):
        for extension in EXTENSIONS:
            path = f"{folder}/{token}.{extension}"
            if default_storage.exists(path):
                with default_storage.open(path, "rb") as stored:
                    data: bytes = stored.read()
                return data
    raise ServiceError(_("The uploaded file is no longer waiting to be imported: upload it again."))


def unstage(*, engagement_id: int, user_id: int) -> None:
    _discard(_folder(engagement_id, user_id))
