"""Issue 14, done means: with WeChat faked on loopback and the job worker running, a villager inside WeChat logs in
through WeChat, files a named report, subscribes on the done page with WeChat's own button, and WeChat receives
exactly one message per step (accepted, question, sent up, answered), none with the report's text, name or code.
Also: the wall's share card and 扫一扫 through wx.scanQRCode."""
import hashlib
import json
import subprocess
import sys
import time
from collections import Counter
from types import SimpleNamespace

import pytest

from tests.databases import fresh_database
from tests.e2e.conftest import ARTIFACTS
from tests.e2e.wechat_fake import SDK_PATH, WeChatForPhones
from tests.serving import ROOT, build_demo, demo_env, free_port

APPID, SECRET = "wx-e2e-official", "wx-e2e-secret-Hh31"
REPORTER_KINDS = ("accepted", "question", "answered", "sent_up")
TEMPLATES = {kind: f"TPL-E2E-{kind.upper()}" for kind in (*REPORTER_KINDS, "new_case", "due_soon")}
OPENID = "oE2eVillager0123456789abcdef"
CONTENT = "村西头的水渠堵了一个多月，下雨就漫到路上。"


def _wait_up(base: str, process: subprocess.Popen, log) -> None:
    import urllib.request

    deadline = time.time() + 60
    while True:
        try:
            urllib.request.urlopen(base + "/", timeout=2)
            return
        except OSError:
            if process.poll() is not None or time.time() > deadline:
                raise RuntimeError(f"the server did not start; see {log}")
            time.sleep(0.2)


@pytest.fixture(scope="module")
def reach_site(tmp_path_factory):
    """The demo served with WeChat configured against the fake, and `flask jobs worker` beside it."""
    root = tmp_path_factory.mktemp("reach")
    with WeChatForPhones(APPID, SECRET, set(TEMPLATES.values())) as fake:
        port = free_port()
        base = f"http://127.0.0.1:{port}"
        env = demo_env(root, fresh_database(root, "reach"), FLASK_DEBUG="1", RATELIMIT_ENABLED="0", BASE_URL=base,
                       WECHAT_APPID=APPID, WECHAT_SECRET=SECRET, WECHAT_API_URL=fake.url, WECHAT_OPEN_URL=fake.url,
                       WECHAT_JSSDK_URL=fake.url + SDK_PATH, WECHAT_TIMEOUT="2", JOBS_IMMEDIATE="0",
                       JOBS_SQLITE_PATH=str(root / "jobs.sqlite3"),
                       **{f"WECHAT_TEMPLATE_{kind.upper()}": template for kind, template in TEMPLATES.items()})
        build_demo(env)
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        log_path = ARTIFACTS / "reach-server.log"
        log = open(log_path, "w")
        server = subprocess.Popen([sys.executable, "-m", "flask", "--app", "app", "run", "--no-debugger", "--no-reload",
                                   "--host", "127.0.0.1", "--port", str(port)], cwd=ROOT, env=env, stdout=log,
                                  stderr=subprocess.STDOUT)
        worker = subprocess.Popen([sys.executable, "-m", "flask", "--app", "app", "jobs", "worker", "--workers", "1"],
                                  cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)
        try:
            _wait_up(base, server, log_path)
            yield SimpleNamespace(base=base, fake=fake)
        finally:
            for process in (server, worker):
                process.terminate()
            for process in (server, worker):
                try:
                    process.wait(timeout=20)
                except subprocess.TimeoutExpired:
                    process.kill()
            log.close()


def _login_through_wechat(page, base: str, fake, next_path: str) -> None:
    """WeChat's silent login; the first time the phone number is proved with a code from the dev outbox."""
    fake.next_openid = OPENID
    page.goto(f"{base}/login/wechat?next={next_path}")
    page.wait_for_url("**/login/sms**")
    page.fill("input[name=phone]", "13900000101")
    page.click("button[type=submit]")
    page.wait_for_url("**/login/sms/verify**")
    outbox = page.context.new_page()
    outbox.goto(base + "/dev/sms")
    code = outbox.inner_text("main").split("验证码是")[-1][:6]
    outbox.close()
    page.fill("input[name=code]", code)
    page.click("button[type=submit]")
    page.wait_for_load_state()
    # WeChat's #wechat_redirect stays on the URL through the redirects, as in WeChat's browser
    assert page.url.split("#")[0].endswith(next_path), (page.url, page.inner_text("main")[:300])


def _post(url: str, body: dict, headers: dict | None = None) -> dict:
    """A JSON POST from outside the phone (no cookies): what a handler's app does."""
    import urllib.request

    request = urllib.request.Request(url, data=json.dumps(body).encode(), method="POST",
                                     headers={"Content-Type": "application/json", **(headers or {})})
    with urllib.request.urlopen(request, timeout=30) as answer:
        return json.loads(answer.read())


