"""X-Forwarded-* counts only from a configured proxy; a direct client cannot choose its own address."""
import pytest
from flask import request

from app import create_app
from config import ConfigError

FORGED = {"X-Forwarded-For": "203.0.113.9", "X-Forwarded-Proto": "https", "X-Forwarded-Host": "evil.example"}


def _app(tmp_path, **config):
    """An app with a route that shows how it sees the caller."""
    app = create_app({"TESTING": True, "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path}/p.db", **config})

    @app.route("/_seen")
    def seen():
        return {"addr": request.remote_addr, "scheme": request.scheme, "host": request.host,
                "route": request.access_route}

    return app


def _seen(app, peer: str, headers: dict) -> dict:
    return app.test_client().get("/_seen", headers=headers, environ_base={"REMOTE_ADDR": peer}).get_json()


def test_by_default_no_peer_is_trusted(tmp_path):
    seen = _seen(_app(tmp_path), "127.0.0.1", FORGED)
    assert seen == {"addr": "127.0.0.1", "scheme": "http", "host": "localhost", "route": ["127.0.0.1"]}


def test_a_direct_client_cannot_forge_its_address(tmp_path):
    seen = _seen(_app(tmp_path, TRUSTED_PROXIES="127.0.0.1"), "198.51.100.7", FORGED)
    assert seen == {"addr": "198.51.100.7", "scheme": "http", "host": "localhost", "route": ["198.51.100.7"]}


@pytest.mark.parametrize("proxies,peer", [("127.0.0.1", "127.0.0.1"), ("10.0.0.0/8, ::1", "10.1.2.3"),
                                          (["192.0.2.1"], "192.0.2.1"), ("127.0.0.1,::1", "::1")])
def test_a_configured_proxy_is_believed_for_the_last_hop_only(tmp_path, proxies, peer):
    headers = dict(FORGED, **{"X-Forwarded-For": "6.6.6.6, 203.0.113.9"})  # the client's own claim, then nginx's
    seen = _seen(_app(tmp_path, TRUSTED_PROXIES=proxies), peer, headers)
    assert seen["addr"] == "203.0.113.9" and seen["scheme"] == "https" and seen["host"] == "evil.example"


def test_unreadable_proxy_addresses_refuse_to_start(tmp_path):
    with pytest.raises(ConfigError, match="TRUSTED_PROXIES"):
        _app(tmp_path, TRUSTED_PROXIES="127.0.0.1, nginx-box")


def test_the_old_trust_everyone_switch_refuses_to_start(tmp_path, monkeypatch):
    monkeypatch.setenv("TRUST_PROXY", "1")
    monkeypatch.delenv("TRUSTED_PROXIES", raising=False)
    with pytest.raises(ConfigError, match="TRUSTED_PROXIES=127.0.0.1"):
        _app(tmp_path)


def test_address_limits_cannot_be_escaped_by_rotating_the_header(tmp_path):
    app = _app(tmp_path, TRUSTED_PROXIES="10.0.0.1", RATELIMIT_ENABLED=True)
    from extensions import db

    with app.app_context():
        db.create_all()
    client = app.test_client()
    statuses = [client.post("/api/v1/auth/login", json={"phone": f"139{i:08d}", "password": "x"},
                            headers={"X-Forwarded-For": f"203.0.113.{i}"},
                            environ_base={"REMOTE_ADDR": "198.51.100.7"}).status_code for i in range(35)]
    assert statuses.count(401) == 30 and statuses[30:] == [429] * 5
