"""A village using the site at once: scans, finance pages, the wall, reports with a photo, redemptions and
committee actions, all released together against a served demo; then a check that every 201 is really there.

Used by tests/test_concurrent_use.py (50 at once, zero 5xx) and bench/bench_concurrent_use.py (throughput).
"""
import http.client
import io
import json
import threading
import time
import uuid
from collections import Counter
from dataclasses import dataclass, field
from urllib.parse import urlsplit

# How many of each kind in one round of 50.
MIX = {"scan": 8, "finance_anonymous": 6, "finance_villager": 6, "wall": 6, "report": 10, "redeem": 7,
       "committee": 7}
PEOPLE = {"villager": ("13900000101", "demo-villager"), "committee": ("13900000012", "demo-committee"),
          "township": ("13900000001", "demo-township"), "shop": ("13900000201", "demo-shop")}


@dataclass
class Result:
    """One request's kind, status, time and what it promised (a tracking code, a redemption id, a message)."""

    kind: str
    status: int
    seconds: float
    promise: dict = field(default_factory=dict)


def _request(base: str, method: str, path: str, body: bytes | None = None, headers: dict | None = None,
             timeout: float = 60) -> tuple[int, bytes]:
    """One HTTP request on its own connection, redirects not followed."""
    parts = urlsplit(base)
    conn = http.client.HTTPConnection(parts.hostname, parts.port, timeout=timeout)
    try:
        conn.request(method, path, body=body, headers=headers or {})
        response = conn.getresponse()
        return response.status, response.read()
    finally:
        conn.close()


def _json(base: str, method: str, path: str, payload=None, token: str | None = None,
          headers: dict | None = None) -> tuple[int, dict]:
    """A JSON API call."""
    sent = {"Content-Type": "application/json", **(headers or {})}
    if token:
        sent["Authorization"] = f"Bearer {token}"
    status, data = _request(base, method, path, json.dumps(payload).encode() if payload is not None else None, sent)
    try:
        return status, json.loads(data or b"{}")
    except ValueError:
        return status, {"raw": data[:200].decode(errors="replace")}


def photo_jpeg() -> bytes:
    """A 1200×900 photo-like JPEG with EXIF, as a phone would send."""
    from PIL import Image

    image = Image.effect_noise((1200, 900), 60).convert("RGB")
    out = io.BytesIO()
    image.save(out, "JPEG", quality=85, exif=b"Exif\x00\x00MM\x00*\x00\x00\x00\x08\x00\x00")
    return out.getvalue()


