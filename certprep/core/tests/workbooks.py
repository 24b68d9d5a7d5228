"""Crafted .xlsx workbooks for the import tests, written part by part so that a part of a gigabyte never
sits in memory whole, and a measure of what reading one costs."""

from __future__ import annotations

import io
import tracemalloc
import zipfile
from collections.abc import Callable, Iterable
from typing import Any

from certprep.core.errors import ServiceError
from certprep.core.xlsx import xlsx_rows

MB = 1024 * 1024
# What one hostile file may cost: "tens of megabytes" (the whole worker is far larger than this).
MEMORY_BOUND = 40 * MB

WORKBOOK = (
    b'<?xml version="1.0" encoding="UTF-8"?>'
    b'<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
    b'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets>'
    b'<sheet name="Data" sheetId="1" r:id="rId1"/></sheets></workbook>'
)
RELS = (
    b'<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    b'<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" '
    b'Target="worksheets/sheet1.xml"/>'
    b'<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings" '
    b'Target="sharedStrings.xml"/></Relationships>'
)
SHEET_OPEN = b'<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
SHEET_CLOSE = b"</worksheet>"


def crafted(
    sheet: Iterable[bytes], *, shared: Iterable[bytes] | None = None, extra: dict[str, Iterable[bytes]] | None = None
) -> bytes:
    """A minimal workbook written part by part, so a part of a gigabyte never sits in memory whole."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        archive.writestr("xl/workbook.xml", WORKBOOK)
        archive.writestr("xl/_rels/workbook.xml.rels", RELS)
        parts = {
            "xl/worksheets/sheet1.xml": sheet,
            **({"xl/sharedStrings.xml": shared} if shared is not None else {}),
            **(extra or {}),
        }
        for name, chunks in parts.items():
            with archive.open(name, "w", force_zip64=True) as stream:
                for chunk in chunks:
                    stream.write(chunk)
    return buffer.getvalue()


def repeated(head: bytes, body: bytes, times: int, tail: bytes, per_chunk: int = 4096) -> Iterable[bytes]:
    yield head
    while times > 0:
        count = min(times, per_chunk)
        yield body * count
        times -= count
    yield tail


def peak_memory(work: Callable[[], Any]) -> tuple[Any, int]:
    """What `work` returned (or the ServiceError it raised) and the peak of memory allocated meanwhile."""
    tracemalloc.start()
    tracemalloc.reset_peak()
    try:
        result = work()
    except ServiceError as exc:
        result = exc
    finally:
        peak = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()
    return result, peak


def measure(raw: bytes, **options: Any) -> tuple[list[tuple[int, list[Any]]] | ServiceError, int]:
    """Read every row (or the refusal) and the peak of memory allocated while reading."""
    return peak_memory(lambda: list(xlsx_rows(io.BytesIO(raw), **options)))


def refusal(raw: bytes, **options: Any) -> str:
    """The refusal message for a workbook that must be refused, checking the memory it cost."""
    result, peak = measure(raw, **options)
    assert isinstance(result, ServiceError), f"the file was read: {str(result)[:200]}"
    assert peak < MEMORY_BOUND, f"refusing took {peak / MB:.0f} MB"
    return result.message


def width_bomb(rows: int = 20_000, *, with_value: bool) -> bytes:
    """The reported attack: each row has a cell at column ZZZ (empty but formatted, or holding a value)
    and the sheet's dimension claims A1:XFD20000. About 100 KB compressed."""
    return crafted([width_bomb_rows(rows, with_value=with_value)])


def with_sheet_replaced(raw: bytes, part: str, sheet_xml: bytes) -> bytes:
    """A real export with one worksheet part swapped for crafted XML (the other sheets stay valid)."""
    source = zipfile.ZipFile(io.BytesIO(raw))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as target:
        for info in source.infolist():
            target.writestr(info.filename, sheet_xml if info.filename == part else source.read(info.filename))
    return buffer.getvalue()


def width_bomb_rows(rows: int = 20_000, *, with_value: bool) -> bytes:
    """The XML of a width-bomb worksheet (see width_bomb)."""
    far = b'<c r="ZZZ%d"><v>1</v></c>' if with_value else b'<c r="ZZZ%d" s="1"/>'
    body = b"".join(b'<row r="%d">' % n + far.replace(b"%d", str(n).encode()) + b"</row>" for n in range(1, rows + 1))
    return SHEET_OPEN + b'<dimension ref="A1:XFD20000"/><sheetData>' + body + b"</sheetData>" + SHEET_CLOSE
