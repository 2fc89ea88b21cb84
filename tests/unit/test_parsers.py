"""Tests for the land() parsers and the shared parsing helpers (pipeline.ingest.*)."""

from __future__ import annotations

import csv
import io
import json
import shutil
from pathlib import Path

import openpyxl
import pandas as pd
import pyarrow as pa
import pytest

from pipeline import demo
from pipeline.errors import InputError
from pipeline.ingest import (
    cbs_geboorten,
    parsing,
    perined_kerncijfers,
    rivm_kansrijke_start,
    rivm_vaccinatiegraad,
)
from pipeline.ingest.schema import OBSERVATIONS_SCHEMA

NAMES = ["Súdwest-Fryslân", "Skarsterlân", "'s-Gravenhage", "Noardeast-Fryslân"]


@pytest.fixture(scope="module")
def demo_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("demo")
    demo.generate(out)
    return out


def _files(folder: Path) -> list[Path]:
    return sorted(p for p in folder.iterdir() if p.is_file())


def _land(module, folder: Path, **kwargs) -> pd.DataFrame:  # noqa: ANN001
    tables = module.land(_files(folder), **kwargs)
    assert list(tables) == ["observations"]
    table = tables["observations"]
    assert isinstance(table, pa.Table)
    assert table.schema.equals(OBSERVATIONS_SCHEMA, check_metadata=False)
    return table.to_pandas()


def _markers(frame: pd.DataFrame) -> list[str | None]:
    return [None if pd.isna(m) else m for m in frame["marker"]]


def _assert_suppressed_never_zero(frame: pd.DataFrame) -> None:
    marked = frame[frame["marker"].notna()]
    for column in ("numerator", "non_events", "value"):
        assert not (marked[column] == 0).any(), column


# --------------------------------------------------------------------------------------------
# CBS


def test_cbs_lands_demo_pages(demo_dir: Path) -> None:
    frame = _land(cbs_geboorten, demo_dir / "cbs_geboorten")
    assert len(frame) == (1 + 12 + 342) * 10 * 2
    assert set(frame["indicator_code"]) == {"levend_geboren_kinderen", "bevolking_begin_periode"}
    assert not frame["area_code"].str.contains(" ").any()
    assert {"NL01", "PV27", "GM0363", "GM0088"} <= set(frame["area_code"])
    assert set(frame["period_label"]) == {str(y) for y in range(2015, 2025)}
    assert (frame["classification_year"] == 2025).all()
    assert frame["numerator"].notna().all() and frame["marker"].isna().all()
    ams = frame[(frame.area_code == "GM0363") & (frame.period_label == "2023")
                & (frame.indicator_code == "levend_geboren_kinderen")]
    assert len(ams) == 1 and 8000 < ams["numerator"].iloc[0] < 11000
    assert ams["source_file"].iloc[0].startswith("TypedDataSet_skip")


def _cbs_variant(demo_dir: Path, dest: Path, suffix: int) -> Path:
    """A copy of the demo payload whose measure keys carry another suffix (table version)."""
    dest.mkdir()
    old, new = "LevendGeborenKinderen_2", f"LevendGeborenKinderen_{suffix}"
    for path in _files(demo_dir / "cbs_geboorten"):
        body = json.loads(path.read_bytes())
        if path.name == "DataProperties.json":
            for prop in body["value"]:
                if prop["Key"] == old:
                    prop["Key"] = new
            body["value"].reverse()  # positions must not matter either
        else:
            body["value"] = [{(new if k == old else k): v for k, v in r.items()}
                             for r in body["value"]]
        (dest / path.name).write_text(json.dumps(body), "utf-8")
    return dest


def test_cbs_resolves_measures_by_title_not_suffix(demo_dir: Path, tmp_path: Path) -> None:
    original = _land(cbs_geboorten, demo_dir / "cbs_geboorten")
    variant = _land(cbs_geboorten, _cbs_variant(demo_dir, tmp_path / "v", 58))
    pd.testing.assert_frame_equal(original, variant)


