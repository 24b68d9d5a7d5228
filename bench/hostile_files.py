"""Time and peak memory of reading each hostile workbook the import tests build, one process per file.

    .venv/bin/python bench/hostile_files.py

Each file is built first, then read in a fresh child process through the reader every import uses
(`certprep.core.spreadsheets.read_rows`); the child reports the wall time of the read and how far its
peak resident memory rose above what it held before the read. Figures are printed, never asserted: the
tests assert the memory bound, this shows the cost.
"""
# ruff: noqa: E402 - the environment must be set before Django and the product are imported

from __future__ import annotations

import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings_test")
os.environ.setdefault("CERTPREP_VAR_DIR", tempfile.mkdtemp(prefix="certprep-bench-"))

import django

django.setup()

from certprep.core.errors import ServiceError
from certprep.core.spreadsheets import read_rows
from certprep.core.tests.workbooks import SHEET_CLOSE, SHEET_OPEN, crafted, repeated, width_bomb


def _gigabyte_inline() -> bytes:
    head = SHEET_OPEN + b'<sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>'
    return crafted(repeated(head, b"A" * 1024, 1024 * 1024, b"</t></is></c></row></sheetData>" + SHEET_CLOSE))


def _gigabyte_shared_strings() -> bytes:
    sst = repeated(
        b'<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><si><t>',
        b"B" * 1024,
        1024 * 1024,
        b"</t></si></sst>",
    )
    return crafted([SHEET_OPEN + b"<sheetData/>" + SHEET_CLOSE], shared=sst)


def _gigabyte_comments() -> bytes:
    return crafted(
        [SHEET_OPEN + b"<sheetData/>" + SHEET_CLOSE],
        extra={"xl/comments1.xml": repeated(b"<comments>", b" " * 1024, 1024 * 1024, b"</comments>")},
    )


def _whitespace() -> bytes:
    return crafted(repeated(SHEET_OPEN + b"<sheetData>", b" " * 1024, 1024 * 1024, b"</sheetData>" + SHEET_CLOSE))


def _coordinate_less_cells() -> bytes:
    return crafted(
        repeated(
            SHEET_OPEN + b"<sheetData><row>", b"<c><v>1</v></c>" * 64, 1024 * 1024, b"</row></sheetData>" + SHEET_CLOSE
        )
    )


def _many_small_rows() -> bytes:
    """Under every size and ratio limit: 20,000 rows of 30 short values, a large honest file."""
    row = b"<row>" + b"".join(b'<c t="inlineStr"><is><t>value %d</t></is></c>' % n for n in range(30)) + b"</row>"
    return crafted(repeated(SHEET_OPEN + b"<sheetData>", row, 20_000, b"</sheetData>" + SHEET_CLOSE))


CASES: dict[str, Callable[[], bytes]] = {
    "width bomb, values at column ZZZ (20,000 rows)": lambda: width_bomb(with_value=True),
    "lying dimension A1:XFD20000, empty cells at ZZZ": lambda: width_bomb(with_value=False),
    "1 GB inline string in one cell": _gigabyte_inline,
    "1 GB shared string": _gigabyte_shared_strings,
    "1 GB of comments": _gigabyte_comments,
    "1 GB of white space in the sheet": _whitespace,
    "1 GB of cells without coordinates": _coordinate_less_cells,
    "honest: 20,000 rows x 30 values": _many_small_rows,
}


def _child(path: str) -> None:
    raw = Path(path).read_bytes()
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    start = time.perf_counter()
    try:
        rows = sum(1 for _ in read_rows(raw, "hostile.xlsx"))
        outcome = f"read {rows} rows"
    except ServiceError as exc:
        outcome = "refused: " + exc.message
    seconds = time.perf_counter() - start
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    print(json.dumps({"seconds": seconds, "peak_kb": peak, "rise_kb": peak - before, "outcome": outcome}))


def main() -> int:
    if len(sys.argv) == 3 and sys.argv[1] == "--child":
        _child(sys.argv[2])
        return 0
    print(
        "Peak: the child process's peak resident memory (Django loaded, file in memory); "
        "rise: above its peak before the read."
    )
    print(f"{'file':<50} {'size':>9} {'read':>8} {'peak':>8} {'rise':>8}  outcome")
    with tempfile.TemporaryDirectory() as folder:
        for name, build in CASES.items():
            path = Path(folder) / "hostile.xlsx"
            path.write_bytes(build())
            size = path.stat().st_size
            done = subprocess.run(
                [sys.executable, __file__, "--child", str(path)], capture_output=True, text=True, check=True
            )  # noqa: S603
            figures = json.loads(done.stdout.strip().splitlines()[-1])
            print(
                f"{name:<50} {size / 1024:>7.0f}KB {figures['seconds'] * 1000:>6.0f}ms "
                f"{figures['peak_kb'] / 1024:>6.0f}MB "
                f"{figures['rise_kb'] / 1024:>6.1f}MB  "
                f"{figures['outcome'][:70]}"
            )
    return 0


if __name__ == "__main__":
    sys.exit(main())
