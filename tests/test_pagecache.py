"""A visitor with no form on the page gets no session cookie; public pages carry ETags and a short shared cache."""
import pytest

from disclosure.publishing import create_disclosure, publish

ANONYMOUS_PAGES = ["/", "/v/hexi", "/v/hexi/wall", "/v/hexi/disclosures", "/v/hexi/powers", "/api/v1/villages/hexi",
                   "/api/v1/villages/hexi/wall"]


@pytest.fixture
def visitor(app):
    """A phone that sends no cookie at all (each request as a first visit)."""
    return app.test_client(use_cookies=False)


@pytest.mark.parametrize("path", ANONYMOUS_PAGES)
def test_a_visitor_without_a_form_gets_no_cookie_and_no_vary_cookie(visitor, demo, path):
    response = visitor.get(path)
    assert response.status_code == 200
    assert "Set-Cookie" not in response.headers
    assert "Cookie" not in response.headers.get("Vary", "")
    assert response.headers["Cache-Control"].startswith("public, max-age=0, s-maxage=")
    assert 'name="csrf_token"' not in response.get_data(as_text=True)


def test_the_village_home_sets_no_cookie_and_names_its_village_for_app_js(visitor, demo):
    response = visitor.get("/v/hexi")
    assert "Set-Cookie" not in response.headers and response.headers["Cache-Control"].startswith("public")
    assert 'data-remember-village="hexi"' in response.get_data(as_text=True)


def test_the_tab_bar_follows_the_remembered_village(visitor, demo):
    page = visitor.get("/me", headers={"Cookie": "village=chama"}).get_data(as_text=True)
    assert "/v/chama/report" in page


def test_a_page_with_a_form_is_never_shared(visitor, demo):
    # (its CSRF token puts a session cookie on it; the deploy test sees that through nginx)
    response = visitor.get("/login")
    assert response.headers["Cache-Control"] == "private, no-cache"


def test_the_text_size_switch_works_without_a_session(visitor, demo):
    response = visitor.post("/prefs/text-size", data={"big": "1", "next": "/v/hexi"})
    assert response.status_code == 302 and response.headers["Location"] == "/v/hexi"
    assert response.headers["Set-Cookie"].startswith("big=1")


def test_a_repeat_with_the_etag_gets_304_without_a_body(visitor, demo):
    first = visitor.get("/v/hexi/wall")
    again = visitor.get("/v/hexi/wall", headers={"If-None-Match": first.headers["ETag"]})
    assert again.status_code == 304 and again.data == b""


def test_publishing_a_disclosure_changes_the_etag_of_the_village_board(visitor, demo, hexi, people, session):
    before = visitor.get("/v/hexi/disclosures?c=affairs")
    disclosure = create_disclosure(hexi, people["clerk"], {"category": "affairs", "mode": "adhoc", "title": "修路通知",
                                                           "period": "2026-11", "body": "下周一修村口的路。"})
    publish(disclosure, people["clerk"])
    after = visitor.get("/v/hexi/disclosures?c=affairs", headers={"If-None-Match": before.headers["ETag"]})
    assert after.status_code == 200 and "修路通知" in after.get_data(as_text=True)
    assert after.headers["ETag"] != before.headers["ETag"]


def test_a_logged_in_persons_pages_are_private(client, login_as, people, demo):
    login_as(people["villager"])
    response = client.get("/v/hexi/wall")
    assert response.headers["Cache-Control"] == "private, no-cache"


def test_a_tracking_page_is_never_shared(visitor, demo):
    code = next(iter(demo.tracking_codes.values()))
    response = visitor.get(f"/t/{code}")
    assert "public" not in response.headers.get("Cache-Control", "")


def test_a_bearer_token_makes_a_shared_answer_private(visitor, token_for, people, demo):
    response = visitor.get("/api/v1/villages/hexi", headers=token_for(people["villager"]))
    assert response.headers["Cache-Control"] == "private, no-cache"


@pytest.mark.parametrize("path", ["/v/hexi", "/v/hexi/wall", "/v/hexi/disclosures", "/api/v1/villages/hexi"])
def test_public_pages_load_no_village_or_township_lazily(visitor, demo, count_queries, path):
    visitor.get(path)
    with count_queries() as statements:
        assert visitor.get(path).status_code == 200
    lazy = [s for s in statements if " ".join(s.split()).startswith(("SELECT township.id", "SELECT village.id"))
            and ("township.id = " in s or "village.id = " in s)]
    assert not lazy, lazy