def test_cbs_null_cell_is_suppressed_not_zero(demo_dir: Path, tmp_path: Path) -> None:
    folder = tmp_path / "nulls"
    shutil.copytree(demo_dir / "cbs_geboorten", folder)
    page = folder / "TypedDataSet_skip00000.json"
    body = json.loads(page.read_bytes())
    body["value"][20]["LevendGeborenKinderen_2"] = None
    body["value"][21]["Perioden"] = "2016MM01"
    page.write_text(json.dumps(body), "utf-8")
    frame = _land(cbs_geboorten, folder)
    null = frame[frame["numerator"].isna()]
    assert len(null) == 1
    assert null["marker"].iloc[0] == "" and null["source_row"].iloc[0] == 21
    assert "2016MM01" in set(frame["period_label"])
    _assert_suppressed_never_zero(frame)


def test_cbs_missing_title_raises(demo_dir: Path, tmp_path: Path) -> None:
    folder = tmp_path / "missing"
    shutil.copytree(demo_dir / "cbs_geboorten", folder)
    props = json.loads((folder / "DataProperties.json").read_bytes())
    for prop in props["value"]:
        if prop["Title"] == "Levend geboren kinderen":
            prop["Title"] = "Geboren kinderen"
    (folder / "DataProperties.json").write_text(json.dumps(props), "utf-8")
    with pytest.raises(InputError, match="Levend geboren kinderen") as info:
        cbs_geboorten.land(_files(folder))
    assert "DataProperties.json" in str(info.value) and "\n" not in str(info.value)


def test_cbs_bad_cell_names_file_row_column(demo_dir: Path, tmp_path: Path) -> None:
    folder = tmp_path / "bad"
    shutil.copytree(demo_dir / "cbs_geboorten", folder)
    page = folder / "TypedDataSet_skip01000.json"
    body = json.loads(page.read_bytes())
    body["value"][16]["LevendGeborenKinderen_2"] = "abc"
    page.write_text(json.dumps(body), "utf-8")
    with pytest.raises(InputError) as info:
        cbs_geboorten.land(_files(folder))
    assert str(info.value) == ("TypedDataSet_skip01000.json row 17, column "
                               "'LevendGeborenKinderen_2': expected a number or null, got 'abc'")


# --------------------------------------------------------------------------------------------
# Perined


def test_perined_lands_demo_file(demo_dir: Path) -> None:
    frame = _land(perined_kerncijfers, demo_dir / "perined_kerncijfers")
    data_rows = len((demo_dir / "perined_kerncijfers" / demo.PERINED_FILE)
                    .read_bytes().splitlines()) - 1
    assert len(frame) == data_rows * 6
    assert set(frame["indicator_code"]) == set(perined_kerncijfers.INDICATORS)
    assert "2022-2024" in set(frame["period_label"])
    assert "Súdwest-Fryslân" in set(frame["area_name"])
    assert (frame["classification_year"] == 2025).all()
    total = frame[frame.indicator_code == "totaal_geboren"]
    assert total["numerator"].notna().all() and total["denominator"].isna().all()
    big2 = frame[(frame.indicator_code == "big2") & frame.marker.isna()]
    assert ((big2["value"] - 100 * big2["numerator"] / big2["denominator"]).abs() < 0.051).all()
    pm = frame[(frame.indicator_code == "perinatale_sterfte") & frame.marker.isna()]
    assert pm["value"].between(1, 30).all()  # promille
    suppressed = frame[frame["marker"] == "."]
    assert len(suppressed) > 0
    assert suppressed["numerator"].isna().all() and suppressed["value"].isna().all()
    assert suppressed["denominator"].notna().all()
    _assert_suppressed_never_zero(frame)


def test_perined_missing_column_raises(demo_dir: Path, tmp_path: Path) -> None:
    text = (demo_dir / "perined_kerncijfers" / demo.PERINED_FILE).read_text("utf-8-sig")
    path = tmp_path / "perined.csv"
    path.write_text(text.replace("Big2 (%)", "Big 2 procent"), "utf-8")
    with pytest.raises(InputError, match=r"missing column 'Big2 \(%\)'") as info:
        perined_kerncijfers.land([path])
    assert str(info.value).startswith("perined.csv row 1: ") and "\n" not in str(info.value)


