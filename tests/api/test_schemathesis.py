"""Schemathesis fuzzes the served API from its own OpenAPI document, as every role: no 5xx, every answer as documented.

The app is served for real (gunicorn with deploy/gunicorn.conf.py, two workers) on a fresh demo database (`live`:
SQLite, or PostgreSQL when TEST_DATABASE_URL is set). Each role logs in through POST /api/v1/auth/login with its
demo account (API.md) and the schemathesis CLI sends that token with every request.

- Checks: all but `positive_data_acceptance` (it wants every business rule in the schema: a valid spreadsheet, a
  photo that decodes, a reason when correcting) and `object_level_authorization` (scope is tests/*/test_scope.py's
  and the route matrix's job).
- Strings carry no NUL: webguard refuses NUL in every field by design (tests/test_unstorable_text.py), which a
  schema cannot say without a pattern on every string.
- Rate limits are off in this server (RATELIMIT_ENABLED=0) so the fuzzer reaches past them; tests/deploy holds
  the limits themselves.
- The same examples every run (fixed seed) unless HYPOTHESIS_PROFILE=long, which lets schemathesis pick a seed and
  try ten times as many.
"""
import json
import os
import subprocess
import sys
import time
import urllib.request
from collections import Counter
from pathlib import Path

import pytest

from tests.databases import fresh_database
from tests.serving import build_demo, demo_env, serve

pytestmark = pytest.mark.live
SCHEMATHESIS = Path(sys.executable).with_name("schemathesis")
LONG = os.environ.get("HYPOTHESIS_PROFILE", "ci") == "long"
EXAMPLES = 100 if LONG else 10
# Demo accounts of API.md. Township staff last: its writes (revoking codes, paying statements) change the most.
ROLES = {
    "anonymous": None,
    "villager": ("13900000101", "demo-villager"),
    "shopkeeper": ("13900000201", "demo-shop"),
    "clerk": ("13900000011", "demo-clerk"),
    "committee": ("13900000012", "demo-committee"),
    "inspector": ("13900000002", "demo-inspector"),
    "township": ("13900000001", "demo-township"),
}
EXCLUDED_CHECKS = "positive_data_acceptance,object_level_authorization"
SLUGS = ("hexi", "chama")


@pytest.fixture(scope="module")
def served(tmp_path_factory):
    """Base URL of the demo served by gunicorn as deployed, limits off, on its own database."""
    folder = tmp_path_factory.mktemp("fuzz")
    env = demo_env(folder, fresh_database(folder, "fuzz"), RATELIMIT_ENABLED="0", WEB_WORKERS="2", WEB_THREADS="4")
    build_demo(env)
    with serve("gunicorn", env, folder / "gunicorn.log") as base:
        yield base


def log_in(base: str, phone: str, password: str) -> str:
    """A bearer token through the JSON login, as a client gets one."""
    body = json.dumps({"phone": phone, "password": password}).encode()
    request = urllib.request.Request(base + "/api/v1/auth/login", data=body, method="POST",
                                     headers={"Content-Type": "application/json"})
    with urllib.request.urlopen(request, timeout=30) as response:
        return json.load(response)["token"]


def _call(base: str, path: str, token: str | None = None, body: dict | None = None) -> dict:
    """One JSON request to the served API."""
    headers = {"Content-Type": "application/json", **({"Authorization": f"Bearer {token}"} if token else {})}
    request = urllib.request.Request(base + path, headers=headers, method="POST" if body is not None else "GET",
                                     data=json.dumps(body).encode() if body is not None else None)
    with urllib.request.urlopen(request, timeout=30) as response:
        return json.load(response)


