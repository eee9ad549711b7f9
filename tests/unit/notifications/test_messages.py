"""E-mail and SMS texts come from the Jinja2 templates: every template renders with its values,
a missing value fails instead of printing nothing, and the HTML part escapes what it shows."""

from __future__ import annotations

from pathlib import Path
from types import SimpleNamespace

import pytest
from jinja2 import UndefinedError

from espace.notifications import messages

DEVICE = SimpleNamespace(kind="Ordinateur", browser="Firefox 140", system="Linux")
EMAILS = {
    "code": {"subject": "Votre code de connexion", "code": "123456", "why": "pour vous connecter"},
    "staff_code": {"code": "123456"},
    "staff_locked": {"why": "Cinq codes de vérification erronés ont été saisis"},
    "account_locked": {"why": "Cinq tentatives", "reset_link": "https://x.fr/mot-de-passe-oublie"},
    "new_device": {
        "date": "06/12/2026 à 15:00",
        "device": DEVICE,
        "ip": "203.0.113.x",
        "not_me_link": "https://x.fr/pas-moi?jeton=abc",
    },
    "password_changed": {"reset_link": "https://x.fr/mot-de-passe-oublie"},
    "address_taken": {
        "subject": "Tentative de création",
        "login_link": "https://x.fr/connexion",
        "reset_link": "https://x.fr/mot-de-passe-oublie",
    },
    "activation": {"link": "https://x.fr/activation?jeton=abc"},
    "reset_link": {"link": "https://x.fr/mot-de-passe/nouveau?jeton=abc"},
    "login_address_replaced": {"new_email": "b@example.com"},
    "access_recovered": {},
    # identity/profile.py: the context its callers give (the date, the 'not me' link and the values)
    "address_changed": {
        "date": "06/12/2026 à 15:00",
        "old": "12 rue des Lilas, 75011 Paris",
        "new": "3 rue Neuve, 44000 Nantes",
        "not_me_link": "https://x.fr/pas-moi?jeton=abc",
    },
    "phone_changed": {
        "date": "06/12/2026 à 15:00",
        "old": "•• •• •• 00 42",
        "new": "•• •• •• 77 66",
        "not_me_link": "https://x.fr/pas-moi?jeton=abc",
    },
    "email_change_requested": {
        "date": "06/12/2026 à 15:00",
        "new": "n•••@example.com",
        "not_me_link": "https://x.fr/pas-moi?jeton=abc",
    },
    "email_change_link": {"link": "https://x.fr/confirmer-adresse?jeton=abc"},
    "email_changed": {
        "new": "n•••@example.com",
        "date": "06/12/2026 à 15:00",
        "lost_access_link": "https://x.fr/acces-perdu",
    },
    # billing: amounts and dates formatted by the caller, the masked IBAN ("" when none)
    "mandate_signed": {
        "reference": "ESP-00000001-ABCDEFGHIJ",
        "iban": "FR76 •••• •••• •••• 0189",
        "creditor_name": "Espace Assurances",
        "creditor_identifier": "FR12ZZZ123456",
    },
    "debit_reminder": {
        "amount": "42,50\u00a0€",
        "day": "05/01/2027",
        "number": "MRH0412857",
        "account": "FR76 •••• •••• •••• 0189",
        "payments_link": "https://x.fr/paiements",
    },
    "refund_paid": {
        "amount": "42,50\u00a0€",
        "reference": "RBT-2026-000001",
        "date": "06/12/2026",
        "account": "FR76 •••• •••• •••• 0189",
    },
    "refund_returned": {"amount": "42,50\u00a0€", "reference": "RBT-2026-000001"},
    "payment_regularised": {
        "amount": "42,50\u00a0€",
        "card": "carte Visa se terminant par 4242",
        "due": "05/12/2026",
        "number": "MRH0412857",
        "documents_link": "https://x.fr/documents",
        "payments_link": "https://x.fr/paiements",
    },
    "debit_rejected": {
        "amount": "42,50\u00a0€",
        "due": "05/12/2026",
        "reason": "Provision insuffisante.",
    },
    # claims: the stage's label and the next step as the claim shows them; the Paris time of a visit
    "claim_stage": {
        "number": "SIN-2026-000012",
        "stage": "Expert missionné",
        "date": "06/12/2026 à 15:00",
        "next_step": "L'expert vous appelle. Au plus tard le 11/12/2026.",
        "claim_link": "https://x.fr/sinistre?n=SIN-2026-000012",
    },
    "visit_slots_offered": {"number": "SIN-2026-000012"},
    "visit_reminder": {"number": "SIN-2026-000012", "when": "07/12/2026 à 09:30"},
    "settlement_offer": {"number": "SIN-2026-000012"},
    "claim_message": {  # claims/workflow.reply: who wrote, and the claim's address
        "staff_name": "Camille Martin",
        "number": "SIN-2026-000012",
        "link": "https://x.fr/sinistre?n=SIN-2026-000012",
    },
    # lifecycle/renewal_notice.py: the loi Chatel paragraph is the one the notice's PDF prints
    "renewal_notice": {
        "number": "MRH0412857",
        "anniversary": "01/02/2027",
        "premium": "417,81\u00a0€",
        "chatel": "Conformément à l'article L113-15-1 du Code des assurances (loi Chatel), ...",
    },
    # lifecycle/cancellation_*: dates, amount and count formatted by the caller; the refusal's
    # reason as staff wrote it
    "cancellation_received": {
        "number": "MRH0412857",
        "received": "06/12/2026 à 15:00",
        "reference": "RES-2026-000001",
        "ground": "Loi Hamon (contrat de plus d'un an)",
        "effective": "07/01/2027",
        "last_day": "06/01/2027",
        "refund": "42,50\u00a0€",
        "cancelled_debits": "3",
    },
    "cancellation_refused": {
        "number": "MRH0412857",
        "reference": "RES-2026-000001",
        "received": "06/12/2026 à 15:00",
        "reason": "Le justificatif de vente n'est pas lisible.",
    },
    # support: a conversation's subject as the holder wrote it and its address; a complaint's
    # acknowledgement paragraph (complaint_rules.ACKNOWLEDGEMENT_TEXT filled in, shown in-app too)
    "thread_reply": {
        "subject": "Question sur mon contrat",
        "link": "https://x.fr/messages?conversation=12",
    },
    "thread_resolved": {
        "subject": "Question sur mon contrat",
        "link": "https://x.fr/messages?conversation=12",
    },
    "complaint_received": {
        "reference": "REC-2026-000001",
        "acknowledgement": "Nous avons bien reçu votre réclamation REC-2026-000001 le 06/12/2026.",
    },
    "complaint_answered": {"reference": "REC-2026-000001"},
    # privacy/rights: the erasure's explanation, the text the erasure page shows
    "erasure_received": {
        "explanation": "Nous conservons vos contrats et sinistres jusqu'au 31/12/2036.",
    },
    # contracts/cover_change: the endorsement's number, its date and the new annual premium
    "endorsement": {
        "endorsement": "2",
        "number": "MRH0412857",
        "effective": "15/01/2027",
        "premium": "417,81\u00a0€",
    },
}
SMS = {
    "code": {"code": "123456", "why": "pour vous connecter"},
    "phone_replaced": {"new": "•• •• •• 77 66"},
    "visit_reminder": {"number": "SIN-2026-000012", "when": "07/12/2026 à 09:30"},
}
TEMPLATES = Path(messages.__file__).parent / "templates"


