"""core.languages: a text is found under the active language's code, then its base language, else nowhere."""

from __future__ import annotations

from django.utils import translation

from certprep.core.languages import active_language, is_chinese, language_keys, translated

TEXTS = {"zh-hans": {"name": "变更管理", "options": {"yes": "是"}}, "zh": {"name": "变更", "note": "基础"}}


def test_a_text_is_looked_up_under_the_language_then_its_base():
    assert language_keys("zh-Hans") == ("zh-hans", "zh")
    assert language_keys("en") == ("en",)
    assert translated(TEXTS, "name", language="zh-hans") == "变更管理"
    assert translated(TEXTS, "note", language="zh-hans") == "基础"
    assert translated(TEXTS, "options", "yes", language="zh-hans") == "是"


def test_no_translation_is_an_empty_text():
    assert translated(TEXTS, "name", language="en") == ""
    assert translated(None, "name") == ""
    assert translated(TEXTS, "options", "no", language="zh-hans") == ""
    assert translated({"zh-hans": {"name": ["not", "text"]}}, "name", "deeper", language="zh-hans") == ""


def test_the_active_language_decides_by_default():
    with translation.override("zh-hans"):
        assert active_language() == "zh-hans"
        assert is_chinese()
        assert translated(TEXTS, "name") == "变更管理"
    with translation.override("en"):
        assert not is_chinese()
        assert translated(TEXTS, "name") == ""
