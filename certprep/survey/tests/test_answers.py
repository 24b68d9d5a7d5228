"""survey.answers.clean_value, directly: every value it accepts is stored as it would be accepted again (sent
back from the answering form, or cleaned a second time), and every kind refuses what it must. Pure rules: no
database."""

from __future__ import annotations

import datetime
import math
from typing import Any

import pytest
from django.utils.datastructures import MultiValueDict
from hypothesis import assume, example, given
from hypothesis import strategies as st

from certprep.core.errors import ServiceError
from certprep.core.text import without_control_characters
from certprep.survey.answers import (
    MAX_CELL,
    MAX_SHORT_TEXT,
    MAX_TABLE_ROWS,
    MAX_TEXT,
    QuestionSpec,
    clean_value,
    is_answered,
    value_from_form,
)
from certprep.survey.choices import QuestionKind

QUESTION = 7
keys = st.text(alphabet="abcdefghijklmnopqrstuvwxyz0123456789_-", min_size=1, max_size=12)
options = st.lists(keys, min_size=2, max_size=8, unique=True)


def spec(kind: str, *, choices: tuple[str, ...] = (), columns: tuple[str, ...] = ()) -> QuestionSpec:
    return QuestionSpec(id=QUESTION, kind=kind, options=choices, columns=columns)


def form_of(spec: QuestionSpec, value: Any) -> MultiValueDict:
    """A stored value as the answering form shows it, posted back unchanged."""
    name = f"q{spec.id}"
    if value is None:
        return MultiValueDict()
    if spec.kind in (QuestionKind.MULTIPLE_CHOICE, QuestionKind.PROCESS_REF):
        return MultiValueDict({name: list(value)})
    if spec.kind == QuestionKind.TABLE:
        return MultiValueDict(
            {f"{name}-r{n}-{key}": [cell] for n, row in enumerate(value) for key, cell in row.items()}
        )
    return MultiValueDict({name: [str(value)]})


def assert_round_trip(spec: QuestionSpec, raw: Any) -> Any:
    """clean_value accepts `raw`; what it stores is accepted again unchanged, cleaned twice or posted back."""
    stored = clean_value(spec, raw)
    assert clean_value(spec, stored) == stored
    assert clean_value(spec, value_from_form(spec, form_of(spec, stored))) == stored
    assert is_answered(spec.kind, stored) is (stored is not None)
    return stored


# --- Every accepted value round-trips ------------------------------------------------------------------------


@given(st.sampled_from([QuestionKind.SHORT_TEXT, QuestionKind.LONG_TEXT]), st.text(max_size=600))
def test_accepted_text_round_trips(kind, text):
    limit = MAX_SHORT_TEXT if kind == QuestionKind.SHORT_TEXT else MAX_TEXT
    try:
        stored = assert_round_trip(spec(kind), text)
    except ServiceError:
        assert len(text) > limit
        return
    assert stored is None or (stored.strip() and len(stored) <= limit)
    assert stored is None or not ({"\x00", "\x0b", "\x1f"} & set(stored))


@given(options.flatmap(lambda values: st.tuples(st.just(values), st.sampled_from(values))))
def test_a_chosen_option_round_trips(chosen):
    values, value = chosen
    assert assert_round_trip(spec(QuestionKind.SINGLE_CHOICE, choices=tuple(values)), value) == value


@given(options.flatmap(lambda values: st.tuples(st.just(values), st.lists(st.sampled_from(values)))))
def test_several_options_round_trip_in_the_offered_order_once_each(chosen):
    values, picked = chosen
    stored = assert_round_trip(spec(QuestionKind.MULTIPLE_CHOICE, choices=tuple(values)), picked)
    assert stored == ([v for v in values if v in picked] or None)


@given(st.sampled_from(["yes", "no"]))
def test_yes_and_no_round_trip(value):
    assert assert_round_trip(spec(QuestionKind.YES_NO), value) == value


