"""The settlement offer: after the assessment, staff make an offer broken down (damage, vétusté,
deductible, ceiling, the amount now and the amount deferred on proof of replacement for new-for-old
cover); the holder accepts it (payment to an account on file, or repair in kind when the guarantee
allows it: the acceptance is a signed, dated PDF in the claim) or disputes it with a reason (a
complaint or a counter-assessment; the complaint is opened by ``support.complaints``).

Holder functions check ownership in the query; staff functions check the role like every claim
action and are audited."""

from __future__ import annotations

import hashlib
from datetime import datetime

from sqlmodel import Session, select

from espace.claims import indemnity as claim_indemnity
from espace.claims import workflow_permissions
from espace.claims.declaration import ClaimInputError
from espace.claims.models import (
    Claim,
    ClaimFile,
    ClaimFileKind,
    ClaimMessage,
    ClaimStatus,
    SettlementOffer,
    SettlementOfferStatus,
)
from espace.core import formatting as fmt
from espace.core.models import utcnow
from espace.notifications import messages, notices
from espace.notifications.models import NotificationCategory

Offer = SettlementOfferStatus
DISPUTE_ACTIONS = {
    "complaint": "Faire une réclamation",
    "counter_assessment": "Demander une contre-expertise",
}
REASON_MIN, REASON_MAX = 10, 1000


def split(
    *,
    damage_cents: int,
    obsolescence_cents: int,
    deductible_cents: int,
    ceiling_cents: int,
    new_for_old: bool,
) -> tuple[int, int]:
    """(amount now, amount deferred). Now: the damage less vétusté, less the deductible, within the
    ceiling. With new-for-old cover the vétusté is paid later, on proof of replacement, still within
    the ceiling."""
    now = claim_indemnity.settle(
        damage_cents=damage_cents - obsolescence_cents,
        ceiling_cents=ceiling_cents,
        deductible_cents=deductible_cents,
    )
    if not new_for_old:
        return now, 0
    total = claim_indemnity.settle(
        damage_cents=damage_cents, ceiling_cents=ceiling_cents, deductible_cents=deductible_cents
    )
    return now, max(0, total - now)


def current_offer(session: Session, claim_id: int) -> SettlementOffer | None:
    return session.exec(
        select(SettlementOffer)
        .where(SettlementOffer.claim_id == claim_id, SettlementOffer.status != Offer.WITHDRAWN)
        .order_by(SettlementOffer.id.desc())
    ).first()


# ----- staff ------------------------------------------------------------------------------------


def make_offer(
    *,
    session: Session,
    staff_id: int,
    claim_id: int,
    obsolescence_text: str = "",
    new_for_old: bool = False,
    repair_in_kind: bool = False,
    now: datetime | None = None,
) -> SettlementOffer:
    """An offer from the assessed damage and the terms of the loss date (ceiling, deductible)."""
    staff, claim = workflow_permissions._claim_for(session, staff_id, claim_id, "assess")
    if claim.status != ClaimStatus.INDEMNITY_COMPUTED or claim.assessed_damage_cents is None:
        raise ClaimInputError({"offer": "Chiffrez d'abord les dommages (indemnité calculée)."})
    try:
        obsolescence = fmt.parse_euros(obsolescence_text) or 0
    except ValueError:
        obsolescence = -1
    if obsolescence < 0 or obsolescence > claim.assessed_damage_cents:
        raise ClaimInputError(
            {"obsolescence": "Vétusté invalide : un montant entre 0 et les dommages retenus."}
        )
    previous = current_offer(session, claim.id)
    if previous is not None and previous.status == Offer.ACCEPTED:
        raise ClaimInputError({"offer": "L'assuré a déjà accepté l'offre."})
    if previous is not None:
        previous.status = Offer.WITHDRAWN
        session.add(previous)
    immediate, deferred = split(
        damage_cents=claim.assessed_damage_cents,
        obsolescence_cents=obsolescence,
        deductible_cents=claim.deductible_cents or 0,
        ceiling_cents=claim.ceiling_cents or 0,
        new_for_old=new_for_old,
    )
    offer = SettlementOffer(
        claim_id=claim.id,
        damage_cents=claim.assessed_damage_cents,
        obsolescence_cents=obsolescence,
        deductible_cents=claim.deductible_cents or 0,
        ceiling_cents=claim.ceiling_cents or 0,
        immediate_cents=immediate,
        deferred_cents=deferred,
        new_for_old=new_for_old,
        repair_in_kind_allowed=repair_in_kind,
        made_at=now or utcnow(),
        made_by_staff_id=staff.id,
    )
    session.add(offer)
    session.flush()
    workflow_permissions._audit(
        session, staff, "settlement_offer", claim, f"{fmt.money(immediate)} + {fmt.money(deferred)}"
    )
    email = messages.email("settlement_offer", number=claim.number)
    notices.notify(
        session=session,
        holder_id=claim.holder_id,
        category=NotificationCategory.CLAIMS,
        title=f"Offre d'indemnisation pour le sinistre {claim.number}",
        body="Consultez le détail de l'offre et acceptez-la ou contestez-la dans votre espace.",
        link=f"/sinistre?n={claim.number}",
        email_subject=email.subject,
        email_body=email.body,
    )
    return offer


