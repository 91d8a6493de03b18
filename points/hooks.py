"""Connects the points area to the report lifecycle's signals (see citizen/signals.py)."""


def connect() -> None:
    """Subscribe the earn rules to report events; called once by create_app."""
