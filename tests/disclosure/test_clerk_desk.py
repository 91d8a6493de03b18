"""The clerk's desk through HTTP: create, import with a bad row, fix, publish, correct, withdraw; scope."""
import io

import pytest
import sqlalchemy as sa

from disclosure.models import Disclosure
from disclosure.publishing import draft_of
from disclosure.receipt import lines_of
from tests.disclosure.test_import import GOOD, xlsx


def _new_finance(client, title="2030年5月财务收支明细"):
    """Create a finance draft through the form; return its id."""
    response = client.post("/clerk/v/hexi/disclosures", data={"category": "finance", "mode": "periodic",
                                                               "title": title, "period": "2030年5月", "body": ""})
    assert response.status_code == 302
    return int(response.headers["Location"].rsplit("/", 1)[1])


def test_clerk_imports_fixes_a_bad_row_and_publishes(client, login_as, session, people):
    login_as(people["clerk"])
    id = _new_finance(client)
    bad = GOOD + [["2026-10-09", "支出", "一千", "办公费", "购入椅子", "", ""]]
    response = client.post(f"/clerk/d/{id}/import", data={"file": (io.BytesIO(xlsx(bad)), "十月.xlsx")})
    page = response.get_data(as_text=True)
    assert response.status_code == 422 and "第5行 “金额(元)”：金额“一千”看不懂" in page
    disclosure = session.get(Disclosure, id)
    assert lines_of(draft_of(disclosure)) == []
    response = client.post(f"/clerk/d/{id}/import", data={"file": (io.BytesIO(xlsx(GOOD)), "十月.xlsx")})
    assert response.status_code == 302 and "imported=3" in response.headers["Location"]
    assert client.post(f"/clerk/d/{id}/publish").status_code == 302
    session.refresh(disclosure)
    assert disclosure.status == "published"
    assert "购入档案柜1套" in client.get(f"/d/{id}").get_data(as_text=True)


def test_clerk_corrects_with_a_reason_and_withdraws(client, login_as, session, hexi, make_finance, people):
    disclosure = make_finance(hexi, "2030-06")
    login_as(people["clerk"])
    assert client.post(f"/clerk/d/{disclosure.id}/correct").status_code == 302
    response = client.post(f"/clerk/d/{disclosure.id}/publish", data={"reason": ""})
    assert response.status_code == 422 and "请写明更正原因" in response.get_data(as_text=True)
    assert client.post(f"/clerk/d/{disclosure.id}/publish", data={"reason": "补录"}).status_code == 302
    response = client.post(f"/clerk/d/{disclosure.id}/withdraw", data={"reason": "重复"})
    assert response.status_code == 302
    session.refresh(disclosure)
    assert (disclosure.revision, disclosure.status, disclosure.withdraw_reason) == (2, "withdrawn", "重复")


def test_wrong_file_type_is_explained_on_the_page(client, login_as, people):
    login_as(people["clerk"])
    id = _new_finance(client)
    response = client.post(f"/clerk/d/{id}/import", data={"file": (io.BytesIO(b"%PDF-1.4 x"), "账.pdf")})
    assert response.status_code == 415 and "文件类型不对" in response.get_data(as_text=True)


def test_templates_download_with_chinese_headers(client, login_as, people):
    login_as(people["clerk"])
    response = client.get("/clerk/template.xlsx")
    assert response.status_code == 200 and response.data.startswith(b"PK")
    csv_text = client.get("/clerk/template.csv").data.decode("utf-8-sig")
    assert csv_text.startswith("日期,收支,金额(元),类别,摘要,对方,凭证号")


def test_chama_clerk_cannot_touch_hexi(client, chama_clerk, login_as, hexi, make_finance, session):
    disclosure = make_finance(hexi, "2030-07")
    draft = make_finance(hexi, "2030-08", published=False)
    login_as(chama_clerk)
    assert "岔马村" in client.get("/clerk").get_data(as_text=True)
    for method, url in (("get", f"/clerk/d/{disclosure.id}"), ("post", f"/clerk/d/{disclosure.id}/withdraw"),
                        ("post", f"/clerk/d/{disclosure.id}/correct"), ("post", f"/clerk/d/{draft.id}/publish"),
                        ("post", f"/clerk/d/{draft.id}/import"), ("post", "/clerk/v/hexi/disclosures"),
                        ("get", "/clerk/v/hexi/powers"), ("get", "/clerk/v/hexi/cadres")):
        assert getattr(client, method)(url, data={"reason": "x"}).status_code == 404, url
    session.refresh(disclosure)
    assert disclosure.status == "published" and draft.status == "draft"


def test_villager_and_visitor_cannot_open_the_desk(client, login_as, people):
    assert client.get("/clerk").status_code == 302  # to the login page
    login_as(people["villager"])
    assert client.get("/clerk").status_code == 404


