"""Turn library errors into click errors: message on stderr, exit 1, no traceback."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import TypeVar

import click

from ..errors import JdmtrackError

__all__ = ["reported"]

T = TypeVar("T")


class ReportedError(click.ClickException):
    exit_code = 1


@contextmanager
def reported() -> Iterator[None]:
    """Run a block; a ``JdmtrackError`` becomes a clean error message and exit code 1."""
    try:
        yield
    except JdmtrackError as err:
        raise ReportedError(str(err)) from err


def call(function: Callable[..., T], *args: object, **kwargs: object) -> T:
    with reported():
        return function(*args, **kwargs)
