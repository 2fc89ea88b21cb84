"""Exports: factsheets, chart packs and CSVs per area; the index; incremental; no leaks.

Uses the shared demo build (its refresh exports ``EXPORT_AREAS``: one area of every level, a
large and a small gemeente). Tests that change things work on a copy of that data dir.
"""

from __future__ import annotations

import html
import json
import re
import shutil
from pathlib import Path

import pandas as pd
import pytest

from pipeline import charts, export, factsheet_data, leaks
from pipeline.config import DEMO_LABEL
from tests.conftest import EXPORT_AREAS, EXPORT_ARGS, chromium, run_cli

pytestmark = pytest.mark.slow

LEVEL_OF = {"GM0363": "gemeente", "GM0088": "gemeente", "GG3406": "ggd_regio",
            "PV27": "provincie", "RG02": "regio", "NL01": "land"}
SHEET_FILES = ["factsheet.png", "factsheet.svg", "factsheet.pdf", "factsheet.html"]
CHARTS = ["geboorten", "ligging", "kerncijfers", "trend", "coalitie"]
TIDY_COLUMNS = ["indicator_id", "area_code", "period_label", "period_start_year",
                "period_end_year", "unit", "value", "ci_lower", "ci_upper", "numerator",
                "denominator", "status", "status_reason", "display", "source_id",
                "snapshot_ids", "is_demo", "label"]
EXCEL_COLUMNS = ["indicator", "gebiedscode", "periode", "beginjaar", "eindjaar", "eenheid",
                 "waarde", "ondergrens_95", "bovengrens_95", "teller", "noemer", "status",
                 "toelichting", "weergave", "bron", "snapshot", "demo", "label"]


def exports_of(data_dir: Path) -> Path:
    return data_dir / "processed" / "exports"


def area_dir(data_dir: Path, code: str) -> Path:
    return exports_of(data_dir) / LEVEL_OF[code] / code



