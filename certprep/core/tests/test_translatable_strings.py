"""Every string a user sees goes through gettext whole.

makemessages extracts only literal msgids, so text built with an f-string, str.format or "+" is never
translated, and punctuation glued to a translated part stays half-width on a Chinese page ("李伟: 答复",
"A, B" instead of "李伟：答复", "A、B"). This test reads the code with `ast` and finds three shapes:

A. an f-string or "...".format() whose literal text holds English words (two or more in a row);
B. translated text (a gettext call, a name or function result built from one) glued with literal text by
   an f-string, "+" or "+=" ("%(forward)s; %(backward)s" must be one msgid, not f"{forward}; {backward}");
C. a literal separator (", ", "; ") joining a list that is put into a translated sentence; use
   certprep.core.wording.join_names, whose separator is translated ("、" in Chinese).

It is a heuristic: it sees what one function does with a value, not values passed between modules. What is
not user text is allowed below, each entry with its reason.
"""

from __future__ import annotations

import ast
import re
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]
PACKAGE = ROOT / "certprep"

GETTEXT_NAMES = {
    "_", "gettext", "gettext_lazy", "ngettext", "ngettext_lazy", "pgettext", "pgettext_lazy", "npgettext",
    "npgettext_lazy", "_l", "gettext_noop",
}  # fmt: skip

# Modules whose f-strings are not user text at all.
ALLOWED_MODULES = {
    # Management commands print for the administrator at a shell, in English like Django's own commands.
    "*/management/commands/*.py": "command-line output for administrators",
    "certprep/core/moving.py": "manage.py move_installation's output and errors, for administrators at a shell",
    # Loaders of the shipped YAML files: their errors name a file, a path and a field for the developer who
    # edits the data, and stop the load; no page shows them.
    "certprep/survey/library.py": "errors in shipped questionnaire files, for developers",
    "certprep/responsibilities/library.py": "errors in the shipped matrix template, for developers",
    "certprep/gaps/suggestion_rules.py": "errors in the shipped suggestion rules, for developers",
    # Transfer files name the JSON path of a field ("survey.people.3.email") inside a translated message.
    "certprep/*/transfer.py": "JSON paths inside engagement files, not words",
}

# Single f-strings that hold English-looking words but are not user text: (module, start of the f-string
# source, reason).
ALLOWED_STRINGS = [
    ("certprep/gaps/charts/markup.py", 'f"chart chart-{kind}"', "CSS class names of an SVG chart"),
    ("certprep/responsibilities/templatetags/raci.py", 'f"raci-cell raci-', "CSS class names of a matrix cell"),
]

# Exceptions for programming errors: their text is for the developer reading a traceback, never shown.
# ImproperlyConfigured is Django's for broken settings (e.g. CERTPREP_ENGAGEMENT_PARTS): raised at start-up.
PROGRAMMING_ERRORS = {
    "ValueError", "TypeError", "AssertionError", "RuntimeError", "KeyError", "NotImplementedError",
    "ImproperlyConfigured",
}  # fmt: skip

WORDS = re.compile(r"\b[A-Za-z][a-z]+ [a-z]{2,}\b")
MARKUP = re.compile(r"<[^<>]*>|[\w:-]+=\"[^\"]*\"|[\w:-]+='[^']*'")
SEPARATOR = re.compile(r"[,;:、，；]")


@dataclass(frozen=True)
class Finding:
    path: str
    line: int
    rule: str
    source: str

    def __str__(self) -> str:
        return f"{self.path}:{self.line}: {self.rule}: {self.source[:120]}"


def _modules() -> Iterator[tuple[str, str, ast.Module]]:
    for path in sorted(PACKAGE.rglob("*.py")):
        relative = path.relative_to(ROOT).as_posix()
        if "/tests/" in relative or "/migrations/" in relative:
            continue
        source = path.read_text(encoding="utf-8")
        yield relative, source, ast.parse(source)


def _module_allowed(relative: str) -> bool:
    return any(Path(relative).match(pattern) for pattern in ALLOWED_MODULES)


def _call_name(node: ast.AST) -> str:
    if isinstance(node, ast.Call):
        func = node.func
        if isinstance(func, ast.Name):
            return func.id
        if isinstance(func, ast.Attribute):
            return func.attr
    return ""


