"""docs/glossary.md stays true: each Chinese term is the one used where its English term is, the words it
replaced are gone, and terms marked "not used yet" are really not used (the first page that uses one brings
its Chinese term along and updates the glossary)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import polib
import yaml

ROOT = Path(__file__).resolve().parents[3]
GLOSSARY = ROOT / "docs" / "glossary.md"
PO = ROOT / "locale" / "zh_Hans" / "LC_MESSAGES" / "django.po"
PLACEHOLDER = re.compile(r"%\([a-z_]+\)[sd]")  # "%(campaign)s" is not the word campaign
DATA = sorted([*ROOT.glob("certprep/*/data/*.yaml"), *ROOT.glob("certprep/survey/data/questionnaires/*.yaml")])


@dataclass(frozen=True)
class Term:
    english: str
    chinese: str
    where: str
    every: bool
    avoid: tuple[str, ...]

    @property
    def pattern(self) -> re.Pattern[str]:
        """The English term as a word or phrase, singular or plural, any case."""
        return re.compile(r"\b" + re.escape(self.english) + r"(s|es)?\b", re.IGNORECASE)


def glossary(text: str | None = None) -> list[Term]:
    text = GLOSSARY.read_text(encoding="utf-8") if text is None else text
    rows = [line for line in text.splitlines() if line.startswith("| ") and not line.startswith("| English")]
    terms = []
    for row in rows:
        english, chinese, _definition, where, check, avoid = (
            cell.strip() for cell in row.strip().strip("|").split("|")
        )
        terms.append(
            Term(english, chinese, where, check == "every", tuple(a.strip() for a in avoid.split(",") if a.strip()))
        )
    return terms


def _catalogue(path: Path = PO) -> list[tuple[str, list[str]]]:
    """(English, its Chinese texts) for every translated entry."""
    po = polib.pofile(str(path))
    return [
        (
            PLACEHOLDER.sub("", " ".join(filter(None, [entry.msgid, entry.msgid_plural]))),
            [t for t in [entry.msgstr, *entry.msgstr_plural.values()] if t],
        )
        for entry in po.translated_entries()
    ]


def _data_chinese() -> list[str]:
    texts: list[str] = []

    def walk(node: object, chinese: bool) -> None:
        if isinstance(node, dict):
            for key, value in node.items():
                walk(value, chinese or key == "zh-hans")
        elif isinstance(node, list):
            for value in node:
                walk(value, chinese)
        elif chinese and isinstance(node, str):
            texts.append(node)

    for path in DATA:
        walk(yaml.safe_load(path.read_text(encoding="utf-8")), False)
    return texts


def problems(terms: list[Term], catalogue: list[tuple[str, list[str]]], data: list[str]) -> list[str]:
    found = []
    chinese_texts = [t for _english, texts in catalogue for t in texts] + data
    for term in terms:
        holding = [(english, texts) for english, texts in catalogue if term.pattern.search(english)]
        if term.where == "not used yet":
            if holding:
                found.append(
                    f"{term.english}: used by {holding[0][0]!r}; give it {term.chinese} and update the glossary"
                )
            continue
        if holding:
            translated = [texts for _english, texts in holding if any(term.chinese in t for t in texts)]
            if not translated:
                found.append(f"{term.english}: no translation of {holding[0][0]!r} and the like says {term.chinese}")
            if term.every:
                missing = [english for english, texts in holding if not any(term.chinese in t for t in texts)]
                if missing:
                    found.append(f"{term.english}: not translated as {term.chinese} in {missing[:3]}")
        elif not any(term.chinese in t for t in data):
            found.append(f"{term.english}: {term.chinese} is used neither in the catalogue nor in the shipped data")
        for avoided in term.avoid:
            users = [t for t in chinese_texts if avoided in t]
            if users:
                found.append(f"{term.english}: {avoided!r} replaced by {term.chinese} is still used: {users[0][:80]!r}")
    return found


def test_the_glossary_matches_the_catalogue_and_the_shipped_data():
    terms = glossary()
    assert len(terms) > 50
    assert not problems(terms, _catalogue(), _data_chinese())


def test_the_check_finds_a_second_word_for_one_concept():
    """Two names for the respondent (受访者 in the catalogue, 填写人 in the data) as the review found them."""
    terms = [
        Term("respondent", "填写人", "survey", True, ("受访者",)),
        Term("stage 2 audit", "第二阶段审核", "not used yet", False, ()),
    ]
    catalogue = [("Respondents", ["受访者"]), ("Message to respondents", ["致填写人的留言"])]
    found = problems(terms, catalogue, ["填写人表示……"])
    assert any("not translated as 填写人 in ['Respondents']" in p for p in found)
    assert any("'受访者' replaced by 填写人 is still used" in p for p in found)
    assert problems(terms, [*catalogue, ("Plan the stage 2 audit", ["策划第二阶段审核"])], []) != []
    assert problems(terms, [("Respondents", ["填写人"])], []) == []
