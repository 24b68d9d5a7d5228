"""Each quote in its own currency, on every page that shows it and in the Excel comparison, in English and Chinese:
a euro quote next to a yuan quote never borrows the yuan's sign (CLDR through Babel: en "€1,234.50" and
"CN¥1,234.50", zh "€1,234.50" and "¥1,234.50"), and an amount with a third decimal is rounded half-up."""

from __future__ import annotations

import datetime
from decimal import Decimal
from io import BytesIO

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from certprep.vendors.choices import Answer, VendorKind
from certprep.vendors.services.register import quote_create, vendor_create
from certprep.vendors.tests.world import body_a

pytestmark = pytest.mark.django_db
D = Decimal


def _euro_body(engagement, owner):
    vendor = vendor_create(engagement=engagement, actor=owner, kind=VendorKind.CERTIFICATION_BODY, name="Euro Cert")
    quote_create(
        vendor=vendor,
        actor=owner,
        received_on=datetime.date(2026, 11, 3),
        currency="EUR",
        day_rate=D("1234.505"),  # half-up: 1,234.51 (Babel alone would round half to even: 1,234.50)
        stage1_days=D("1"),  # 1,234.505 -> 1,234.51 in the initial year
        includes_surveillance=Answer.YES,
        includes_recertification=Answer.YES,
        includes_certificate_fee=Answer.YES,
        includes_travel=Answer.YES,
    )
    return vendor


def _get(client, name, args, language):
    client.cookies["django_language"] = language
    return client.get(reverse(name, args=args), HTTP_ACCEPT_LANGUAGE=language).content.decode()


def _row(page, row_id):
    return page.split(f'id="{row_id}"')[1].split("</tr>")[0]


@pytest.mark.parametrize(
    ("language", "euro", "yuan"),
    [("en", "€1,234.51", "CN¥120,500.00"), ("zh-hans", "€1,234.51", "¥120,500.00")],
)
def test_the_comparison_register_and_quote_pages_show_each_quotes_own_currency(
    owner_client, engagement, owner, language, euro, yuan
):
    a, euro_body = body_a(engagement, owner), _euro_body(engagement, owner)
    comparison = _get(owner_client, "vendors:comparison", [engagement.pk], language)
    euro_row, yuan_row = _row(comparison, f"total-{euro_body.pk}"), _row(comparison, f"total-{a.pk}")
    assert f'<td class="num total">{euro}</td>' in euro_row
    assert "¥" not in euro_row
    assert f'<td class="num total">{yuan}</td>' in yuan_row
    assert "€" not in yuan_row
    register = _get(owner_client, "vendors:register", [engagement.pk], language)
    assert euro in register
    assert yuan in register
    vendor = _get(owner_client, "vendors:vendor", [engagement.pk, euro_body.pk], language)
    assert f'<td class="num">{euro}</td>' in vendor  # the day rate in the quotes table
    assert f'id="schedule-total">{euro}</td>' in vendor
    assert "¥" not in vendor


def test_yuan_in_english_reads_cn_yuan_and_in_chinese_the_plain_sign(owner_client, engagement, owner):
    a = body_a(engagement, owner)
    assert "CN¥6,000.00" in _get(owner_client, "vendors:vendor", [engagement.pk, a.pk], "en")
    page = _get(owner_client, "vendors:vendor", [engagement.pk, a.pk], "zh-hans")
    assert "¥6,000.00" in page
    assert "CN¥" not in page


def test_the_excel_comparison_writes_each_amount_with_its_own_currency(owner_client, engagement, owner):
    body_a(engagement, owner)
    _euro_body(engagement, owner)
    response = owner_client.get(reverse("vendors:export", args=[engagement.pk]) + "?kind=certification_body")
    sheet = load_workbook(BytesIO(response.content)).worksheets[0]
    rows = {row[0].value: row for row in sheet.iter_rows(min_row=2)}
    euro, yuan = rows["Euro Cert"], rows["Body A"]
    assert euro[1].value == "EUR"
    assert yuan[1].value == "CNY"
    assert D(str(euro[2].value)) == D("1234.51")  # initial year
    assert D(str(euro[6].value)) == D("1234.51")  # total
    assert D(str(yuan[6].value)) == D("120500")
    assert {cell.number_format for cell in euro[2:7]} == {'#,##0.00 "EUR"'}
    assert {cell.number_format for cell in yuan[2:7]} == {'#,##0.00 "CNY"'}
