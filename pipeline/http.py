"""A small HTTP client for the public APIs: retries, timeouts, a clear User-Agent, streaming.

Retries use urllib3's ``Retry`` (exponential backoff on connection errors, read timeouts, 429
and 5xx, honouring ``Retry-After`` up to :func:`max_retry_after`). A body that breaks off while
it is streamed (a reset connection, a read timeout, fewer bytes than ``Content-Length``) is
retried here as well, because urllib3 only retries until the response headers arrive.

Settings come from the environment at call time, so a test can make them short:
``KANSRIJK_HTTP_CONNECT_TIMEOUT`` (s, default 10), ``KANSRIJK_HTTP_READ_TIMEOUT`` (s, 60),
``KANSRIJK_HTTP_RETRIES`` (5), ``KANSRIJK_HTTP_BACKOFF`` (backoff factor in s, 0.5) and
``KANSRIJK_HTTP_MAX_RETRY_AFTER`` (s, 120).

In demo mode the same client is used with a transport adapter that answers from the bundled
payloads in ``data/demo`` instead of the network, so demo data travel the live code path.
"""

from __future__ import annotations

import io
import os
import time
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import requests
from requests.adapters import BaseAdapter, HTTPAdapter
from urllib3.util.retry import Retry

from pipeline.config import USER_AGENT

DEFAULT_CBS_ODATA_URL = "https://opendata.cbs.nl"
DEFAULT_CBS_ODATA4_URL = "https://odata4.cbs.nl"
RETRY_STATUSES = (429, 500, 502, 503, 504)


class FetchError(RuntimeError):
    """A fetch that did not deliver a complete payload."""


def _env_float(name: str, default: float) -> float:
    raw = os.environ.get(name)
    try:
        return float(raw) if raw not in (None, "") else default
    except ValueError as exc:
        raise ValueError(f"environment variable {name}: expected a number, got {raw!r}") from exc


def timeouts() -> tuple[float, float]:
    """(connect, read) timeouts in seconds."""
    return (_env_float("KANSRIJK_HTTP_CONNECT_TIMEOUT", 10.0),
            _env_float("KANSRIJK_HTTP_READ_TIMEOUT", 60.0))


def retries() -> int:
    """How often a request (or a broken-off body) is retried."""
    return int(_env_float("KANSRIJK_HTTP_RETRIES", 5))


def backoff_factor() -> float:
    """urllib3's backoff factor: sleeps of factor × 2^(n-1) seconds between retries."""
    return _env_float("KANSRIJK_HTTP_BACKOFF", 0.5)


def max_retry_after() -> float:
    """The longest ``Retry-After`` wait honoured (a server asking for an hour gets this)."""
    return _env_float("KANSRIJK_HTTP_MAX_RETRY_AFTER", 120.0)


def cbs_odata_url() -> str:
    """Base URL of CBS OData v3 (``KANSRIJK_CBS_ODATA_URL`` overrides, e.g. a local server)."""
    return os.environ.get("KANSRIJK_CBS_ODATA_URL", DEFAULT_CBS_ODATA_URL).rstrip("/")


def cbs_odata4_url() -> str:
    """Base URL of CBS OData v4 (``KANSRIJK_CBS_ODATA4_URL``; default odata4.cbs.nl)."""
    return os.environ.get("KANSRIJK_CBS_ODATA4_URL", DEFAULT_CBS_ODATA4_URL).rstrip("/")


class _CappedRetry(Retry):
    """``Retry`` that honours ``Retry-After`` but never waits longer than the configured cap."""

    def get_retry_after(self, response) -> float | None:  # noqa: ANN001 - urllib3 signature
        seconds = super().get_retry_after(response)
        return None if seconds is None else min(seconds, max_retry_after())


def make_session(total_retries: int | None = None,
                 backoff: float | None = None) -> requests.Session:
    """A session with retry/backoff on connection errors, 429 and 5xx, and a User-Agent."""
    total = retries() if total_retries is None else total_retries
    retry = _CappedRetry(
        total=total,
        connect=total,
        read=total,
        status=total,
        other=0,
        backoff_factor=backoff_factor() if backoff is None else backoff,
        status_forcelist=RETRY_STATUSES,
        allowed_methods=("GET", "HEAD"),
        respect_retry_after_header=True,
        raise_on_status=False,
    )
    session = requests.Session()
    adapter = HTTPAdapter(max_retries=retry)
    session.mount("http://", adapter)
    session.mount("https://", adapter)
    session.headers.update({"User-Agent": USER_AGENT, "Accept": "application/json"})
    return session


