"""Charts made fit for documents: PNG for Word (CairoSVG) and a fixed-size SVG for the PDF."""

from __future__ import annotations

import base64
import io

from PIL import Image

from certprep.reports.render.pictures import data_uri, png

FRAME = (
    '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 200 60" width="100%" '
    "font-family=\"system-ui, 'Noto Sans CJK SC', sans-serif\">{}</svg>"
)


def _text_png(text: str) -> Image.Image:
    picture = png(FRAME.format(f'<text x="10" y="40" font-size="30">{text}</text>'), 60)
    assert picture is not None
    return Image.open(io.BytesIO(picture.png)).convert("L")


def test_chinese_in_a_chart_becomes_glyphs_not_boxes() -> None:
    """A missing glyph is drawn as the same box for every character; two different characters drawn the same
    would be boxes. The chart's family list starts with system-ui, as the product's charts do."""
    first, second, third = _text_png("咨"), _text_png("询"), _text_png("费")
    assert first.tobytes() != second.tobytes() != third.tobytes() != first.tobytes()
    assert first.getextrema()[0] < 100  # something dark was drawn


def test_the_png_has_print_resolution_and_the_charts_proportions() -> None:
    picture = png(FRAME.format('<rect x="0" y="0" width="200" height="60" fill="#2f6f9f"/>'), 160)
    assert picture is not None
    image = Image.open(io.BytesIO(picture.png))
    assert image.size == (1260, 378)  # 160 mm at 200 dpi, 200:60
    assert picture.width_mm == 160
    assert round(picture.height_mm) == 48
    assert image.convert("RGB").getpixel((900, 300)) == (0x2F, 0x6F, 0x9F)


def test_wider_than_the_text_width_is_made_to_fit() -> None:
    picture = png(FRAME.format(""), 400)
    assert picture is not None
    assert picture.width_mm == 160


def test_not_svg_is_none_and_external_things_are_dropped() -> None:
    assert png("<svg><unclosed", 100) is None
    assert png("<html></html>", 100) is None
    assert png('<!DOCTYPE svg [<!ENTITY x SYSTEM "file:///etc/passwd">]><svg>&x;</svg>', 100) is None
    uri = data_uri(
        FRAME.format('<image href="http://127.0.0.1:9/x.png"/><script>alert(1)</script><text>&lt;b&gt;</text>')
    )
    assert uri is not None
    svg = base64.b64decode(uri.split(",", 1)[1]).decode()
    assert "<image" not in svg
    assert "<script" not in svg
    assert "&lt;b&gt;" in svg
    assert 'width="200"' in svg
    assert 'height="60"' in svg
