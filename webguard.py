"""Response headers and request checks that protect every page: CSP, trusted proxies, text that cannot be stored.

The API's CSRF rule needs to know who the session cookie logs in, so accounts registers it (accounts.login.api_csrf).
"""
import ipaddress
import re

from flask import Flask, g, request
from werkzeug.middleware.proxy_fix import ProxyFix

from errors import Invalid, NotFound


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


# NUL (PostgreSQL refuses it in text) and lone surrogates (no UTF-8 form, so no database stores them).
_UNSTORABLE = re.compile("[\x00\ud800-\udfff]")
UNSTORABLE_MESSAGE = "这里有无法保存的特殊字符（空字符或残缺的文字编码），请删去后重新输入。"


def unstorable_fields() -> list[str]:
    """Names of the query, form and JSON fields (top-level keys) whose text holds a character no database stores."""
    bad = [key for key, value in request.args.items(multi=True) if _UNSTORABLE.search(key + value)]
    if request.method not in ("GET", "HEAD", "OPTIONS"):
        bad += [key for key, value in request.form.items(multi=True) if _UNSTORABLE.search(key + value)]
        bad += [key for key, upload in request.files.items(multi=True)
                if _UNSTORABLE.search(key + (upload.filename or ""))]
        if request.is_json:
            data = request.get_json(silent=True)
            items = data.items() if isinstance(data, dict) else [("_schema", data)]
            bad += [key for key, value in items if _UNSTORABLE.search(key) or _holds_unstorable(value)]
    return list(dict.fromkeys(bad))


def _holds_unstorable(value) -> bool:
    """Does a parsed JSON value hold such a character in any string or key? (no recursion: JSON may nest deep)"""
    stack = [value]
    while stack:
        item = stack.pop()
        if isinstance(item, str):
            if _UNSTORABLE.search(item):
                return True
        elif isinstance(item, dict):
            stack.extend(item.keys())
            stack.extend(item.values())
        elif isinstance(item, list):
            stack.extend(item)
    return False


def refuse_unstorable_text() -> None:
    """Before every request: such text is refused with the fields named (422), and in a URL path names nothing (404)."""
    if _UNSTORABLE.search(request.path):
        raise NotFound()
    bad = unstorable_fields()
    if bad:
        raise Invalid(UNSTORABLE_MESSAGE, code="unstorable_text", fields={key: [UNSTORABLE_MESSAGE] for key in bad})


def init_app(app: Flask) -> None:
    """Install the proxy fix (behind nginx), the check on unstorable text, and the security headers."""
    app.wsgi_app = TrustedProxyFix(app.wsgi_app, app.config["TRUSTED_PROXIES"])
    app.before_request(refuse_unstorable_text)

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
