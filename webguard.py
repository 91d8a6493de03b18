"""Response headers and request checks that protect every page: CSP, trusted proxies.

The API's CSRF rule needs to know who the session cookie logs in, so accounts registers it (accounts.login.api_csrf).
"""
import ipaddress

from flask import Flask, g, request
from werkzeug.middleware.proxy_fix import ProxyFix


CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data: blob:; "
    "font-src 'self' data:; connect-src 'self'; object-src 'none'; base-uri 'self'; "
    "frame-ancestors 'none'; form-action 'self'"
)


def admit_script_host(origin: str) -> None:
    """Let this response load scripts from `origin` too (WeChat's JS-SDK, only on the pages that use it)."""
    hosts = g.setdefault("csp_script_hosts", [])
    if origin and origin not in hosts:
        hosts.append(origin)


def policy() -> str:
    """The Content-Security-Policy of this response: CSP, plus any script host the page admitted."""
    hosts = g.get("csp_script_hosts") or []
    return CSP.replace("script-src 'self'", " ".join(["script-src 'self'", *hosts]), 1) if hosts else CSP


FORWARDED_HEADERS = ("HTTP_FORWARDED", "HTTP_X_FORWARDED_FOR", "HTTP_X_FORWARDED_PROTO", "HTTP_X_FORWARDED_HOST",
                     "HTTP_X_FORWARDED_PORT", "HTTP_X_FORWARDED_PREFIX")


class TrustedProxyFix:
    """ProxyFix for requests that come from a configured proxy; anyone else's X-Forwarded-* is dropped.

    werkzeug's ProxyFix believes the header from any peer, so a client reaching gunicorn directly
    could name any address and escape every per-address limit.
    """

    def __init__(self, wsgi_app, networks: tuple):
        self.wsgi_app = wsgi_app
        self.networks = networks
        self.behind_proxy = ProxyFix(wsgi_app, x_for=1, x_proto=1, x_host=1)

    def from_proxy(self, address: str | None) -> bool:
        """Is this peer address one of the configured proxies?"""
        try:
            peer = ipaddress.ip_address((address or "").split("%")[0])
        except ValueError:
            return False
        return any(peer in network for network in self.networks)

    def __call__(self, environ, start_response):
        if self.networks and self.from_proxy(environ.get("REMOTE_ADDR")):
            return self.behind_proxy(environ, start_response)
        for key in FORWARDED_HEADERS:
            environ.pop(key, None)
        return self.wsgi_app(environ, start_response)


def init_app(app: Flask) -> None:
    """Install the proxy fix (behind nginx) and the security headers."""
    app.wsgi_app = TrustedProxyFix(app.wsgi_app, app.config["TRUSTED_PROXIES"])

    @app.after_request
    def _headers(response):
        response.headers.setdefault("Content-Security-Policy", policy())
        response.headers.setdefault("X-Content-Type-Options", "nosniff")
        response.headers.setdefault("Referrer-Policy", "same-origin")
        response.headers.setdefault("X-Frame-Options", "DENY")
        if request.path.startswith("/static/") and not request.args.get("v") and "/vendor/" not in request.path:
            response.cache_control.max_age = 300  # unversioned URL: do not let WeChat keep it for a year
            response.headers.pop("Expires", None)  # send_file dated it a year ahead; max-age says it all
        return response
