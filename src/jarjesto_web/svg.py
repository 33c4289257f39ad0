"""Server-rendered SVG: the map of Finland and the bar charts, with no JavaScript.

The map draws the bundled GeoJSON outlines (Statistics Finland, see the
core's data/PROVENANCE.md) in a simple equirectangular projection scaled by
the cosine of Finland's middle latitude: close enough for a choropleth, and
no projection library or tile server is needed. Every shape has a title
and a link, and every page that shows a map or chart also has a table.
"""

from __future__ import annotations

import functools
import json
import math
from collections.abc import Mapping, Sequence
from decimal import Decimal
from importlib import resources
from typing import Any, Final

from attrs import frozen

__all__ = ["BINS", "Shape", "bar_chart", "colour", "map_shapes", "territory_shapes"]

WIDTH: Final = 360
#: Score bins (lower bound, colour) from low to high; colour-blind-safe (viridis-like).
BINS: Final = ((0.0, "#d7191c"), (25.0, "#fdae61"), (50.0, "#ffffbf"), (75.0, "#a6d96a"))
TOP_COLOUR: Final = "#1a9641"
NO_SCORE: Final = "#e6e6e6"
_LAT0: Final = math.cos(math.radians(64.5))


def colour(score: float | None) -> str:
    if score is None:
        return NO_SCORE
    if score >= 100:
        return TOP_COLOUR
    chosen = BINS[0][1]
    for low, fill in BINS:
        if score >= low:
            chosen = fill
    return chosen


@frozen
class Shape:
    code: str
    name_fi: str
    name_sv: str
    path: str


@functools.cache
def _features(kind: str) -> tuple[tuple[str, str, str, tuple[Any, ...]], ...]:
    name = {"municipalities": "municipalities-2025", "areas": "wellbeing-areas-2025"}[kind]
    text = resources.files("jarjesto_core").joinpath(f"data/geo/{name}.geojson").read_text("utf-8")
    out = []
    for feature in json.loads(text)["features"]:
        geometry = feature["geometry"]
        polygons = (
            [geometry["coordinates"]]
            if geometry["type"] == "Polygon"
            else list(geometry["coordinates"])
        )
        p = feature["properties"]
        out.append((p["code"], p["name_fi"], p["name_sv"], tuple(polygons)))
    return tuple(out)


@functools.cache
def _bounds() -> tuple[float, float, float, float]:
    xs: list[float] = []
    ys: list[float] = []
    for *_names, polygons in _features("municipalities"):
        for polygon in polygons:
            for ring in polygon:
                for lon, lat in ring:
                    xs.append(lon * _LAT0)
                    ys.append(lat)
    return min(xs), min(ys), max(xs), max(ys)


def size() -> tuple[int, int]:
    x0, y0, x1, y1 = _bounds()
    return WIDTH, round(WIDTH * (y1 - y0) / (x1 - x0))


@functools.cache
def map_shapes(kind: str) -> tuple[Shape, ...]:
    """The outlines of ``municipalities`` or ``areas`` as SVG path data in map pixels."""
    x0, y0, x1, _y1 = _bounds()
    width, height = size()
    scale = width / (x1 - x0)
    shapes = []
    for code, name_fi, name_sv, polygons in _features(kind):
        parts = []
        for polygon in polygons:
            for ring in polygon:
                points = [
                    f"{(lon * _LAT0 - x0) * scale:.1f},{height - (lat - y0) * scale:.1f}"
                    for lon, lat in ring
                ]
                parts.append("M" + "L".join(points) + "Z")
        shapes.append(Shape(code, name_fi, name_sv, "".join(parts)))
    return tuple(shapes)


@frozen
class Bar:
    x: float
    y: float
    width: float
    height: float
    label: str
    value: Decimal


def bar_chart(
    values: Mapping[int, Decimal], years: Sequence[int], *, height: int = 120
) -> dict[str, Any]:
    """Bars of one series by year, scaled to the largest; absent years draw nothing."""
    top = max(values.values(), default=Decimal(0)) or Decimal(1)
    step = 48
    bars = []
    for i, year in enumerate(years):
        value = values.get(year, Decimal(0))
        h = float(value / top) * (height - 20)
        bars.append(Bar(i * step + 8, height - 16 - h, step - 16, h, str(year), value))
    return {"width": len(years) * step + 16, "height": height, "bars": bars}


def territory_shapes(codes: Sequence[str]) -> tuple[tuple[Shape, ...], str]:
    """The municipalities ``codes`` (those the map has) and the SVG viewBox that frames them.

    Drawn from the same outlines as the country map, so an area's map is a
    cut-out of the overview's, not a second projection.
    """
    wanted = set(codes)
    shapes = tuple(s for s in map_shapes("municipalities") if s.code in wanted)
    xs: list[float] = []
    ys: list[float] = []
    for s in shapes:
        for point in s.path.replace("M", " ").replace("L", " ").replace("Z", " ").split():
            x, y = point.split(",")
            xs.append(float(x))
            ys.append(float(y))
    if not xs:
        return shapes, "0 0 0 0"
    pad = 2.0
    return shapes, (
        f"{min(xs) - pad:.1f} {min(ys) - pad:.1f} "
        f"{max(xs) - min(xs) + 2 * pad:.1f} {max(ys) - min(ys) + 2 * pad:.1f}"
    )
