"""opsroom: war reporting in, a sourced conflict-event record out."""

__version__ = "0.1.0"