def _names(folder: str) -> set[str]:
    """The templates of a folder, less the partials (``_name.txt``: included, never sent alone)."""
    return {p.stem for p in (TEMPLATES / folder).glob("*.txt") if not p.stem.startswith("_")}


def test_every_template_is_tested():
    assert _names("email") == set(EMAILS)
    assert _names("sms") == set(SMS)


@pytest.mark.parametrize("name", sorted(EMAILS))
def test_every_email_renders_a_subject_and_a_text(name):
    email = messages.email(name, **EMAILS[name])
    assert email.subject and "\n" not in email.subject
    assert email.body.startswith("Bonjour,\n\n")
    assert "{" not in email.body and "}" not in email.body
    assert "\n\n\n" not in email.body


@pytest.mark.parametrize("name", sorted(SMS))
def test_every_sms_renders_one_short_line(name):
    text = messages.sms(name, **SMS[name])
    assert text and "\n" not in text and "{" not in text


@pytest.mark.parametrize("name", sorted(EMAILS))
def test_every_value_is_needed(name):
    """StrictUndefined: an e-mail rendered without one of its values fails instead of printing
    nothing (so the contexts above are exactly what the callers must give)."""
    for key in EMAILS[name]:
        with pytest.raises(UndefinedError):
            messages.email(name, **{k: v for k, v in EMAILS[name].items() if k != key})


