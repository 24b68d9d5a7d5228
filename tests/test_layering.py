"""Dependencies point down: no app imports an app above it (docs/architecture.md).

Every module under certprep/ except tests and migrations is read with `ast`, every import counted wherever
it stands: at the top, inside a function, under `if TYPE_CHECKING:`. A failure names each offending import
as `file:line imports module`. Apps above the engagement app reach it through their engagement part
(certprep/core/parts.py); strings naming a module (settings, `call_command`, a model's "app.Model") are not
imports and are not counted.
"""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = ROOT / "certprep"

# Lowest first; an app may import itself and the apps before it. The order is the one the imports have:
# people reads the catalogue's process lens, survey reads the matrix's role choices, the gap analysis reads
# the survey's answers. The apps to come sit above the gap analysis, each reading those before it.
LAYERS = [
    "core",
    "accounts",
    "engagements",
    "catalogue",
    "people",
    "responsibilities",
    "survey",
    "gaps",
    "planning",
    "vendors",
    "budget",
    "organization",
    "feasibility",
    "reports",
]
# Modules of the package itself (certprep/api.py assembles every app's API): above every app.
TOP = len(LAYERS)


def _rank(name: str) -> int | None:
    """The layer of certprep.<name>: an app's place in LAYERS, TOP for a module of the package itself
    (certprep/<name>.py), None for an app not in LAYERS."""
    if name in LAYERS:
        return LAYERS.index(name)
    return TOP if (PACKAGE / f"{name}.py").is_file() else None


def _imported(node: ast.Import | ast.ImportFrom, module: str) -> list[str]:
    """The certprep modules an import statement names, relative imports resolved against `module`."""
    if isinstance(node, ast.Import):
        return [alias.name for alias in node.names]
    base = node.module or ""
    if node.level:
        package = module.split(".")[: -node.level]
        base = ".".join([*package, base] if base else package)
    if base == "certprep":  # from certprep import gaps
        return [f"certprep.{alias.name}" for alias in node.names]
    return [base]


def _modules() -> list[Path]:
    return [
        path
        for path in sorted(PACKAGE.rglob("*.py"))
        if "tests" not in path.relative_to(PACKAGE).parts and "migrations" not in path.relative_to(PACKAGE).parts
    ]


def layering_violations() -> list[str]:
    problems = []
    for path in _modules():
        relative = path.relative_to(PACKAGE)
        rank = _rank(relative.parts[0].removesuffix(".py"))
        where = path.relative_to(ROOT).as_posix()
        if rank is None:
            problems.append(f"{where}: the app {relative.parts[0]!r} has no place in LAYERS (tests/test_layering.py)")
            continue
        module = ".".join(("certprep", *relative.with_suffix("").parts))
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), filename=str(path))):
            if not isinstance(node, ast.Import | ast.ImportFrom):
                continue
            for name in _imported(node, module):
                parts = name.split(".")
                if parts[0] != "certprep" or len(parts) < 2:
                    continue
                target = _rank(parts[1])
                if target is None or target > rank:
                    problems.append(f"{where}:{node.lineno} imports {name}")
    return problems


def test_no_app_imports_an_app_above_it():
    problems = layering_violations()
    assert not problems, "imports pointing up the layers (" + " < ".join(LAYERS) + "):\n" + "\n".join(problems)


def test_the_scan_sees_imports_in_functions_and_type_checking_blocks(tmp_path, monkeypatch):
    """The scan itself: an upward import hidden in a function or a TYPE_CHECKING block is found."""
    app = tmp_path / "certprep" / "engagements"
    app.mkdir(parents=True)
    (app / "late.py").write_text(
        "from typing import TYPE_CHECKING\n"
        "from certprep.core.errors import ServiceError\n"
        "if TYPE_CHECKING:\n"
        "    from certprep.survey.models import Campaign\n"
        "def card():\n"
        "    from certprep.gaps import models\n"
        "    from ..people import selectors\n"
    )
    monkeypatch.setattr(__name__ + ".ROOT", tmp_path)
    monkeypatch.setattr(__name__ + ".PACKAGE", tmp_path / "certprep")
    assert layering_violations() == [
        "certprep/engagements/late.py:4 imports certprep.survey.models",
        "certprep/engagements/late.py:6 imports certprep.gaps",
        "certprep/engagements/late.py:7 imports certprep.people",
    ]
