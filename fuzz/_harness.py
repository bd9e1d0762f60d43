"""What every fuzz target checks: a reader or ``prepare`` ends in a result or an ``InputError``.

Any other exception escapes to atheris, which reports it as a crash with the input that
caused it.
"""

from __future__ import annotations

from opsroom.errors import InputError
from opsroom.models import Document, RawDocument


def check_error(err: InputError, origin: str) -> None:
    """An input error is one line and names the input."""
    message = str(err)
    assert "\n" not in message, f"multi-line error: {message!r}"
    assert message.startswith(origin), f"error does not name the input: {message!r}"


def drain(results, origin: str) -> list[RawDocument | Document]:  # type: ignore[no-untyped-def]
    """Every result of a reader, with its errors checked; raised errors count as results."""
    out: list[RawDocument | Document] = []
    try:
        for item in results:
            if isinstance(item, InputError):
                check_error(item, origin)
            else:
                assert isinstance(item, RawDocument | Document), type(item)
                out.append(item)
    except InputError as err:
        check_error(err, origin)
    return out
