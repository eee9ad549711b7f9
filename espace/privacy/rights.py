"""GDPR ("Mes données"): consents, data inventory, export (access and portability), erasure
requests."""

from __future__ import annotations

import csv
import io
import json
import secrets
import zipfile
from datetime import date, datetime
from typing import Any

from sqlmodel import Session, SQLModel, col, select

from espace.billing.bank_accounts import masked
from espace.billing.models import BankAccount, CardPayment, Payment, PremiumRefund, SepaMandate
from espace.claims.models import (
    Claim,
    ClaimEvent,
    ClaimFile,
    ClaimItem,
    ClaimMessage,
    StaffAuditLog,
)
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
from espace.core.models import saved_id, today_paris, utcnow
from espace.dashboard.models import DashboardLayout
from espace.documents.models import Document
from espace.identity import staff_reads, stepup
from espace.identity.models import (
    Account,
    ActionToken,
    AuthSession,
    KnownDevice,
    LoginEvent,
    OneTimeCode,
    PasswordHistory,
    Policyholder,
    ProfileChange,
    RecoveryCode,
)
from espace.identity.passwords import hash_password
from espace.identity.sessions import revoke_all_for_account
from espace.identity.stepup import StepUpProof
from espace.notifications import outbox
from espace.notifications.models import (
    Notification,
    NotificationSettings,
    OutboxMessage,
    PushSubscription,
)
from espace.privacy.models import REQUEST_DEADLINE, Consent, PrivacyRequest
from espace.support.models import ArticleFeedback, SupportAttachment, SupportMessage, SupportThread
from espace.webhooks.events import emit

# ---------------------------------------------------------------------------------------------
# Consents
# ---------------------------------------------------------------------------------------------

PURPOSES: dict[str, str] = {
    "offers_email": "Recevoir nos offres commerciales par e-mail",
    "offers_sms": "Recevoir nos offres commerciales par SMS",
    "partners": "Partager mes coordonnées avec nos partenaires pour leurs offres",
}


def consents(*, session: Session, holder_id: int) -> dict[str, bool]:
    """The current choice per purpose: the latest row, not granted when there is none."""
    current = dict.fromkeys(PURPOSES, False)
    for row in reversed(consent_history(session=session, holder_id=holder_id)):
        if row.purpose in current:
            current[row.purpose] = row.granted
    return current


def consent_history(*, session: Session, holder_id: int) -> list[Consent]:
    """Every change, newest first."""
    query = select(Consent).where(Consent.holder_id == holder_id)
    return list(
        session.exec(query.order_by(col(Consent.changed_at).desc(), col(Consent.id).desc())).all()
    )


def set_consent(
    *, session: Session, holder_id: int, purpose: str, granted: bool, source: str = "espace"
) -> Consent | None:
    """Record a change (nothing when the choice is the same); returns the new row or None."""
    if purpose not in PURPOSES:
        raise ValueError(f"finalité inconnue : {purpose}")
    if consents(session=session, holder_id=holder_id)[purpose] == bool(granted):
        return None
    row = Consent(holder_id=holder_id, purpose=purpose, granted=bool(granted), source=source[:30])
    session.add(row)
    session.flush()
    return row


# ---------------------------------------------------------------------------------------------
# What we keep, why, how long, who receives it (article 13 information)
# ---------------------------------------------------------------------------------------------

_CONTRACT_RETENTION = (
    "Durée du contrat, puis 10 ans après sa fin (prescription et obligations légales)"
)
_INSURER = "Nos services de gestion ; l'assureur et ses réassureurs"

