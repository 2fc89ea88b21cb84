"""The two ways a payload arrives: CBS OData over HTTP, or a file (drop or bundled demo).

``fetch`` functions do I/O only: they write the bytes as received into a temporary folder and
return where they came from. They never parse the data (that is ``land``'s job); the OData
fetcher reads just enough of what it received to follow ``nextLink`` and to turn the category
titles of the registry into the keys of a ``$filter``.

CBS OData, per request (``DataProperties``, code lists, every ``TypedDataSet``/``Observations``
page):

- the response is streamed to disk by :func:`pipeline.http.stream_to_file` (retries, timeouts);
- conditional: when the active snapshot holds a file fetched from the same URL with an ``ETag``
  or ``Last-Modified``, the request carries ``If-None-Match``/``If-Modified-Since``; a ``304``
  means the stored bytes are still current, so they are copied from the snapshot (and paging
  continues from the stored page). When every request answers 304 the content equals the active
  snapshot's and the runner creates no new snapshot (and parses nothing);
- paging follows ``odata.nextLink`` (v3) or ``@odata.nextLink`` (v4) but never leaves the
  configured host (a link to another host is an error, so a test server or mirror stays
  closed);
- any failure raises :class:`FetchError`; the caller discards the whole temporary folder, so a
  partial fetch never becomes a snapshot and the previous one stays active.

Files: a drop (``--file`` or the inbox) is copied byte for byte. For a module that defines
``drop_key(path)`` (RIVM: one file per indicator) a live drop *adds to* the active snapshot: the
new snapshot holds the dropped files plus the active snapshot's files with other keys, so one
new indicator file does not remove the others (``replace=True`` starts from the dropped files
only). For the other file sources a drop replaces the whole payload (a new download of the
Perined or vaccination file supersedes the previous one).
"""

from __future__ import annotations

import importlib
import json
import shutil
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import quote, urljoin, urlsplit, urlunsplit

import requests

from pipeline import manifest
from pipeline.config import DEMO_DIR, Settings
from pipeline.http import (
    DEFAULT_CBS_ODATA_URL,
    DemoODataAdapter,
    FetchError,
    cbs_odata4_url,
    cbs_odata_url,
    conditional_headers,
    make_session,
    stream_to_file,
)
from pipeline.ingest.parsing import normalise_header
from pipeline.registry import SourceSpec

MAX_PAGES = 10_000
INDICATOR_SEPARATOR = "__"  # stored name '<indicator>__<original name>' (from --indicator)


@dataclass(frozen=True)
class Fetched:
    """What a fetch wrote and where it came from."""

    origin: str
    file_meta: dict[str, dict] = field(default_factory=dict)
    not_modified: int = 0  # requests answered 304 (bytes copied from the active snapshot)
    requests: int = 0


# --------------------------------------------------------------------------------------------
# CBS OData


@dataclass(frozen=True)
class _Stored:
    path: Path
    etag: str | None
    last_modified: str | None


class _ODataClient:
    """GETs into the fetch folder: conditional, paged, never leaving the base host."""

    def __init__(self, session: requests.Session, dest: Path, base: str,
                 previous: dict[str, _Stored]) -> None:
        self.session = session
        self.dest = dest
        self.base = urlsplit(base)
        self.previous = previous
        self.meta: dict[str, dict] = {}
        self.not_modified = 0
        self.requests = 0

    def get(self, url: str, name: str) -> Path:
        """Fetch ``url`` into ``dest/name`` (or copy the stored bytes on a 304)."""
        target = self.dest / name
        stored = self.previous.get(url)
        headers = conditional_headers(stored.etag, stored.last_modified) if stored else {}
        download = stream_to_file(self.session, url, target, headers)
        self.requests += 1
        if download.status == 304:
            if stored is None or not stored.path.is_file():
                raise FetchError(f"{url}: HTTP 304 for a request that was not conditional")
            shutil.copyfile(stored.path, target)
            self.not_modified += 1
            etag, modified = stored.etag, stored.last_modified
        else:
            etag, modified = download.etag, download.last_modified
        self.meta[name] = {"origin": url, "etag": etag, "last_modified": modified}
        return target

    def get_pages(self, url: str, stem: str) -> list[Path]:
        """Fetch ``url`` and every page its ``nextLink`` chain points to."""
        pages = []
        next_url: str | None = url
        for number in range(1, MAX_PAGES + 1):
            page = self.get(next_url, f"{stem}_p{number:04d}.json")
            pages.append(page)
            next_url = self._next_link(page, next_url)
            if next_url is None:
                return pages
        raise FetchError(f"{url}: more than {MAX_PAGES} pages; refusing to continue")

    def _next_link(self, page: Path, url: str) -> str | None:
        body = read_json(page, url)
        if not isinstance(body, dict) or not isinstance(body.get("value"), list):
            raise FetchError(f"{url}: response has no 'value' rows (not an OData payload)")
        link = body.get("odata.nextLink") or body.get("@odata.nextLink")
        return self._within_base(urljoin(url, link), url) if link else None

    def _within_base(self, link: str, url: str) -> str:
        parts = urlsplit(link)
        if parts.hostname != self.base.hostname or (parts.port or 0) != (self.base.port or 0):
            raise FetchError(f"{url}: nextLink points outside {self.base.netloc} ({link}); "
                             f"refusing to follow it")
        return urlunsplit((self.base.scheme, *parts[1:]))