def _multipart(fields: dict, files: list[tuple[str, str, bytes]]) -> tuple[bytes, str]:
    """A multipart/form-data body and its content type."""
    boundary = uuid.uuid4().hex
    out = io.BytesIO()
    for name, value in fields.items():
        out.write(f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n'.encode())
    for name, filename, data in files:
        out.write(f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"; filename="{filename}"\r\n'
                  f'Content-Type: image/jpeg\r\n\r\n'.encode())
        out.write(data + b"\r\n")
    out.write(f"--{boundary}--\r\n".encode())
    return out.getvalue(), f"multipart/form-data; boundary={boundary}"


class Village:
    """What the mix needs to know about the served demo: tokens, a code, a finance page, a shop, open cases."""

    def __init__(self, base: str):
        self.base = base
        self.tokens = {}
        for who, (phone, password) in PEOPLE.items():
            status, body = _json(base, "POST", "/api/v1/auth/login", {"phone": phone, "password": password})
            assert status == 200, (who, status, body)
            self.tokens[who] = body["token"]
        _, codes = _json(base, "GET", "/api/v1/villages/hexi/codes?per_page=100", token=self.tokens["township"])
        self.scan_code = next(c["code"] for c in codes["items"] if c["active"] and c["kind"] == "village")
        _, board = _json(base, "GET", "/api/v1/villages/hexi/disclosures?category=finance")
        self.finance_id = board["items"][0]["id"]
        _, shops = _json(base, "GET", "/api/v1/shops?village=hexi")
        self.shop_code = shops["items"][0]["code"]
        _, cases = _json(base, "GET", "/api/v1/triage/reports?status=accepted&per_page=100",
                         token=self.tokens["committee"])
        self.open_cases = [c["id"] for c in cases["items"]]
        assert self.open_cases, "the demo should have accepted cases at 河西村"
        self.photo = photo_jpeg()


def _one(village: Village, kind: str, n: int, run: str) -> Result:
    """Send one request of this kind; the promise is what a 201 or 200 said was kept."""
    base, tokens, started = village.base, village.tokens, time.perf_counter()
    promise: dict = {}
    if kind == "scan":
        status, _ = _request(base, "GET", f"/q/{village.scan_code}")
    elif kind == "finance_anonymous":
        status, _ = _request(base, "GET", f"/d/{village.finance_id}")
    elif kind == "finance_villager":  # logged in: the read also earns a point, a write of its own
        status, _ = _request(base, "GET", f"/d/{village.finance_id}",
                             headers={"Authorization": f"Bearer {tokens['villager']}"})
    elif kind == "wall":
        status, _ = _request(base, "GET", "/v/hexi/wall")
    elif kind == "report":
        content = f"并发测试{run}-{n}：村口的路灯坏了很久，晚上看不清路。"
        body, content_type = _multipart({"category": "其他", "content": content, "anonymous": "true",
                                         "allow_public": "false"}, [("photos", "road.jpg", village.photo)])
        status, data = _request(base, "POST", "/api/v1/villages/hexi/reports", body, {"Content-Type": content_type})
        if status == 201:
            promise = {"tracking_code": json.loads(data)["tracking_code"], "content": content}
    elif kind == "redeem":
        key = f"mix-{run}-{n}"
        status, data = _json(base, "POST", f"/api/v1/shops/{village.shop_code}/redemptions", {"points": 1},
                             tokens["villager"], {"Idempotency-Key": key})
        if status == 201:
            promise = {"id": data["id"]}
    else:  # a committee member writes to a case
        case = village.open_cases[n % len(village.open_cases)]
        text = f"并发测试{run}-{n}：请补充路灯的具体位置。"
        status, data = _json(base, "POST", f"/api/v1/triage/reports/{case}/actions",
                             {"action": "message", "text": text}, tokens["committee"])
        if status == 200:
            promise = {"case": case, "text": text}
    return Result(kind, status, time.perf_counter() - started, promise)


def run_round(village: Village, run: str) -> list[Result]:
    """Release one request of every planned kind at the same moment, each from its own thread."""
    plan = [(kind, n) for kind, count in MIX.items() for n in range(count)]
    results: list[Result | None] = [None] * len(plan)
    barrier = threading.Barrier(len(plan))

    def worker(i: int) -> None:
        kind, n = plan[i]
        barrier.wait()
        try:
            results[i] = _one(village, kind, n, run)
        except OSError as exc:  # a refused or dropped connection counts as a failure, not a crash of the test
            results[i] = Result(kind, 599, 0.0, {"error": type(exc).__name__})

    threads = [threading.Thread(target=worker, args=(i,)) for i in range(len(plan))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return results


def missing_after(village: Village, results: list[Result]) -> list[str]:
    """Every promise that is not kept when read back afterwards: reports, redemptions, messages."""
    base, tokens, missing = village.base, village.tokens, []
    for result in results:
        if result.kind == "report" and result.promise:
            status, case = _json(base, "GET", f"/api/v1/track/{result.promise['tracking_code']}")
            if status != 200 or case.get("content") != result.promise["content"]:
                missing.append(f"report {result.promise['content'][:12]}: {status}")
    _, shop = _json(base, "GET", "/api/v1/shop/redemptions?per_page=100", token=tokens["shop"])
    seen = {item["id"] for item in shop.get("items", [])}
    missing += [f"redemption {r.promise['id']}" for r in results if r.kind == "redeem" and r.promise
                and r.promise["id"] not in seen]
    for result in results:
        if result.kind == "committee" and result.promise:
            _, case = _json(base, "GET", f"/api/v1/triage/reports/{result.promise['case']}", token=tokens["committee"])
            if not any(m.get("text") == result.promise["text"] for m in case.get("messages", [])):
                missing.append(f"message on case {result.promise['case']}")
    return missing


def summary(results: list[Result]) -> Counter:
    """Statuses by kind, e.g. {("report", 201): 10}."""
    return Counter((r.kind, r.status) for r in results)
