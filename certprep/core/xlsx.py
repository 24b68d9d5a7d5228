"""A bounded, streaming reader for the cells of one worksheet of an .xlsx workbook.

Every spreadsheet import reads through here (via `core.spreadsheets.read_rows`), so a hostile workbook
costs at most a few seconds and tens of megabytes whatever it claims:

- the archive is checked before any part is parsed: the number of parts, each part's and the total
  uncompressed size, the compression ratio of large parts and the compression method;
- each part is decompressed in chunks and fed to an expat parser as it arrives, never held whole; the
  bytes read are counted again, so a part that lies about its size is stopped at the limit;
- rows and cells are counted as they stream past (also cells the caller does not want), and no row is
  padded to a width the file claims: the `<dimension>` element is never read, and only the columns the
  caller expects are kept (a value further right is refused by name);
- text is counted while it arrives, per cell and in total over every value handed out (a shared string
  used by many cells counts each time), so neither one huge cell nor many references to one can grow
  memory past the limits;
- a document type declaration is refused, so no entity can be declared or expanded.

openpyxl is used only for its date-format knowledge; its own reader pads rows to the widest column and
builds every cell of a row at once, which is exactly what a crafted file exploits.
"""

from __future__ import annotations

import contextlib
import posixpath
import re
import zipfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import IO, Any
from xml.parsers import expat

from django.utils.translation import gettext as _
from openpyxl.styles.numbers import BUILTIN_FORMATS, is_date_format
from openpyxl.utils.datetime import CALENDAR_MAC_1904, CALENDAR_WINDOWS_1900, from_excel, from_ISO8601

from certprep.core.errors import ServiceError


@dataclass(frozen=True)
class SheetLimits:
    """What one import may cost. The defaults fit every workbook certprep exports with a wide margin."""

    max_parts: int = 500
    max_part_bytes: int = 30 * 1024 * 1024  # uncompressed size of one part of the archive
    max_total_bytes: int = 60 * 1024 * 1024  # uncompressed size of the whole archive
    max_ratio: int = 200  # uncompressed / compressed, checked on parts larger than ratio_floor_bytes
    ratio_floor_bytes: int = 1024 * 1024
    max_rows: int = 20_000
    max_columns: int = 200
    max_cells: int = 600_000  # every cell element read, wanted or not
    max_cell_chars: int = 32_767  # Excel's own limit for one cell
    max_total_chars: int = 20_000_000  # all text handed out, counted once per cell that uses it
    max_shared_strings: int = 300_000


DEFAULT_LIMITS = SheetLimits()
CHUNK_BYTES = 64 * 1024

_MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_PKG_REL = "http://schemas.openxmlformats.org/package/2006/relationships"
_SEP = "}"  # expat namespace separator: names arrive as "namespace}local"
_COLUMN = re.compile(r"^([A-Z]{1,3})(\d+)$")


class SheetRefused(ServiceError):
    """The workbook is refused; the message names the limit or the place of the problem."""


def column_index(letters: str) -> int:
    """0-based index of a column name (A -> 0, AA -> 26)."""
    index = 0
    for char in letters:
        index = index * 26 + (ord(char) - 64)
    return index - 1


def column_letter(index: int) -> str:
    """Spreadsheet column name of a 0-based index (0 -> A, 26 -> AA)."""
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def _mb(size: int) -> str:
    return f"{size / (1024 * 1024):.1f}".removesuffix(".0")


def check_archive(archive: zipfile.ZipFile, limits: SheetLimits) -> None:
    """Refuse an archive whose declared contents break a limit, before anything is decompressed."""
    infos = archive.infolist()
    if len(infos) > limits.max_parts:
        raise SheetRefused(
            _("The workbook has %(count)s parts; at most %(max)s are accepted.")
            % {"count": len(infos), "max": limits.max_parts}
        )
    total = 0
    for info in infos:
        if info.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED):
            raise SheetRefused(
                _("The workbook uses a compression method Excel does not write; save it again from Excel.")
            )
        if info.file_size > limits.max_part_bytes:
            raise SheetRefused(
                _("A part of the workbook (%(part)s) unpacks to %(size)s MB; at most %(max)s MB per part are accepted.")
                % {"part": info.filename[:80], "size": _mb(info.file_size), "max": _mb(limits.max_part_bytes)}
            )
        if info.file_size > limits.ratio_floor_bytes and info.file_size > limits.max_ratio * max(info.compress_size, 1):
            raise SheetRefused(
                _(
                    "A part of the workbook (%(part)s) is compressed more than %(max)s to 1, which real workbooks "
                    "never are; the file is refused."
                )
                % {"part": info.filename[:80], "max": limits.max_ratio}
            )
        total += info.file_size
    if total > limits.max_total_bytes:
        raise SheetRefused(
            _("The workbook unpacks to %(size)s MB; at most %(max)s MB are accepted.")
            % {"size": _mb(total), "max": _mb(limits.max_total_bytes)}
        )


