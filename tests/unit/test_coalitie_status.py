"""Tests for the coalition self-assessment source: templates, land() validation, demo payload."""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import openpyxl
import pandas as pd
import pytest

from pipeline import demo_coalitie
from pipeline.config import REPO_ROOT
from pipeline.errors import InputError
from pipeline.ingest import coalitie_status as cs
from pipeline.ingest.parsing import read_cells

TEMPLATES = REPO_ROOT / "data" / "inbox" / "templates"
TEMPLATE_CSV = TEMPLATES / f"{demo_coalitie.TEMPLATE_STEM}.csv"
TEMPLATE_XLSX = TEMPLATES / f"{demo_coalitie.TEMPLATE_STEM}.xlsx"
HEADERS = cs.template_headers()


def answers(**overrides: str) -> dict[str, str]:
    """A complete template row (as header → cell text) for Amsterdam 2024, with overrides."""
    row = dict.fromkeys(HEADERS, "")
    row |= {cs.CODE: "GM0363", cs.NAME: "Amsterdam", cs.YEAR: "2024",
            cs.DATE: "15-03-2025", cs.COALITION: "ja", cs.KETENREGISSEUR: "ja"}
    row |= dict.fromkeys(cs.REQUIREMENT_HEADERS, "ja")
    row |= dict.fromkeys(cs.INTERVENTIONS.values(), "nee")
    row |= overrides
    return row


def write_csv(path: Path, rows: list[dict[str, str]], sep: str = ";",
              encoding: str = "utf-8-sig", headers: list[str] = HEADERS) -> Path:
    lines = [sep.join(headers)] + [sep.join(r.get(h, "") for h in headers) for r in rows]
    path.write_bytes(("\r\n".join(lines) + "\r\n").encode(encoding))
    return path


def land_frame(*paths: Path) -> pd.DataFrame:
    tables = cs.land(list(paths))
    assert list(tables) == ["assessments"]
    assert tables["assessments"].schema.equals(cs.ASSESSMENTS_SCHEMA)
    return tables["assessments"].to_pandas()


# --------------------------------------------------------------------------------------------
# shipped templates


def test_shipped_templates_are_what_the_code_writes(tmp_path: Path) -> None:
    written = demo_coalitie.write_templates(tmp_path)
    assert {p.name for p in written} == {TEMPLATE_CSV.name, TEMPLATE_XLSX.name, "README.md"}
    for path in written:
        assert path.read_bytes() == (TEMPLATES / path.name).read_bytes(), path.name


def test_csv_template_filled_in_round_trips(tmp_path: Path) -> None:
    text = TEMPLATE_CSV.read_bytes().decode("utf-8-sig")
    header = text.splitlines()[0].split(";")
    assert header == HEADERS
    rows = [answers(), answers(**{cs.CODE: "", cs.NAME: "súdwest-fryslân", cs.YEAR: "2023",
                                  cs.DATE: "2023-11-30", "Toelichting eis 3": "In ontwikkeling",
                                  cs.REQUIREMENT_HEADERS[2]: "Deels",
                                  cs.REQUIREMENT_HEADERS[8]: ""})]
    filled = tmp_path / "ingevuld.csv"
    body = "\r\n".join(";".join(r[h] for h in header) for r in rows) + "\r\n"
    filled.write_bytes(TEMPLATE_CSV.read_bytes() + body.encode("utf-8"))
    frame = land_frame(filled)
    assert list(frame.gemeente_code) == ["GM0363", "GM1900"]
    assert list(frame.assessment_year) == [2024, 2023]
    assert list(frame.assessment_date) == [dt.date(2025, 3, 15), dt.date(2023, 11, 30)]
    second = frame.iloc[1]
    assert second.eis_3 == "deels" and second.eis_3_toelichting == "In ontwikkeling"
    assert pd.isna(second.eis_9)  # empty is unknown, never 'nee'
    assert pd.isna(second.published_code) and second.published_name == "súdwest-fryslân"
    assert list(frame.source_row) == [2, 3]
    assert (frame.interventie_voorzorg == "nee").all() and (frame.lokale_coalitie == "ja").all()


