"""Clause references as people read them: the one sort key for every list ordered by reference.

References come in many shapes: dotted numbers (``8.5.1.2``), ISO 27001:2022's ``A.5.1`` and
``core`` / ``annex-a``, NIST SP 800-53's ``AC``, ``AC-2`` and ``AC-2(1)``, ISO/IEC 42001's mix of
``4`` and ``A.2``, and none at all. Sorting them as plain text puts ``10`` before ``9``; sorting their
parts as numbers where they look like numbers compares an int with a str and fails. The key below
splits a reference into runs of digits and of other characters and compares the runs pairwise,
numbers before text, so any two references compare.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

_RUNS = re.compile(r"\d+|\D+")

RefKey = tuple[tuple[tuple[int, int, str], ...], str]


def ref_sort_key(ref: str | None) -> RefKey:
    """The natural order of a reference: ``4.9`` < ``4.10`` < ``A.5``; ``AC-2`` < ``AC-2(1)`` < ``AC-10``.

    Every run becomes a triple of the same types (kind, number, text), so tuples of any two references
    compare without a TypeError; the reference itself breaks ties between spellings such as ``a`` and ``A``.
    """
    text = (ref or "").strip()
    runs = tuple((0, int(run), "") if run.isdigit() else (1, 0, run.casefold()) for run in _RUNS.findall(text))
    return runs, text


def sorted_refs(refs: Iterable[str]) -> list[str]:
    """References in natural order (see ref_sort_key)."""
    return sorted(refs, key=ref_sort_key)
