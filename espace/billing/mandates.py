"""SEPA direct-debit mandates (core scheme, recurrent): signature online, PDF, revocation.

Signing and revoking check their own authority (``stepup.require_authority``): the holder's step-up
proof, spent by a signature (a signature is never implied by an earlier check), or the insurer's
record of a mandate signed or revoked outside the portal. The mandate PDF shows the IBAN in full;
the document's searchable text does not."""

from __future__ import annotations

import dataclasses
import secrets
from datetime import datetime

from sqlmodel import Session, select

from espace.billing import bank_accounts
from espace.billing.bank_accounts import BankAccountError
from espace.billing.bank_details import MESSAGES
from espace.billing.models import BankAccount, MandateStatus, SepaMandate
from espace.core import formatting as fmt
from espace.core.insurer import insurer as current_insurer
from espace.core.models import utcnow
from espace.core.settings import get_settings
from espace.documents import library
from espace.documents.addresses import holder_lines
from espace.documents.models import Document, DocumentKind
from espace.documents.pdf.data import MandateData
from espace.documents.pdf.mandate import TITLE, render_mandate
from espace.identity import stepup
from espace.identity.insurer_authority import SOURCES, InsurerRecord
from espace.identity.models import Policyholder
from espace.identity.stepup import StepUpProof
from espace.notifications import messages, notices
from espace.notifications.models import NotificationCategory
from espace.webhooks.events import emit

RUM_ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567"  # base32
RUM_ATTEMPTS = 8
PAYMENTS_LINK = "/paiements"


def new_reference(holder_id: int) -> str:
    """'ESP-00000042-K7Q2M9X4ZD': 23 characters of [A-Z0-9-] (the RUM allows 35)."""
    suffix = "".join(secrets.choice(RUM_ALPHABET) for _ in range(10))
    return f"ESP-{holder_id % 100_000_000:08d}-{suffix}"


def _unique_reference(session: Session, holder_id: int) -> str:
    for _ in range(RUM_ATTEMPTS):
        reference = new_reference(holder_id)
        if (
            session.exec(select(SepaMandate.id).where(SepaMandate.reference == reference)).first()
            is None
        ):
            return reference
    raise RuntimeError("no free mandate reference")  # 32^10 possibilities: never in practice


def method_phrase(method: str) -> str:
    """'code envoyé par e-mail' -> 'après vérification par code envoyé par e-mail'."""
    method = (method or "").strip()
    if not method:
        return "après vérification d'un second facteur"
    if method.startswith("application"):
        method = f"l'{method}"
    return f"après vérification par {method}"


def mandate_text(mandate: SepaMandate, account: BankAccount) -> str:
    """The searchable text of the mandate document: everything but the full IBAN."""
    return "\n".join(
        [
            TITLE,
            f"Référence unique du mandat (RUM) : {mandate.reference}",
            f"Identifiant créancier SEPA (ICS) : {mandate.creditor_identifier}",
            f"Créancier : {mandate.creditor_name}",
            f"Débiteur : {mandate.debtor_name}",
            f"IBAN : {bank_accounts.masked(account)}",
            f"BIC : {account.bic}",
            f"Banque : {account.bank_name}",
            "Type de paiement : récurrent",
            f"Signé électroniquement le {fmt.datetime_fr(mandate.signed_at)}",
        ]
    )


def _mandate_data(session: Session, mandate: SepaMandate, account: BankAccount) -> MandateData:
    holder = session.get(Policyholder, mandate.holder_id)
    _, address = holder_lines(holder)
    # the creditor as named when the mandate was signed, even if the insurer was renamed since
    insurer = dataclasses.replace(current_insurer(), name=mandate.creditor_name)
    signed = (
        mandate.signed_at.astimezone(fmt.PARIS) if mandate.signed_at.tzinfo else mandate.signed_at
    )
    return MandateData(
        reference=mandate.reference,
        creditor_identifier=mandate.creditor_identifier,
        creditor_name=mandate.creditor_name,
        creditor_address=[insurer.address],
        debtor_name=mandate.debtor_name,
        debtor_address=address,
        iban=bank_accounts.grouped(bank_accounts.full_iban(account)),
        bic=account.bic,
        bank_name=account.bank_name,
        signed_on=fmt.date_fr(signed),
        signed_time=signed.strftime("%H:%M"),
        signature_method=method_phrase(mandate.signature_method),
        insurer=insurer,
    )


def _store_document(session: Session, mandate: SepaMandate, account: BankAccount) -> Document:
    document = Document(
        holder_id=mandate.holder_id,
        contract_id=None,
        kind=DocumentKind.MANDATE,
        title=TITLE,
        reference=mandate.reference,
        issued_at=mandate.signed_at,
    )
    library.store_pdf(document, render_mandate(_mandate_data(session, mandate, account)))
    document.text_content = mandate_text(
        mandate, account
    )  # store_pdf extracted the full IBAN: replaced
    session.add(document)
    session.flush()
    return document


def _revoke_active(session: Session, account_id: int, now: datetime) -> None:
    for other in session.exec(
        select(SepaMandate).where(
            SepaMandate.bank_account_id == account_id, SepaMandate.status == MandateStatus.ACTIVE
        )
    ).all():
        other.status, other.revoked_at = MandateStatus.REVOKED, now
        session.add(other)


