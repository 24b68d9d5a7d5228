"""Plain-text hygiene shared by inputs and documents."""

from __future__ import annotations

import re

# C0 control characters except tab, line feed and carriage return: XML 1.0 (Word, Excel, .ics via their
# libraries) cannot hold them, and nobody means to type them; a paste from an office program can carry them.
CONTROL_CHARACTERS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def without_control_characters(text: str) -> str:
    return CONTROL_CHARACTERS.sub("", text)
