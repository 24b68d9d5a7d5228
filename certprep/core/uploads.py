"""Checks for files people upload as evidence: allowed types, judged by name AND content, a size cap and a
clean name."""

from __future__ import annotations

import hashlib
import zipfile
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar

import filetype
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import UploadedFile
from django.db.models.fields.files import FieldFile
from django.utils.translation import gettext as _

from certprep.core.errors import ServiceError
from certprep.core.request_limits import ATTACHMENT_BYTES
from certprep.core.text import without_controls
from certprep.core.wording import join_names

MAX_ATTACHMENT_BYTES = ATTACHMENT_BYTES
# Evidence people attach: documents, spreadsheets, pictures, PDFs, plain text. Each is checked by its
# content, not only by its name, so a renamed program is refused.
ALLOWED_TYPES = {
    "pdf": "application/pdf",
    "png": "image/png",
    "jpg": "image/jpeg",
    "jpeg": "image/jpeg",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "pptx": "application/vnd.openxmlformats-officedocument.presentationml.presentation",
    "vsdx": "application/vnd.ms-visio.drawing",
    "txt": "text/plain",
    "csv": "text/csv",
    "md": "text/markdown",
}
# An Office file is a zip package; its main part tells which program it belongs to.
OFFICE = {
    "docx": "word/document.xml",
    "xlsx": "xl/workbook.xml",
    "pptx": "ppt/presentation.xml",
    "vsdx": "visio/document.xml",
}
TEXT = {"txt", "csv", "md"}


def file_type(upload: UploadedFile[bytes]) -> tuple[str, str]:
    """(extension, content type) of an allowed file, judged by its name AND its content."""
    name = upload.name or ""
    extension = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    if extension not in ALLOWED_TYPES:
        raise ServiceError(
            _("Files of this type cannot be attached. Allowed: %(types)s.")
            % {"types": join_names(sorted(ALLOWED_TYPES))}
        )
    upload.seek(0)
    head = upload.read(8192)
    upload.seek(0)
    if extension in TEXT:
        if b"\x00" in head:
            raise ServiceError(_("The file's content does not match its name (.%(ext)s).") % {"ext": extension})
        try:
            head.decode("utf-8")
        except UnicodeDecodeError as exc:
            if len(head) < 8192:  # a cut multi-byte character at the end of a full block is fine
                raise ServiceError(
                    _("The file's content does not match its name (.%(ext)s).") % {"ext": extension}
                ) from exc
        return extension, ALLOWED_TYPES[extension]
    kind = filetype.guess(head)
    detected = kind.extension if kind else ""
    ok = (
        detected == extension
        or (extension == "jpeg" and detected == "jpg")
        or (extension in OFFICE and detected in (extension, "zip"))
    )
    if ok and extension in OFFICE:
        ok = _office_part(upload, OFFICE[extension])
    if not ok:
        raise ServiceError(_("The file's content does not match its name (.%(ext)s).") % {"ext": extension})
    return extension, ALLOWED_TYPES[extension]


def _office_part(upload: UploadedFile[bytes], part: str) -> bool:
    """Whether the zip package holds `part` (only the directory is read, nothing is unpacked)."""
    try:
        upload.seek(0)
        with zipfile.ZipFile(upload) as package:
            found = part in package.namelist() and "[Content_Types].xml" in package.namelist()
    except (zipfile.BadZipFile, OSError, ValueError):
        found = False
    upload.seek(0)
    return found


def checked_upload(upload: UploadedFile[bytes]) -> tuple[str, str, str]:
    """(content type, sha256, clean original name) of an upload that passes every check, else ServiceError."""
    if upload.size is None or upload.size > MAX_ATTACHMENT_BYTES:
        raise ServiceError(_("The file is larger than 10 MB."))
    if upload.size == 0:
        raise ServiceError(_("The file is empty."))
    _extension, content_type = file_type(upload)
    digest = hashlib.sha256()
    for chunk in upload.chunks():
        digest.update(chunk)
    upload.seek(0)
    return content_type, digest.hexdigest(), upload_name(upload.name)


def upload_name(name: str | None) -> str:
    """The name an uploaded file is kept and shown under: the last part of the path the browser sent, without
    control characters or bidirectional controls (a right-to-left override would show "evil\u202egpj.pdf"
    as "evilfdp.jpg"), at most 255 characters; "file" when nothing is left."""
    text = without_controls(name or "").rsplit("/", 1)[-1].rsplit("\\", 1)[-1].strip()[:255].strip()
    return text or "file"


_stored: ContextVar[list[FieldFile] | None] = ContextVar("certprep_stored_files", default=None)


@contextmanager
def files_kept_only_on_success() -> Iterator[None]:
    """Files written with `store_file` inside the block are deleted again when the block fails: a
    transaction rolls the rows back, but not the file store, so nothing is left orphaned."""
    stored: list[FieldFile] = []
    token = _stored.set(stored)
    try:
        yield
    except BaseException:
        for field_file in stored:
            field_file.delete(save=False)
        raise
    finally:
        _stored.reset(token)


def store_file(field_file: FieldFile, content: bytes) -> None:
    """Write `content` to the file store for a row not saved yet; only inside `files_kept_only_on_success`."""
    stored = _stored.get()
    if stored is None:
        raise RuntimeError("store_file needs files_kept_only_on_success around it")
    field_file.save("upload", ContentFile(content), save=False)
    stored.append(field_file)
