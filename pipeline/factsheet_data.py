"""What a factsheet shows: the rows of the marts selected per area (pure, frames in and out).

One selection rule serves the factsheets and the gemeenteprofiel notebook: per indicator the
latest single year with a national value (the *reference period*); when an area has no value
in that period (suppressed or missing), the latest pooled period in which it has one. Every
figure shown keeps its numerator, denominator, interval, status, reason, source and snapshot.

The selection for all areas is done at once (vectorised) by :func:`area_sheets`; one area's
selection for the notebook is :func:`profile_selection`.
"""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import jinja2
import numpy as np
import pandas as pd

from pipeline import marts, registry

TEMPLATES = Path(__file__).parent / "templates"
BIRTHS = "levend_geborenen"
TREND_INDICATOR = "big2"
KEY_INDICATORS = ("meervoudige_kwetsbaarheid", "kinderen_laag_inkomen")
NL_CODE = "NL01"
PHASES = ("voor de zwangerschap", "tijdens de zwangerschap", "na de geboorte", "context")
LEVELS = ("land", "provincie", "ggd_regio", "regio", "gemeente")
LEVEL_LABELS = {
    "land": "Land",
    "provincie": "Provincie",
    "ggd_regio": "GGD-regio",
    "regio": "Eigen regio (coalitie)",
    "gemeente": "Gemeente",
}
LEVEL_PLURALS = {
    "land": "Nederland",
    "provincie": "Provincies",
    "ggd_regio": "GGD-regio's",
    "regio": "Eigen regio's (coalities)",
    "gemeente": "Gemeenten",
}
KEYS = ["indicator_id", "area_code", "period_start_year", "period_end_year"]
NOT_ASSESSED = "niet te beoordelen"
NOT_APPLICABLE = "n.v.t."
COALITION_KINDS = ("coalitie", "minimale_eis", "samenvatting")
SECONDARY = re.compile(r"^secundaire onderdrukking.*$")
SECONDARY_SHORT = (
    "secundaire onderdrukking: anders zou een onderdrukt cijfer uit andere gepubliceerde "
    "cijfers terug te rekenen zijn"
)
VALUE_COLUMNS = [
    "numerator",
    "denominator",
    "value",
    "ci_lower",
    "ci_upper",
    "ci_lower_998",
    "ci_upper_998",
]


@cache
def templates() -> jinja2.Environment:
    """The Jinja2 environment of the export pages (``pipeline/templates``; autoescaping on)."""
    return jinja2.Environment(loader=jinja2.FileSystemLoader(TEMPLATES), autoescape=True,
                              keep_trailing_newline=True)


@dataclass(frozen=True)
class Marts:
    """The marts a factsheet reads, and the build's ``_build.json``."""

    values: pd.DataFrame
    catalogue: pd.DataFrame
    areas: pd.DataFrame
    memberships: pd.DataFrame
    comparisons: pd.DataFrame
    trends: pd.DataFrame
    progress: pd.DataFrame
    info: dict


def load_marts(build_dir: Path) -> Marts:
    """Read the marts of a build (the optional ones as empty frames when absent)."""
    def optional(name: str) -> pd.DataFrame:
        found = marts.read_optional(name, build_dir)
        return pd.DataFrame() if found is None else found

    return Marts(
        values=marts.read("indicator_values", build_dir),
        catalogue=marts.read("indicators", build_dir),
        areas=marts.read("areas", build_dir),
        memberships=marts.read("area_memberships", build_dir),
        comparisons=optional("indicator_comparisons"),
        trends=optional("indicator_trends"),
        progress=optional("coalition_progress"),
        info=marts.build_info(build_dir),
    )


# --------------------------------------------------------------------------------------------
# Periods
# --------------------------------------------------------------------------------------------


def reference_periods(values: pd.DataFrame) -> pd.DataFrame:
    """Per indicator the period a profile shows by default.

    The latest single year with an NL value; without an NL value (a source that publishes only
    percentages per gemeente) the latest single year in which any area has a value; without
    single years the latest (then shortest) pooled period.

    Returns:
        One row per indicator: ``indicator_id``, ``period_start_year``, ``period_end_year``.
    """
    ok = values[values["status"] == "ok"]
    ok = ok.assign(
        _single=ok["period_start_year"] == ok["period_end_year"],
        _national=ok["area_code"] == NL_CODE,
    )
    has_nl = ok.groupby("indicator_id")["_national"].transform("any")
    base = ok[ok["_national"] | ~has_nl]
    base = base.sort_values(
        ["indicator_id", "_single", "period_end_year", "period_start_year"], kind="stable"
    )
    best = base.drop_duplicates("indicator_id", keep="last")
    return best[["indicator_id", "period_start_year", "period_end_year"]].reset_index(drop=True)


