"""A bare Reflex app measured next to Espace by bench/bench_load.py (same server, same state
manager)."""

import os

import reflex as rx

config = rx.Config(
    app_name="bare_app",
    telemetry_enabled=False,
    redis_url=os.environ.get("BARE_REDIS_URL") or None,
    state_manager_mode="redis" if os.environ.get("BARE_REDIS_URL") else "memory",
    cors_allowed_origins=[os.environ.get("BARE_ORIGIN", "http://localhost:8000")],
    disable_plugins=[rx.plugins.SitemapPlugin],
)