def _notify(session: Session, mandate: SepaMandate, account: BankAccount) -> None:
    iban = bank_accounts.masked(account)
    email = messages.email(
        "mandate_signed",
        reference=mandate.reference,
        iban=iban,
        creditor_name=mandate.creditor_name,
        creditor_identifier=mandate.creditor_identifier,
    )
    notices.notify(
        session=session,
        holder_id=mandate.holder_id,
        category=NotificationCategory.PAYMENTS,
        title="Mandat de prélèvement signé",
        body=(
            f"Votre mandat {mandate.reference} pour le compte {iban} est actif. Il est disponible "
            "dans vos documents."
        ),
        link=PAYMENTS_LINK,
        email_subject=email.subject,
        email_body=email.body,
    )


SIGNATURE_METHODS = {
    "email": "code envoyé par e-mail",
    "sms": "code envoyé par SMS",
    "totp": "application d'authentification",
    "recovery": "code de secours",
}


def sign_mandate(
    *,
    session: Session,
    holder_id: int,
    account_id: int,
    signed_ip: str,
    authority: StepUpProof | InsurerRecord,
    signature_method: str = "",
    now: datetime | None = None,
) -> SepaMandate:
    """Sign a mandate for an owned account.

    ``authority``: the holder's step-up proof, spent by the signature, or the insurer's record of a
    paper mandate. ``signature_method`` (what the PDF says) defaults to how the proof was
    obtained."""
    now = now or utcnow()
    how = stepup.require_authority(
        session=session, authority=authority, holder_id=holder_id, now=now, single_use=True
    )
    account = bank_accounts.owned_account(
        session=session, holder_id=holder_id, account_id=account_id
    )
    if account is None:
        raise BankAccountError({"account": MESSAGES["not_found"]})
    signature_method = signature_method or SIGNATURE_METHODS.get(how) or SOURCES.get(how, "")
    settings = get_settings()
    _revoke_active(session, account.id, now)
    mandate = SepaMandate(
        reference=_unique_reference(session, holder_id),
        holder_id=holder_id,
        bank_account_id=account.id,
        creditor_identifier=settings.sepa_creditor_id,
        creditor_name=settings.insurer_name[:140],
        debtor_name=account.account_holder,
        signed_at=now,
        signed_ip=(signed_ip or "")[:45],
        signature_method=(signature_method or "")[:40],
        status=MandateStatus.ACTIVE,
    )
    session.add(mandate)
    session.flush()
    mandate.document_id = _store_document(session, mandate, account).id
    session.add(mandate)
    if bank_accounts.default_account(session=session, holder_id=holder_id) is None:
        bank_accounts.make_default(session=session, holder_id=holder_id, account=account)
    _notify(session, mandate, account)
    session.flush()
    emit(
        "mandate.signed",
        {"holder_id": holder_id, "mandate_id": mandate.id, "reference": mandate.reference},
        session=session,
    )
    return mandate


def active_mandate_for(*, session: Session, account_id: int) -> SepaMandate | None:
    return session.exec(
        select(SepaMandate)
        .where(
            SepaMandate.bank_account_id == account_id, SepaMandate.status == MandateStatus.ACTIVE
        )
        .order_by(SepaMandate.signed_at.desc(), SepaMandate.id.desc())
    ).first()


def active_mandates_for(*, session: Session, account_ids: list[int]) -> dict[int, SepaMandate]:
    """The active mandate of each bank account (by account id), the latest signed: one query."""
    found: dict[int, SepaMandate] = {}
    if not account_ids:
        return found
    for mandate in session.exec(
        select(SepaMandate)
        .where(
            SepaMandate.bank_account_id.in_(account_ids),
            SepaMandate.status == MandateStatus.ACTIVE,
        )
        .order_by(SepaMandate.signed_at, SepaMandate.id)
    ).all():
        found[mandate.bank_account_id] = mandate  # the latest one wins
    return found


def list_mandates(*, session: Session, holder_id: int) -> list[SepaMandate]:
    """All the holder's mandates, active and revoked, the most recent first."""
    return list(
        session.exec(
            select(SepaMandate)
            .where(SepaMandate.holder_id == holder_id)
            .order_by(SepaMandate.signed_at.desc(), SepaMandate.id.desc())
        ).all()
    )


def owned_mandate(*, session: Session, holder_id: int, mandate_id: int) -> SepaMandate | None:
    return session.exec(
        select(SepaMandate).where(SepaMandate.id == mandate_id, SepaMandate.holder_id == holder_id)
    ).first()


def revoke(
    *,
    session: Session,
    holder_id: int,
    mandate_id: int,
    authority: StepUpProof | InsurerRecord,
    now: datetime | None = None,
) -> SepaMandate | None:
    """Revoke an owned mandate; None when it is not the holder's. Needs the holder's step-up proof
    (or the insurer's record of a revocation notified by the bank).

    The mandate of the account used for direct debits is refused like removing that account (another
    account or active contracts rely on it); otherwise that account stops being the default."""
    stepup.require_authority(session=session, authority=authority, holder_id=holder_id, now=now)
    mandate = owned_mandate(session=session, holder_id=holder_id, mandate_id=mandate_id)
    if mandate is None or mandate.status != MandateStatus.ACTIVE:
        return mandate
    account = session.get(BankAccount, mandate.bank_account_id)
    if account is not None and account.holder_id == holder_id and account.is_default:
        bank_accounts.check_can_drop_default(
            session=session, holder_id=holder_id, account=account, revoking=True
        )
        account.is_default = False
        session.add(account)
    mandate.status, mandate.revoked_at = MandateStatus.REVOKED, now or utcnow()
    session.add(mandate)
    session.flush()
    emit(
        "mandate.revoked",
        {"holder_id": mandate.holder_id, "mandate_id": mandate.id, "reference": mandate.reference},
        session=session,
    )
    return mandate
