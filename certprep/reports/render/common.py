"""What the three renderers share: text made safe for XML, the fonts, and the language's codes."""

from __future__ import annotations

import re

from certprep.core.text import without_control_characters

# Besides the C0 controls (core.text), XML 1.0 cannot hold lone surrogates nor U+FFFE / U+FFFF: a document with
# one is refused by Word and by the PDF's HTML parser alike.
_NOT_XML = re.compile("[\ud800-\udfff\ufffe\uffff]")

# Fonts by preference. Latin text first in DejaVu Sans where installed; Chinese in WenQuanYi Zen Hei, the CJK
# font the set-up installs (Makefile RUN_DEBS), or Noto Sans CJK SC where that is the one present.
LATIN_FONTS = ("DejaVu Sans", "Liberation Sans", "Arial")
CJK_FONTS = ("WenQuanYi Zen Hei", "Noto Sans CJK SC", "Source Han Sans SC", "Microsoft YaHei", "PingFang SC")
# One name only where a format takes one (a Word document's East Asian font, a PNG's text): what a reader of a
# Chinese Word document has on Windows and on a Mac with Office, substituted by the nearest CJK font elsewhere.
WORD_EAST_ASIAN_FONT = "Microsoft YaHei"
PICTURE_CJK_FONT = "WenQuanYi Zen Hei"

# CJK Unified Ideographs (with extension A), the CJK punctuation and the full-width forms.
CJK = re.compile("[\u3000-\u303f\u3400-\u4dbf\u4e00-\u9fff\uff00-\uffef]")


def clean(text: object) -> str:
    """`text` as a document can hold it: a string, without the characters XML 1.0 cannot hold."""
    value = "" if text is None else str(text)
    return _NOT_XML.sub("", without_control_characters(value))


def is_chinese(language: str) -> bool:
    return language.lower().startswith("zh")


def language_tag(language: str) -> str:
    """The BCP 47 tag a document declares (Word's w:lang, the PDF's lang): "zh-CN" or "en-US"."""
    return "zh-CN" if is_chinese(language) else "en-US"


def html_language(language: str) -> str:
    return "zh-Hans" if is_chinese(language) else "en"
