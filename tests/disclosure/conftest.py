"""Fixtures of the disclosure tests: a maker of finance disclosures and a clerk of 岔马村 (demo people: `people`)."""
import pytest


def raw_line(text="购入档案柜1套", amount="1040", direction="支出", category="办公费", day="2026-10-03",
             counterparty="县城办公家具店", voucher=""):
    """One raw line as a clerk would type it."""
    return {"date": day, "direction": direction, "amount": amount, "category": category, "text": text,
            "counterparty": counterparty, "voucher": voucher}


@pytest.fixture
def make_finance(session, people):
    """Create (and by default publish) a finance disclosure through the real rules."""
    from disclosure.publishing import create_disclosure, publish

    def _make(village, period="2026-10", lines=None, published=True, title=None):
        lines = lines if lines is not None else [raw_line(), raw_line("镇财政拨付村级运转经费", "20000", "收入", "上级拨款")]
        disclosure = create_disclosure(village, people["clerk"], {
            "category": "finance", "mode": "periodic", "period": period, "title": title or f"{period}财务", "body": "",
            "lines": lines})
        if published:
            publish(disclosure, people["clerk"])
        return disclosure

    return _make


@pytest.fixture
def chama_clerk(demo, session):
    """A clerk of 岔马村 (the demo has none), made with the real grant helper."""
    from accounts.models import User
    from accounts.seed import grant

    user = User(phone="13900000033", name="岔马村 会计")
    grant(user, "clerk", village_id=demo.villages["chama"].id)
    session.add(user)
    session.flush()
    return user
