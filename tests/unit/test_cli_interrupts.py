"""An interrupt ends a run with exit code 130, also when a library wraps it in its own error."""

from __future__ import annotations

import signal
from pathlib import Path

import duckdb
import pytest

from pipeline import cli, errors


@pytest.fixture
def fresh_handlers(monkeypatch: pytest.MonkeyPatch):
    """Run with no interrupt recorded; give pytest its signal handlers back afterwards."""
    monkeypatch.setattr(errors, "_interrupts", [])
    saved = {s: signal.getsignal(s) for s in (signal.SIGINT, signal.SIGTERM)}
    yield
    for signum, handler in saved.items():
        signal.signal(signum, handler)


def test_an_interrupt_inside_a_duckdb_callback_exits_as_interrupted(
    fresh_handlers: None, monkeypatch: pytest.MonkeyPatch, tmp_path: Path,
    capsys: pytest.CaptureFixture,
) -> None:
    def interrupted_in_udf(settings: object, args: object) -> int:
        con = duckdb.connect()
        con.create_function("slow", lambda x: errors.raise_interrupt(signal.SIGTERM, None),
                            ["BIGINT"], "BIGINT")
        con.sql("select slow(1)").fetchall()  # DuckDB re-raises it as its own error
        return 0

    monkeypatch.setitem(cli.COMMANDS, "status", (interrupted_in_udf, "test"))
    code = cli.main(["status", "--quiet", "--data-dir", str(tmp_path)])
    assert code == cli.EXIT_INTERRUPTED == 130
    assert "interrupted; the published build is unchanged" in capsys.readouterr().err


def test_a_library_error_without_an_interrupt_is_not_called_an_interrupt(
    fresh_handlers: None, monkeypatch: pytest.MonkeyPatch, tmp_path: Path,
) -> None:
    def failing(settings: object, args: object) -> int:
        duckdb.connect().sql("select * from no_such_table")
        return 0

    monkeypatch.setitem(cli.COMMANDS, "status", (failing, "test"))
    with pytest.raises(duckdb.CatalogException):
        cli.main(["status", "--quiet", "--data-dir", str(tmp_path)])
