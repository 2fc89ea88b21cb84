"""Text as glyph outlines: the house font (DejaVu Sans) read straight from its TrueType file.

Rendering SVG text is the slowest part of converting a factsheet to PNG and PDF: resvg shapes
and outlines every glyph of every text on every call (about 0.15 ms a glyph; a factsheet has
some 6,000). Here each glyph's outline is read once per process from the font file and text
is written as ``<use>`` references to those outlines, which renders 4–8 times faster and
looks the same. The text itself stays in the SVG as an ``aria-label`` (screen readers,
search). Advance widths also give exact text widths for wrapping.

When the font files are not found, :func:`available` is false and callers write plain
``<text>`` instead (correct, only slower).
"""

from __future__ import annotations

import struct
from dataclasses import dataclass
from functools import cache
from pathlib import Path

FONT_FILES = {
    False: "DejaVuSans.ttf",
    True: "DejaVuSans-Bold.ttf",
}
FONT_DIRS = (
    Path("/usr/share/fonts/truetype/dejavu"),
    Path("/usr/share/fonts/dejavu"),
    Path("/usr/share/fonts/TTF"),
    Path("/usr/local/share/fonts"),
    Path.home() / ".fonts",
    Path("/Library/Fonts"),
)
# glyf flags
ON_CURVE, X_SHORT, Y_SHORT, REPEAT, X_SAME, Y_SAME = 1, 2, 4, 8, 16, 32
# composite glyph flags
ARG_WORDS, ARGS_XY, HAS_SCALE, MORE, XY_SCALE, TWO_BY_TWO = 1, 2, 8, 32, 64, 128


@dataclass(frozen=True, eq=False)
class Font:
    """The parts of a TrueType font needed to draw text."""

    units_per_em: int
    advances: tuple[int, ...]
    cmap: dict[int, int]
    loca: tuple[int, ...]
    glyf: bytes
    prefix: str

    def glyph_id(self, char: str) -> int:
        """The glyph of a character (0, the notdef box, when the font lacks it)."""
        return self.cmap.get(ord(char), 0)

    def advance(self, glyph: int) -> int:
        """Advance width of a glyph in font units."""
        return self.advances[min(glyph, len(self.advances) - 1)]

    def width(self, text: str, size: float) -> float:
        """Width of ``text`` in px at ``size`` px."""
        widths = _char_widths(self)
        units = 0
        for char in text:
            if char not in widths:
                widths[char] = self.advance(self.glyph_id(char))
            units += widths[char]
        return units * size / self.units_per_em


@cache
def _char_widths(face: Font) -> dict[str, int]:
    """Advance per character, filled as characters are met (one dict per face)."""
    return {}


def _find(name: str) -> Path | None:
    for folder in FONT_DIRS:
        if (folder / name).is_file():
            return folder / name
    return None


@cache
def font(bold: bool = False) -> Font | None:
    """DejaVu Sans (or its bold face) from the system fonts; None when not installed."""
    path = _find(FONT_FILES[bold])
    if path is None:
        return None
    return parse(path.read_bytes(), "gb" if bold else "gl")


def available() -> bool:
    """Whether text can be drawn as outlines (both faces found)."""
    return font(False) is not None and font(True) is not None


def _tables(data: bytes) -> dict[str, tuple[int, int]]:
    count = struct.unpack_from(">H", data, 4)[0]
    out = {}
    for i in range(count):
        tag, _, offset, length = struct.unpack_from(">4sIII", data, 12 + 16 * i)
        out[tag.decode("latin-1")] = (offset, length)
    return out