def chosen_periods(
    values: pd.DataFrame, references: pd.DataFrame, pooled_if_suppressed: bool = True
) -> pd.DataFrame:
    """Per area and indicator the period shown (see the module docstring).

    Args:
        values: ``indicator_values`` rows (all areas, or only the areas of interest).
        references: :func:`reference_periods` of the whole mart.
        pooled_if_suppressed: Fall back to the latest pooled period with a value when the
            area has none in the reference period.

    Returns:
        One row per area and indicator: ``indicator_id``, ``area_code``,
        ``period_start_year``, ``period_end_year`` and ``is_fallback`` (pooled instead of the
        reference period).
    """
    period = ["period_start_year", "period_end_year"]
    pairs = values[["indicator_id", "area_code"]].drop_duplicates()
    chosen = pairs.merge(references, on="indicator_id", how="inner")
    ok = values[values["status"] == "ok"]
    at_ref = ok.merge(references, on=["indicator_id", *period])[["indicator_id", "area_code"]]
    chosen = chosen.merge(
        at_ref.drop_duplicates().assign(_has=True), on=["indicator_id", "area_code"], how="left"
    )
    pooled = ok[ok["period_start_year"] != ok["period_end_year"]]
    pooled = pooled.sort_values(["period_end_year", "period_start_year"], kind="stable")
    pooled = pooled.drop_duplicates(["indicator_id", "area_code"], keep="last")
    pooled = pooled[["indicator_id", "area_code", *period]].rename(
        columns={"period_start_year": "_start", "period_end_year": "_end"}
    )
    chosen = chosen.merge(pooled, on=["indicator_id", "area_code"], how="left")
    use = chosen["_has"].isna() & chosen["_start"].notna() & pooled_if_suppressed
    chosen["is_fallback"] = use.astype(bool)
    chosen["period_start_year"] = chosen["period_start_year"].mask(use, chosen["_start"])
    chosen["period_end_year"] = chosen["period_end_year"].mask(use, chosen["_end"])
    chosen = chosen.astype({"period_start_year": "int64", "period_end_year": "int64"})
    return chosen[["indicator_id", "area_code", *period, "is_fallback"]].reset_index(drop=True)


def _with_int_periods(frame: pd.DataFrame) -> pd.DataFrame:
    return frame.astype({"period_start_year": "int64", "period_end_year": "int64"})


def profile_selection(
    values: pd.DataFrame,
    catalogue: pd.DataFrame,
    comparisons: pd.DataFrame | None,
    area_code: str,
    pooled_if_suppressed: bool = True,
) -> pd.DataFrame:
    """The rows of all areas in the periods chosen for one area, with significance vs NL.

    What the gemeenteprofiel notebook shows: per indicator the period of
    :func:`chosen_periods` for ``area_code``, and in that period every area's row (so the
    area, its region, NL and the spread of all gemeenten share one period).

    Returns:
        ``indicator_values`` rows plus ``significance`` and ``benchmark_value`` (vs NL, 95%),
        ``indicator_title`` and ``polarity``; ordered by the catalogue's ``sort_order``.
    """
    from pipeline import charts

    own = values[values["area_code"] == area_code]
    periods = chosen_periods(own, reference_periods(values), pooled_if_suppressed)
    keys = periods[["indicator_id", "period_start_year", "period_end_year"]]
    rows = _with_int_periods(values).merge(keys, on=list(keys.columns))
    selected = charts.attach_significance(rows, comparisons, "nederland", 0.95)
    cat = catalogue.set_index("indicator_id")
    selected["indicator_title"] = selected["indicator_id"].map(cat["title"])
    selected["polarity"] = selected["indicator_id"].map(cat["polarity"])
    selected["_order"] = selected["indicator_id"].map(cat["sort_order"])
    return selected.sort_values(["_order", "area_code"]).drop(columns="_order")


# --------------------------------------------------------------------------------------------
# Profile rows for every area at once
# --------------------------------------------------------------------------------------------


