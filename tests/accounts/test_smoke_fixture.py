"""The transaction fixture really isolates tests."""
import sqlalchemy as sa

from accounts.models import Township


def test_rows_written_in_one_test_are_gone_in_the_next_part_one(session):
    session.add(Township(name="临时镇", slug="tmp-isolation"))
    session.commit()
    assert session.execute(sa.select(Township).where(Township.slug == "tmp-isolation")).scalar_one()


def test_rows_written_in_one_test_are_gone_in_the_next_part_two(session):
    assert session.execute(sa.select(Township).where(Township.slug == "tmp-isolation")).scalar_one_or_none() is None


def test_demo_seed_is_idempotent(demo, session):
    from accounts.cli import run_seeders
    from accounts.models import User

    before = session.execute(sa.select(sa.func.count(User.id))).scalar_one()
    run_seeders()
    assert session.execute(sa.select(sa.func.count(User.id))).scalar_one() == before == 8