def _refuse_doctype(*_args: Any) -> None:
    raise SheetRefused(
        _("The workbook contains a document type declaration, which Excel never writes; the file is refused.")
    )


def _parser(handlers: dict[str, Callable[..., Any]]) -> Any:
    """An expat parser that refuses any document type declaration (so no entity is ever declared)."""
    parser = expat.ParserCreate(namespace_separator=_SEP)
    parser.buffer_text = True
    parser.StartDoctypeDeclHandler = _refuse_doctype
    parser.EntityDeclHandler = _refuse_doctype
    parser.SetParamEntityParsing(expat.XML_PARAM_ENTITY_PARSING_NEVER)
    for event, handler in handlers.items():
        setattr(parser, event, handler)
    return parser


def _feed(archive: zipfile.ZipFile, name: str, limits: SheetLimits, parser: Any) -> Iterator[None]:
    """Decompress one part chunk by chunk into the parser, pausing after each chunk.

    The bytes are counted here as well, so a part whose header understates its size stops at the limit."""
    read = 0
    try:
        with archive.open(name) as stream:
            while True:
                chunk = stream.read(CHUNK_BYTES)
                read += len(chunk)
                if read > limits.max_part_bytes:
                    raise SheetRefused(
                        _("A part of the workbook (%(part)s) is larger than %(max)s MB.")
                        % {"part": name[:80], "max": _mb(limits.max_part_bytes)}
                    )
                parser.Parse(chunk, not chunk)
                yield
                if not chunk:
                    return
    except expat.ExpatError as exc:
        raise SheetRefused(
            _("The workbook is damaged: %(part)s is not well-formed XML (line %(line)s).")
            % {"part": name[:80], "line": exc.lineno}
        ) from exc
    except (zipfile.BadZipFile, OSError, EOFError, ValueError) as exc:
        # ValueError: zipfile's own check of a bad CRC or a truncated member.
        raise SheetRefused(_("The file is not a readable Excel workbook (.xlsx).")) from exc


def _stream(archive: zipfile.ZipFile, name: str, limits: SheetLimits, handlers: dict[str, Callable[..., Any]]) -> None:
    """Parse one whole part of the archive with the given handlers."""
    for _chunk in _feed(archive, name, limits, _parser(handlers)):
        pass


def _local(name: str) -> tuple[str, str]:
    namespace, _sep, local = name.rpartition(_SEP)
    return namespace, local


def _relationships(archive: zipfile.ZipFile, name: str, limits: SheetLimits) -> dict[str, str]:
    """Relationship ids of a part to the archive paths they point at."""
    targets: dict[str, str] = {}
    if name not in archive.NameToInfo:
        return targets
    base = posixpath.dirname(posixpath.dirname(name))  # "xl/_rels/workbook.xml.rels" -> "xl"

    def start(tag: str, attrs: dict[str, str]) -> None:
        if _local(tag)[1] == "Relationship" and len(targets) < limits.max_parts:
            target = attrs.get("Target", "")
            path = target.lstrip("/") if target.startswith("/") else posixpath.normpath(posixpath.join(base, target))
            targets[attrs.get("Id", "")] = path

    _stream(archive, name, limits, {"StartElementHandler": start})
    return targets


@dataclass
class _Book:
    sheets: dict[str, str]  # sheet name -> archive path, in the workbook's order
    date1904: bool
    shared_strings_path: str | None
    styles_path: str | None


