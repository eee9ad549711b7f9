"""Emergency assistance: the number to call at once, and a request the insurer's assistance
provider handles (plumber, locksmith, glazier, emergency rehousing, guarding), limited to what the
contract's assistance guarantee covers on that day (its ceiling, and its nights of hotel).

The provider is an interface, like the SMS gateway: an insurer plugs its own in with
``configure_provider`` (from a module listed in ESPACE_PLUGINS); the built-in test provider accepts,
schedules and completes requests. Holder functions check ownership in the query."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Protocol

from sqlmodel import Session, select

from espace.claims.models import AssistanceRequest, Claim
from espace.contracts import coverage
from espace.contracts.models import Contract, GuaranteeCategory
from espace.core import formatting as fmt
from espace.core.formatting import PARIS
from espace.core.insurer import insurer
from espace.core.models import utcnow

SITUATIONS = {
    "water_leak": "Fuite d'eau",
    "break_in": "Cambriolage, effraction",
    "fire": "Incendie",
    "uninhabitable": "Logement inhabitable",
}
SERVICES = {
    "plumber": "Plombier",
    "locksmith": "Serrurier",
    "glazier": "Vitrier",
    "rehousing": "Relogement d'urgence (hôtel)",
    "guarding": "Gardiennage du logement",
}
# The emergency a claim's peril suggests, when the request is made from its tracker.
SITUATION_FOR_PERIL = {"water_damage": "water_leak", "theft": "break_in", "fire": "fire"}
# What each situation may call for.
SERVICES_FOR = {
    "water_leak": ("plumber", "rehousing"),
    "break_in": ("locksmith", "glazier", "guarding"),
    "fire": ("rehousing", "guarding", "glazier"),
    "uninhabitable": ("rehousing", "guarding"),
}
# What the provider charges the insurer (to check the guarantee's ceiling).
COST_CENTS = {
    "plumber": 35_000,
    "locksmith": 30_000,
    "glazier": 40_000,
    "guarding": 45_000,
    "rehousing": 12_000,  # a night
}
STATUS_LABELS = {
    "requested": "Demande envoyée",
    "accepted": "Acceptée par l'assisteur",
    "scheduled": "Intervention programmée",
    "completed": "Intervention terminée",
    "refused": "Refusée",
}


class AssistanceError(ValueError):
    def __init__(self, message: str, field: str = "form") -> None:
        super().__init__(message)
        self.field = field


@dataclass(frozen=True)
class ProviderRequest:
    reference: int  # our request id
    service: str
    nights: int
    postal_code: str
    city: str


@dataclass(frozen=True)
class ProviderAnswer:
    accepted: bool
    reference: str = ""
    scheduled_at: datetime | None = None
    message: str = ""


class AssistanceProvider(Protocol):
    name: str

    def submit(self, request: ProviderRequest, *, now: datetime) -> ProviderAnswer: ...


class TestAssistanceProvider:
    """Built in: accepts every request and schedules it (tradesmen within two hours, rehousing the
    same evening); ``complete`` marks it done."""

    name = "Assistance test"

    def submit(self, request: ProviderRequest, *, now: datetime) -> ProviderAnswer:
        if request.service == "rehousing":
            evening = now.astimezone(PARIS).replace(hour=19, minute=0, second=0, microsecond=0)
            when = evening if evening > now else now + timedelta(hours=1)
        else:
            when = now + timedelta(hours=2)
        return ProviderAnswer(True, f"AST-{request.reference:06d}", when)


_provider: AssistanceProvider = TestAssistanceProvider()


def configure_provider(provider: AssistanceProvider) -> None:
    """Plug in the insurer's assistance provider (from a module listed in ESPACE_PLUGINS)."""
    global _provider
    _provider = provider


def provider() -> AssistanceProvider:
    return _provider


def _nights_allowed(ceiling_text: str) -> int | None:
    found = re.search(r"(\d+)\s*nuits?", ceiling_text or "")
    return int(found.group(1)) if found else None


