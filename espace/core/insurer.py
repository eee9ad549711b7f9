"""The insurer's identity, in one place: what its documents, e-mails, exports and authenticator
entries say about it. Read from settings (``ESPACE_INSURER_*``, ``ESPACE_SEPA_CREDITOR_ID``), so
another insurer running Espace changes its environment, not the code."""

from __future__ import annotations

from dataclasses import dataclass

from espace.core.settings import Settings, get_settings


@dataclass(frozen=True)
class Insurer:
    name: str  # "Espace Assurances": the company, the SEPA creditor, the authenticator's issuer
    address: str  # head office, one line
    legal: str  # the legal mention printed at the foot of documents
    phone: str  # customer service, as printed
    assistance_phone: str  # emergency assistance, 24 h/24
    dpo_email: str  # the data protection officer
    complaints_email: str  # the complaints department
    creditor_id: str  # SEPA creditor identifier (ICS)
    mediator: str  # the insurance mediator, as quoted in the conditions and complaints answers


def insurer(settings: Settings | None = None) -> Insurer:
    """The insurer of this installation."""
    settings = settings or get_settings()
    return Insurer(
        name=settings.insurer_name,
        address=settings.insurer_address,
        legal=settings.insurer_legal,
        phone=settings.insurer_phone,
        assistance_phone=settings.insurer_assistance_phone,
        dpo_email=settings.insurer_dpo_email,
        complaints_email=settings.insurer_complaints_email,
        creditor_id=settings.sepa_creditor_id,
        mediator=f"{settings.mediator_name}, {settings.mediator_address}, {settings.mediator_url.removeprefix('https://')}",
    )
