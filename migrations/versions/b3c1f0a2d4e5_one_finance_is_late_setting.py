"""one "finance is late" setting: drop triage_settings.yellow_disclosure_days for disclosure_settings

Revision ID: b3c1f0a2d4e5
Revises: 901c65d59e8e
Create Date: 2026-12-01 12:00:00

The township overview's yellow colour for an old finance disclosure now reads the disclosure area's
finance_stale_days, the setting the village home's 公开不及时 banner already used. A township that had
changed only the overview's number keeps it (brought into 7..120 days, the setting's range).
"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'b3c1f0a2d4e5'
down_revision = '901c65d59e8e'
branch_labels = None
depends_on = None


def upgrade():
    op.execute(sa.text(
        "INSERT INTO disclosure_settings (township_id, finance_stale_days) "
        "SELECT t.township_id, CASE WHEN t.yellow_disclosure_days < 7 THEN 7 "
        "WHEN t.yellow_disclosure_days > 120 THEN 120 ELSE t.yellow_disclosure_days END "
        "FROM triage_settings t WHERE t.yellow_disclosure_days <> 35 AND NOT EXISTS "
        "(SELECT 1 FROM disclosure_settings d WHERE d.township_id = t.township_id)"))
    with op.batch_alter_table('triage_settings', schema=None) as batch_op:
        batch_op.drop_column('yellow_disclosure_days')


def downgrade():
    with op.batch_alter_table('triage_settings', schema=None) as batch_op:
        batch_op.add_column(sa.Column('yellow_disclosure_days', sa.Integer(), nullable=False, server_default='35'))
    op.execute(sa.text(
        "UPDATE triage_settings SET yellow_disclosure_days = COALESCE((SELECT d.finance_stale_days "
        "FROM disclosure_settings d WHERE d.township_id = triage_settings.township_id), 35)"))