def parse(data: bytes, prefix: str) -> Font:
    """Read the tables ``head``, ``hhea``, ``maxp``, ``hmtx``, ``loca``, ``glyf``, ``cmap``."""
    tables = _tables(data)
    head = tables["head"][0]
    units_per_em = struct.unpack_from(">H", data, head + 18)[0]
    long_loca = struct.unpack_from(">h", data, head + 50)[0] == 1
    n_glyphs = struct.unpack_from(">H", data, tables["maxp"][0] + 4)[0]
    n_metrics = struct.unpack_from(">H", data, tables["hhea"][0] + 34)[0]
    hmtx = tables["hmtx"][0]
    advances = [struct.unpack_from(">H", data, hmtx + 4 * i)[0] for i in range(n_metrics)]
    advances += [advances[-1]] * (n_glyphs - n_metrics)
    loca_offset = tables["loca"][0]
    if long_loca:
        loca = struct.unpack_from(f">{n_glyphs + 1}I", data, loca_offset)
    else:
        loca = tuple(2 * v for v in struct.unpack_from(f">{n_glyphs + 1}H", data, loca_offset))
    glyf_offset, glyf_length = tables["glyf"]
    return Font(units_per_em, tuple(advances), _cmap(data, tables["cmap"][0]), tuple(loca),
                data[glyf_offset:glyf_offset + glyf_length], prefix)


def _cmap(data: bytes, offset: int) -> dict[int, int]:
    """The Unicode → glyph map (format 12 when present, else format 4)."""
    count = struct.unpack_from(">H", data, offset + 2)[0]
    subtables = {}
    for i in range(count):
        platform, encoding, sub = struct.unpack_from(">HHI", data, offset + 4 + 8 * i)
        fmt = struct.unpack_from(">H", data, offset + sub)[0]
        subtables[(platform, encoding, fmt)] = offset + sub
    for key, start in subtables.items():
        if key[2] == 12 and key[0] in (0, 3):
            return _cmap12(data, start)
    for key, start in subtables.items():
        if key[2] == 4 and key[0] in (0, 3):
            return _cmap4(data, start)
    raise ValueError("font without a Unicode cmap (format 4 or 12)")


def _cmap12(data: bytes, start: int) -> dict[int, int]:
    groups = struct.unpack_from(">I", data, start + 12)[0]
    out = {}
    for i in range(groups):
        first, last, glyph = struct.unpack_from(">III", data, start + 16 + 12 * i)
        for k in range(last - first + 1):
            out[first + k] = glyph + k
    return out


def _cmap4(data: bytes, start: int) -> dict[int, int]:
    segments = struct.unpack_from(">H", data, start + 6)[0] // 2
    ends = struct.unpack_from(f">{segments}H", data, start + 14)
    starts = struct.unpack_from(f">{segments}H", data, start + 16 + 2 * segments)
    deltas = struct.unpack_from(f">{segments}h", data, start + 16 + 4 * segments)
    range_at = start + 16 + 6 * segments
    ranges = struct.unpack_from(f">{segments}H", data, range_at)
    out = {}
    for i in range(segments):
        for code in range(starts[i], ends[i] + 1):
            if code == 0xFFFF:
                continue
            if ranges[i] == 0:
                glyph = (code + deltas[i]) & 0xFFFF
            else:
                at = range_at + 2 * i + ranges[i] + 2 * (code - starts[i])
                glyph = struct.unpack_from(">H", data, at)[0]
                glyph = (glyph + deltas[i]) & 0xFFFF if glyph else 0
            out[code] = glyph
    return out


# --------------------------------------------------------------------------------------------
# Outlines
# --------------------------------------------------------------------------------------------

Point = tuple[float, float, bool]


def contours(f: Font, glyph: int) -> list[list[Point]]:
    """The contours of a glyph: points (x, y, on-curve) in font units, y up."""
    start, end = f.loca[glyph], f.loca[glyph + 1]
    if end <= start:
        return []
    count = struct.unpack_from(">h", f.glyf, start)[0]
    if count >= 0:
        return _simple(f.glyf, start, count)
    return _composite(f, start)