def parent_regions(areas: pd.DataFrame) -> pd.Series:
    """The comparison region of each area: a gemeente's GGD-regio; none for other levels."""
    parents = areas["ggd_regio_code"].where(areas["area_level"] == "gemeente")
    return pd.Series(parents.to_numpy(), index=areas["area_code"].to_numpy())


def _benchmark_rows(values: pd.DataFrame, prefix: str) -> pd.DataFrame:
    part = values[[*KEYS, "value", "status"]].rename(
        columns={"area_code": f"{prefix}_code", "value": f"{prefix}_value",
                 "status": f"{prefix}_status"}
    )
    part[f"{prefix}_value"] = part[f"{prefix}_value"].where(part[f"{prefix}_status"] == "ok")
    return part


def _significance(comparisons: pd.DataFrame, benchmark: str, column: str) -> pd.DataFrame:
    if comparisons.empty:
        return pd.DataFrame(columns=[*KEYS, column])
    chosen = comparisons[
        (comparisons["benchmark"] == benchmark)
        & np.isclose(comparisons["confidence"].astype(float), 0.95)
    ]
    return _with_int_periods(chosen[[*KEYS, "significance"]]).rename(
        columns={"significance": column}
    )


def _trend_columns(trends: pd.DataFrame) -> pd.DataFrame:
    columns = ["indicator_id", "area_code", "trend", "trend_first_year", "trend_last_year"]
    if trends.empty:
        return pd.DataFrame(columns=columns)
    out = trends.rename(
        columns={"significance": "trend", "first_year": "trend_first_year",
                 "last_year": "trend_last_year"}
    )
    return out[columns]


def profile_rows(m: Marts, pooled_if_suppressed: bool = True) -> pd.DataFrame:
    """One row per area and catalogued indicator: the area's figure in its chosen period.

    Next to the area's own columns (value, interval, counts, status, reason, source, snapshot)
    come the region's and NL's value in the same period, the polarity-aware comparisons with
    NL and with the GGD-regio (95%) and the trend verdict (99,8%). A comparison that does not
    apply (NL with itself, a region with a GGD-regio) is ``n.v.t.``.
    """
    values = _with_int_periods(m.values)
    periods = chosen_periods(values, reference_periods(values), pooled_if_suppressed)
    rows = periods.merge(values, on=KEYS, how="left")
    parents = parent_regions(m.areas)
    rows["region_code"] = rows["area_code"].map(parents)
    region = _benchmark_rows(values, "region")
    rows = rows.merge(
        region, on=["indicator_id", "region_code", "period_start_year", "period_end_year"],
        how="left",
    )
    national = _benchmark_rows(values[values["area_code"] == NL_CODE], "nl").drop(
        columns="nl_code"
    )
    rows = rows.merge(national, on=["indicator_id", "period_start_year", "period_end_year"],
                      how="left")
    rows = rows.merge(_significance(m.comparisons, "nederland", "vs_nl"), on=KEYS, how="left")
    rows = rows.merge(_significance(m.comparisons, "ggd_regio", "vs_region"), on=KEYS,
                      how="left")
    rows = rows.merge(_trend_columns(m.trends), on=["indicator_id", "area_code"], how="left")
    return _finish_profile(rows, m.catalogue)


def _finish_profile(rows: pd.DataFrame, catalogue: pd.DataFrame) -> pd.DataFrame:
    cat = catalogue.set_index("indicator_id")
    out = rows.copy()
    for column in ("title", "polarity", "phase", "kind", "headline", "sort_order"):
        out[column if column != "title" else "indicator_title"] = out["indicator_id"].map(
            cat[column]
        )
    out["unit"] = out["unit"].fillna(out["indicator_id"].map(cat["unit"]))
    out["source_id"] = out["source_id"].fillna(out["indicator_id"].map(cat["source_id"]))
    not_ok = out["status"].ne("ok")
    for column in ("vs_nl", "vs_region"):
        out[column] = out[column].fillna(NOT_ASSESSED).mask(not_ok, NOT_ASSESSED)
    out.loc[out["area_code"] == NL_CODE, "vs_nl"] = NOT_APPLICABLE
    out.loc[out["region_code"].isna(), "vs_region"] = NOT_APPLICABLE
    out["trend"] = out["trend"].fillna("onvoldoende gegevens")
    for column in VALUE_COLUMNS:
        out[column] = out[column].astype("float64").mask(not_ok)
    out["status"] = out["status"].fillna("missing")
    out["status_reason"] = out["status_reason"].mask(
        out["status"].eq("missing") & out["status_reason"].isna(), "geen gegevens voor dit gebied"
    )
    return out.sort_values(["area_code", "sort_order"]).reset_index(drop=True)


