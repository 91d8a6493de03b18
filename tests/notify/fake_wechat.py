"""A fake of WeChat's server API for subscription messages: /cgi-bin/token and message/subscribe/bizsend
(official accounts) or message/subscribe/send (mini-programs), checking tokens and the JSON shape and
answering WeChat's error codes; and the JS-SDK's /cgi-bin/ticket/getticket?type=jsapi."""
import json
import re

from tests.notify.fake_server import FakeService

FIELD_LIMITS = {"thing": 20, "phrase": 5}
TIME = re.compile(r"^\d{4}-\d{2}-\d{2} \d{2}:\d{2}$")


class FakeWeChat(FakeService):
    """Issues numbered tokens; only the newest is valid; `expire()` makes WeChat treat it as expired."""

    def __init__(self, appid: str, secret: str, templates: set[str]):
        super().__init__()
        self.appid, self.secret, self.templates = appid, secret, templates
        self.tokens: list[str] = []
        self.expired: set[str] = set()
        self.refusing: set[str] = set()  # openids that refused the messages (43101)
        self.messages: list[dict] = []
        self.script: list[dict] = []  # answers to give to the next sends, before the normal one
        self.tickets: list[str] = []  # jsapi_tickets handed out, the newest valid

    def expire(self) -> None:
        """The current token expires on WeChat's side (our cache does not know yet)."""
        self.expired.update(self.tokens)

    def _token(self, query):
        if query.get("grant_type") != "client_credential" or query.get("appid") != self.appid:
            return 200, {"errcode": 40013, "errmsg": "invalid appid"}
        if query.get("secret") != self.secret:
            return 200, {"errcode": 40001, "errmsg": "invalid credential, access_token is invalid or not latest"}
        self.tokens.append(f"TOKEN-{len(self.tokens) + 1}-abcdefghijklmnopqrstuvwxyz")
        return 200, {"access_token": self.tokens[-1], "expires_in": 7200}

    def _shape_error(self, message: dict, mini: bool) -> str | None:
        if not isinstance(message.get("touser"), str) or not message["touser"]:
            return "touser"
        if message.get("template_id") not in self.templates:
            return "template_id"
        data = message.get("data")
        if not isinstance(data, dict) or not data:
            return "data"
        for key, field in data.items():
            if not isinstance(field, dict) or set(field) != {"value"} or not isinstance(field["value"], str):
                return f"data.{key}"
            kind = key.rstrip("0123456789")
            if kind in FIELD_LIMITS and not 0 < len(field["value"]) <= FIELD_LIMITS[kind]:
                return f"data.{key}.value"
            if kind == "time" and not TIME.match(field["value"]):
                return f"data.{key}.value"
        if mini and message.get("miniprogram_state") not in ("developer", "trial", "formal"):
            return "miniprogram_state"
        if not mini and not str(message.get("page", "")).startswith("http"):
            return "page"
        return None

    def _send(self, query, body, mini: bool):
        token = query.get("access_token", "")
        if token in self.expired:
            return 200, {"errcode": 42001, "errmsg": "access_token expired rid: 6a1b-2c3d"}
        if not self.tokens or token != self.tokens[-1]:
            return 200, {"errcode": 40001, "errmsg": "invalid credential, access_token is invalid or not latest"}
        try:
            message = json.loads(body)
        except ValueError:
            return 200, {"errcode": 47001, "errmsg": "data format error"}
        problem = self._shape_error(message, mini)
        if problem:
            return 200, {"errcode": 47003, "errmsg": f"argument invalid! {problem} rid: 6a1b-2c3e"}
        if message["touser"] in self.refusing:
            return 200, {"errcode": 43101, "errmsg": "user refuse to accept the msg rid: 6a1b-2c3f"}
        if self.script:
            return 200, self.script.pop(0)
        self.messages.append(message)
        return 200, {"errcode": 0, "errmsg": "ok", "msgid": 3000 + len(self.messages)}

    def _ticket(self, query):
        token = query.get("access_token", "")
        if token in self.expired:
            return 200, {"errcode": 42001, "errmsg": "access_token expired rid: 6a1b-2c40"}
        if not self.tokens or token != self.tokens[-1]:
            return 200, {"errcode": 40001, "errmsg": "invalid credential, access_token is invalid or not latest"}
        if query.get("type") != "jsapi":
            return 200, {"errcode": 40097, "errmsg": "invalid args"}
        self.tickets.append(f"TICKET-{len(self.tickets) + 1}-kgt8ON7yVITDhtdwci0qe")
        return 200, {"errcode": 0, "errmsg": "ok", "ticket": self.tickets[-1], "expires_in": 7200}

    def handle(self, method, path, query, headers, body):
        if method == "GET" and path == "/cgi-bin/token":
            return self._token(query)
        if method == "GET" and path == "/cgi-bin/ticket/getticket":
            return self._ticket(query)
        if method == "POST" and path == "/cgi-bin/message/subscribe/bizsend":
            return self._send(query, body, mini=False)
        if method == "POST" and path == "/cgi-bin/message/subscribe/send":
            return self._send(query, body, mini=True)
        return 404, {"errcode": 40066, "errmsg": "invalid url"}
