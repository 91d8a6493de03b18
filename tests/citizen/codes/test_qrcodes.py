"""码上监督 codes: creation rules, scan landing with the posted label, revoked and unknown codes."""
import pytest
import sqlalchemy as sa

from citizen.codes import qrcodes
from citizen.codes.models import QR_KINDS, QrCode, QrScanDay
from errors import Invalid


def test_code_is_short_random_and_unambiguous(hexi, people):
    row = qrcodes.create_code(hexi, "village", None, "河西村村委会公开栏", people["township"])
    assert len(row.code) == 10 and not set(row.code) & set("01IO")
    assert len(qrcodes.ALPHABET) ** len(row.code) >= 2 ** 48


def test_cadre_code_must_point_into_the_same_village(hexi, cadres, people):
    with pytest.raises(Invalid) as err:
        qrcodes.create_code(hexi, "cadre", cadres["刘长贵"].id, "名片", people["township"])
    assert "找不到要指向的内容" in err.value.message


@pytest.mark.parametrize("label", ["", "x", "很" * 61])
def test_label_is_required(hexi, label, people):
    with pytest.raises(Invalid) as err:
        qrcodes.create_code(hexi, "village", None, label, people["township"])
    assert "张贴位置" in err.value.message


def test_scan_lands_on_village_home_with_label_and_counts(client, hexi, session, people):
    row = qrcodes.create_code(hexi, "village", None, "河西村村委会公开栏", people["township"])
    response = client.get(f"/q/{row.code.lower()}")
    assert response.status_code == 302 and response.headers["Location"].endswith("/v/hexi")
    page = client.get("/v/hexi").get_data(as_text=True)
    assert "河西村" in page and "您扫的是：河西村村委会公开栏" in page
    assert "您扫的是" not in client.get("/v/hexi").get_data(as_text=True)  # shown once
    client.get(f"/q/{row.code}")
    assert session.scalar(sa.select(QrScanDay.scans).where(QrScanDay.code_id == row.id)) == 2


def test_label_of_another_village_code_is_not_shown_elsewhere(client, hexi, chama, people):
    row = qrcodes.create_code(chama, "village", None, "岔马村公开栏", people["township"])
    client.get(f"/q/{row.code}")
    assert "您扫的是" not in client.get("/v/hexi").get_data(as_text=True)


def test_revoked_code_warns_and_does_not_redirect(client, hexi, session, people):
    row = qrcodes.create_code(hexi, "village", None, "河西村村委会公开栏", people["township"])
    qrcodes.revoke_code(row)
    response = client.get(f"/q/{row.code}")
    text = response.get_data(as_text=True)
    assert response.status_code == 410 and "此码已停用" in text and 'href="/"' in text
    assert session.scalar(sa.select(sa.func.count(QrScanDay.id)).where(QrScanDay.code_id == row.id)) == 0


def test_unknown_code_warns(client, demo):
    response = client.get("/q/ZZZZZZZZZZ")
    assert response.status_code == 404 and "无效的二维码" in response.get_data(as_text=True)


def _target_in_hexi(kind: str, hexi, session) -> tuple[int | None, str]:
    """A demo thing of 河西村 a code of `kind` can point at, and the page its scan must open."""
    from datetime import timedelta

    import clock
    from disclosure.models import Cadre, Disclosure, PowerItem
    from points.earning import create_event
    from points.models import Shop

    def first(model):
        return session.scalars(sa.select(model).where(model.village_id == hexi.id).order_by(model.id)).first()

    if kind == "village":
        return None, "/v/hexi"
    if kind == "disclosure":
        row = first(Disclosure)
        return row.id, f"/d/{row.id}"
    if kind == "power_item":
        row = first(PowerItem)
        return row.id, f"/v/hexi/powers#item-{row.id}"
    if kind == "cadre":
        row = first(Cadre)
        return row.id, f"/v/hexi/cadres#cadre-{row.id}"
    if kind == "shop":
        row = first(Shop)
        return row.id, f"/pay/{row.code}"
    start = clock.now()
    row = create_event(hexi.township, hexi, "群众说事日", start, start + timedelta(hours=2))
    return row.id, f"/e/{row.id}"


@pytest.mark.parametrize("kind", QR_KINDS)
def test_each_kind_of_code_lands_on_its_own_page(app, hexi, session, kind, people):
    target_id, page = _target_in_hexi(kind, hexi, session)
    row = qrcodes.create_code(hexi, kind, target_id, "河西村公开栏", people["township"])
    with app.test_request_context():
        assert qrcodes.target_url(row) == page


def test_township_staff_manage_page_creates_relabels_and_revokes(client, login_as, session, people):
    login_as(people["township"])
    page = client.get("/staff/codes?village=hexi")
    assert page.status_code == 200 and "河西村村委会公开栏" in page.get_data(as_text=True)
    response = client.post("/staff/codes?village=hexi", data={"target": "village", "label": "河西村小卖部门口"})
    assert response.status_code == 302
    row = session.execute(sa.select(QrCode).where(QrCode.label == "河西村小卖部门口")).scalar_one()
    assert client.post(f"/staff/codes/{row.code}/label", data={"label": "河西村卫生室门口"}).status_code == 302
    assert client.post(f"/staff/codes/{row.code}/revoke").status_code == 302
    session.refresh(row)
    assert row.label == "河西村卫生室门口" and not row.active


