"""What every section of the engagement file does alike: group rows by what they belong to, read a stored file
for the export, refuse an inconsistent file naming the field, and decode a file's bytes from the file checking
them against the size and sha256 the file states."""

from __future__ import annotations

import base64
import binascii
import hashlib
from collections import defaultdict
from collections.abc import Iterable
from typing import Any

from django.db.models.fields.files import FieldFile
from django.utils.translation import gettext as _

from certprep.core.errors import ServiceError
from certprep.core.uploads import MAX_ATTACHMENT_BYTES


def group_by(rows: Iterable[Any], key: str) -> dict[int, list[Any]]:
    """Rows by the value of their attribute `key` (e.g. answers by "response_id"), each group in row order."""
    grouped: dict[int, list[Any]] = defaultdict(list)
    for row in rows:
        grouped[getattr(row, key)].append(row)
    return grouped


def stored_bytes(file: FieldFile, name: str) -> bytes:
    """The bytes of a stored evidence file; ServiceError naming it when the file store has lost it."""
    try:
        with file.open("rb") as handle:
            data: bytes = handle.read()  # the stubs' File.read() returns Any; "rb" reads bytes
            return data
    except (OSError, ValueError) as exc:
        raise ServiceError(
            _("The evidence file %(name)s is missing from the file store; the engagement cannot be exported whole.")
            % {"name": name}
        ) from exc


def refuse(field: str, message: str) -> ServiceError:
    """An engagement file that does not hold together, with the path of the field (e.g. survey.people.3.email)."""
    return ServiceError(
        _("The file is not consistent: %(field)s: %(msg)s") % {"field": field, "msg": message}, field=field
    )


def file_content(content: str, *, size: int, sha256: str, field: str) -> bytes:
    """A file's bytes from its base64 text in the engagement file, when they match the size and sha256 the file
    states and fit the size of an upload (10 MB); else refused naming `field`."""
    try:
        raw = base64.b64decode(content, validate=True)
    except (binascii.Error, ValueError) as exc:
        raise refuse(f"{field}.content", _("not base64")) from exc
    if len(raw) != size or hashlib.sha256(raw).hexdigest() != sha256:
        raise refuse(f"{field}.content", _("the content does not match its size and sha256"))
    if len(raw) > MAX_ATTACHMENT_BYTES:
        raise refuse(f"{field}.size", _("The file is larger than 10 MB."))
    return raw
