"""The exception tree of opsroom.

    OpsroomError
    ├── InputError          bad input: names the input and the problem
    │   ├── UnsupportedInput    a file type no reader handles
    │   └── EmptyInput          a file that holds no text
    ├── KnowledgeError      a shipped or user data file breaks its schema
    ├── ModelError          the NLP model cannot be loaded
    └── StoreError          the database cannot be opened or migrated

A batch catches ``InputError`` per item, reports it as one line and goes on.
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


class UnsupportedInput(InputError):
    """A file whose type no reader handles."""


class EmptyInput(InputError):
    """A file or record that holds no text."""


class KnowledgeError(OpsroomError):
    """A knowledge file (actors, places, patterns) that breaks its schema."""


class ModelError(OpsroomError):
    """The NLP model cannot be loaded."""


class StoreError(OpsroomError):
    """The database cannot be opened, migrated or written."""
