"""No module passes 800 lines: one that grows past about 600-800 lines becomes a package of modules with
names of their own (docs/architecture.md). Tests and migrations are not counted."""

from __future__ import annotations

from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = ROOT / "certprep"
MAX_LINES = 800


def oversized_modules() -> list[str]:
    found = []
    for path in sorted(PACKAGE.rglob("*.py")):
        parts = path.relative_to(PACKAGE).parts
        if "tests" in parts or "migrations" in parts:
            continue
        lines = len(path.read_text(encoding="utf-8").splitlines())
        if lines > MAX_LINES:
            found.append(f"{path.relative_to(ROOT).as_posix()}: {lines} lines")
    return found


def test_no_module_is_longer_than_800_lines():
    oversized = oversized_modules()
    assert not oversized, f"modules over {MAX_LINES} lines; split them into a package:\n" + "\n".join(oversized)
