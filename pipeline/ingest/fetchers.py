"""The two ways a payload arrives: CBS OData over HTTP, or a file (drop or bundled demo).

``fetch`` functions do I/O only: they write the bytes as received into a temporary folder and
return where they came from. They never parse or clean (that is ``land``'s job).
"""

from __future__ import annotations

import json
import shutil
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import quote

from pipeline.config import DEMO_DIR, Settings
from pipeline.http import (
    DEFAULT_CBS_ODATA_URL,
    DemoODataAdapter,
    FetchError,
    cbs_odata_url,
    make_session,
    stream_to_file,
)
from pipeline.registry import SourceSpec

MAX_PAGES = 10_000


@dataclass(frozen=True)
class Fetched:
    """What a fetch wrote and where it came from."""

    origin: str
    file_meta: dict[str, dict] = field(default_factory=dict)


def fetch_cbs_odata(spec: SourceSpec, dest: Path, settings: Settings) -> Fetched:
    """Fetch DataProperties and every TypedDataSet page (following ``odata.nextLink``).

    Pages are written as received (``TypedDataSet_p0001.json`` …). Any failed or truncated page
    raises :class:`FetchError`; the caller then discards the whole temporary folder, so a partial
    fetch never becomes a snapshot.
    """
    session = make_session()
    if settings.is_demo:
        base = DEFAULT_CBS_ODATA_URL
        session.mount(base, DemoODataAdapter(DEMO_DIR / spec.source_id))
        origin = f"demo: data/demo/{spec.source_id} (served as {base})"
    else:
        base = cbs_odata_url()
        origin = base
    table = spec.api["table_id"]
    root = f"{base}/ODataApi/odata/{table}"
    meta: dict[str, dict] = {}
    props_url = f"{root}/DataProperties?$format=json"
    _get(session, props_url, dest / "DataProperties.json", meta)
    url: str | None = f"{root}/TypedDataSet?$format=json"
    if spec.api.get("filter"):
        url += "&$filter=" + quote(spec.api["filter"], safe="(),'")
    for page in range(1, MAX_PAGES + 1):
        name = f"TypedDataSet_p{page:04d}.json"
        _get(session, url, dest / name, meta)
        url = _next_link(dest / name, url)
        if url is None:
            return Fetched(origin=origin, file_meta=meta)
    raise FetchError(f"{root}: more than {MAX_PAGES} pages; refusing to continue")


def _get(session, url: str, dest: Path, meta: dict[str, dict]) -> None:  # noqa: ANN001
    response = stream_to_file(session, url, dest)
    meta[dest.name] = {
        "origin": url,
        "etag": response.headers.get("ETag"),
        "last_modified": response.headers.get("Last-Modified"),
    }


def _next_link(page: Path, url: str) -> str | None:
    try:
        body = json.loads(page.read_bytes())
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        raise FetchError(
            f"{url}: response is not complete JSON ({exc.msg if hasattr(exc, 'msg') else exc})"
        ) from exc
    if not isinstance(body, dict) or "value" not in body:
        raise FetchError(f"{url}: response has no 'value' rows (not an OData payload)")
    return body.get("odata.nextLink") or body.get("@odata.nextLink")


def fetch_files(
    spec: SourceSpec, dest: Path, settings: Settings, files: list[Path] | None = None
) -> Fetched:
    """Copy files byte for byte into ``dest``: the bundled demo payloads, or given files."""
    if files is None:
        if not settings.is_demo:
            raise FetchError(
                f"{spec.source_id}: live mode needs a file (kansrijk ingest "
                f"--source {spec.source_id} --file PATH, or drop it in data/inbox/)"
            )
        folder = DEMO_DIR / spec.source_id
        files = sorted(p for p in folder.iterdir() if p.is_file() and p.name != "README.md")
        origin = f"demo: data/demo/{spec.source_id}"
    else:
        origin = ", ".join(str(p) for p in files)
    meta = {}
    for path in files:
        shutil.copyfile(path, dest / path.name)
        meta[path.name] = {"origin": str(path)}
    return Fetched(origin=origin, file_meta=meta)
