"""A small threaded HTTP server on loopback whose answers a test scripts: the base of the provider fakes."""
import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qsl, urlsplit


class FakeService:
    """Subclasses implement handle(method, path, query, headers, body) -> (status, dict or raw bytes[, headers])."""

    def __init__(self):
        self.mode = "ok"  # "ok", "slow", "garbage", "down" (HTTP 500), or a provider-specific error mode
        self.delay = 1.5
        self.requests: list[dict] = []
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def _answer(self):
                parts = urlsplit(self.path)
                body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
                query = dict(parse_qsl(parts.query, keep_blank_values=True))
                headers = {k.lower(): v for k, v in self.headers.items()}
                fake.requests.append({"method": self.command, "path": parts.path, "query": query,
                                      "headers": headers, "body": body})
                extra = {}
                if fake.mode == "slow":
                    time.sleep(fake.delay)
                if fake.mode == "garbage":
                    status, answer = 200, b"<html>502 Bad Gateway</html>"
                elif fake.mode == "down":
                    status, answer = 500, b"Internal Server Error"
                else:  # (status, JSON object or raw bytes[, extra headers])
                    status, answer, *more = fake.handle(self.command, parts.path, query, headers, body)
                    extra = more[0] if more else {}
                raw = answer if isinstance(answer, bytes) else json.dumps(answer, ensure_ascii=False).encode()
                self.send_response(status)
                extra.setdefault("Content-Type", "application/json; charset=utf-8")
                for name, value in extra.items():
                    self.send_header(name, value)
                self.send_header("Content-Length", str(len(raw)))
                self.end_headers()
                try:
                    self.wfile.write(raw)
                except (BrokenPipeError, ConnectionResetError):
                    pass  # the client gave up waiting (timeout tests)

            do_GET = do_POST = _answer

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.server.block_on_close = False  # a slow answer still sleeping must not hold up the test
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        self.thread = threading.Thread(target=self.server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.server.shutdown()
        self.server.server_close()

    def handle(self, method, path, query, headers, body):
        raise NotImplementedError
