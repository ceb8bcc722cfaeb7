"""The risk matrix and the cover chart: every risk in its cell, amounts that add up, and no
text that could break out of the SVG."""

from decimal import Decimal

from insuredesk.planning.charts import CoverBar, MatrixPoint, cover_chart, risk_matrix


def test_each_risk_is_a_numbered_dot_in_its_likelihood_and_severity_cell():
    svg = risk_matrix(
        [MatrixPoint(1, "Fire", 5, 5), MatrixPoint(2, "Flood", 1, 1), MatrixPoint(3, "Car", 1, 1)],
        title="Risk matrix",
        likelihood_label="Likelihood",
        severity_label="Severity",
    )

    assert svg.startswith("<svg") and svg.endswith("</svg>")
    assert svg.count('<g class="risk-dot">') == 3
    assert svg.count('class="cell severe"') == 3  # 4x5, 5x4 and 5x5
    assert svg.count('class="cell low"') == 8  # scores 1 to 4
    assert "<title>1. Fire</title>" in svg


def test_text_is_escaped():
    svg = risk_matrix(
        [MatrixPoint(1, "<script>alert(1)</script>", 2, 2)],
        title="A & B",
        likelihood_label="L",
        severity_label="S",
    )

    assert "<script>" not in svg
    assert "&lt;script&gt;" in svg and "A &amp; B" in svg


def test_a_bar_shows_existing_cover_the_plans_addition_and_what_is_left_in_that_order():
    svg = cover_chart(
        [CoverBar("Income", Decimal("4800000"), Decimal("1000000"), Decimal("2280000"),
                  Decimal("1520000"))],
        title="What covers each risk",
        legend=("Now", "Plan", "Left"),
        currency="CNY",
    )  # fmt: skip

    assert "Now: CNY 1,000,000.00" in svg
    assert "Plan: CNY 2,280,000.00" in svg
    assert "Left: CNY 1,520,000.00" in svg
    assert svg.index("Now: CNY") < svg.index("Plan: CNY") < svg.index("Left: CNY")
    assert ">6M</text>" in svg  # the axis ends on a round amount past 4.8M
