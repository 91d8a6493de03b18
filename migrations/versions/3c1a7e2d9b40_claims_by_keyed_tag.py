"""claims: a keyed tag instead of the report id, one pending row per claim

Revision ID: 3c1a7e2d9b40
Revises: b3c1f0a2d4e5
Create Date: 2026-12-02 01:10:00

A claimed report is kept as HMAC(secret, report id) (points.claims.claim_tag), so the claim tables
name no report to anyone without the app's SECRET_KEY; the upgrade converts existing rows with the
running app's key, which is why it runs inside `flask db upgrade`.
"""
import hashlib
import hmac

import sqlalchemy as sa
from alembic import op
from flask import current_app

revision = '3c1a7e2d9b40'
down_revision = 'b3c1f0a2d4e5'
branch_labels = None
depends_on = None


def _tag(report_id: int) -> str:
    """The same tag points.claims.claim_tag makes (kept here so the migration never changes with the app)."""
    key = hmac.new(current_app.config["SECRET_KEY"].encode(), b"claim-v1", hashlib.sha256).digest()
    return hmac.new(key, str(report_id).encode(), hashlib.sha256).hexdigest()


def upgrade():
    bind = op.get_bind()
    claimed = [row[0] for row in bind.execute(sa.text("SELECT report_id FROM report_claim"))]
    op.drop_table('report_claim')
    report_claim = op.create_table(
        'report_claim',
        sa.Column('tag', sa.String(length=64), nullable=False),
        sa.PrimaryKeyConstraint('tag', name=op.f('pk_report_claim')))
    if claimed:
        op.bulk_insert(report_claim, [{"tag": _tag(report_id)} for report_id in claimed])
    with op.batch_alter_table('pending_claim', schema=None) as batch_op:
        batch_op.add_column(sa.Column('tag', sa.String(length=64), nullable=True))
        batch_op.drop_constraint('uq_pending_claim_user_day', type_='unique')
        batch_op.drop_constraint(batch_op.f('uq_pending_claim_earn_record_id'), type_='unique')
        batch_op.create_unique_constraint(batch_op.f('uq_pending_claim_tag'), ['tag'])
        batch_op.create_index(batch_op.f('ix_pending_claim_user_id'), ['user_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_pending_claim_earn_record_id'), ['earn_record_id'], unique=False)


def downgrade():
    with op.batch_alter_table('pending_claim', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_pending_claim_earn_record_id'))
        batch_op.drop_index(batch_op.f('ix_pending_claim_user_id'))
        batch_op.drop_constraint(batch_op.f('uq_pending_claim_tag'), type_='unique')
        batch_op.create_unique_constraint(batch_op.f('uq_pending_claim_earn_record_id'), ['earn_record_id'])
        batch_op.create_unique_constraint('uq_pending_claim_user_day', ['user_id', 'day'])
        batch_op.drop_column('tag')
    op.drop_table('report_claim')  # the tags cannot be turned back into report ids
    op.create_table(
        'report_claim',
        sa.Column('report_id', sa.Integer(), autoincrement=False, nullable=False),
        sa.ForeignKeyConstraint(['report_id'], ['report.id'], name=op.f('fk_report_claim_report_id_report')),
        sa.PrimaryKeyConstraint('report_id', name=op.f('pk_report_claim')))