# --------------------------------------------------------------------------------------------
# Every area's sheet: long tables built once, sliced per area, hashed in bulk
# --------------------------------------------------------------------------------------------


@dataclass
class AreaSheet:
    """Everything one area's factsheet shows (the frames are the CSVs behind the charts)."""

    area_code: str
    area_name: str
    area_level: str
    context_line: str
    region_code: str | None
    region_name: str | None
    mode_label: str
    is_demo: bool
    data_date: str
    births: pd.DataFrame
    profile: pd.DataFrame
    trend: pd.DataFrame
    trend_title: str
    trend_unit: str
    trend_verdict: str
    location: pd.DataFrame
    coalition: pd.DataFrame
    coalition_year: int | None
    sources: pd.DataFrame
    definitions: pd.DataFrame

    @property
    def level_label(self) -> str:
        """The level in Dutch (``Gemeente``, ``GGD-regio``, …)."""
        return LEVEL_LABELS.get(self.area_level, self.area_level)


def _context_line(area: dict) -> str:
    level = area["area_level"]
    parts = [f"{LEVEL_LABELS.get(level, level)} {area['area_code']}"]
    if level == "gemeente":
        parts += [f"GGD-regio {area['ggd_regio_name']}", f"provincie {area['provincie_name']}"]
    else:
        parts.append(f"{int(area['n_gemeenten'])} gemeenten")
        if level == "ggd_regio" and isinstance(area.get("provincie_name"), str):
            parts.append(f"provincie {area['provincie_name']}")
    return " · ".join(parts)


def _locations(areas: pd.DataFrame, memberships: pd.DataFrame) -> pd.DataFrame:
    """Per area the gemeenten its location map draws: the area's own, or its GGD-regio's."""
    names = areas.set_index("area_code")["area_name"]
    members = memberships[["area_code", "gemeente_code"]]
    gemeenten = areas.loc[areas["area_level"] == "gemeente", ["area_code", "ggd_regio_code"]]
    context = gemeenten.merge(
        members.rename(columns={"area_code": "ggd_regio_code"}), on="ggd_regio_code"
    )
    context["role"] = np.where(context["gemeente_code"] == context["area_code"], "gebied", "regio")
    others = members[members["area_code"].isin(areas.loc[areas["area_level"] != "gemeente",
                                                           "area_code"])]
    out = pd.concat([context.drop(columns="ggd_regio_code"), others.assign(role="gebied")])
    out["gemeente_name"] = out["gemeente_code"].map(names)
    out = out[["area_code", "gemeente_code", "gemeente_name", "role"]]
    return out.sort_values(["area_code", "gemeente_code"]).reset_index(drop=True)


COALITION_COLUMNS = [
    "area_code", "area_name", "assessment_year", "requirement_id", "requirement_order",
    "requirement_kind", "requirement_short_label", "requirement_label", "n_gemeenten",
    "n_assessed", "n_answered", "n_ja", "n_deels", "n_nee", "n_onbekend", "share_met_pct",
    "status", "n_requirements_met", "source_id", "snapshot_ids",
]


def _coalition(progress: pd.DataFrame) -> tuple[int | None, pd.DataFrame]:
    """The latest assessment year in the country and every area's checklist rows of it."""
    empty = pd.DataFrame(columns=COALITION_COLUMNS)
    if progress.empty:
        return None, empty
    national = progress[(progress["area_code"] == NL_CODE) & (progress["n_assessed"] > 0)]
    if national.empty:
        return None, empty
    year = int(national["assessment_year"].max())
    rows = progress[(progress["assessment_year"] == year)
                    & progress["requirement_kind"].isin(COALITION_KINDS)]
    kind_order = rows["requirement_kind"].map({k: i for i, k in enumerate(COALITION_KINDS)})
    rows = rows.assign(_kind=kind_order).sort_values(["area_code", "_kind", "requirement_order"])
    return year, rows[COALITION_COLUMNS].reset_index(drop=True)


