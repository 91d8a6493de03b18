"""Signals of the disclosure area, so others (points) react without being imported here.

`finance_read` is sent with the disclosure as sender and keyword `user` when a logged-in person opens a
published finance disclosure; receivers run in the request's transaction and only flush.
"""
from blinker import Namespace

_signals = Namespace()

finance_read = _signals.signal("finance-disclosure-read")
