"""Tests for pipeline.demo: deterministic synthetic payloads in the real sources' formats."""

from __future__ import annotations

import csv
import hashlib
import io
import json
import re
from pathlib import Path

import numpy as np
import pytest

from pipeline import demo

SHARED_VACCINATION = Path(
    "/work/shared/reference/rivm_rvp_bmr_zuigelingen_2006_2014_gem2013.raw.csv")
VACCINATION_SHA256 = "26ac74f943f1aafebd2a0939fb1f16abf27f2f7b02e216ed2061fbc7d1c4b69f"
PERINED_TARGETS = {  # column prefix → (national level, multiplier)
    "Vroeggeboorte < 37 wk": 7.0, "SGA < p10": 9.5, "Big2": 14.8, "Start zorg na 10 wk": 14.0,
}


@pytest.fixture(scope="module")
def demo_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("demo-a")
    demo.generate(out)
    return out


@pytest.fixture(scope="module")
def model() -> demo.Model:
    return demo.build_model()


def _files(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes()
            for p in sorted(folder.rglob("*")) if p.is_file()}


def test_generation_is_byte_identical(demo_dir: Path, tmp_path: Path) -> None:
    written = demo.generate(tmp_path / "b")
    assert written == sorted(written)
    first, second = _files(demo_dir), _files(tmp_path / "b")
    assert sorted(first) == sorted(second)
    for name, content in first.items():
        assert content == second[name], f"{name} differs between two runs"


def test_regeneration_removes_stale_pages(tmp_path: Path) -> None:
    stale = tmp_path / "cbs_geboorten" / "TypedDataSet_skip09000.json"
    stale.parent.mkdir(parents=True)
    stale.write_text("{}")
    demo.generate(tmp_path)
    assert not stale.exists()


def test_payload_size_is_small(demo_dir: Path) -> None:
    assert sum(len(b) for b in _files(demo_dir).values()) < 5_000_000


def _pages(demo_dir: Path) -> list[tuple[Path, dict]]:
    folder = demo_dir / "cbs_geboorten"
    return [(p, json.loads(p.read_bytes())) for p in sorted(folder.glob("TypedDataSet_*.json"))]


def test_cbs_pages_link_consistently(demo_dir: Path) -> None:
    pages = _pages(demo_dir)
    assert len(pages) >= 2
    for k, (path, body) in enumerate(pages):
        skip = int(re.fullmatch(r"TypedDataSet_skip(\d{5})\.json", path.name).group(1))
        assert skip == k * demo.CBS_PAGE_SIZE
        assert body["kansrijk_demo"] == demo.DEMO_LABEL
        assert body["odata.metadata"].endswith("#Cbs.OData.WebAPI.TypedDataSet")
        assert [r["ID"] for r in body["value"]] == list(range(skip, skip + len(body["value"])))
        if k < len(pages) - 1:
            assert len(body["value"]) == demo.CBS_PAGE_SIZE
            link = body["odata.nextLink"]
            assert link.startswith("https://opendata.cbs.nl/ODataApi/odata/37230ned/TypedDataSet")
            assert f"$skip={skip + demo.CBS_PAGE_SIZE}" in link
        else:
            assert "odata.nextLink" not in body
            assert 0 < len(body["value"]) <= demo.CBS_PAGE_SIZE
    props = json.loads((demo_dir / "cbs_geboorten" / "DataProperties.json").read_bytes())
    assert props["kansrijk_demo"] == demo.DEMO_LABEL
    titles = {p["Title"]: p["Key"] for p in props["value"]}
    assert titles["Levend geboren kinderen"] == "LevendGeborenKinderen_2"
    assert titles["Bevolking aan het begin van de periode"] == "BevolkingAanHetBeginVanDePeriode_1"