def _sources(info: dict) -> pd.DataFrame:
    """Every registered source with its active snapshot in this build."""
    snapshots = info.get("snapshots") or {}
    rows = []
    for sid, spec in registry.load().items():
        snap = snapshots.get(sid) or {}
        rows.append({
            "source_id": sid,
            "publisher": spec.publisher,
            "title": spec.title,
            "licence": spec.licence_name,
            "snapshot_id": snap.get("snapshot_id", ""),
            "fetched_at": str(snap.get("fetched_at", ""))[:10],
        })
    return pd.DataFrame(rows)


def short_reason(reason: object) -> str:
    """A status reason short enough for a footnote (secondary suppression in general terms)."""
    if not isinstance(reason, str) or not reason:
        return ""
    return SECONDARY.sub(SECONDARY_SHORT, reason)


def _verdict_text(row: pd.Series | None) -> str:
    if row is None:
        return "Trendtoets: niet beschikbaar"
    first, last = row.get("trend_first_year"), row.get("trend_last_year")
    years = f" {int(first)}–{int(last)}" if pd.notna(first) and pd.notna(last) else ""
    return f"Trend{years}: {row['trend']} (99,8%)"


def _group_digests(table: pd.DataFrame) -> dict[str, bytes]:
    """Per area a digest of its rows in ``table`` (columns, dtypes and values, in order)."""
    if table.empty:
        return {}
    header = json.dumps([list(map(str, table.columns)), [str(t) for t in table.dtypes]])
    hashes = pd.util.hash_pandas_object(table, index=False).to_numpy()
    return {
        code: hashlib.sha256(header.encode() + hashes[positions].tobytes()).digest()
        for code, positions in table.groupby("area_code", sort=False).indices.items()
    }


@dataclass(frozen=True)
class SheetTables:
    """The data of every area's factsheet as long tables keyed by ``area_code``.

    Built once per export (:func:`sheet_tables`); :meth:`sheet` slices one area's sheet and
    :meth:`digests` hashes every area's content in bulk, so an unchanged export needs no
    per-area frames at all.
    """

    areas: pd.DataFrame
    profile: pd.DataFrame
    births: pd.DataFrame
    trend: pd.DataFrame
    locations: pd.DataFrame
    coalition: pd.DataFrame
    coalition_year: int | None
    sources: pd.DataFrame
    definitions: pd.DataFrame
    mode_label: str
    is_demo: bool
    trend_title: str
    trend_unit: str
    births_source: str

    def codes(self, codes: list[str] | None = None, levels: list[str] | None = None) -> list[str]:
        """Area codes in mart order, optionally only ``codes`` and/or ``levels``."""
        areas = self.areas
        if codes:
            areas = areas[areas["area_code"].isin(codes)]
        if levels:
            areas = areas[areas["area_level"].isin(levels)]
        return areas["area_code"].tolist()

    def _rows(self, name: str, code: str | None) -> pd.DataFrame:
        table = getattr(self, name)
        positions = _indices(self, name).get(code) if code else None
        if positions is None:
            return table.iloc[0:0]
        return table.take(positions).reset_index(drop=True)

    def area(self, code: str) -> dict:
        """The ``areas`` row of one area as a dict."""
        return self.areas.loc[self.areas["area_code"] == code].iloc[0].to_dict()

    def used_sources(self, code: str) -> list[str]:
        """The sources one area's sheet shows figures of."""
        profile = self._rows("profile", code)
        used = [self.births_source, *profile["source_id"].dropna()]
        if len(self._rows("coalition", code)):
            used.append("coalitie_status")
        return list(dict.fromkeys(used))

    def sheet(self, code: str) -> AreaSheet:
        """One area's sheet."""
        area = self.area(code)
        region = area["ggd_regio_code"] if area["area_level"] == "gemeente" else None
        trend = pd.concat([self._rows("trend", c) for c in dict.fromkeys([code, region, NL_CODE])
                           if c], ignore_index=True)
        profile = self._rows("profile", code)
        verdict = profile[profile["indicator_id"] == TREND_INDICATOR]
        sources = self.sources[self.sources["source_id"].isin(self.used_sources(code))]
        return AreaSheet(
            area_code=code,
            area_name=str(area["area_name"]),
            area_level=str(area["area_level"]),
            context_line=_context_line(area),
            region_code=region,
            region_name=str(area["ggd_regio_name"]) if region else None,
            mode_label=self.mode_label,
            is_demo=self.is_demo,
            data_date=max((d for d in sources["fetched_at"] if d), default=""),
            births=self._rows("births", code),
            profile=profile[profile["indicator_id"] != BIRTHS].reset_index(drop=True),
            trend=trend,
            trend_title=self.trend_title,
            trend_unit=self.trend_unit,
            trend_verdict=_verdict_text(verdict.iloc[0] if len(verdict) else None),
            location=self._rows("locations", code),
            coalition=self._rows("coalition", code),
            coalition_year=self.coalition_year if len(self._rows("coalition", code)) else None,
            sources=sources.reset_index(drop=True),
            definitions=self.definitions,
        )

    def digests(self, codes: list[str], fingerprint: str) -> dict[str, str]:
        """sha256 per area over everything its sheet shows and the code that draws it."""
        tables = {name: _group_digests(getattr(self, name))
                  for name in ("profile", "births", "trend", "locations", "coalition")}
        common = hashlib.sha256(fingerprint.encode())
        common.update(json.dumps([self.mode_label, self.is_demo, self.coalition_year,
                                  self.trend_title, self.trend_unit]).encode())
        common.update(frame_digest(self.definitions) + frame_digest(self.sources))
        areas = self.areas.set_index("area_code")
        out = {}
        for code in codes:
            area = areas.loc[code]
            digest = common.copy()
            digest.update(json.dumps([code, *map(str, area.to_list())]).encode())
            region = area["ggd_regio_code"] if area["area_level"] == "gemeente" else None
            for name, groups in tables.items():
                digest.update(name.encode() + groups.get(code, b"-"))
            for other in (region, NL_CODE):
                digest.update(tables["trend"].get(other, b"-") if other else b"-")
            out[code] = digest.hexdigest()
        return out


