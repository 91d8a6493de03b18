"""The wall pages by keyset: following 下一页 visits every entry once, in order; 上一页 goes back; a bad cursor is page one."""
import re
from datetime import timedelta

import clock
from citizen.reports import lifecycle
from citizen.wall import entries as wall
from tests.citizen.triage_factories import make_report


def _fill(village, people, count: int) -> None:
    """`count` entries on the wall, two of them answered at the very same moment (ties break by id)."""
    start = clock.now() - timedelta(days=30)
    for i in range(count):
        with clock.at(start + timedelta(hours=i if i != 1 else 0)):
            report = make_report(village, content=f"第{i}件事")
            lifecycle.accept_report(report, people["committee_chama"])
            lifecycle.answer_report(report, people["committee_chama"], "已处理。", publish=True)


def _page(client, url: str) -> tuple[list[int], str | None, str | None]:
    """Entry ids of one wall page and its 下一页 / 上一页 links."""
    html = client.get(url).get_data(as_text=True)
    ids = [int(n) for n in re.findall(r'id="entry-(\d+)"', html)]
    older = re.search(r'id="wall-older" href="([^"]+)"', html)
    newer = re.search(r'id="wall-newer" href="([^"]+)"', html)
    unescape = lambda m: m.group(1).replace("&amp;", "&") if m else None  # noqa: E731
    return ids, unescape(older), unescape(newer)


def test_following_the_next_links_visits_every_entry_once_in_order(client, demo, people, session):
    chama = demo.villages["chama"]
    _fill(chama, people, 45)
    expected = [r.id for r in session.execute(wall.wall_query(chama)).scalars()]
    seen, url, pages = [], "/v/chama/wall", []
    while url:
        ids, url, newer = _page(client, url)
        pages.append((ids, newer))
        seen += ids
    assert seen == expected and len(pages) == -(-len(expected) // 20)
    assert pages[0][1] is None  # the newest page has no 上一页
    last_ids, back = pages[-1]
    assert _page(client, back)[0] == pages[-2][0]


def test_a_malformed_cursor_shows_the_newest_page(client, demo, people, session):
    _fill(demo.villages["chama"], people, 3)
    newest = _page(client, "/v/chama/wall")[0]
    for cursor in ("older=abc", "older=1-2-3", "newer=99999999999999999999999-1", "older="):
        response = client.get(f"/v/chama/wall?{cursor}")
        assert response.status_code == 200, cursor
        assert _page(client, f"/v/chama/wall?{cursor}")[0] == newest, cursor


def test_a_deep_page_starts_where_the_last_one_ended(client, demo, people, session, count_queries):
    chama = demo.villages["chama"]
    _fill(chama, people, 45)
    _, older, _ = _page(client, "/v/chama/wall")
    _, deeper, _ = _page(client, older)
    with count_queries() as statements:
        client.get(deeper)
    wall_reads = [" ".join(s.split()) for s in statements if "FROM report" in s and "LIMIT" in s.upper()]
    # keyset: the database seeks to the cursor in the index instead of reading and skipping the pages before
    assert wall_reads and all("(report.answered_at, report.id) <" in s for s in wall_reads)
