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
