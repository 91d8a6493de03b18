"""Functions other areas call: freshness, published counts, and report subjects."""
from datetime import datetime, timezone

import pytest
import sqlalchemy as sa

import clock
from accounts.models import Village
from disclosure.freshness import (days_since_finance, freshness_warning, last_finance_published_at, set_stale_days,
                                  stale_days)
from disclosure.lookup import count_published, describe_subject, find_subject, parse_subject
from disclosure.models import Cadre, PowerItem
from disclosure.publishing import current_revision, withdraw
from disclosure.receipt import lines_of
from errors import Invalid


@pytest.fixture
def empty_village(demo, session):
    """A village with nothing published yet."""
    village = Village(name="新村", slug="xincun", township_id=demo.township.id)
    session.add(village)
    session.flush()
    return village


@pytest.fixture
def frozen():
    """Freeze the clock at 2030-06-30 12:00 Beijing time."""
    clock.freeze(datetime(2030, 6, 30, 4, 0, tzinfo=timezone.utc))
    yield
    clock.freeze(None)


def test_freshness_counts_days_and_warns_past_the_threshold(empty_village, make_finance, frozen):
    assert last_finance_published_at(empty_village) is None and days_since_finance(empty_village) is None
    assert freshness_warning(empty_village) == "公开不及时：财务还没有公开过"
    make_finance(empty_village, "2030-05")
    assert days_since_finance(empty_village) == 0 and freshness_warning(empty_village) is None
    assert days_since_finance(empty_village, now=datetime(2030, 8, 4, 4, tzinfo=timezone.utc)) == 35
    assert freshness_warning(empty_village, now=datetime(2030, 8, 4, 4, tzinfo=timezone.utc)) is None
    later = datetime(2030, 8, 5, 4, tzinfo=timezone.utc)
    assert freshness_warning(empty_village, now=later) == "公开不及时：财务已36天未公开"


def test_threshold_is_set_per_township(empty_village, make_finance, frozen, demo):
    make_finance(empty_village, "2030-05")
    set_stale_days(demo.township, 20)
    assert stale_days(demo.township.id) == 20
    assert freshness_warning(empty_village, now=datetime(2030, 7, 21, 4, tzinfo=timezone.utc)) == \
        "公开不及时：财务已21天未公开"
    with pytest.raises(Invalid, match="7到120"):
        set_stale_days(demo.township, 3)


def test_withdrawn_finance_does_not_count_as_fresh(empty_village, make_finance, people):
    withdraw(make_finance(empty_village, "2030-05"), people["clerk"], "重发")
    assert last_finance_published_at(empty_village) is None


def test_count_published_excludes_drafts_and_withdrawn(empty_village, make_finance, people):
    make_finance(empty_village, "2030-01")
    make_finance(empty_village, "2030-02", published=False)
    withdraw(make_finance(empty_village, "2030-03"), people["clerk"], "重发")
    assert count_published(empty_village) == 1


def test_find_subject_returns_only_rows_of_that_village(hexi, chama, make_finance, session):
    disclosure = make_finance(hexi, "2030-01")
    line = lines_of(current_revision(disclosure))[0]
    item = session.execute(sa.select(PowerItem).where(PowerItem.village_id == hexi.id)).scalars().first()
    cadre = session.execute(sa.select(Cadre).where(Cadre.name == "张建国")).scalar_one()
    assert find_subject(hexi, "line", line.id) is line
    assert find_subject(hexi, "power_item", str(item.id)) is item
    assert find_subject(hexi, "cadre", cadre.id) is cadre
    for kind, id in (("line", line.id), ("power_item", item.id), ("cadre", cadre.id)):
        assert find_subject(chama, kind, id) is None
    assert find_subject(hexi, "line", 10**9) is None and find_subject(hexi, "shop", 1) is None
    assert find_subject(hexi, "line", "abc") is None


def test_lines_of_an_unpublished_draft_are_not_subjects(hexi, make_finance):
    draft = make_finance(hexi, "2030-02", published=False)
    from disclosure.publishing import draft_of

    assert find_subject(hexi, "line", lines_of(draft_of(draft))[0].id) is None


def test_describe_subject_names_it_in_one_sentence(hexi, make_finance, session):
    line = lines_of(current_revision(make_finance(hexi, "2026-10")))[0]
    assert describe_subject(line) == "2026年10月财务公开：购入档案柜1套 支出¥1,040.00"
    cadre = session.execute(sa.select(Cadre).where(Cadre.name == "张建国")).scalar_one()
    assert describe_subject(cadre) == "清廉印象：张建国（党支部书记兼村委会主任）"
    item = session.execute(sa.select(PowerItem).where(PowerItem.title == "村级工程项目")).scalars().first()
    assert describe_subject(item) == "小微权力清单：村级工程项目"


@pytest.mark.parametrize("text, parsed", [("line:12", ("line", 12)), ("cadre:3", ("cadre", 3)),
                                          ("power_item:7", ("power_item", 7)), ("line:", None), ("shop:1", None),
                                          ("line:-1", None), (None, None)])
def test_parse_subject(text, parsed):
    assert parse_subject(text) == parsed


def test_days_since_finance_for_many_villages_in_one_query(empty_village, hexi, chama, count_queries):
    from disclosure.freshness import days_since_finance_by_village

    ids = [hexi.id, chama.id, empty_village.id]
    with count_queries() as statements:
        days = days_since_finance_by_village(ids)
    assert len([s for s in statements if s.startswith("SELECT")]) == 1
    assert days == {hexi.id: days_since_finance(hexi), chama.id: days_since_finance(chama), empty_village.id: None}


def test_subject_url_points_at_the_anchor(app, hexi, make_finance, session):
    from disclosure.lookup import subject_url

    disclosure = make_finance(hexi, "2030-01")
    line = lines_of(current_revision(disclosure))[0]
    cadre = session.execute(sa.select(Cadre).where(Cadre.name == "张建国")).scalar_one()
    item = session.execute(sa.select(PowerItem).where(PowerItem.village_id == hexi.id)).scalars().first()
    with app.test_request_context():
        assert subject_url(line) == f"/d/{disclosure.id}#line-{line.id}"
        assert subject_url(cadre) == f"/v/hexi/cadres#cadre-{cadre.id}"
        assert subject_url(item) == f"/v/hexi/powers#item-{item.id}"
