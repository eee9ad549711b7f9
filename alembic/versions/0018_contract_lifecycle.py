"""contract lifecycle: renewals, cancellation requests and their files

Revision ID: 0018
Revises: 0015
Create Date: 2026-12-06

``contract_renewal``: one row per contract and anniversary, inserted first by the renewal job (the
unique pair makes a second worker or run do nothing), with the notice and the attestation it issued.
``cancellation`` and ``cancellation_file``: online cancellation requests (ground, dates, refund, the
new insurer under loi Hamon) and their supporting documents (private storage keys).
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel

from alembic import op

revision: str = "0018"
down_revision: str | None = "0016"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "cancellation",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("reference", sqlmodel.sql.sqltypes.AutoString(length=24), nullable=False),
        sa.Column("contract_id", sa.Integer(), nullable=False),
        sa.Column("holder_id", sa.Integer(), nullable=False),
        sa.Column("ground", sqlmodel.sql.sqltypes.AutoString(length=10), nullable=False),
        sa.Column("event_date", sa.Date(), nullable=True),
        sa.Column("details", sqlmodel.sql.sqltypes.AutoString(length=1000), nullable=False),
        sa.Column("new_insurer", sa.JSON(), nullable=False),
        sa.Column("received_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.Column("effective_date", sa.Date(), nullable=False),
        sa.Column("refund_cents", sa.Integer(), nullable=False),
        sa.Column("cancelled_debits", sa.Integer(), nullable=False),
        sa.Column("status", sqlmodel.sql.sqltypes.AutoString(length=10), nullable=False),
        sa.Column("document_id", sa.Integer(), nullable=True),
        sa.Column("account_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["account_id"], ["account.id"], name=op.f("fk_cancellation_account_id_account")
        ),
        sa.ForeignKeyConstraint(
            ["contract_id"], ["contract.id"], name=op.f("fk_cancellation_contract_id_contract")
        ),
        sa.ForeignKeyConstraint(
            ["document_id"], ["document.id"], name=op.f("fk_cancellation_document_id_document")
        ),
        sa.ForeignKeyConstraint(
            ["holder_id"], ["policyholder.id"], name=op.f("fk_cancellation_holder_id_policyholder")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_cancellation")),
        sa.UniqueConstraint("reference", name=op.f("uq_cancellation_reference")),
    )
    with op.batch_alter_table("cancellation", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_cancellation_contract_id"), ["contract_id"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_cancellation_holder_id"), ["holder_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_cancellation_status"), ["status"], unique=False)

    op.create_table(
        "contract_renewal",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("contract_id", sa.Integer(), nullable=False),
        sa.Column("anniversary", sa.Date(), nullable=False),
        sa.Column("old_premium_cents", sa.Integer(), nullable=False),
        sa.Column("new_premium_cents", sa.Integer(), nullable=False),
        sa.Column("tariff_version", sqlmodel.sql.sqltypes.AutoString(length=20), nullable=False),
        sa.Column("claims_counted", sa.Integer(), nullable=False),
        sa.Column("notice_sent_on", sa.Date(), nullable=True),
        sa.Column("chatel_deadline", sa.Date(), nullable=True),
        sa.Column("notice_document_id", sa.Integer(), nullable=True),
        sa.Column("attestation_document_id", sa.Integer(), nullable=True),
        sa.Column("attestation_claimed_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True),
        sa.Column("created_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["attestation_document_id"],
            ["document.id"],
            name=op.f("fk_contract_renewal_attestation_document_id_document"),
        ),
        sa.ForeignKeyConstraint(
            ["contract_id"], ["contract.id"], name=op.f("fk_contract_renewal_contract_id_contract")
        ),
        sa.ForeignKeyConstraint(
            ["notice_document_id"],
            ["document.id"],
            name=op.f("fk_contract_renewal_notice_document_id_document"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_contract_renewal")),
        sa.UniqueConstraint(
            "contract_id", "anniversary", name=op.f("uq_contract_renewal_contract_id")
        ),
    )
    with op.batch_alter_table("contract_renewal", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_contract_renewal_anniversary"), ["anniversary"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_contract_renewal_contract_id"), ["contract_id"], unique=False
        )

    op.create_table(
        "cancellation_file",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("cancellation_id", sa.Integer(), nullable=False),
        sa.Column("filename", sqlmodel.sql.sqltypes.AutoString(length=140), nullable=False),
        sa.Column("mime_type", sqlmodel.sql.sqltypes.AutoString(length=60), nullable=False),
        sa.Column("size_bytes", sa.Integer(), nullable=False),
        sa.Column("storage_key", sqlmodel.sql.sqltypes.AutoString(length=80), nullable=False),
        sa.Column("sha256", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.Column("uploaded_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["cancellation_id"],
            ["cancellation.id"],
            name=op.f("fk_cancellation_file_cancellation_id_cancellation"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_cancellation_file")),
    )
    with op.batch_alter_table("cancellation_file", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_cancellation_file_cancellation_id"), ["cancellation_id"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("cancellation_file", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_cancellation_file_cancellation_id"))

    op.drop_table("cancellation_file")
    with op.batch_alter_table("contract_renewal", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_contract_renewal_contract_id"))
        batch_op.drop_index(batch_op.f("ix_contract_renewal_anniversary"))

    op.drop_table("contract_renewal")
    with op.batch_alter_table("cancellation", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_cancellation_status"))
        batch_op.drop_index(batch_op.f("ix_cancellation_holder_id"))
        batch_op.drop_index(batch_op.f("ix_cancellation_contract_id"))

    op.drop_table("cancellation")