DATA_INVENTORY: list[dict[str, str]] = [
    {
        "category": "Identité et coordonnées",
        "what": "Civilité, nom, prénom, date de naissance, adresse postale, e-mail, téléphone",
        "why": "Exécution du contrat d'assurance (art. 6.1.b RGPD)",
        "how_long": _CONTRACT_RETENTION,
        "who": _INSURER,
    },
    {
        "category": "Contrats et biens assurés",
        "what": "Numéro de contrat, formule, options, capital mobilier, franchise, cotisation, "
        "adresse et caractéristiques du logement, avenants et simulations",
        "why": (
            "Exécution du contrat ; obligations légales du Code des assurances (art. 6.1.b et "
            "6.1.c)"
        ),
        "how_long": _CONTRACT_RETENTION,
        "who": _INSURER,
    },
    {
        "category": "Paiements et coordonnées bancaires",
        "what": "Échéances, paiements et rejets, mandats SEPA, IBAN (chiffré, affiché masqué), "
        "4 derniers chiffres et marque de la carte (jamais le numéro complet)",
        "why": "Exécution du contrat ; obligations comptables et fiscales (art. 6.1.b et 6.1.c)",
        "how_long": _CONTRACT_RETENTION + " ; pièces comptables 10 ans",
        "who": "Nos services de gestion, notre banque et notre prestataire de paiement par carte",
    },
    {
        "category": "Sinistres",
        "what": "Déclarations, descriptions, biens endommagés, photos et justificatifs, "
        "rapports d'expertise, messages échangés, indemnisations",
        "why": "Exécution du contrat ; lutte contre la fraude (art. 6.1.b et 6.1.f)",
        "how_long": _CONTRACT_RETENTION,
        "who": (
            "Gestionnaires sinistres, experts mandatés, réparateurs et, le cas échéant, "
            "l'assureur du tiers"
        ),
    },
    {
        "category": "Documents",
        "what": (
            "Attestations d'assurance, conditions particulières, avis d'échéance, quittances, "
            "avenants, mandats"
        ),
        "why": "Exécution du contrat ; obligations légales (art. 6.1.b et 6.1.c)",
        "how_long": _CONTRACT_RETENTION,
        "who": _INSURER + " ; les tiers à qui vous remettez une attestation",
    },
    {
        "category": "Journaux de connexion",
        "what": (
            "Date et heure, adresse IP, navigateur, résultat de la connexion, appareils reconnus"
        ),
        "why": "Sécurité de votre compte et obligations de conservation (art. 6.1.c et 6.1.f)",
        "how_long": "13 mois au plus",
        "who": "Nos équipes sécurité ; les autorités sur réquisition judiciaire",
    },
    {
        "category": "Notifications et préférences",
        "what": (
            "Notifications de l'Espace, choix des canaux (e-mail, SMS, push), abonnements push, "
            "disposition du tableau de bord"
        ),
        "why": "Fonctionnement de votre Espace (art. 6.1.b)",
        "how_long": "Tant que votre compte est ouvert",
        "who": "Nos services ; le service de notification push de votre navigateur",
    },
    {
        "category": "Messages et assistant",
        "what": (
            "Vos conversations avec nos conseillers et leurs pièces jointes, les échanges avec "
            "l'assistant que vous leur avez transmis, vos notes de satisfaction, vos avis sur les "
            "articles d'aide"
        ),
        "why": (
            "Exécution du contrat et traitement de vos demandes (art. 6.1.b) ; qualité de service "
            "(art. 6.1.f)"
        ),
        "how_long": _CONTRACT_RETENTION + " ; avis sur l'aide : tant que votre compte est ouvert",
        "who": "Les conseillers et gestionnaires qui traitent votre demande",
    },
    {
        "category": "Historique des coordonnées",
        "what": (
            "Les changements d'adresse postale, de téléphone et d'e-mail, leur date et la "
            "vérification faite"
        ),
        "why": "Sécurité de votre compte : prouver qui a modifié quoi (art. 6.1.f)",
        "how_long": "Tant que votre compte est ouvert",
        "who": "Nos équipes sécurité",
    },
    {
        "category": "Consultations de votre dossier",
        "what": (
            "Chaque ouverture de vos sinistres, conversations, fichiers ou demandes par nos "
            "collaborateurs : date, rôle du collaborateur, ce qu'il a consulté"
        ),
        "why": (
            "Sécurité et confidentialité de vos données : tracer les accès (art. 32 RGPD ; art. "
            "6.1.c et 6.1.f)"
        ),
        "how_long": "13 mois",
        "who": (
            "Nos responsables et le délégué à la protection des données ; vous-même, dans « Mes "
            "données »"
        ),
    },
    {
        "category": "Consentements",
        "what": (
            "Vos choix pour les offres par e-mail, par SMS et le partage avec nos partenaires, "
            "avec leur historique"
        ),
        "why": "Votre consentement (art. 6.1.a), et la preuve de ce consentement (art. 7.1)",
        "how_long": "Durée de la relation, puis 5 ans pour la preuve",
        "who": "Nos services ; nos partenaires uniquement si vous l'avez accepté",
    },
]


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


# ---------------------------------------------------------------------------------------------
# Erasure
# ---------------------------------------------------------------------------------------------

ERASURE_EXPLANATION = (
    "Votre compte Espace est fermé et les données qui ne sont plus nécessaires sont effacées : "
    "téléphone, adresse e-mail, historique de vos coordonnées, appareils, notifications, "
    "préférences, consentements, et l'adresse et le contenu des e-mails et SMS que nous vous "
    "avons envoyés. En revanche, la loi nous oblige à conserver vos contrats, vos paiements, vos "
    "sinistres et leurs documents, vos échanges avec nos conseillers, avec les nom, prénom, date "
    "de naissance et adresse qui les identifient, jusqu'au {until} (fin du contrat + 10 ans). Ces "
    "données sont alors archivées, accessibles aux seules personnes habilitées, puis supprimées à "
    "cette date. Nous traitons votre demande dans un délai d'un mois."
)


