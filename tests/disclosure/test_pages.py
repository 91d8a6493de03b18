"""The villagers' pages: the board, a finance receipt with 我要问 links, the power list, the cadres."""
import re

import sqlalchemy as sa

from disclosure.models import Cadre, DailyViews, PowerItem
from disclosure.publishing import start_correction, publish, withdraw
from tests.disclosure.conftest import raw_line


def test_board_lists_finance_first_with_freshness(client, hexi):
    page = client.get("/v/hexi/disclosures").get_data(as_text=True)
    assert "财务最近公开" in page and "月财务收支明细" in page and "笔</span>" in page
    assert 'aria-current="page">财务公开' in page
    party = client.get("/v/hexi/disclosures?c=party").get_data(as_text=True)
    assert "党费收缴情况" in party and "财务收支明细" not in party


def test_stale_village_board_says_late(client, chama):
    page = client.get("/v/chama/disclosures").get_data(as_text=True)
    assert "公开不及时" in page


def test_drafts_never_show_to_villagers(client, hexi, make_finance):
    draft = make_finance(hexi, "2026-11", published=False, title="还没发布的草稿")
    assert "还没发布的草稿" not in client.get("/v/hexi/disclosures").get_data(as_text=True)
    assert client.get(f"/d/{draft.id}").status_code == 404


def test_finance_page_reads_like_a_receipt_with_ask_links(client, hexi, make_finance):
    disclosure = make_finance(hexi, "2030-01")
    page = client.get(f"/d/{disclosure.id}").get_data(as_text=True)
    assert "购入档案柜1套" in page and "支出 ¥1,040.00" in page
    assert 'id="total-income">¥20,000.00' in page and 'id="total-expense">¥1,040.00' in page
    assert "<svg" in page and "办公费 ¥1,040.00（100%）" in page
    ids = re.findall(r'href="/v/hexi/report\?subject=line:(\d+)"', page)
    assert len(ids) == 2


def test_finance_page_compares_with_last_month_and_last_year(client, hexi, make_finance):
    make_finance(hexi, "2029-12", lines=[raw_line(amount="1000")])
    make_finance(hexi, "2029-01", lines=[raw_line(amount="5000")])
    current = make_finance(hexi, "2030-01", lines=[raw_line(amount="1500")])
    page = client.get(f"/d/{current.id}").get_data(as_text=True)
    assert "比上月（" in page and "支出多¥500.00" in page
    assert "比去年同月（" in page and "支出少¥3,500.00" in page


def test_correction_and_withdrawal_are_visible_to_all(client, hexi, make_finance, people):
    disclosure = make_finance(hexi, "2030-02")
    start_correction(disclosure, people["clerk"])
    publish(disclosure, people["clerk"], reason="补录一笔")
    page = client.get(f"/d/{disclosure.id}").get_data(as_text=True)
    assert "已更正（第2版）" in page and "修改记录" in page and "更正原因：补录一笔" in page
    withdraw(disclosure, people["clerk"], "重复公开")
    page = client.get(f"/d/{disclosure.id}").get_data(as_text=True)
    assert "已撤回" in page and "重复公开" in page and "购入档案柜1套" in page


def test_user_text_is_never_rendered_as_html(client, hexi, people):
    from disclosure.publishing import create_disclosure

    d = create_disclosure(hexi, people["clerk"], {"category": "affairs", "mode": "adhoc", "title": "<b>标题</b>",
                                        "body": "<script>alert(1)</script>\n\n第二段"})
    publish(d, people["clerk"])
    page = client.get(f"/d/{d.id}").get_data(as_text=True)
    assert "<script>alert(1)" not in page and "&lt;script&gt;" in page and "<b>标题" not in page


def test_views_are_counted_per_day_without_identity(client, hexi, make_finance, session):
    disclosure = make_finance(hexi, "2030-03")
    for _ in range(3):
        client.get(f"/d/{disclosure.id}")
    rows = session.execute(sa.select(DailyViews).where(DailyViews.disclosure_id == disclosure.id)).scalars().all()
    assert len(rows) == 1 and rows[0].count == 3
    assert set(DailyViews.__table__.columns.keys()) == {"id", "disclosure_id", "day", "count"}


def test_finance_page_with_2000_lines_runs_as_few_queries_as_one_with_20(client, hexi, make_finance, count_queries):
    counts = {}
    for size in (20, 2000):
        disclosure = make_finance(hexi, f"2030-0{size % 7}", lines=[raw_line(f"第{i}笔", str(i + 1)) for i in range(size)])
        client.get(f"/d/{disclosure.id}")  # the first view of the day inserts the day's counter row
        with count_queries() as statements:
            response = client.get(f"/d/{disclosure.id}")
        assert response.status_code == 200 and response.get_data(as_text=True).count("我要问") == size
        counts[size] = len(statements)
    assert counts[2000] == counts[20] <= 15, counts


def test_power_list_has_14_items_with_steps_and_ask_links(client, hexi, session):
    page = client.get("/v/hexi/powers").get_data(as_text=True)
    items = session.execute(sa.select(PowerItem).where(PowerItem.village_id == hexi.id)).scalars().all()
    assert len(items) == 14
    major = next(i for i in items if i.title == "村级重大事项决策")
    assert [s.text for s in major.steps][0] == "村党组织提议" and len(major.steps) == 6
    assert f'id="item-{major.id}"' in page
    assert page.count(f'/v/hexi/report?subject=power_item:{major.id}"') == 2 and "此步骤未落实" in page


def test_cadres_page_shows_duties_pledge_and_report_link(client, demo, session):
    page = client.get("/v/hexi/cadres").get_data(as_text=True)
    chair = session.execute(sa.select(Cadre).where(Cadre.name == "张建国")).scalar_one()
    assert f'id="cadre-{chair.id}"' in page and f"/v/hexi/report?subject=cadre:{chair.id}" in page
    assert "廉洁承诺" in page and "责任清单" in page and "2026年1月15日 承诺" in page


def test_unknown_village_is_404_in_chinese(client, demo):
    response = client.get("/v/nowhere/disclosures")
    assert response.status_code == 404 and "没有找到这个村" in response.get_data(as_text=True)


def test_cached_line_list_follows_a_correction(client, hexi, make_finance, people):
    from disclosure.publishing import change_line, draft_of
    from disclosure.receipt import lines_of

    disclosure = make_finance(hexi, "2030-05")
    assert "支出 ¥1,040.00" in client.get(f"/d/{disclosure.id}").get_data(as_text=True)
    start_correction(disclosure, people["clerk"])
    line = lines_of(draft_of(disclosure))[0]
    change_line(disclosure, people["clerk"], line.id, raw_line(amount="1400"))
    publish(disclosure, people["clerk"], reason="按发票更正")
    page = client.get(f"/d/{disclosure.id}").get_data(as_text=True)
    assert "支出 ¥1,400.00" in page and f"subject=line:{line.id}\"" in page


def test_board_shows_each_finance_month_totals(client, hexi, make_finance):
    make_finance(hexi, "2030-06", title="六月账")
    page = client.get("/v/hexi/disclosures").get_data(as_text=True)
    assert "收入¥20,000.00 · 支出¥1,040.00 · 2笔" in page
