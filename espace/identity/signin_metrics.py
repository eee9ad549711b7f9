"""Failed sign-ins and codes counted in the metrics (``espace_signin_failures_total``, kept by
``espace.core.metrics``) where they are recorded: each ``LoginEvent`` inserted with a result other
than a success. Installed by the app (``espace/espace.py``) next to the other metrics."""

from __future__ import annotations

from sqlalchemy import event

from espace.core import metrics
from espace.identity.models import LoginEvent, LoginResult

_NOT_FAILURES = {LoginResult.SUCCESS.value, LoginResult.RESET_REQUESTED.value}
_installed = False


def _after_insert(_mapper, _connection, target) -> None:
    result = str(getattr(target, "result", "") or "")
    if result and result not in _NOT_FAILURES:
        metrics.record_signin_failure(result)


def install() -> None:
    """Count from now on, in this process (once, however many calls)."""
    global _installed
    if _installed:
        return
    event.listen(LoginEvent, "after_insert", _after_insert)
    _installed = True
