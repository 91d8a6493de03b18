"""Commands of the points area."""
from flask import Flask


def register(app: Flask) -> None:
    """Attach the points commands to `flask` (points-check arrives with the ledger)."""