class _Translated:
    """Which expressions of a module carry translated text: gettext calls, `%` on them, names assigned from
    them in the same function, and calls of the module's functions that return them."""

    def __init__(self, tree: ast.Module) -> None:
        self.functions: set[str] = set()
        self.scopes: list[ast.AST] = [tree, *(n for n in ast.walk(tree) if isinstance(n, FUNCTIONS))]
        self.names: dict[ast.AST, set[str]] = {}
        # Functions returning translated text, found until nothing changes (one may call another).
        for _round in range(4):
            before = len(self.functions)
            self.names = {scope: self._names_in(scope) for scope in self.scopes}
            for scope in self.scopes[1:]:
                assert isinstance(scope, FUNCTIONS)
                returns = [n.value for n in _own_nodes(scope) if isinstance(n, ast.Return) and n.value is not None]
                if any(self.carries(value, self.names[scope]) for value in returns):
                    self.functions.add(scope.name)
            if len(self.functions) == before:
                break

    def carries(self, node: ast.AST, names: set[str]) -> bool:
        if isinstance(node, ast.Call):
            name = _call_name(node)
            return name in GETTEXT_NAMES or (isinstance(node.func, ast.Name) and name in self.functions)
        if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Mod):
            return self.carries(node.left, names)
        if isinstance(node, ast.Name):
            return node.id in names
        if isinstance(node, ast.IfExp):
            return self.carries(node.body, names) or self.carries(node.orelse, names)
        return False

    def _names_in(self, scope: ast.AST) -> set[str]:
        names: set[str] = set()
        assignments = [n for n in _own_nodes(scope) if isinstance(n, ast.Assign | ast.AnnAssign)]
        for _round in range(2):
            for node in assignments:
                if node.value is None or not self.carries(node.value, names):
                    continue
                targets = node.targets if isinstance(node, ast.Assign) else [node.target]
                names |= {target.id for target in targets if isinstance(target, ast.Name)}
        return names


FUNCTIONS = (ast.FunctionDef, ast.AsyncFunctionDef)


def _own_nodes(scope: ast.AST) -> Iterator[ast.AST]:
    """The nodes of a module or function, without those of the functions defined inside it."""
    stack = list(ast.iter_child_nodes(scope))
    while stack:
        node = stack.pop()
        yield node
        if not isinstance(node, FUNCTIONS):
            stack.extend(ast.iter_child_nodes(node))


def _literal_text(node: ast.JoinedStr) -> str:
    return "{}".join(v.value for v in node.values if isinstance(v, ast.Constant) and isinstance(v.value, str))


def _is_programming_error(node: ast.AST, parents: dict[ast.AST, ast.AST]) -> bool:
    parent = parents.get(node)
    while parent is not None and not isinstance(parent, ast.stmt):
        if isinstance(parent, ast.Call) and _call_name(parent) in PROGRAMMING_ERRORS:
            return True
        parent = parents.get(parent)
    return isinstance(parent, ast.Raise) and _call_name(parent.exc) in PROGRAMMING_ERRORS if parent else False


def findings() -> list[Finding]:
    found: list[Finding] = []
    for relative, source, tree in _modules():
        if _module_allowed(relative):
            continue
        translated = _Translated(tree)
        parents = {child: parent for parent in ast.walk(tree) for child in ast.iter_child_nodes(parent)}
        for scope in translated.scopes:
            names = translated.names[scope]
            for node in _own_nodes(scope):
                found.extend(_check(node, relative, source, names, translated, parents))
    return sorted(set(found), key=lambda f: (f.path, f.line, f.rule))


