"""The Dutch words of a factsheet: how cells read, key figures, notes and footnotes.

Shared by the SVG page, the HTML page and the CSVs so all three say the same thing.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from pipeline import charts
from pipeline.factsheet_data import KEY_INDICATORS, AreaSheet, short_reason

SUPERSCRIPTS = str.maketrans("0123456789", "⁰¹²³⁴⁵⁶⁷⁸⁹")
KICKER = "KANSRIJKE START · FACTSHEET EERSTE 1000 DAGEN"
TREND_LABELS = {
    "geen significante trend": "niet significant",
    "onvoldoende gegevens": "onvoldoende gegevens",
}
STATUS_WORDS = {
    "ok": "ok",
    "suppressed": "onderdrukt",
    "missing": "ontbreekt",
    "not_harmonisable": "niet te harmoniseren",
}
METHOD_TABLE = (
    "Waarde met 95%-betrouwbaarheidsinterval (Wilson-score; aantallen Byar/exact Poisson). "
    "Beter of slechter: het hele 95%-interval ligt aan de gunstige of ongunstige kant van de "
    "vergelijkingswaarde (Nederland of de eigen GGD-regio); vergelijkbaar: geen aantoonbaar "
    "verschil (niet: gelijk); hoger of lager: verschil bij een indicator zonder gunstige "
    "richting. Trend: χ²-toets voor trend (Cochran–Armitage), ten minste 5 jaren, 99,8%."
)
PAGE_METHOD = (
    "Toelichting. Per indicator de laatste periode met een landelijke waarde, met "
    "95%-betrouwbaarheidsinterval; was het jaarcijfer hier onderdrukt, dan de laatste gepoolde "
    "periode (jaren samengenomen). Beter/slechter: het hele interval ligt gunstiger/"
    "ongunstiger dan Nederland of de eigen GGD-regio; vergelijkbaar: geen aantoonbaar verschil. "
    "Trend: χ²-toets voor trend over ten minste 5 jaren (99,8%)."
)
METHOD_SUPPRESSION = (
    "Onderdrukt: '< 10' = minder dan 10 (zo gepubliceerd door de bron); '–' = onderdrukt of "
    "niet beschikbaar; nooit als 0 getoond. Ook cijfers waaruit een onderdrukt cijfer terug te "
    "rekenen is, zijn onderdrukt."
)
METHOD_BIRTHS = (
    "Aantal levend geboren kinderen per kalenderjaar, naar woongemeente van de moeder (CBS)."
    " Een jaar zonder waarde staat als '< 10' of '–', nooit als 0."
)


def dutch_date(iso: str) -> str:
    """``2026-11-24`` → ``24-11-2026`` (as given when not an ISO date)."""
    parts = str(iso)[:10].split("-")
    return "-".join(reversed(parts)) if len(parts) == 3 else str(iso)


def short_publisher(publisher: str) -> str:
    """``Centraal Bureau voor de Statistiek (CBS)`` → ``CBS``; ``RIVM (…)`` → ``RIVM``."""
    if "(" in publisher:
        head, tail = publisher.split("(", 1)
        abbreviation = tail.split(")")[0]
        if abbreviation.isupper() and len(abbreviation) <= 8:
            return abbreviation
        return head.strip()
    return publisher


def superscript(number: int) -> str:
    """``12`` → ``¹²``."""
    return str(number).translate(SUPERSCRIPTS)


def display_value(value: float | None, status: str, reason: object, unit: str) -> str:
    """How a cell reads: the number in Dutch notation, or "< 10" / "–" when not shown."""
    if status == "ok" and value is not None and np.isfinite(value):
        return charts.format_number(value, 0 if unit == "aantal" else 1)
    if status == "suppressed" and isinstance(reason, str) and "(<10)" in reason:
        return "< 10"
    return "–"


def display_column(frame: pd.DataFrame) -> list[str]:
    """:func:`display_value` for every row of a values-shaped frame."""
    return [
        display_value(v, s, r, u)
        for v, s, r, u in zip(frame["value"], frame["status"], frame["status_reason"],
                              frame["unit"], strict=True)
    ]


@dataclass
class Notes:
    """Numbered reasons for cells without a value (one number per distinct reason)."""

    reasons: list[str]

    def mark(self, reason: object) -> str:
        """The superscript number of ``reason`` (added when new)."""
        text = short_reason(reason) or "geen gegevens"
        if text not in self.reasons:
            self.reasons.append(text)
        return superscript(self.reasons.index(text) + 1)

    def lines(self) -> list[str]:
        """``¹ reason`` per note."""
        return [f"{superscript(i + 1)} {r}" for i, r in enumerate(self.reasons)]


def plain_number(value: object, unit: str) -> str:
    """A benchmark value without unit ("–" when missing)."""
    if value is None or pd.isna(value):
        return "–"
    return charts.format_number(float(value), 0 if unit == "aantal" else 1)


def interval_text(row: pd.Series) -> str:
    """``13,8–15,4``, or empty without an interval."""
    if row["status"] != "ok" or pd.isna(row["ci_lower"]) or pd.isna(row["ci_upper"]):
        return ""
    return f"{charts.format_number(row['ci_lower'])}–{charts.format_number(row['ci_upper'])}"


def unit_label(unit: str) -> str:
    """`` (%)`` after an indicator name; nothing for counts."""
    return "" if unit == "aantal" else f" ({unit})"


# --------------------------------------------------------------------------------------------
# Key figures
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class KeyFigure:
    """One box at the top of the sheet."""

    label: str
    value: str
    note: str


def key_figures(sheet: AreaSheet, notes: Notes) -> list[KeyFigure]:
    """Births, the vulnerable-situation indicators and the coalition, in four boxes."""
    figures = [_births_figure(sheet, notes)]
    profile = sheet.profile.set_index("indicator_id")
    for indicator in KEY_INDICATORS:
        if indicator in profile.index:
            figures.append(_indicator_figure(profile.loc[indicator], sheet, notes))
    figures.append(_coalition_figure(sheet))
    return figures


def _births_figure(sheet: AreaSheet, notes: Notes) -> KeyFigure:
    births = sheet.births
    if births.empty:
        return KeyFigure("Levend geboren kinderen", "–", "geen gegevens")
    last = births.iloc[-1]
    value = display_value(last["value"], last["status"], last["status_reason"], "aantal")
    mark = "" if last["status"] == "ok" else notes.mark(last["status_reason"])
    ok = births[births["status"] == "ok"]
    note = (f"{ok['period_label'].iloc[0]}: {charts.format_number(ok['value'].iloc[0], 0)}"
            if len(ok) > 1 else "")
    return KeyFigure(f"Levend geboren kinderen in {last['period_label']}", value + mark,
                     note and f"ter vergelijking {note}")


def _indicator_figure(row: pd.Series, sheet: AreaSheet, notes: Notes) -> KeyFigure:
    unit = row["unit"]
    shown = display_value(row["value"], row["status"], row["status_reason"], unit)
    mark = "" if row["status"] == "ok" else notes.mark(row["status_reason"])
    if row["status"] == "ok":
        shown += charts.unit_suffix(unit)
    parts = []
    if sheet.area_code != "NL01" and pd.notna(row.get("nl_value")):
        parts.append(f"Nederland {plain_number(row['nl_value'], unit)}{charts.unit_suffix(unit)}")
    if row["vs_nl"] in (charts.BETTER, charts.WORSE, charts.HIGHER, charts.LOWER,
                        charts.SIMILAR):
        parts.append(f"{row['vs_nl']} dan NL")
    return KeyFigure(f"{row['indicator_title']} ({row['period_label']})", shown + mark,
                     " · ".join(parts))


def _coalition_figure(sheet: AreaSheet) -> KeyFigure:
    label = f"Lokale coalitie Kansrijke Start ({sheet.coalition_year or 'geen meting'})"
    rows = sheet.coalition
    if rows.empty:
        return KeyFigure(label, "–", "geen zelfevaluatie beschikbaar")
    by_id = rows.set_index("requirement_id")
    if sheet.area_level == "gemeente":
        met = by_id.loc["alle_negen", "n_requirements_met"] if "alle_negen" in by_id.index \
            else np.nan
        if pd.isna(met):
            return KeyFigure(label, "–", "geen zelfevaluatie ingevuld")
        return KeyFigure(label, f"{int(met)} van 9", "minimale eisen voldaan (zelfevaluatie)")
    if "coalitie" not in by_id.index or not by_id.loc["coalitie", "n_answered"]:
        return KeyFigure(label, "–", "geen gemeente beoordeeld")
    row = by_id.loc["coalitie"]
    return KeyFigure(label, f"{int(row['n_ja'])} van {int(row['n_answered'])}",
                     "beoordeelde gemeenten met een lokale coalitie")


# --------------------------------------------------------------------------------------------
# Footnotes
# --------------------------------------------------------------------------------------------


def definitions_text(sheet: AreaSheet) -> str:
    """``Definities (teller / noemer): Titel: teller / noemer; …`` for the indicators shown."""
    shown = set(sheet.profile["indicator_id"]) | {"levend_geborenen"}
    items = []
    for row in sheet.definitions.itertuples(index=False):
        if row.indicator_id not in shown:
            continue
        denominator = f" / {row.denominator}" if isinstance(row.denominator, str) else ""
        items.append(f"{row.title}: {row.numerator}{denominator}")
    return "Definities (teller / noemer): " + "; ".join(items) + "."


def sources_text(sheet: AreaSheet) -> str:
    """``Bron: CBS (cbs_geboorten, …); …`` with the fetch dates of the data."""
    groups: dict[str, list[str]] = {}
    for row in sheet.sources.itertuples(index=False):
        groups.setdefault(short_publisher(row.publisher), []).append(row.source_id)
    names = "; ".join(f"{name} ({', '.join(ids)})" for name, ids in groups.items())
    return (f"Bron: {names}; kaart CBS/Kadaster (CC BY 4.0). Gegevens opgehaald "
            f"t/m {dutch_date(sheet.data_date)}; de snapshot van elk cijfer staat in de CSV's "
            f"(map data/). Kansrijk Monitor.")


def footnotes(sheet: AreaSheet, notes: Notes) -> list[str]:
    """The footnote paragraphs of the page, in order (the mode label comes separately)."""
    suppression = METHOD_SUPPRESSION
    if notes.reasons:
        suppression += " " + "  ".join(notes.lines())
    return [PAGE_METHOD, suppression, definitions_text(sheet), sources_text(sheet)]
