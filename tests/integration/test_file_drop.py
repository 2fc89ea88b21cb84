"""File-drop ingest: a corpus of messy files (layout × separator × encoding × marker), bad input,
inbox routing and pick-up, and the command line (verify, a bad drop, a round trip)."""

from __future__ import annotations

import csv
import hashlib
import io
import stat
from collections.abc import Callable
from pathlib import Path

import openpyxl
import pandas as pd
import pytest

from pipeline import manifest, registry
from pipeline.config import Settings, load_settings
from pipeline.errors import InputError
from pipeline.ingest import (
    coalitie_status,
    inbox,
    perined_kerncijfers,
    rivm_kansrijke_start,
    rivm_vaccinatiegraad,
)
from pipeline.ingest.runner import ingest_all, ingest_source
from tests.conftest import REPO, run_cli

MARKERS = ["<10", "", ".", "x", "-", "NA"]
ENCODINGS = ["utf-8", "utf-8-sig", "cp1252", "cp850"]
FORMATS = [(",", "."), (";", ","), (",", ",")]  # separator, decimal mark
# gemeente code, name, events, total — the third row is suppressed in every layout
ROWS = [("1900", "Súdwest-Fryslân", 123, 4690), ("518", "'s-Gravenhage", 1045, 5000),
        ("1970", "Noardeast-Fryslân", None, 87), ("80", "Leeuwarden", 400, 1600)]
PERINED_COUNTS = ["Vroeggeboorte < 37 wk", "SGA < p10", "Big2", "Start zorg na 10 wk"]


def _number(value: float, decimal: str) -> str:
    text = f"{value:.1f}" if value % 1 else f"{int(value)}"
    return text.replace(".", decimal)


def _rivm(marker: str, decimal: str) -> list[list[str]]:
    rows = [["gem2023", "gemeentenaam", "jaar", "n_1", "n_0"]]
    for code, name, events, total in ROWS:
        counts = [marker, marker] if events is None else [str(events), str(total - events)]
        rows.append([code, name, "2021", *counts])
    return rows


def _long(marker: str, decimal: str) -> list[list[str]]:
    rows = [["Gemeente code", "Gemeentenaam", "Indicator", "Periode", "Teller", "Noemer",
             "Percentage"]]
    for code, name, events, total in ROWS:
        figures = ([marker] * 3 if events is None else
                   [str(events), str(total), _number(round(100 * events / total, 1), decimal)])
        rows.append([f"GM{int(code):04d}", name, "roken_vrouwen_19_45", "2019-2021", *figures])
    return rows