def test_township_staff_edit_any_village_and_see_the_threshold(client, login_as, chama, people):
    from disclosure.freshness import set_stale_days

    set_stale_days(chama.township, 40)
    login_as(people["township"])
    page = client.get("/clerk?v=chama").get_data(as_text=True)
    assert "岔马村" in page and "财务超过40天未公开算“不及时”" in page


def test_clerk_edits_a_power_item_and_a_cadre(client, login_as, hexi, session, people):
    from disclosure.models import Cadre, PowerItem

    login_as(people["clerk"])
    client.get("/clerk/v/hexi/powers")
    item = session.execute(sa.select(PowerItem).where(PowerItem.village_id == hexi.id)).scalars().first()
    response = client.post(f"/clerk/powers/{item.id}", data={"title": "村级重大事项决策", "steps": "提议\n商议\n\n决议",
                                                            "responsible": "书记", "must_disclose": "决议"})
    assert response.status_code == 302
    session.refresh(item)
    assert [s.text for s in item.steps] == ["提议", "商议", "决议"]
    assert client.post(f"/clerk/powers/{item.id}", data={"title": "", "steps": ""}).status_code == 422
    cadre = session.execute(sa.select(Cadre).where(Cadre.name == "王明")).scalar_one()
    response = client.post(f"/clerk/cadres/{cadre.id}", data={"name": "王明", "post": "村务监督委员会委员",
                                                              "committee": "1", "pledge_date": "2026/3/1"})
    assert response.status_code == 302
    session.refresh(cadre)
    assert cadre.committee and not cadre.secretary_chair and str(cadre.pledge_date) == "2026-03-01"


def test_new_disclosure_form_keeps_the_input_and_says_what_to_fix(client, login_as, session, people):
    login_as(people["clerk"])
    before = session.execute(sa.select(sa.func.count(Disclosure.id))).scalar_one()
    response = client.post("/clerk/v/hexi/disclosures", data={"category": "party", "mode": "periodic",
                                                               "title": "党费收缴", "period": "", "body": "正文"})
    page = response.get_data(as_text=True)
    assert response.status_code == 422 and "定期公开请填写期间" in page and 'value="党费收缴"' in page
    assert session.execute(sa.select(sa.func.count(Disclosure.id))).scalar_one() == before


def test_party_notice_can_go_straight_onto_the_board(client, login_as, session, people):
    login_as(people["clerk"])
    response = client.post("/clerk/v/hexi/disclosures", data={"category": "party", "mode": "adhoc",
                                                               "title": "党员大会通知", "body": "周五晚七点开会", "publish": "1"})
    assert response.status_code == 302 and "published=1" in response.headers["Location"]
    assert "党员大会通知" in client.get("/v/hexi/disclosures?c=party").get_data(as_text=True)


def test_finance_cannot_be_published_before_it_has_lines(client, login_as, session, people):
    login_as(people["clerk"])
    response = client.post("/clerk/v/hexi/disclosures", data={"category": "finance", "mode": "periodic",
                                                               "title": "空账", "period": "2030-09", "publish": "1"})
    assert response.status_code == 422 and "至少要有一笔" in response.get_data(as_text=True)
    assert session.execute(sa.select(Disclosure).where(Disclosure.title == "空账")).first() is None


def test_clerk_edits_the_category_list_and_imports_follow_it(client, login_as, hexi, make_finance, people):
    from errors import Invalid
    from disclosure.publishing import categories_for, check_lines
    from tests.disclosure.conftest import raw_line

    login_as(people["clerk"])
    assert "办公费" in client.get("/clerk/v/hexi/categories").get_data(as_text=True)
    response = client.post("/clerk/v/hexi/categories", data={"categories": "办公费\n水利建设\n\n办公费"})
    assert response.status_code == 302 and categories_for(hexi) == ["办公费", "水利建设"]
    assert check_lines(hexi, [raw_line(category="水利建设")])[0]["category"] == "水利建设"
    with pytest.raises(Invalid) as caught:
        check_lines(hexi, [raw_line(category="招待费")])
    assert "可选：办公费、水利建设" in caught.value.extra["rows"][0]["message"]
    assert client.post("/clerk/v/hexi/categories", data={"categories": "  \n"}).status_code == 422


def test_chama_clerk_cannot_reach_hexi_attachments_cadres_or_drafts(client, chama_clerk, login_as, hexi, make_finance,
                                                                    session, token_for):
    from disclosure.models import Cadre, PowerItem

    draft = make_finance(hexi, "2030-10", published=False)
    cadre = session.execute(sa.select(Cadre).where(Cadre.name == "张建国")).scalar_one()
    item = session.execute(sa.select(PowerItem).where(PowerItem.village_id == hexi.id)).scalars().first()
    assert client.get(f"/api/v1/disclosures/{draft.id}", headers=token_for(chama_clerk)).status_code == 404
    login_as(chama_clerk)
    for url in (f"/clerk/d/{draft.id}/attachments", f"/clerk/cadres/{cadre.id}", f"/clerk/cadres/{cadre.id}/retire",
                f"/clerk/cadres/{cadre.id}/photo", f"/clerk/powers/{item.id}", f"/clerk/powers/{item.id}/hide",
                "/clerk/v/hexi/categories", "/clerk/township/qingxi/freshness"):
        form = {"name": "改名", "post": "x", "title": "x", "steps": "x", "days": "9"}
        assert client.post(url, data=form).status_code == 404, url
    session.refresh(cadre)
    session.refresh(item)
    assert cadre.name == "张建国" and cadre.active and item.active


