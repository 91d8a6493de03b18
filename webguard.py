"""Response headers and request checks that protect every page: CSP, proxies, API CSRF."""
from flask import Flask, request
from werkzeug.middleware.proxy_fix import ProxyFix

from accounts.login import session_user

from extensions import csrf

CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data: blob:; "
    "font-src 'self' data:; connect-src 'self'; object-src 'none'; base-uri 'self'; "
    "frame-ancestors 'none'; form-action 'self'"
)


def init_app(app: Flask) -> None:
    """Install the proxy fix (behind nginx), security headers and the API's CSRF rule."""
    if app.config["TRUST_PROXY"]:
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=1, x_proto=1, x_host=1)

    @app.after_request
    def _headers(response):
        response.headers.setdefault("Content-Security-Policy", CSP)
        response.headers.setdefault("X-Content-Type-Options", "nosniff")
        response.headers.setdefault("Referrer-Policy", "same-origin")
        response.headers.setdefault("X-Frame-Options", "DENY")
        if request.path.startswith("/static/") and not request.args.get("v") and "/vendor/" not in request.path:
            response.cache_control.max_age = 300  # unversioned URL: do not let WeChat keep it for a year
        return response

    @app.before_request
    def _api_csrf():
        # A browser sends its session cookie to any site's forms, so a write that the cookie
        # authenticates must carry the page's token in X-CSRFToken, whatever Authorization header
        # comes with it (an attacker can add `Bearer junk`). Only a caller whom no session cookie
        # logs in, i.e. one holding a bearer token, is exempt: nobody else can make it send one.
        if not request.path.startswith("/api/") or request.method in ("GET", "HEAD", "OPTIONS"):
            return None
        if app.config.get("WTF_CSRF_ENABLED", True) and session_user() is not None:
            csrf.protect()
        return None
