"""The just-filed report's code, kept for the done page in a cookie of its own: never in the session.

The session cookie may say who is logged in; a tracking code or report id beside it would tie an
anonymous report to that person on the phone and in anything that stores the cookie. So the code
rides in a separate signed cookie, sent only to the done page's path, for a few minutes: a reload
(WeChat reloads pages on low-memory phones) still shows it, and then it is gone from the phone.
"""
from flask import current_app, request
from itsdangerous import BadSignature, URLSafeSerializer

import clock

COOKIE = "report_done"
MINUTES = 10
_SALT = "report-done-v1"


def _signer() -> URLSafeSerializer:
    """Signs the cookie with the app's secret (its age is checked against the app's clock)."""
    return URLSafeSerializer(current_app.config["SECRET_KEY"], salt=_SALT)


def _path(slug: str) -> str:
    """The one path the cookie is sent to."""
    return f"/v/{slug}/report/done"


def remember(response, slug: str, code: str, level: str, anonymous: bool = True) -> None:
    """Keep the code for the done page of this village (HttpOnly, only that path, a few minutes).

    `anonymous` only chooses the page's words (no push can reach an anonymous reporter); it names nobody."""
    data = {"c": code, "l": level, "v": slug, "t": int(clock.now().timestamp()), "a": bool(anonymous)}
    response.set_cookie(COOKIE, _signer().dumps(data), max_age=MINUTES * 60,
                        path=_path(slug), httponly=True, samesite="Strict",
                        secure=current_app.config["SESSION_COOKIE_SECURE"])


def recall(slug: str) -> dict | None:
    """The code kept for this village's done page, if it is still fresh: {code, level, anonymous}."""
    raw = request.cookies.get(COOKIE)
    if not raw:
        return None
    try:
        data = _signer().loads(raw)
    except BadSignature:
        return None
    if not isinstance(data, dict) or data.get("v") != slug:
        return None
    if not isinstance(data.get("t"), int) or clock.now().timestamp() - data["t"] > MINUTES * 60:
        return None
    return {"code": data.get("c", ""), "level": data.get("l", "village"), "anonymous": data.get("a", True) is not False}