def test_clerk_fixes_one_amount_in_a_correction(client, login_as, hexi, make_finance, session, people):
    from disclosure.publishing import current_revision

    disclosure = make_finance(hexi, "2030-11")
    login_as(people["clerk"])
    client.post(f"/clerk/d/{disclosure.id}/correct")
    line = lines_of(draft_of(disclosure))[0]
    page = client.get(f"/clerk/d/{disclosure.id}/lines/{line.id}").get_data(as_text=True)
    assert 'value="1040.00"' in page
    form = {"date": "2026-10-03", "direction": "expense", "amount": "1,400", "category": "办公费",
            "text": "购入档案柜1套", "counterparty": "县城办公家具店", "voucher": ""}
    assert client.post(f"/clerk/d/{disclosure.id}/lines/{line.id}", data={**form, "amount": "x"}).status_code == 422
    assert client.post(f"/clerk/d/{disclosure.id}/lines/{line.id}", data=form).status_code == 302
    assert client.post(f"/clerk/d/{disclosure.id}/publish", data={"reason": "按发票更正"}).status_code == 302
    session.refresh(disclosure)
    assert "金额改动：购入档案柜1套 ¥1,040.00 → ¥1,400.00" in current_revision(disclosure).changes["items"]
    published_line = lines_of(current_revision(disclosure))[0]
    assert client.get(f"/clerk/d/{disclosure.id}/lines/{published_line.id}").status_code == 404


def test_a_refused_draft_or_line_keeps_what_the_clerk_typed(client, login_as, hexi, make_finance, people):
    """The edit page and the line page come back with the typed text in their inputs, not the saved one."""
    login_as(people["clerk"])
    id = _new_finance(client)
    saved = client.post(f"/clerk/d/{id}/meta", data={"title": "", "period": "2030年5月", "body": "说明：本月支出较多"})
    page = saved.get_data(as_text=True)
    assert saved.status_code == 422 and 'name="title" value=""' in page and ">说明：本月支出较多</textarea>" in page
    added = client.post(f"/clerk/d/{id}/lines", data={"date": "2030-05-03", "direction": "income", "amount": "一千",
                                                     "category": "办公费", "text": "卖废品", "voucher": "17"})
    page = added.get_data(as_text=True)
    assert added.status_code == 422 and 'value="一千"' in page and 'value="卖废品"' in page
    assert '<option value="income" selected>' in page
    disclosure = make_finance(hexi, "2030-08")
    client.post(f"/clerk/d/{disclosure.id}/correct")
    line = lines_of(draft_of(disclosure))[0]
    changed = client.post(f"/clerk/d/{disclosure.id}/lines/{line.id}",
                          data={"date": "2026-10-03", "direction": "expense", "amount": "x", "category": "办公费",
                                "text": "购入档案柜两套", "counterparty": "", "voucher": ""})
    page = changed.get_data(as_text=True)
    assert changed.status_code == 422 and 'id="save-line"' in page and 'role="alert"' in page
    assert 'name="amount" inputmode="decimal" value="x"' in page and 'value="购入档案柜两套"' in page


def test_clerk_previews_a_draft_that_villagers_cannot_see(client, login_as, hexi, make_finance, chama_clerk, people):
    draft = make_finance(hexi, "2030-12", published=False)
    assert client.get(f"/d/{draft.id}").status_code == 404
    login_as(people["clerk"])
    page = client.get(f"/clerk/d/{draft.id}/preview").get_data(as_text=True)
    assert "预览" in page and "购入档案柜1套" in page and "发布前村民看不到" in page
    login_as(chama_clerk)
    assert client.get(f"/clerk/d/{draft.id}/preview").status_code == 404


def test_asking_for_a_village_outside_the_desk_is_404_not_the_own_village(client, login_as, people):
    login_as(people["clerk"])
    for url in ("/clerk?v=chama", "/clerk/template.csv?v=chama", "/staff/codes?village=chama"):
        assert client.get(url).status_code == 404, url
    assert client.post("/staff/codes", data={"village": "chama", "target": "village", "label": "岔马村公开栏"}
                       ).status_code == 404
    for url in ("/clerk?v=hexi", "/clerk/template.csv?v=hexi", "/staff/codes?village=hexi"):
        assert client.get(url).status_code == 200, url