def test_refused_code_forms_show_the_desk_again_with_what_was_typed(client, login_as, session, people):
    """A label too short: 422 on the desk itself, naming the input, the create form or the code's label as typed."""
    login_as(people["township"])
    made = client.post("/staff/codes?village=hexi", data={"target": "disclosure", "target_id": "7", "label": "门"})
    page = made.get_data(as_text=True)
    assert made.status_code == 422 and "张贴位置：请填写2到60个字。" in page
    assert '<option value="disclosure" selected>' in page and 'name="target_id" value="7"' in page
    row = session.execute(sa.select(QrCode).where(QrCode.active.is_(True))).scalars().first()
    relabel = client.post(f"/staff/codes/{row.code}/label", data={"label": "卫"})
    page = relabel.get_data(as_text=True)
    assert relabel.status_code == 422 and "张贴位置：请填写2到60个字。" in page
    assert 'name="label" value="卫"' in page and 'name="label" value=""' in page  # the row, then the create form
    session.refresh(row)
    assert row.label != "卫"


def test_clerk_may_only_create_disclosure_codes(client, login_as, session, people):
    login_as(people["clerk"])
    before = session.scalar(sa.select(sa.func.count(QrCode.id)))
    refused = client.post("/staff/codes?village=hexi", data={"target": "village", "label": "河西村公开栏二"})
    assert refused.status_code == 404
    made = client.post("/staff/codes?village=hexi", data={"target": "disclosure", "target_id": "7",
                                                          "label": "河西村公开栏二"})
    assert made.status_code == 302
    assert session.scalar(sa.select(sa.func.count(QrCode.id))) == before + 1


def test_clerk_cannot_revoke(client, login_as, people):
    login_as(people["clerk"])
    row_code = client.get("/api/v1/villages/hexi/codes").get_json()["items"][0]["code"]
    assert client.post(f"/staff/codes/{row_code}/revoke").status_code == 404


def test_villager_sees_no_code_page(client, login_as, people):
    login_as(people["villager"])
    assert client.get("/staff/codes").status_code == 404


def test_committee_of_other_village_cannot_list_codes(client, token_for, people):
    response = client.get("/api/v1/villages/hexi/codes", headers=token_for(people["committee_chama"]))
    assert response.status_code == 404


def test_api_scanned_code(client, demo, session):
    row = session.execute(sa.select(QrCode).where(QrCode.label == "河西村村委会公开栏")).scalar_one()
    body = client.get(f"/api/v1/q/{row.code}").get_json()
    assert body["label"] == "河西村村委会公开栏" and body["village"] == {"slug": "hexi", "name": "河西村"}
    assert body["target"]["url"].endswith("/v/hexi") and body["active"] is True
    assert client.get("/api/v1/q/NOPE").status_code == 404


def test_api_create_and_revoke(client, token_for, people):

    headers = token_for(people["township"])
    made = client.post("/api/v1/villages/hexi/codes", json={"kind": "village", "label": "河西村祠堂"}, headers=headers)
    assert made.status_code == 201 and made.get_json()["url"].endswith("/q/" + made.get_json()["code"])
    bad = client.post("/api/v1/villages/hexi/codes", json={"kind": "robot", "label": "x"}, headers=headers)
    assert bad.status_code == 422 and "kind" in bad.get_json()["error"]["fields"]
    revoked = client.post(f"/api/v1/codes/{made.get_json()['code']}/revoke", headers=headers)
    assert revoked.status_code == 200 and revoked.get_json()["active"] is False
    client.delete_cookie("session")
    clerk = token_for(people["clerk"])
    assert client.post(f"/api/v1/codes/{made.get_json()['code']}/revoke", headers=clerk).status_code == 404


def test_scan_notice_for_target_pages_other_than_village_home(app, hexi, cadres, people):
    row = qrcodes.create_code(hexi, "cadre", cadres["赵卫东"].id, "赵卫东的干部名片", people["township"])
    with app.test_request_context():
        qrcodes.remember_scan(row)
        assert qrcodes.take_any_scan() == {"village": "河西村", "label": "赵卫东的干部名片"}
        assert qrcodes.take_any_scan() is None  # once


def test_openapi_lists_report_endpoints(client):
    paths = client.get("/api/v1/openapi.json").get_json()["paths"]
    for path in ("/api/v1/q/{code}", "/api/v1/villages/{slug}/reports", "/api/v1/track/{code}",
                 "/api/v1/track/{code}/rating", "/api/v1/villages/{slug}/codes"):
        assert path in paths, path


def test_label_the_poster_cannot_print_is_refused_when_typed(hexi, people):
    with pytest.raises(Invalid) as err:
        qrcodes.create_code(hexi, "village", None, "河西村\U0010fffd公开栏", people["township"])
    assert "海报字体缺少这些字" in err.value.message


def test_codes_can_be_made_without_the_font_installed(app, hexi, people):
    app.config["POSTER_FONT"] = "/nonexistent/font.ttc"
    try:
        assert qrcodes.create_code(hexi, "village", None, "河西村祠堂", people["township"]).active
    finally:
        app.config.pop("POSTER_FONT")
