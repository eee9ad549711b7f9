"""Which Chromium the browser tests and the benches drive (espace.testing.chromium_executable)."""

from __future__ import annotations

from pathlib import Path

import pytest

from espace import testing
from espace.core.settings import PROJECT_ROOT

SHELL = "/usr/bin/chromium-headless-shell"
WHOLE = "/usr/bin/chromium"


@pytest.fixture
def installed(monkeypatch):
    present: set[str] = set()
    monkeypatch.delenv("ESPACE_CHROMIUM", raising=False)
    monkeypatch.setattr(Path, "exists", lambda self: str(self) in present)
    return present


def test_the_tests_drive_the_headless_shell_the_benches_the_whole_browser(installed) -> None:
    installed.update({SHELL, WHOLE})
    assert testing.chromium_executable() == SHELL
    assert testing.chromium_executable(whole=True) == WHOLE


def test_each_falls_back_on_what_is_installed(installed) -> None:
    installed.add(WHOLE)
    assert testing.chromium_executable() == WHOLE
    installed.clear()
    installed.add(SHELL)
    assert testing.chromium_executable(whole=True) == SHELL
    installed.clear()
    assert testing.chromium_executable() is None  # Playwright's own


def test_espace_chromium_wins(installed, monkeypatch) -> None:
    installed.update({SHELL, WHOLE})
    monkeypatch.setenv("ESPACE_CHROMIUM", "/opt/chrome")
    assert testing.chromium_executable() == "/opt/chrome"


def test_pytest_playwright_empties_a_folder_of_its_own(pytestconfig) -> None:
    """pytest-playwright deletes its --output folder when a run starts: were it test-results/, a
    unit test run while the browser tests run would delete their app log (test_payments read it)."""
    output = Path(pytestconfig.getoption("--output")).resolve()
    results = PROJECT_ROOT / "test-results"
    assert output != results and results in output.parents
