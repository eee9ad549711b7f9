"""A holder, as a new user would, cancels a contract online under loi Hamon: the effective date and
the refund before confirming, a code, the acknowledgement on screen and as a PDF, the refund to pay
in "Mes paiements" (asking for an IBAN, as none is known); the attestation's
public check says "révoquée" once the cancellation has taken effect. Dates follow the app's clock
(run at other dates with scripts/at_date.sh)."""

from __future__ import annotations

import io
import re

from playwright.sync_api import expect
from pypdf import PdfReader
from sqlmodel import Session, select

from espace.core import formatting as fmt
from espace.core.models import today_paris
from tests.e2e.conftest import assert_accessible, login, outbox_code, wait_ready
from tests.e2e.test_documents import issue, qr_url


def holder_with_history(engine, frequency: str = "monthly") -> dict:
    """A new holder whose contract started two years ago, its past run by the real functions."""
    from espace.billing.instalments import add_months
    from espace.contracts.models import Attestation
    from espace.lifecycle import renewal
    from tests import factories

    today = today_paris()
    with Session(engine, expire_on_commit=False) as db:
        person = factories.holder(db)
        contract = factories.contract(
            db, person, payment_frequency=frequency, start_date=add_months(today, -25)
        )
        renewal.replay_history(session=db, contract=contract, today=today)
        attestation = db.exec(
            select(Attestation)
            .where(Attestation.contract_id == contract.id)
            .order_by(Attestation.id.desc())
        ).first()
        db.commit()
        return {
            "email": person.email,
            "password": factories.PASSWORD,
            "contract": contract.number,
            "contract_id": contract.id,
            "attestation_document_id": attestation.document_id,
        }


def test_a_new_holder_cancels_under_loi_hamon_and_the_attestation_is_then_revoked(
    new_page, app_engine
):
    from espace.billing.instalments import add_months
    from espace.lifecycle import renewal

    who = holder_with_history(app_engine, "annual")  # the year paid: part of it is refunded
    today = today_paris()
    effective = add_months(today, 1)
    page = new_page("desktop")
    login(page, who["email"], who["password"])
    # an attestation for the landlord, and its QR code as the landlord would scan it
    page.goto("/documents")
    attestation_pdf = issue(page, "Standard (bailleur, administration)")
    verify_path = re.sub(r"^https?://[^/]+", "", qr_url(attestation_pdf))
    page.goto(f"/contrat?n={who['contract']}")
    page.get_by_role("link", name="Résilier mon contrat").click()
    wait_ready(page, re.compile(r"/contrat/resilier"))
    expect(page.get_by_role("heading", name="Résilier mon contrat", level=1)).to_be_visible()
    page.get_by_label("Motif de la résiliation").select_option("hamon")
    page.get_by_label("Nouvel assureur (facultatif)", exact=True).fill("Mutuelle du Littoral")
    page.get_by_role("button", name="Voir la date d'effet et le remboursement").click()
    preview = page.locator("#cancellation-preview")
    expect(preview).to_contain_text(fmt.date_fr(effective))
    expect(preview).to_contain_text("€")  # the refund, shown before confirming
    assert_accessible(page)
    page.get_by_role("button", name="Confirmer la résiliation").click()
    expect(page.get_by_role("heading", name="Confirmez votre identité")).to_be_visible()
    page.get_by_label("Code de confirmation").fill(outbox_code(app_engine, who["email"]))
    page.get_by_role("button", name="Confirmer", exact=True).click()
    # the request is recorded and its acknowledgement rendered as a PDF before the page answers
    expect(
        page.get_by_role("heading", name="Votre demande de résiliation est enregistrée")
    ).to_be_visible(timeout=30_000)
    ack = page.locator("#cancellation-ack")
    expect(ack).to_contain_text(fmt.date_fr(effective))
    expect(ack).to_contain_text(fmt.date_fr(today))
    with page.expect_download() as download:
        page.get_by_role("link", name="Télécharger l'accusé de réception (PDF)").click()
    pdf = open(download.value.path(), "rb").read()
    text = " ".join(
        " ".join((p.extract_text() or "") for p in PdfReader(io.BytesIO(pdf)).pages).split()
    )
    assert "Accusé de réception" in text and "Date de réception" in text
    assert fmt.date_fr(today) in text and fmt.date_fr(effective) in text
    assert "Mutuelle du Littoral" in text
    # "Mes paiements": the refund to pay; no bank account yet, so the holder is asked for one
    from espace.billing.models import PremiumRefund

    with Session(app_engine) as db:
        refund = db.exec(
            select(PremiumRefund).where(PremiumRefund.contract_id == who["contract_id"])
        ).one()
    assert refund.amount_cents > 0 and refund.status == "awaiting_bank"
    page.goto("/paiements")
    refunds = page.locator("#remboursements").locator("xpath=..")
    expect(refunds).to_contain_text(
        f"Remboursement de cotisation — {fmt.money(refund.amount_cents)}"
    )
    expect(refunds).to_contain_text("en attente de vos coordonnées bancaires")
    expect(page.locator("#refund-iban-needed")).to_contain_text("indiquez un compte bancaire")
    # Coming back to the page shows the request, not the form again
    page.goto(f"/contrat/resilier?n={who['contract']}")
    expect(page.locator("#cancellation-ack")).to_contain_text(fmt.date_fr(effective))

    page.goto(verify_path)
    # still valid until the effective date
    expect(page.locator("#verdict")).to_have_text("Attestation valide")
    with Session(app_engine) as db:  # the daily job, run on the effective date
        assert renewal.end_cancelled(session=db, today=effective) >= 1
        db.commit()
    page.goto(verify_path)
    expect(page.locator("#verdict")).to_have_text("Attestation révoquée")