def test_cbs_rows_cover_all_regions_and_years(demo_dir: Path) -> None:
    rows = [r for _, body in _pages(demo_dir) for r in body["value"]]
    assert all(len(r["RegioS"]) == 10 for r in rows)
    keys = {(r["RegioS"].strip(), r["Perioden"]) for r in rows}
    assert len(keys) == len(rows)
    gemeenten = demo.read_gemeenten().codes
    assert len(gemeenten) == 342
    years = [f"{y}JJ00" for y in range(2015, 2025)]
    regions = ["NL01", *(f"PV{n}" for n in range(20, 32)), *gemeenten]
    assert keys == {(a, y) for a in regions for y in years}
    births = {(r["RegioS"].strip(), r["Perioden"]): r["LevendGeborenKinderen_2"] for r in rows}
    for year in years:
        gm_sum = sum(births[(g, year)] for g in gemeenten)
        unknown = births[("NL01", year)] - gm_sum
        assert 150 <= unknown <= 450
        target = demo.NATIONAL_LIVE_BIRTHS[int(year[:4])]
        assert abs(births[("NL01", year)] / target - 1) < 0.01
        pv_sum = sum(births[(f"PV{n}", year)] for n in range(20, 32))
        assert pv_sum == gm_sum
    nulls = [r for r in rows if r["Overledenen_3"] is None]
    assert all(r["RegioS"].startswith("GM") for r in nulls)
    assert 0.003 < len(nulls) / (342 * 10) < 0.02
    assert all(r["LevendGeborenKinderen_2"] is not None for r in rows)


def test_sizes_are_realistic(model: demo.Model) -> None:
    mean = dict(zip(model.gemeenten.codes, model.births.mean(axis=1), strict=True))
    assert 8500 < mean["GM0363"] < 10500
    assert 6300 < mean["GM0599"] < 7700
    assert 6100 < mean["GM0518"] < 7500
    assert 3800 < mean["GM0344"] < 4600
    smallest = {"GM0088", "GM0096", "GM0060", "GM0093", "GM0277"}
    for code in smallest:
        assert 4 <= mean[code] <= 35, code
    others = [v for c, v in mean.items() if c not in smallest]
    assert min(others) > max(mean[c] for c in smallest)


def test_national_perined_levels_from_model(model: demo.Model) -> None:
    c = {k: v.sum(axis=0) for k, v in model.perined.items()}
    checks = {
        "vroeggeboorte": (c["preterm"] / c["total"], 0.070),
        "sga": (c["sga"] / c["total"], 0.095),
        "big2": (c["big2"] / c["born24"], 0.148),
        "perinatale_sterfte": (c["perinatal_deaths"] / c["total"], 0.0075),
        "late_start_zorg": (c["late_start"] / c["pregnancies24"], 0.14),
    }
    for name, (rates, target) in checks.items():
        assert np.all(np.abs(rates / target - 1) < 0.10), (name, rates)


def _perined_rows(demo_dir: Path) -> tuple[list[str], list[list[str]]]:
    raw = (demo_dir / "perined_kerncijfers" / demo.PERINED_FILE).read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(raw[3:].decode("utf-8")), delimiter=";"))
    return rows[0], rows[1:]


def test_perined_csv_levels_and_suppression(demo_dir: Path) -> None:
    header, rows = _perined_rows(demo_dir)
    assert header == demo.PERINED_HEADER
    col = {name: i for i, name in enumerate(header)}
    yearly = [r for r in rows if "-" not in r[col["Periode"]] and r[0].startswith("GM")]
    assert len(yearly) == 342 * 10
    regions = [r for r in rows if not r[0].startswith("GM")]
    assert {r[0] for r in regions} >= {"NL01", "GG3406"} and len(regions) == 26 * 10
    for prefix, target in PERINED_TARGETS.items():
        n = col[f"{prefix} (n)"]
        published = [r for r in yearly if r[n] != "."]
        pct = [float(r[n + 1].replace(",", ".")) for r in published]
        assert all(r[n + 1] == "." for r in yearly if r[n] == ".")
        den_col = {"Big2": "Geboren >= 24 wk (n)",
                   "Start zorg na 10 wk": "Zwangerschappen >= 24 wk (n)"}.get(
                       prefix, "Totaal geboren (>= 22 wk)")
        num = sum(int(r[n]) for r in published)
        den = sum(int(r[col[den_col]]) for r in published)
        assert abs(100 * num / den / target - 1) < 0.10, prefix
        assert all(0 <= p <= 100 for p in pct)
        for r in published:  # suppression rule: count and complement both >= 10
            assert int(r[n]) >= 10 and int(r[col[den_col]]) - int(r[n]) >= 10
    assert all(r[col["Totaal geboren (>= 22 wk)"]].isdigit() for r in rows)


