"""Reflex configuration: everything comes from Espace settings (environment, prefix ESPACE_)."""

import reflex as rx

from espace.core.fake_clock import install_from_env
from espace.core.settings import get_settings

# tests only: the e2e suite run at another date (ESPACE_FAKE_NOW, ESPACE_ENV=test)
install_from_env()

_settings = get_settings()

config = rx.Config(
    app_name="espace",
    telemetry_enabled=False,
    show_built_with_reflex=False,
    api_url=_settings.public_base_url,
    deploy_url=_settings.public_base_url,
    cors_allowed_origins=_settings.allowed_origins,
    redis_url=_settings.redis_url or None,
    state_manager_mode="redis" if _settings.redis_url else "memory",
    disable_plugins=[rx.plugins.SitemapPlugin],
)