def test_xlsx_template_filled_in_round_trips(tmp_path: Path) -> None:
    workbook = openpyxl.load_workbook(TEMPLATE_XLSX)
    sheet = workbook["Zelfevaluatie"]
    header_row = next(r for r in range(1, 10) if sheet.cell(r, 1).value == cs.CODE)
    assert header_row > 1  # the template has title rows above the header
    assert "Toelichting" in workbook.sheetnames
    rows = [answers(), answers(**{cs.CODE: "GM0014", cs.NAME: "Groningen",
                                  cs.REQUIREMENT_HEADERS[0]: "nee", cs.KETENREGISSEUR: ""})]
    for offset, row in enumerate(rows, start=1):
        for column, name in enumerate(HEADERS, start=1):
            value: object = row[name] or None
            if name == cs.DATE:
                value = dt.datetime(2025, 3, 15)  # a real Excel date cell
            elif name == cs.YEAR:
                value = int(row[name])
            sheet.cell(header_row + offset, column, value)
    filled = tmp_path / "ingevuld.xlsx"
    workbook.save(filled)
    frame = land_frame(filled)
    assert list(frame.gemeente_code) == ["GM0363", "GM0014"]
    assert list(frame.source_row) == [header_row + 1, header_row + 2]
    assert frame.assessment_date.iloc[1] == dt.date(2025, 3, 15)
    assert frame.eis_1.iloc[1] == "nee" and pd.isna(frame.regionale_ketenregisseur.iloc[1])


def test_headers_match_case_and_space_insensitively(tmp_path: Path) -> None:
    headers = [h.upper().replace(" ", "  ") for h in HEADERS]
    headers[HEADERS.index(cs.REQUIREMENT_HEADERS[4])] = "eis 5: minder onbedoeld zwanger"
    row = {new: answers()[old] for new, old in zip(headers, HEADERS, strict=True)}
    path = write_csv(tmp_path / "a.csv", [row], sep=",", encoding="cp1252", headers=headers)
    frame = land_frame(path)
    assert frame.eis_5.iloc[0] == "ja" and frame.gemeente_code.iloc[0] == "GM0363"


def test_recognise() -> None:
    assert cs.recognise(HEADERS)
    assert cs.recognise([h.lower() for h in HEADERS if h != cs.CODE])
    assert not cs.recognise([h for h in HEADERS if h != cs.REQUIREMENT_HEADERS[8]])
    assert not cs.recognise(["Gemeentecode", "Gemeentenaam", "Periode", "Big2 (n)"])
    assert not cs.recognise(["gem2023", "jaar", "n_1", "n_0"])


def test_cp1252_names_and_answer_spellings(tmp_path: Path) -> None:
    rows = [answers(**{cs.CODE: "", cs.NAME: "Noardeast-Fryslân", cs.COALITION: " JA ",
                       cs.REQUIREMENT_HEADERS[1]: "gedeeltelijk",
                       cs.REQUIREMENT_HEADERS[2]: "onbekend"}),
            answers(**{cs.CODE: "363", cs.NAME: "", cs.YEAR: "2023", cs.DATE: "1/12/2023"}),
            answers(**{cs.CODE: "", cs.NAME: "Den Haag"})]
    frame = land_frame(write_csv(tmp_path / "w.csv", rows, sep=",", encoding="cp1252"))
    assert list(frame.gemeente_code) == ["GM1970", "GM0363", "GM0518"]
    assert frame.lokale_coalitie.iloc[0] == "ja" and frame.eis_2.iloc[0] == "deels"
    assert pd.isna(frame.eis_3.iloc[0])
    assert frame.assessment_date.iloc[1] == dt.date(2023, 12, 1)


# --------------------------------------------------------------------------------------------
# validation failures: one line naming file, row, column and what was expected


BAD = [
    ({cs.CODE: "GM9999", cs.NAME: ""}, cs.CODE, "unknown gemeente code 'GM9999'"),
    ({cs.CODE: "", cs.NAME: "Atlantis"}, cs.NAME, "unknown gemeente 'Atlantis'"),
    ({cs.CODE: "GM0501", cs.NAME: ""}, cs.CODE, "GM1992 Voorne aan Zee"),
    ({cs.CODE: "GM0363", cs.NAME: "Rotterdam"}, cs.NAME, "does not match code GM0363"),
    ({cs.CODE: "", cs.NAME: ""}, cs.CODE, "expected a Gemeentecode or a Gemeentenaam"),
    ({cs.REQUIREMENT_HEADERS[3]: "misschien"}, cs.REQUIREMENT_HEADERS[3],
     "expected ja / deels / nee"),
    ({"VoorZorg": "deels"}, "VoorZorg", "expected ja / nee"),
    ({cs.COALITION: "1"}, cs.COALITION, "expected ja / deels / nee"),
    ({cs.DATE: "31-02-2024"}, cs.DATE, "expected a date"),
    ({cs.DATE: ""}, cs.DATE, "expected a date"),
    ({cs.DATE: "2019-05-01"}, cs.DATE, "within a year of Jaar 2024"),
    ({cs.YEAR: "24"}, cs.YEAR, "expected a year"),
]


@pytest.mark.parametrize(("overrides", "column", "expected"), BAD,
                         ids=[f"{b[1]}-{i}" for i, b in enumerate(BAD)])
