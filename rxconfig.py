"""Reflex configuration: everything comes from Espace settings (environment, prefix ESPACE_)."""

import reflex as rx

from espace.core.fake_clock import install_from_env
from espace.core.settings import get_settings
from espace.core.state_sweeper import STATE_TTL_SECONDS

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
    # How long a tab's state outlives its last event. Redis: an hour as a safety net, while
    # espace/core/state_sweeper.py (a periodic job) frees closed tabs' state within minutes and
    # keeps open tabs' keys alive. In memory (one process): the session's idle timeout, after which
    # the state is worthless (the page reloads its data from on_load if the tab comes back).
    redis_token_expiration=STATE_TTL_SECONDS
    if _settings.redis_url
    else 60 * _settings.session_idle_minutes,
    # Reflex's hop count would replace the socket's peer address by an X-Forwarded-For entry without
    # checking that the peer is a proxy; Espace resolves the client address itself from the peer and
    # the header, trusting only ESPACE_TRUSTED_PROXIES (espace/core/client_address.py), so the
    # peer must reach it unchanged.
    trusted_proxy_hops=0,
    disable_plugins=[rx.plugins.SitemapPlugin],
)
