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