def test_invalid_cell_names_file_row_column(tmp_path: Path, overrides: dict, column: str,
                                            expected: str) -> None:
    path = write_csv(tmp_path / "zelfevaluatie.csv", [answers(**{cs.CODE: "GM0014",
                                                                  cs.NAME: "Groningen"}),
                                                      answers(**overrides)])
    with pytest.raises(InputError) as info:
        cs.land([path])
    message = str(info.value)
    assert message.startswith(f"zelfevaluatie.csv row 3, column {column!r}:"), message
    assert expected in message and "\n" not in message


def test_duplicate_gemeente_year_across_files(tmp_path: Path) -> None:
    first = write_csv(tmp_path / "a.csv", [answers()])
    second = write_csv(tmp_path / "b.csv", [answers(**{cs.CODE: "GM0014", cs.NAME: ""}),
                                            answers(**{cs.CODE: "", cs.NAME: "amsterdam"})])
    with pytest.raises(InputError) as info:
        cs.land([second, first])
    message = str(info.value)
    assert message.startswith("b.csv row 3, column 'Jaar': a second assessment of GM0363")
    assert "a.csv row 2" in message and "one row per gemeente per year" in message


def test_same_gemeente_in_two_years_is_fine(tmp_path: Path) -> None:
    rows = [answers(), answers(**{cs.YEAR: "2023", cs.DATE: "2024-01-10"})]
    path = write_csv(tmp_path / "a.csv", rows)
    assert len(land_frame(path)) == 2


def test_missing_requirement_column_is_named(tmp_path: Path) -> None:
    headers = [h for h in HEADERS if h != cs.REQUIREMENT_HEADERS[4]]
    headers.append("Eis 50 iets anders")
    path = write_csv(tmp_path / "a.csv", [answers()], headers=headers)
    with pytest.raises(InputError) as info:
        cs.land([path])
    assert str(info.value).startswith("a.csv row 1: missing column 'Eis 5 Doel minder onbedoelde "
                                      "zwangerschappen' (a header starting with 'Eis 5'")


def test_missing_intervention_column_is_named(tmp_path: Path) -> None:
    path = write_csv(tmp_path / "a.csv", [answers()],
                     headers=[h for h in HEADERS if h != "VoorZorg"])
    with pytest.raises(InputError, match=r"a.csv row 1: missing column 'VoorZorg'"):
        cs.land([path])


def test_unrelated_file_is_not_read_as_template(tmp_path: Path) -> None:
    path = tmp_path / "iets.csv"
    path.write_text("gem2023;jaar;n_1;n_0\nGM0363;2023;12;100\n", encoding="utf-8")
    with pytest.raises(InputError, match="iets.csv: unrecognised layout"):
        cs.land([path])


def test_template_without_rows_is_an_error(tmp_path: Path) -> None:
    shutil.copy(TEMPLATE_CSV, tmp_path / "leeg.csv")
    with pytest.raises(InputError, match="no assessment rows"):
        cs.land([tmp_path / "leeg.csv"])


# --------------------------------------------------------------------------------------------
# demo payload


@pytest.fixture(scope="module")
def demo_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("coalitie-demo")
    demo_coalitie.generate(out)
    return out


def test_demo_is_deterministic_and_committed(demo_dir: Path, tmp_path: Path) -> None:
    again = demo_coalitie.generate(tmp_path / "again")
    committed = REPO_ROOT / "data" / "demo" / "coalitie_status"
    for path in again:
        assert path.read_bytes() == (demo_dir / path.name).read_bytes(), path.name
        assert path.read_bytes() == (committed / path.name).read_bytes(), path.name
    assert {p.name for p in committed.iterdir()} == {p.name for p in again}


def test_demo_is_labelled_and_lands(demo_dir: Path) -> None:
    files = sorted(p for p in demo_dir.iterdir() if p.name != "README.md")
    assert {p.suffix for p in files} == {".csv", ".xlsx"}
    for path in files:
        cells = read_cells(path)
        assert demo_coalitie.DEMO_LABEL in cells.rows[0][0], path.name
    frame = land_frame(*files)
    assert (frame.opmerkingen == demo_coalitie.DEMO_LABEL).all()
    per_year = frame.groupby("assessment_year").gemeente_code.nunique()
    assert list(per_year.index) == list(demo_coalitie.YEARS)
    assert ((per_year > 250) & (per_year < 342)).all()  # some gemeenten without assessment
    share_all = frame.assign(all_nine=(frame[[f"eis_{n}" for n in range(1, 10)]] == "ja")
                             .all(axis=1)).groupby("assessment_year").all_nine.mean()
    assert share_all.is_monotonic_increasing and share_all.iloc[0] < share_all.iloc[-1]
    assert frame[[f"eis_{n}" for n in range(1, 10)]].isna().any().any()  # some unknown
    assert frame.published_code.isna().sum() == per_year[2022]  # 2022 file: names only
