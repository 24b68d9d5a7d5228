"""The 13-process lens has one home, its YAML file: no module of certprep names the processes or lists them.

A module naming several processes (English or Chinese names), or a literal list, tuple, set or mapping holding
many process codes, is a second copy of the lens that drifts from the file. A single name may appear where it
is a term rather than the lens (a glossary synonym, a demo answer naming a recipient)."""

from __future__ import annotations

import ast
from pathlib import Path

from certprep.catalogue.selectors import lens_processes

ROOT = Path(__file__).resolve().parents[2]  # certprep/
MOST_CODES_IN_ONE_LITERAL = 5  # a demo answer may name a few related processes; the lens has 13
MOST_NAMES_IN_ONE_MODULE = 2


def _code_files() -> list[Path]:
    return [
        path
        for path in sorted(ROOT.rglob("*.py"))
        if not {"tests", "migrations", "data"} & set(path.relative_to(ROOT).parts)
    ]


def _names() -> set[str]:
    names = set()
    for process in lens_processes():
        names.add(process.name.casefold())
        names.update(str((t or {}).get("name") or "").casefold() for t in process.translations.values())
    return names - {""}


def _strings(node: ast.AST) -> list[str]:
    return [n.value for n in ast.walk(node) if isinstance(n, ast.Constant) and isinstance(n.value, str)]


def test_no_code_names_or_lists_the_lens_processes():
    names, codes = _names(), {process.code for process in lens_processes()}
    found = []
    for path in _code_files():
        tree = ast.parse(path.read_text(encoding="utf-8"))
        named = sorted({s.strip() for s in _strings(tree) if s.strip().casefold() in names})
        if len(named) > MOST_NAMES_IN_ONE_MODULE:
            found.append(f"{path.relative_to(ROOT)}: names {len(named)} processes ({', '.join(named)})")
        for node in ast.walk(tree):
            if isinstance(node, (ast.List, ast.Tuple, ast.Set, ast.Dict)):
                elements = node.keys if isinstance(node, ast.Dict) else node.elts
                listed = {e.value for e in elements if isinstance(e, ast.Constant) and e.value in codes}
                if len(listed) >= MOST_CODES_IN_ONE_LITERAL:
                    found.append(f"{path.relative_to(ROOT)}:{node.lineno}: a list of {len(listed)} process codes")
    assert found == [], "read the processes from certprep.catalogue.selectors.lens_processes():\n" + "\n".join(found)


def test_the_check_finds_a_list_like_the_one_that_was_removed(tmp_path):
    # The survey's people services once held the 13 processes with their names as a fallback list.
    sample = (
        'FALLBACK = (("incident", "Incident management"), ("problem", "Problem management"), ("change", "变更管理"))'
    )
    named = {s.casefold() for s in _strings(ast.parse(sample))} & _names()
    assert len(named) > MOST_NAMES_IN_ONE_MODULE