def _book(archive: zipfile.ZipFile, limits: SheetLimits) -> _Book:
    if "xl/workbook.xml" not in archive.NameToInfo:
        raise SheetRefused(_("The file is not a readable Excel workbook (.xlsx)."))
    rels = _relationships(archive, "xl/_rels/workbook.xml.rels", limits)
    sheets: dict[str, str] = {}
    flags = {"date1904": False}

    def start(tag: str, attrs: dict[str, str]) -> None:
        local = _local(tag)[1]
        if local == "sheet" and len(sheets) < limits.max_parts:
            sheets[attrs.get("name", "")] = rels.get(attrs.get(f"{_REL}{_SEP}id", ""), "")
        elif local == "workbookPr":
            flags["date1904"] = attrs.get("date1904", "").lower() in ("1", "true")

    _stream(archive, "xl/workbook.xml", limits, {"StartElementHandler": start})
    by_kind = {path.rsplit("/", 1)[-1]: path for path in rels.values()}
    return _Book(
        sheets=sheets,
        date1904=flags["date1904"],
        shared_strings_path=by_kind.get(
            "sharedStrings.xml", "xl/sharedStrings.xml" if "xl/sharedStrings.xml" in archive.NameToInfo else None
        ),
        styles_path=by_kind.get("styles.xml", "xl/styles.xml" if "xl/styles.xml" in archive.NameToInfo else None),
    )


class _Text:
    """Collects the text of one element in pieces, refusing it once it passes the per-cell limit."""

    def __init__(self, limit: int, where: Callable[[], str]) -> None:
        self.limit = limit
        self.where = where
        self.parts: list[str] = []
        self.size = 0

    def add(self, data: str) -> None:
        self.size += len(data)
        if self.size > self.limit:
            raise SheetRefused(
                _("%(place)s holds more than %(max)s characters, more than one cell can hold.")
                % {"place": self.where(), "max": self.limit}
            )
        self.parts.append(data)

    def take(self) -> str:
        text = "".join(self.parts)
        self.parts, self.size = [], 0
        return text


def _shared_strings(archive: zipfile.ZipFile, path: str | None, limits: SheetLimits) -> list[str]:
    strings: list[str] = []
    if not path or path not in archive.NameToInfo:
        return strings
    state = {"in_t": False, "phonetic": 0}
    text = _Text(limits.max_cell_chars, lambda: _("A shared text of the workbook"))

    def start(tag: str, _attrs: dict[str, str]) -> None:
        local = _local(tag)[1]
        if local == "rPh":
            state["phonetic"] += 1
        elif local == "t" and not state["phonetic"]:
            state["in_t"] = True

    def end(tag: str) -> None:
        local = _local(tag)[1]
        if local == "t":
            state["in_t"] = False
        elif local == "rPh":
            state["phonetic"] -= 1
        elif local == "si":
            if len(strings) >= limits.max_shared_strings:
                raise SheetRefused(
                    _("The workbook holds more than %(max)s different texts.") % {"max": limits.max_shared_strings}
                )
            strings.append(text.take())

    def data(chunk: str) -> None:
        if state["in_t"]:
            text.add(chunk)

    _stream(
        archive, path, limits, {"StartElementHandler": start, "EndElementHandler": end, "CharacterDataHandler": data}
    )
    return strings


def _date_styles(archive: zipfile.ZipFile, path: str | None, limits: SheetLimits) -> set[int]:
    """Indexes of the cell styles whose number format shows a date or time."""
    if not path or path not in archive.NameToInfo:
        return set()
    custom: dict[int, str] = {}
    xf_formats: list[int] = []
    state = {"in_cell_xfs": False}

    def start(tag: str, attrs: dict[str, str]) -> None:
        local = _local(tag)[1]
        if local == "numFmt":
            with contextlib.suppress(ValueError):
                custom[int(attrs.get("numFmtId", "-1"))] = attrs.get("formatCode", "")[:255]
        elif local == "cellXfs":
            state["in_cell_xfs"] = True
        elif local == "xf" and state["in_cell_xfs"] and len(xf_formats) < 65_536:
            try:
                xf_formats.append(int(attrs.get("numFmtId", "0")))
            except ValueError:
                xf_formats.append(0)

    def end(tag: str) -> None:
        if _local(tag)[1] == "cellXfs":
            state["in_cell_xfs"] = False

    _stream(archive, path, limits, {"StartElementHandler": start, "EndElementHandler": end})
    dates = set()
    for index, format_id in enumerate(xf_formats):
        code = custom.get(format_id, BUILTIN_FORMATS.get(format_id, ""))
        if code and is_date_format(code):
            dates.add(index)
    return dates