@pytest.mark.parametrize("name", sorted(SMS))
def test_every_sms_value_is_needed(name):
    for key in SMS[name]:
        with pytest.raises(UndefinedError):
            messages.sms(name, **{k: v for k, v in SMS[name].items() if k != key})


def test_the_profile_emails_share_the_not_me_paragraph():
    for name in ("address_changed", "phone_changed", "email_change_requested"):
        body = messages.email(name, **EMAILS[name]).body
        assert body.endswith(
            "\n\nSi c'est vous, il n'y a rien à faire.\n\nCe n'était pas vous ? Ouvrez ce lien : "
            "toutes les sessions seront fermées et vous choisirez un nouveau mot de passe :\n"
            "https://x.fr/pas-moi?jeton=abc"
        )


def test_the_debit_emails_leave_out_the_account_when_there_is_none():
    reminder = messages.email("debit_reminder", **{**EMAILS["debit_reminder"], "account": ""})
    assert "habitation MRH0412857.\n" in reminder.body and "compte FR76" not in reminder.body
    paid = messages.email("refund_paid", **{**EMAILS["refund_paid"], "account": ""})
    assert paid.body.endswith("a été versé le 06/12/2026.")
    assert messages.email("refund_paid", **EMAILS["refund_paid"]).body.endswith(
        "a été versé le 06/12/2026 sur le compte FR76 •••• •••• •••• 0189."
    )


def test_a_subject_is_one_line_and_keeps_its_no_break_spaces():
    email = messages.email("debit_reminder", **EMAILS["debit_reminder"])
    assert email.subject == "Prélèvement de 42,50\u00a0€ le 05/01/2027"


def test_the_claim_stage_email_names_the_next_step_only_when_there_is_one():
    email = messages.email("claim_stage", **EMAILS["claim_stage"])
    assert email.subject == "Sinistre SIN-2026-000012 : expert missionné"
    assert email.body == (
        "Bonjour,\n\nVotre sinistre SIN-2026-000012 a avancé : Expert missionné, le 06/12/2026 à "
        "15:00.\n\nLe détail est dans votre espace client.\n\nProchaine étape : L'expert vous "
        "appelle. Au plus tard le 11/12/2026.\n\n"
        "Suivre votre dossier : https://x.fr/sinistre?n=SIN-2026-000012"
    )
    closed = messages.email("claim_stage", **{**EMAILS["claim_stage"], "next_step": ""})
    assert "Prochaine étape" not in closed.body
    assert "client.\n\nSuivre votre dossier" in closed.body


def test_code_email_and_sms_say_the_same_thing():
    text = messages.sms("code", code="123456", why="pour vous connecter")
    assert text == (
        "123456 est votre code Espace pour vous connecter. Il est valable 10 minutes. "
        "Ne le communiquez à personne."
    )
    email = messages.email("code", **EMAILS["code"])
    assert f"Bonjour,\n\n{text}\n\nSi vous n'êtes pas" in email.body


def test_a_missing_value_fails_the_render():
    with pytest.raises(UndefinedError):
        messages.email("staff_code")


def test_html_part_escapes_the_text_and_links_the_urls():
    html = messages.html("Sujet <b>", "Bonjour <script>,\n\nLien : https://x.fr/a?b=1&c=2\nfin")
    assert "<script>" not in html and "&lt;script&gt;" in html
    assert '<a href="https://x.fr/a?b=1&amp;c=2"' in html
    assert "<title>Sujet &lt;b&gt;</title>" in html
    assert html.count("<p ") == 3  # the insurer's name, then one paragraph per block