# ----- the holder -------------------------------------------------------------------------------


def _owned_claim(session: Session, holder_id: int, number: str) -> Claim | None:
    return session.exec(
        select(Claim).where(
            Claim.holder_id == holder_id,
            Claim.number == (number or "").strip().upper(),
            Claim.status != ClaimStatus.DRAFT,
        )
    ).first()


def breakdown(offer: SettlementOffer) -> list[tuple[str, str]]:
    rows = [
        ("Dommages retenus", fmt.money(offer.damage_cents)),
        ("Vétusté", f"− {fmt.money(offer.obsolescence_cents)}"),
        ("Franchise", f"− {fmt.money(offer.deductible_cents)}"),
        ("Plafond de la garantie", fmt.money(offer.ceiling_cents)),
        ("Versé à l'acceptation", fmt.money(offer.immediate_cents)),
    ]
    if offer.new_for_old:
        rows.append(
            (
                "Versé sur justificatif de remplacement (valeur à neuf)",
                fmt.money(offer.deferred_cents),
            )
        )
    return rows


def _open_offer(session: Session, holder_id: int, number: str) -> tuple[Claim, SettlementOffer]:
    claim = _owned_claim(session, holder_id, number)
    offer = current_offer(session, claim.id) if claim else None
    if offer is None:
        raise ClaimInputError({"offer": "Aucune offre n'attend votre réponse pour ce sinistre."})
    if offer.status != Offer.PROPOSED:
        raise ClaimInputError({"offer": "Vous avez déjà répondu à cette offre."})
    return claim, offer


def accept(
    *,
    session: Session,
    holder_id: int,
    number: str,
    choice: str,
    bank_account_id: int | None = None,
    signer: str = "",
    now: datetime | None = None,
) -> SettlementOffer:
    """Accept the offer: paid to one of the holder's accounts on file (added on the Paiements page,
    with the same checks and step-up as any bank account), or repaired in kind when allowed. The
    acceptance is rendered as a signed, dated PDF and filed in the claim."""
    from espace.billing import bank_accounts

    claim, offer = _open_offer(session, holder_id, number)
    now = now or utcnow()
    if choice == "repair":
        if not offer.repair_in_kind_allowed:
            raise ClaimInputError(
                {"choice": "La réparation en nature n'est pas proposée pour ce sinistre."}
            )
    elif choice == "transfer":
        account = (
            bank_accounts.owned_account(
                session=session, holder_id=holder_id, account_id=bank_account_id
            )
            if bank_account_id
            else None
        )
        if account is None or account.removed_at is not None:
            raise ClaimInputError({"account": "Choisissez le compte qui recevra le virement."})
        offer.bank_account_id, offer.iban_masked = account.id, bank_accounts.masked(account)
    else:
        raise ClaimInputError({"choice": "Choisissez un virement ou la réparation en nature."})
    offer.status, offer.payment_choice, offer.decided_at = Offer.ACCEPTED, choice, now
    session.add(offer)
    session.flush()
    offer.acceptance_file_id = _file_acceptance(session, claim, offer, signer).id
    session.add(
        ClaimMessage(
            claim_id=claim.id,
            body=f"J'accepte l'offre d'indemnisation ({fmt.money(offer.immediate_cents)}).",
            created_at=now,
        )
    )
    session.add(offer)
    session.flush()
    return offer


