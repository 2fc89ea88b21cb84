"""Raw snapshots are immutable and checksummed; the demo transport pages like the real API."""

from __future__ import annotations

import json
import stat
from pathlib import Path

import pytest

from pipeline import manifest, registry
from pipeline.config import load_settings
from pipeline.http import DEFAULT_CBS_ODATA_URL, DemoODataAdapter, make_session
from pipeline.ingest.fetchers import fetch_cbs_odata


def _snapshot(settings, content: bytes):  # noqa: ANN001, ANN202
    with manifest.staging_folder(settings, "perined_kerncijfers") as tmp:
        (tmp / "file.csv").write_bytes(content)
        return manifest.commit_snapshot(
            settings,
            "perined_kerncijfers",
            tmp,
            origin="test",
            licence="CC BY 4.0",
            classification_year=2025,
        )


def test_snapshot_is_read_only_recorded_and_deduplicated(tmp_path: Path) -> None:
    settings = load_settings(tmp_path, "demo")
    snap, new = _snapshot(settings, b"a;b\n1;2\n")
    assert new and snap.active
    path = snap.folder(settings) / "file.csv"
    assert not path.stat().st_mode & (stat.S_IWUSR | stat.S_IWGRP | stat.S_IWOTH)
    again, new_again = _snapshot(settings, b"a;b\n1;2\n")
    assert not new_again and again.snapshot_id == snap.snapshot_id
    changed, new_changed = _snapshot(settings, b"a;b\n1;3\n")
    assert new_changed
    rows = json.loads(settings.manifest_path.read_text())["snapshots"]
    assert [r["active"] for r in rows] == [False, True]
    assert rows[0]["files"][0]["sha256"] == manifest.sha256_file(path)
    assert not list((settings.raw_dir / "perined_kerncijfers").glob(".tmp-*"))


def test_verify_reports_a_tampered_file(tmp_path: Path) -> None:
    settings = load_settings(tmp_path, "demo")
    snap, _ = _snapshot(settings, b"x")
    assert manifest.verify(settings) == []
    path = snap.folder(settings) / "file.csv"
    path.parent.chmod(0o755)
    path.chmod(0o644)
    path.write_bytes(b"y")
    problems = manifest.verify(settings)
    assert len(problems) == 1 and "altered" in problems[0]


def test_demo_adapter_serves_pages_and_fetch_follows_next_links(tmp_path: Path) -> None:
    settings = load_settings(tmp_path, "demo")
    spec = registry.get("cbs_geboorten")
    dest = tmp_path / "fetch"
    dest.mkdir()
    fetched = fetch_cbs_odata(spec, dest, settings)
    pages = sorted(dest.glob("TypedDataSet_p*.json"))
    demo_pages = sorted((Path("data/demo/cbs_geboorten")).glob("TypedDataSet_skip*.json"))
    assert len(pages) == len(demo_pages) > 1
    assert (dest / "DataProperties.json").exists()
    assert fetched.origin.startswith("demo:")
    assert [p.read_bytes() for p in pages] == [p.read_bytes() for p in demo_pages]


def test_demo_adapter_answers_404_for_unknown_endpoint() -> None:
    session = make_session(total_retries=0)
    session.mount(DEFAULT_CBS_ODATA_URL, DemoODataAdapter(Path("data/demo/cbs_geboorten")))
    response = session.get(f"{DEFAULT_CBS_ODATA_URL}/ODataApi/odata/37230ned/Nonsense")
    assert response.status_code == 404


def test_live_file_source_without_a_file_says_what_to_do(tmp_path: Path) -> None:
    from pipeline.http import FetchError
    from pipeline.ingest.fetchers import fetch_files

    with pytest.raises(FetchError, match="--file PATH"):
        fetch_files(registry.get("perined_kerncijfers"), tmp_path, load_settings(tmp_path, "live"))


def test_rejected_payload_is_kept_once_and_never_active(tmp_path: Path) -> None:
    settings = load_settings(tmp_path, "live")
    good, _ = _snapshot(settings, b"a;b\n1;2\n")
    kept = []
    for _ in range(2):
        with manifest.staging_folder(settings, "perined_kerncijfers") as tmp:
            (tmp / "file.csv").write_bytes(b"garbage")
            kept.append(manifest.commit_snapshot(
                settings, "perined_kerncijfers", tmp, origin="test", licence="x",
                classification_year=2025, status="rejected", note="bad"))
    (first, new_first), (second, new_second) = kept
    assert new_first and not new_second and first.snapshot_id == second.snapshot_id
    assert not first.active and first.status == "rejected"
    assert manifest.active_snapshot(settings, "perined_kerncijfers").snapshot_id == (
        good.snapshot_id)


