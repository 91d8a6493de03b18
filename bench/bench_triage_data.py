"""Generate a big township world for the triage benchmarks: villages, users, and many reports.

Used by bench_triage_queries.py. One "hot" village (id 1) gets `hot` reports so that the wall and the
committee queue are measured where they are biggest; the rest are spread over every village.
"""
import random
import secrets
from datetime import timedelta


import clock

STATUSES = (("closed", 80), ("answered", 6), ("rejected", 6), ("accepted", 4), ("submitted", 4))
CATEGORIES = ("作风纪律", "三资管理", "惠农政策", "工程项目", "三务公开", "环境卫生", "其他")


def _pick_status(rng: random.Random) -> str:
    """A status with the weights above."""
    n = rng.randrange(100)
    for status, weight in STATUSES:
        if n < weight:
            return status
        n -= weight
    return "closed"


def report_rows(village_ids: list[int], total: int, hot: int, seed: int = 7):
    """Yield report rows as dicts: `hot` of them in village_ids[0], the rest spread evenly."""
    rng = random.Random(seed)
    now = clock.now()
    for i in range(total):
        village = village_ids[0] if i < hot else village_ids[1 + (i % (len(village_ids) - 1))]
        created = now - timedelta(minutes=rng.randrange(60 * 24 * 730))
        status = _pick_status(rng)
        age_days = (now - created).days
        if age_days > 30 and status in ("submitted", "accepted", "answered") and rng.random() > 0.01:
            status = "closed"  # old cases are finished, but for a few stale ones that ran overdue
        if age_days <= 5 and status in ("closed", "rejected"):
            status = "submitted"
        row = {"village_id": village, "level": "township" if rng.random() < 0.05 else "village", "status": status,
               "category": rng.choice(CATEGORIES), "content": f"反映内容第{i}号：村里的事情需要核实处理。",
               "anonymous": True, "allow_public": True, "tracking_hash": secrets.token_hex(32), "created_at": created,
               "due_at": None, "accepted_at": None, "answered_at": None, "closed_at": None, "reply": None,
               "public_text": None, "published": False, "rating": None, "wall_hidden": False}
        if status == "submitted":
            row["due_at"] = created + timedelta(days=3)
        if status in ("accepted", "answered", "closed"):
            row["accepted_at"] = created + timedelta(days=1)
        if status == "accepted":
            row["due_at"] = row["accepted_at"] + timedelta(days=15)
        if status in ("answered", "closed"):
            row["answered_at"] = created + timedelta(days=rng.randrange(2, 14))
            row["reply"] = "经核实已处理。"
            if rng.random() < 0.6:
                row["published"], row["public_text"] = True, row["content"]
        if status == "closed":
            row["closed_at"] = row["answered_at"] + timedelta(days=2)
            row["rating"] = rng.choice(("satisfied", "satisfied", "basic", "unsatisfied"))
        yield row


def build(db, villages: int, reports: int, hot: int, per_township: int = 20, batch: int = 20000) -> dict:
    """Create townships, villages, the desk users and the reports; returns the ids the benchmark needs."""
    from accounts.models import RoleGrant, Township, User, Village
    from citizen.reports.models import Report

    session = db.session
    townships = [Township(name=f"测试镇{t}", slug=f"t{t}") for t in range((villages + per_township - 1) // per_township)]
    session.add_all(townships)
    session.flush()
    vs = [Village(name=f"测试村{v}", slug=f"v{v}", township_id=townships[v // per_township].id) for v in range(villages)]
    session.add_all(vs)
    session.flush()
    people = {}
    for key, role, scope in (("committee", "committee", {"village_id": vs[0].id}),
                             ("inspector", "inspector", {"township_id": townships[0].id}),
                             ("township", "township", {"township_id": townships[0].id})):
        user = User(phone=f"1390009{len(people):04d}", name=key, password_hash="x")
        user.grants.append(RoleGrant(role=role, **scope))
        session.add(user)
        session.flush()
        people[key] = user.id
    session.commit()
    ids = [v.id for v in vs]
    table = Report.__table__
    engine = db.engine
    rows = []
    with engine.begin() as conn:
        for row in report_rows(ids, reports, hot):
            rows.append(row)
            if len(rows) >= batch:
                conn.execute(table.insert(), rows)
                rows = []
        if rows:
            conn.execute(table.insert(), rows)
    # What autovacuum would have done by then: statistics, and a visibility map for index-only scans.
    with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
        conn.exec_driver_sql("VACUUM ANALYZE" if engine.dialect.name == "postgresql" else "ANALYZE")
    return made_ids(db)


def made_ids(db) -> dict:
    """The ids a benchmark needs, from a database built earlier (for --reuse)."""
    import sqlalchemy as sa

    from accounts.models import Township, User, Village

    people = {u.name: u.id for u in db.session.execute(
        sa.select(User).where(User.name.in_(("committee", "inspector", "township")))).scalars()}
    first = db.session.execute(sa.select(Village).where(Village.slug == "v0")).scalar_one()
    township = db.session.execute(sa.select(Township).where(Township.slug == "t0")).scalar_one()
    return {"people": people, "hot_village": first.slug, "township": township.id}