def test_perined_pooled_rows_for_small_gemeenten(demo_dir: Path) -> None:
    _, rows = _perined_rows(demo_dir)
    pooled = {(r[0], r[2]) for r in rows if "-" in r[2]}
    assert ("GM0088", "2022-2024") in pooled and ("GM0096", "2016-2018") in pooled
    assert not any(code == "GM0363" for code, _ in pooled)
    assert {p for _, p in pooled} == {"2016-2018", "2019-2021", "2022-2024"}


def _rivm(demo_dir: Path, name: str) -> tuple[str, list[list[str]]]:
    text = (demo_dir / "rivm_kansrijke_start" / name).read_text("ascii")
    sep = ";" if text.splitlines()[0].count(";") else ","
    rows = list(csv.reader(io.StringIO(text), delimiter=sep))
    return sep, rows


def test_rivm_files_vary_in_format_like_real_downloads(demo_dir: Path) -> None:
    names = sorted(p.name for p in (demo_dir / "rivm_kansrijke_start").iterdir())
    assert names == sorted(f"DEMO_{s.indicator}_{s.gem_column}.csv" for s in demo.RIVM_FILES)
    seps, numeric, leading_blank = set(), set(), set()
    for name in names:
        sep, rows = _rivm(demo_dir, name)
        header = rows[0]
        seps.add(sep)
        leading_blank.add(header[0] == "")
        gem = header.index(next(h for h in header if h.startswith("gem")))
        numeric.add(rows[1][gem].isdigit())
        for row in rows[1:]:
            n1, n0 = row[header.index("n_1")], row[header.index("n_0")]
            assert (n1 == "<10") == (n0 == "<10"), (name, row)
            if n1 != "<10":
                assert int(n1) >= 10 and int(n0) >= 10
    assert seps == {",", ";"} and numeric == {True, False} and leading_blank == {True, False}


def test_rivm_debts_in_2022_classification(demo_dir: Path) -> None:
    _, rows = _rivm(demo_dir, "DEMO_problematische_schulden_ouders_gem2022.csv")
    header = rows[0]
    codes = {int(r[header.index("gem2022")]) for r in rows[1:] if r[1] != "NL01"}
    assert len(codes) == 345
    assert {r[1] for r in rows[1:] if not r[1].isdigit()} == {"NL01"}
    assert {501, 530, 614, 457, 363} <= codes and 1992 not in codes
    periods = {r[header.index("jaar")] for r in rows[1:]}
    assert periods == {"2015-2019", "2016-2020", "2017-2021", "2018-2022"}
    westvoorne = [r for r in rows[1:] if r[header.index("gem2022")] == "614"]
    assert any(r[header.index("n_1")] == "<10" for r in westvoorne)


def test_vaccination_file_is_the_real_file(demo_dir: Path) -> None:
    copied = (demo_dir / "rivm_vaccinatiegraad" / demo.VACCINATION_NAME).read_bytes()
    assert hashlib.sha256(copied).hexdigest() == VACCINATION_SHA256
    if SHARED_VACCINATION.is_file():
        assert copied == SHARED_VACCINATION.read_bytes()


def test_readme_labels_demo_and_real(demo_dir: Path) -> None:
    text = (demo_dir / "README.md").read_text("utf-8")
    assert "SYNTHETIC" in text and "REAL" in text and "20181" in text


