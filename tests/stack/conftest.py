"""The production layout on this machine: PostgreSQL, Redis, an S3 server, two Espace backend
processes (no ``reflex run``) and nginx in front, serving the frontend built once by
``deploy/build_frontend.sh`` with the configuration rendered from
``deploy/nginx/espace.conf.template``. Started once for the module, stopped at the end; skipped
where a server binary is missing (``./test.sh`` installs them)."""

from __future__ import annotations

import pytest

from espace.core.db import make_engine
from espace.testing import CHROMIUM_ARGS, chromium_executable
from espace.testing_servers import Unavailable
from espace.testing_stack import stack
from tests import server_logs
from tests.seeded import seed_at
from tests.server_logs import LogWatch


@pytest.fixture(scope="module")
def production_stack(tmp_path_factory, browser_name):
    """Two backends behind nginx, on PostgreSQL and Redis, started once for the module.

    ``browser_name`` (pytest-playwright's browser parameter) makes every test of the stack a
    ``[chromium]`` test: pytest orders a session's tests by that parameter, so the stack's tests
    without a browser would otherwise run apart from the others, and the stack start twice."""
    from playwright.sync_api import expect

    expect.set_options(timeout=20_000)  # two backends, nginx and the servers share the cores
    try:
        with stack(
            tmp_path_factory.mktemp("stack"),
            backends=2,
            seed=seed_at,
            extra_env={
                # keywords: two processes embedding at start is slow here
                "ESPACE_SEARCH_MODEL": "none",
                "ESPACE_IP_SLOWDOWN_AFTER": "100000",
                "ESPACE_IP_BLOCK_AFTER": "100000",
                "ESPACE_CODE_RESEND_SECONDS": "0",
                "ESPACE_CODES_PER_HOUR": "100000",
            },
        ) as running:
            yield running
    except Unavailable as missing:
        pytest.skip(str(missing))


@pytest.fixture(autouse=True)
def no_server_exception(request):
    """A test fails when a backend logged a traceback while it ran (see tests/server_logs.py)."""
    if "production_stack" not in request.fixturenames:
        yield
        return
    running = request.getfixturevalue("production_stack")
    watch = LogWatch([backend.log for backend in running.backends])
    yield
    server_logs.check(watch)


@pytest.fixture(scope="module")
def stack_engine(production_stack):
    engine = make_engine(production_stack.database_url)
    yield engine
    engine.dispose()


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    args = {**browser_type_launch_args, "args": CHROMIUM_ARGS}
    executable = chromium_executable()
    if executable:
        args["executable_path"] = executable
    return args