def retention_until(*, session: Session, holder_id: int) -> str:
    """The date (dd/mm/yyyy) until which contract data is kept, or a description while a contract
    runs."""
    ends = list(
        session.exec(select(col(Contract.end_date)).where(Contract.holder_id == holder_id)).all()
    )
    if not ends:
        return today_paris().strftime("%d/%m/%Y")
    known = [end for end in ends if end is not None]
    if len(known) < len(ends):  # a contract without an end: it still runs
        return "dixième anniversaire de la fin de votre dernier contrat"
    last = max(known)
    try:
        until = last.replace(year=last.year + 10)
    except ValueError:  # 29 February
        until = last.replace(year=last.year + 10, day=28)
    return until.strftime("%d/%m/%Y")


def erasure_explanation(*, session: Session, holder_id: int) -> str:
    return ERASURE_EXPLANATION.format(until=retention_until(session=session, holder_id=holder_id))


class PrivacyError(LookupError):
    """Unknown account or request (or not this holder's)."""


def _delete(session: Session, rows) -> int:
    count = 0
    for row in rows:
        session.delete(row)
        count += 1
    return count


def _forget_account_secrets(session: Session, account: Account) -> None:
    """Sessions revoked; devices, codes, tokens and old password hashes deleted."""
    revoke_all_for_account(session=session, account_id=saved_id(account), reason="erasure")
    for auth in session.exec(
        select(AuthSession).where(
            AuthSession.account_id == account.id, col(AuthSession.device_id).is_not(None)
        )
    ).all():
        auth.device_id = None
        session.add(auth)
    session.flush()
    for model in (KnownDevice, OneTimeCode, ActionToken, RecoveryCode, PasswordHistory):
        _delete(session, session.exec(select(model).where(model.account_id == account.id)).all())


def _forget_preferences(session: Session, holder_id: int) -> None:
    """Preferences, notices, the history of contact details (old e-mails and phones) and help
    feedback."""
    for model in (
        PushSubscription,
        NotificationSettings,
        Notification,
        DashboardLayout,
        ProfileChange,
        ArticleFeedback,
    ):
        _delete(session, session.exec(select(model).where(model.holder_id == holder_id)).all())
    for purpose in PURPOSES:
        session.add(
            Consent(holder_id=holder_id, purpose=purpose, granted=False, source="effacement")
        )


def _contact_points(session: Session, account: Account, person: Policyholder) -> set[str]:
    """Every e-mail address and phone number the holder used with us (current and in the
    history)."""
    points = {account.email, person.email, person.phone}
    for change in session.exec(
        select(ProfileChange).where(
            ProfileChange.holder_id == person.id, col(ProfileChange.field).in_(("email", "phone"))
        )
    ).all():
        points.update((change.old_value, change.new_value))
    return {point for point in points if point} | {point.lower() for point in points if point}


ERASED_BODY = "[contenu effacé à la demande de la personne (RGPD)]"


def _forget_outbox(
    session: Session,
    *,
    account_id: int,
    contact_points: set[str],
    anonymous: str,
    keep_id: int | None = None,
) -> int:
    """Strip the e-mails and SMS sent to the holder of what identifies them or tells about them.

    The row itself stays, with its channel, category, dates and delivery status: the trace that a
    security or contract notice was sent (art. 5.2 RGPD, accountability; proof of information in a
    dispute) needs no address and no content. ``keep_id``: the erasure confirmation while it still
    has to be delivered."""
    query = select(OutboxMessage).where(
        (col(OutboxMessage.account_id) == account_id)
        | col(OutboxMessage.recipient).in_(sorted(contact_points) or [""])
    )
    count = 0
    for message in session.exec(query).all():
        if message.id == keep_id or (
            message.body == ERASED_BODY and message.recipient in (anonymous, "")
        ):
            continue
        message.recipient = anonymous if message.channel == "email" else ""
        message.subject, message.body, message.error = "", ERASED_BODY, ""
        session.add(message)
        count += 1
    return count


def _confirm(session: Session, *, to: str, account_id: int, explanation: str) -> OutboxMessage:
    return outbox.send_email(
        session=session,
        to=to,
        account_id=account_id,
        category="security",
        subject="Votre demande d'effacement de données",
        body=(
            "Bonjour,\n\nNous avons bien reçu votre demande d'effacement de vos données "
            "personnelles. Votre compte Espace est fermé dès maintenant et vous ne recevrez plus "
            f"de message à cette adresse.\n\n{explanation}\n\n"
            "Si vous n'êtes pas à l'origine de cette demande, contactez-nous sans attendre."
        ),
    )