def page_text(dom: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", dom))


@pytest.fixture
def copy_of_build(demo_build: Path, tmp_path: Path) -> Path:
    """A private copy of the demo data dir (the published symlink is relative)."""
    target = tmp_path / "data"
    shutil.copytree(demo_build, target, symlinks=True,
                    ignore=shutil.ignore_patterns(".kansrijk.lock"))
    return target


# --------------------------------------------------------------------------------------------
# What is written
# --------------------------------------------------------------------------------------------


@pytest.mark.parametrize("code", EXPORT_AREAS)
def test_every_area_has_its_sheet_charts_and_data(demo_build: Path, code: str) -> None:
    folder = area_dir(demo_build, code)
    expected = SHEET_FILES + [f"charts/{c}.{ext}" for c in CHARTS for ext in ("png", "svg")]
    expected += [f"data/{c}{v}.csv" for c in CHARTS for v in ("", "_excel")]
    assert not [name for name in expected if not (folder / name).is_file()], folder
    for png in [folder / "factsheet.png", *folder.glob("charts/*.png")]:
        data = png.read_bytes()
        width, height = charts.png_size(data)
        # a sheet without a coalition self-evaluation has a short "geen zelfevaluatie" chart
        assert width >= 500 and height >= 150 and len(data) > 10_000, png
    width, height = charts.png_size((folder / "factsheet.png").read_bytes())
    assert height / width == pytest.approx(297 / 210, rel=0.01)  # one A4 page


def test_the_pdf_is_one_a4_page(demo_build: Path) -> None:
    pdf = (area_dir(demo_build, "GM0363") / "factsheet.pdf").read_bytes()
    assert pdf.startswith(b"%PDF-") and pdf.rstrip().endswith(b"%%EOF")
    assert len(re.findall(rb"/Type\s*/Page\b", pdf)) == 1
    box = re.search(rb"/MediaBox\s*\[\s*0 0 ([\d.]+) ([\d.]+)\s*\]", pdf)
    assert float(box.group(1)) == pytest.approx(595.3, abs=1)  # A4 in points
    assert float(box.group(2)) == pytest.approx(841.9, abs=1)


def test_the_sheet_is_dutch_labelled_demo_and_names_its_sources(demo_build: Path) -> None:
    svg = (area_dir(demo_build, "GM0088") / "factsheet.svg").read_text(encoding="utf-8")
    for words in ("Schiermonnikoog", "Kernindicatoren per fase", "Levend geboren kinderen",
                  "Voor de zwangerschap", "Tijdens de zwangerschap", "Na de geboorte",
                  "Bron:", "Definities (teller / noemer)", "Gegevens opgehaald",
                  "Onderdrukt: &#x27;&lt; 10&#x27;", DEMO_LABEL, "t.o.v. NL", "Ligging"):
        assert words in svg, words
    # a small gemeente: suppressed cells read "< 10" or "–" with a note, never 0
    assert re.search(r'aria-label="(&lt; 10|–)[¹²³⁴⁵⁶⁷⁸⁹]+"', svg)
    assert 'aria-label="0"' not in svg and 'aria-label="0,0"' not in svg


@pytest.mark.parametrize("code", ["GM0363", "GM0088", "PV27"])
def test_csvs_open_with_the_expected_columns(demo_build: Path, code: str) -> None:
    data = area_dir(demo_build, code) / "data"
    tidy = pd.read_csv(data / "kerncijfers.csv")
    assert set(TIDY_COLUMNS) <= set(tidy.columns)
    assert (tidy["area_code"] == code).all() and tidy["is_demo"].all()
    raw = (data / "kerncijfers_excel.csv").read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    excel = pd.read_csv(data / "kerncijfers_excel.csv", sep=";", decimal=",",
                        encoding="utf-8-sig")
    assert set(EXCEL_COLUMNS) <= set(excel.columns)
    assert excel["waarde"].dropna().round(4).tolist() == tidy["value"].dropna().round(4).tolist()
    not_ok = tidy[tidy["status"] != "ok"]
    assert not_ok[["value", "numerator", "denominator", "ci_lower"]].isna().all().all()
    assert not_ok["status_reason"].notna().all()
    assert set(not_ok["display"]) <= {"< 10", "–"}
    for name in ("geboorten", "trend"):
        series = pd.read_csv(data / f"{name}.csv")
        assert set(TIDY_COLUMNS) <= set(series.columns) and len(series) > 0
        assert series["snapshot_ids"].dropna().str.len().gt(0).all()


def test_suppressed_cells_of_a_small_gemeente_are_marked_not_zero(demo_build: Path) -> None:
    tidy = pd.read_csv(area_dir(demo_build, "GM0088") / "data" / "kerncijfers.csv")
    suppressed = tidy[tidy["status"] == "suppressed"]
    assert len(suppressed) > 0
    assert suppressed["value"].isna().all() and (suppressed["display"] != "0").all()
    under_ten = suppressed["status_reason"].str.contains("(<10)", regex=False)
    assert (suppressed.loc[under_ten, "display"] == "< 10").all()
    assert (suppressed.loc[~under_ten, "display"] == "–").all()


def test_the_html_table_shows_suppressed_cells_without_figures(demo_build: Path) -> None:
    """The page text (not only its CSVs) never shows a value or interval for a suppressed cell."""
    folder = area_dir(demo_build, "GM0088")
    tidy = pd.read_csv(folder / "data" / "kerncijfers.csv")
    page = (folder / "factsheet.html").read_text(encoding="utf-8")
    shown = {}
    for row in re.findall(r"<tr>(.*?)</tr>", page, re.S):
        cells = [html.unescape(re.sub(r"<[^>]+>", "", c)).strip()
                 for c in re.findall(r"<td[^>]*>(.*?)</td>", row, re.S)]
        if cells:
            shown[cells[0]] = cells
    suppressed = tidy[tidy["status"] != "ok"]
    assert len(suppressed) >= 3
    for r in suppressed.itertuples():
        (cells,) = [c for title, c in shown.items() if title.startswith(r.indicator_title)]
        value, interval = cells[2], cells[3]
        assert value.rstrip("¹²³⁴⁵⁶⁷⁸⁹") in {"< 10", "–"}, (r.indicator_id, cells)
        assert interval == "", (r.indicator_id, cells)


def test_figures_on_the_sheet_are_the_marts_figures(demo_build: Path) -> None:
    build = demo_build / "processed"
    tidy = pd.read_csv(area_dir(demo_build, "GM0363") / "data" / "kerncijfers.csv")
    values = pd.read_parquet(build / "marts" / "indicator_values.parquet")
    keys = ["indicator_id", "area_code", "period_start_year", "period_end_year"]
    joined = tidy.merge(values[[*keys, "value", "numerator"]], on=keys, suffixes=("", "_mart"))
    assert len(joined) == len(tidy)
    ok = joined[joined["status"] == "ok"]
    assert (ok["value"] - ok["value_mart"]).abs().max() < 1e-3
    assert (ok["numerator"].fillna(-1) == ok["numerator_mart"].fillna(-1)).all()


# --------------------------------------------------------------------------------------------
# Pages in a browser
# --------------------------------------------------------------------------------------------


def test_html_factsheet_renders_in_headless_chromium(demo_build: Path, tmp_path: Path) -> None:
    page = area_dir(demo_build, "GM0363") / "factsheet.html"
    html = page.read_text(encoding="utf-8")
    assert "<script" not in html and "src=" not in html and "@import" not in html
    assert "http://" not in html.replace('xmlns="http://www.w3.org/2000/svg"', "")
    assert "https://" not in html
    png = tmp_path / "factsheet.png"
    shot = chromium(page.as_uri(), f"--screenshot={png}", "--window-size=1100,1600",
                    profile=tmp_path / "profile")
    assert shot.returncode == 0, shot.stderr[-2000:]
    assert charts.png_size(png.read_bytes()) == (1100, 1600)
    assert png.stat().st_size > 30_000
    dom = chromium(page.as_uri(), "--dump-dom", profile=tmp_path / "profile")
    text = page_text(dom.stdout)
    assert "Amsterdam" in text and "Kernindicatoren per fase" in text
    assert DEMO_LABEL in text and "Bron:" in text
    # every local link of the page points at a file that exists
    links = re.findall(r'href="([^"#]+)"', html)
    missing = [link for link in links if not (page.parent / link).resolve().exists()]
    assert not missing


def test_index_renders_lists_every_area_and_searches(demo_build: Path, tmp_path: Path) -> None:
    index = exports_of(demo_build) / "index.html"
    html = index.read_text(encoding="utf-8")
    assert "src=" not in html and "http" not in html.split("<script>")[1]
    png = tmp_path / "index.png"
    shot = chromium(index.as_uri(), f"--screenshot={png}", "--window-size=1200,1400",
                    profile=tmp_path / "profile")
    assert shot.returncode == 0, shot.stderr[-2000:]
    assert png.stat().st_size > 20_000
    dom = chromium(index.as_uri(), "--dump-dom", profile=tmp_path / "profile").stdout
    text = page_text(dom)
    for name in ("Amsterdam", "Schiermonnikoog", "GGD Amsterdam", "Noord-Holland",
                 "Nederland", "Gemeenten", "GGD-regio's", "Provincies"):
        assert name in text, name
    assert f"{len(EXPORT_AREAS)} van {len(EXPORT_AREAS)} gebieden" in text
    for link in re.findall(r'href="([^"#]+)"', html):
        assert (index.parent / link).exists(), link
    # the search (plain inline JavaScript) filters by name or code, also from the address
    found = chromium(index.as_uri() + "#zoek=schiermonnik", "--dump-dom",
                     profile=tmp_path / "profile").stdout
    rows = re.findall(r'<tr class="area" data-search="([^"]+)"( hidden="")?', found)
    shown = [search for search, hidden in rows if not hidden]
    assert shown == ["schiermonnikoog gm0088"] and len(rows) == len(EXPORT_AREAS)
    by_code = chromium(index.as_uri() + "#zoek=GG3406", "--dump-dom",
                       profile=tmp_path / "profile").stdout
    assert "1 van 6 gebieden" in page_text(by_code)


# --------------------------------------------------------------------------------------------
# Incremental
# --------------------------------------------------------------------------------------------


def test_an_unchanged_export_renders_nothing(copy_of_build: Path) -> None:
    folder = area_dir(copy_of_build, "GM0363")
    before = {p: p.stat().st_ino for p in folder.rglob("*") if p.is_file()}
    result = run_cli("export", "--area", ",".join(EXPORT_AREAS), data_dir=copy_of_build)
    assert result.returncode == 0, result.stderr
    assert f"{len(EXPORT_AREAS)} area(s): 0 rendered, {len(EXPORT_AREAS)} unchanged" \
        in result.stdout
    after = {p: p.stat().st_ino for p in folder.rglob("*") if p.is_file()}
    assert after == before  # the very same files (hard links), not re-rendered copies


def test_a_changed_figure_re_renders_only_its_area(copy_of_build: Path) -> None:
    build = (copy_of_build / "processed").resolve()
    path = build / "marts" / "indicator_values.parquet"
    values = pd.read_parquet(path)
    births = (values.indicator_id == "levend_geborenen") & (values.area_code == "GM0088") & (
        values.period_end_year == 2024) & (values.period_start_year == 2024)
    values.loc[births, ["value", "numerator"]] += 1
    values.to_parquet(path)
    result = run_cli("export", "--area", ",".join(EXPORT_AREAS), data_dir=copy_of_build)
    assert result.returncode == 0, result.stderr
    assert "1 rendered" in result.stdout
    manifest = json.loads((exports_of(copy_of_build) / "manifest.json").read_text())
    assert set(manifest["areas"]) == set(EXPORT_AREAS)
    csv = pd.read_csv(area_dir(copy_of_build, "GM0088") / "data" / "geboorten.csv")
    new = int(values.loc[births, "value"].iloc[0])
    assert int(csv.loc[csv["period_label"] == 2024, "value"].iloc[0]) == new


def test_a_refresh_after_a_build_without_exports_reuses_the_older_exports(
    copy_of_build: Path,
) -> None:
    built = run_cli("build", data_dir=copy_of_build)  # publishes a build without exports
    assert built.returncode == 0, built.stderr
    assert not (copy_of_build / "processed" / "exports" / "manifest.json").exists()
    result = run_cli("refresh", "--no-notebooks", *EXPORT_ARGS, data_dir=copy_of_build)
    assert result.returncode == 0, result.stderr
    assert f"0 rendered, {len(EXPORT_AREAS)} unchanged (reused)" in result.stderr


def test_export_of_one_area_keeps_the_others(copy_of_build: Path) -> None:
    result = run_cli("export", "--area", "GM0088", "--force", data_dir=copy_of_build)
    assert result.returncode == 0, result.stderr
    assert "1 area(s): 1 rendered" in result.stdout and "5 other(s) kept" in result.stdout
    manifest = json.loads((exports_of(copy_of_build) / "manifest.json").read_text())
    assert set(manifest["areas"]) == set(EXPORT_AREAS)
    bad = run_cli("export", "--area", "GM9999", data_dir=copy_of_build)
    assert bad.returncode == 1 and "GM9999: unknown area code" in bad.stderr


def test_content_hashes_change_only_for_the_area_whose_data_changed(demo_build: Path) -> None:
    build = demo_build / "processed"
    marts = factsheet_data.load_marts(build)
    tables = factsheet_data.sheet_tables(marts)
    codes = tables.codes()
    before = tables.digests(codes, export.code_fingerprint())
    values = marts.values.copy()
    hit = (values.area_code == "GM0014") & (values.indicator_id == "vroeggeboorte")
    values.loc[hit & (values.status == "ok"), "value"] += 0.5
    changed = factsheet_data.sheet_tables(factsheet_data.Marts(
        values, marts.catalogue, marts.areas, marts.memberships, marts.comparisons,
        marts.trends, marts.progress, marts.info))
    after = changed.digests(codes, export.code_fingerprint())
    assert [c for c in codes if before[c] != after[c]] == ["GM0014"]
    assert len(set(before.values())) == len(codes)
    other_code = tables.digests(codes, "another version of the code")
    assert all(other_code[c] != before[c] for c in codes)


# --------------------------------------------------------------------------------------------
# No leaks
# --------------------------------------------------------------------------------------------


def test_the_published_exports_pass_the_leak_scan(demo_build: Path) -> None:
    build = demo_build / "processed"
    csvs = list((build / "exports").rglob("*.csv"))
    assert len(csvs) >= 2 * len(CHARTS) * len(EXPORT_AREAS)
    assert leaks.scan_build(build) == []


def test_the_leak_scan_finds_a_planted_small_count_in_an_export(copy_of_build: Path) -> None:
    build = (copy_of_build / "processed").resolve()
    path = area_dir(copy_of_build, "GM0088") / "data" / "kerncijfers_excel.csv"
    frame = pd.read_csv(path, sep=";", decimal=",", encoding="utf-8-sig")
    target = frame[frame["status"] == "onderdrukt"].iloc[0]
    frame.loc[target.name, ["teller", "noemer", "waarde"]] = [4, 60, 4 / 60 * 100]
    path.unlink()  # a hard link shared with the demo build: write a new file
    frame.to_csv(path, sep=";", decimal=",", index=False, encoding="utf-8-sig")
    problems = leaks.scan_build(build)
    planted = [p for p in problems if "kerncijfers_excel.csv" in p and "GM0088" in p]
    assert planted and any("below the threshold" in p or "suppressed cell" in p
                           for p in planted)
