"""The back office's one role x status table (claims/workflow.py): the claim page offers exactly
what the services accept."""

from __future__ import annotations

from types import SimpleNamespace

from espace.claims import workflow_permissions
from espace.claims.models import ClaimStatus
from espace.identity.models import StaffRole

S = ClaimStatus


def _claim(status, *, indemnity=None, paid=0, handler_id=None):
    return SimpleNamespace(
        status=status, indemnity_cents=indemnity, paid_cents=paid, handler_id=handler_id
    )


def test_every_button_names_an_action_of_the_table():
    assert set(workflow_permissions.PANEL.values()) <= set(workflow_permissions.STATUSES) & set(
        workflow_permissions.PERMISSIONS
    )


def test_the_page_offers_an_action_only_in_the_statuses_the_service_accepts():
    manager = SimpleNamespace(id=1, role=StaffRole.MANAGER)
    for status in S:
        allowed = workflow_permissions.allowed_actions(manager, _claim(status, indemnity=100_00))
        for button, action in workflow_permissions.PANEL.items():
            if allowed[button] and button != "close":
                assert status in workflow_permissions.STATUSES[action], (button, status)


def test_experts_assess_after_the_visit_and_handlers_take_for_themselves():
    expert = SimpleNamespace(id=2, role=StaffRole.EXPERT)
    assert not workflow_permissions.allowed_actions(expert, _claim(S.RECEIVED))["assess"]
    assert workflow_permissions.allowed_actions(expert, _claim(S.VISIT_PLANNED))["assess"]
    handler = SimpleNamespace(id=3, role=StaffRole.HANDLER)
    offered = workflow_permissions.allowed_actions(handler, _claim(S.RECEIVED))
    assert offered["take"] and not offered["assign"]
    assert not workflow_permissions.allowed_actions(handler, _claim(S.RECEIVED, handler_id=3))[
        "take"
    ]


def test_a_claim_with_nothing_owed_closes_without_a_payment():
    manager = SimpleNamespace(id=1, role=StaffRole.MANAGER)
    nothing = workflow_permissions.allowed_actions(
        manager, _claim(S.INDEMNITY_COMPUTED, indemnity=0)
    )
    assert nothing["close"] and not nothing["payment"]
    owed = workflow_permissions.allowed_actions(
        manager, _claim(S.INDEMNITY_COMPUTED, indemnity=500_00)
    )
    assert owed["payment"] and not owed["close"]