class _SheetReader:
    """Streams the rows of one worksheet, handing out (row number, values) in order."""

    def __init__(
        self, *, strings: list[str], date_styles: set[int], date1904: bool, limits: SheetLimits, max_columns: int
    ) -> None:
        self.strings = strings
        self.date_styles = date_styles
        self.epoch = CALENDAR_MAC_1904 if date1904 else CALENDAR_WINDOWS_1900
        self.limits = limits
        self.max_columns = max_columns
        self.ready: list[tuple[int, list[Any]]] = []
        self.row_number = 0
        self.last_yielded = 0
        self.row: dict[int, Any] = {}
        self.column = -1
        self.cells = 0
        self.total_chars = 0
        self.cell_type = "n"
        self.cell_style = 0
        self.capture: str | None = None  # "v", "t" (inline text) or "f"
        self.inline_depth = 0
        self.phonetic = 0
        self.formula = ""
        self.value = ""
        self.shared_formulas: dict[str, str] = {}
        self.shared_formula_id = ""
        self.text = _Text(limits.max_cell_chars, self._place)

    def _place(self) -> str:
        return _("Cell %(cell)s") % {"cell": f"{column_letter(self.column)}{self.row_number}"}

    def start(self, tag: str, attrs: dict[str, str]) -> None:
        local = _local(tag)[1]
        if local == "c":
            self._start_cell(attrs)
        elif local == "row":
            self._start_row(attrs)
        elif local in ("v", "f"):
            self.capture = local
            if local == "f":
                self.shared_formula_id = attrs.get("si", "") if attrs.get("t") == "shared" else ""
        elif local == "is":
            self.inline_depth += 1
        elif local == "rPh":
            self.phonetic += 1
        elif local == "t" and self.inline_depth and not self.phonetic:
            self.capture = "t"

    def _start_row(self, attrs: dict[str, str]) -> None:
        raw = attrs.get("r")
        number = self.row_number + 1
        if raw is not None:
            try:
                number = int(raw)
            except ValueError as exc:
                raise SheetRefused(
                    _('The workbook is damaged: a row has the number "%(number)s".') % {"number": raw[:20]}
                ) from exc
        if number <= self.row_number or number < 1:
            raise SheetRefused(
                _("The workbook is damaged: its rows are out of order (row %(number)s).") % {"number": number}
            )
        if number > self.limits.max_rows:
            raise SheetRefused(_("The sheet has more than %(max)s rows.") % {"max": self.limits.max_rows})
        self.row_number = number
        self.row = {}
        self.column = -1

    def _start_cell(self, attrs: dict[str, str]) -> None:
        self.cells += 1
        if self.cells > self.limits.max_cells:
            raise SheetRefused(_("The sheet has more than %(max)s cells.") % {"max": self.limits.max_cells})
        reference = attrs.get("r")
        if reference is not None:
            match = _COLUMN.match(reference)
            if not match:
                raise SheetRefused(_('The workbook is damaged: a cell is named "%(name)s".') % {"name": reference[:20]})
            self.column = column_index(match.group(1))
        else:
            self.column += 1
        self.cell_type = attrs.get("t", "n")
        try:
            self.cell_style = int(attrs.get("s", "0"))
        except ValueError:
            self.cell_style = 0
        self.formula = ""
        self.value = ""
        self.shared_formula_id = ""

    def data(self, chunk: str) -> None:
        if self.capture is not None:
            self.text.add(chunk)

    def end(self, tag: str) -> None:
        local = _local(tag)[1]
        if local == "v" and self.capture == "v":
            self.value, self.capture = self.text.take(), None
        elif local == "f" and self.capture == "f":
            self.formula, self.capture = self.text.take(), None
            if self.shared_formula_id:
                if self.formula:
                    self.shared_formulas.setdefault(self.shared_formula_id, self.formula)
                else:
                    self.formula = self.shared_formulas.get(self.shared_formula_id, "")
        elif local == "t" and self.capture == "t":
            self.capture = None  # inline text runs keep collecting until </is>
        elif local == "is":
            self.inline_depth -= 1
            if not self.inline_depth:
                self.value = self.text.take()
        elif local == "rPh":
            self.phonetic -= 1
        elif local == "c":
            self._end_cell()
        elif local == "row":
            self._end_row()

    def _end_cell(self) -> None:
        value = self._value()
        if value is None or value == "":
            return
        if self.column >= self.max_columns:
            raise SheetRefused(
                _("Cell %(cell)s holds a value, but this import reads only the first %(max)s columns (A to %(last)s).")
                % {
                    "cell": f"{column_letter(self.column)}{self.row_number}",
                    "max": self.max_columns,
                    "last": column_letter(self.max_columns - 1),
                }
            )
        if isinstance(value, str):
            self.total_chars += len(value)
            if self.total_chars > self.limits.max_total_chars:
                raise SheetRefused(
                    _("The sheet holds more than %(max)s characters of text in all.")
                    % {"max": f"{self.limits.max_total_chars:,}"}
                )
        self.row[self.column] = value

    def _value(self) -> Any:
        if self.formula:
            return "=" + self.formula
        kind, raw = self.cell_type, self.value
        if kind == "s":
            if not raw:
                return None
            try:
                return self.strings[int(raw)]
            except (ValueError, IndexError) as exc:
                raise SheetRefused(
                    _("%(place)s points at a text the workbook does not hold.") % {"place": self._place()}
                ) from exc
        if kind in ("inlineStr", "str", "e"):
            return raw
        if kind == "b":
            return raw.strip() in ("1", "true")
        if kind == "d":
            try:
                return from_ISO8601(raw) if raw else None
            except ValueError as exc:
                raise SheetRefused(_("%(place)s holds a date Excel cannot read.") % {"place": self._place()}) from exc
        if not raw:
            return None
        try:
            number: int | float = int(raw) if raw.lstrip("-").isdigit() else float(raw)
        except ValueError as exc:
            raise SheetRefused(_("%(place)s holds a number Excel cannot read.") % {"place": self._place()}) from exc
        if self.cell_style in self.date_styles:
            try:
                return from_excel(number, self.epoch)
            except (ValueError, OverflowError):
                return number
        return number

    def _end_row(self) -> None:
        for empty in range(self.last_yielded + 1, self.row_number):
            self.ready.append((empty, []))
        width = max(self.row) + 1 if self.row else 0
        self.ready.append((self.row_number, [self.row.get(index) for index in range(width)]))
        self.last_yielded = self.row_number