@dataclass(frozen=True)
class Download:
    """What one GET delivered: 200 (body written to the file) or 304 (not modified)."""

    url: str
    status: int
    etag: str | None = None
    last_modified: str | None = None
    bytes: int = 0


class _BodyBroken(Exception):
    """The body stopped before it was complete (retried by :func:`stream_to_file`)."""


def conditional_headers(etag: str | None, last_modified: str | None) -> dict[str, str]:
    """``If-None-Match`` / ``If-Modified-Since`` for what the previous response carried."""
    headers = {}
    if etag:
        headers["If-None-Match"] = etag
    if last_modified:
        headers["If-Modified-Since"] = last_modified
    return headers


def _stream_once(session: requests.Session, url: str, dest: Path,
                 headers: dict[str, str]) -> Download:
    with session.get(url, stream=True, headers=headers, timeout=timeouts()) as response:
        etag = response.headers.get("ETag")
        modified = response.headers.get("Last-Modified")
        if response.status_code == 304:
            return Download(url, 304, etag, modified)
        if response.status_code != 200:
            raise FetchError(f"{url}: HTTP {response.status_code} after "
                             f"{retries()} retries")
        written = 0
        try:
            with dest.open("wb") as handle:
                for chunk in response.iter_content(chunk_size=1 << 16):
                    handle.write(chunk)
                    written += len(chunk)
        except (requests.ConnectionError, requests.exceptions.ChunkedEncodingError,
                requests.Timeout) as exc:
            raise _BodyBroken(f"body broke off after {written} bytes "
                              f"({type(exc).__name__})") from exc
        expected = response.headers.get("Content-Length")
        if (expected is not None and response.headers.get("Content-Encoding") is None
                and expected.isdigit() and int(expected) != written):
            raise _BodyBroken(f"body truncated ({written} of {expected} bytes)")
        return Download(url, 200, etag, modified, written)


def stream_to_file(session: requests.Session, url: str, dest: Path,
                   headers: dict[str, str] | None = None) -> Download:
    """GET ``url`` and stream the body to ``dest``; raise FetchError on any failure.

    A status error or a connection that cannot be made is retried by the session; a body that
    breaks off (reset, timeout, shorter than its ``Content-Length``) is retried here with the
    same backoff. After the last attempt the failure is a :class:`FetchError`, never a file
    (``dest`` is removed).
    """
    attempts = retries() + 1
    for attempt in range(1, attempts + 1):
        try:
            return _stream_once(session, url, dest, headers or {})
        except _BodyBroken as exc:
            dest.unlink(missing_ok=True)
            if attempt == attempts:
                raise FetchError(f"{url}: {exc} after {attempts} attempt(s)") from exc
            time.sleep(backoff_factor() * 2 ** (attempt - 1))
        except requests.RequestException as exc:
            dest.unlink(missing_ok=True)
            first = str(exc).splitlines()[0] if str(exc) else ""
            raise FetchError(f"{url}: {type(exc).__name__}: {first}") from exc
        except FetchError:
            dest.unlink(missing_ok=True)
            raise
    raise FetchError(f"{url}: no attempt made")  # pragma: no cover - attempts >= 1


class DemoODataAdapter(BaseAdapter):
    """Answers CBS OData v3 requests from the bundled demo pages (no network).

    ``…/<table>/DataProperties`` → ``DataProperties.json``;
    ``…/<table>/TypedDataSet?$skip=N`` → ``TypedDataSet_skipNNNNN.json``;
    any other endpoint (a code list such as ``…/<table>/Geslacht``) → ``<endpoint>.json``.
    """

    def __init__(self, demo_dir: Path) -> None:
        super().__init__()
        self.demo_dir = demo_dir

    def send(self, request, **kwargs):  # noqa: ANN001, ANN003 - requests' adapter interface
        parts = urlsplit(request.url)
        endpoint = parts.path.rstrip("/").rsplit("/", 1)[-1]
        if endpoint == "TypedDataSet":
            skip = int(parse_qs(parts.query).get("$skip", ["0"])[0])
            name = f"TypedDataSet_skip{skip:05d}.json"
        else:
            name = f"{endpoint}.json"
        path = self.demo_dir / name
        response = requests.Response()
        response.url = request.url
        response.request = request
        if path.is_file():
            body = path.read_bytes()
            response.status_code = 200
            response.headers["Content-Length"] = str(len(body))
            response.headers["Content-Type"] = "application/json"
        else:
            body = b'{"error": "not found in demo payloads"}'
            response.status_code = 404
        response.raw = io.BytesIO(body)
        return response

    def close(self) -> None:
        """Nothing to release."""
