"""Failed sign-ins are counted in the metrics where they are recorded, successes are not."""

from __future__ import annotations

from espace.core import metrics
from espace.identity import auth, signin_metrics
from tests import factories


def _count(reason: str) -> float:
    value = metrics.REGISTRY.get_sample_value("espace_signin_failures_total", {"reason": reason})
    return value or 0.0


def test_bad_passwords_and_unknown_identifiers_count_as_failures(db):
    signin_metrics.install()
    person = factories.holder(db)
    before = _count("bad_credentials")
    auth.attempt_password(session=db, identifier=person.email, password="wrong", ip="203.0.113.5")
    auth.attempt_password(
        session=db, identifier="nobody@example.com", password="wrong", ip="203.0.113.5"
    )
    db.flush()
    assert _count("bad_credentials") == before + 2


def test_a_successful_password_is_not_a_failure(db):
    signin_metrics.install()
    person = factories.holder(db)
    before = sum(
        sample.value
        for family in metrics.REGISTRY.collect()
        if family.name == "espace_signin_failures"
        for sample in family.samples
        if sample.name.endswith("_total")
    )
    attempt = auth.attempt_password(
        session=db, identifier=person.email, password=factories.PASSWORD, ip="203.0.113.6"
    )
    db.flush()
    assert attempt.outcome in (auth.Outcome.OK, auth.Outcome.SECOND_FACTOR), attempt
    after = sum(
        sample.value
        for family in metrics.REGISTRY.collect()
        if family.name == "espace_signin_failures"
        for sample in family.samples
        if sample.name.endswith("_total")
    )
    assert after == before
