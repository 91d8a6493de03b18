"""The demo seed: realistic finance for 河西村 with a correction, less for 岔马村, and idempotent."""
import sqlalchemy as sa

from accounts.cli import run_seeders
from disclosure.models import Cadre, Disclosure, FinanceLine, PowerItem, Revision


def _counts(session):
    return tuple(session.execute(sa.select(sa.func.count(m.id))).scalar_one()
                 for m in (Disclosure, Revision, FinanceLine, PowerItem, Cadre))


def test_demo_has_three_months_of_hexi_finance_with_a_correction(demo, session):
    hexi = demo.villages["hexi"]
    finance = session.execute(sa.select(Disclosure).where(Disclosure.village_id == hexi.id,
                                                          Disclosure.category == "finance")).scalars().all()
    assert len(finance) >= 3 and all(d.status == "published" for d in finance)
    assert sum(1 for d in finance if d.revision == 2) == 1
    for d in finance:
        count = session.execute(sa.select(sa.func.count(FinanceLine.id)).join(Revision).where(
            Revision.disclosure_id == d.id, Revision.number == d.revision)).scalar_one()
        assert count >= 40
    categories = {d.category for d in session.execute(sa.select(Disclosure).where(
        Disclosure.village_id == hexi.id)).scalars()}
    assert categories == {"finance", "party", "affairs"}


def test_demo_seed_runs_twice_to_the_same_data(demo, session):
    before = _counts(session)
    run_seeders()
    assert _counts(session) == before