_ERASURE_NOTE = (
    "Fait à la demande : compte fermé (mot de passe inutilisable), sessions révoquées, appareils, "
    "codes, abonnements push, notifications, préférences, tableau de bord, historique des "
    "coordonnées et avis sur l'aide supprimés, consentements retirés, téléphone effacé, e-mail "
    "remplacé par {email}, adresses et contenus des e-mails et SMS envoyés effacés (leur date et "
    "leur type restent), confirmation envoyée à l'ancienne adresse. Conservés (obligation légale) "
    ": identité, adresse, contrats, paiements, sinistres et documents, échanges avec les "
    "conseillers, journaux de connexion (13 mois). Reste à faire : vérifier les systèmes de "
    "gestion et partenaires, archiver le dossier."
)


def request_erasure(
    *,
    session: Session,
    holder_id: int,
    account_id: int,
    proof: StepUpProof,
    now: datetime | None = None,
) -> PrivacyRequest:
    """Close the account now, erase what the law lets go, and open a request for staff to finish.

    Needs a step-up proof of this account, spent by the request (``stepup.require_step_up``)."""
    stepup.require_step_up(
        session=session,
        proof=proof,
        account_id=account_id,
        holder_id=holder_id,
        now=now,
        single_use=True,
    )
    account = session.exec(
        select(Account).where(Account.id == account_id, Account.holder_id == holder_id)
    ).first()
    person = session.get(Policyholder, holder_id)
    if account is None or person is None:
        raise PrivacyError("compte introuvable")
    original_email = account.email
    anonymous = f"supprime-{account.id}@anonyme.invalid"
    explanation = erasure_explanation(session=session, holder_id=holder_id)
    contact_points = _contact_points(session, account, person)  # before the history of changes goes
    confirmation = _confirm(
        session, to=original_email, account_id=saved_id(account), explanation=explanation
    )
    # The confirmation keeps its address until it is delivered; complete() strips it with the rest.
    _forget_outbox(
        session,
        account_id=saved_id(account),
        contact_points=contact_points,
        anonymous=anonymous,
        keep_id=None if confirmation.status == "sent" else confirmation.id,
    )

    _forget_account_secrets(session, account)
    account.is_active = False
    account.password_hash = hash_password(secrets.token_urlsafe(48))
    account.email = anonymous
    account.totp_secret_encrypted = account.totp_pending_encrypted = None
    account.totp_enabled_at = None
    account.phone_verified_at = None
    account.password_changed_at = utcnow()
    session.add(account)
    person.email, person.phone = anonymous, ""
    session.add(person)
    _forget_preferences(session, holder_id)

    now = utcnow()
    request = PrivacyRequest(
        holder_id=holder_id,
        kind="erasure",
        status="open",
        created_at=now,
        due_at=now + REQUEST_DEADLINE,
        note=_ERASURE_NOTE.format(email=anonymous)[:1000],
    )
    session.add(request)
    session.flush()
    emit(
        "gdpr.requested",
        {"request_id": request.id, "holder_id": holder_id, "kind": "erasure"},
        session=session,
    )
    return request


# ---------------------------------------------------------------------------------------------
# Staff
# ---------------------------------------------------------------------------------------------


def open_requests(*, session: Session) -> list[PrivacyRequest]:
    """Open requests, the most urgent first; read ``request.overdue`` for the one-month deadline."""
    query = select(PrivacyRequest).where(PrivacyRequest.status == "open")
    return list(
        session.exec(query.order_by(col(PrivacyRequest.due_at), col(PrivacyRequest.id))).all()
    )


def complete(*, session: Session, request_id: int, staff_id: int, note: str = "") -> PrivacyRequest:
    """Mark an open request done, with the staff member's note (and an audit log line)."""
    request = session.exec(
        select(PrivacyRequest).where(
            PrivacyRequest.id == request_id, PrivacyRequest.status == "open"
        )
    ).first()
    if request is None:
        raise PrivacyError("demande introuvable ou déjà traitée")
    request.status, request.completed_at = "done", utcnow()
    addition = f"Traité par l'agent n° {staff_id} : {note.strip()}".strip()
    request.note = "\n".join(part for part in (request.note, addition) if part)[-1000:]
    session.add(request)
    if request.kind == "erasure":  # the confirmation e-mail had to be delivered first: strip it now
        for account in session.exec(
            select(Account).where(Account.holder_id == request.holder_id)
        ).all():
            _forget_outbox(
                session, account_id=saved_id(account), contact_points=set(), anonymous=account.email
            )
    session.add(
        StaffAuditLog(
            staff_id=staff_id,
            action="privacy_request_done",
            object_type="privacy_request",
            object_id=saved_id(request),
            detail=note.strip()[:1000],
        )
    )
    session.flush()
    return request
