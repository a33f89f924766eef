"""Server-side SVG charts and the area map: accessible markup, printed values, safe inlining,
and the map's boundary data. No database needed."""

import io
import json
import re
import xml.etree.ElementTree as ET
from collections import Counter
from pathlib import Path

import pytest
from django.core.management import call_command

from yhdyspinta.results import maps
from yhdyspinta.results.charts import (
    RATING_COLOURS,
    SERIES_COLOURS,
    bar_chart,
    contrast_ratio,
    line_chart,
)
from yhdyspinta.results.maps import (
    MAP_ATTRIBUTION,
    NO_DATA_COLOUR,
    SCALE,
    TEXT_ON,
    choropleth,
    shade,
)

NS = "{http://www.w3.org/2000/svg}"
AREAS_CSV = Path(__file__).resolve().parents[2] / "registry" / "data" / "areas.csv"
CODES = [f"{n:02d}" for n in range(1, 22)] + ["90"]
ITEMS = ["Regular meetings between the municipality and the county", "Openness", "Planning"]


def parse(svg: str) -> ET.Element:
    return ET.fromstring(svg)  # noqa: S314 (the charts' own output)


def texts(root: ET.Element) -> list[str]:
    return ["".join(t.itertext()) for t in root.iter(f"{NS}text")]


def ids(root: ET.Element) -> list[str]:
    return [e.get("id") for e in root.iter() if e.get("id")]


def by_id(root: ET.Element, element_id: str) -> ET.Element | None:
    return next((e for e in root.iter() if e.get("id") == element_id), None)


def good_poor(chart_id="goodpoor", **kwargs):
    return bar_chart(
        chart_id=chart_id,
        title="Good and poor by area",
        description="Share of good and poor ratings in each area.",
        categories=["Pirkanmaa", "Helsinki", "Lappi"],
        series=[("Good", [34.0, 61.4, None]), ("Poor", [12.0, None, 20.0])],
        stacked=True,
        percent=True,
        decimals=0,
        **kwargs,
    )


def means(chart_id="means", **kwargs):
    return bar_chart(
        chart_id=chart_id,
        title="Means",
        description="Area mean and all respondents per item.",
        categories=ITEMS,
        series=[("Pirkanmaa", [3.44, None, 2.96]), ("All respondents", [3.1, 3.25, 2.8])],
        max_value=5,
        **kwargs,
    )


def waves(chart_id="waves", **kwargs):
    return line_chart(
        chart_id=chart_id,
        title="Realised by wave",
        description="Share realised in each wave.",
        categories=["2022", "2023", "2024", "2025", "2026"],
        series=[("Meetings", [40.0, 45.0, None, 52.0, 60.0]), ("Openness", [38, 44, 50, 51, 58])],
        percent=True,
        **kwargs,
    )


def example_map(chart_id="areamap", **kwargs):
    values = {code: 2.4 + 0.08 * i for i, code in enumerate(CODES)}
    values["20"] = None
    return choropleth(
        chart_id=chart_id,
        title="Mean by area",
        description="Mean of all items in each area.",
        values=values,
        suppressed={"90"},
        names={code: f"Area {code}" for code in CODES},
        legend_title="Mean (1–5)",
        low=2.4,
        high=4.0,
        no_data_label="No data",
        suppressed_label="Too few answers",
        **kwargs,
    )


ALL_CHARTS = [good_poor, means, waves, example_map]


@pytest.mark.parametrize("make", ALL_CHARTS)
def test_accessible_root_title_and_desc(make):
    svg = make(chart_id="c1")
    assert svg.startswith("<svg")
    assert "<?xml" not in svg and "DOCTYPE" not in svg
    root = parse(svg)
    assert root.get("role") == "img"
    assert root.get("aria-labelledby") == "c1-title c1-desc"
    assert root.get("width") == "100%"
    assert root.get("height") is None
    assert len(root.get("viewBox").split()) == 4
    first, second = root[0], root[1]
    assert (first.tag, first.get("id")) == (f"{NS}title", "c1-title")
    assert (second.tag, second.get("id")) == (f"{NS}desc", "c1-desc")
    assert first.text and second.text
    assert "sans-serif" in root.get("font-family")


def test_title_and_desc_are_escaped():
    svg = bar_chart(
        chart_id="esc",
        title="A <b> & B",
        description='"quoted" <desc>',
        categories=["Cost $5$ & <more>"],
        series=[("Mean", [1.0])],
    )
    root = parse(svg)
    assert root[0].text == "A <b> & B"
    assert root[1].text == '"quoted" <desc>'
    # Category names are plain text, never TeX.
    assert "Cost $5$ & <more>" in texts(root)