def _perined(marker: str, decimal: str) -> list[list[str]]:
    header = ["Gemeentecode", "Gemeentenaam", "Periode", "Totaal geboren (>= 22 wk)",
              "Vroeggeboorte < 37 wk (n)", "Vroeggeboorte < 37 wk (%)", "SGA < p10 (n)",
              "SGA < p10 (%)", "Geboren >= 24 wk (n)", "Big2 (n)", "Big2 (%)",
              "Perinatale sterfte (n)", "Perinatale sterfte (promille)",
              "Zwangerschappen >= 24 wk (n)", "Start zorg na 10 wk (n)", "Start zorg na 10 wk (%)"]
    rows = [header]
    for code, name, events, total in ROWS:
        def pair(n: int, d: int, mult: int = 100, hidden: bool = events is None) -> list[str]:
            return [marker, marker] if hidden else [str(n), _number(round(mult * n / d, 1),
                                                                    decimal)]

        e = events or 0
        rows.append([f"GM{int(code):04d}", name, "2022-2024", str(total), *pair(e, total),
                     *pair(e // 2, total), str(total - 1), *pair(e, total - 1),
                     *pair(e // 20, total, 1000), str(total - 2), *pair(e // 3, total - 2)])
    return rows


def _vaccination(marker: str, decimal: str) -> list[list[str]]:
    rows = [["gemnr", "Gemnaam", "2012", "2013"]]
    for code, name, events, total in ROWS:
        second = marker if events is None else _number(round(100 * events / total, 1), decimal)
        rows.append([code, name, _number(97.5, decimal), second])
    return rows


LAYOUTS: dict[str, tuple[Callable, object, str]] = {  # rows, module, file name
    "rivm": (_rivm, rivm_kansrijke_start, "roken_vrouwen_19_45_gem2023"),
    "long": (_long, rivm_kansrijke_start, "regiobeeld_export"),
    "perined": (_perined, perined_kerncijfers, "perined_kerncijfers"),
    "vaccination": (_vaccination, rivm_vaccinatiegraad, "vaccinatiegraad_bmr"),
}


def _write_csv(path: Path, rows: list[list[str]], sep: str, encoding: str) -> Path:
    buffer = io.StringIO()
    csv.writer(buffer, delimiter=sep, lineterminator="\r\n").writerows(rows)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(buffer.getvalue().encode(encoding))
    return path


def _write_xlsx(path: Path, rows: list[list[str]]) -> Path:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["Titel van de download (DEMO)"])
    sheet.append(["Bron: test", None, "peildatum 2024"])
    for row in rows:
        sheet.append([int(c) if c.isdigit() else c for c in row])
    path.parent.mkdir(parents=True, exist_ok=True)
    book.save(path)
    return path


def _land(module: object, path: Path) -> pd.DataFrame:
    frame = module.land([path])["observations"].to_pandas()
    return frame.drop(columns=["source_row"])


@pytest.mark.parametrize("marker", MARKERS)
@pytest.mark.parametrize("layout", list(LAYOUTS))
def test_messy_files_land_alike_and_markers_never_become_zero(tmp_path: Path, layout: str,
                                                              marker: str) -> None:
    make, module, stem = LAYOUTS[layout]
    frames = []
    for sep, decimal in FORMATS:
        for encoding in ENCODINGS:
            folder = tmp_path / f"{ord(sep)}-{ord(decimal)}-{encoding}"
            path = _write_csv(folder / f"{stem}.csv", make(marker, decimal), sep, encoding)
            frames.append(_land(module, path))
    xlsx = _land(module, _write_xlsx(tmp_path / "x" / f"{stem}.xlsx", make(marker, ".")))
    for frame in [*frames[1:], xlsx.assign(source_file=frames[0]["source_file"])]:
        pd.testing.assert_frame_equal(frames[0], frame)
    frame = frames[0]
    marked = frame[frame["marker"].notna()]
    assert len(marked) > 0 and set(marked["marker"]) == {marker}
    for column in ("numerator", "non_events", "value"):
        assert marked[column].isna().all(), column
    published = frame[frame["marker"].isna()]
    assert (published[["numerator", "value"]].notna().any(axis=1)).all()
    assert not (published[["numerator", "value"]] == 0).any().any()


def test_each_layout_lands_the_right_numbers(tmp_path: Path) -> None:
    rivm = _land(rivm_kansrijke_start, _write_csv(
        tmp_path / "a" / "roken_vrouwen_19_45_gem2023.csv", _rivm("<10", "."), ";", "cp850"))
    assert rivm[["area_code", "numerator", "non_events"]].iloc[0].tolist() == ["1900", 123, 4567]
    assert rivm["area_name"].iloc[0] == "Súdwest-Fryslân"
    long = _land(rivm_kansrijke_start, _write_csv(tmp_path / "b" / "export.csv",
                                                  _long("x", ","), ";", "cp1252"))
    assert long[["area_code", "numerator", "denominator", "value"]].iloc[1].tolist() == [
        "GM0518", 1045, 5000, 20.9]
    assert set(long["indicator_code"]) == {"roken_vrouwen_19_45"}
    assert (long["classification_year"] == 2025).all()
    vacc = _land(rivm_vaccinatiegraad, _write_csv(tmp_path / "c" / "v.csv",
                                                  _vaccination("", ","), ";", "cp850"))
    assert vacc["value"].tolist()[:2] == [97.5, 2.6]


# --------------------------------------------------------------------------------------------
# bad input: one line naming file, row, column and what was expected


def _csv(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text, "utf-8")
    return path


LONG_HEADER = "gemeentecode;gemeentenaam;indicator;jaar;teller;noemer\n"
BAD = {
    "numerator_above_denominator": (
        rivm_kansrijke_start, "export.csv",
        LONG_HEADER + "GM0363;Amsterdam;geen_kraamzorg;2023;60;50\n",
        "export.csv row 2, column 'teller': expected a numerator no larger than the "
        "denominator ('noemer' = 50), got 60"),
    "perined_count_above_total": (
        perined_kerncijfers, "perined.csv",
        ";".join(_perined("<10", ",")[0]) + "\n"
        "GM0363;Amsterdam;2023;100;101;9,9;5;5,0;99;20;20,2;1;10;98;10;10,2\n",
        "perined.csv row 2, column 'Vroeggeboorte < 37 wk (n)': expected a count no larger "
        "than 'Totaal geboren (>= 22 wk)' (100), got 101"),
    "negative_count": (
        rivm_kansrijke_start, "export.csv",
        LONG_HEADER + "GM0363;Amsterdam;geen_kraamzorg;2023;-5;50\n",
        "export.csv row 2, column 'teller': expected a count (a whole number >= 0) or a "
        "suppression marker, got '-5'"),
    "duplicate_key": (
        rivm_kansrijke_start, "geen_kraamzorg_gem2023.csv",
        "gem2023;jaar;n_1;n_0\n363;2023;20;300\n14;2023;30;400\nGM0363;2023;21;301\n",
        "geen_kraamzorg_gem2023.csv row 4: duplicate key (indicator 'geen_kraamzorg', area "
        "'GM0363', period '2023'); expected one row per indicator, area and period, also in "
        "geen_kraamzorg_gem2023.csv row 2"),
    "unknown_code": (
        rivm_kansrijke_start, "geen_kraamzorg_gem2023.csv",
        "gem2023;jaar;n_1;n_0\n363;2023;20;300\n9999;2023;30;400\n",
        "geen_kraamzorg_gem2023.csv row 3, column 'gem2023': unknown gemeente code '9999' "
        "(expected a CBS gemeente code of 1981–2025, NL01 or a GGD-regio/provincie code)"),
    "unknown_name": (
        rivm_kansrijke_start, "export.csv",
        LONG_HEADER.replace("gemeentecode;", "") + "Atlantis;geen_kraamzorg;2023;6;50\n",
        "export.csv row 2, column 'gemeentenaam': unknown gemeente name 'Atlantis'"),
    "code_and_name_disagree": (
        rivm_kansrijke_start, "export.csv",
        LONG_HEADER + "GM0363;Rotterdam;geen_kraamzorg;2023;6;50\n",
        "export.csv row 2, columns 'gemeentecode' and 'gemeentenaam': code 'GM0363' and name "
        "'Rotterdam' are different gemeenten"),
    "unknown_indicator": (
        rivm_kansrijke_start, "export.csv",
        LONG_HEADER + "GM0363;Amsterdam;rookgedrag;2023;6;50\n",
        "export.csv row 2, column 'indicator': unknown indicator 'rookgedrag'"),
    "indicator_of_another_source": (
        rivm_kansrijke_start, "export.csv",
        LONG_HEADER + "GM0363;Amsterdam;Big2 (vroeggeboorte en/of laag geboortegewicht);"
        "2023;6;50\n",
        "ingest this file with --source perined_kerncijfers"),
    "bad_period": (
        rivm_kansrijke_start, "export.csv",
        LONG_HEADER + "GM0363;Amsterdam;geen_kraamzorg;2023-2019;6;50\n",
        "export.csv row 2, column 'jaar': expected a year such as 2023 or a period such as "
        "2019-2023, got '2023-2019'"),
    "percentage_out_of_range": (
        rivm_vaccinatiegraad, "vacc.csv", "gemnr;Gemnaam;2013\n363;Amsterdam;101,5\n",
        "vacc.csv row 2, column '2013': expected a percentage between 0 and 100, got '101,5'"),
    "indicator_not_in_file_name": (
        rivm_kansrijke_start, "download.csv", "gem2023;jaar;n_1;n_0\n363;2023;20;300\n",
        "download.csv: cannot tell the indicator from the file name"),
    "unknown_layout": (
        rivm_kansrijke_start, "geen_kraamzorg.csv", "regio;waarde\nGM0363;12\n",
        "geen_kraamzorg.csv: unrecognised layout: no header row with columns 'gemYYYY', "
        "'jaar', 'n_1' and 'n_0', nor the long layout"),
    "empty_file": (perined_kerncijfers, "leeg.csv", "  \n", "leeg.csv: the file is empty"),
}


@pytest.mark.parametrize("case", list(BAD))
def test_bad_input_is_one_line_naming_file_row_and_column(tmp_path: Path, case: str) -> None:
    module, name, text, expected = BAD[case]
    with pytest.raises(InputError) as info:
        module.land([_csv(tmp_path, name, text)])
    message = str(info.value)
    assert expected in message and "\n" not in message


def test_damaged_workbook_is_bad_input(tmp_path: Path) -> None:
    path = tmp_path / "geen_kraamzorg_gem2023.xlsx"
    path.write_bytes(b"PK\x03\x04 not really a workbook")
    with pytest.raises(InputError, match="cannot be read as an Excel workbook"):
        rivm_kansrijke_start.land([path])


# --------------------------------------------------------------------------------------------
# the inbox


def test_inbox_recognises_each_layout_by_its_header(tmp_path: Path) -> None:
    expected = {"rivm": "rivm_kansrijke_start", "long": "rivm_kansrijke_start",
                "perined": "perined_kerncijfers", "vaccination": "rivm_vaccinatiegraad"}
    for layout, (make, _, stem) in LAYOUTS.items():
        path = _write_csv(tmp_path / layout / f"{stem}.csv", make("<10", ","), ";", "cp850")
        assert inbox.route(path).source_id == expected[layout], layout
        xlsx = _write_xlsx(tmp_path / layout / f"{stem}.xlsx", make("<10", "."))
        assert inbox.route(xlsx).source_id == expected[layout], layout
    perined_long = _write_csv(tmp_path / "pl.csv", [["Gemeentenaam", "Indicator", "Jaar",
                                                     "Teller", "Noemer"],
                                                    ["Leeuwarden", "big2", "2023", "12", "99"]],
                              ",", "utf-8")
    assert inbox.route(perined_long).source_id == "perined_kerncijfers"
    template = _write_csv(tmp_path / "coalitie.csv", [coalitie_status.template_headers()], ";",
                          "utf-8")
    assert inbox.route(template).source_id == "coalitie_status"


def test_inbox_says_what_it_expected_for_an_unknown_file(tmp_path: Path) -> None:
    odd = _write_csv(tmp_path / "odd.csv", [["regio", "waarde"], ["GM0363", "1"]], ";", "utf-8")
    with pytest.raises(InputError) as info:
        inbox.route(odd)
    message = str(info.value)
    assert message.startswith("inbox/odd.csv: unrecognised layout") and "\n" not in message
    assert "gemYYYY, jaar, n_1, n_0" in message and "long layout" in message
    pdf = tmp_path / "rapport.pdf"
    pdf.write_bytes(b"%PDF-1.4")
    with pytest.raises(InputError, match=r"inbox/rapport.pdf: expected a \.csv"):
        inbox.route(pdf)
    mixed = _write_csv(tmp_path / "mixed.csv", [["gemeentecode", "indicator", "jaar", "teller"],
                                                ["GM0363", "big2", "2023", "12"],
                                                ["GM0363", "geen_kraamzorg", "2023", "12"]],
                       ",", "utf-8")
    with pytest.raises(InputError, match="fits several sources"):
        inbox.route(mixed)


def _rivm_file(folder: Path, name: str, n1: int = 20) -> Path:
    rows = [["gem2023", "jaar", "n_1", "n_0"], ["363", "2023", str(n1), "300"],
            ["14", "2023", "<10", "<10"]]
    return _write_csv(folder / name, rows, ",", "utf-8")


def _live(tmp_path: Path) -> Settings:
    settings = load_settings(tmp_path / "data", "live")
    settings.inbox_dir.mkdir(parents=True)
    return settings


def _rivm_snapshots(settings: Settings) -> list[manifest.Snapshot]:
    return [s for s in manifest.read_manifest(settings) if s.source_id == "rivm_kansrijke_start"]


def test_inbox_pick_up_accumulates_replaces_and_archives(tmp_path: Path) -> None:
    settings = _live(tmp_path)
    box = settings.inbox_dir
    _rivm_file(box, "geen_kraamzorg_gem2023.csv")
    _rivm_file(box, "roken_vrouwen_19_45_gem2023.csv")
    wanted = ["rivm_kansrijke_start", "perined_kerncijfers"]
    first = {r.source_id: r for r in ingest_all(settings, wanted)}
    rivm = first["rivm_kansrijke_start"]
    assert rivm.new_snapshot and rivm.rows == {"observations": 4}
    assert "from inbox" in rivm.note
    assert first["perined_kerncijfers"].note.startswith("no file yet: skipped")
    assert inbox.pending(settings) == []
    archived = box / "processed" / "rivm_kansrijke_start" / rivm.snapshot_id
    assert sorted(p.name for p in archived.iterdir()) == [
        "geen_kraamzorg_gem2023.csv", "roken_vrouwen_19_45_gem2023.csv"]
    # a new indicator adds to the snapshot; a new version of one replaces only that one
    _rivm_file(box, "meervoudige_kwetsbaarheid_gem2023.csv")
    second = ingest_all(settings, ["rivm_kansrijke_start"])[0]
    _rivm_file(box, "DEMO_geen_kraamzorg_gem2025.csv", n1=25)
    third = ingest_all(settings, ["rivm_kansrijke_start"])[0]
    snaps = {s.snapshot_id: s for s in _rivm_snapshots(settings)}
    assert sorted(f.path for f in snaps[second.snapshot_id].files) == [
        "geen_kraamzorg_gem2023.csv", "meervoudige_kwetsbaarheid_gem2023.csv",
        "roken_vrouwen_19_45_gem2023.csv"]
    files = {f.path: f for f in snaps[third.snapshot_id].files}
    assert sorted(files) == ["DEMO_geen_kraamzorg_gem2025.csv",
                             "meervoudige_kwetsbaarheid_gem2023.csv",
                             "roken_vrouwen_19_45_gem2023.csv"]
    assert files["roken_vrouwen_19_45_gem2023.csv"].origin.startswith("carried over from")
    # the same file again: nothing new, still archived
    _rivm_file(box, "meervoudige_kwetsbaarheid_gem2023.csv")
    again = ingest_all(settings, ["rivm_kansrijke_start"])[0]
    assert (again.snapshot_id, again.new_snapshot, again.parsed) == (
        third.snapshot_id, False, False)
    assert inbox.pending(settings) == [] and len(_rivm_snapshots(settings)) == 3
    # nothing in the inbox: the active snapshot is kept
    kept = ingest_all(settings, ["rivm_kansrijke_start"])[0]
    assert kept.snapshot_id == third.snapshot_id and kept.note.startswith("no new file")


def test_a_rejected_drop_stays_in_the_inbox_and_never_becomes_active(tmp_path: Path) -> None:
    settings = _live(tmp_path)
    _rivm_file(settings.inbox_dir, "geen_kraamzorg_gem2023.csv")
    accepted = ingest_all(settings, ["rivm_kansrijke_start"])[0]
    bad = _write_csv(settings.inbox_dir / "roken_vrouwen_19_45_gem2023.csv",
                     [["gem2023", "jaar", "n_1", "n_0"], ["363", "2023", "abc", "300"]], ",",
                     "utf-8")
    for _ in range(2):  # the same bad file twice: one piece of evidence
        with pytest.raises(InputError) as info:
            ingest_all(settings, ["rivm_kansrijke_start"])
        assert str(info.value).startswith("roken_vrouwen_19_45_gem2023.csv row 2, column 'n_1'")
        assert f"active snapshot unchanged: {accepted.snapshot_id}" in str(info.value)
    assert bad.exists()
    snaps = _rivm_snapshots(settings)
    assert [s.status for s in snaps] == ["accepted", "rejected"]
    rejected = snaps[1]
    assert not rejected.active and "expected a count" in rejected.note
    assert {f.path for f in rejected.files} == {"geen_kraamzorg_gem2023.csv",
                                                "roken_vrouwen_19_45_gem2023.csv"}
    assert manifest.active_snapshot(settings, "rivm_kansrijke_start").snapshot_id == (
        accepted.snapshot_id)
    assert manifest.verify(settings) == []


def test_given_file_with_indicator_option(tmp_path: Path) -> None:
    settings = _live(tmp_path)
    path = _rivm_file(tmp_path, "export.csv")
    spec = registry.get("rivm_kansrijke_start")
    with pytest.raises(InputError, match="cannot tell the indicator"):
        ingest_source(settings, spec, files=[path])
    result = ingest_source(settings, spec, files=[path], indicator="uithuisplaatsing_0_2")
    snap = manifest.active_snapshot(settings, "rivm_kansrijke_start")
    assert [f.path for f in snap.files] == ["uithuisplaatsing_0_2__export.csv"]
    assert snap.files[0].origin == str(path) and result.rows == {"observations": 2}
    assert path.exists()  # a given file is the user's: never moved


# --------------------------------------------------------------------------------------------
# the command line


def _sha(folder: Path) -> dict[str, str]:
    return {p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}


def test_verify_reports_tampering_through_the_cli(tmp_path: Path) -> None:
    data = tmp_path / "data"
    path = _rivm_file(tmp_path, "geen_kraamzorg_gem2023.csv")
    ingest = run_cli("ingest", "--mode", "live", "--source", "rivm_kansrijke_start", "--file",
                     str(path), data_dir=data)
    assert ingest.returncode == 0, ingest.stderr
    ok = run_cli("verify", data_dir=data)
    assert ok.returncode == 0 and "0 problem(s)" in ok.stdout
    snap = manifest.active_snapshot(load_settings(data, "live"), "rivm_kansrijke_start")
    folder = data / "raw" / "rivm_kansrijke_start" / snap.snapshot_id
    stored = folder / "geen_kraamzorg_gem2023.csv"
    assert not stored.stat().st_mode & (stat.S_IWUSR | stat.S_IWGRP | stat.S_IWOTH)
    folder.chmod(0o755)
    stored.chmod(0o644)
    stored.write_bytes(stored.read_bytes().replace(b"300", b"301"))
    (folder / "extra.csv").write_text("x")
    bad = run_cli("verify", data_dir=data)
    assert bad.returncode != 0
    lines = bad.stdout.strip().splitlines()
    assert any("geen_kraamzorg_gem2023.csv: sha256 differs" in line for line in lines)
    assert any("extra.csv: not in the manifest" in line for line in lines)
    assert "2 problem(s)" in lines[-1]


@pytest.mark.slow
def test_bad_drop_fails_the_live_refresh_and_changes_nothing_published(
        demo_build: Path) -> None:
    processed = (demo_build / "processed").resolve()
    before = _sha(processed)
    box = demo_build / "inbox"
    box.mkdir(exist_ok=True)
    bad = _write_csv(box / "geen_kraamzorg_gem2022.csv",
                     [["gem2022", "jaar", "n_1", "n_0"], ["363", "2022", "20", "300"],
                      ["457", "2022", "-4", "30"]], ";", "cp1252")
    try:
        result = run_cli("refresh", "--mode", "live", "--no-notebooks", data_dir=demo_build,
                         env={"KANSRIJK_CBS_ODATA_URL": "http://127.0.0.1:9"})
        assert result.returncode != 0
        message = result.stderr.strip().splitlines()[-1]
        assert message.startswith("error: geen_kraamzorg_gem2022.csv row 3, column 'n_1': "
                                  "expected a count (a whole number >= 0)"), message
        assert bad.exists()
        assert (demo_build / "processed").resolve() == processed and _sha(processed) == before
    finally:
        bad.unlink(missing_ok=True)


def _rivm_2022(path: Path) -> tuple[Path, dict[str, tuple[int, int]]]:
    """A RIVM monitor file in the 2022 classification for every gemeente (345)."""
    current = pd.read_csv(REPO / "data" / "reference" / "gemeenten_2025_ggd_provincie.csv",
                          dtype=str).gemeente_code.tolist()
    codes = sorted({c for c in current if c != "GM1992"} | {"GM0501", "GM0530", "GM0614",
                                                            "GM0457"})
    counts = {c: (20 + int(c[2:]) % 37, 400 + int(c[2:]) % 211) for c in codes}
    rows = [["", "gem2022", "jaar", "n_1", "n_0"]]
    rows += [[str(i), str(int(c[2:])), "2022", str(n1), str(n0)]
             for i, (c, (n1, n0)) in enumerate(counts.items(), start=1)]
    return _write_csv(path, rows, ",", "utf-8"), counts


@pytest.mark.slow
def test_round_trip_dropped_file_shows_up_in_indicator_values(tmp_path: Path) -> None:
    from tests.fixtures.cbs_server import CbsServer, Table

    data = tmp_path / "data"
    (data / "inbox").mkdir(parents=True)
    _, counts = _rivm_2022(data / "inbox" / "kansrijke_start_geen_kraamzorg_gem2022.csv")
    with CbsServer() as server:
        server.tables = {spec.api["table_id"]: Table.from_demo(sid)
                         for sid, spec in registry.load().items() if spec.kind == "cbs_odata"}
        result = run_cli("refresh", "--mode", "live", "--no-notebooks", "--no-exports",
                         data_dir=data, env={"KANSRIJK_CBS_ODATA_URL": server.url},
                         timeout=1800)
    assert result.returncode == 0, result.stderr[-2000:]
    values = pd.read_parquet(data / "processed" / "marts" / "indicator_values.parquet")
    kraamzorg = values[(values.indicator_id == "geen_kraamzorg")
                       & (values.period_start_year == 2022)].set_index("area_code")
    assert not values.is_demo.any()
    for code in ("GM0014", "GM0518", "GM0080"):
        n1, n0 = counts[code]
        assert kraamzorg.loc[code, ["numerator", "denominator"]].tolist() == [n1, n1 + n0]
        assert kraamzorg.loc[code, "source_classification_year"] == 2022
    merged = [counts[c] for c in ("GM0501", "GM0530", "GM0614")]
    assert kraamzorg.loc["GM1992", "numerator"] == sum(n1 for n1, _ in merged)
    assert kraamzorg.loc["GM1992", "denominator"] == sum(n1 + n0 for n1, n0 in merged)
    snap = manifest.active_snapshot(load_settings(data, "live"), "rivm_kansrijke_start")
    assert snap.snapshot_id in kraamzorg.loc["GM0014", "snapshot_ids"]
    assert list((data / "inbox" / "processed" / "rivm_kansrijke_start").iterdir())


def test_snapshot_records_the_classification_of_its_rows(tmp_path: Path) -> None:
    settings = _live(tmp_path)
    rows = [["gem2022", "jaar", "n_1", "n_0"], ["457", "2022", "20", "300"]]
    _write_csv(settings.inbox_dir / "geen_kraamzorg_gem2022.csv", rows, ",", "utf-8")
    ingest_all(settings, ["rivm_kansrijke_start"])
    snap = manifest.active_snapshot(settings, "rivm_kansrijke_start")
    assert registry.get("rivm_kansrijke_start").classification_year == 2023
    assert snap.classification_year == 2022
