"""Small location maps for factsheets, drawn straight from the bundled TopoJSON as SVG paths.

A gemeente is shown dark within the gemeenten of its GGD-regio, with a small map of the
Netherlands marking the region; a GGD-regio, provincie or own region is shown dark on the
Netherlands. Drawing the paths directly (instead of through Vega) makes a map cost
milliseconds, which matters when hundreds of factsheets are rendered.

Boundaries: CBS/Kadaster gebiedsindelingen 2025 (generalised, via cartomap/nl; CC BY 4.0).
"""

from __future__ import annotations

import json
import math
from functools import cache

import numpy as np
import pandas as pd

from pipeline import factsheet_svg as svg
from pipeline.config import REFERENCE_DIR

BOUNDARIES = REFERENCE_DIR / "boundaries"
LAYERS = {"gemeente": "gemeente_2025", "ggd_regio": "ggdregio_2025", "provincie": "provincie_2025"}
COS_LAT = math.cos(math.radians(52.2))
FOCUS = "#1F4E79"
CONTEXT = "#C9D6E3"
BACKGROUND = "#E4E4E4"
ATTRIBUTION = "Kaart: CBS/Kadaster gebiedsindelingen 2025 (CC BY 4.0)"
SOURCE = "CBS/Kadaster, gebiedsindelingen 2025, gegeneraliseerd (cartomap/nl; CC BY 4.0)"
METHOD = "Donkerblauw: het gebied; een gemeente staat binnen haar GGD-regio."


@cache
def _features(layer: str) -> dict[str, tuple[str, list[np.ndarray]]]:
    """Per feature code its name and rings, projected (x = lon·cos φ₀, y = −lat)."""
    name = LAYERS[layer]
    topo = json.loads((BOUNDARIES / f"{name}.topojson").read_text(encoding="utf-8"))
    scale, translate = topo["transform"]["scale"], topo["transform"]["translate"]
    arcs = []
    for arc in topo["arcs"]:
        points = np.cumsum(np.asarray(arc, dtype=float), axis=0)
        lon = points[:, 0] * scale[0] + translate[0]
        lat = points[:, 1] * scale[1] + translate[1]
        arcs.append(np.column_stack([lon * COS_LAT, -lat]))
    out = {}
    for geometry in topo["objects"][name]["geometries"]:
        polygons = geometry["arcs"] if geometry["type"] == "MultiPolygon" else [geometry["arcs"]]
        rings = [_ring(arcs, ring) for polygon in polygons for ring in polygon]
        props = geometry["properties"]
        out[props["statcode"]] = (props["statnaam"], rings)
    return out


def _ring(arcs: list[np.ndarray], indices: list[int]) -> np.ndarray:
    parts = []
    for k, index in enumerate(indices):
        arc = arcs[index] if index >= 0 else arcs[~index][::-1]
        parts.append(arc if k == 0 else arc[1:])
    return np.concatenate(parts)


def _bounds(rings: list[np.ndarray]) -> tuple[float, float, float, float]:
    points = np.concatenate(rings)
    return (*points.min(axis=0), *points.max(axis=0))


@cache
def _frame(bounds: tuple[float, ...], width: float, height: float) -> tuple[float, float, float]:
    """Scale and offsets fitting ``bounds`` into a width × height box (centred)."""
    x0, y0, x1, y1 = bounds
    scale = min(width / max(x1 - x0, 1e-9), height / max(y1 - y0, 1e-9))
    dx = (width - (x1 - x0) * scale) / 2 - x0 * scale
    dy = (height - (y1 - y0) * scale) / 2 - y0 * scale
    return scale, dx, dy


def _path(rings: list[np.ndarray], frame: tuple[float, float, float]) -> str:
    scale, dx, dy = frame
    parts = []
    for ring in rings:
        xy = np.round(ring * scale + (dx, dy), 1)
        coords = " ".join(f"{x:g},{y:g}" for x, y in xy)
        parts.append(f"M{coords}Z")
    return "".join(parts)


@cache
def _layer_paths(layer: str, bounds: tuple[float, ...], width: float,
                 height: float) -> dict[str, str]:
    frame = _frame(bounds, width, height)
    return {code: _path(rings, frame) for code, (_, rings) in _features(layer).items()}


@cache
def _nl_bounds() -> tuple[float, ...]:
    rings = [r for _, rings in _features("provincie").values() for r in rings]
    return tuple(float(v) for v in _bounds(rings))


