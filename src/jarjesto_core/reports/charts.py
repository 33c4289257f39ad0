"""The board summary's pictures, drawn by matplotlib to SVG (no fonts or tiles fetched).

matplotlib runs on its Agg backend with its own bundled DejaVu Sans, so a
chart looks the same on every machine and in the PDF. Each chart is returned
as SVG text; the page embeds it as an image and shows the same figures in a
table beside it, for readers who cannot see the picture.
"""

from __future__ import annotations

import functools
import io
import json
import math
from collections.abc import Callable, Mapping, Sequence
from decimal import Decimal
from importlib import resources
from typing import Any, Final

__all__ = ["STATUS_COLOURS", "grants_chart", "municipality_map"]

#: Funding statuses, worst first, with their colours (colour-blind-safe, and labelled too).
STATUS_COLOURS: Final[Mapping[str, str]] = {
    "blind_spot": "#b2182b",
    "unfunded": "#ef8a62",
    "mismatch": "#fddbc7",
    "outside_reform": "#bababa",
    "ok": "#67a9cf",
}
NO_SERVICES: Final = "#f0f0f0"
FUNDER_COLOURS: Final = ("#2166ac", "#67a9cf", "#1b7837", "#a6dba0", "#762a83", "#c2a5cf",
                         "#8c510a", "#dfc27d", "#01665e", "#80cdc1")  # fmt: skip
_LAT0: Final = math.cos(math.radians(63.0))


def _pyplot() -> Any:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    plt.rcParams.update(
        {
            "font.family": "DejaVu Sans",
            "font.size": 8,
            "svg.fonttype": "path",
            "svg.hashsalt": "jarjesto",
            "axes.spines.top": False,
            "axes.spines.right": False,
        }
    )
    return plt


def _svg(figure: Any) -> str:
    buffer = io.StringIO()
    figure.savefig(buffer, format="svg", metadata={"Date": None, "Creator": None})
    _pyplot().close(figure)
    text = buffer.getvalue()
    return text[text.index("<svg") :]


@functools.cache
def _outlines() -> Mapping[str, tuple[tuple[tuple[float, float], ...], ...]]:
    """Each municipality's rings (outer boundaries) from the bundled 2025 GeoJSON."""
    path = resources.files("jarjesto_core").joinpath("data/geo/municipalities-2025.geojson")
    found: dict[str, tuple[tuple[tuple[float, float], ...], ...]] = {}
    for feature in json.loads(path.read_text("utf-8"))["features"]:
        geometry = feature["geometry"]
        polygons = (
            [geometry["coordinates"]] if geometry["type"] == "Polygon" else geometry["coordinates"]
        )
        found[feature["properties"]["code"]] = tuple(
            tuple((lon * _LAT0, lat) for lon, lat in polygon[0]) for polygon in polygons
        )
    return found


def municipality_map(
    fills: Mapping[str, str], labels: Mapping[str, str], *, title: str = ""
) -> str | None:
    """A small map of the municipalities in ``fills`` (code -> colour), named by ``labels``.

    None when none of them has an outline (a code the 2025 map lacks).
    """
    outlines = _outlines()
    codes = [code for code in fills if code in outlines]
    if not codes:
        return None
    plt = _pyplot()
    from matplotlib.collections import PolyCollection

    figure, axes = plt.subplots(figsize=(2.8, 3.2))
    rings, colours = [], []
    for code in codes:
        for ring in outlines[code]:
            rings.append(ring)
            colours.append(fills[code])
    axes.add_collection(
        PolyCollection(rings, facecolors=colours, edgecolors="#ffffff", linewidths=0.6)
    )
    for code in codes:
        ring = max(outlines[code], key=len)
        x = sum(p[0] for p in ring) / len(ring)
        y = sum(p[1] for p in ring) / len(ring)
        axes.annotate(labels.get(code, code), (x, y), ha="center", va="center", fontsize=5.5,
                      color="#1b1b1b")  # fmt: skip
    axes.autoscale_view()
    axes.set_aspect("equal")
    axes.set_axis_off()
    if title:
        axes.set_title(title, fontsize=8)
    figure.tight_layout(pad=0.2)
    return _svg(figure)


def grants_chart(
    years: Sequence[int],
    series: Sequence[tuple[str, Mapping[int, Decimal]]],
    *,
    money: Callable[[float], str],
    marks: Sequence[tuple[int, int, str]] = (),
    mark_labels: Mapping[str, str],
    reform_year: int | None = 2023,
    reform_label: str = "",
    axis_label: str = "",
) -> str:
    """Grants by year, one bar per funder side by side on one common axis.

    ``series`` is (funder's name, {year: amount}). ``marks`` are (year, series
    index, kind) with kind ``interruption`` or ``cut``, drawn over that
    funder's bar; ``reform_year`` is shaded as the reform gap.
    """
    plt = _pyplot()
    from matplotlib.ticker import FuncFormatter

    figure, axes = plt.subplots(figsize=(6.6, 2.5))
    count = max(len(series), 1)
    width = 0.8 / count
    top = max((float(v) for _n, values in series for v in values.values()), default=0.0) or 1.0
    if reform_year is not None and reform_year in years:
        axes.axvspan(reform_year - 0.5, reform_year + 0.5, color="#eeeeee", zorder=0)
        axes.text(reform_year, top * 1.12, reform_label, ha="center", va="bottom", fontsize=6.5,
                  color="#555555")  # fmt: skip
    for i, (name, values) in enumerate(series):
        xs = [y - 0.4 + width * (i + 0.5) for y in years]
        heights = [float(values.get(y, 0)) for y in years]
        colour = FUNDER_COLOURS[i % len(FUNDER_COLOURS)]
        axes.bar(xs, heights, width * 0.92, label=name, color=colour, zorder=2)
    styles = {"interruption": ("x", "#b2182b"), "cut": ("v", "#e08214")}
    shown: set[str] = set()
    for year, i, kind in marks:
        marker, colour = styles[kind]
        x = year - 0.4 + width * (i + 0.5)
        height = float(series[i][1].get(year, 0)) if i < len(series) else 0.0
        axes.plot([x], [height + top * 0.04], marker=marker, color=colour, markersize=7,
                  linestyle="none", zorder=3,
                  label=mark_labels[kind] if kind not in shown else None)  # fmt: skip
        shown.add(kind)
    axes.set_xticks(list(years), [str(y) for y in years])
    axes.set_xlim(min(years) - 0.6, max(years) + 0.6)
    axes.set_ylim(0, top * 1.25)
    axes.yaxis.set_major_formatter(FuncFormatter(lambda v, _p: money(v)))
    axes.set_ylabel(axis_label)
    axes.grid(axis="y", color="#dddddd", linewidth=0.5, zorder=1)
    axes.legend(fontsize=6.5, frameon=False, loc="upper left", bbox_to_anchor=(1.0, 1.0))
    figure.tight_layout(pad=0.3)
    return _svg(figure)