@pytest.mark.parametrize("make", ALL_CHARTS)
def test_no_inline_styles_for_the_content_security_policy(make):
    root = parse(make())
    assert not list(root.iter(f"{NS}style"))
    assert all(e.get("style") is None for e in root.iter())
    assert not list(root.iter(f"{NS}metadata"))


def test_no_duplicate_ids_across_charts_on_one_page():
    page = [good_poor("a"), good_poor("b"), means("c"), waves("d"), example_map("e")]
    all_ids = [i for svg in page for i in ids(parse(svg))]
    duplicates = [i for i, n in Counter(all_ids).items() if n > 1]
    assert not duplicates


@pytest.mark.parametrize("make", ALL_CHARTS)
def test_every_reference_points_into_the_same_chart(make):
    svg = make(chart_id="ref")
    root = parse(svg)
    own = set(ids(root))
    references = re.findall(r'url\(#([^)]+)\)|href="#([^"]+)"', svg)
    assert references  # clip paths at least
    for url, href in references:
        target = url or href
        assert target in own
        assert target.startswith("ref-")


def test_same_input_gives_the_same_svg():
    assert means() == means()
    assert example_map() == example_map()


def test_values_are_printed_with_the_decimal_comma():
    printed = texts(parse(means()))
    assert {"3,4", "3,0", "3,1", "3,3", "2,8"} <= set(printed)
    assert "3.4" not in printed


def test_decimal_separator_can_be_a_point():
    printed = texts(parse(means(decimal_separator=".")))
    assert "3.4" in printed


def test_percentages_are_printed():
    printed = texts(parse(good_poor()))
    assert {"34 %", "12 %", "61 %", "20 %"} <= set(printed)
    assert "100 %" in printed  # the axis


def test_none_is_drawn_as_nothing_not_zero():
    root = parse(means())
    assert by_id(root, "means-bar-0-0") is not None
    assert by_id(root, "means-bar-0-1") is None  # Pirkanmaa has no value for item 2
    assert by_id(root, "means-bar-1-1") is not None
    assert "0,0" not in texts(root)

    root = parse(good_poor())
    assert by_id(root, "goodpoor-bar-1-1") is None
    assert by_id(root, "goodpoor-bar-0-2") is None
    assert "0 %" in texts(root)  # the axis only
    assert texts(root).count("0 %") == 1


def test_line_gap_for_none():
    root = parse(waves())
    line = by_id(root, "waves-line-0")
    path = next(line.iter(f"{NS}path"))
    # Two separate runs of line: 2022–2023 and 2025–2026.
    assert path.get("d").count("M") == 2
    markers = [u for u in line.iter(f"{NS}use")]
    assert len(markers) == 4
    assert {"40 %", "45 %", "52 %", "60 %", "50 %"} <= set(texts(root))


def test_line_labels_never_cover_each_other():
    from yhdyspinta.results.charts import _label_positions

    # Far apart: each label above its point.
    assert _label_positions([10.0, 100.0], 14, 4, low=0, high=300) == [22.0, 112.0]
    # Close: the upper label above, the lower one below its point.
    assert _label_positions([100.0, 104.0], 14, 4, low=0, high=300) == [88.0, 116.0]
    # Three in a huddle: the middle one has no free place and is left to the table.
    assert _label_positions([100.0, 104.0, 108.0], 14, 4, low=0, high=300)[1] is None


def test_legend_only_with_several_series():
    assert {"Pirkanmaa", "All respondents"} <= set(texts(parse(means())))
    single = bar_chart(
        chart_id="single",
        title="t",
        description="d",
        categories=ITEMS,
        series=[("Mean of the area", [3.0, 3.5, 4.0])],
        max_value=5,
    )
    assert "Mean of the area" not in texts(parse(single))


def test_stacked_distribution_with_rating_colours():
    svg = bar_chart(
        chart_id="dist",
        title="t",
        description="d",
        categories=ITEMS,
        series=[(str(r), [20.0, 20.0, 20.0]) for r in range(1, 6)],
        stacked=True,
        percent=True,
        decimals=0,
        colours=RATING_COLOURS,
    )
    root = parse(svg)
    assert texts(root).count("20 %") == 15 + 1  # and the axis
    fills = {p.get("fill") for p in root.iter(f"{NS}path")}
    assert {c.lower() for c in RATING_COLOURS} <= fills


