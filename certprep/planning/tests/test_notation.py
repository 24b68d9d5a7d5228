"""Predecessors in MS Project's notation: what a person types is read as MS Project reads it, written back in
its shortest form, and a part that cannot be read is refused naming that part."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from certprep.planning.choices import LagUnit, LinkType
from certprep.planning.notation import LinkSpec, NotationError, format_links, parse_links

lags = st.decimals(min_value=-10_000, max_value=10_000, places=2, allow_nan=False, allow_infinity=False)
links = st.builds(
    LinkSpec,
    row=st.integers(1, 100_000),
    type=st.sampled_from(list(LinkType)),
    lag=lags,
    unit=st.sampled_from(list(LagUnit)),
).map(lambda link: link if link.lag else LinkSpec(link.row, link.type))
link_lists = st.lists(links, max_size=30, unique_by=lambda link: link.row)


@given(link_lists)
@example([LinkSpec(3, LinkType.FS, Decimal(2)), LinkSpec(5, LinkType.SS)])
@example(
    [LinkSpec(4, LinkType.FF, Decimal("-1.50"), LagUnit.DAYS), LinkSpec(6, LinkType.SF, Decimal(50), LagUnit.PERCENT)]
)
def test_what_is_written_reads_back_the_same(specs):
    assert parse_links(format_links(specs)) == specs


@given(link_lists)
def test_writing_what_was_read_changes_nothing(specs):
    text = format_links(specs)
    assert format_links(parse_links(text)) == text


def test_it_reads_ms_projects_own_forms():
    assert parse_links("3FS+2d;5SS") == [LinkSpec(3, LinkType.FS, Decimal(2)), LinkSpec(5, LinkType.SS)]
    assert parse_links(" 7 , 8ff-1.5 days；9SF+50% ") == [
        LinkSpec(7),
        LinkSpec(8, LinkType.FF, Decimal("-1.5")),
        LinkSpec(9, LinkType.SF, Decimal(50), LagUnit.PERCENT),
    ]
    assert parse_links("") == []
    assert parse_links(";;") == []
    assert parse_links("4FS+0%") == [LinkSpec(4)]


def test_it_writes_the_shortest_form():
    assert format_links([LinkSpec(3), LinkSpec(5, LinkType.SS), LinkSpec(7, LinkType.FS, Decimal("2.50"))]) == (
        "3;5SS;7FS+2.5d"
    )
    assert format_links([LinkSpec(2, LinkType.FF, Decimal(-25), LagUnit.PERCENT)]) == "2FF-25%"


@pytest.mark.parametrize(
    ("text", "named"),
    [
        ("3FS+2d;x5", '"x5" is not a predecessor'),
        ("3XS", '"3XS": XS is not a link type'),
        ("3;4;3SS", '"3SS": row 3 is named twice'),
        ("0", '"0": row numbers start at 1'),
        ("2FS+10001d", '"2FS+10001d": a lag can be at most 10,000'),
        ("2FS+3ed", "not elapsed days"),
        ("2FS+", '"2FS+" is not a predecessor'),
    ],
)
def test_it_refuses_a_part_it_cannot_read_naming_it(text, named):
    with pytest.raises(NotationError) as refused:
        parse_links(text)
    assert named in refused.value.message


def _read(text):
    try:
        return parse_links(text), ""
    except NotationError as exc:
        return None, exc.message


@given(st.text(max_size=60))
def test_any_text_is_read_or_refused_never_crashes(text):
    read, refusal = _read(text)
    if read is None:
        assert refusal
    else:
        assert all(link.row >= 1 and abs(link.lag) <= 10_000 for link in read)
