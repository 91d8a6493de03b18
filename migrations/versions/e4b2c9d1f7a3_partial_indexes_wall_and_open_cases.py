"""Partial indexes for the wall's keyset pages and count, and the open-case count (issue 16)

Revision ID: e4b2c9d1f7a3
Revises: dde0b76ce252
Create Date: 2026-12-02 01:30:00
"""
import sqlalchemy as sa
from alembic import op

revision = 'e4b2c9d1f7a3'
down_revision = 'dde0b76ce252'
branch_labels = None
depends_on = None

# Written as SQLAlchemy renders the queries' own conditions, so each database's planner matches them.
WALL_WHERE = {"postgresql": "published IS true AND wall_hidden IS false AND status IN ('answered', 'closed')",
              "sqlite": "published IS 1 AND wall_hidden IS 0 AND status IN ('answered', 'closed')"}
OPEN_WHERE = "status IN ('submitted', 'accepted', 'answered')"
INDEXES = (
    ("ix_report_on_wall", ["village_id", "answered_at", "id"], WALL_WHERE),
    ("ix_report_on_wall_category", ["village_id", "category", "answered_at", "id"], WALL_WHERE),
    ("ix_report_open", ["village_id", "status"], {"postgresql": OPEN_WHERE, "sqlite": OPEN_WHERE}),
)


def upgrade():
    for name, columns, where in INDEXES:
        op.create_index(name, "report", columns, unique=False, postgresql_where=sa.text(where["postgresql"]),
                        sqlite_where=sa.text(where["sqlite"]))


def downgrade():
    for name, _, _ in INDEXES:
        op.drop_index(name, table_name="report")