def read_json(path: Path, url: str) -> object:
    """A downloaded JSON body; a truncated or non-JSON body is a :class:`FetchError`."""
    try:
        return json.loads(path.read_bytes())
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        reason = exc.msg if isinstance(exc, json.JSONDecodeError) else type(exc).__name__
        raise FetchError(f"{url}: response is not complete JSON ({reason})") from exc


def _previous_files(settings: Settings, source_id: str) -> dict[str, _Stored]:
    """URL → stored file of the active snapshot (for conditional requests)."""
    snap = manifest.active_snapshot(settings, source_id)
    if snap is None:
        return {}
    return {r.origin: _Stored(snap.folder(settings) / r.path, r.etag, r.last_modified)
            for r in snap.files if r.origin and (r.etag or r.last_modified)}


def _category_keys(paths: list[Path], url: str, dimension: str, titles: list[str],
                   key_field: str) -> list[str]:
    """Keys of the categories with the given titles in a downloaded code list (all pages)."""
    rows: list = []
    for path in paths:
        body = read_json(path, url)
        rows += body.get("value", []) if isinstance(body, dict) else []
    by_title: dict[str, list[str]] = {}
    for row in rows:
        if isinstance(row, dict) and key_field in row:
            by_title.setdefault(normalise_header(row.get("Title", "")), []).append(row[key_field])
    keys = []
    for title in titles:
        found = by_title.get(normalise_header(title), [])
        if len(found) != 1:
            known = sorted({str(r.get("Title")) for r in rows if isinstance(r, dict)})[:12]
            raise FetchError(f"{url}: dimension {dimension!r} has {len(found)} categories "
                             f"titled {title!r} (expected one; titles: {known})")
        keys.append(found[0])
    return keys


def _filter(clauses: list[str]) -> str:
    joined = " and ".join(f"({c})" for c in clauses if c)
    return f"$filter={quote(joined, safe='(),')}" if joined else ""


def _with_query(url: str, *parts: str) -> str:
    query = "&".join(p for p in parts if p)
    return f"{url}{'&' if '?' in url else '?'}{query}" if query else url


def _fetch_v3(client: _ODataClient, root: str, api: dict) -> None:
    client.get(f"{root}/DataProperties?$format=json", "DataProperties.json")
    clauses = [api.get("filter", "")]
    for dimension, categories in (api.get("dimensions") or {}).items():
        url = f"{root}/{dimension}?$format=json"
        path = client.get(url, f"{dimension}.json")
        keys = _category_keys([path], url, dimension, list(categories), "Key")
        clauses.append(" or ".join(f"{dimension} eq '{k}'" for k in keys))
    client.get_pages(_with_query(f"{root}/TypedDataSet?$format=json", _filter(clauses)),
                     "TypedDataSet")


def _fetch_v4(client: _ODataClient, root: str, api: dict) -> None:
    client.get_pages(f"{root}/Dimensions", "Dimensions")
    measure_pages = client.get_pages(f"{root}/MeasureCodes", "MeasureCodes")
    titles = [*(api.get("measures") or {}), *(api.get("value_measures") or {})]
    measures = _category_keys(measure_pages, f"{root}/MeasureCodes", "Measure", titles,
                              "Identifier")
    clauses = [api.get("filter_v4", ""), " or ".join(f"Measure eq '{m}'" for m in measures)]
    for dimension, categories in (api.get("dimensions") or {}).items():
        url = f"{root}/{dimension}Codes"
        pages = client.get_pages(url, f"{dimension}Codes")
        keys = _category_keys(pages, url, dimension, list(categories), "Identifier")
        clauses.append(" or ".join(f"{dimension} eq '{k}'" for k in keys))
    client.get_pages(_with_query(f"{root}/Observations", _filter(clauses)), "Observations")


