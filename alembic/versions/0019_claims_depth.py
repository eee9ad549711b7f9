"""claims and support depth (issue 21): complaints with their legal deadlines

Revision ID: 0019
Revises: 0014
Create Date: 2026-12-06

``complaint``: a réclamation (ACPR 2022-R-01) with its acknowledgement and answer due dates, its
assignment and answer; ``complaint_message``: the exchange (the complaint, the acknowledgement, the
answer, a disagreement). ``settlement_offer``: the offer after the assessment, its breakdown, and
the holder's acceptance (payment account or repair in kind, signed PDF) or dispute.
``claim_file.captured_at`` (a photo's EXIF capture time) and ``detected_amount_cents`` (the total
read from an invoice or quote). ``visit_slot``: the expert's offered visit times, the one the holder
picked, reschedules with their reason and the day-before reminder. ``assistance_request``: an
emergency request sent to the assistance provider, with its status.
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel

from alembic import op

revision: str = "0019"
down_revision: str | None = "0015"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

AutoString = sqlmodel.sql.sqltypes.AutoString
UTCDateTime = sqlmodel.sql.sqltypes.UTCDateTime


def upgrade() -> None:
    op.create_table(
        "complaint",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("reference", AutoString(length=20), nullable=False),
        sa.Column("holder_id", sa.Integer(), nullable=False),
        sa.Column("topic", AutoString(length=10), nullable=False),
        sa.Column("claim_id", sa.Integer(), nullable=True),
        sa.Column("contract_id", sa.Integer(), nullable=True),
        sa.Column("subject", AutoString(length=120), nullable=False),
        sa.Column("status", AutoString(length=10), nullable=False),
        sa.Column("origin", AutoString(length=20), nullable=False),
        sa.Column("filed_at", UTCDateTime(), nullable=False),
        sa.Column("acknowledged_at", UTCDateTime(), nullable=True),
        sa.Column("acknowledgement_due_on", sa.Date(), nullable=False),
        sa.Column("answer_due_on", sa.Date(), nullable=False),
        sa.Column("assigned_staff_id", sa.Integer(), nullable=True),
        sa.Column("answered_at", UTCDateTime(), nullable=True),
        sa.Column("answered_by_staff_id", sa.Integer(), nullable=True),
        sa.Column("holder_disagreed_at", UTCDateTime(), nullable=True),
        sa.ForeignKeyConstraint(
            ["holder_id"], ["policyholder.id"], name=op.f("fk_complaint_holder_id_policyholder")
        ),
        sa.ForeignKeyConstraint(
            ["claim_id"], ["claim.id"], name=op.f("fk_complaint_claim_id_claim")
        ),
        sa.ForeignKeyConstraint(
            ["contract_id"], ["contract.id"], name=op.f("fk_complaint_contract_id_contract")
        ),
        sa.ForeignKeyConstraint(
            ["assigned_staff_id"],
            ["staff_user.id"],
            name=op.f("fk_complaint_assigned_staff_id_staff_user"),
        ),
        sa.ForeignKeyConstraint(
            ["answered_by_staff_id"],
            ["staff_user.id"],
            name=op.f("fk_complaint_answered_by_staff_id_staff_user"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_complaint")),
        sa.UniqueConstraint("reference", name=op.f("uq_complaint_reference")),
    )
    with op.batch_alter_table("complaint", schema=None) as batch_op:
        for column in ("holder_id", "claim_id", "status", "filed_at", "answer_due_on"):
            batch_op.create_index(batch_op.f(f"ix_complaint_{column}"), [column], unique=False)
        batch_op.create_index(
            batch_op.f("ix_complaint_assigned_staff_id"), ["assigned_staff_id"], unique=False
        )

    op.create_table(
        "complaint_message",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("complaint_id", sa.Integer(), nullable=False),
        sa.Column("kind", AutoString(length=16), nullable=False),
        sa.Column("author", AutoString(length=10), nullable=False),
        sa.Column("staff_id", sa.Integer(), nullable=True),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["complaint_id"],
            ["complaint.id"],
            name=op.f("fk_complaint_message_complaint_id_complaint"),
        ),
        sa.ForeignKeyConstraint(
            ["staff_id"], ["staff_user.id"], name=op.f("fk_complaint_message_staff_id_staff_user")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_complaint_message")),
    )
    with op.batch_alter_table("complaint_message", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_complaint_message_complaint_id"), ["complaint_id"], unique=False
        )

    op.create_table(
        "settlement_offer",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("claim_id", sa.Integer(), nullable=False),
        sa.Column("status", AutoString(length=10), nullable=False),
        sa.Column("damage_cents", sa.Integer(), nullable=False),
        sa.Column("obsolescence_cents", sa.Integer(), nullable=False),
        sa.Column("deductible_cents", sa.Integer(), nullable=False),
        sa.Column("ceiling_cents", sa.Integer(), nullable=False),
        sa.Column("immediate_cents", sa.Integer(), nullable=False),
        sa.Column("deferred_cents", sa.Integer(), nullable=False),
        sa.Column("new_for_old", sa.Boolean(), nullable=False),
        sa.Column("repair_in_kind_allowed", sa.Boolean(), nullable=False),
        sa.Column("made_at", UTCDateTime(), nullable=False),
        sa.Column("made_by_staff_id", sa.Integer(), nullable=True),
        sa.Column("decided_at", UTCDateTime(), nullable=True),
        sa.Column("payment_choice", AutoString(length=10), nullable=False),
        sa.Column("bank_account_id", sa.Integer(), nullable=True),
        sa.Column("iban_masked", AutoString(length=40), nullable=False),
        sa.Column("dispute_reason", AutoString(length=1000), nullable=False),
        sa.Column("dispute_action", AutoString(length=20), nullable=False),
        sa.Column("complaint_id", sa.Integer(), nullable=True),
        sa.Column("acceptance_file_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["claim_id"], ["claim.id"], name=op.f("fk_settlement_offer_claim_id_claim")
        ),
        sa.ForeignKeyConstraint(
            ["made_by_staff_id"],
            ["staff_user.id"],
            name=op.f("fk_settlement_offer_made_by_staff_id_staff_user"),
        ),
        sa.ForeignKeyConstraint(
            ["bank_account_id"],
            ["bank_account.id"],
            name=op.f("fk_settlement_offer_bank_account_id_bank_account"),
        ),
        sa.ForeignKeyConstraint(
            ["complaint_id"],
            ["complaint.id"],
            name=op.f("fk_settlement_offer_complaint_id_complaint"),
        ),
        sa.ForeignKeyConstraint(
            ["acceptance_file_id"],
            ["claim_file.id"],
            name=op.f("fk_settlement_offer_acceptance_file_id_claim_file"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_settlement_offer")),
    )
    with op.batch_alter_table("settlement_offer", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_settlement_offer_claim_id"), ["claim_id"], unique=False
        )

    with op.batch_alter_table("claim_file", schema=None) as batch_op:
        batch_op.add_column(sa.Column("captured_at", UTCDateTime(), nullable=True))
        batch_op.add_column(sa.Column("detected_amount_cents", sa.Integer(), nullable=True))

    op.create_table(
        "visit_slot",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("claim_id", sa.Integer(), nullable=False),
        sa.Column("starts_at", UTCDateTime(), nullable=False),
        sa.Column("status", AutoString(length=10), nullable=False),
        sa.Column("offered_by_staff_id", sa.Integer(), nullable=True),
        sa.Column("offered_at", UTCDateTime(), nullable=False),
        sa.Column("decided_at", UTCDateTime(), nullable=True),
        sa.Column("reason", AutoString(length=300), nullable=False),
        sa.Column("reminder_sent_at", UTCDateTime(), nullable=True),
        sa.ForeignKeyConstraint(
            ["claim_id"], ["claim.id"], name=op.f("fk_visit_slot_claim_id_claim")
        ),
        sa.ForeignKeyConstraint(
            ["offered_by_staff_id"],
            ["staff_user.id"],
            name=op.f("fk_visit_slot_offered_by_staff_id_staff_user"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_visit_slot")),
    )
    with op.batch_alter_table("visit_slot", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_visit_slot_claim_id"), ["claim_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_visit_slot_starts_at"), ["starts_at"], unique=False)

    op.create_table(
        "assistance_request",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("holder_id", sa.Integer(), nullable=False),
        sa.Column("contract_id", sa.Integer(), nullable=False),
        sa.Column("claim_id", sa.Integer(), nullable=True),
        sa.Column("situation", AutoString(length=20), nullable=False),
        sa.Column("service", AutoString(length=12), nullable=False),
        sa.Column("nights", sa.Integer(), nullable=False),
        sa.Column("status", AutoString(length=12), nullable=False),
        sa.Column("provider", AutoString(length=40), nullable=False),
        sa.Column("provider_reference", AutoString(length=40), nullable=False),
        sa.Column("scheduled_at", UTCDateTime(), nullable=True),
        sa.Column("completed_at", UTCDateTime(), nullable=True),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.Column("updated_at", UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["holder_id"],
            ["policyholder.id"],
            name=op.f("fk_assistance_request_holder_id_policyholder"),
        ),
        sa.ForeignKeyConstraint(
            ["contract_id"],
            ["contract.id"],
            name=op.f("fk_assistance_request_contract_id_contract"),
        ),
        sa.ForeignKeyConstraint(
            ["claim_id"], ["claim.id"], name=op.f("fk_assistance_request_claim_id_claim")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_assistance_request")),
    )
    with op.batch_alter_table("assistance_request", schema=None) as batch_op:
        for column in ("holder_id", "contract_id", "claim_id"):
            batch_op.create_index(
                batch_op.f(f"ix_assistance_request_{column}"), [column], unique=False
            )


def downgrade() -> None:
    op.drop_table("assistance_request")
    op.drop_table("visit_slot")
    with op.batch_alter_table("claim_file", schema=None) as batch_op:
        batch_op.drop_column("detected_amount_cents")
        batch_op.drop_column("captured_at")
    op.drop_table("settlement_offer")
    op.drop_table("complaint_message")
    op.drop_table("complaint")