@given(st.integers(min_value=0, max_value=5), st.booleans())
def test_a_level_from_0_to_5_round_trips_as_an_integer(level, as_text):
    assert assert_round_trip(spec(QuestionKind.SCALE), str(level) if as_text else level) == level


@given(st.one_of(st.integers(min_value=-(10**12), max_value=10**12), st.floats(min_value=-1e12, max_value=1e12)))
def test_a_number_round_trips(number):
    stored = assert_round_trip(spec(QuestionKind.NUMBER), str(number))
    assert stored == number
    assert isinstance(stored, int) == float(number).is_integer()


@pytest.mark.parametrize(
    ("typed", "stored"),
    [("1,250", 1250), ("12,000,000", 12_000_000), ("3,5", 3.5), ("1.250,5", 1250.5), (" 120 ", 120), ("-0.5", -0.5)],
)
def test_numbers_are_read_as_written_around_the_world(typed, stored):
    assert assert_round_trip(spec(QuestionKind.NUMBER), typed) == stored


@given(st.dates())
def test_a_date_round_trips_as_iso_text(day):
    assert assert_round_trip(spec(QuestionKind.DATE), day.isoformat()) == day.isoformat()


@given(
    st.lists(keys, min_size=1, max_size=4, unique=True).flatmap(
        lambda columns: st.tuples(
            st.just(columns),
            st.lists(st.fixed_dictionaries({c: st.text(max_size=40) for c in columns}), max_size=6),
        )
    )
)
def test_a_table_round_trips_without_its_empty_rows(table):
    columns, rows = table
    stored = assert_round_trip(spec(QuestionKind.TABLE, columns=tuple(columns)), rows)
    # A row is kept when one of its cells holds something visible; cells are kept trimmed.
    visible = [row for row in rows if any(without_control_characters(cell).strip() for cell in row.values())]
    assert len(stored or []) == len(visible)
    for kept, row in zip(stored or [], visible, strict=True):
        assert kept == {key: without_control_characters(row[key]).strip() for key in columns}


@pytest.mark.parametrize("kind", list(QuestionKind))
@pytest.mark.parametrize("empty", [None, "", []])
def test_an_empty_answer_is_stored_as_none_for_every_kind(kind, empty):
    assert clean_value(spec(kind, choices=("a", "b"), columns=("x",)), empty) is None


def test_text_with_a_control_character_between_cr_and_lf_is_stored_as_it_reads_again():
    # Found by the round trip above: the line ending was made one before the control character was dropped.
    assert assert_round_trip(spec(QuestionKind.LONG_TEXT), "a\r\x00\nb") == "a\nb"


# --- Every kind refuses what it must -------------------------------------------------------------------------


@given(options, st.text(min_size=1, max_size=20))
def test_a_choice_outside_the_options_is_refused(values, other):
    assume(other not in values)
    for kind, raw in ((QuestionKind.SINGLE_CHOICE, other), (QuestionKind.MULTIPLE_CHOICE, [values[0], other])):
        with pytest.raises(ServiceError):
            clean_value(spec(kind, choices=tuple(values)), raw)


@given(st.text(min_size=1, max_size=10))
def test_yes_no_refuses_anything_but_yes_and_no(raw):
    assume(raw not in ("yes", "no"))
    with pytest.raises(ServiceError, match="Choose one of the offered answers"):
        clean_value(spec(QuestionKind.YES_NO), raw)


@example(6)
@example(-1)
@example("6")
@example("2.5")
@given(
    st.one_of(
        st.integers().filter(lambda n: not 0 <= n <= 5), st.text(min_size=1).filter(lambda t: not t.strip().isdigit())
    )
)
def test_a_level_outside_0_to_5_or_not_a_whole_number_is_refused(raw):
    assume(raw != "")
    with pytest.raises(ServiceError, match="Choose a level from 0 to 5"):
        clean_value(spec(QuestionKind.SCALE), raw)


