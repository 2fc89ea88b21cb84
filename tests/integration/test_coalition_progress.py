"""The coalition_progress mart: SQL models on hand-made assessments, the demo build, charts."""

from __future__ import annotations

import json
from pathlib import Path

import duckdb
import pandas as pd
import pyarrow as pa
import pytest

from pipeline import build, charts, geography, registry, stats
from pipeline import charts_coalition as cc
from pipeline.config import load_settings
from pipeline.ingest import coalitie_status as cs

REQUIREMENTS = [f"eis_{n}" for n in range(1, 10)]
COUNTS = ["n_gemeenten", "n_assessed", "n_ja", "n_deels", "n_nee", "n_onbekend"]
DEMO_YEARS = (2021, 2022, 2023, 2024)


def assessment(code: str, year: int, default: str = "ja", **answers: str | None) -> dict:
    """One landing row: every question ``default`` unless given in ``answers``."""
    row: dict = dict.fromkeys(cs.ASSESSMENTS_SCHEMA.names)
    row |= {"gemeente_code": code, "published_code": code, "assessment_year": year,
            "assessment_date": pd.Timestamp(f"{year}-11-01").date(),
            "lokale_coalitie": "ja", "regionale_ketenregisseur": "nee",
            "source_file": "test.csv", "source_row": 2}
    row |= {r: default for r in REQUIREMENTS} | dict.fromkeys(cs.INTERVENTIONS, "nee")
    return row | answers


def run_warehouse(tmp_path: Path, rows: list[dict] | None) -> duckdb.DuckDBPyConnection:
    """All SQL models in memory: seeds, empty landing tables, and ``rows`` as assessments."""
    settings = load_settings(tmp_path, "demo")
    con = duckdb.connect()
    stats.register_duckdb_functions(con)
    build.load_seeds(con, settings, "test", "2026-01-01T00:00:00Z")
    build.load_landing(con, settings, dict.fromkeys(registry.load()), tmp_path / "landing")
    if rows is not None:
        con.register("_rows", pa.Table.from_pylist(rows, schema=cs.ASSESSMENTS_SCHEMA))
        con.execute("create or replace table landing_coalitie_status__assessments as "
                    "select *, 'snap-1'::varchar as _snapshot_id from _rows")
        con.unregister("_rows")
    build.run_models(con, build.discover_models())
    return con