_INDICES: dict[tuple[int, str], dict] = {}


def _indices(tables: SheetTables, name: str) -> dict[str, np.ndarray]:
    """Row positions per area of one of the long tables (computed once per table)."""
    key = (id(getattr(tables, name)), name)
    if key not in _INDICES:
        table = getattr(tables, name)
        _INDICES[key] = table.groupby("area_code", sort=False).indices if len(table) else {}
    return _INDICES[key]


def frame_digest(frame: pd.DataFrame) -> bytes:
    """A stable digest of a frame's columns, dtypes and values (row order included)."""
    digest = hashlib.sha256(json.dumps([list(map(str, frame.columns)),
                                        [str(t) for t in frame.dtypes]]).encode())
    if len(frame):
        digest.update(pd.util.hash_pandas_object(frame, index=False).to_numpy().tobytes())
    return digest.digest()


def sheet_tables(m: Marts) -> SheetTables:
    """Every area's factsheet data as long tables (see :class:`SheetTables`)."""
    values = _with_int_periods(m.values)
    single = values[values["period_start_year"] == values["period_end_year"]]
    births = single[single["indicator_id"] == BIRTHS].sort_values(["area_code",
                                                                   "period_end_year"])
    trend = single[single["indicator_id"] == TREND_INDICATOR].sort_values(
        ["area_code", "period_end_year"]
    )
    year, coalition = _coalition(m.progress)
    cat = m.catalogue.set_index("indicator_id")
    definitions = m.catalogue.sort_values("sort_order")[
        ["indicator_id", "title", "numerator", "denominator", "unit", "source_id", "definition"]
    ]
    areas = m.areas.sort_values(["level_order", "area_code"]) if "level_order" in m.areas \
        else m.areas
    return SheetTables(
        areas=areas.reset_index(drop=True),
        profile=profile_rows(m),
        births=births.reset_index(drop=True),
        trend=trend.reset_index(drop=True),
        locations=_locations(m.areas, m.memberships),
        coalition=coalition,
        coalition_year=year,
        sources=_sources(m.info),
        definitions=definitions.reset_index(drop=True),
        mode_label=marts.mode_label(m.info),
        is_demo=bool(m.info.get("is_demo")),
        trend_title=str(cat.loc[TREND_INDICATOR, "title"]),
        trend_unit=str(cat.loc[TREND_INDICATOR, "unit"]),
        births_source=str(cat.loc[BIRTHS, "source_id"]),
    )
