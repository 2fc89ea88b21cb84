"""Live CBS ingest against a loopback OData server (real sockets): paging, faults, conditional
requests, measure keys resolved by title, v3 and v4, and snapshots that are all or nothing."""

from __future__ import annotations

import dataclasses
import json
import os
from pathlib import Path

import pandas as pd
import pyarrow.parquet as pq
import pytest

from pipeline import manifest, registry
from pipeline.config import USER_AGENT, Settings, load_settings
from pipeline.errors import InputError
from pipeline.http import FetchError
from pipeline.ingest import cbs_geboorten, cbs_odata
from pipeline.ingest.runner import ingest_source, landing_paths
from tests.conftest import run_cli
from tests.fixtures.cbs_server import CbsServer, Table

BIRTHS = "cbs_geboorten"
DEMO_ROWS = (1 + 12 + 342) * 10  # regions × years in the demo births table


@pytest.fixture(scope="module")
def tables() -> dict[str, Table]:
    return {spec.api["table_id"]: Table.from_demo(sid)
            for sid, spec in registry.load().items() if spec.kind == "cbs_odata"}


@pytest.fixture
def server(tables: dict[str, Table], monkeypatch: pytest.MonkeyPatch):  # noqa: ANN201
    with CbsServer() as srv:
        srv.tables = dict(tables)
        monkeypatch.setenv("KANSRIJK_CBS_ODATA_URL", srv.url)
        monkeypatch.setenv("KANSRIJK_CBS_ODATA4_URL", srv.url)
        monkeypatch.setenv("KANSRIJK_HTTP_CONNECT_TIMEOUT", "2")
        monkeypatch.setenv("KANSRIJK_HTTP_READ_TIMEOUT", "0.5")
        monkeypatch.setenv("KANSRIJK_HTTP_RETRIES", "2")
        monkeypatch.setenv("KANSRIJK_HTTP_BACKOFF", "0.01")
        yield srv


@pytest.fixture
def live(tmp_path: Path) -> Settings:
    return load_settings(tmp_path / "data", "live")


def _landed(settings: Settings, source_id: str) -> pd.DataFrame:
    snap = manifest.active_snapshot(settings, source_id)
    return pq.read_table(landing_paths(settings, snap)["observations"]).to_pandas()


def _snapshots(settings: Settings, source_id: str) -> list[manifest.Snapshot]:
    return [s for s in manifest.read_manifest(settings) if s.source_id == source_id]


def _no_leftovers(settings: Settings, source_id: str) -> bool:
    return not list((settings.raw_dir / source_id).glob(".tmp-*"))


def test_pages_are_followed_and_stored_as_one_snapshot(server: CbsServer, live: Settings) -> None:
    result = ingest_source(live, registry.get(BIRTHS))
    assert result.new_snapshot and result.rows == {"observations": DEMO_ROWS * 2}
    pages = server.requests_to("/TypedDataSet")
    assert len(pages) == 4  # 3550 records, 1000 per page
    assert [r["query"].count("$skip") for r in pages] == [0, 1, 1, 1]
    assert all(r["headers"]["User-Agent"] == USER_AGENT for r in server.log)
    snap = manifest.active_snapshot(live, BIRTHS)
    assert not snap.is_demo and snap.origin.startswith(server.url)
    names = sorted(f.path for f in snap.files)
    assert names == ["DataProperties.json", *(f"TypedDataSet_p{n:04d}.json" for n in range(1, 5))]
    assert all(f.origin.startswith(server.url) and f.etag for f in snap.files)
    frame = _landed(live, BIRTHS)
    assert not frame["area_code"].str.contains(" ").any()
    assert set(frame["period_label"]) == {str(y) for y in range(2015, 2025)}


def test_503_with_retry_after_is_honoured(server: CbsServer, live: Settings) -> None:
    server.fault("/TypedDataSet", "503", query="skip=2000", retry_after="1")
    result = ingest_source(live, registry.get(BIRTHS))
    assert result.new_snapshot
    tries = [r for r in server.requests_to("/TypedDataSet") if "skip=2000" in r["query"]]
    assert [r["status"] for r in tries] == [503, 200]
    assert tries[1]["time"] - tries[0]["time"] >= 0.9  # waited as asked, not the 0.01 s backoff


@pytest.mark.parametrize("kind", ["reset", "timeout", "truncate"])
def test_transient_faults_are_retried(server: CbsServer, live: Settings, kind: str) -> None:
    server.hang_seconds = 1.5
    server.fault("/TypedDataSet", kind, query="skip=1000")
    result = ingest_source(live, registry.get(BIRTHS))
    assert result.new_snapshot and result.rows == {"observations": DEMO_ROWS * 2}
    tries = [r for r in server.requests_to("/TypedDataSet") if "skip=1000" in r["query"]]
    assert [r["status"] for r in tries] == [kind, 200]