def _simple(glyf: bytes, start: int, count: int) -> list[list[Point]]:
    ends = struct.unpack_from(f">{count}H", glyf, start + 10)
    n_points = ends[-1] + 1 if count else 0
    at = start + 10 + 2 * count
    at += 2 + struct.unpack_from(">H", glyf, at)[0]
    flags: list[int] = []
    while len(flags) < n_points:
        flag = glyf[at]
        at += 1
        flags.append(flag)
        if flag & REPEAT:
            flags += [flag] * glyf[at]
            at += 1
    xs, at = _coordinates(glyf, at, flags, X_SHORT, X_SAME)
    ys, _ = _coordinates(glyf, at, flags, Y_SHORT, Y_SAME)
    out, first = [], 0
    for last in ends:
        out.append([(xs[i], ys[i], bool(flags[i] & ON_CURVE)) for i in range(first, last + 1)])
        first = last + 1
    return out


def _coordinates(glyf: bytes, at: int, flags: list[int], short: int,
                 same: int) -> tuple[list[int], int]:
    values, value = [], 0
    for flag in flags:
        if flag & short:
            delta = glyf[at]
            at += 1
            value += delta if flag & same else -delta
        elif not flag & same:
            value += struct.unpack_from(">h", glyf, at)[0]
            at += 2
        values.append(value)
    return values, at


def _composite(f: Font, start: int) -> list[list[Point]]:
    at = start + 10
    out: list[list[Point]] = []
    while True:
        flags, glyph = struct.unpack_from(">HH", f.glyf, at)
        at += 4
        if flags & ARG_WORDS:
            dx, dy = struct.unpack_from(">hh", f.glyf, at)
            at += 4
        else:
            dx, dy = struct.unpack_from(">bb", f.glyf, at)
            at += 2
        a, b, c, d = 1.0, 0.0, 0.0, 1.0
        if flags & HAS_SCALE:
            a = d = struct.unpack_from(">h", f.glyf, at)[0] / 16384
            at += 2
        elif flags & XY_SCALE:
            a, d = (v / 16384 for v in struct.unpack_from(">hh", f.glyf, at))
            at += 4
        elif flags & TWO_BY_TWO:
            a, b, c, d = (v / 16384 for v in struct.unpack_from(">hhhh", f.glyf, at))
            at += 8
        if not flags & ARGS_XY:
            dx = dy = 0  # point matching: not used by the faces read here
        out += [[(a * x + c * y + dx, b * x + d * y + dy, on) for x, y, on in contour]
                for contour in contours(f, glyph)]
        if not flags & MORE:
            return out


def outline_path(f: Font, glyph: int) -> str:
    """An SVG path of a glyph in font units with y down (origin at the baseline)."""
    parts = []
    for contour in contours(f, glyph):
        parts.append(_contour_path(contour))
    return "".join(parts)


def _contour_path(points: list[Point]) -> str:
    """Quadratic B-spline contour → ``M … Q … Z`` (implied on-curve midpoints added)."""
    n = len(points)
    if n == 0:
        return ""
    first_on = next((i for i, p in enumerate(points) if p[2]), None)
    if first_on is None:  # all off-curve: start at the midpoint of the first two
        x = (points[0][0] + points[1 % n][0]) / 2
        y = (points[0][1] + points[1 % n][1]) / 2
        points = [(x, y, True), *points[1:], points[0]]
        first_on, n = 0, len(points)
    ordered = points[first_on:] + points[:first_on]
    sx, sy, _ = ordered[0]
    out = [f"M{sx:g} {-sy:g}"]
    pending: tuple[float, float] | None = None
    for x, y, on in [*ordered[1:], ordered[0]]:
        if on:
            out.append(f"Q{pending[0]:g} {-pending[1]:g} {x:g} {-y:g}" if pending
                       else f"L{x:g} {-y:g}")
            pending = None
        elif pending:
            mx, my = (pending[0] + x) / 2, (pending[1] + y) / 2
            out.append(f"Q{pending[0]:g} {-pending[1]:g} {mx:g} {-my:g}")
            pending = (x, y)
        else:
            pending = (x, y)
    out.append("Z")
    return "".join(out)


@cache
def glyph_def(bold: bool, glyph: int) -> str:
    """The ``<path id=…>`` of one glyph, for a document's ``<defs>``."""
    f = font(bold)
    return f'<path id="{f.prefix}-{glyph}" d="{outline_path(f, glyph)}"/>'
