"""Money charts keep their lines in PDFs (issue 16): WeasyPrint applies only the styles given
inside an SVG, so the chart's colours live there; a PDF with the S-curve strokes each series
in its colour (found as PDF stroke-colour operators in the page streams)."""

import re
import zlib
from datetime import date
from decimal import Decimal

import pytest
from django.template.loader import render_to_string

from reports.rendering import render_pdf
from resources.evm.charts import CurvePoint, s_curve


def _stroke_colours(pdf: bytes) -> set[bytes]:
    colours: set[bytes] = set()
    for stream in re.findall(rb"stream\r?\n(.*?)\r?\nendstream", pdf, re.S):
        try:
            content = zlib.decompress(stream)
        except zlib.error:
            continue
        colours.update(re.findall(rb"([\d.]+ [\d.]+ [\d.]+) RG", content))
    return colours


@pytest.mark.filterwarnings("ignore")
def test_the_s_curve_is_drawn_with_its_colours_in_a_pdf():
    points = [
        CurvePoint(date(2026, 1, 31), Decimal(100), Decimal(80), Decimal(90)),
        CurvePoint(date(2026, 2, 28), Decimal(300), Decimal(250), Decimal(280)),
        CurvePoint(date(2026, 3, 31), Decimal(600)),
    ]
    chart = render_to_string(
        "resources/partials/evm_chart.html",
        {"chart": s_curve(points, date(2026, 2, 28)), "chart_id": "c", "title": "S-curve"},
    )
    colours = _stroke_colours(render_pdf(f"<html><body>{chart}</body></html>"))
    # #1f5fbf planned value, #1e7b34 earned value, #b3261e actual cost
    assert {b"0.121569 0.372549 0.74902", b"0.117647 0.482353 0.203922"} <= colours
    assert b"0.701961 0.14902 0.117647" in colours
