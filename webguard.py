"""Response headers and request checks that protect every page: CSP, proxies, API CSRF."""
from flask import Flask, request
from flask_login import current_user
from werkzeug.middleware.proxy_fix import ProxyFix

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
        # Bearer-token callers are not exposed to CSRF; a logged-in browser session writing
        # through the API must send the page's token in X-CSRFToken.
        if not request.path.startswith("/api/") or request.method in ("GET", "HEAD", "OPTIONS"):
            return None
        if request.headers.get("Authorization", "").startswith("Bearer "):
            return None
        if request.cookies.get(app.config.get("SESSION_COOKIE_NAME", "session")) and current_user.is_authenticated:
            csrf.protect()
        return None
