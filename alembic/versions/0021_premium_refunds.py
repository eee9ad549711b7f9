"""premium refunds and refused cancellations (issue 20)

Revision ID: 0021
Revises: 0020
Create Date: 2026-12-06

``premium_refund``: money owed to a holder (the unearned premium of a cancelled contract), with the
bank account it goes to (id and masked IBAN at the time), its status (awaiting bank details, to pay,
sent to the bank in a pain.001, paid, cancelled) and dates. ``cancellation``: what the request
changed (``changes``, so that a refusal restores exactly that) and the refusal (when, by whom, why).
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel

from alembic import op

revision: str = "0021"
down_revision: str | None = "0020"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

AutoString = sqlmodel.sql.sqltypes.AutoString
UTCDateTime = sqlmodel.sql.sqltypes.UTCDateTime


def upgrade() -> None:
    op.create_table(
        "premium_refund",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("reference", AutoString(length=24), nullable=False),
        sa.Column("holder_id", sa.Integer(), nullable=False),
        sa.Column("contract_id", sa.Integer(), nullable=False),
        sa.Column("origin", AutoString(length=20), nullable=False),
        sa.Column("cancellation_id", sa.Integer(), nullable=True),
        sa.Column("origin_reference", AutoString(length=24), nullable=False),
        sa.Column("amount_cents", sa.Integer(), nullable=False),
        sa.Column("bank_account_id", sa.Integer(), nullable=True),
        sa.Column("iban_masked", AutoString(length=40), nullable=False),
        sa.Column("status", AutoString(length=14), nullable=False),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.Column("sent_at", UTCDateTime(), nullable=True),
        sa.Column("message_id", AutoString(length=35), nullable=False),
        sa.Column("paid_at", UTCDateTime(), nullable=True),
        sa.Column("paid_via", AutoString(length=10), nullable=False),
        sa.Column("paid_reference", AutoString(length=40), nullable=False),
        sa.Column("paid_by_staff_id", sa.Integer(), nullable=True),
        sa.Column("cancelled_at", UTCDateTime(), nullable=True),
        sa.Column("cancelled_reason", AutoString(length=200), nullable=False),
        sa.ForeignKeyConstraint(
            ["holder_id"],
            ["policyholder.id"],
            name=op.f("fk_premium_refund_holder_id_policyholder"),
        ),
        sa.ForeignKeyConstraint(
            ["contract_id"], ["contract.id"], name=op.f("fk_premium_refund_contract_id_contract")
        ),
        sa.ForeignKeyConstraint(
            ["cancellation_id"],
            ["cancellation.id"],
            name=op.f("fk_premium_refund_cancellation_id_cancellation"),
        ),
        sa.ForeignKeyConstraint(
            ["bank_account_id"],
            ["bank_account.id"],
            name=op.f("fk_premium_refund_bank_account_id_bank_account"),
        ),
        sa.ForeignKeyConstraint(
            ["paid_by_staff_id"],
            ["staff_user.id"],
            name=op.f("fk_premium_refund_paid_by_staff_id_staff_user"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_premium_refund")),
        sa.UniqueConstraint("reference", name=op.f("uq_premium_refund_reference")),
    )
    with op.batch_alter_table("premium_refund", schema=None) as batch_op:
        for column in ("holder_id", "contract_id", "cancellation_id", "status"):
            batch_op.create_index(batch_op.f(f"ix_premium_refund_{column}"), [column], unique=False)

    with op.batch_alter_table("cancellation", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("changes", sa.JSON(), nullable=False, server_default=sa.text("'{}'"))
        )
        batch_op.add_column(sa.Column("refused_at", UTCDateTime(), nullable=True))
        batch_op.add_column(sa.Column("refused_by_staff_id", sa.Integer(), nullable=True))
        batch_op.add_column(
            sa.Column("refusal_reason", AutoString(length=1000), nullable=False, server_default="")
        )
        batch_op.create_foreign_key(
            batch_op.f("fk_cancellation_refused_by_staff_id_staff_user"),
            "staff_user",
            ["refused_by_staff_id"],
            ["id"],
        )


def downgrade() -> None:
    with op.batch_alter_table("cancellation", schema=None) as batch_op:
        batch_op.drop_constraint(
            batch_op.f("fk_cancellation_refused_by_staff_id_staff_user"), type_="foreignkey"
        )
        batch_op.drop_column("refusal_reason")
        batch_op.drop_column("refused_by_staff_id")
        batch_op.drop_column("refused_at")
        batch_op.drop_column("changes")

    with op.batch_alter_table("premium_refund", schema=None) as batch_op:
        for column in ("status", "cancellation_id", "contract_id", "holder_id"):
            batch_op.drop_index(batch_op.f(f"ix_premium_refund_{column}"))

    op.drop_table("premium_refund")
