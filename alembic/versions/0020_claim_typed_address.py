"""claim location: a typed address when the loss happened elsewhere than the insured home

Revision ID: 0020
Revises: 0018
Create Date: 2026-12-06

``claim.location_kind`` gains the value ``address``; ``location_street``, ``location_postal_code``
and ``location_town`` hold the address the holder typed (the postal code and town checked against
the French postal codes shipped with the app, ``espace/core/postal_codes.py``).
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel

from alembic import op

revision: str = "0020"
down_revision: str | None = "0018"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

AutoString = sqlmodel.sql.sqltypes.AutoString


def upgrade() -> None:
    with op.batch_alter_table("claim", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("location_street", AutoString(length=120), nullable=False, server_default="")
        )
        batch_op.add_column(
            sa.Column(
                "location_postal_code", AutoString(length=5), nullable=False, server_default=""
            )
        )
        batch_op.add_column(
            sa.Column("location_town", AutoString(length=80), nullable=False, server_default="")
        )


def downgrade() -> None:
    with op.batch_alter_table("claim", schema=None) as batch_op:
        batch_op.drop_column("location_town")
        batch_op.drop_column("location_postal_code")
        batch_op.drop_column("location_street")
