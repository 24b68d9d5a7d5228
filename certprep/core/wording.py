"""Small pieces of running text that differ between languages: how a list of names is joined.

English writes "Li Wei, Zhang Min"; Chinese writes "李伟、张敏" with the enumeration comma. Code that puts a
list of names or values into a sentence joins it with `join_names`, never with a literal ", ", so the
separator follows the reader's language like the rest of the sentence.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.utils.translation import pgettext


def join_names(items: Iterable[object]) -> str:
    """The items as one list in running text, joined with the active language's list separator."""
    return pgettext("list separator", ", ").join(str(item) for item in items)


def join_entries(items: Iterable[object]) -> str:
    """Entries that may hold commas themselves, joined with the language's stronger separator ("; ", "；")."""
    return pgettext("list separator", "; ").join(str(item) for item in items)


def labelled(label: object, text: object) -> str:
    """A label and its text on one line: "Li Wei: answer" in English, "李伟：答复" in Chinese."""
    return pgettext("label and text", "%(label)s: %(text)s") % {"label": label, "text": text}


def sentences(*texts: object) -> str:
    """Sentences one after the other: a space between them in English, none in Chinese. Empty ones are left out."""
    kept = [str(text) for text in texts if str(text)]
    if not kept:
        return ""
    joined = kept[0]
    for text in kept[1:]:
        joined = pgettext("two sentences", "%(first)s %(second)s") % {"first": joined, "second": text}
    return joined


def in_parentheses(text: object) -> str:
    """An aside in brackets: "(draft)" in English, "（草稿）" with full-width brackets in Chinese."""
    return pgettext("aside", "(%(text)s)") % {"text": text}
