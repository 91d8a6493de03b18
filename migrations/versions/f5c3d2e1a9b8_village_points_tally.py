"""Kept points totals per village (issued, redeemed) for the overview, filled from the ledger; redemption indexes; rated cases

Revision ID: f5c3d2e1a9b8
Revises: e4b2c9d1f7a3
Create Date: 2026-12-02 01:40:00
"""
import sqlalchemy as sa
from alembic import op

revision = 'f5c3d2e1a9b8'
down_revision = 'e4b2c9d1f7a3'
branch_labels = None
depends_on = None
CORRECTION_PENDING = "corrected_at IS NOT NULL AND correction_settlement_id IS NULL"


def upgrade():
    op.create_table(
        "village_points",
        sa.Column("village_id", sa.Integer(), nullable=False),
        sa.Column("issued", sa.Integer(), nullable=False),
        sa.Column("redeemed", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["village_id"], ["village.id"], name=op.f("fk_village_points_village_id_village")),
        sa.PrimaryKeyConstraint("village_id", name=op.f("pk_village_points")),
    )
    # The totals as the overview summed them until now: granted earns by the villager's village, unreversed
    # redemptions by the shop's village.
    op.execute("""
        INSERT INTO village_points (village_id, issued, redeemed)
        SELECT village_id, sum(issued), sum(redeemed) FROM (
            SELECT g.village_id AS village_id, e.points AS issued, 0 AS redeemed
              FROM earn_record e JOIN role_grant g ON g.user_id = e.user_id AND g.role = 'villager'
             WHERE e.granted AND g.village_id IS NOT NULL
            UNION ALL
            SELECT s.village_id, 0, r.points FROM redemption r JOIN shop s ON s.id = r.shop_id
             WHERE r.reversal_transfer_id IS NULL
        ) AS moved GROUP BY village_id
    """)
    op.create_index("ix_redemption_township_at", "redemption", ["township_id", "created_at"], unique=False)
    op.create_index("ix_redemption_township_unsettled", "redemption", ["township_id", "shop_id"], unique=False,
                    postgresql_where=sa.text("settlement_id IS NULL AND reversal_transfer_id IS NULL"),
                    sqlite_where=sa.text("settlement_id IS NULL AND reversal_transfer_id IS NULL"))


    op.create_index("ix_redemption_township_corrections", "redemption", ["township_id", "shop_id"], unique=False,
                    postgresql_where=sa.text(CORRECTION_PENDING), sqlite_where=sa.text(CORRECTION_PENDING))
    op.create_index("ix_report_rated", "report", ["village_id", "answered_at", "rating"], unique=False,
                    postgresql_where=sa.text("rating IS NOT NULL"), sqlite_where=sa.text("rating IS NOT NULL"))


def downgrade():
    op.drop_index("ix_report_rated", table_name="report")
    op.drop_index("ix_redemption_township_corrections", table_name="redemption")
    op.drop_index("ix_redemption_township_unsettled", table_name="redemption")
    op.drop_index("ix_redemption_township_at", table_name="redemption")
    op.drop_table("village_points")
