"""outbox delivery by the worker (tries, due and claim times) and the runs of periodic jobs

Revision ID: 0014
Revises: 0013
Create Date: 2026-12-06

Messages were sent inside the request, once; they are now delivered by the worker after the commit
(``espace.notifications.deliveries``): ``attempts`` counts the tries, ``due_at`` says when a worker
should take the message (queued, or waiting for a retry), ``claimed_at`` when the current try
started. Existing rows keep their status (sent, failed, outbox); a row still ``queued`` (never sent
by the old code) becomes due now, and the worker's sweeper sends it.

``job_run``: one row per periodic job and period (a day in Paris), claimed by the worker that runs
it.
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel

from alembic import op

revision: str = "0014"
down_revision: str | None = "0013"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("outbox_message", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("attempts", sa.Integer(), nullable=False, server_default=sa.text("0"))
        )
        batch_op.add_column(sa.Column("due_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True))
        batch_op.add_column(
            sa.Column("claimed_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True)
        )
        batch_op.create_index("ix_outbox_message_status_due", ["status", "due_at"], unique=False)
    op.execute("UPDATE outbox_message SET due_at = created_at WHERE status = 'queued'")

    op.create_table(
        "job_run",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sqlmodel.sql.sqltypes.AutoString(length=40), nullable=False),
        sa.Column("period", sqlmodel.sql.sqltypes.AutoString(length=20), nullable=False),
        sa.Column("status", sqlmodel.sql.sqltypes.AutoString(length=10), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("worker", sqlmodel.sql.sqltypes.AutoString(length=100), nullable=False),
        sa.Column("started_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.Column("finished_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True),
        sa.Column("result", sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_job_run")),
        sa.UniqueConstraint("name", "period", name="uq_job_run_name_period"),
    )


def downgrade() -> None:
    op.drop_table("job_run")
    with op.batch_alter_table("outbox_message", schema=None) as batch_op:
        batch_op.drop_index("ix_outbox_message_status_due")
        batch_op.drop_column("claimed_at")
        batch_op.drop_column("due_at")
        batch_op.drop_column("attempts")
