"""The one way a page hands out an Excel workbook and takes one back.

`workbook_download` serves an export through `download` (so every workbook gets the same safe headers) under
one content type, its name dated by the local day when asked. `workbook_import` reads an uploaded workbook
within the spreadsheet size limit and gives it to an app's import service: a refusal tells that nothing was
imported (imports are all or nothing), except a conflict, whose message says so itself and which the page
may want to tell apart (it offers a fresh export)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Protocol

from django import forms
from django.core.files.uploadedfile import UploadedFile
from django.http.response import HttpResponseBase
from django.utils import timezone
from django.utils.translation import gettext as _

from certprep.core.downloads import download
from certprep.core.errors import ConflictError, ServiceError
from certprep.core.feedback import run_form
from certprep.core.request_limits import SPREADSHEET_BYTES, read_upload

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def workbook_download(content: bytes, *, name: str, dated: bool = False) -> HttpResponseBase:
    """`content` as the attachment `<name>.xlsx`, or `<name>-YYYYMMDD.xlsx` (today, local time) when dated."""
    stem = f"{name}-{timezone.localdate():%Y%m%d}" if dated else name
    return download(content, filename=f"{stem}.xlsx", content_type=XLSX_CONTENT_TYPE)


class Importer[T](Protocol):
    """An app's import service with its other arguments bound (functools.partial)."""

    def __call__(self, *, raw: bytes, filename: str) -> T: ...


def workbook_import[T](upload: UploadedFile[bytes], importer: Importer[T]) -> T:
    """`importer` on the uploaded file's bytes (at most SPREADSHEET_BYTES). A ConflictError passes as it is;
    any other refusal becomes "Nothing was imported. <why>" on the field `file`."""
    try:
        return importer(raw=read_upload(upload, max_bytes=SPREADSHEET_BYTES), filename=upload.name or "")
    except ConflictError:
        raise
    except ServiceError as exc:
        raise ServiceError(_("Nothing was imported. %(error)s") % {"error": exc.message}, field="file") from exc


def form_import[T](form: forms.Form, importer: Importer[T]) -> tuple[T | None, bool]:
    """For a valid form, `workbook_import` of its field `file` through `run_form`: a refusal lands on the
    field, a conflict on the form. Returns (result, conflict); result None when nothing was imported."""
    upload = form.cleaned_data["file"]
    return run_form(form, lambda: workbook_import(upload, importer))


class WorkbookImportForm(forms.Form):
    """The upload of one workbook exported from certprep. A subclass names it: `label`, `help_text`, and
    `wrong_type`, the refusal of a file that is not an .xlsx workbook (saying which workbook to upload)."""

    label: StrOrPromise
    help_text: StrOrPromise
    wrong_type: StrOrPromise

    file = forms.FileField()

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["file"].label = self.label
        self.fields["file"].help_text = self.help_text

    def clean_file(self) -> object:
        upload = self.cleaned_data["file"]
        if not (upload.name or "").lower().endswith(".xlsx"):
            raise forms.ValidationError(self.wrong_type)
        return upload