@dataclass(frozen=True)
class Allowance:
    covered: bool
    guarantee: str
    ceiling_cents: int | None
    nights: int | None
    text: str


def allowance(*, session: Session, contract: Contract, on: date) -> Allowance:
    """What the contract's assistance guarantee covers on ``on``."""
    cover = coverage.cover_on(session=session, contract=contract, on=on)
    line = cover.line_for(GuaranteeCategory.ASSISTANCE) if cover else None
    if line is None:
        return Allowance(False, "", None, None, "Votre contrat ne comprend pas l'assistance.")
    nights = _nights_allowed(line.ceiling)
    return Allowance(
        True,
        line.name,
        line.ceiling_cents,
        nights,
        f"{line.name} : {line.ceiling}"
        + (f", dans la limite de {fmt.money(line.ceiling_cents)}" if line.ceiling_cents else ""),
    )


def request_assistance(
    *,
    session: Session,
    holder_id: int,
    contract_id: int | None,
    situation: str,
    service: str,
    nights: int = 0,
    claim_id: int | None = None,
    now: datetime | None = None,
) -> AssistanceRequest:
    """Send a request to the provider if the contract's assistance covers it; AssistanceError with a
    clear French message otherwise (beyond the nights or the ceiling of the guarantee)."""
    now = now or utcnow()
    contract = (
        session.exec(
            select(Contract).where(Contract.id == contract_id, Contract.holder_id == holder_id)
        ).first()
        if contract_id
        else None
    )
    if contract is None:
        raise AssistanceError("Choisissez le contrat du logement concerné.", "contract")
    if situation not in SITUATIONS:
        raise AssistanceError("Choisissez ce qui se passe.", "situation")
    if service not in SERVICES_FOR[situation]:
        raise AssistanceError("Choisissez l'aide dont vous avez besoin.", "service")
    if claim_id is not None:
        claim_contract = session.exec(
            select(Claim.contract_id).where(Claim.id == claim_id, Claim.holder_id == holder_id)
        ).first()
        if claim_contract is None:
            raise AssistanceError("Ce sinistre est introuvable.", "form")
        if claim_contract != contract.id:
            raise AssistanceError(
                "Ce sinistre concerne un autre contrat : choisissez le logement du sinistre.",
                "contract",
            )
    found = allowance(session=session, contract=contract, on=now.astimezone(PARIS).date())
    if not found.covered:
        raise AssistanceError(
            f"{found.text} Appelez tout de même le {insurer().assistance_phone} : nous vous "
            "orientons."
        )
    if service == "rehousing":
        if not 1 <= nights <= 60:
            raise AssistanceError("Indiquez le nombre de nuits (1 au moins).", "nights")
        if found.nights is not None and nights > found.nights:
            raise AssistanceError(
                f"Votre garantie assistance prend en charge {found.nights} nuits d'hôtel au plus "
                f"({found.text}). Demandez {found.nights} nuits ou moins ; au-delà, appelez le "
                f"{insurer().assistance_phone}.",
                "nights",
            )
    else:
        nights = 0
    cost = COST_CENTS[service] * (nights or 1)
    if found.ceiling_cents is not None and cost > found.ceiling_cents:
        raise AssistanceError(
            f"Cette intervention ({fmt.money(cost)}) dépasse le plafond de votre garantie "
            f"assistance ({fmt.money(found.ceiling_cents)}).",
            "service",
        )
    request = AssistanceRequest(
        holder_id=holder_id,
        contract_id=contract.id,
        claim_id=claim_id,
        situation=situation,
        service=service,
        nights=nights,
        created_at=now,
        updated_at=now,
    )
    session.add(request)
    session.flush()
    from espace.contracts.models import InsuredProperty

    home = session.get(InsuredProperty, contract.property_id)
    answer = provider().submit(
        ProviderRequest(
            request.id,
            service,
            nights,
            home.postal_code if home else "",
            home.city if home else "",
        ),
        now=now,
    )
    request.provider = provider().name
    if answer.accepted:
        request.provider_reference = answer.reference[:40]
        request.scheduled_at = answer.scheduled_at
        request.status = "scheduled" if answer.scheduled_at else "accepted"
    else:
        request.status = "refused"
    session.add(request)
    session.flush()
    return request


