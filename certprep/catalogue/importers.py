"""Reading framework and process-lens files: parsing and validation only, no database.

A framework file is either certprep's own format (`format: certprep.framework/1`, requirements nested
under `children`) or a framework library of the CISO Assistant project (a flat `requirement_nodes`
list linked by `parent_urn`). A process lens file (`format: certprep.lens/1`) groups the clauses of a
loaded framework by management process.

A file is refused whole at its first problem, with the line and the field path of that problem, so
the person who wrote it can fix it. YAML is composed with PyYAML's safe loader and read node by node
(for line numbers); anchors and aliases are refused before composing, so a crafted file cannot
expand to billions of nodes.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any, NoReturn

import yaml
from django.conf import settings
from django.utils.translation import gettext as _

from certprep.core.errors import ServiceError
from certprep.core.wording import join_names

FRAMEWORK_FORMAT = "certprep.framework/1"
LENS_FORMAT = "certprep.lens/1"
SOURCE_CERTPREP = "certprep"  # Framework.SourceFormat values
SOURCE_CISO_ASSISTANT = "ciso-assistant"

MAX_NODES = 20_000
MAX_NESTING = 64  # lists and mappings inside each other; real files need about 8
MAX_YAML_VALUES = 600_000  # every text, list and mapping; the largest CISO Assistant framework has 81,000
MAX_URN = 300
MAX_FRAMEWORK_URN = 255
MAX_REF_ID = 100
MAX_NAME = 500
MAX_FRAMEWORK_NAME = 300
MAX_TEXT = 100_000
MAX_WEIGHT = 5
DEFAULT_MAX_FILE_BYTES = 8 * 1024 * 1024

_Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
_TAG = "tag:yaml.org,2002:"
_SLUG = re.compile(r"^[-a-zA-Z0-9_]+$")
_SPACES = re.compile(r"\s+")
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")
_LANGUAGE = re.compile(r"^[a-z]{2,3}(-[a-z0-9]{2,8})*$")
_CHINESE_SIMPLIFIED = {"zh", "zh-cn", "zh-sg", "zh-hans", "zh-hans-cn"}


class FrameworkFileError(ServiceError):
    """A framework or lens file that cannot be imported; `line` (1-based) and `field` say where."""

    def __init__(self, reason: str, *, line: int | None = None, field: str | None = None) -> None:
        if line and field:
            message = _("line %(line)s, field %(field)s: %(reason)s") % {"line": line, "field": field, "reason": reason}
        elif line:
            message = _("line %(line)s: %(reason)s") % {"line": line, "reason": reason}
        else:
            message = reason
        super().__init__(message, field=field)
        self.line = line
        self.reason = reason


Translations = dict[str, dict[str, str]]


@dataclass(frozen=True)
class ParsedRequirement:
    """A clause or requirement node as read from a file; the list of them is in document order."""

    urn: str
    ref_id: str
    name: str
    description: str
    evidence: str
    assessable: bool
    weight: int
    depth: int
    parent_urn: str | None
    translations: Translations


@dataclass(frozen=True)
class ParsedFramework:
    """A framework file's content: the framework's identity and version and its requirement tree."""

    source_format: str
    urn: str
    ref_id: str
    name: str
    description: str
    version: int
    locale: str
    provider: str
    copyright: str
    translations: Translations
    requirements: list[ParsedRequirement]


@dataclass(frozen=True)
class ParsedMapping:
    """One `maps_to` clause reference of a process, with where it stands for error messages."""

    ref_id: str
    line: int
    field: str


@dataclass(frozen=True)
class ParsedGroup:
    """A group of processes in a lens file, e.g. the resolution processes."""

    code: str
    name: str
    translations: Translations


@dataclass(frozen=True)
class ParsedProcess:
    """A management process in a lens file and the framework clauses it maps to."""

    code: str
    group: str
    name: str
    description: str
    clause_2005: str
    clause_2011: str
    maps_to: list[ParsedMapping]
    translations: Translations


@dataclass(frozen=True)
class ParsedLens:
    """A process lens file: processes in groups over the clauses of one framework."""

    urn: str
    name: str
    version: int
    framework_urn: str
    framework_line: int
    description: str
    translations: Translations
    groups: list[ParsedGroup]
    processes: list[ParsedProcess]


# --- YAML reading ---------------------------------------------------------------------------------


def _line(node: yaml.Node) -> int:
    return node.start_mark.line + 1


def _join(path: str, key: str) -> str:
    return f"{path}.{key}" if path else key


def _fail(node: yaml.Node | None, path: str, reason: str) -> NoReturn:
    raise FrameworkFileError(reason, line=_line(node) if node is not None else None, field=path or None)


def _yaml_error(exc: yaml.YAMLError, text: str) -> FrameworkFileError:
    mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
    if mark is not None:
        line = mark.line + 1
    elif isinstance(exc, yaml.reader.ReaderError):
        line = text.count("\n", 0, max(exc.position, 0)) + 1
    else:
        line = None
    problem = getattr(exc, "problem", None) or getattr(exc, "reason", None) or str(exc)
    return FrameworkFileError(_("this is not valid YAML: %(problem)s") % {"problem": problem}, line=line)


def _scan(text: str) -> None:
    """Refuse, before any node is built, what could exhaust the server: aliases, deep nesting, sheer size.

    The scan is iterative, so it also stops nesting deep enough to crash the recursive composer.
    """
    depth = values = 0
    for event in yaml.parse(text, Loader=_Loader):
        line = event.start_mark.line + 1 if event.start_mark else 0
        if isinstance(event, yaml.AliasEvent):
            reason = _("YAML aliases (*%(name)s) are not accepted; write the value out")
            raise FrameworkFileError(reason % {"name": event.anchor}, line=line)
        if isinstance(event, yaml.NodeEvent) and event.anchor is not None:
            reason = _("YAML anchors (&%(name)s) are not accepted; write the value out")
            raise FrameworkFileError(reason % {"name": event.anchor}, line=line)
        if isinstance(event, yaml.CollectionEndEvent):
            depth -= 1
        elif isinstance(event, yaml.NodeEvent):
            values += 1
            if values > MAX_YAML_VALUES:
                reason = _("the file holds more than %(max)s values")
                raise FrameworkFileError(reason % {"max": MAX_YAML_VALUES}, line=line)
            depth += isinstance(event, yaml.CollectionStartEvent)
            if depth > MAX_NESTING:
                reason = _("lists and fields are nested more than %(max)s levels deep")
                raise FrameworkFileError(reason % {"max": MAX_NESTING}, line=line)


def _compose(data: bytes) -> yaml.Node:
    """The file's YAML node tree, after the checks that protect the server (size, encoding, aliases)."""
    limit = int(getattr(settings, "CERTPREP_MAX_FRAMEWORK_FILE_BYTES", DEFAULT_MAX_FILE_BYTES))
    if len(data) > limit:
        raise FrameworkFileError(
            _("the file has %(size)s bytes; the largest file accepted has %(limit)s bytes")
            % {"size": len(data), "limit": limit}
        )
    try:
        text = data.decode("utf-8").removeprefix("\ufeff")
    except UnicodeDecodeError as exc:
        raise FrameworkFileError(
            _("the file is not UTF-8 text (byte %(offset)s cannot be read); save it as UTF-8") % {"offset": exc.start},
            line=data.count(b"\n", 0, exc.start) + 1,
        ) from None
    try:
        _scan(text)
        root = yaml.compose(text, Loader=_Loader)
    except yaml.YAMLError as exc:
        raise _yaml_error(exc, text) from None
    if root is None:
        raise FrameworkFileError(_("the file is empty"))
    return root


