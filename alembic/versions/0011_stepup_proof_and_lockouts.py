"""step-up proof, second-factor failure counter, pending authenticator, staff lockout

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-08 09:00:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel

from alembic import op

revision: str = "0011"
down_revision: str | None = "0010"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("account", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column(
                "failed_code_count", sa.Integer(), nullable=False, server_default=sa.text("0")
            )
        )
        batch_op.add_column(
            sa.Column(
                "totp_pending_encrypted",
                sqlmodel.sql.sqltypes.AutoString(length=200),
                nullable=True,
            )
        )
        batch_op.add_column(
            sa.Column("totp_pending_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True)
        )

    with op.batch_alter_table("auth_session", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column(
                "step_up_method",
                sqlmodel.sql.sqltypes.AutoString(length=10),
                nullable=False,
                server_default="",
            )
        )
        batch_op.add_column(
            sa.Column("step_up_spent_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True)
        )

    with op.batch_alter_table("staff_user", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column(
                "failed_login_count", sa.Integer(), nullable=False, server_default=sa.text("0")
            )
        )
        batch_op.add_column(
            sa.Column(
                "failed_code_count", sa.Integer(), nullable=False, server_default=sa.text("0")
            )
        )
        batch_op.add_column(
            sa.Column("locked_until", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True)
        )


def downgrade() -> None:
    with op.batch_alter_table("staff_user", schema=None) as batch_op:
        batch_op.drop_column("locked_until")
        batch_op.drop_column("failed_code_count")
        batch_op.drop_column("failed_login_count")

    with op.batch_alter_table("auth_session", schema=None) as batch_op:
        batch_op.drop_column("step_up_spent_at")
        batch_op.drop_column("step_up_method")

    with op.batch_alter_table("account", schema=None) as batch_op:
        batch_op.drop_column("totp_pending_at")
        batch_op.drop_column("totp_pending_encrypted")
        batch_op.drop_column("failed_code_count")