def xlsx_rows(
    source: IO[bytes], *, sheet: str | None = None, max_columns: int | None = None, limits: SheetLimits = DEFAULT_LIMITS
) -> Iterator[tuple[int, list[Any]]]:
    """Rows of one worksheet as (row number as the user sees it, values of its first columns).

    Missing rows between present ones come as empty lists; a row's list ends at its last value. Values are
    str, int, float, bool or datetime; a formula is its text with a leading "=" and is never evaluated.
    Raises SheetRefused (a ServiceError) with a message naming the limit or the cell.
    """
    try:
        archive = zipfile.ZipFile(source)
    except (zipfile.BadZipFile, OSError, ValueError) as exc:
        raise SheetRefused(_("The file is not a readable Excel workbook (.xlsx).")) from exc
    with archive:
        check_archive(archive, limits)
        book = _book(archive, limits)
        if sheet is None:
            path = next(iter(book.sheets.values()), "")
        elif sheet in book.sheets:
            path = book.sheets[sheet]
        else:
            raise SheetRefused(_('The workbook has no sheet named "%(sheet)s".') % {"sheet": sheet})
        if path not in archive.NameToInfo:
            raise SheetRefused(_("The file is not a readable Excel workbook (.xlsx)."))
        reader = _SheetReader(
            strings=_shared_strings(archive, book.shared_strings_path, limits),
            date_styles=_date_styles(archive, book.styles_path, limits),
            date1904=book.date1904,
            limits=limits,
            max_columns=max_columns or limits.max_columns,
        )
        yield from _sheet_rows(archive, path, reader, limits)


def _sheet_rows(
    archive: zipfile.ZipFile, path: str, reader: _SheetReader, limits: SheetLimits
) -> Iterator[tuple[int, list[Any]]]:
    """Hand out each finished row as soon as the chunk that ends it has been parsed."""
    parser = _parser(
        {"StartElementHandler": reader.start, "EndElementHandler": reader.end, "CharacterDataHandler": reader.data}
    )
    for _chunk in _feed(archive, path, limits, parser):
        if reader.ready:
            yield from reader.ready
            reader.ready = []