class _Fields:
    """The fields of one YAML mapping, each read with its line and path for error messages."""

    def __init__(self, node: yaml.Node, path: str, *, allowed: frozenset[str] | None = None) -> None:
        if not isinstance(node, yaml.MappingNode) or node.tag != _TAG + "map":
            _fail(node, path, _("expected a set of fields (key: value)"))
        self.node = node
        self.path = path
        self.values: dict[str, yaml.Node] = {}
        for key_node, value_node in node.value:
            if not isinstance(key_node, yaml.ScalarNode) or key_node.tag != _TAG + "str":
                _fail(key_node, path, _("field names must be plain text"))
            key = key_node.value
            if key in self.values:
                _fail(key_node, _join(path, key), _("this field appears twice"))
            if allowed is not None and key not in allowed:
                _fail(
                    key_node,
                    _join(path, key),
                    _("unknown field %(name)s; the fields allowed here are: %(allowed)s")
                    % {"name": key, "allowed": join_names(sorted(allowed))},
                )
            self.values[key] = value_node

    def path_of(self, key: str) -> str:
        return _join(self.path, key)

    def fail(self, key: str | None, reason: str) -> NoReturn:
        node = self.values.get(key) if key else None
        _fail(node if node is not None else self.node, self.path_of(key) if key else self.path, reason)

    def get(self, key: str) -> yaml.Node | None:
        """The value node of a field; None when the field is absent or null."""
        node = self.values.get(key)
        if isinstance(node, yaml.ScalarNode) and node.tag == _TAG + "null":
            return None
        return node

    def missing(self, key: str) -> NoReturn:
        node = self.values.get(key)
        _fail(node if node is not None else self.node, self.path_of(key), _("this required field is missing or empty"))

    def text(self, key: str, *, required: bool = False, max_length: int = MAX_TEXT) -> str:
        """A text field, trimmed; numbers are taken as written (ref_id: 4.10 stays "4.10")."""
        node = self.get(key)
        value = _text(node, self.path_of(key)) if node is not None else ""
        if required and not value:
            self.missing(key)
        if len(value) > max_length:
            self.fail(
                key,
                _("this text has %(length)s characters; at most %(max)s are allowed")
                % {"length": len(value), "max": max_length},
            )
        return value

    def urn(self, key: str, *, required: bool = False, max_length: int = MAX_URN) -> str:
        """A URN, compared without regard to case (stored lowercase, as CISO Assistant does)."""
        value = self.text(key, required=required, max_length=max_length).lower()
        if value and (not value.startswith("urn:") or _CONTROL.search(value)):
            self.fail(key, _("%(value)s is not a URN (urn:... on one line)") % {"value": value})
        return value

    def integer(self, key: str, *, default: int, minimum: int = 1, maximum: int | None = None) -> int:
        node = self.get(key)
        if node is None:
            return default
        if not isinstance(node, yaml.ScalarNode) or node.tag != _TAG + "int":
            self.fail(key, _("expected a whole number"))
        value = int(yaml.constructor.SafeConstructor().construct_yaml_int(node))
        if value < minimum or (maximum is not None and value > maximum):
            limits = {"min": minimum, "max": maximum}
            if maximum is None:
                self.fail(key, _("expected a whole number of at least %(min)s") % limits)
            self.fail(key, _("expected a whole number from %(min)s to %(max)s") % limits)
        return value

    def boolean(self, key: str, *, default: bool = False) -> bool:
        node = self.get(key)
        if node is None:
            return default
        if not isinstance(node, yaml.ScalarNode) or node.tag != _TAG + "bool":
            self.fail(key, _("expected true or false"))
        return bool(yaml.constructor.SafeConstructor().construct_yaml_bool(node))

    def items(self, key: str, *, required: bool = False) -> list[tuple[yaml.Node, str]]:
        """The entries of a list field, each with its path (`key[0]`, `key[1]`, ...)."""
        node = self.get(key)
        if node is None:
            if required:
                self.missing(key)
            return []
        if not isinstance(node, yaml.SequenceNode) or node.tag != _TAG + "seq":
            self.fail(key, _("expected a list"))
        base = self.path_of(key)
        return [(item, f"{base}[{index}]") for index, item in enumerate(node.value)]

    def fields(self, key: str, *, allowed: frozenset[str] | None = None, required: bool = False) -> _Fields | None:
        node = self.get(key)
        if node is None:
            if required:
                self.missing(key)
            return None
        return _Fields(node, self.path_of(key), allowed=allowed)

    def version(self, key: str = "version", *, digits_as_text: bool = False) -> int:
        """The file's version: a whole number of at least 1 (some CISO Assistant files quote it)."""
        node = self.get(key)
        if node is None:
            self.missing(key)
        if (
            digits_as_text
            and isinstance(node, yaml.ScalarNode)
            and node.tag == _TAG + "str"
            and node.value.strip().isdigit()
            and int(node.value) >= 1
        ):
            return int(node.value)
        return self.integer(key, default=1, minimum=1)

    def translations(self, key: str, rename: dict[str, str | None], *, strict: bool) -> Translations:
        """`{language: {field: text}}`, with file field names mapped to stored ones by `rename`.

        A field renamed to None is dropped; with strict, a field not in `rename` is an error.
        """
        languages = self.fields(key)
        if languages is None:
            return {}
        result: Translations = {}
        for language in languages.values:
            code = language.strip().lower().replace("_", "-")
            if not _LANGUAGE.match(code):
                languages.fail(language, _("%(code)s is not a language code such as zh-hans") % {"code": language})
            if code in _CHINESE_SIMPLIFIED:
                code = "zh-hans"
            texts = languages.fields(language, allowed=frozenset(rename) if strict else None)
            if texts is None:
                continue
            stored: dict[str, str] = result.get(code, {})
            for name in texts.values:
                target = rename.get(name)
                if target is None:
                    continue
                limit = MAX_NAME if target == "name" else MAX_TEXT
                value = texts.text(name, max_length=limit)
                if value:
                    if target in stored and stored[target] != value:
                        texts.fail(name, _("this translation is given twice (as %(field)s)") % {"field": target})
                    stored[target] = value
            if stored:
                result[code] = stored
        return result