def test_vertical_bars():
    root = parse(means(chart_id="vertical", horizontal=False))
    assert {"3,4", "3,3"} <= set(texts(root))
    assert by_id(root, "vertical-bar-0-1") is None


def test_bad_input_is_refused():
    with pytest.raises(ValueError, match="chart_id"):
        means(chart_id="1 bad")
    with pytest.raises(ValueError, match="values"):
        bar_chart(
            chart_id="x", title="t", description="d", categories=["a", "b"], series=[("s", [1])]
        )


def test_chart_numbers_round_half_up_like_the_tables():
    from yhdyspinta.results.charts import chart_number

    assert chart_number(2.45, 1, False, ",") == "2,5"
    assert chart_number(2.25, 1, False, ",") == "2,3"
    assert chart_number(34.5, 0, True, ",") == "35 %"
    assert chart_number(-0.04, 1, False, ",") == "0,0"


def test_series_colours_contrast_with_white_and_their_labels():
    for colour in [*SERIES_COLOURS, *RATING_COLOURS]:
        assert contrast_ratio(colour, "#ffffff") >= 3
        assert max(contrast_ratio(colour, "#000000"), contrast_ratio(colour, "#ffffff")) >= 4.5


# The map.


def test_scale_text_colours_meet_aa():
    assert len(SCALE) == 5
    assert set(TEXT_ON) == set(SCALE)
    for colour, text in TEXT_ON.items():
        assert text in {"#000", "#fff"}
        assert contrast_ratio(colour, text) >= 4.5


def test_scale_runs_light_to_dark():
    from yhdyspinta.results.charts import _luminance

    lightness = [_luminance(c) for c in SCALE]
    assert lightness == sorted(lightness, reverse=True)
    assert lightness[0] < _luminance(NO_DATA_COLOUR)


@pytest.mark.parametrize(
    ("value", "step"),
    [
        (1.0, 0),
        (1.999, 0),
        (2.0, 1),
        (3.0, 2),
        (4.999, 3),
        (5.0, 4),
        (6.0, 4),
        (0.0, 0),  # below the range: the lightest
        (9.0, 4),  # above: the darkest
    ],
)
def test_shade_bins_at_the_boundaries(value, step):
    assert shade(value, 1, 6, decimals=None) == SCALE[step]


def test_shade_edges_survive_floating_point():
    # 2.4 + 0.32 is 2.7199999999999998 in floating point; 2.72 must still start the 2nd bin.
    assert shade(2.72, 2.4, 4.0, decimals=None) == SCALE[1]
    assert shade(2.7199, 2.4, 4.0, decimals=None) == SCALE[0]
    assert shade(3.68, 2.4, 4.0, decimals=None) == SCALE[4]


@pytest.mark.parametrize(
    ("value", "step"),
    [(1.94, 0), (1.95, 1), (2.449, 1), (2.45, 2), (2.5, 2), (3.449, 3), (3.45, 4), (4.0, 4)],
)
def test_shade_classifies_the_printed_value(value, step):
    """A mean shown as 2,5 is in the step labelled 2,5–2,9, whatever its unrounded value."""
    assert shade(value, 1.5, 4.0) == SCALE[step]


def test_shade_none_is_no_data():
    assert shade(None, 1, 5) == NO_DATA_COLOUR


def test_map_has_22_areas_with_tooltips():
    root = parse(example_map())
    areas = [e for e in root.iter(f"{NS}g") if re.fullmatch(r"areamap-area-\d\d", e.get("id", ""))]
    assert sorted(a.get("id")[-2:] for a in areas) == sorted(CODES)
    for area in areas:
        assert area[0].tag == f"{NS}title"
    titles = {a.get("id")[-2:]: a[0].text for a in areas}
    assert titles["01"] == "Area 01: 2,4"
    assert titles["90"] == "Area 90: Too few answers"
    assert titles["20"] == "Area 20: No data"


def area_fill(root, element_id):
    return next(by_id(root, element_id).iter(f"{NS}path")).get("fill")


def test_suppressed_area_is_hatched_not_shaded():
    root = parse(example_map())
    fill = area_fill(root, "areamap-area-90")
    assert fill.startswith("url(#areamap-")
    pattern = by_id(root, fill[len("url(#") : -1])
    assert pattern.tag == f"{NS}pattern"
    assert fill not in SCALE
    # Repeated, enlarged, in the capital-region inset.
    assert area_fill(root, "areamap-inset-90") == fill


def test_areas_without_data_are_white_and_others_shaded():
    root = parse(example_map())
    assert area_fill(root, "areamap-area-20") == NO_DATA_COLOUR
    assert area_fill(root, "areamap-area-01") == SCALE[0]
    assert area_fill(root, "areamap-area-21") == shade(2.4 + 0.08 * 20, 2.4, 4.0)