@pytest.mark.parametrize("raw", ["twelve", "1e13", "-1e13", "nan", "inf", "1.2.3", "--1", float("nan")])
def test_a_number_that_is_not_one_or_is_absurd_is_refused(raw):
    with pytest.raises(ServiceError, match="Enter a number"):
        clean_value(spec(QuestionKind.NUMBER), raw)


@given(st.floats(allow_nan=False, allow_infinity=False).filter(lambda f: abs(f) > 1e12))
def test_a_number_larger_than_a_trillion_is_refused(number):
    with pytest.raises(ServiceError, match="Enter a number"):
        clean_value(spec(QuestionKind.NUMBER), repr(number))


@pytest.mark.parametrize("raw", ["2031-02-30", "31.12.2031", "tomorrow", "2031/01/01", "20310101x"])
def test_a_date_not_written_as_an_existing_iso_date_is_refused(raw):
    with pytest.raises(ServiceError, match="YYYY-MM-DD"):
        clean_value(spec(QuestionKind.DATE), raw)


@pytest.mark.parametrize(
    ("kind", "limit"), [(QuestionKind.SHORT_TEXT, MAX_SHORT_TEXT), (QuestionKind.LONG_TEXT, MAX_TEXT)]
)
def test_text_longer_than_its_kind_allows_is_refused(kind, limit):
    assert clean_value(spec(kind), "x" * limit) == "x" * limit
    with pytest.raises(ServiceError, match=f"longer than {limit} characters"):
        clean_value(spec(kind), "x" * (limit + 1))


@pytest.mark.parametrize("raw", [["a list"], {"a": "dict"}, 12, True])
def test_text_kinds_refuse_what_is_not_text(raw):
    with pytest.raises(ServiceError, match="Expected text"):
        clean_value(spec(QuestionKind.SHORT_TEXT), raw)


@pytest.mark.parametrize("raw", ["a text", {"x": "1"}, ["a row that is text"], [{"x": "1"}, 2]])
def test_a_table_refuses_what_is_not_a_list_of_rows(raw):
    with pytest.raises(ServiceError, match="The table could not be read"):
        clean_value(spec(QuestionKind.TABLE, columns=("x",)), raw)


def test_a_table_refuses_too_many_rows_and_too_long_cells():
    table = spec(QuestionKind.TABLE, columns=("x",))
    assert len(clean_value(table, [{"x": "r"}] * MAX_TABLE_ROWS)) == MAX_TABLE_ROWS
    with pytest.raises(ServiceError, match=f"at most {MAX_TABLE_ROWS} rows"):
        clean_value(table, [{"x": "r"}] * (MAX_TABLE_ROWS + 1))
    with pytest.raises(ServiceError, match=f"longer than {MAX_CELL} characters"):
        clean_value(table, [{"x": "c" * (MAX_CELL + 1)}])


def test_a_table_keeps_only_its_own_columns():
    assert clean_value(spec(QuestionKind.TABLE, columns=("x",)), [{"x": "kept", "other": "dropped"}]) == [{"x": "kept"}]


def test_an_attachment_question_stores_no_value_and_is_answered_by_its_files():
    attachment = spec(QuestionKind.ATTACHMENT)
    assert clean_value(attachment, "anything") is None
    assert is_answered(QuestionKind.ATTACHMENT, None, attachment_count=1)
    assert not is_answered(QuestionKind.ATTACHMENT, None, attachment_count=0)


def test_an_unknown_kind_is_refused():
    with pytest.raises(ServiceError, match="Unknown question type"):
        clean_value(spec("essay"), "text")


def test_a_value_of_no_kind_is_read_from_the_form_as_the_last_one_sent():
    short = spec(QuestionKind.SHORT_TEXT)
    assert value_from_form(short, MultiValueDict({f"q{QUESTION}": ["first", "last"]})) == "last"
    assert value_from_form(short, MultiValueDict()) == ""
    assert math.isclose(clean_value(spec(QuestionKind.NUMBER), "2.5"), 2.5)
    assert clean_value(spec(QuestionKind.DATE), datetime.date(2031, 1, 2).isoformat()) == "2031-01-02"
