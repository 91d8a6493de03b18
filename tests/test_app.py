"""The app factory's configuration, shell, headers and error pages."""
import re
from pathlib import Path

import pytest
import sqlalchemy as sa

from app import create_app
from config import ConfigError

ROOT = Path(__file__).resolve().parents[1]


def test_refuses_to_start_in_production_without_secret_key(monkeypatch, tmp_path):
    monkeypatch.delenv("SECRET_KEY", raising=False)
    monkeypatch.delenv("FLASK_DEBUG", raising=False)
    with pytest.raises(ConfigError, match="SECRET_KEY"):
        create_app({"SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path}/x.db"})


def test_production_cookies_are_secure(monkeypatch, tmp_path):
    monkeypatch.delenv("FLASK_DEBUG", raising=False)
    monkeypatch.setenv("SECRET_KEY", "k" * 32)
    app = create_app({"SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path}/x.db"})
    assert app.config["SESSION_COOKIE_SECURE"] and app.config["SESSION_COOKIE_HTTPONLY"]
    assert not app.config["SHOW_DEV_OUTBOX"] and app.config["MAX_CONTENT_LENGTH"]
    assert app.config["WTF_CSRF_TIME_LIMIT"] is None


def test_postgres_urls_use_psycopg3(monkeypatch, tmp_path):
    monkeypatch.setenv("DATABASE_URL", "postgres://u:p@127.0.0.1:5432/cunwu")
    from config import defaults

    assert defaults(str(tmp_path))["SQLALCHEMY_DATABASE_URI"] == "postgresql+psycopg://u:p@127.0.0.1:5432/cunwu"


def test_sqlite_runs_wal_full_sync_with_foreign_keys(tmp_path):
    from extensions import db

    app = create_app({"TESTING": True, "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path}/p.db"})
    with app.app_context(), db.engine.connect() as conn:
        assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert conn.exec_driver_sql("PRAGMA synchronous").scalar() == 2  # FULL
        assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
        assert conn.exec_driver_sql("PRAGMA busy_timeout").scalar() >= 5000


def test_unknown_village_is_a_chinese_404_page(client):
    response = client.get("/v/no-such-place")
    assert response.status_code == 404 and "没有找到这个村" in response.get_data(as_text=True)


def test_unknown_api_path_is_json_404(client):
    response = client.get("/api/v1/no-such-thing")
    assert response.status_code == 404 and response.get_json()["error"]["code"] == "not_found"


def test_pages_send_a_csp_without_unsafe_inline(client, demo):
    response = client.get("/v/hexi")
    csp = response.headers["Content-Security-Policy"]
    assert "script-src 'self'" in csp and "unsafe-inline" not in csp
    assert response.headers["X-Content-Type-Options"] == "nosniff"


# WeChat's open tags take their button as a template WeChat renders in its own sandbox: the page neither
# runs nor styles it (its type is no script type), so it is no inline script or style of ours.
WXTAG_TEMPLATE = re.compile(r'<script type="text/wxtag-template"( slot="style")?>.*?</script>', re.DOTALL)


def test_templates_carry_no_inline_scripts_or_styles():
    offenders = []
    for path in (ROOT / "templates").rglob("*.html"):
        text = WXTAG_TEMPLATE.sub("", path.read_text(encoding="utf-8"))
        if re.search(r"<script(?![^>]*\bsrc=)[^>]*>", text) or re.search(r"\sstyle=", text) or "<style" in text:
            offenders.append(str(path.relative_to(ROOT)))
    assert offenders == []


def test_every_static_asset_url_carries_a_version(client, demo):
    page = client.get("/v/hexi").get_data(as_text=True)
    urls = re.findall(r'(?:href|src)="(/static/[^"]+)"', page)
    assert urls and all("?v=" in url or "/vendor/weui-2.6.26/" in url for url in urls)
    versioned = next(url for url in urls if "?v=" in url)
    assert client.get(versioned).cache_control.max_age >= 30 * 24 * 3600


