"""How a search of the catalogue reads what people type.

Chinese readers trained on ITIL write 流程 where the standard says 过程 (and add it to a process name:
"事件管理流程"), 供应商 where it says 供方 and 能力管理 where certprep says 容量管理; some write Latin
words and digits glued to Chinese ("IT服务") where certprep's text spaces them ("IT 服务"). A search
matches the product's own wording for each of these (docs/glossary.md lists the terms).
"""

from __future__ import annotations

import re

from django.db.models import Q

# What people type -> the product's term (docs/glossary.md).
SYNONYMS: tuple[tuple[str, str], ...] = (
    ("供应商", "供方"),
    ("流程", "过程"),
    ("能力管理", "容量管理"),
)
_CJK = "\u3400-\u4dbf\u4e00-\u9fff"
_GLUED = re.compile(f"(?<=[{_CJK}])(?=[a-z0-9])|(?<=[a-z0-9])(?=[{_CJK}])")
_SPACED = re.compile(f"(?<=[{_CJK}]) (?=[a-z0-9])|(?<=[a-z0-9]) (?=[{_CJK}])")


def query_variants(q: str) -> list[str]:
    """The typed query (lower-cased, trimmed) and the same query in the product's wording, without repeats."""
    query = " ".join(q.split()).lower()
    if not query:
        return []
    variants = [query]
    for typed, term in SYNONYMS:
        variants += [v.replace(typed, term) for v in variants if typed in v]
    # "事件管理流程": the process is named without the word "process".
    variants += [v[: -len("过程")] for v in variants if v.endswith("过程") and len(v) > len("过程")]
    variants += [_GLUED.sub(" ", v) for v in variants] + [_SPACED.sub("", v) for v in variants]
    return list(dict.fromkeys(variants))


def text_matches(field: str, q: str) -> Q:
    """A filter: `field` contains the query in any of its variants."""
    condition = Q()
    for variant in query_variants(q):
        condition |= Q(**{f"{field}__icontains": variant})
    return condition