def _file_acceptance(
    session: Session, claim: Claim, offer: SettlementOffer, signer: str
) -> ClaimFile:
    from espace.contracts.models import Contract
    from espace.documents import private_files
    from espace.documents.addresses import holder_lines
    from espace.documents.pdf.data import OfferAcceptanceData
    from espace.documents.pdf.offer_acceptance import render_offer_acceptance
    from espace.identity.models import Policyholder

    name, address = holder_lines(session.get(Policyholder, claim.holder_id))
    how = (
        "Réparation en nature par un prestataire de l'assureur"
        if offer.payment_choice == "repair"
        else f"Virement sur le compte {offer.iban_masked}"
    )
    statement = (
        f"Je soussigné(e) {name} accepte l'offre d'indemnisation du sinistre {claim.number} "
        f"d'un montant de {fmt.money(offer.immediate_cents)} versé à l'acceptation"
        + (
            f", et de {fmt.money(offer.deferred_cents)} sur justificatif de remplacement"
            if offer.new_for_old
            else ""
        )
        + ", pour solde de ce sinistre."
    )
    digest = hashlib.sha256(
        f"{claim.number}|{offer.id}|{offer.immediate_cents}|{offer.deferred_cents}|"
        f"{offer.payment_choice}|{offer.iban_masked}|{offer.decided_at.isoformat()}".encode()
    ).hexdigest()
    pdf = render_offer_acceptance(
        OfferAcceptanceData(
            reference=claim.number,
            issued_on=fmt.date_fr(offer.decided_at),
            holder_name=name,
            holder_address=address,
            contract_number=session.get(Contract, claim.contract_id).number,
            rows=breakdown(offer),
            payment=how,
            statement=statement,
            signature=(
                f"Signé électroniquement par {signer or name} dans son espace personnel le "
                f"{fmt.datetime_fr(offer.decided_at)} (heure de Paris). Empreinte : {digest}"
            ),
        )
    )
    key, sha = private_files.put(session=session, data=pdf, extension="pdf")
    record = ClaimFile(
        claim_id=claim.id,
        kind=ClaimFileKind.ACCEPTANCE,
        filename=f"acceptation-offre-{claim.number}.pdf",
        mime_type="application/pdf",
        size_bytes=len(pdf),
        sha256=sha,
        storage_key=key,
        uploaded_at=offer.decided_at,
    )
    session.add(record)
    session.flush()
    return record


def dispute(
    *,
    session: Session,
    holder_id: int,
    number: str,
    action: str,
    reason: str,
    now: datetime | None = None,
) -> tuple[Claim, SettlementOffer]:
    """Dispute the offer with a reason: a complaint (opened by the caller, support.complaints) or a
    counter-assessment request (a message to the handler)."""
    claim, offer = _open_offer(session, holder_id, number)
    if action not in DISPUTE_ACTIONS:
        raise ClaimInputError({"action": "Choisissez une suite : réclamation ou contre-expertise."})
    reason = (reason or "").strip()
    if not REASON_MIN <= len(reason) <= REASON_MAX:
        raise ClaimInputError(
            {"reason": f"Expliquez votre désaccord ({REASON_MIN} à {REASON_MAX} caractères)."}
        )
    now = now or utcnow()
    offer.status, offer.decided_at = Offer.DISPUTED, now
    offer.dispute_reason, offer.dispute_action = reason, action
    session.add(offer)
    if action == "counter_assessment":
        session.add(
            ClaimMessage(
                claim_id=claim.id,
                body=f"Je conteste l'offre et demande une contre-expertise : {reason}",
                created_at=now,
            )
        )
    session.flush()
    return claim, offer