def _text(node: yaml.Node, path: str) -> str:
    if not isinstance(node, yaml.ScalarNode):
        _fail(node, path, _("expected text, not a list or a set of fields"))
    if node.tag == _TAG + "bool":
        _fail(node, path, _("expected text, not %(value)s; put it in quotes") % {"value": node.value})
    if node.tag not in {_TAG + "str", _TAG + "int", _TAG + "float", _TAG + "timestamp"}:
        _fail(node, path, _("expected text, not a value tagged %(tag)s") % {"tag": node.tag})
    return str(node.value).strip()


def _language(fields: _Fields, key: str) -> str:
    code = fields.text(key, max_length=20).lower().replace("_", "-") or "en"
    if not _LANGUAGE.match(code):
        fields.fail(key, _("%(code)s is not a language code such as en or zh-hans") % {"code": code})
    return "zh-hans" if code in _CHINESE_SIMPLIFIED else code


# --- entry points ---------------------------------------------------------------------------------


def parse_catalogue_file(data: bytes) -> ParsedFramework | ParsedLens:
    """Any catalogue file: a framework in either format or a process lens, told apart by its content."""
    root = _compose(data)
    top = _Fields(root, "")
    if top.get("format") is not None:
        file_format = top.text("format")
        if file_format == FRAMEWORK_FORMAT:
            return _certprep_framework(root)
        if file_format == LENS_FORMAT:
            return _lens(root)
        top.fail(
            "format",
            _("unknown format %(format)s; expected %(framework)s or %(lens)s")
            % {"format": file_format, "framework": FRAMEWORK_FORMAT, "lens": LENS_FORMAT},
        )
    if "objects" in top.values:
        return _ciso_framework(root)
    return top.fail(
        None,
        _(
            "this is neither a certprep file (it has no format field) "
            "nor a CISO Assistant library (it has no objects field)"
        ),
    )


