"""The Reflex app: head components, API routes, metrics; its pages are added by `app_pages.py`."""

import reflex as rx

from espace.api import observability
from espace.api.headers import security_headers
from espace.api.routes import build_api
from espace.app_pages import add_pages
from espace.components.search_box import SHORTCUT_SCRIPT
from espace.core import health, metrics
from espace.identity import signin_metrics

# A page restored from the back/forward cache must be rebuilt from the server (which checks
# the session) rather than shown as it was before logout.
_BFCACHE_GUARD = (
    "window.addEventListener('pageshow',function(e){if(e.persisted){location.reload();}});"
)

app = rx.App(
    html_lang="fr",
    stylesheets=["/espace.css"],
    theme=None,
    toaster=None,
    head_components=[
        rx.el.meta(name="color-scheme", content="light dark"),  # dark theme: assets/espace.css
        rx.el.meta(name="theme-color", content="#0b4f6c", media="(prefers-color-scheme: light)"),
        rx.el.meta(name="theme-color", content="#0f1419", media="(prefers-color-scheme: dark)"),
        rx.el.meta(name="description", content="Espace client assurance habitation"),
        rx.el.link(rel="icon", href="/favicon.svg", type="image/svg+xml"),
        rx.el.link(rel="manifest", href="/manifest.webmanifest"),
        rx.el.link(rel="apple-touch-icon", href="/icons/apple-touch-icon.png"),
        rx.el.script(src="/pwa.js", async_=True),
        rx.el.script(src="/dashboard.js", async_=True),  # drag and drop of the dashboard's widgets
        rx.el.script(src="/skip-link.js", async_=True),  # the skip link moves the focus too
        rx.el.script(_BFCACHE_GUARD),
        rx.el.script(SHORTCUT_SCRIPT),
    ],
    api_transformer=[build_api(), security_headers, observability.observe_requests],
)
observability.install()  # JSON logs with request ids, event timing
signin_metrics.install()  # failed sign-ins counted where they are recorded


def _queue_ready() -> None:
    from espace.core import jobs

    if not jobs.ping():
        raise RuntimeError("job queue unreachable")


def _failed_deliveries() -> dict[str, int]:
    from espace.core.db import session_scope
    from espace.notifications import deliveries

    with session_scope() as db:
        return deliveries.failed_count(session=db)


def _queue_depth() -> dict[str, int]:
    from espace.core import jobs

    return {"pending": jobs.queue_depth(), "scheduled": jobs.scheduled_count()}


health.register_readiness_check("queue", _queue_ready)
metrics.register_queue_depth(_queue_depth)
metrics.register_failed_deliveries(_failed_deliveries)


def _start_search() -> None:
    """Keep the search index in step with every commit. An index not built yet (run.sh builds it
    before serving) is built by `espace reindex --if-needed` in a separate, low-priority process."""
    from espace.search import indexer

    indexer.install()
    indexer.build_in_separate_process()
    indexer.warm_in_background()


app.register_lifespan_task(_start_search)
add_pages(app)
