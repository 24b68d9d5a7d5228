"""Server-side SVG charts for the gap-analysis readiness dashboard, over plain data (no database, no request).

Each function returns SVG markup to embed inline in a page (the caller marks it safe). Hence:
- every piece of text (labels, titles, class names, ids) is XML-escaped here;
- no `style` attribute, no <style>, no script (the page's Content Security Policy forbids them): colours come from
  classes styled by certprep/static/gaps/charts.css, with presentation attributes (fill, stroke, ...) as a fallback
  so the SVG also looks right on its own;
- role="img" and aria-labelledby point at the <title> (id `<id_prefix>-title`); data points and cells carry their own
  <title> for the hover tooltip, truncated labels carry their full text in a <title>;
- viewBox + width="100%" so radar and trend scale with their container; a heat map keeps its natural width (CSS
  shrinks it on narrow screens) so its text is never blown up; coordinates rounded to one decimal;
- the same input always gives the same string.

Text widths are estimated (no font metrics on the server), generously, so labels wrap or end with an ellipsis before
they could overflow.
"""

from certprep.gaps.charts.heatmap import heatmap_svg
from certprep.gaps.charts.markup import HEAT_FILLS, HEAT_TEXT, Series
from certprep.gaps.charts.radar import radar_svg
from certprep.gaps.charts.trend import trend_svg

__all__ = ["HEAT_FILLS", "HEAT_TEXT", "Series", "heatmap_svg", "radar_svg", "trend_svg"]