def parse_framework_file(data: bytes) -> ParsedFramework:
    """A framework file in certprep's format or CISO Assistant's library format."""
    parsed = parse_catalogue_file(data)
    if isinstance(parsed, ParsedLens):
        raise FrameworkFileError(_("this is a process lens file, not a framework file"), field="format")
    return parsed


def parse_lens_file(data: bytes) -> ParsedLens:
    """A process lens file (format certprep.lens/1)."""
    parsed = parse_catalogue_file(data)
    if not isinstance(parsed, ParsedLens):
        raise FrameworkFileError(_("this is a framework file, not a process lens file"), field="format")
    return parsed


# --- certprep framework format ---------------------------------------------------------------------

_FRAMEWORK_FIELDS = frozenset(
    [
        "format",
        "urn",
        "ref_id",
        "name",
        "version",
        "locale",
        "provider",
        "description",
        "copyright",
        "translations",
        "requirements",
    ]
)
_NODE_FIELDS = frozenset(
    [
        "ref_id",
        "name",
        "urn",
        "assessable",
        "paraphrase",
        "evidence",
        "weight",
        "description",
        "translations",
        "children",
    ]
)
_FRAMEWORK_TRANSLATED = {"name": "name", "description": "description", "copyright": "copyright"}
_NODE_TRANSLATED: dict[str, str | None] = {
    "name": "name",
    "paraphrase": "description",
    "description": "description",
    "evidence": "evidence",
}


