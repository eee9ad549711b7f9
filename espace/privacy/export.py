"""GDPR export (access and portability): everything we hold about a holder, selected through
ownership, as JSON and CSV files in a ZIP with a README, without credentials, secrets or storage
keys; the trace of staff reads included.
"""

from __future__ import annotations

import csv
import io
import json
import zipfile
from datetime import date, datetime
from typing import Any

from sqlmodel import Session, SQLModel, select

from espace.billing.bank_accounts import masked
from espace.billing.models import BankAccount, CardPayment, Payment, PremiumRefund, SepaMandate
from espace.claims.models import Claim, ClaimEvent, ClaimFile, ClaimItem, ClaimMessage
from espace.contracts.models import (
    Attestation,
    Contract,
    ContractOption,
    ContractTerms,
    Endorsement,
    InsuredProperty,
    Simulation,
)
from espace.core.csv_cells import safe_cell, safe_row
from espace.core.models import utcnow
from espace.documents.models import Document
from espace.identity import staff_reads
from espace.identity.models import Account, KnownDevice, LoginEvent, Policyholder, ProfileChange
from espace.notifications.models import Notification, NotificationSettings
from espace.privacy.models import REQUEST_DEADLINE, Consent, PrivacyRequest
from espace.support.models import ArticleFeedback, SupportAttachment, SupportMessage, SupportThread
from espace.webhooks.events import emit

# ---------------------------------------------------------------------------------------------
# Export (access and portability)
# ---------------------------------------------------------------------------------------------

# Never exported, whatever the table: credentials, secrets and internal storage keys.
_NEVER = {
    "password_hash",
    "totp_secret_encrypted",
    "totp_pending_encrypted",
    "totp_last_step",
    "token_hash",
    "handoff_hash",
    "code_hash",
    "iban_encrypted",
    "iban_fingerprint",
    "device_hash",
    "storage_key",
    "thumbnail_key",
    "text_content",
}
_ACCOUNT_FIELDS = ("id", "email", "created_at", "activated_at", "last_login_at")


def _ids(session: Session, column, *where) -> list[int]:
    return list(session.exec(select(column).where(*where)).all())


def _tables(session: Session, holder_id: int) -> list[tuple[str, list[SQLModel]]]:
    """Every table holding this holder's rows, selected through ownership."""
    contracts = _ids(session, Contract.id, Contract.holder_id == holder_id)
    claims = _ids(session, Claim.id, Claim.holder_id == holder_id)
    accounts = _ids(session, Account.id, Account.holder_id == holder_id)
    threads = _ids(session, SupportThread.id, SupportThread.holder_id == holder_id)

    def by_holder(model) -> list:
        return list(
            session.exec(select(model).where(model.holder_id == holder_id).order_by(model.id)).all()
        )

    def by(model, column, ids: list[int]) -> list:
        return (
            list(session.exec(select(model).where(column.in_(ids)).order_by(model.id)).all())
            if ids
            else []
        )

    return [
        ("policyholder", by(Policyholder, Policyholder.id, [holder_id])),
        ("account", by_holder(Account)),
        ("contract", by_holder(Contract)),
        ("insured_property", by_holder(InsuredProperty)),
        ("contract_option", by(ContractOption, ContractOption.contract_id, contracts)),
        ("contract_terms", by(ContractTerms, ContractTerms.contract_id, contracts)),
        ("payment", by_holder(Payment)),
        ("document", by_holder(Document)),
        ("attestation", by(Attestation, Attestation.contract_id, contracts)),
        ("endorsement", by(Endorsement, Endorsement.contract_id, contracts)),
        ("simulation", by_holder(Simulation)),
        ("claim", by_holder(Claim)),
        ("claim_item", by(ClaimItem, ClaimItem.claim_id, claims)),
        ("claim_file", by(ClaimFile, ClaimFile.claim_id, claims)),
        ("claim_event", by(ClaimEvent, ClaimEvent.claim_id, claims)),
        ("claim_message", by(ClaimMessage, ClaimMessage.claim_id, claims)),
        ("notification", by_holder(Notification)),
        ("notification_settings", by_holder(NotificationSettings)),
        ("bank_account", by_holder(BankAccount)),
        ("sepa_mandate", by_holder(SepaMandate)),
        ("card_payment", by_holder(CardPayment)),
        ("premium_refund", by_holder(PremiumRefund)),
        ("login_event", by(LoginEvent, LoginEvent.account_id, accounts)),
        ("known_device", by(KnownDevice, KnownDevice.account_id, accounts)),
        ("consent", by_holder(Consent)),
        ("privacy_request", by_holder(PrivacyRequest)),
        ("support_thread", by_holder(SupportThread)),
        ("support_message", by(SupportMessage, SupportMessage.thread_id, threads)),
        ("support_attachment", by(SupportAttachment, SupportAttachment.thread_id, threads)),
        ("profile_change", by_holder(ProfileChange)),
        ("article_feedback", by_holder(ArticleFeedback)),
    ]


def _plain(value: Any) -> Any:
    if isinstance(value, datetime | date):
        return value.isoformat()
    return value


def _row(table: str, row: SQLModel) -> dict[str, Any]:
    data = row.model_dump()
    if table == "account":
        data = {key: data[key] for key in _ACCOUNT_FIELDS}
    elif table == "bank_account" and isinstance(row, BankAccount):
        data["iban_masked"] = masked(row)
    elif table == "known_device":
        data = {
            key: data[key]
            for key in ("id", "label", "first_seen_at", "last_seen_at", "trusted_until")
        }
    return {key: _plain(value) for key, value in data.items() if key not in _NEVER}


