"""The exception tree of opsroom.

    OpsroomError
    ├── InputError          bad input: names the input and the problem
    │   ├── UnsupportedInput    a file type no reader handles
    │   ├── EmptyInput          a file that holds no text
    │   └── ArticleFailed       the analysis of one article broke
    ├── KnowledgeError      a shipped or user data file breaks its schema
    ├── ModelError          the NLP model cannot be loaded
    └── StoreError          the database cannot be opened or migrated

A batch catches ``InputError`` per item, reports it as one line and goes on.  An
unexpected exception met while reading, cleaning or analysing one input becomes that
input's ``InputError`` too (``unexpected``): a bug or a library's surprise on one file
must not cost the rest of the batch.
"""

from __future__ import annotations


class OpsroomError(Exception):
    """Base of every error opsroom raises on purpose."""


class InputError(OpsroomError):
    """An input that cannot be read; the message names the input and the problem."""

    def __init__(self, origin: str, problem: str) -> None:
        self.origin = origin
        self.problem = problem
        super().__init__(f"{origin}: {problem}")

    def __reduce__(self) -> tuple[object, ...]:
        # Errors travel back from Dask workers; the default would call __init__ with the
        # message alone.
        return (type(self), (self.origin, self.problem))


class UnsupportedInput(InputError):
    """A file whose type no reader handles."""


class EmptyInput(InputError):
    """A file or record that holds no text."""


class ArticleFailed(InputError):
    """The analysis of one article broke; ``article_id`` says which, so a batch can forget it."""

    def __init__(self, origin: str, problem: str, article_id: str) -> None:
        super().__init__(origin, problem)
        self.article_id = article_id

    def __reduce__(self) -> tuple[object, ...]:
        return (type(self), (self.origin, self.problem, self.article_id))


def unexpected(origin: str, stage: str, exc: BaseException) -> InputError:
    """An exception nobody planned for, as one line naming the input and the stage."""
    detail = " ".join(str(exc).split())[:300]
    return InputError(origin, f"{stage} failed: {type(exc).__name__}{f': {detail}' if detail else ''}")


class KnowledgeError(OpsroomError):
    """A knowledge file (actors, places, patterns) that breaks its schema."""


class ModelError(OpsroomError):
    """The NLP model cannot be loaded."""


class StoreError(OpsroomError):
    """The database cannot be opened, migrated or written."""