@pytest.mark.parametrize("kind", ["reset", "timeout", "truncate", "bad_json", "503"])
def test_a_page_that_never_arrives_leaves_no_snapshot(server: CbsServer, live: Settings,
                                                      kind: str) -> None:
    first = ingest_source(live, registry.get(BIRTHS))
    server.tables["37230ned"] = server.tables["37230ned"].renamed(
        "LevendGeborenKinderen_2", "LevendGeborenKinderen_58")  # new content, same figures
    server.hang_seconds = 1.0
    server.fault("/TypedDataSet", kind, times=5, query="skip=3000", retry_after="0")
    with pytest.raises(FetchError) as info:
        ingest_source(live, registry.get(BIRTHS))
    assert "skip=3000" in str(info.value) and "\n" not in str(info.value)
    assert [s.snapshot_id for s in _snapshots(live, BIRTHS)] == [first.snapshot_id]
    assert manifest.active_snapshot(live, BIRTHS).snapshot_id == first.snapshot_id
    assert _no_leftovers(live, BIRTHS)


def test_changed_measure_suffix_lands_the_same(server: CbsServer, live: Settings,
                                               tmp_path: Path) -> None:
    ingest_source(live, registry.get(BIRTHS))
    original = _landed(live, BIRTHS)
    other = load_settings(tmp_path / "other", "live")
    server.tables["37230ned"] = server.tables["37230ned"].renamed(
        "LevendGeborenKinderen_2", "LevendGeborenKinderen_58")
    ingest_source(other, registry.get(BIRTHS))
    changed = _landed(other, BIRTHS)
    props = json.loads((manifest.active_snapshot(other, BIRTHS).folder(other) /
                        "DataProperties.json").read_bytes())
    assert "LevendGeborenKinderen_58" in {p["Key"] for p in props["value"]}
    pd.testing.assert_frame_equal(original, changed)


def _boom(*args: object, **kwargs: object) -> None:
    raise AssertionError("land() must not run for an unchanged payload")


@pytest.mark.parametrize("validator", ["etag", "last_modified"])
def test_conditional_requests_create_no_snapshot_and_parse_nothing(
        server: CbsServer, live: Settings, monkeypatch: pytest.MonkeyPatch,
        validator: str) -> None:
    server.send_etag = validator == "etag"
    server.send_last_modified = validator == "last_modified"
    first = ingest_source(live, registry.get(BIRTHS))
    server.log.clear()
    with monkeypatch.context() as patch:
        patch.setattr(cbs_geboorten, "land", _boom)
        again = ingest_source(live, registry.get(BIRTHS))
    assert (again.snapshot_id, again.new_snapshot, again.parsed) == (
        first.snapshot_id, False, False)
    header = "If-None-Match" if validator == "etag" else "If-Modified-Since"
    assert all(header in r["headers"] for r in server.log)
    assert {r["status"] for r in server.log} == {304}
    server.tables["37230ned"].records[5]["LevendGeborenKinderen_2"] += 1
    server.modified_at += 3600
    changed = ingest_source(live, registry.get(BIRTHS))
    assert changed.new_snapshot and changed.snapshot_id != first.snapshot_id
    assert len(_snapshots(live, BIRTHS)) == 2


def test_unchanged_payload_without_validators_creates_no_snapshot(
        server: CbsServer, live: Settings, monkeypatch: pytest.MonkeyPatch) -> None:
    server.send_etag = server.send_last_modified = False
    first = ingest_source(live, registry.get(BIRTHS))
    monkeypatch.setattr(cbs_geboorten, "land", _boom)
    again = ingest_source(live, registry.get(BIRTHS))
    assert (again.snapshot_id, again.new_snapshot, again.parsed) == (
        first.snapshot_id, False, False)
    assert {r["status"] for r in server.log} == {200}


def test_v4_observations_land_like_v3(server: CbsServer, live: Settings,
                                      tmp_path: Path) -> None:
    server.page_size = 2500
    ingest_source(live, registry.get(BIRTHS))
    v3 = _landed(live, BIRTHS)
    spec = registry.get(BIRTHS)
    v4_spec = dataclasses.replace(spec, api={**spec.api, "protocol": "v4"})
    other = load_settings(tmp_path / "v4", "live")
    result = ingest_source(other, v4_spec)
    assert result.new_snapshot
    pages = server.requests_to("/Observations")
    assert len(pages) == 5  # 3550 records × 3 measures, 2500 per page
    assert "Measure%20eq%20%27M" in pages[0]["query"]
    v4 = _landed(other, BIRTHS)
    keys = ["indicator_code", "area_code", "period_label"]
    merged = v3.merge(v4, on=keys, suffixes=("_v3", "_v4"))
    assert len(merged) == len(v3) == len(v4)
    assert (merged["numerator_v3"] == merged["numerator_v4"]).all()
    assert v4["source_file"].str.startswith("Observations_p").all()