def test_perined_empty_period_names_the_cell(demo_dir: Path, tmp_path: Path) -> None:
    lines = (demo_dir / "perined_kerncijfers" / demo.PERINED_FILE).read_text("utf-8-sig")
    lines = lines.splitlines()
    sep = ";" if lines[0].count(";") > lines[0].count(",") else ","
    header = next(csv.reader([lines[0]], delimiter=sep))
    cells = next(csv.reader([lines[1]], delimiter=sep))
    cells[header.index("Periode")] = ""
    buffer = io.StringIO()
    csv.writer(buffer, delimiter=sep, lineterminator="\n").writerows([header, cells])
    path = tmp_path / "perined.csv"
    path.write_text(buffer.getvalue(), "utf-8")
    with pytest.raises(InputError) as info:
        perined_kerncijfers.land([path])
    assert str(info.value) == ("perined.csv row 2, column 'Periode': expected a period such as "
                               "2023 or 2022-2024, got ''")


def _xlsx(path: Path, header: list, rows: list[list], titles: int = 2) -> Path:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["Perinatale kerncijfers per gemeente (DEMO)"])
    if titles > 1:
        sheet.append(["Bron: test", None, "gegenereerd"])
    sheet.append(header)
    for row in rows:
        sheet.append(row)
    book.save(path)
    return path


def test_perined_xlsx_with_title_rows(demo_dir: Path, tmp_path: Path) -> None:
    src = demo_dir / "perined_kerncijfers" / demo.PERINED_FILE
    rows = list(csv.reader(io.StringIO(src.read_text("utf-8-sig")), delimiter=";"))[:41]
    cells = [[_excel_value(v) for v in row] for row in rows[1:]]
    csv_path = tmp_path / "part.csv"
    csv_path.write_text("\n".join(";".join(r) for r in rows) + "\n", "utf-8")
    xlsx = _xlsx(tmp_path / "part.xlsx", rows[0], cells)
    from_csv = perined_kerncijfers.land([csv_path])["observations"].to_pandas()
    from_xlsx = perined_kerncijfers.land([xlsx])["observations"].to_pandas()
    assert (from_xlsx["source_row"] == from_csv["source_row"] + 2).all()
    keep = [c for c in from_csv.columns if c not in ("source_file", "source_row")]
    pd.testing.assert_frame_equal(from_csv[keep], from_xlsx[keep])


def _excel_value(text: str) -> object:
    """As a user's spreadsheet holds it: numbers as numbers, markers and codes as text."""
    try:
        return int(text)
    except ValueError:
        pass
    try:
        return float(text.replace(",", "."))
    except ValueError:
        return text


# --------------------------------------------------------------------------------------------
# RIVM Kansrijke Start


def test_rivm_lands_demo_files(demo_dir: Path) -> None:
    folder = demo_dir / "rivm_kansrijke_start"
    frame = _land(rivm_kansrijke_start, folder)
    expected_rows = sum(len(p.read_bytes().splitlines()) - 1 for p in _files(folder))
    assert len(frame) == expected_rows
    assert set(frame["indicator_code"]) == {s.indicator for s in demo.RIVM_FILES}
    years = frame.groupby("indicator_code")["classification_year"].unique()
    assert list(years["problematische_schulden_ouders"]) == [2022]
    assert list(years["roken_vrouwen_19_45"]) == [2023]
    codes = set(frame["area_code"])
    assert "363" in codes and "GM0363" in codes and "614" in codes
    assert frame["denominator"].isna().all() and frame["value"].isna().all()
    suppressed = frame[frame["marker"].notna()]
    assert set(suppressed["marker"]) == {"<10"}
    assert suppressed["numerator"].isna().all() and suppressed["non_events"].isna().all()
    published = frame[frame["marker"].isna()]
    assert (published["numerator"] >= 10).all() and (published["non_events"] >= 10).all()
    assert {"2015-2019", "2016"} <= set(frame["period_label"])
    _assert_suppressed_never_zero(frame)


