"""One JSON-over-HTTPS call to an outside service, with a timeout; failures name the host, never the URL."""
import json
import urllib.error
import urllib.parse
import urllib.request


class ServiceUnavailable(Exception):
    """The service could not be reached, was too slow, or answered something that is not JSON."""


def call(method: str, url: str, body: bytes | None = None, headers: dict | None = None,
         timeout: float = 5.0) -> tuple[int, dict]:
    """Send one request; return (HTTP status, parsed JSON object). Error statuses with a JSON body are returned."""
    host = urllib.parse.urlsplit(url).netloc
    request = urllib.request.Request(url, data=body, method=method, headers=headers or {})
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:  # noqa: S310 (configured https URL)
            status, raw = response.status, response.read()
    except urllib.error.HTTPError as exc:
        status, raw = exc.code, exc.read()
    except (urllib.error.URLError, TimeoutError, OSError) as exc:
        reason = getattr(exc, "reason", exc)
        raise ServiceUnavailable(f"{host} unreachable: {type(reason).__name__}") from None
    try:
        answer = json.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, ValueError, RecursionError):
        raise ServiceUnavailable(f"{host} answered HTTP {status} with a body that is not JSON") from None
    if not isinstance(answer, dict):
        raise ServiceUnavailable(f"{host} answered HTTP {status} with JSON that is not an object")
    return status, answer