def _csv(rows: list[dict[str, Any]]) -> bytes:
    columns = list(dict.fromkeys(key for row in rows for key in row))
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";", lineterminator="\r\n")
    writer.writerow(safe_row(columns))
    for row in rows:
        cells = [row.get(column) for column in columns]
        writer.writerow(
            [
                ""
                if cell is None
                else json.dumps(cell, ensure_ascii=False)
                if isinstance(cell, dict | list)
                else safe_cell(cell)
                for cell in cells
            ]
        )
    return ("\ufeff" + out.getvalue()).encode("utf-8")


_FILE_DESCRIPTIONS: dict[str, str] = {
    "policyholder": "votre identité et vos coordonnées",
    "account": (
        "votre compte Espace (e-mail de connexion, dates de création, d'activation et de dernière "
        "connexion)"
    ),
    "contract": "vos contrats d'assurance habitation",
    "insured_property": "les logements assurés",
    "contract_option": "les options souscrites",
    "contract_terms": (
        "les versions successives des conditions de vos contrats, avec leur date d'effet"
    ),
    "payment": "vos échéances et paiements",
    "document": "la liste de vos documents (les PDF restent téléchargeables depuis l'Espace)",
    "attestation": "les attestations d'assurance délivrées",
    "endorsement": "les avenants (modifications de contrat) acceptés",
    "simulation": "vos simulations de changement de garanties",
    "claim": "vos déclarations de sinistre",
    "claim_item": "les biens endommagés déclarés",
    "claim_file": "la liste des photos et justificatifs envoyés",
    "claim_event": "les étapes de traitement de vos sinistres",
    "claim_message": "les messages échangés au sujet de vos sinistres",
    "notification": "les notifications de l'Espace",
    "notification_settings": "vos préférences de notification",
    "bank_account": "vos comptes bancaires (IBAN masqué)",
    "sepa_mandate": "vos mandats de prélèvement SEPA",
    "card_payment": "vos paiements par carte (marque et 4 derniers chiffres seulement)",
    "login_event": "l'historique de vos connexions (13 mois au plus)",
    "known_device": "les appareils reconnus",
    "consent": "l'historique de vos consentements",
    "privacy_request": "vos demandes relatives à vos données",
    "support_thread": (
        "vos conversations avec nos conseillers (objet, statut, note de satisfaction)"
    ),
    "support_message": (
        "les messages de ces conversations, y compris vos échanges avec l'assistant transmis à un "
        "conseiller"
    ),
    "support_attachment": "la liste des pièces jointes de vos messages",
    "profile_change": "l'historique des modifications de vos coordonnées",
    "article_feedback": "vos avis sur les articles d'aide",
    "qui_a_consulte_mon_dossier": (
        "qui a consulté mon dossier : chaque ouverture de vos sinistres, conversations, fichiers "
        "ou demandes par nos collaborateurs (date, rôle, ce qui a été consulté ; 13 mois)"
    ),
}
READS_FILE = "qui_a_consulte_mon_dossier"


def _readme(names: list[str], at: datetime) -> str:
    lines = [
        "Vos données personnelles — export de votre Espace",
        f"Généré le {at.strftime('%d/%m/%Y à %H:%M')} (UTC).",
        "",
        "Chaque table est fournie en deux formats :",
        "- .json : lisible par un programme (dates au format ISO 8601, montants en centimes) ;",
        "- .csv : à ouvrir dans un tableur (UTF-8, séparateur point-virgule).",
        "",
        "Fichiers :",
    ]
    lines += [f"- {name}.json / {name}.csv : {_FILE_DESCRIPTIONS[name]}" for name in names]
    lines += [
        "",
        "Pour votre sécurité, ne figurent pas dans cet export : votre mot de passe (conservé "
        "sous forme",
        "d'empreinte), les secrets de double authentification, les codes et liens à usage unique,",
        "l'IBAN complet (remplacé par sa forme masquée) et les fichiers eux-mêmes (photos, PDF),",
        "que vous pouvez télécharger depuis votre Espace.",
        "",
        "Une question ? Écrivez à notre délégué à la protection des données depuis la page « "
        "Mes données ».",
    ]
    return "\r\n".join(lines) + "\r\n"


def export_zip(*, session: Session, holder_id: int) -> bytes:
    """Everything we hold about this holder, as JSON and CSV files in a ZIP (recorded as an export
    request)."""
    now = utcnow()
    session.add(
        PrivacyRequest(
            holder_id=holder_id,
            kind="export",
            status="done",
            created_at=now,
            due_at=now + REQUEST_DEADLINE,
            completed_at=now,
            note="Export généré et téléchargé depuis l'Espace",
        )
    )
    session.flush()
    emit("gdpr.requested", {"holder_id": holder_id, "kind": "export"}, session=session)
    buffer = io.BytesIO()
    names = []
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for table, rows in _tables(session, holder_id):
            if not rows:
                continue
            data = [_row(table, row) for row in rows]
            archive.writestr(f"{table}.json", json.dumps(data, ensure_ascii=False, indent=2))
            archive.writestr(f"{table}.csv", _csv(data))
            names.append(table)
        reads = [
            {
                "at": read.at.isoformat(),
                "staff_role": read.role,
                "what": read.what,
                "detail": read.detail,
            }
            for read in staff_reads.for_holder(session=session, holder_id=holder_id)
        ]
        if reads:
            archive.writestr(f"{READS_FILE}.json", json.dumps(reads, ensure_ascii=False, indent=2))
            archive.writestr(f"{READS_FILE}.csv", _csv(reads))
            names.append(READS_FILE)
        archive.writestr("LISEZ-MOI.txt", ("\ufeff" + _readme(names, now)).encode("utf-8"))
    return buffer.getvalue()