def _certprep_framework(root: yaml.Node) -> ParsedFramework:
    top = _Fields(root, "", allowed=_FRAMEWORK_FIELDS)
    # Header fields first, then the tree, so the first problem reported is the first in the file.
    urn = top.urn("urn", required=True, max_length=MAX_FRAMEWORK_URN)
    header: dict[str, Any] = {
        "ref_id": top.text("ref_id", required=True, max_length=MAX_REF_ID),
        "name": top.text("name", required=True, max_length=MAX_FRAMEWORK_NAME),
        "description": top.text("description"),
        "version": top.version(),
        "locale": _language(top, "locale"),
        "provider": top.text("provider", max_length=200),
        "copyright": top.text("copyright"),
        "translations": top.translations("translations", dict(_FRAMEWORK_TRANSLATED), strict=True),
    }
    items = top.items("requirements", required=True)
    if not items:
        top.fail("requirements", _("the framework has no requirements"))
    requirements: list[ParsedRequirement] = []
    _certprep_nodes(items, framework_urn=urn, parent_urn=None, depth=1, out=requirements, seen={})
    return ParsedFramework(source_format=SOURCE_CERTPREP, urn=urn, requirements=requirements, **header)


def _certprep_nodes(
    items: list[tuple[yaml.Node, str]],
    *,
    framework_urn: str,
    parent_urn: str | None,
    depth: int,
    out: list[ParsedRequirement],
    seen: dict[str, str],
) -> None:
    for node, path in items:
        fields = _Fields(node, path, allowed=_NODE_FIELDS)
        if len(out) >= MAX_NODES:
            fields.fail(None, _("the file has more than %(max)s requirements") % {"max": MAX_NODES})
        ref_id = fields.text("ref_id", required=True, max_length=MAX_REF_ID)
        name = fields.text("name", required=True, max_length=MAX_NAME)
        urn_key = "urn" if fields.get("urn") is not None else "ref_id"
        urn = fields.urn("urn") or f"{framework_urn}:{_SPACES.sub('-', ref_id.lower())}"
        if len(urn) > MAX_URN:
            fields.fail(urn_key, _("the URN %(urn)s is longer than %(max)s characters") % {"urn": urn, "max": MAX_URN})
        if urn in seen:
            fields.fail(
                urn_key, _("the URN %(urn)s is used twice (first at %(other)s)") % {"urn": urn, "other": seen[urn]}
            )
        seen[urn] = path
        if fields.get("paraphrase") is not None and fields.get("description") is not None:
            fields.fail("description", _("give either paraphrase or description, not both"))
        translations = fields.translations("translations", dict(_NODE_TRANSLATED), strict=True)
        out.append(
            ParsedRequirement(
                urn=urn,
                ref_id=ref_id,
                name=name,
                description=fields.text("paraphrase") or fields.text("description"),
                evidence=fields.text("evidence"),
                assessable=fields.boolean("assessable"),
                weight=fields.integer("weight", default=1, maximum=MAX_WEIGHT),
                depth=depth,
                parent_urn=parent_urn,
                translations=translations,
            )
        )
        children = fields.items("children")
        _certprep_nodes(children, framework_urn=framework_urn, parent_urn=urn, depth=depth + 1, out=out, seen=seen)


