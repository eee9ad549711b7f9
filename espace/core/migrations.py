"""Run Alembic migrations from code (CLI, tests, start-up script)."""

from __future__ import annotations

from alembic.config import Config

from alembic import command
from espace.core.settings import PROJECT_ROOT, get_settings


def alembic_config(url: str | None = None) -> Config:
    cfg = Config(str(PROJECT_ROOT / "alembic.ini"))
    cfg.set_main_option("script_location", str(PROJECT_ROOT / "alembic"))
    cfg.attributes["url"] = url or get_settings().database_url
    return cfg


def upgrade_to_head(url: str | None = None) -> None:
    command.upgrade(alembic_config(url), "head")