def test_verify_reports_a_file_added_to_a_snapshot(tmp_path: Path) -> None:
    settings = load_settings(tmp_path, "demo")
    snap, _ = _snapshot(settings, b"x")
    folder = snap.folder(settings)
    folder.chmod(0o755)
    (folder / "sneaked_in.csv").write_bytes(b"y")
    assert manifest.verify(settings) == [
        f"perined_kerncijfers/{snap.snapshot_id}/sneaked_in.csv: not in the manifest "
        f"(file added)"]


def test_http_settings_come_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    from pipeline import http

    monkeypatch.setenv("KANSRIJK_HTTP_CONNECT_TIMEOUT", "1.5")
    monkeypatch.setenv("KANSRIJK_HTTP_READ_TIMEOUT", "2")
    monkeypatch.setenv("KANSRIJK_HTTP_RETRIES", "3")
    monkeypatch.setenv("KANSRIJK_HTTP_MAX_RETRY_AFTER", "7")
    monkeypatch.setenv("KANSRIJK_CBS_ODATA_URL", "http://127.0.0.1:8080/")
    assert http.timeouts() == (1.5, 2.0) and http.retries() == 3
    assert http.cbs_odata_url() == "http://127.0.0.1:8080"
    retry = http.make_session().get_adapter("https://x").max_retries
    assert (retry.total, retry.status, retry.read) == (3, 3, 3)
    assert retry.respect_retry_after_header and 503 in retry.status_forcelist
    response = type("R", (), {"headers": {"Retry-After": "3600"}})()
    assert retry.get_retry_after(response) == 7  # capped
    assert http.make_session().headers["User-Agent"].startswith("kansrijk-monitor/")
    monkeypatch.setenv("KANSRIJK_HTTP_READ_TIMEOUT", "soon")
    with pytest.raises(ValueError, match="KANSRIJK_HTTP_READ_TIMEOUT"):
        http.timeouts()


def test_conditional_headers() -> None:
    from pipeline.http import conditional_headers

    assert conditional_headers('"abc"', "Tue, 14 Nov 2023 22:13:20 GMT") == {
        "If-None-Match": '"abc"', "If-Modified-Since": "Tue, 14 Nov 2023 22:13:20 GMT"}
    assert conditional_headers(None, None) == {}


def test_second_demo_ingest_parses_nothing(tmp_path: Path,
                                           monkeypatch: pytest.MonkeyPatch) -> None:
    from pipeline.ingest import runner

    settings = load_settings(tmp_path, "demo")
    first = runner.ingest_all(settings)
    assert [r.source_id for r in first] == list(registry.load())
    assert all(r.new_snapshot and r.parsed for r in first)

    def boom(*args: object, **kwargs: object) -> None:
        raise AssertionError("land() called for an unchanged payload")

    for source_id in registry.load():
        monkeypatch.setattr(runner.ingest_module(source_id), "land", boom)
    second = runner.ingest_all(settings)
    assert all(not r.new_snapshot and not r.parsed and r.note == "unchanged" for r in second)
    assert [r.snapshot_id for r in second] == [r.snapshot_id for r in first]
    assert len(manifest.read_manifest(settings)) == len(first)


def test_live_mode_without_drops_keeps_or_skips_file_sources(tmp_path: Path) -> None:
    from pipeline.ingest import runner

    settings = load_settings(tmp_path, "live")
    results = runner.ingest_all(settings, ["perined_kerncijfers", "rivm_vaccinatiegraad"])
    assert [r.snapshot_id for r in results] == [None, None]
    assert all(r.note.startswith("no file yet: skipped") for r in results)


def test_every_registered_source_has_a_module_and_complete_facts() -> None:
    from pipeline.ingest.runner import ingest_module

    for source_id, spec in registry.load().items():
        module = ingest_module(source_id)
        assert callable(module.fetch) and callable(module.land), source_id
        assert spec.licence_name and spec.attribution and spec.url_main, source_id
        if spec.kind == "cbs_odata":
            assert spec.api.get("table_id") and spec.api.get("protocol") in ("v3", "v4")
            assert (registry.get(source_id).api.get("measures") or spec.api.get("value_measures")
                    or spec.api.get("groups")), source_id
        else:  # the inbox can recognise every file source's own layout
            assert callable(getattr(module, "recognise", None)), source_id
