"""The SVG charts are legible: round ticks, axis labels, a legend when there are two series."""

from insuredesk.complaints import charts


def test_ticks_are_round_numbers_covering_the_data():
    assert charts.ticks(0, 6) == [0, 2, 4, 6]
    assert charts.ticks(0, 1714.29) == [0, 500, 1000, 1500, 2000]
    assert charts.ticks(1, 5) == [1, 2, 3, 4, 5]


def test_numbers_are_written_for_people():
    assert charts.fmt(22222.22) == "22,222"
    assert charts.fmt(2.8) == "2.8"
    assert charts.fmt(3.0) == "3"


def test_line_chart_with_two_series_has_a_legend_axis_label_and_month_names():
    svg = charts.line_chart(
        ["2025-12", "2026-01", "2026-02"],
        [("Received", [1, 4, None]), ("Answered late", [0, 1, 0])],
        title="Complaints per month",
        axis_label="complaints",
    )
    assert svg.count('class="legend"') == 2 and "Answered late" in svg
    assert "complaints</text>" in svg and "rotate(-90)" in svg
    assert ">Dec<" in svg and ">2025<" in svg and ">2026<" in svg
    assert svg.count('class="series"') == 2


def test_bar_chart_names_its_axis_and_the_counts_behind_each_rate():
    svg = charts.bar_chart(
        [("Claims delay", 2000.0), ("Underwriting", 285.71)],
        title="By category",
        axis_label="complaints per 10 000 policies",
        counts=[7, 1],
    )
    assert "2,000 (7)" in svg and "286 (1)" in svg
    assert "complaints per 10 000 policies · (n) = complaints" in svg
    assert svg.count("<rect") == 2
