"""Errors the CLI reports as one line with a non-zero exit code."""


class KansrijkError(Exception):
    """Base class for errors that end a run with a clear one-line message."""


class InputError(KansrijkError):
    """Bad input: the message names the file, row and column, and what was expected."""


_interrupts: list[int] = []


def raise_interrupt(signum: int, frame: object) -> None:
    """Signal handler (SIGINT, SIGTERM): remember the interrupt, raise KeyboardInterrupt.

    Remembered because a KeyboardInterrupt raised inside a library callback (DuckDB scanning a
    pandas frame) can surface wrapped in that library's own error.
    """
    _interrupts.append(signum)
    raise KeyboardInterrupt(f"signal {signum}")


def interrupt_requested() -> bool:
    """Whether SIGINT or SIGTERM arrived during this run."""
    return bool(_interrupts)
