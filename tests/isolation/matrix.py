"""How the route matrix asks: the roles and their scopes, one request per cell, and what its answer counts as.

A cell is (route, role, scope). The role's own scope fills the route's path and form with objects of its
own place (village, township, shop); the foreign scope with objects of another place. Each request runs
in a savepoint that is rolled back, so a POST that succeeds changes nothing for the next cell.
"""
import json
import re
from dataclasses import dataclass
from urllib.parse import urlencode, urlsplit

from flask.testing import FlaskClient

from tests.isolation.access_table import DEFAULT_ARGS, Access

# role → (own place, foreign place). Village people's foreign place is the other village of their own
# township (the boundary a committee or clerk must not cross); everyone else's is the other township.
ROLE_SCOPES = {
    "anonymous": ("hexi", "far"),
    "villager": ("hexi", "far"),
    "villager_chama": ("chama", "far"),
    "villager_far": ("far", "hexi"),
    "committee": ("hexi", "chama"),
    "committee_chama": ("chama", "hexi"),
    "clerk": ("hexi", "chama"),
    "inspector": ("hexi", "far"),
    "township": ("hexi", "far"),
    "township_far": ("far", "hexi"),
    "shopkeeper": ("hexi", "far"),
    "shopkeeper_far": ("far", "hexi"),
}
# Whose secrets each role may read: a place's private report, its draft, its township's reply templates.
_QINGXI_TEMPLATES = {("hexi", "template"), ("chama", "template")}
MAY_READ = {
    "villager": {("hexi", "report")}, "villager_chama": {("chama", "report")}, "villager_far": {("far", "report")},
    "committee": {("hexi", "report")} | _QINGXI_TEMPLATES, "committee_chama": {("chama", "report")} | _QINGXI_TEMPLATES,
    "clerk": {("hexi", "draft")}, "inspector": _QINGXI_TEMPLATES,
    "township": {("hexi", "draft"), ("chama", "draft")} | _QINGXI_TEMPLATES,
    "township_far": {("far", "draft"), ("far", "template")},
}
SCOPES = ("own", "foreign")
# What the run asked, for the summary line (conftest.py): route rows, of which scoped, cells, seconds.
STATS = {"rows": 0, "scoped": 0, "cells": 0, "seconds": 0.0}
WRITE_METHODS = ("POST", "PUT", "PATCH", "DELETE")
_WHOLE = re.compile(r"\{(\w+)\}")


class FreshContextClient(FlaskClient):
    """Each request in its own app context (its own session), its body read before the context ends."""

    def open(self, *args, **kwargs):
        with self.application.app_context():
            response = super().open(*args, **kwargs)
            response.get_data()
            return response


@dataclass
class Answer:
    """What one cell answered."""

    api: bool
    status: int
    location: str
    shown: set  # the secrets the answer shows, as (place, kind)
    leaked: list[str]  # the words of those the role may not read

    def to_login(self) -> bool:
        """A redirect to the login page."""
        return 300 <= self.status < 400 and urlsplit(self.location).path == "/login"


def fill(template, values: dict):
    """A path, form or query value: "{key}" is the place's value itself, other strings are formatted."""
    if isinstance(template, str):
        missing = [name for name in _WHOLE.findall(template) if name not in values]
        if missing:
            raise KeyError(f"no {missing} in the places of tests/isolation/world.py: build one in furnish(), "
                           "or give the table entry its own args")
        whole = _WHOLE.fullmatch(template)
        return values[whole.group(1)] if whole else template.format_map(values)
    if isinstance(template, dict):
        return {key: fill(value, values) for key, value in template.items()}
    return template


def mentions_place(template) -> bool:
    """Does a path, form or query template name an object of the place (so the scope changes the request)?"""
    if isinstance(template, str):
        return bool(_WHOLE.search(template))
    if isinstance(template, dict):
        return any(mentions_place(value) for value in template.values())
    return False


