"""The claims back office: what each staff role may do to a claim, in which of its statuses (the
one role x status table the services and the claim page read), and the checks every action starts
with (an active staff member, the role, a claim the staff member may see; experts: only theirs).
"""

from __future__ import annotations

from sqlmodel import Session, select

from espace.claims import stages
from espace.claims.declaration import ClaimInputError
from espace.claims.models import Claim, ClaimStatus, StaffAuditLog
from espace.identity.models import StaffRole, StaffUser
from espace.identity.staff_access import StaffForbidden

S = ClaimStatus
R = StaffRole

# What each role may do. Experts only ever see the claims they are appointed to.
PERMISSIONS: dict[str, frozenset[str]] = {
    "view_queue": frozenset({R.HANDLER, R.MANAGER, R.EXPERT}),
    "assign_handler": frozenset(
        {R.HANDLER, R.MANAGER}
    ),  # a handler may only take a claim for themself
    "appoint_expert": frozenset({R.HANDLER, R.MANAGER}),
    "plan_visit": frozenset({R.EXPERT, R.HANDLER, R.MANAGER}),
    "attach_report": frozenset({R.EXPERT, R.MANAGER}),
    "assess": frozenset({R.EXPERT, R.HANDLER, R.MANAGER}),
    "record_payment": frozenset({R.HANDLER, R.MANAGER}),
    "request_documents": frozenset({R.HANDLER, R.MANAGER}),
    "refuse": frozenset({R.HANDLER, R.MANAGER}),
    "close": frozenset({R.HANDLER, R.MANAGER}),
    "reopen": frozenset({R.MANAGER}),
    "messages": frozenset({R.HANDLER, R.MANAGER}),
    "upload": frozenset({R.EXPERT, R.HANDLER, R.MANAGER}),
    "audit": frozenset({R.MANAGER}),
}

# ... and in which statuses of the claim. With PERMISSIONS, the one role x status table of the
# back office: the services refuse anything else, and the claim page offers exactly this.
_OPEN = tuple(stages.OPEN_STATUSES)
_SENT = tuple(s for s in S if s != S.DRAFT)
STATUSES: dict[str, tuple[str, ...]] = {
    "assign_handler": _OPEN,
    "appoint_expert": (S.RECEIVED, S.DOCUMENTS_REQUESTED, S.EXPERT_APPOINTED, S.VISIT_PLANNED),
    "plan_visit": (S.EXPERT_APPOINTED, S.VISIT_PLANNED),
    "attach_report": (S.EXPERT_APPOINTED, S.VISIT_PLANNED, S.EXPERT_REPORT),
    "assess": (
        S.RECEIVED,
        S.DOCUMENTS_REQUESTED,
        S.EXPERT_APPOINTED,
        S.VISIT_PLANNED,
        S.EXPERT_REPORT,
        S.INDEMNITY_COMPUTED,
    ),
    "record_payment": (S.INDEMNITY_COMPUTED,),
    "request_documents": _OPEN[:-1],
    "refuse": _OPEN[:-2],
    "close": (S.PAYMENT_SENT,),  # or nothing owed once the indemnity is computed (see close)
    "reopen": (S.CLOSED, S.REFUSED),
    "messages": _SENT,
    "upload": _SENT,
    "audit": _SENT,
}
# An expert chiffre the damage after the visit only.
EXPERT_ASSESS = (S.VISIT_PLANNED, S.EXPERT_REPORT, S.INDEMNITY_COMPUTED)
# The buttons of the claim page and the action each one performs.
PANEL: dict[str, str] = {
    "assign": "assign_handler",
    "appoint": "appoint_expert",
    "visit": "plan_visit",
    "report": "attach_report",
    "assess": "assess",
    "payment": "record_payment",
    "documents": "request_documents",
    "refuse": "refuse",
    "close": "close",
    "reopen": "reopen",
    "messages": "messages",
    "upload": "upload",
    "audit": "audit",
}

ROLE_LABELS = {R.HANDLER: "Gestionnaire sinistres", R.EXPERT: "Expert", R.MANAGER: "Responsable"}


def can(staff: StaffUser, action: str) -> bool:
    return staff.role in PERMISSIONS.get(action, frozenset())


def allowed_actions(staff: StaffUser, claim: Claim) -> dict[str, bool]:
    """Which buttons of the claim page this staff member may use on this claim now, read from the
    table above (the services check the same table when the button is used)."""
    owed = (claim.indemnity_cents or 0) - claim.paid_cents
    allowed = {
        name: can(staff, action) and claim.status in STATUSES[action]
        for name, action in PANEL.items()
    }
    if staff.role == R.EXPERT:
        allowed["assess"] = allowed["assess"] and claim.status in EXPERT_ASSESS
    # A handler takes the claim for themself; a manager picks any handler.
    allowed["take"] = allowed["assign"] and staff.role == R.HANDLER and claim.handler_id != staff.id
    allowed["assign"] = allowed["assign"] and staff.role == R.MANAGER
    allowed["payment"] = allowed["payment"] and owed > 0
    # Nothing owed (damage under the deductible, or already paid): it closes without a transfer.
    allowed["close"] = can(staff, "close") and (
        claim.status in STATUSES["close"] or (claim.status == S.INDEMNITY_COMPUTED and owed <= 0)
    )
    return allowed


def active_staff(session: Session, staff_id: int | None) -> StaffUser:
    staff = session.get(StaffUser, staff_id) if staff_id else None
    if staff is None or not staff.is_active:
        raise StaffForbidden("Votre session de gestion n'est plus valable.")
    return staff


def _require(staff: StaffUser, action: str) -> None:
    if not can(staff, action):
        raise StaffForbidden("Votre rôle ne permet pas cette action.")


def _audit(session: Session, staff: StaffUser, action: str, claim: Claim, detail: str = "") -> None:
    session.add(
        StaffAuditLog(
            staff_id=staff.id,
            action=action,
            object_type="claim",
            object_id=claim.id,
            detail=detail[:1000],
        )
    )
    session.flush()


def _claim_for(
    session: Session, staff_id: int, claim_id: int, action: str
) -> tuple[StaffUser, Claim]:
    staff = active_staff(session, staff_id)
    _require(staff, action)
    query = select(Claim).where(Claim.id == claim_id, Claim.status != S.DRAFT)
    if staff.role == R.EXPERT:
        query = query.where(Claim.expert_id == staff.id)
    claim = session.exec(query).first()
    if claim is None:
        raise StaffForbidden("Ce dossier n'existe pas ou ne vous est pas attribué.")
    return staff, claim


def _require_status(claim: Claim, allowed: tuple[str, ...], message: str) -> None:
    if claim.status not in allowed:
        raise ClaimInputError({"action": message})
