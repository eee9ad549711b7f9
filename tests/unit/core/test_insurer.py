"""The insurer's identity comes from settings: another insurer changes its environment, and its
name reaches the documents, the e-mails, the exports and the authenticator entries."""

from __future__ import annotations

from espace.core.insurer import insurer
from espace.core.settings import Settings
from espace.documents.pdf.data import Insurer
from espace.notifications import outbox


def test_identity_is_read_from_settings():
    settings = Settings(
        insurer_name="Mutuelle du Lac",
        insurer_phone="01 02 03 04 05",
        insurer_address="1 rue du Port, 74000 Annecy",
        sepa_creditor_id="FR00ZZZ999999",
    )
    company = insurer(settings)
    assert (company.name, company.phone, company.address, company.creditor_id) == (
        "Mutuelle du Lac",
        "01 02 03 04 05",
        "1 rue du Port, 74000 Annecy",
        "FR00ZZZ999999",
    )
    assert "Médiation de l'Assurance" in company.mediator


def test_documents_and_emails_name_the_configured_insurer(monkeypatch):
    monkeypatch.setenv("ESPACE_INSURER_NAME", "Mutuelle du Lac")
    from espace.core.settings import get_settings

    get_settings.cache_clear()
    try:
        assert insurer().name == "Mutuelle du Lac"
        assert "Mutuelle du Lac · Votre espace client" in outbox.email_signature()
        assert isinstance(insurer(), Insurer)  # what the PDF renderers print
    finally:
        monkeypatch.delenv("ESPACE_INSURER_NAME")
        get_settings.cache_clear()
