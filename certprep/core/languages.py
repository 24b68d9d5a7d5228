"""The one way to find a text in the active language.

Stored translations are keyed by language code ({"zh-hans": {"name": ...}}); a text is looked up under the
active language's own code, then under its base language ("zh-hans", then "zh"), and falls back to the
original text when neither has it."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.conf import settings
from django.utils.translation import get_language


def active_language() -> str:
    """The active language's code, in lower case ("en", "zh-hans")."""
    return (get_language() or settings.LANGUAGE_CODE).lower()


def language_keys(language: str | None = None) -> tuple[str, ...]:
    """Where a text in `language` (the active one by default) is looked up: its own code, then its base."""
    code = (language or active_language()).lower()
    base = code.split("-")[0]
    return (code, base) if base != code else (code,)


def translated(translations: Mapping[str, Any] | None, *path: str, language: str | None = None) -> str:
    """The text at `path` ("name", or "options", "yes") in `translations` for the language; "" when none."""
    for key in language_keys(language):
        node: Any = (translations or {}).get(key)
        for part in path:
            node = node.get(part) if isinstance(node, Mapping) else None
        if node:
            return str(node)
    return ""


def is_chinese(language: str | None = None) -> bool:
    """Whether texts certprep writes itself (spreadsheet headers, role names) are written in Chinese."""
    return (language or active_language()).startswith("zh")