def test_population_filter_is_built_from_category_titles(server: CbsServer,
                                                         live: Settings) -> None:
    result = ingest_source(live, registry.get("cbs_bevolking"))
    assert result.rows == {"observations": 355 * 10 * 6}
    query = server.requests_to("/TypedDataSet")[0]["query"]
    assert "Geslacht%20eq%20%274000" in query or "Geslacht eq '4000" in query
    assert query.count("Leeftijd") == 6
    frame = _landed(live, "cbs_bevolking")
    assert set(frame["indicator_code"]) == {f"bevolking__vrouwen__{a}_{a + 5}"
                                            for a in range(15, 45, 5)}


def test_low_income_lands_percentages_and_suppressed_cells(server: CbsServer,
                                                           live: Settings) -> None:
    ingest_source(live, registry.get("cbs_laag_inkomen"))
    frame = _landed(live, "cbs_laag_inkomen")
    assert set(frame["indicator_code"]) == {"kinderen_laag_inkomen_pct"}
    assert frame["numerator"].isna().all() and frame["value"].notna().any()
    suppressed = frame[frame["value"].isna()]
    assert len(suppressed) > 0 and (suppressed["marker"] == "").all()
    assert frame["value"].dropna().between(0, 100).all()


def test_gebieden_match_the_reference_or_fail_loudly(server: CbsServer, live: Settings) -> None:
    result = ingest_source(live, registry.get("cbs_gebieden"))
    assert result.rows == {"regions": 342}
    table = server.tables["86059NED"]
    changed = [dict(r) for r in table.records]
    row = next(i for i, r in enumerate(changed) if r["RegioS"].strip() == "GM0014")
    changed[row]["Code_16"] = "GG0222    "
    server.tables["86059NED"] = Table(table.props, changed, table.code_lists)
    with pytest.raises(InputError) as info:
        ingest_source(live, registry.get("cbs_gebieden"))
    message = str(info.value)
    assert "GM0014" in message and "GG0222" in message and "GG0111" in message
    assert "Code_16" in message and f"row {row + 1}" in message and "\n" not in message
    snaps = _snapshots(live, "cbs_gebieden")
    assert [s.status for s in snaps] == ["accepted", "rejected"]
    assert manifest.active_snapshot(live, "cbs_gebieden").snapshot_id == result.snapshot_id


def test_gebieden_columns_are_found_by_title_whatever_their_keys(tables: dict) -> None:
    table = tables["86059NED"]
    for old, new in (("Code_16", "Code_14"), ("Naam_17", "Naam_15"), ("Code_28", "Code_26")):
        table = table.renamed(old, new)
    props = cbs_odata.topic_paths(table.props)
    assert props["Code_14"][1] == "ggd-regio's/code"


def test_next_link_to_another_host_is_refused(server: CbsServer, live: Settings) -> None:
    server.link_base = "http://elsewhere.invalid:81"
    with pytest.raises(FetchError, match="outside"):
        ingest_source(live, registry.get(BIRTHS))
    assert _snapshots(live, BIRTHS) == [] and _no_leftovers(live, BIRTHS)


def test_cli_ingest_live_against_the_loopback_server(server: CbsServer, live: Settings) -> None:
    env = {k: v for k, v in os.environ.items() if k.startswith("KANSRIJK_")}
    result = run_cli("ingest", "--mode", "live", "--source", BIRTHS, data_dir=live.data_dir,
                     env=env, timeout=120)
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith(f"{BIRTHS}: new snapshot")
    again = run_cli("ingest", "--mode", "live", "--source", BIRTHS, data_dir=live.data_dir,
                    env=env, timeout=120)
    assert again.returncode == 0 and "unchanged" in again.stdout
    sources = run_cli("sources", "--mode", "live", data_dir=live.data_dir, env=env)
    assert sources.returncode == 0
    block = "\n".join(sources.stdout.split(f"{BIRTHS}:")[1].splitlines()[:5])
    assert manifest.active_snapshot(live, BIRTHS).snapshot_id in block
    assert "CC BY 4.0" in block and "37230ned" in block
