"""The budget page reads its figures as plain values: the same Decimals as the model's fields, the same amounts
written as Babel writes them, and the page's rows (edit link for typed lines only, labels, figures) as before."""

from __future__ import annotations

from decimal import Decimal

import pytest
from babel.numbers import format_currency
from django.urls import reverse
from django.utils import translation

from certprep.budget.models import BudgetLine
from certprep.budget.money import _locale, money_writer
from certprep.budget.selectors.budget import facts_of

D = Decimal
AWKWARD = ["0.0001", "0.1", "1.005", "100.25", "123456.7891", "999999.9999", "1000000000000", "0.3333"]
QUANTITIES = ["1", "0.0001", "2.5", "999999.9999", "0.3333", "1000000", "7", "12.3456"]


@pytest.mark.django_db
def test_line_figures_read_as_text_are_the_decimals_the_model_reads(engagement):
    for n, price in enumerate(AWKWARD):
        BudgetLine.objects.create(
            engagement=engagement,
            category="training",
            description=f"Line {n}",
            quantity=D(QUANTITIES[n]),
            unit_price=D(price),
            currency="CNY",
        )
    read = {f.id: (f.quantity, f.unit_price) for f in facts_of(engagement)}
    stored = {line.pk: (line.quantity, line.unit_price) for line in BudgetLine.objects.filter(engagement=engagement)}
    assert read == stored
    assert sorted(p for _q, p in read.values()) == sorted(D(p) for p in AWKWARD)


@pytest.mark.parametrize("language", ["en", "zh-hans"])
@pytest.mark.parametrize("currency", ["CNY", "EUR", "USD", "JPY", "KWD"])
@pytest.mark.parametrize("amount", ["0", "0.005", "1234.5", "-17.125", "98765432.109"])
def test_the_cached_writer_writes_what_babel_writes(language, currency, amount):
    expected_places = {"JPY": "1", "KWD": "0.001"}.get(currency, "0.01")
    rounded = D(amount).quantize(D(expected_places), rounding="ROUND_HALF_UP")
    assert money_writer(currency, language)(D(amount)) == format_currency(
        rounded, currency, locale=_locale(language), currency_digits=True
    )


def test_hand_written_amounts_in_both_languages():
    assert money_writer("CNY", "en")(D("1234.505")) == "CN¥1,234.51"
    assert money_writer("CNY", "zh-hans")(D("1234.5")) == "¥1,234.50"
    assert money_writer("USD", "zh-hans")(D(12)) == "US$12.00"


@pytest.mark.django_db
def test_the_page_links_typed_lines_only_and_writes_their_figures(engagement, owner_client):
    typed = BudgetLine.objects.create(
        engagement=engagement,
        category="material",
        description="Posters <b>",
        quantity=D(3),
        unit="sheets",
        unit_price=D("12.50"),
        currency="EUR",
        cycle_year=2,
    )
    derived = BudgetLine.objects.create(
        engagement=engagement,
        category="internal",
        description="Effort",
        quantity=D(2),
        unit="days",
        unit_price=D(100),
        currency="CNY",
        source="derived",
        derived_key="bench:x",
    )
    BudgetLine.objects.create(
        engagement=engagement,
        category="consulting",
        description="Consultant",
        quantity=D(20),
        unit="days",
        unit_price=D(1000),
        currency="CNY",
        cycle_year=0,
    )
    with translation.override("en"):
        page = owner_client.get(reverse("budget:overview", args=[engagement.pk])).content.decode()
    edit = reverse("budget:line_edit", args=[engagement.pk, typed.pk])
    assert f'<a href="{edit}"><bdi>Posters &lt;b&gt;</bdi></a>' in page
    assert reverse("budget:line_edit", args=[engagement.pk, derived.pk]) not in page
    assert "3 sheets × 12.5 EUR" in page
    assert "20 days × 1000 CNY" in page  # never 2E+1 x 1E+3
    assert "<td>reference material and publicity</td><td>surveillance year 2</td><td>typed</td>" in page
    assert "€37.50" in page  # 3 x 12.50, in its own currency; no EUR rate: "no rate" beside it
    assert "no rate" in page