def _check(
    node: ast.AST, relative: str, source: str, names: set[str], translated: _Translated, parents: dict[ast.AST, ast.AST]
) -> Iterator[Finding]:
    if not isinstance(node, ast.JoinedStr | ast.Call | ast.BinOp | ast.AugAssign):
        return
    segment = ast.get_source_segment(source, node) or ""
    if any(path == relative and segment.startswith(start) for path, start, _why in ALLOWED_STRINGS):
        return
    # A: English words in an f-string or "...".format().
    text = None
    if isinstance(node, ast.JoinedStr):
        text = _literal_text(node)
    elif (
        isinstance(node, ast.Call)
        and isinstance(node.func, ast.Attribute)
        and node.func.attr == "format"
        and isinstance(node.func.value, ast.Constant)
        and isinstance(node.func.value.value, str)
    ):
        text = node.func.value.value
    if text is not None and WORDS.search(MARKUP.sub(" ", text)) and not _is_programming_error(node, parents):
        yield Finding(relative, node.lineno, "English words built outside gettext", segment)
    # B: translated text glued to literal text.
    if isinstance(node, ast.JoinedStr) and _literal_text(node).replace("{}", "").strip():
        values = [v.value for v in node.values if isinstance(v, ast.FormattedValue)]
        if any(translated.carries(v, names) for v in values):
            yield Finding(relative, node.lineno, "translated text glued by an f-string", segment)
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add):
        sides = (node.left, node.right)
        literal = any(isinstance(s, ast.Constant) and isinstance(s.value, str) and s.value for s in sides)
        if literal and any(translated.carries(s, names) for s in sides):
            yield Finding(relative, node.lineno, "translated text glued by +", segment)
    if (
        isinstance(node, ast.AugAssign)
        and isinstance(node.op, ast.Add)
        and isinstance(node.target, ast.Name)
        and node.target.id in names
    ):
        yield Finding(relative, node.lineno, "translated text extended by +=", segment)
    # C: a literal separator joining a list inside a translated sentence.
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Mod) and translated.carries(node.left, names):
        for inner in ast.walk(node.right):
            if (
                isinstance(inner, ast.Call)
                and isinstance(inner.func, ast.Attribute)
                and inner.func.attr == "join"
                and isinstance(inner.func.value, ast.Constant)
                and isinstance(inner.func.value.value, str)
                and SEPARATOR.search(inner.func.value.value)
            ):
                joined = ast.get_source_segment(source, inner) or ""
                yield Finding(relative, inner.lineno, "literal list separator in a translated sentence", joined)


def test_no_user_text_is_built_outside_gettext():
    problems = findings()
    assert not problems, "build these with one gettext msgid and named placeholders:\n" + "\n".join(map(str, problems))


def test_every_allowed_string_still_exists():
    """An allow-list entry whose string is gone would hide the next string written in its place."""
    sources = {relative: source for relative, source, _tree in _modules()}
    stale = [(path, start) for path, start, _why in ALLOWED_STRINGS if start not in sources.get(path, "")]
    assert not stale


OLD_RELATIONS = """
from django.utils.translation import gettext as _
from django.utils.translation import ngettext


def _edge_title(edge, names):
    forward = ngettext("%(source)s → %(target)s: named by %(n)s respondent",
                       "%(source)s → %(target)s: named by %(n)s respondents", edge.count) % {"n": edge.count}
    backward = ngettext("%(source)s → %(target)s: named by %(n)s respondent",
                        "%(source)s → %(target)s: named by %(n)s respondents", edge.back_count) % {"n": 1}
    return f"{forward}; {backward}"


def describe(graph, names, isolated):
    description = ngettext("%(nodes)s processes and %(edges)s relation named by respondents.",
                           "%(nodes)s processes and %(edges)s relations named by respondents.", 2) % {}
    if isolated:
        description += " " + _("Without any relation: %(names)s.") % {
            "names": ", ".join(names[c] for c in names if c in isolated)
        }
    return description


def export_cell(text, answer):
    return f"{text} [{_('discuss')}: {answer.flag_note}]".strip()


def where(sheet, row, message):
    return f"{_('Sheet %(sheet)s, row %(row)s') % {'sheet': sheet, 'row': row}}: {message}"


def legend(count):
    return f"named by {count} respondents"
"""


def test_the_scan_finds_the_shapes_the_old_code_had(tmp_path, monkeypatch):
    """The relation map and the answers export as they were: every shape is found, line by line."""
    package = tmp_path / "certprep" / "survey"
    package.mkdir(parents=True)
    (package / "relations.py").write_text(OLD_RELATIONS, encoding="utf-8")
    monkeypatch.setattr(sys.modules[__name__], "ROOT", tmp_path)
    monkeypatch.setattr(sys.modules[__name__], "PACKAGE", tmp_path / "certprep")
    found = {(f.line, f.rule) for f in findings()}
    lines = OLD_RELATIONS.splitlines()

    def line_of(text: str) -> int:
        return next(number for number, line in enumerate(lines, start=1) if text in line)

    assert (line_of('return f"{forward}; {backward}"'), "translated text glued by an f-string") in found
    assert (line_of('description += " "'), "translated text extended by +=") in found
    assert (line_of('description += " "'), "translated text glued by +") in found
    assert (line_of('"names": ", ".join'), "literal list separator in a translated sentence") in found
    assert (line_of("[{_('discuss')}"), "translated text glued by an f-string") in found
    assert (line_of("row %(row)s') %"), "translated text glued by an f-string") in found
    assert (line_of('f"named by {count}'), "English words built outside gettext") in found
