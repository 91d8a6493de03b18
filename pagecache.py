"""What makes a public page cheap to serve again: no cookie for a visitor who has no form, ETags, a short shared cache.

- A visitor who sends no cookie and gets a page without a form gets no session cookie back and no
  `Vary: Cookie` (the page is the same for every such visitor). Flask would add both as soon as the
  login manager looked into the empty session.
- Every successful GET answered with HTML or JSON carries an ETag made from its body; a repeat with
  `If-None-Match` gets 304 and no body, so a phone's repeat visit costs a few hundred bytes.
- The endpoints of SHARED (the village pages, disclosures, the wall and their JSON twins), when asked
  by a visitor without a session or a token, say `Cache-Control: public, max-age=0, s-maxage=N`: a
  browser always revalidates (so it never shows an old page), nginx's cache may answer for N seconds
  (`PUBLIC_CACHE_SECONDS`, deploy/nginx.conf keys it on the cookies that change such a page). Within
  those seconds a change (a disclosure, a wall entry, a village's counts) is not yet seen; after them,
  the ETag of the new body differs and everyone gets it. Everything else is `private, no-cache`.
Pages of a person (a tracking code, a case, a desk) are not in SHARED, so no shared cache holds them.
"""
import hashlib

from flask import Flask, current_app, request, session
from flask.sessions import SecureCookieSessionInterface

CACHEABLE_TYPES = ("text/html", "application/json")

# The endpoints whose answer to a visitor without a session or token is the same for all of them.
SHARED = frozenset({
    "home.index", "home.village_home", "home_api.village",
    "disclosure.village_disclosures", "disclosure.disclosure_detail", "disclosure.powers", "disclosure.cadres",
    "disclosure_api.list_disclosures", "disclosure_api.get_disclosure", "disclosure_api.list_powers",
    "disclosure_api.list_cadres",
    "wall.wall", "wall_api.village_wall", "points_api.shops",
})


class QuietSessionInterface(SecureCookieSessionInterface):
    """Signed-cookie sessions that say nothing to a visitor who sent no cookie and was given nothing to keep."""

    def save_session(self, app, session, response):
        super().save_session(app, session, response)
        if not request.cookies and not session and "Set-Cookie" not in response.headers:
            response.vary.discard("Cookie")  # the same answer for every visitor who sends no cookie


def init_app(app: Flask) -> None:
    """Install the quiet sessions and the ETag and Cache-Control rules."""
    app.session_interface = QuietSessionInterface()
    app.after_request(_validators)


def anonymous_request() -> bool:
    """A request with neither a session cookie nor a bearer token: nothing in it names a person."""
    return (current_app.config["SESSION_COOKIE_NAME"] not in request.cookies
            and "Authorization" not in request.headers and not session)


def _validators(response):
    """ETag and conditional GET for pages and JSON; public caching only for shared views of anonymous visitors."""
    if request.method not in ("GET", "HEAD") or response.status_code != 200 or response.is_streamed \
            or response.direct_passthrough or response.mimetype not in CACHEABLE_TYPES:
        return response
    public = (request.endpoint in SHARED and anonymous_request() and not session.modified
              and "Set-Cookie" not in response.headers)
    if "Cache-Control" not in response.headers:
        if public:
            seconds = current_app.config["PUBLIC_CACHE_SECONDS"]
            response.headers["Cache-Control"] = f"public, max-age=0, s-maxage={seconds}"
            response.headers["X-Accel-Expires"] = str(seconds)  # nginx reads this one; it never reaches the phone
        else:
            response.headers["Cache-Control"] = "private, no-cache"
    if "ETag" not in response.headers and "no-store" not in response.headers["Cache-Control"]:
        response.set_etag(hashlib.blake2b(response.get_data(), digest_size=12).hexdigest())
    return response.make_conditional(request)