def path_templates(rule, access: Access) -> dict:
    """The templates of a rule's path arguments: the entry's own, else DEFAULT_ARGS."""
    return {name: access.args.get(name, DEFAULT_ARGS.get(name, "{%s}" % name)) for name in rule.arguments}


def is_scoped(rule, access: Access) -> bool:
    """Does the request name an object of a place (so its foreign scope asks something else)?"""
    return any(mentions_place(t) for t in (path_templates(rule, access), access.query, access.form, access.json))


def verdict(access: Access, method: str, role: str, scope: str, scoped: bool) -> str:
    """What the table says this cell must answer: ok, login, refused (403/404) or missing (404)."""
    if access.who == "everyone":
        return "ok"
    if role == "anonymous":
        return access.anonymous
    if access.who == "users" or role in (access.who if scope == "own" else access.foreign):
        return "ok"
    return "missing" if scoped else "refused"


def judged(expected: str, answer: Answer, method: str, access: Access) -> bool:
    """Does the answer fit the expected class?"""
    status = answer.status
    if expected == "login":  # the API answers 401 JSON, pages send the visitor to the login page
        return status == 401 if answer.api else answer.to_login()
    if expected == "missing":
        return status == 404
    if expected == "refused":
        return status in (403, 404)
    if answer.to_login() or status >= 500:
        return False
    if method in WRITE_METHODS:  # a harmless write in scope: anything but a refusal or a crash
        return status not in (401, 403, 404) or status in access.answers
    return 200 <= status < 400 or status in access.answers


class Asker:
    """Sends one cell's request as a role, inside a savepoint rolled back afterwards."""

    def __init__(self, app, connection, world, cookies: dict, tokens: dict, secrets: dict, limiter):
        self.app, self.connection, self.world = app, connection, world
        self.cookies, self.tokens, self.secrets, self.limiter = cookies, tokens, secrets, limiter

    def ask(self, endpoint: str, method: str, access: Access, role: str, scope: str) -> Answer:
        """One request for this cell, its answer, and any secret it showed that the role may not read."""
        values = self.world.places[ROLE_SCOPES[role][0 if scope == "own" else 1]].values
        path = self.app.url_map.bind("localhost").build(endpoint, self._path_values(endpoint, access, values),
                                                        method=method)
        if access.query:
            path += "?" + urlencode(fill(access.query, values))
        api = path.startswith("/api/")
        client = FreshContextClient(self.app, self.app.response_class, use_cookies=True)
        headers = dict(fill(access.headers, values))
        if role != "anonymous":
            if api:
                headers["Authorization"] = f"Bearer {self.tokens[role]}"
            else:
                client.set_cookie(self.app.config["SESSION_COOKIE_NAME"], self.cookies[role])
        kwargs = {"headers": headers}
        if method in WRITE_METHODS:
            if api:
                kwargs["data"] = json.dumps(fill(access.json or {}, values))
                kwargs["content_type"] = "application/json"
            else:
                kwargs["data"] = fill(access.form or {}, values)
        self.limiter.reset()
        savepoint = self.connection.begin_nested()
        try:
            response = client.open(path, method=method, **kwargs)
        finally:
            savepoint.rollback()
        shown = self._secrets_in(response)
        leaked = [self.secrets[key] for key in sorted(shown - MAY_READ.get(role, set()))]
        return Answer(api, response.status_code, response.headers.get("Location", ""), shown, leaked)

    def _path_values(self, endpoint: str, access: Access, values: dict) -> dict:
        """The rule's arguments: the entry's own, else the place's value of the same name."""
        rule = next(r for r in self.app.url_map.iter_rules(endpoint))
        return {name: fill(template, values) for name, template in path_templates(rule, access).items()}

    def _secrets_in(self, response) -> set:
        """The secrets a text answer (HTML, JSON, CSV) shows."""
        if not response.mimetype.startswith(("text/", "application/json")):
            return set()
        text = response.get_data(as_text=True)
        return {key for key, word in self.secrets.items() if word in text}
