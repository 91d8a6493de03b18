"""Signals the report lifecycle sends, so other areas (points, notifications) react without being imported here.

Each is sent with the report as sender and keyword `actor` (the handler's User or None). Receivers run
inside the same database transaction and must only flush, never commit.
"""
from blinker import Namespace

_signals = Namespace()

report_submitted = _signals.signal("report-submitted")
report_accepted = _signals.signal("report-accepted")  # a named reporter earns 实名举报被受理
report_published = _signals.signal("report-published")  # a named reporter earns 上回音壁
report_rated = _signals.signal("report-rated")  # a named reporter earns 评价答复
report_escalated = _signals.signal("report-escalated")  # also `action`: escalate, rate or appeal
report_answered = _signals.signal("report-answered")  # the case (or a duplicate closed with it) got its answer
handler_messaged = _signals.signal("handler-messaged")  # a handler asked or told the reporter something
reporter_replied = _signals.signal("reporter-replied")
