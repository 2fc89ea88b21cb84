"""A small HTTP client for the public APIs: retries, timeouts, a clear User-Agent, streaming.

Retries use urllib3's ``Retry`` (exponential backoff, 429/5xx, honouring ``Retry-After``).
In demo mode the same client is used with a transport adapter that answers from the bundled
payloads in ``data/demo`` instead of the network, so demo data travel the live code path.
"""

from __future__ import annotations

import io
import os
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import requests
from requests.adapters import BaseAdapter, HTTPAdapter
from urllib3.util.retry import Retry

from pipeline.config import USER_AGENT

DEFAULT_CBS_ODATA_URL = "https://opendata.cbs.nl"
CONNECT_TIMEOUT_S = float(os.environ.get("KANSRIJK_HTTP_CONNECT_TIMEOUT", "10"))
READ_TIMEOUT_S = float(os.environ.get("KANSRIJK_HTTP_READ_TIMEOUT", "60"))


class FetchError(RuntimeError):
    """A fetch that did not deliver a complete payload."""


def cbs_odata_url() -> str:
    """Base URL of CBS OData (``KANSRIJK_CBS_ODATA_URL`` overrides, e.g. for a local server)."""
    return os.environ.get("KANSRIJK_CBS_ODATA_URL", DEFAULT_CBS_ODATA_URL).rstrip("/")


def make_session(total_retries: int = 5, backoff_factor: float = 0.5) -> requests.Session:
    """A session with retry/backoff on connection errors, 429 and 5xx, and a User-Agent."""
    retry = Retry(
        total=total_retries,
        connect=total_retries,
        read=total_retries,
        status=total_retries,
        backoff_factor=backoff_factor,
        status_forcelist=(429, 500, 502, 503, 504),
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


def stream_to_file(
    session: requests.Session, url: str, dest: Path, headers: dict[str, str] | None = None
) -> requests.Response:
    """GET ``url`` and stream the body to ``dest``; raise FetchError on any failure.

    A body shorter than its ``Content-Length`` (a dropped connection) is an error, never a file.
    """
    try:
        with session.get(
            url, stream=True, headers=headers or {}, timeout=(CONNECT_TIMEOUT_S, READ_TIMEOUT_S)
        ) as response:
            if response.status_code == 304:
                return response
            if response.status_code != 200:
                raise FetchError(f"{url}: HTTP {response.status_code} after retries")
            written = 0
            with dest.open("wb") as handle:
                for chunk in response.iter_content(chunk_size=1 << 16):
                    handle.write(chunk)
                    written += len(chunk)
            expected = response.headers.get("Content-Length")
            if (
                expected is not None
                and response.headers.get("Content-Encoding") is None
                and int(expected) != written
            ):
                raise FetchError(f"{url}: body truncated ({written} of {expected} bytes)")
            return response
    except requests.RequestException as exc:
        raise FetchError(f"{url}: {type(exc).__name__}: {exc}".splitlines()[0]) from exc


class DemoODataAdapter(BaseAdapter):
    """Answers CBS OData v3 requests from the bundled demo pages (no network).

    ``…/<table>/DataProperties`` → ``DataProperties.json``;
    ``…/<table>/TypedDataSet?$skip=N`` → ``TypedDataSet_skipNNNNN.json``.
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
