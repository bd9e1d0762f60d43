"""Ingest: readers, splitting, cleaning, metadata and article dedup."""

from .clean import prepare
from .readers import ReadOptions, read_inputs

__all__ = ["ReadOptions", "prepare", "read_inputs"]