# --- CISO Assistant library format -----------------------------------------------------------------

_CISO_NODE_TRANSLATED: dict[str, str | None] = {
    "name": "name",
    "description": "description",
    "typical_evidence": "evidence",
}


def _ciso_framework(root: yaml.Node) -> ParsedFramework:
    library = _Fields(root, "")
    library.urn("urn", required=True)
    version = library.version(digits_as_text=True)
    locale = _language(library, "locale")
    library_translations = library.translations("translations", dict(_FRAMEWORK_TRANSLATED), strict=False)
    objects = library.fields("objects", required=True)
    assert objects is not None
    framework = objects.fields("framework")
    if framework is None and objects.get("frameworks") is not None:
        entries = objects.items("frameworks")
        if len(entries) != 1:
            objects.fail(
                "frameworks",
                _("certprep imports one framework per file; this library has %(count)s") % {"count": len(entries)},
            )
        framework = _Fields(*entries[0])
    if framework is None:
        return objects.fail(None, _("this CISO Assistant library holds no framework (objects.framework is missing)"))
    urn = framework.urn("urn", required=True, max_length=MAX_FRAMEWORK_URN)
    ref_id = framework.text("ref_id", required=True, max_length=MAX_REF_ID)
    translations = framework.translations("translations", dict(_FRAMEWORK_TRANSLATED), strict=False)
    for code, texts in library_translations.items():
        merged = translations.setdefault(code, {})
        for key, value in texts.items():
            merged.setdefault(key, value)
    return ParsedFramework(
        source_format=SOURCE_CISO_ASSISTANT,
        urn=urn,
        ref_id=ref_id,
        name=framework.text("name", max_length=MAX_FRAMEWORK_NAME)
        or library.text("name", max_length=MAX_FRAMEWORK_NAME)
        or ref_id,
        description=framework.text("description") or library.text("description"),
        version=version,
        locale=locale,
        provider=library.text("provider", max_length=200),
        copyright=library.text("copyright"),
        translations=translations,
        requirements=list(_ciso_nodes(framework)),
    )


def _ciso_nodes(framework: _Fields) -> Iterator[ParsedRequirement]:
    items = framework.items("requirement_nodes", required=True)
    if not items:
        framework.fail("requirement_nodes", _("the framework has no requirement nodes"))
    if len(items) > MAX_NODES:
        framework.fail("requirement_nodes", _("the file has more than %(max)s requirements") % {"max": MAX_NODES})
    depth_of: dict[str, int] = {}
    declared_of: dict[str, int | None] = {}
    for node, path in items:
        fields = _Fields(node, path)
        urn = fields.urn("urn", required=True)
        if urn in depth_of:
            fields.fail("urn", _("the URN %(urn)s is used twice") % {"urn": urn})
        parent_urn = fields.urn("parent_urn") or None
        if parent_urn is not None and parent_urn not in depth_of:
            fields.fail(
                "parent_urn",
                _("unknown parent %(urn)s (it must appear earlier in the file)") % {"urn": parent_urn},
            )
        # The stored depth comes from the tree; a declared depth is checked against the parent's when
        # both are given (some published files leave the depth off their top nodes).
        depth = depth_of[parent_urn] + 1 if parent_urn else 1
        declared = fields.integer("depth", default=0) or None
        parent_declared = declared_of[parent_urn] if parent_urn else 0
        if declared is not None and parent_declared is not None and declared != parent_declared + 1:
            reason = (
                _("depth %(depth)s does not fit under its parent at depth %(parent)s; expected %(expected)s")
                % {"depth": declared, "parent": parent_declared, "expected": parent_declared + 1}
                if parent_urn
                else _("depth %(depth)s for a node without parent_urn; expected 1") % {"depth": declared}
            )
            fields.fail("depth", reason)
        depth_of[urn] = depth
        declared_of[urn] = declared
        # CISO Assistant weights have no upper bound; certprep's scale stops at 5.
        weight = min(fields.integer("weight", default=1), MAX_WEIGHT)
        splash = fields.text("display_mode", max_length=50) == "splash"
        yield ParsedRequirement(
            urn=urn,
            ref_id=fields.text("ref_id", max_length=MAX_REF_ID),
            name=fields.text("name", max_length=MAX_NAME),
            description=fields.text("description"),
            evidence=fields.text("typical_evidence"),
            assessable=fields.boolean("assessable") and not splash,
            weight=weight,
            depth=depth,
            parent_urn=parent_urn,
            translations=fields.translations("translations", dict(_CISO_NODE_TRANSLATED), strict=False),
        )


