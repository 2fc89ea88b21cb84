"""Errors the CLI reports as one line with a non-zero exit code."""


class KansrijkError(Exception):
    """Base class for errors that end a run with a clear one-line message."""


class InputError(KansrijkError):
    """Bad input: the message names the file, row and column, and what was expected."""