def test_indicator_code_from_file_name() -> None:
    f = rivm_kansrijke_start.indicator_code_from_name
    assert f(Path("DEMO_roken_vrouwen_19_45_gem2023.csv")) == "roken_vrouwen_19_45"
    assert f(Path("geen_kraamzorg_gem2025.xlsx")) == "geen_kraamzorg"


SMALL_ROWS = [  # code, name, jaar, n_1, n_0
    ("1900", NAMES[0], "2021", "123", "4567"),
    ("51", NAMES[1], "2021", "<10", "<10"),
    ("518", NAMES[2], "2021", "1045", "3955"),
    ("1970", NAMES[3], "2021", "", "87"),
]


def _small_rivm(sep: str, decimal: str, quote: bool) -> str:
    def cell(text: str) -> str:
        return f'"{text}"' if quote or sep in text else text

    def count(text: str) -> str:
        return f"{text}{decimal}0" if decimal and text.isdigit() else text

    lines = [sep.join(cell(h) for h in ["gem2023", "gemeentenaam", "jaar", "n_1", "n_0"])]
    for code, name, year, n1, n0 in SMALL_ROWS:
        lines.append(sep.join([cell(code), cell(name), cell(year), cell(count(n1)),
                               cell(count(n0))]))
    return "\r\n".join(lines) + "\r\n"


@pytest.mark.parametrize("sep", [",", ";"])
@pytest.mark.parametrize("decimal", ["", ".", ","])
def test_rivm_encodings_and_separators_parse_alike(tmp_path: Path, sep: str,
                                                   decimal: str) -> None:
    frames = []
    for encoding in ("utf-8", "utf-8-sig", "cp1252", "cp850"):
        path = tmp_path / encoding / "roken_vrouwen_19_45_gem2023.csv"
        path.parent.mkdir()
        path.write_bytes(_small_rivm(sep, decimal, quote=encoding == "cp850").encode(encoding))
        frames.append(rivm_kansrijke_start.land([path])["observations"].to_pandas())
    for frame in frames[1:]:
        pd.testing.assert_frame_equal(frames[0], frame)
    frame = frames[0]
    assert list(frame["area_name"]) == NAMES
    assert list(frame["area_code"]) == ["1900", "51", "518", "1970"]
    assert frame["numerator"].tolist()[0] == 123 and frame["non_events"].tolist()[2] == 3955
    assert _markers(frame) == [None, "<10", None, ""]
    assert frame["numerator"].isna().tolist() == [False, True, False, True]
    assert frame["non_events"].tolist()[3] == 87
    assert frame["source_row"].tolist() == [2, 3, 4, 5]


def test_rivm_xlsx_with_two_title_rows(tmp_path: Path) -> None:
    rows = [[int(c), n, int(y), int(a) if a.isdigit() else a, int(b) if b.isdigit() else b]
            for c, n, y, a, b in SMALL_ROWS]
    path = _xlsx(tmp_path / "DEMO_roken_vrouwen_19_45_gem2023.xlsx",
                 ["gem2023", "gemeentenaam", "jaar", "n_1", "n_0"], rows)
    frame = rivm_kansrijke_start.land([path])["observations"].to_pandas()
    assert list(frame["area_code"]) == ["1900", "51", "518", "1970"]
    assert list(frame["period_label"]) == ["2021"] * 4
    assert frame["source_row"].tolist() == [4, 5, 6, 7]
    assert _markers(frame) == [None, "<10", None, ""]
    assert frame["indicator_code"].iloc[0] == "roken_vrouwen_19_45"


def test_rivm_bad_count_names_file_row_column(tmp_path: Path) -> None:
    path = tmp_path / "DEMO_x.csv"
    lines = ['"","gem2023","jaar","n_1","n_0"']
    lines += [f'"{i}","GM0363",2020,"{100 + i}","900"' for i in range(1, 16)]
    lines.append('"16","GM0363",2021,"abc","900"')
    path.write_text("\n".join(lines) + "\n", "utf-8")
    with pytest.raises(InputError) as info:
        rivm_kansrijke_start.land([path])
    assert str(info.value) == ("DEMO_x.csv row 17, column 'n_1': expected a count or a "
                               "suppression marker, got 'abc'")