# --- process lens format -----------------------------------------------------------------------------

_LENS_FIELDS = frozenset(
    ["format", "urn", "name", "version", "framework", "description", "translations", "groups", "processes"]
)
_GROUP_FIELDS = frozenset({"code", "name", "translations"})
_PROCESS_FIELDS = frozenset(
    ["code", "group", "name", "clause_2005", "clause_2011", "maps_to", "description", "translations"]
)
_NAMED: dict[str, str | None] = {"name": "name", "description": "description"}


def _code(fields: _Fields, key: str = "code") -> str:
    code = fields.text(key, required=True, max_length=50)
    if not _SLUG.match(code):
        fields.fail(key, _("%(code)s is not a code (letters, digits, - and _ only)") % {"code": code})
    return code


def _lens(root: yaml.Node) -> ParsedLens:
    top = _Fields(root, "", allowed=_LENS_FIELDS)
    urn = top.urn("urn", required=True, max_length=MAX_FRAMEWORK_URN)
    name = top.text("name", required=True, max_length=300)
    version = top.version()
    framework_urn = top.urn("framework", required=True, max_length=MAX_FRAMEWORK_URN)
    framework_node = top.get("framework")
    assert framework_node is not None
    description = top.text("description")
    translations = top.translations("translations", dict(_NAMED), strict=True)
    groups: list[ParsedGroup] = []
    group_codes: set[str] = set()
    for node, path in top.items("groups", required=True):
        fields = _Fields(node, path, allowed=_GROUP_FIELDS)
        code = _code(fields)
        if code in group_codes:
            fields.fail("code", _("the group code %(code)s is used twice") % {"code": code})
        group_codes.add(code)
        groups.append(
            ParsedGroup(
                code=code,
                name=fields.text("name", required=True, max_length=200),
                translations=fields.translations("translations", {"name": "name"}, strict=True),
            )
        )
    processes: list[ParsedProcess] = []
    process_codes: set[str] = set()
    for node, path in top.items("processes", required=True):
        fields = _Fields(node, path, allowed=_PROCESS_FIELDS)
        code = _code(fields)
        if code in process_codes:
            fields.fail("code", _("the process code %(code)s is used twice") % {"code": code})
        process_codes.add(code)
        group = _code(fields, "group")
        if group not in group_codes:
            fields.fail("group", _("unknown group %(code)s; it must be listed under groups") % {"code": group})
        maps_to = []
        for item, item_path in fields.items("maps_to"):
            ref_id = _text(item, item_path)
            if not ref_id or len(ref_id) > MAX_REF_ID:
                _fail(item, item_path, _("expected the reference of a clause, such as 8.3.3"))
            maps_to.append(ParsedMapping(ref_id=ref_id, line=_line(item), field=item_path))
        processes.append(
            ParsedProcess(
                code=code,
                group=group,
                name=fields.text("name", required=True, max_length=200),
                description=fields.text("description"),
                clause_2005=fields.text("clause_2005", max_length=20),
                clause_2011=fields.text("clause_2011", max_length=20),
                maps_to=maps_to,
                translations=fields.translations("translations", dict(_NAMED), strict=True),
            )
        )
    return ParsedLens(
        urn=urn,
        name=name,
        version=version,
        framework_urn=framework_urn,
        framework_line=_line(framework_node),
        description=description,
        translations=translations,
        groups=groups,
        processes=processes,
    )
