"""Every route × every role × own and foreign scope, against the table of what each may do (access_table.py).

The world (world.py) is built once for this module in a transaction that is rolled back at its end, and
every request runs in a savepoint of its own; nothing here is committed to the suite's database.
"""
import time

import pytest

from tests.isolation.access_table import ACCESS, cases
from tests.isolation.matrix import ROLE_SCOPES, SCOPES, STATS, Asker, is_scoped, judged, verdict
from tests.isolation.world import SECRETS, build_world

IGNORED_METHODS = {"HEAD", "OPTIONS"}  # Flask answers them for every GET and POST route by itself


def _routes(app) -> list[tuple[str, str]]:
    """Every (endpoint, method) the app serves."""
    return sorted((rule.endpoint, method) for rule in app.url_map.iter_rules()
                  for method in rule.methods - IGNORED_METHODS)


def _table_routes() -> set[tuple[str, str]]:
    """Every (endpoint, method) the table has an entry for."""
    found = set()
    for endpoint, entry in ACCESS.items():
        methods = entry.keys() if isinstance(entry, dict) else [None]
        found |= {(endpoint, method) for method in methods}
    return found


@pytest.fixture(scope="module")
def asker(app):
    """The world, a session cookie and a bearer token per role, and the savepoint-per-request asker."""
    from accounts.login import issue_token
    from extensions import db, limiter
    from tests.conftest import _ConnectionBoundSession

    with app.app_context():
        connection = db.engine.connect()
        outer = connection.begin()
        saved = db.session
        db.session = db._make_scoped_session({"bind": connection, "class_": _ConnectionBoundSession,
                                              "join_transaction_mode": "create_savepoint"})
        try:
            world = build_world()
            db.session.commit()
            cookies, tokens = {}, {}
            for role, user in world.users.items():
                if user is None:
                    continue
                client = app.test_client()
                with client.session_transaction() as session:
                    session["_user_id"] = user.get_id()
                    session["_fresh"] = True
                cookies[role] = client.get_cookie(app.config["SESSION_COOKIE_NAME"]).value
                tokens[role] = issue_token(user)
            yield Asker(app, connection, world, cookies, tokens, SECRETS, limiter)
        finally:
            db.session.remove()
            db.session = saved
            outer.rollback()
            connection.close()


@pytest.fixture(autouse=True)
def _transaction():
    """This module's requests run in the asker's savepoints, not in the suite's per-test transaction."""
    yield


def test_every_route_has_an_entry_in_the_table(app):
    served, listed = set(_routes(app)), _table_routes()
    missing = sorted(route for route in served if route not in listed and (route[0], None) not in listed)
    assert not missing, f"routes without an entry in tests/isolation/access_table.py: {missing}"
    stale = sorted(route for route in listed if route[1] is not None and route not in served)
    stale += sorted(route for route in listed if route[1] is None and route[0] not in {e for e, _ in served})
    assert not stale, f"entries for routes the app does not serve: {stale}"


@pytest.mark.parametrize("endpoint", sorted(ACCESS))
def test_route_answers_each_role_as_the_table_says(app, asker, endpoint):
    rule = next(app.url_map.iter_rules(endpoint))
    wrong = []
    started = time.perf_counter()
    for method in sorted(rule.methods - IGNORED_METHODS):
        for access in cases(endpoint, method):
            scoped = is_scoped(rule, access)
            STATS["rows"] += 1
            STATS["scoped"] += scoped
            for role in ROLE_SCOPES:
                for scope in SCOPES if scoped else SCOPES[:1]:
                    expected = verdict(access, method, role, scope, scoped)
                    answer = asker.ask(endpoint, method, access, role, scope)
                    STATS["cells"] += 1
                    if answer.leaked or not judged(expected, answer, method, access):
                        wrong.append(f"{method} {role} {scope}: expected {expected}, got {answer.status} "
                                     f"{answer.location}" + (f" showing {answer.leaked}" if answer.leaked else ""))
    STATS["seconds"] += time.perf_counter() - started
    assert not wrong, f"{rule.rule}:\n" + "\n".join(wrong)


@pytest.mark.parametrize("endpoint,role,secret", [
    ("triage.case", "committee", ("hexi", "report")),
    ("triage_api.desk_report", "committee_chama", ("chama", "report")),
    ("reports.my_report", "villager_far", ("far", "report")),
    ("disclosure.clerk_edit", "clerk", ("hexi", "draft")),
    ("disclosure_api.get_disclosure", "township_far", ("far", "draft")),
    ("triage.reply_templates", "township", ("chama", "template")),
    ("triage_api.reply_templates", "inspector", ("hexi", "template")),
])
def test_the_leak_check_sees_a_secret_where_it_may_be_shown(asker, endpoint, role, secret):
    access = cases(endpoint, "GET")[-1]
    assert secret in asker.ask(endpoint, "GET", access, role, "own").shown