@pytest.mark.parametrize("bad", ["-3", "2.5", "12,5"])
def test_rivm_rejects_negative_or_fractional_counts(tmp_path: Path, bad: str) -> None:
    path = tmp_path / "DEMO_x_gem2023.csv"
    path.write_text(f'gem2023;jaar;n_1;n_0\nGM0363;2020;"{bad}";900\n', "utf-8")
    with pytest.raises(InputError, match=r"row 2, column 'n_1': expected a count"):
        rivm_kansrijke_start.land([path])


def test_rivm_missing_column_and_unknown_layout(tmp_path: Path) -> None:
    missing = tmp_path / "DEMO_x_gem2023.csv"
    missing.write_text("gem2023,jaar,n_1,aantal\nGM0363,2020,100,900\n", "utf-8")
    with pytest.raises(InputError, match="n_0") as info:
        rivm_kansrijke_start.land([missing])
    assert "DEMO_x_gem2023.csv" in str(info.value) and "\n" not in str(info.value)
    odd = tmp_path / "odd.csv"
    odd.write_text("regio;waarde\nGM0363;12\n", "utf-8")
    with pytest.raises(InputError, match="unrecognised layout"):
        rivm_kansrijke_start.land([odd])


# --------------------------------------------------------------------------------------------
# RIVM vaccination coverage (real file)


def test_vaccination_lands_real_file(demo_dir: Path) -> None:
    frame = _land(rivm_vaccinatiegraad, demo_dir / "rivm_vaccinatiegraad")
    assert len(frame) == 408 * 9
    assert (frame["indicator_code"] == "bmr_zuigelingen").all()
    assert (frame["classification_year"] == 2013).all()
    assert frame["numerator"].isna().all() and frame["denominator"].isna().all()
    first = frame[(frame.area_code == "3") & (frame.period_label == "2006")]
    assert first["value"].iloc[0] == pytest.approx(99.2)
    assert first["area_name"].iloc[0] == "Appingedam"
    assert "Skarsterlân" in set(frame["area_name"])  # cp850 detected
    empty = frame[frame["marker"].notna()]
    assert len(empty) > 0 and set(empty["marker"]) == {""} and empty["value"].isna().all()
    assert empty["period_label"].eq("2014").all()


@pytest.mark.parametrize("sep,decimal", [(";", ","), (",", "."), (",", ","), (";", ".")])
def test_vaccination_separators_and_decimals(tmp_path: Path, sep: str, decimal: str) -> None:
    rows = [["gemnr", "Gemnaam", "2012", "2013"], ["1900", NAMES[0], "98.5", "97.25"],
            ["51", NAMES[1], "99.0", ""]]
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=sep, lineterminator="\n")
    for row in rows:
        writer.writerow([c.replace(".", decimal) for c in row])
    path = tmp_path / "vacc.csv"
    path.write_bytes(buffer.getvalue().encode("cp1252"))
    frame = rivm_vaccinatiegraad.land([path])["observations"].to_pandas()
    assert frame["value"].tolist()[:3] == [98.5, 97.25, 99.0]
    assert pd.isna(frame["value"].tolist()[3]) and frame["marker"].tolist()[3] == ""
    assert list(frame["area_name"])[::2] == NAMES[:2]


# --------------------------------------------------------------------------------------------
# helpers


def test_decode_bytes_prefers_plausible_dutch() -> None:
    for text in ("gemnr;Gemnaam\n51;Skarsterlân\n1900;Súdwest-Fryslân\n",
                 "Gemeentenaam\nSúdwest-Fryslân\n"):
        for encoding in ("cp850", "cp1252"):
            decoded, used = parsing.decode_bytes(text.encode(encoding))
            assert decoded == text and used == encoding
    assert parsing.decode_bytes("Fryslân".encode("utf-8-sig")) == ("Fryslân", "utf-8-sig")