def complete(*, session: Session, request_id: int, now: datetime | None = None) -> None:
    """The provider reports the intervention done (the test provider, or an insurer's callback)."""
    request = session.get(AssistanceRequest, request_id)
    if request is not None and request.status in ("accepted", "scheduled"):
        request.status, request.completed_at = "completed", now or utcnow()
        request.updated_at = request.completed_at
        session.add(request)
        session.flush()


@dataclass(frozen=True)
class RequestView:
    what: str
    status: str
    detail: str
    stage: str = ""  # the raw status, for styling and tests


def _detail(r: AssistanceRequest) -> str:
    """What the holder needs to know at each status: when and by whom, or what to do."""
    reference = f" (réf. {r.provider_reference})" if r.provider_reference else ""
    by = f" · {r.provider}" if r.provider else ""
    if r.status == "scheduled" and r.scheduled_at:
        return f"Prévu le {fmt.datetime_fr(r.scheduled_at)}{by}{reference}"
    if r.status == "completed" and r.completed_at:
        return f"Terminée le {fmt.datetime_fr(r.completed_at)}{by}{reference}"
    if r.status == "refused":
        phone = insurer().assistance_phone
        return f"L'assisteur n'a pas pu la prendre en charge : appelez le {phone}."
    if r.status == "accepted":
        return f"L'assisteur vous rappelle pour fixer l'heure{by}{reference}"
    return f"Envoyée le {fmt.datetime_fr(r.created_at)}"


def _views(rows) -> list[RequestView]:
    return [
        RequestView(
            what=f"{SERVICES[r.service]} · {SITUATIONS[r.situation]}"
            + (f" · {r.nights} nuit{'s' if r.nights > 1 else ''}" if r.nights else ""),
            status=STATUS_LABELS.get(r.status, r.status),
            detail=_detail(r),
            stage=r.status,
        )
        for r in rows
    ]


def holder_requests(*, session: Session, holder_id: int) -> list[RequestView]:
    rows = session.exec(
        select(AssistanceRequest)
        .where(AssistanceRequest.holder_id == holder_id)
        .order_by(AssistanceRequest.created_at.desc(), AssistanceRequest.id.desc())
    ).all()
    return _views(rows)


def claim_requests(*, session: Session, holder_id: int, claim_id: int) -> list[RequestView]:
    """The requests made for one of the holder's claims, newest first (its tracker shows them)."""
    rows = session.exec(
        select(AssistanceRequest)
        .where(AssistanceRequest.claim_id == claim_id, AssistanceRequest.holder_id == holder_id)
        .order_by(AssistanceRequest.created_at.desc(), AssistanceRequest.id.desc())
    ).all()
    return _views(rows)


@dataclass(frozen=True)
class ClaimContext:
    claim_id: int
    number: str
    contract_id: int
    situation: str  # suggested by the peril ("" when none fits)


def claim_context(*, session: Session, holder_id: int, number: str) -> ClaimContext | None:
    """One of the holder's sent claims, by number, for a request made from its tracker (None for
    another holder's or an unknown number)."""
    claim = session.exec(
        select(Claim).where(
            Claim.number == (number or "").strip().upper()[:20], Claim.holder_id == holder_id
        )
    ).first()
    if claim is None or claim.number is None:
        return None
    return ClaimContext(
        claim.id, claim.number, claim.contract_id, SITUATION_FOR_PERIL.get(claim.peril, "")
    )


def contract_choices(*, session: Session, holder_id: int) -> list[tuple[int, str]]:
    rows = session.exec(
        select(Contract).where(Contract.holder_id == holder_id).order_by(Contract.number)
    ).all()
    return [(c.id, f"Contrat {c.number}") for c in rows]