def fetch_cbs_odata(spec: SourceSpec, dest: Path, settings: Settings) -> Fetched:
    """Fetch a CBS table (OData v3 or v4, per ``api.protocol``) into ``dest``.

    v3 writes ``DataProperties.json``, a code list ``<Dimension>.json`` per selected dimension
    and ``TypedDataSet_p0001.json`` …; v4 writes ``Dimensions_p*.json``, ``MeasureCodes_p*.json``,
    ``<Dimension>Codes_p*.json`` and ``Observations_p0001.json`` …. Any failed, truncated or
    non-JSON response raises :class:`FetchError`.
    """
    session = make_session()
    protocol = spec.api.get("protocol", "v3")
    if protocol not in ("v3", "v4"):
        raise FetchError(f"{spec.source_id}: api.protocol must be v3 or v4, got {protocol!r}")
    if settings.is_demo:
        if protocol != "v3":
            raise FetchError(f"{spec.source_id}: the demo payloads are OData v3 only")
        base = DEFAULT_CBS_ODATA_URL
        session.mount(base, DemoODataAdapter(DEMO_DIR / spec.source_id))
        origin = f"demo: data/demo/{spec.source_id} (served as {base})"
    else:
        base = cbs_odata_url() if protocol == "v3" else cbs_odata4_url()
        origin = base
    table = spec.api["table_id"]
    client = _ODataClient(session, dest, base, _previous_files(settings, spec.source_id))
    try:
        if protocol == "v3":
            _fetch_v3(client, f"{base}/ODataApi/odata/{table}", spec.api)
        else:
            _fetch_v4(client, f"{base}/CBS/{table}", spec.api)
    finally:
        session.close()
    return Fetched(origin=f"{origin} ({protocol}, table {table})", file_meta=client.meta,
                   not_modified=client.not_modified, requests=client.requests)


# --------------------------------------------------------------------------------------------
# files


def stored_name(path: Path, indicator: str | None) -> str:
    """The name a dropped file gets in the snapshot: ``<indicator>__<name>`` with --indicator."""
    if indicator and not path.name.startswith(f"{indicator}{INDICATOR_SEPARATOR}"):
        return f"{indicator}{INDICATOR_SEPARATOR}{path.name}"
    return path.name


def _carried_over(settings: Settings, spec: SourceSpec, new_names: list[str]) -> list[Path]:
    """Files of the active live snapshot that a new drop keeps (see the module docstring)."""
    module = importlib.import_module(f"pipeline.ingest.{spec.source_id}")
    drop_key = getattr(module, "drop_key", None)
    current = manifest.active_snapshot(settings, spec.source_id)
    if drop_key is None or current is None:
        return []
    new_keys = {drop_key(Path(n)) for n in new_names}
    return [p for p in current.paths(settings)
            if p.name not in new_names and drop_key(p) not in new_keys]


def fetch_files(spec: SourceSpec, dest: Path, settings: Settings, files: list[Path] | None = None,
                *, indicator: str | None = None, replace: bool = False) -> Fetched:
    """Copy files byte for byte into ``dest``: the bundled demo payloads, or dropped files.

    Args:
        spec: the source.
        dest: the fetch folder.
        settings: mode and data dir.
        files: the dropped/given files; None = the bundled demo payload (demo mode only).
        indicator: store the files as ``<indicator>__<name>`` (RIVM: the indicator is read
            from the file name).
        replace: do not carry files of the active snapshot over into the new one.

    Raises:
        FetchError: live mode without a file, or a given file that does not exist.
    """
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
    meta: dict[str, dict] = {}
    names = []
    for path in files:
        if not Path(path).is_file():
            raise FetchError(f"{path}: no such file")
        name = stored_name(Path(path), indicator)
        shutil.copyfile(path, dest / name)
        meta[name] = {"origin": str(path)}
        names.append(name)
    if not settings.is_demo and not replace:
        for path in _carried_over(settings, spec, names):
            shutil.copyfile(path, dest / path.name)
            meta[path.name] = {"origin": f"carried over from snapshot {path.parent.name}"}
        if len(meta) > len(names):
            origin += f" (+ {len(meta) - len(names)} file(s) carried over)"
    return Fetched(origin=origin, file_meta=meta)