def test_map_legend_ranges_and_size():
    svg = example_map()
    printed = texts(parse(svg))
    # Edges 2.72, 3.04, 3.36, 3.68: each step labelled by the printed values it holds.
    steps = ["2,4–2,7", "2,8–3,0", "3,1–3,3", "3,4–3,6", "3,7–4,0"]
    assert {*steps, "Too few answers", "No data", "Mean (1–5)"} <= set(printed)
    assert len(svg.encode()) < 100_000


def test_map_legend_in_half_points():
    svg = choropleth(
        chart_id="half",
        title="t",
        description="d",
        values={"01": 2.45, "02": 3.2},
        suppressed=set(),
        names={},
        legend_title="Mean",
        low=1.5,
        high=4.0,
        no_data_label="No data",
        suppressed_label="Suppressed",
    )
    root = parse(svg)
    assert {"1,5–1,9", "2,0–2,4", "2,5–2,9", "3,0–3,4", "3,5–4,0"} <= set(texts(root))
    assert area_fill(root, "half-area-01") == SCALE[2]  # printed 2,5


def test_map_legend_marks_values_beyond_the_range():
    svg = choropleth(
        chart_id="beyond",
        title="t",
        description="d",
        values={"01": 1.0, "02": 5.0},
        suppressed=set(),
        names={},
        legend_title="Mean",
        low=2.0,
        high=4.5,
        no_data_label="No data",
        suppressed_label="Suppressed",
    )
    printed = texts(parse(svg))
    assert "≤ 2,4" in printed
    assert "≥ 4,0" in printed


def test_attribution():
    assert "National Land Survey of Finland" in MAP_ATTRIBUTION
    assert "CC BY 4.0" in MAP_ATTRIBUTION


# The boundary data.


def test_shipped_boundaries_match_the_registry_areas():
    with maps.DATA_FILE.open(encoding="utf-8") as f:
        collection = json.load(f)
    features = collection["features"]
    registry = {
        line.split(",")[0]: line.split(",")[1]
        for line in AREAS_CSV.read_text(encoding="utf-8").splitlines()[1:]
    }
    assert {f["properties"]["code"]: f["properties"]["short_name"] for f in features} == registry
    assert all(set(f["properties"]) == {"code", "short_name"} for f in features)


def fixture_geojson(path: Path) -> None:
    features = []
    for i, code in enumerate(reversed(CODES)):
        lon, lat = 21 + i * 0.4, 60 + i * 0.4
        ring = [
            [lon, lat],
            [lon + 0.123456, lat],
            [lon + 0.123457, lat + 0.000001],  # the same point as the last after rounding
            [lon + 0.1, lat + 0.2345678],
            [lon, lat],
        ]
        features.append(
            {
                "type": "Feature",
                "properties": {"code": code, "short_name": f"Area {code}", "name_fi": "x"},
                "geometry": {"type": "Polygon", "coordinates": [ring]},
            }
        )
    path.write_text(json.dumps({"type": "FeatureCollection", "features": features}))


def test_build_map_data_is_deterministic_and_minimal(tmp_path):
    source = tmp_path / "source.geojson"
    fixture_geojson(source)
    first, second = tmp_path / "first.geojson", tmp_path / "second.geojson"
    call_command("build_map_data", str(source), output=str(first), stdout=io.StringIO())
    call_command("build_map_data", str(source), output=str(second), stdout=io.StringIO())
    assert first.read_bytes() == second.read_bytes()

    features = json.loads(first.read_text(encoding="utf-8"))["features"]
    assert len(features) == 22
    assert [f["properties"]["code"] for f in features] == sorted(CODES)
    assert all(set(f["properties"]) == {"code", "short_name"} for f in features)
    ring = features[0]["geometry"]["coordinates"][0]
    assert len(ring) == 4  # the repeated point is gone
    for x, y in ring:
        assert round(x, 4) == x and round(y, 4) == y
    assert ring[0] == ring[-1]


def test_build_map_data_refuses_a_feature_without_code(tmp_path):
    from django.core.management.base import CommandError

    source = tmp_path / "bad.geojson"
    source.write_text(
        json.dumps(
            {
                "type": "FeatureCollection",
                "features": [{"type": "Feature", "properties": {}, "geometry": None}],
            }
        )
    )
    with pytest.raises(CommandError, match="code"):
        call_command("build_map_data", str(source), output=str(tmp_path / "out.geojson"))
