"""``python -m opsroom`` runs the command line."""

from .cli import app

app(prog_name="opsroom")
