"""The one way certprep hands out a file: uploaded evidence, survey attachments and every generated export.

An uploaded file is checked by its content on the way in, but the bytes are still the uploader's: an HTML or
SVG file opened in our origin could run script with the reader's session. So every download

- is an attachment (or, when asked, inline) under a safe file name: no control or bidirectional characters
  (a right-to-left override would show "invoice\u202efdp.exe" as "invoiceexe.pdf"), no path separators;
- says `X-Content-Type-Options: nosniff`, so the browser keeps the declared type;
- carries `Content-Security-Policy: default-src 'none'; sandbox`, so even a file the browser does render runs
  nothing and loads nothing;
- is not stored by shared caches (`Cache-Control: private, no-store`): engagement files are confidential.

Pages and API (its own JSON-answering wrapper) call `download`.
"""

from __future__ import annotations

import re
from typing import IO

from django.db.models.fields.files import FieldFile
from django.http import FileResponse, Http404, HttpResponse
from django.http.response import HttpResponseBase
from django.utils.http import content_disposition_header

from certprep.core.text import without_controls

SANDBOX_POLICY = "default-src 'none'; sandbox"
MAX_FILENAME = 150
_UNSAFE_IN_NAMES = re.compile(r'[\\/:*?"<>|]')


def safe_filename(name: str, *, fallback: str = "download") -> str:
    """A file name a browser saves as it is shown: no control or bidirectional characters, no path, no
    characters Windows refuses, no leading dots; cut to MAX_FILENAME characters keeping the extension."""
    text = without_controls(str(name or ""))
    text = _UNSAFE_IN_NAMES.sub("_", text).strip(" .")
    if not text:
        return fallback
    if len(text) > MAX_FILENAME:
        stem, dot, extension = text.rpartition(".")
        if dot and 0 < len(extension) <= 10:
            text = stem[: MAX_FILENAME - len(extension) - 1].rstrip(" .") + "." + extension
        else:
            text = text[:MAX_FILENAME].rstrip(" .")
    return text or fallback


def download(
    content: bytes | str | IO[bytes] | FieldFile, *, filename: str, content_type: str, inline: bool = False
) -> HttpResponseBase:
    """The response that hands out `content` (bytes or text already made, an open file, or a stored file,
    which is streamed and closed) as `filename` of `content_type`. A stored file missing from the storage is
    404, not a server error."""
    name = safe_filename(filename)
    if isinstance(content, FieldFile):
        try:
            content = content.open("rb")
        except FileNotFoundError as exc:
            raise Http404 from exc
    response: HttpResponseBase
    if isinstance(content, bytes | str):
        response = HttpResponse(content, content_type=content_type)
        response["Content-Disposition"] = content_disposition_header(not inline, name) or ""
    else:
        response = FileResponse(content, as_attachment=not inline, filename=name, content_type=content_type)
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = SANDBOX_POLICY
    response["Cache-Control"] = "private, no-store"
    return response