def _shape(d: str, fill: str, stroke: str = "white", width: float = 0.5) -> str:
    return (f'<path d="{d}" fill="{fill}" stroke="{stroke}" stroke-width="{width}" '
            f'stroke-linejoin="round" fill-rule="evenodd"/>')


def _nl_map(highlight_layer: str, codes: list[str], width: float, height: float,
            background: str = "ggd_regio") -> str:
    """The Netherlands (background regions) with ``codes`` of ``highlight_layer`` in focus."""
    bounds = _nl_bounds()
    base = _layer_paths(background, bounds, width, height)
    parts = [_shape(d, BACKGROUND) for d in base.values()]
    focus = _layer_paths(highlight_layer, bounds, width, height)
    parts += [_shape(focus[c], FOCUS, width=0.3) for c in codes if c in focus]
    return "".join(parts)


def _region_map(context: list[str], focus: str, width: float, height: float) -> str:
    """The gemeenten of a region, ``focus`` dark."""
    features = _features("gemeente")
    rings = [r for c in context if c in features for r in features[c][1]]
    if not rings:
        return ""
    bounds = tuple(float(v) for v in _bounds(rings))
    frame = _frame(bounds, width, height)
    parts = [_shape(_path(features[c][1], frame), CONTEXT, width=0.6)
             for c in context if c in features and c != focus]
    if focus in features:
        parts.append(_shape(_path(features[focus][1], frame), FOCUS, width=0.6))
    return "".join(parts)


def location_map(area_code: str, area_name: str, level: str, location: pd.DataFrame,
                 region_code: str | None = None, region_name: str | None = None) -> str:
    """A small SVG document locating an area (see the module docstring).

    Args:
        area_code: The area.
        area_name: Its name (for the legend).
        level: Its level (``gemeente``, ``ggd_regio``, ``provincie``, ``regio``, ``land``).
        location: Rows ``gemeente_code``, ``role`` (``gebied``/``regio``) from the sheet.
        region_code: A gemeente's GGD-regio (marked on the inset map).
        region_name: Its name.
    """
    width, height = 300.0, 230.0
    parts = [svg.text(0, 14, "Ligging", 13, weight="bold")]
    if level == "gemeente":
        context = location["gemeente_code"].tolist()
        parts.append(f'<g transform="translate(0,24)">'
                     f'{_region_map(context, area_code, 200, 170)}</g>')
        parts.append(f'<g transform="translate(212,24)">'
                     f'{_nl_map("ggd_regio", [region_code] if region_code else [], 80, 95)}'
                     f"</g>")
        legend = [(FOCUS, area_name), (CONTEXT, f"overige gemeenten {region_name or ''}")]
        parts.append(svg.text(212, 132, "GGD-regio in", 8.5, fill=svg.MUTED))
        parts.append(svg.text(212, 143, "Nederland", 8.5, fill=svg.MUTED))
    else:
        parts.append(f'<g transform="translate(0,24)">{_nl_focus(level, area_code, location)}'
                     f"</g>")
        legend = [(FOCUS, area_name), (BACKGROUND, "overig Nederland")] if level != "land" \
            else [(FOCUS, "Nederland: 12 provincies")]
    parts += _legend(legend, 212 if level == "gemeente" else 180, 160 if level == "gemeente"
                     else 60)
    parts.append(svg.text(0, height - 4, ATTRIBUTION, 8, fill=svg.MUTED))
    return svg.document(width, height, "".join(parts))


def _nl_focus(level: str, area_code: str, location: pd.DataFrame) -> str:
    if level == "land":
        return _nl_map("provincie", list(_features("provincie")), 170, 190, "provincie")
    if level == "provincie":
        return _nl_map("provincie", [area_code], 170, 190, "provincie")
    if level == "ggd_regio":
        return _nl_map("ggd_regio", [area_code], 170, 190)
    return _nl_map("gemeente", location["gemeente_code"].tolist(), 170, 190)


def _legend(items: list[tuple[str, str]], x: float, y: float) -> list[str]:
    parts = []
    for i, (colour, label) in enumerate(items):
        top = y + i * 34
        parts.append(svg.rect(x, top, 10, 10, colour, "#8C8C8C", stroke_width=0.5))
        for k, line in enumerate(svg.wrap(label, 300 - x - 16, 8.5)[:3]):
            parts.append(svg.text(x + 14, top + 8.5 + k * 10, line, 8.5))
    return parts
