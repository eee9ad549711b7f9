"""composite indexes for "the holder's contracts / claims in this status"

Revision ID: 0016
Revises: 0015
Create Date: 2026-12-06

The dashboard, the claim declaration, the assistant and the bank accounts ask for a holder's active
contracts (``holder_id = ? AND status = 'active'``). SQLite chose the status index, which nearly
every contract shares (9 ms at 100 000 holders instead of 0.1 ms); one index on both columns makes
the holder's rows the only ones read, on SQLite and PostgreSQL. Claims are filtered the same way
(open claims, drafts).
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0016"
down_revision: str | None = "0017"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("contract", schema=None) as batch_op:
        batch_op.create_index("ix_contract_holder_status", ["holder_id", "status"], unique=False)
    with op.batch_alter_table("claim", schema=None) as batch_op:
        batch_op.create_index("ix_claim_holder_status", ["holder_id", "status"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("claim", schema=None) as batch_op:
        batch_op.drop_index("ix_claim_holder_status")
    with op.batch_alter_table("contract", schema=None) as batch_op:
        batch_op.drop_index("ix_contract_holder_status")
