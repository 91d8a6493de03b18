"""Issue 11, items 1 and 5: a form token only ever brings back the sending client's own report, and no cookie
that can name the person holds a tracking code or a report id."""
import re

import pytest
from flask.sessions import SecureCookieSessionInterface

from citizen.reports.models import Report
from tests.citizen.conftest import code_on_page, form_token

REPORT = {"category": "环境卫生", "content": "村口的垃圾桶满了好几天没人清理。", "anonymous": "1"}
API_REPORT = {**REPORT, "anonymous": True}


def _reports(session) -> int:
    import sqlalchemy as sa

    return session.execute(sa.select(sa.func.count(Report.id))).scalar_one()


def _file(client, token: str):
    """Post the form with `token`; returns the code shown on the done page."""
    response = client.post("/v/hexi/report", data={**REPORT, "form_token": token})
    assert response.status_code == 302
    return code_on_page(client.get(response.headers["Location"]).get_data(as_text=True))


def _session(app, client) -> dict:
    """The decoded session cookie of a test client."""
    cookie = client.get_cookie(app.config.get("SESSION_COOKIE_NAME", "session"))
    if cookie is None:
        return {}
    serializer = SecureCookieSessionInterface().get_signing_serializer(app)
    return serializer.loads(cookie.value)


def test_a_token_replayed_by_another_phone_files_a_new_report_and_reveals_no_code(app, client, demo, session):
    token = form_token(client)
    first = _file(client, token)
    assert _file(client, token) == first  # the same phone tapping twice: one report, the same code
    stranger = app.test_client()
    before = _reports(session)
    second = _file(stranger, token)
    assert second and second != first and _reports(session) == before + 1


def test_the_demos_seeded_tokens_bring_back_no_seeded_case(app, demo, session):
    from citizen.triage.seed import _token

    client = app.test_client()
    form_token(client)  # a real phone with a browser id of its own
    code = _file(client, _token("demo-hexi-01"))
    assert code not in demo.tracking_codes.values()


def test_api_clients_get_their_own_bound_tokens(app, demo, session):
    one, two, bare = app.test_client(), app.test_client(), app.test_client()
    ids = [c.post("/api/v1/clients").get_json()["client_id"] for c in (one, two)]
    assert ids[0] != ids[1]
    token = one.get("/api/v1/villages/hexi/report-token", headers={"X-Client-Id": ids[0]}).get_json()["form_token"]
    body = {**API_REPORT, "form_token": token}
    first = one.post("/api/v1/villages/hexi/reports", json=body, headers={"X-Client-Id": ids[0]}).get_json()
    again = one.post("/api/v1/villages/hexi/reports", json=body, headers={"X-Client-Id": ids[0]}).get_json()
    other = two.post("/api/v1/villages/hexi/reports", json=body, headers={"X-Client-Id": ids[1]}).get_json()
    nobody = bare.post("/api/v1/villages/hexi/reports", json=body).get_json()
    assert first["tracking_code"] == again["tracking_code"]
    assert len({first["tracking_code"], other["tracking_code"], nobody["tracking_code"]}) == 3
    forged = bare.get("/api/v1/villages/hexi/report-token", headers={"X-Client-Id": ids[0][:-2] + "xx"})
    assert forged.status_code == 422 and forged.get_json()["error"]["code"] == "client_id_required"


def test_client_ids_cost_something_to_mint(app, demo):
    client = app.test_client()
    answers = [client.post("/api/v1/clients").status_code for _ in range(31)]
    assert answers[:30] == [201] * 30 and answers[30] == 429


def test_an_anonymous_report_leaves_no_code_or_report_id_in_the_session_cookie(app, client, demo, login_as, people):
    login_as(people["villager"])
    response = client.post("/v/hexi/report", data={**REPORT, "form_token": form_token(client)})
    code = code_on_page(client.get(response.headers["Location"]).get_data(as_text=True))
    client.get(f"/t/{code}")  # opening the case page used to remember the report in the session
    data = _session(app, client)
    assert data.get("_user_id")  # the session says who is logged in…
    text = repr(data)
    assert code.replace("-", "") not in text.replace("-", "") and "tracking" not in text and "report" not in text
    cookie = client.get_cookie("report_done", path="/v/hexi/report/done")
    assert cookie is not None and cookie.http_only and cookie.path == "/v/hexi/report/done"


@pytest.mark.parametrize("path", ["/v/hexi/report", "/track"])
def test_report_and_track_pages_send_no_referrer_and_are_not_stored(client, demo, path):
    response = client.get(path)
    assert response.headers["Referrer-Policy"] == "no-referrer"
    assert response.headers["Cache-Control"] == "no-store"


def test_a_case_page_reached_by_code_sends_no_referrer(client, demo):
    code = demo.tracking_codes["demo-hexi-03"]
    response = client.get(f"/t/{code}")
    assert response.status_code == 200 and response.headers["Referrer-Policy"] == "no-referrer"
    assert re.search(r"no-store", response.headers["Cache-Control"])