@pytest.mark.parametrize("text,hint,expected", [
    ("7,5", ".", 7.5), ("7.5", ",", 7.5), ("1.234", ",", 1234.0), ("1,234", ".", 1234.0),
    ("1.234,5", ".", 1234.5), ("1,234.5", ",", 1234.5), (" 12 ", ".", 12.0), ("abc", ".", None),
    ("1.2.3", ".", None), ("", ".", None),
])
def test_parse_number(text: str, hint: str, expected: float | None) -> None:
    assert parsing.parse_number(text, hint) == expected


@pytest.mark.parametrize("marker", ["<10", "< 10", "", ".", "x", "-", "NA"])
def test_markers_never_become_zero(marker: str) -> None:
    assert parsing.parse_cell(marker, file="f", row=2, column="c", count=True) == (
        None, marker.strip())


def test_header_matching_is_case_and_space_insensitive() -> None:
    assert parsing.normalise_header(" BIG2  (%) ") == parsing.normalise_header("Big2 (%)")
    assert parsing.normalise_header("Geboren ≥ 24 wk (n)") == parsing.normalise_header(
        "geboren >= 24 wk (n)")


# --------------------------------------------------------------------------------------------
# new CBS tables: population (extra dimensions), low income (topic groups), Gebieden


def test_population_selects_categories_by_title(demo_dir: Path) -> None:
    from pipeline.ingest import cbs_bevolking

    frame = _land(cbs_bevolking, demo_dir / "cbs_bevolking")
    codes = {f"bevolking__vrouwen__{a}_{a + 5}" for a in range(15, 45, 5)}
    assert set(frame["indicator_code"]) == codes
    assert len(frame) == (1 + 12 + 342) * 10 * 6 and frame["numerator"].notna().all()
    women = frame[frame.area_code == "NL01"].groupby("period_label")["numerator"].sum()
    assert women.between(2.5e6, 4.5e6).all()  # women 15–45 in NL: about 3.3 million


def test_population_category_missing_from_code_list_raises(demo_dir: Path,
                                                           tmp_path: Path) -> None:
    from pipeline.ingest import cbs_bevolking

    folder = tmp_path / "pop"
    shutil.copytree(demo_dir / "cbs_bevolking", folder)
    body = json.loads((folder / "Geslacht.json").read_bytes())
    body["value"] = [r for r in body["value"] if r["Title"] != "Vrouwen"]
    (folder / "Geslacht.json").write_text(json.dumps(body), "utf-8")
    with pytest.raises(InputError, match="Geslacht.json: dimension 'Geslacht' has 0 "
                                         "categories titled 'Vrouwen'"):
        cbs_bevolking.land(_files(folder))


def test_low_income_resolves_a_topic_by_its_group_path(demo_dir: Path) -> None:
    from pipeline.ingest import cbs_laag_inkomen

    frame = _land(cbs_laag_inkomen, demo_dir / "cbs_laag_inkomen")
    assert set(frame["indicator_code"]) == {"kinderen_laag_inkomen_pct"}
    assert frame["numerator"].isna().all()
    suppressed = frame[frame["value"].isna()]
    assert set(suppressed["area_code"]) == {"GM0088", "GM0096", "GM0277", "GM0060", "GM0093"}
    assert (suppressed["marker"] == "").all()
    _assert_suppressed_never_zero(frame)


def test_gebieden_land_equals_the_reference(demo_dir: Path) -> None:
    from pipeline.geography import gemeenten
    from pipeline.ingest import cbs_gebieden

    tables = cbs_gebieden.land(_files(demo_dir / "cbs_gebieden"))
    frame = tables["regions"].to_pandas().set_index("gemeente_code").sort_index()
    reference = gemeenten().set_index("gemeente_code").sort_index()
    assert list(frame.index) == list(reference.index)
    assert (frame["ggd_code"] == reference["ggd_code"]).all()
    assert (frame["provincie_naam"] == reference["provincie_naam"]).all()
    assert frame["corop_code"].isna().all()