# --------------------------------------------------------------------------------------------
# CBS population, Gebieden in Nederland and low income


def _records(folder: Path) -> list[dict]:
    return [r for p in sorted(folder.glob("TypedDataSet_*.json"))
            for r in json.loads(p.read_bytes())["value"]]


def test_committed_cbs_payloads_are_what_the_generator_writes(demo_dir: Path) -> None:
    committed = Path(__file__).resolve().parents[2] / "data" / "demo"
    for folder in ("cbs_geboorten", *demo.CBS_TABLES):
        assert _files(demo_dir / folder) == _files(committed / folder), folder


def test_new_cbs_payloads_page_like_the_api(demo_dir: Path) -> None:
    for source_id, table in demo.CBS_TABLES.items():
        folder = demo_dir / source_id
        pages = sorted(folder.glob("TypedDataSet_skip*.json"))
        bodies = [json.loads(p.read_bytes()) for p in pages]
        assert all(b["kansrijk_demo"] == demo.DEMO_LABEL for b in bodies)
        for k, body in enumerate(bodies):
            if k < len(bodies) - 1:
                assert body["odata.nextLink"].startswith(
                    f"https://opendata.cbs.nl/ODataApi/odata/{table}/TypedDataSet")
                assert f"$skip={(k + 1) * demo.CBS_PAGE_SIZE}" in body["odata.nextLink"]
            else:
                assert "odata.nextLink" not in body
        props = json.loads((folder / "DataProperties.json").read_bytes())["value"]
        keys = {p["Key"] for p in props if p["Type"] == "Topic"}
        assert all(keys <= set(r) for b in bodies for r in b["value"])


def test_gebieden_payload_is_the_reference_classification(demo_dir: Path) -> None:
    rows = _records(demo_dir / "cbs_gebieden")
    with (demo.REFERENCE_DIR / "gemeenten_2025_ggd_provincie.csv").open(encoding="utf-8") as fh:
        reference = {r["gemeente_code"]: r for r in csv.DictReader(fh)}
    assert len(rows) == len(reference) == 342
    for row in rows:
        ref = reference[row["RegioS"].strip()]
        assert row["Code_16"].strip() == ref["ggd_code"]
        assert row["Code_28"].strip() == ref["provincie_code"]
        assert row["RegioS"].endswith(" ")  # padded as CBS pads keys


def test_population_payload_is_plausible(demo_dir: Path, model: demo.Model) -> None:
    rows = _records(demo_dir / "cbs_bevolking")
    assert len(rows) == (1 + 12 + 342) * 10 * 6
    assert {r["Geslacht"] for r in rows} == {"4000   "}
    women: dict[tuple[str, str], int] = {}
    for r in rows:
        key = (r["RegioS"].strip(), r["Perioden"])
        women[key] = women.get(key, 0) + r["BevolkingOp1Januari_1"]
    codes = model.gemeenten.codes
    shares = [women[(c, "2020JJ00")] / model.population[i, 5] for i, c in enumerate(codes)]
    assert 0.12 < min(shares) and max(shares) < 0.30  # women 15–45 of all inhabitants
    nl = women[("NL01", "2020JJ00")]
    assert nl == sum(women[(c, "2020JJ00")] for c in codes)


def test_low_income_payload_is_plausible_and_suppresses_the_smallest(demo_dir: Path) -> None:
    rows = _records(demo_dir / "cbs_laag_inkomen")
    pct = {(r["RegioS"].strip(), r["Perioden"]): r["Relatief_2"] for r in rows}
    hidden = {area for (area, _), value in pct.items() if value is None}
    assert hidden == {"GM0088", "GM0096", "GM0277", "GM0060", "GM0093"}
    values = [v for v in pct.values() if v is not None]
    assert 0 < min(values) and max(values) < 40
    assert 4 < pct[("NL01", "2022JJ00")] < 9
    assert pct[("GM0599", "2015JJ00")] > pct[("NL01", "2015JJ00")]