def test_village_home_has_the_three_big_entries_and_tab_bar(client, demo):
    page = client.get("/v/hexi").get_data(as_text=True)
    for word in ("三务公开", "一键监督", "回音壁", "首页", "公开", "监督", "积分", "我的"):
        assert word in page
    assert 'data-weui-mode="care"' in page and "viewport-fit=cover" in page and "user-scalable" not in page


def test_landing_lists_the_townships_villages(client, demo):
    page = client.get("/").get_data(as_text=True)
    assert "清溪镇" in page and "河西村" in page and "岔马村" in page


def test_large_text_switch_is_remembered_in_a_cookie(client, demo):
    response = client.post("/prefs/text-size", data={"big": "1", "next": "/v/hexi"})
    assert response.headers["Location"] == "/v/hexi"
    assert 'class="big-text"' in client.get("/v/hexi").get_data(as_text=True)


def test_failed_csrf_keeps_what_was_typed(app, client, demo, monkeypatch):
    monkeypatch.setitem(app.config, "WTF_CSRF_ENABLED", True)
    response = client.post("/login/sms", data={"phone": "13900000101"})
    page = response.get_data(as_text=True)
    assert response.status_code == 400 and "重新提交" in page and 'value="13900000101"' in page


def test_cookie_session_writes_through_api_need_the_csrf_header(app, client, login_as, monkeypatch, people):
    monkeypatch.setitem(app.config, "WTF_CSRF_ENABLED", True)
    login_as(people["villager"])
    response = client.post("/api/v1/auth/sms", json={"phone": "13900000101"})
    assert response.status_code == 400 and response.get_json()["error"]["code"] == "csrf_failed"


def test_bearer_writes_through_api_need_no_csrf(app, client, token_for, monkeypatch, people):
    monkeypatch.setitem(app.config, "WTF_CSRF_ENABLED", True)
    response = client.post("/api/v1/auth/sms", json={"phone": "13900000102"}, headers=token_for(people["villager"]))
    assert response.status_code == 202


def test_openapi_document_is_public(client):
    spec = client.get("/api/v1/openapi.json").get_json()
    assert spec["openapi"].startswith("3.") and "/api/v1/auth/login" in spec["paths"]


def test_create_admin_makes_a_township_account(app, session):
    from accounts.login import authenticate

    result = app.test_cli_runner().invoke(args=["create-admin", "--township", "新镇", "--slug", "xinzhen",
                                                "--phone", "13700000001", "--name", "管理员",
                                                "--password", "long-enough-pw"])
    assert result.exit_code == 0, result.output
    user = authenticate("13700000001", "long-enough-pw")
    assert [g.role for g in user.grants] == ["township"] and user.grants[0].township.slug == "xinzhen"


def test_create_admin_refuses_a_bad_phone(app, session):
    result = app.test_cli_runner().invoke(args=["create-admin", "--township", "新镇", "--slug", "xinzhen",
                                                "--phone", "123", "--name", "x", "--password", "long-enough-pw"])
    assert result.exit_code != 0 and "手机号" in result.output


def test_api_sends_chinese_as_is_not_escaped(client, demo):
    raw = client.post("/api/v1/auth/login", json={"phone": "13900000012", "password": "demo-committee"}).data
    assert "李秀英".encode() in raw and b"\\u" not in raw


def test_unexpected_error_is_a_chinese_500_page_and_json_under_api(tmp_path):
    app = create_app({"TESTING": True, "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path}/e.db"})

    @app.route("/boom")
    def boom():
        raise RuntimeError("kaboom")

    @app.route("/api/v1/boom")
    def api_boom():
        raise RuntimeError("kaboom")

    client = app.test_client()
    page = client.get("/boom")
    assert page.status_code == 500 and "系统出了点问题" in page.get_data(as_text=True)
    assert "kaboom" not in page.get_data(as_text=True)
    assert client.get("/api/v1/boom").get_json()["error"]["code"] == "server_error"


def test_too_many_login_attempts_get_a_chinese_429_page(client, demo):
    for i in range(10):
        client.post("/login", data={"phone": "13900000012", "password": f"wrong{i}"})
    response = client.post("/login", data={"phone": "13900000012", "password": "demo-committee"})
    assert response.status_code == 429 and "操作太频繁" in response.get_data(as_text=True)