def test_gebieden_missing_gemeente_or_group_raises(demo_dir: Path, tmp_path: Path) -> None:
    from pipeline.ingest import cbs_gebieden

    folder = tmp_path / "geb"
    shutil.copytree(demo_dir / "cbs_gebieden", folder)
    page = next(folder.glob("TypedDataSet_*.json"))
    body = json.loads(page.read_bytes())
    body["value"] = body["value"][1:]
    page.write_text(json.dumps(body), "utf-8")
    with pytest.raises(InputError, match="gemeente GM0014 of the bundled reference .* is "
                                         "missing in the CBS table"):
        cbs_gebieden.land(_files(folder))
    props = json.loads((folder / "DataProperties.json").read_bytes())
    for prop in props["value"]:
        if prop["Title"] == "GGD-regio's":
            prop["Title"] = "GGD regio"
    (folder / "DataProperties.json").write_text(json.dumps(props), "utf-8")
    with pytest.raises(InputError, match="missing measure with Title \"GGD-regio's/Code\""):
        cbs_gebieden.land(_files(folder))


def _v4_files(demo_dir: Path, dest: Path) -> list[Path]:
    """The demo births table rewritten as OData v4 files (Observations, long)."""
    dest.mkdir()
    props = json.loads((demo_dir / "cbs_geboorten" / "DataProperties.json").read_bytes())
    topics = [p for p in props["value"] if p["Type"] == "Topic"]
    dims = [{"Identifier": p["Key"], "Title": p["Title"], "Kind": p["Type"]}
            for p in props["value"] if p["Type"] != "Topic"]
    measures = [{"Identifier": f"M{i:06d}", "Title": t["Title"], "Unit": t["Unit"]}
                for i, t in enumerate(topics)]
    rows = []
    for page in sorted((demo_dir / "cbs_geboorten").glob("TypedDataSet_*.json")):
        for record in json.loads(page.read_bytes())["value"]:
            for topic, measure in zip(topics, measures, strict=True):
                value = record[topic["Key"]]
                rows.append({"Id": len(rows), "Measure": measure["Identifier"],
                             "ValueAttribute": "None" if value is not None else "Confidential",
                             "Value": value, "RegioS": record["RegioS"].strip(),
                             "Perioden": record["Perioden"]})
    files = {"Dimensions_p0001.json": dims, "MeasureCodes_p0001.json": measures,
             "Observations_p0001.json": rows[:5000], "Observations_p0002.json": rows[5000:]}
    for name, value in files.items():
        (dest / name).write_text(json.dumps({"value": value}), "utf-8")
    return sorted(dest.iterdir())


def test_cbs_v4_observations_land_like_v3(demo_dir: Path, tmp_path: Path) -> None:
    v3 = _land(cbs_geboorten, demo_dir / "cbs_geboorten")
    v4 = cbs_geboorten.land(_v4_files(demo_dir, tmp_path / "v4"))["observations"].to_pandas()
    keys = ["indicator_code", "area_code", "period_label"]
    merged = v3.merge(v4, on=keys, suffixes=("", "_v4"))
    assert len(merged) == len(v3) == len(v4)
    assert (merged["numerator"] == merged["numerator_v4"]).all()
    assert v4["source_file"].iloc[-1] == "Observations_p0002.json"


def test_cbs_v4_suppressed_value_keeps_its_attribute_as_marker(demo_dir: Path,
                                                               tmp_path: Path) -> None:
    files = _v4_files(demo_dir, tmp_path / "v4")
    page = tmp_path / "v4" / "Observations_p0001.json"
    body = json.loads(page.read_bytes())
    row = next(r for r in body["value"] if r["Measure"] == "M000001")
    row["Value"], row["ValueAttribute"] = None, "Confidential"
    page.write_text(json.dumps(body), "utf-8")
    frame = cbs_geboorten.land(files)["observations"].to_pandas()
    hidden = frame[frame["numerator"].isna()]
    assert len(hidden) == 1 and hidden["marker"].iloc[0] == "Confidential"


