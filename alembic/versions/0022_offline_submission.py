"""offline claim declarations (issue 21, item 6): the device's idempotency keys

Revision ID: 0022
Revises: 0021
Create Date: 2026-12-06

``offline_submission``: one row per declaration a holder's device sent after filling it without
network, keyed by the key the device generated (unique per holder), with the claim it created; a
retry of the same key answers with that claim instead of creating another.
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel

from alembic import op

revision: str = "0022"
down_revision: str | None = "0021"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "offline_submission",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("holder_id", sa.Integer(), nullable=False),
        sa.Column("idempotency_key", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.Column("claim_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["claim_id"], ["claim.id"], name=op.f("fk_offline_submission_claim_id_claim")
        ),
        sa.ForeignKeyConstraint(
            ["holder_id"],
            ["policyholder.id"],
            name=op.f("fk_offline_submission_holder_id_policyholder"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_offline_submission")),
        sa.UniqueConstraint(
            "holder_id", "idempotency_key", name=op.f("uq_offline_submission_holder_id")
        ),
    )
    with op.batch_alter_table("offline_submission", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_offline_submission_holder_id"), ["holder_id"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("offline_submission", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_offline_submission_holder_id"))
    op.drop_table("offline_submission")
