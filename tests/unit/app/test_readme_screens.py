"""The README shows the product before anyone installs it: every screenshot it references exists
under docs/screens/ (tests/e2e/test_screens.py writes them with ESPACE_SCREENSHOTS=docs)."""

from __future__ import annotations

import re

from espace.core.settings import PROJECT_ROOT


def test_every_screenshot_the_readme_shows_exists():
    readme = (PROJECT_ROOT / "README.md").read_text()
    shown = re.findall(r"\]\((docs/screens/[^)\s]+\.png)\)", readme)
    assert len(shown) >= 10
    missing = [path for path in shown if not (PROJECT_ROOT / path).is_file()]
    assert not missing, missing