def test_cbs_unselected_extra_dimension_is_an_unrecognised_layout(demo_dir: Path,
                                                                  tmp_path: Path) -> None:
    folder = tmp_path / "dims"
    shutil.copytree(demo_dir / "cbs_geboorten", folder)
    props = json.loads((folder / "DataProperties.json").read_bytes())
    props["value"].insert(0, {"Type": "Dimension", "Key": "Geslacht", "Title": "Geslacht"})
    (folder / "DataProperties.json").write_text(json.dumps(props), "utf-8")
    with pytest.raises(InputError, match=r"dimension\(s\) \['Geslacht'\] are not selected"):
        cbs_geboorten.land(_files(folder))


# --------------------------------------------------------------------------------------------
# areas and the long layout


def test_area_codes_and_names_resolve_against_the_reference() -> None:
    from pipeline.ingest import areas

    assert [areas.std_area_code(c) for c in ("363", "0363", "gm363", " GM0363 ", "nl01")] == [
        "GM0363", "GM0363", "GM0363", "GM0363", "NL01"]
    kwargs = {"file": "f.csv", "row": 2, "code_column": "code", "name_column": "naam"}
    assert areas.resolve("", "Súdwest Fryslan", **kwargs) == "GM1900"
    assert areas.resolve("", "Den Haag", **kwargs) == "GM0518"
    assert areas.resolve("", "Groningen (gemeente)", **kwargs) == "GM0014"
    assert areas.resolve("", "Weesp", **kwargs) == "GM0457"  # dissolved in 2022
    assert areas.resolve("457", "Weesp", **kwargs) == "GM0457"
    assert areas.resolve("GG3406", "", **kwargs) == "GG3406"
    assert areas.classification_year_of({"GM0363", "GM0014"}) == 2025
    assert areas.classification_year_of({"GM0363", "GM0457"}) == 2021
    with pytest.raises(InputError, match="row 2, column 'code': unknown gemeente code 'GG9999'"):
        areas.resolve("GG9999", "", **kwargs)


@pytest.mark.parametrize("header,expected", [
    (["Gemeentecode", "Indicator", "Jaar", "Teller", "Noemer"], True),
    (["gemeente_naam", "INDICATOR NAAM", "periode", "percentage"], True),
    (["Regio code", "Jaar", "Teller", "Noemer"], False),
    (["Gemeente", "Indicatornaam", "Periode", "Percentage"], True),
    (["gem2022", "indicator", "jaar", "waarde"], True),
    (["gem2023", "jaar", "n_1", "n_0"], False),
    (["Gemeentecode", "Gemeentenaam", "Periode", "Totaal geboren (>= 22 wk)"], False),
])
def test_long_layout_header_synonyms(header: list[str], expected: bool) -> None:
    from pipeline.ingest import long_layout

    assert long_layout.recognise(header) is expected


def test_long_layout_with_names_and_dutch_titles(tmp_path: Path) -> None:
    path = tmp_path / "export.csv"
    path.write_text(
        "Gemeentenaam,Indicator,Periode,Percentage\n"
        "Súdwest-Fryslân,Geboorten zonder kraamzorg,2019 - 2023,\"3,5\"\n"
        "Weesp,geen_kraamzorg,2021,4.0\n"
        "Amsterdam,Geboorten zonder kraamzorg,2021,NA\n", "utf-8")
    frame = rivm_kansrijke_start.land([path])["observations"].to_pandas()
    assert frame["area_code"].tolist() == ["GM1900", "GM0457", "GM0363"]
    assert frame["area_name"].tolist() == ["Súdwest-Fryslân", "Weesp", "Amsterdam"]
    assert frame["value"].tolist()[:2] == [3.5, 4.0] and pd.isna(frame["value"].iloc[2])
    assert _markers(frame) == [None, None, "NA"]
    assert set(frame["classification_year"]) == {2021}  # Weesp last existed in 2021
    assert frame["period_label"].iloc[0] == "2019 - 2023"