def _staff_token(page, base: str, phone: str, password: str) -> dict:
    answer = _post(base + "/api/v1/auth/login", {"phone": phone, "password": password})
    return {"Authorization": f"Bearer {answer['token']}"}


def _act(page, base: str, headers: dict, report_id: int, **body) -> None:
    _post(f"{base}/api/v1/triage/reports/{report_id}/actions", body, headers)


def _messages_to(fake, openid: str, count: int, seconds: float = 90) -> list[dict]:
    """Wait until the fake holds `count` messages for `openid` (the worker sends them), then a little longer."""
    deadline = time.time() + seconds
    while len([m for m in fake.messages if m["touser"] == openid]) < count and time.time() < deadline:
        time.sleep(0.3)
    time.sleep(3)  # anything extra would arrive now
    return [m for m in fake.messages if m["touser"] == openid]


def test_a_wechat_reporter_subscribes_and_hears_each_step_exactly_once(page, reach_site):
    base, fake = reach_site.base, reach_site.fake
    _login_through_wechat(page, base, fake, "/v/hexi/report")
    page.click("label.chip:has-text('环境卫生')")
    page.fill("#content", CONTENT)
    page.check("input[name=anonymous][value='0']")
    page.click("#submit-report")
    page.wait_for_url("**/v/hexi/report/done")
    tracking = page.inner_text("#tracking-code").strip()
    page.wait_for_selector("#subscribe-box:not([hidden])")  # wx.config went through: WeChat's button is shown
    config = page.evaluate("window.__wx.config")
    signed = (f"jsapi_ticket={fake.tickets[-1]}&noncestr={config['nonceStr']}&timestamp={config['timestamp']}"
              f"&url={page.url.split('#')[0]}")
    assert config["signature"] == hashlib.sha1(signed.encode()).hexdigest() and config["appId"] == APPID
    assert "wx-open-subscribe" in config["openTagList"]
    page.shot = lambda name: page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)
    page.shot("reach-done-subscribe")
    page.click("#wx-subscribe")
    page.wait_for_selector("#subscribe-result:not([hidden])")
    assert "已订阅" in page.inner_text("#subscribe-result")

    report_id = page.request.get(base + "/api/v1/me/reports").json()["items"][0]["id"]
    committee = _staff_token(page, base, "13900000012", "demo-committee")
    inspector = _staff_token(page, base, "13900000002", "demo-inspector")
    _act(page, base, committee, report_id, action="accept")
    _act(page, base, committee, report_id, action="message", text="请问具体是哪一段水渠？")
    _act(page, base, committee, report_id, action="message", text="附近还有别的情况吗？")  # the same step again
    _act(page, base, committee, report_id, action="escalate", text="要镇里协调挖掘机。")
    _act(page, base, inspector, report_id, action="accept")  # accepted again at the township: already told
    _act(page, base, inspector, report_id, action="answer", text="已派挖掘机疏通，下周复查。")

    sent = _messages_to(fake, OPENID, len(REPORTER_KINDS))
    steps = {template: kind for kind, template in TEMPLATES.items()}
    assert Counter(steps[m["template_id"]] for m in sent) == Counter(REPORTER_KINDS)
    assert {m["page"] for m in sent} == {f"{base}/me/reports/{report_id}"}
    text = json.dumps(sent, ensure_ascii=False)
    for secret in ("水渠", "挖掘机", "13900000101", tracking, tracking.replace("-", "")):
        assert secret not in text

    stranger = page.context.browser.new_context()
    try:
        other = stranger.new_page()
        other.goto(sent[0]["page"])
        assert "/login" in other.url  # the message's link asks for login as usual
    finally:
        stranger.close()


def test_inside_wechat_the_wall_shares_a_card_and_the_village_home_scans(page, reach_site):
    base = reach_site.base
    page.goto(base + "/v/hexi/wall")
    page.wait_for_function("() => window.__wx && window.__wx.shares.length >= 2")
    card = page.evaluate("window.__wx.shares[0]")
    assert card["title"] == "河西村回音壁" and card["link"] == f"{base}/v/hexi/wall"
    assert card["imgUrl"].startswith(f"{base}/static/img/share.png")

    page.goto(base + "/v/hexi")
    page.wait_for_function("() => window.__wx && window.__wx.config")
    page.evaluate(f"window.__wxScanResult = {json.dumps(base + '/v/hexi/wall')}")
    page.click("#scan-button")
    page.wait_for_url("**/v/hexi/wall")
    page.goto(base + "/v/hexi")
    page.wait_for_function("() => window.__wx && window.__wx.config")
    page.evaluate("window.__wxScanResult = 'https://pay.example.com/x'")
    page.click("#scan-button")
    page.wait_for_selector("#scan-foreign:not([hidden])")
    assert page.url.endswith("/v/hexi")
