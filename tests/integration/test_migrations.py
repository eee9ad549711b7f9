"""The migrations build exactly the schema the models describe."""

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import inspect
from sqlmodel import SQLModel

from espace.db import make_engine
from espace.migrations import upgrade_to_head


def schema_diff(url: str) -> list:
    engine = make_engine(url)
    try:
        with engine.connect() as conn:
            context = MigrationContext.configure(conn, opts={"compare_type": True, "render_as_batch": True})
            return compare_metadata(context, SQLModel.metadata)
    finally:
        engine.dispose()


def test_empty_database_upgrades_to_head_with_no_difference(tmp_path):
    url = f"sqlite:///{tmp_path / 'fresh.db'}"
    upgrade_to_head(url)
    assert schema_diff(url) == []
    engine = make_engine(url)
    tables = set(inspect(engine).get_table_names())
    engine.dispose()
    assert {"policyholder", "account", "auth_session", "contract", "insured_property", "formula",
            "guarantee", "formula_guarantee", "staff_user", "alembic_version"} <= tables


def test_upgrade_is_idempotent(tmp_path):
    url = f"sqlite:///{tmp_path / 'twice.db'}"
    upgrade_to_head(url)
    upgrade_to_head(url)
    assert schema_diff(url) == []


def test_existing_accounts_stay_active_through_the_security_migration(tmp_path):
    from alembic import command
    from sqlalchemy import text

    from espace.migrations import alembic_config

    url = f"sqlite:///{tmp_path / 'upgrade.db'}"
    command.upgrade(alembic_config(url), "0001")
    engine = make_engine(url)
    with engine.begin() as conn:
        conn.execute(text("INSERT INTO policyholder (civility, first_name, last_name, birth_date, email, phone, "
                          "address_line1, address_line2, postal_code, city, country, created_at) VALUES ('M.', 'A', "
                          "'B', '1980-01-01', 'a@b.fr', '', 'x', '', '75001', 'Paris', 'FR', '2025-01-01 00:00:00')"))
        conn.execute(text("INSERT INTO account (holder_id, email, password_hash, is_active, created_at, "
                          "password_changed_at) VALUES (1, 'a@b.fr', 'h', 1, '2025-01-01 00:00:00', '2025-01-01 00:00:00')"))
    upgrade_to_head(url)
    with engine.connect() as conn:
        row = conn.execute(text("SELECT activated_at, failed_login_count, totp_last_step FROM account")).one()
    engine.dispose()
    assert row[0] is not None and row[1] == 0 and row[2] == 0