def mart(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    return con.sql("select * from coalition_progress").df()


def one(frame: pd.DataFrame, area: str, year: int, requirement: str) -> pd.Series:
    rows = frame[(frame.area_code == area) & (frame.assessment_year == year)
                 & (frame.requirement_id == requirement)]
    assert len(rows) == 1
    return rows.iloc[0]


@pytest.fixture(scope="module")
def small_region() -> tuple[str, list[str]]:
    """The smallest GGD-regio with at least five gemeenten, and its members."""
    gemeenten = geography.gemeenten()
    sizes = gemeenten.groupby("ggd_code").size()
    code = sizes[sizes >= 5].sort_values(kind="stable").index[0]
    return code, sorted(gemeenten.loc[gemeenten.ggd_code == code, "gemeente_code"])


@pytest.fixture(scope="module")
def hand_made(tmp_path_factory: pytest.TempPathFactory,
              small_region: tuple[str, list[str]]) -> pd.DataFrame:
    """Two years for one GGD-regio: a, b, c, d assessed in 2023 (d not in 2024), rest never."""
    _, (a, b, c, d, *_) = small_region
    rows = [
        assessment(a, 2023),
        assessment(b, 2023, eis_1="nee", eis_2="deels"),
        assessment(c, 2023, eis_1=None, eis_3="deels"),
        assessment(d, 2023, default="nee", lokale_coalitie="nee"),
        assessment(a, 2024),
        assessment(b, 2024, eis_2="ja"),
        assessment(c, 2024, eis_1="ja", eis_3="ja", eis_9=None),
    ]
    con = run_warehouse(tmp_path_factory.mktemp("coalition-sql"), rows)
    try:
        return mart(con)
    finally:
        con.close()


# --------------------------------------------------------------------------------------------
# SQL models on hand-made rows


def test_grain_every_area_year_and_checklist_row(hand_made: pd.DataFrame) -> None:
    key = ["area_code", "assessment_year", "requirement_id"]
    assert not hand_made.duplicated(key).any()
    areas = 342 + hand_made[hand_made.area_level != "gemeente"].area_code.nunique()
    assert len(hand_made) == areas * 2 * 18
    assert set(hand_made.requirement_id) == {
        "coalitie", *REQUIREMENTS, "alle_negen", "ketenregisseur", *cs.INTERVENTIONS}
    nl = hand_made[hand_made.area_code == "NL01"]
    assert (nl.n_gemeenten == 342).all() and set(nl.assessment_year) == {2023, 2024}


def test_gemeente_status_and_count_met(hand_made: pd.DataFrame,
                                       small_region: tuple[str, list[str]]) -> None:
    _, (a, b, c, d, e, *_) = small_region
    assert one(hand_made, a, 2023, "alle_negen").status == "ja"
    assert one(hand_made, a, 2023, "eis_5").meets_all_nine
    row_b = one(hand_made, b, 2023, "eis_2")
    assert row_b.status == "deels" and row_b.n_requirements_met == 7
    assert one(hand_made, b, 2023, "alle_negen").status == "nee"  # deels is not met
    assert one(hand_made, c, 2023, "eis_1").status == "onbekend"
    assert one(hand_made, c, 2023, "alle_negen").status == "nee"  # eis_3 deels
    assert one(hand_made, c, 2024, "alle_negen").status == "onbekend"  # eis_9 empty
    assert pd.isna(one(hand_made, c, 2024, "eis_2").meets_all_nine)
    for requirement in ("eis_1", "alle_negen", "coalitie"):
        for code, year in ((d, 2024), (e, 2023), (e, 2024)):
            row = one(hand_made, code, year, requirement)
            assert row.status == "geen_beoordeling" and row.n_assessed == 0
            assert pd.isna(row.share_met_pct) and pd.isna(row.n_requirements_met)
    assert one(hand_made, d, 2023, "eis_4").status == "nee"
    assert one(hand_made, b, 2024, "eis_2").previous_status == "deels"


def test_region_shares_from_members_missing_is_not_no(
        hand_made: pd.DataFrame, small_region: tuple[str, list[str]]) -> None:
    region, members = small_region
    eis_1 = one(hand_made, region, 2023, "eis_1")  # a ja, b nee, c empty, d nee, rest missing
    assert (eis_1.n_gemeenten, eis_1.n_assessed, eis_1.n_not_assessed) == (
        len(members), 4, len(members) - 4)
    assert (eis_1.n_ja, eis_1.n_nee, eis_1.n_deels, eis_1.n_onbekend, eis_1.n_answered) == (
        1, 2, 0, 1, 3)
    assert eis_1.share_met_pct == pytest.approx(100 / 3)
    assert pd.isna(eis_1.status)
    all_nine = one(hand_made, region, 2024, "alle_negen")  # a ja, b ja, c unknown; d missing
    assert (all_nine.n_ja, all_nine.n_nee, all_nine.n_onbekend, all_nine.n_answered) == (
        2, 0, 1, 2)
    assert all_nine.share_met_pct == 100.0
    assert all_nine.n_not_assessed == len(members) - 3
    previous = one(hand_made, region, 2023, "alle_negen")  # a ja; b, c, d nee
    assert previous.share_met_pct == 25.0
    assert all_nine.previous_assessment_year == 2023
    assert all_nine.change_pct_points == pytest.approx(75.0)
    nl = one(hand_made, "NL01", 2024, "alle_negen")
    assert (nl.n_ja, nl.n_assessed, nl.n_not_assessed) == (2, 3, 339)
    other = hand_made[(hand_made.area_level == "ggd_regio") & (hand_made.area_code != region)]
    assert (other.n_assessed == 0).all() and other.share_met_pct.isna().all()
    assert (other.n_nee == 0).all()


def test_every_region_is_the_sum_of_its_members(hand_made: pd.DataFrame) -> None:
    memberships = geography.gemeenten().melt(
        id_vars="gemeente_code", value_vars=["ggd_code", "provincie_code"],
        value_name="area_code")[["area_code", "gemeente_code"]]
    assert_regions_are_member_sums(hand_made, memberships)


def assert_regions_are_member_sums(progress: pd.DataFrame, memberships: pd.DataFrame) -> None:
    gm = progress[progress.area_level == "gemeente"]
    joined = memberships.merge(
        gm.rename(columns={"area_code": "gemeente_code"}), on="gemeente_code")
    sums = joined.groupby(["area_code", "assessment_year", "requirement_id"])[COUNTS].sum()
    regions = progress[progress.area_code.isin(memberships.area_code)].set_index(
        ["area_code", "assessment_year", "requirement_id"])[COUNTS]
    assert len(regions) > 0
    pd.testing.assert_frame_equal(regions.sort_index(), sums.sort_index(), check_dtype=False)


def test_no_assessments_gives_an_empty_mart(tmp_path: Path) -> None:
    con = run_warehouse(tmp_path, None)
    try:
        assert len(mart(con)) == 0
        assert con.sql("select count(*) from stg_coalitie_status__assessments").fetchall() == [
            (0,)]
    finally:
        con.close()


def test_requirement_labels_match_the_template(hand_made: pd.DataFrame) -> None:
    labels = hand_made.drop_duplicates("requirement_id").set_index("requirement_id")
    assert [labels.requirement_label[r] for r in REQUIREMENTS] == list(cs.REQUIREMENT_TEXTS)


def test_mart_columns_are_documented(hand_made: pd.DataFrame) -> None:
    import yaml

    doc = yaml.safe_load((Path(build.SQL_DIR) / "marts" / "coalition_progress.yml").read_text(
        encoding="utf-8"))
    documented = [c["name"] for c in doc["models"][0]["columns"]]
    assert documented == list(hand_made.columns)
    assert all(c.get("description") for c in doc["models"][0]["columns"])


# --------------------------------------------------------------------------------------------
# the demo build (shared fixture) and the charts


def published(data_dir: Path, name: str) -> pd.DataFrame:
    return pd.read_parquet(data_dir / "processed" / "marts" / f"{name}.parquet")


@pytest.mark.slow
def test_demo_build_publishes_coalition_progress(demo_build: Path) -> None:
    progress = published(demo_build, "coalition_progress")
    memberships = published(demo_build, "area_memberships")
    n_areas = 342 + memberships.area_code.nunique()
    assert len(progress) == n_areas * len(DEMO_YEARS) * 18
    assert progress.is_demo.all() and progress.snapshot_ids.notna().all()
    nl = progress[(progress.area_code == "NL01") & (progress.requirement_id == "alle_negen")]
    assert list(nl.sort_values("assessment_year").assessment_year) == list(DEMO_YEARS)
    assert (nl.n_gemeenten == 342).all() and (nl.n_not_assessed > 0).all()
    assert_regions_are_member_sums(progress, memberships[["area_code", "gemeente_code"]])
    silent = progress[(progress.area_code == "GG5206") & (progress.assessment_year == 2022)]
    assert (silent.n_not_assessed == 16).all() and silent.share_met_pct.isna().all()
    results = json.loads((demo_build / "processed" / "validation" / "results.json").read_text())
    ours = [o for o in results["outcomes"]
            if o["suite"] in ("coalition_progress", "coalitie_status__assessments")]
    assert len(ours) > 40 and all(o["success"] for o in ours)


@pytest.mark.slow
def test_missing_reported_as_zero_fails_validation(demo_build: Path) -> None:
    from pipeline import validate

    suites = {k: v for k, v in validate.load_suites().items() if k == "coalition_progress"}
    progress = published(demo_build, "coalition_progress")
    assert validate.validate_frames({"coalition_progress": progress}, suites).success
    tampered = progress.copy()
    tampered.loc[tampered.n_answered == 0, "share_met_pct"] = 0.0
    report = validate.validate_frames({"coalition_progress": tampered}, suites)
    failed = [o.expectation for o in report.blocking_failures]
    assert failed == ["expect_column_values_to_be_null"]


@pytest.mark.slow
def test_grid_and_map_render(demo_build: Path, tmp_path: Path) -> None:
    build_dir = demo_build / "processed"
    progress = published(demo_build, "coalition_progress")
    memberships = published(demo_build, "area_memberships")
    info = json.loads((build_dir / "_build.json").read_text(encoding="utf-8"))
    label = "DEMO — synthetische cijfers"
    footer = cc.coalition_footer(info, 2022, label, with_map=True)
    grid = cc.requirement_grid(progress, memberships, "GG5206", footer, year=2023)
    grid_files = charts.save(grid, tmp_path / "grid")
    svg = grid_files[1].read_text(encoding="utf-8")
    assert "West-Brabant, 2023" in svg and label in svg and "Alle negen eisen" in svg
    assert grid_files[0].read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert grid_files[0].stat().st_size > 20_000
    cells = cc.grid_frame(progress, memberships, "GG5206", 2022)
    assert set(cells.status.dropna()) == {"geen_beoordeling"}  # the region sent nothing
    assert (cells.cell_text[cells.row_label == cc.SUMMARY_ROW] == "–").all()
    chart = cc.share_map(progress, memberships, footer, year=2022)
    map_files = charts.save(chart, tmp_path / "kaart")
    svg = map_files[1].read_text(encoding="utf-8")
    assert svg.count("<path") >= 342 + 25
    assert "geen beoordeling in de regio" in svg and "gemeente zonder beoordeling" in svg
    lookup = cc.map_frame(progress, memberships, "ggd_regio", "alle_negen", 2022)
    assert len(lookup) == 342 and lookup.share_met_pct.isna().sum() == 16