@pytest.fixture(scope="module")
def known_values(served, tmp_path_factory) -> Path:
    """A schemathesis config that often draws path and body values the demo really has, so requests get past 404.

    Village slugs, small ids (the demo's rows), its QR and shop codes, and tracking codes of two reports filed here.
    """
    township = log_in(served, *ROLES["township"])
    qr = [row["code"] for slug in SLUGS for row in _call(served, f"/api/v1/villages/{slug}/codes?per_page=100",
                                                             township)["items"]]
    shops = [row["code"] for row in _call(served, "/api/v1/shops?per_page=100")["items"]]
    tracking = [_call(served, "/api/v1/villages/hexi/reports", body={
        "category": "环境卫生", "content": f"村口路灯坏了第{n}盏，晚上看不清路。", "anonymous": True})["tracking_code"]
        for n in (1, 2)]
    dictionaries = {"slugs": list(SLUGS), "ids": list(range(1, 31)), "codes": qr + shops + tracking,
                    "shop_codes": shops, "tracking_codes": tracking}
    bindings = {"slug": "slugs", "id": "ids", "report_id": "ids", "settlement_id": "ids", "redemption_id": "ids",
                "code": "codes", "body.main_id": "ids", "body.target_id": "ids", "body.shop_code": "shop_codes",
                "body.tracking_code": "tracking_codes"}
    lines = [f"[dictionaries.{name}]\nvalues = {json.dumps(values, ensure_ascii=False)}\n"
             for name, values in dictionaries.items()]
    lines.append("[parameters]")
    lines += [f'"{key}" = {{ dictionary = "{name}", probability = 0.7 }}' for key, name in bindings.items()]
    config = tmp_path_factory.mktemp("fuzz-config") / "schemathesis.toml"
    config.write_text("\n".join(lines) + "\n")
    return config


def fuzz(base: str, token: str | None, folder: Path, config: Path) -> tuple[subprocess.CompletedProcess, list[dict]]:
    """Run the schemathesis CLI against the served document; its result and every request it sent (HAR)."""
    har = folder / "requests.har"
    command = [str(SCHEMATHESIS), "--config-file", str(config), "run", f"{base}/api/v1/openapi.json",
               "--checks", "all",
               "--exclude-checks", EXCLUDED_CHECKS, "--max-examples", str(EXAMPLES), "--workers", "1",
               "--generation-allow-x00", "false", "--generation-database", "none", "--request-timeout", "30",
               "--no-color", "--report", "har", "--report-har-path", str(har)]
    if not LONG:
        command += ["--seed", "20261202"]
    if token:
        command += ["--header", f"Authorization: Bearer {token}"]
    done = subprocess.run(command, cwd=folder, capture_output=True, text=True, timeout=600)
    entries = json.loads(har.read_text())["log"]["entries"] if har.exists() else []
    return done, entries


@pytest.mark.parametrize("role", list(ROLES))
def test_every_answer_is_documented_and_none_is_a_server_error(served, known_values, role, tmp_path, capsys):
    account = ROLES[role]
    token = log_in(served, *account) if account else None
    started = time.monotonic()
    done, entries = fuzz(served, token, tmp_path, known_values)
    statuses = Counter(entry["response"]["status"] for entry in entries)
    with capsys.disabled():
        print(f"\nschemathesis as {role}: {len(entries)} requests in {time.monotonic() - started:.0f} s, "
              f"statuses {dict(sorted(statuses.items()))}")
    report = _failures(done.stdout) + done.stderr[-2000:]
    assert done.returncode == 0, report
    assert not [status for status in statuses if status >= 500], report
    assert len(entries) >= 500, f"schemathesis sent only {len(entries)} requests:\n{report}"
    if token:  # the token really logged the role in: some operation that needs it answered 2xx
        secured = [e for e in entries if e["response"]["status"] < 300 and _needs_login(e["request"]["url"])]
        assert secured, f"no request as {role} reached an operation that needs a login"


def _needs_login(url: str) -> bool:
    """Paths only a logged-in caller gets a 2xx from (the public ones answer anyone)."""
    path = url.split("/api/v1", 1)[1].split("?", 1)[0]
    return path.startswith(("/me", "/triage", "/township", "/shop/", "/codes/")) or path.endswith("/codes")


def _failures(output: str) -> str:
    """The FAILURES and ERRORS sections of schemathesis' output (whole, they are what to fix), else its tail."""
    start = min((i for i in (output.find("== FAILURES =="), output.find("== ERRORS ==")) if i >= 0), default=-1)
    end = output.find("== WARNINGS ==")
    return output[start:end if end > start else None][:20000] if start >= 0 else output[-6000:]
