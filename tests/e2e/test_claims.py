"""Claims in the browser: a holder declares on a phone, staff move the claim on, the holder follows
it."""

from __future__ import annotations

import re
from datetime import datetime, timedelta
from pathlib import Path

import pytest
from fpdf import FPDF
from PIL import Image
from playwright.sync_api import Page, expect
from sqlmodel import Session, select

from espace.claims.models import Claim
from espace.core import formatting as fmt
from espace.core.formatting import PARIS
from espace.demo.seed import STAFF
from espace.notifications.models import Notification, OutboxMessage
from tests.e2e.conftest import (
    assert_accessible,
    login,
    new_holder,
    outbox_text,
    staff_login,
    wait_ready,
)

STAFF_BY_ROLE = {role: email for email, _name, role in STAFF}
LAYOUT_PROBLEMS = (Path(__file__).parent / "layout_problems.js").read_text()


def assert_fits(page: Page, what: str) -> None:
    """No sideways scroll, no control outside its card or window (tests/e2e/layout_problems.js)."""
    page.wait_for_timeout(300)  # fonts and late rows settle
    assert page.evaluate(LAYOUT_PROBLEMS) == [], what


def _yesterday():
    """Computed when the test runs (in Paris), not when the module was imported: a run may cross
    midnight."""
    return (datetime.now(PARIS) - timedelta(days=1)).date()


def _photo(folder, name: str, color: str) -> str:
    path = folder / name
    Image.new("RGB", (640, 480), color).save(path, "JPEG")
    return str(path)


def _pdf(folder, name: str, text: str) -> str:
    pdf = FPDF()
    pdf.add_page()
    pdf.set_font("helvetica", size=14)
    pdf.cell(text=text)
    path = folder / name
    path.write_bytes(bytes(pdf.output()))
    return str(path)


def open_wizard(page: Page, who: dict) -> None:
    login(page, who["email"], who["password"])
    page.get_by_role("navigation", name="Navigation principale").get_by_role(
        "link", name="Mes sinistres"
    ).click()
    wait_ready(page, re.compile(r"/sinistres/?$"))
    page.get_by_role("link", name="Déclarer un sinistre").click()
    wait_ready(page, re.compile(r"/sinistres/declarer"))
    expect(page.locator("#step-label")).to_contain_text("Étape 1 sur 8")


def next_step(page: Page, number: int) -> None:
    page.locator("#wizard-next").click()
    expect(page.locator("#step-label")).to_contain_text(f"Étape {number} sur 8")


def pick(page: Page, question: str, answer: str) -> None:
    page.locator(f"[data-question='{question}']").get_by_text(answer, exact=True).click()


def test_water_damage_from_phone_declaration_to_payment(new_page, app_engine, tmp_path):
    holder = new_holder(app_engine)
    page = new_page("phone")
    open_wizard(page, holder)
    next_step(page, 2)  # the holder's only contract is already chosen
    page.get_by_text("Dégât des eaux", exact=True).click()
    next_step(page, 3)
    pick(page, "origin", "Fuite d'une canalisation ou d'un appareil")
    pick(page, "neighbour_involved", "Non")
    pick(page, "leak_stopped", "Oui")
    next_step(page, 4)
    page.get_by_label("Date du sinistre (ou de sa découverte)").fill(_yesterday().isoformat())
    page.get_by_label("Heure approximative (facultatif)").fill("21:15")
    page.get_by_label("Que s'est-il passé ?").fill(
        "Le flexible du lave-vaisselle a cédé : le parquet de la cuisine est gondolé."
    )
    next_step(page, 5)
    page.get_by_role("button", name="Oui, à cette adresse").click()
    expect(page.locator("#step-label")).to_contain_text("Étape 6 sur 8")
    page.get_by_label("Description").fill("Parquet de la cuisine")
    page.get_by_label("Catégorie").select_option("building")
    page.get_by_label("Estimation du dommage en €").fill("1 800")
    page.locator("#add-item").click()
    expect(page.locator("#items")).to_contain_text(fmt.money(180_000))
    next_step(page, 7)
    page.locator("#claim-files input[type=file]").set_input_files(
        [_photo(tmp_path, "cuisine.jpg", "brown"), _photo(tmp_path, "parquet.jpg", "orange")]
    )
    expect(page.locator("#claim-file-list li")).to_have_count(2)
    expect(page.locator("#claim-file-list img")).to_have_count(2)  # thumbnails
    next_step(page, 8)
    # Estimate before sending: CONFORT water damage, contract deductible 150 €, ceiling = furniture
    # capital.
    estimate = page.locator("#estimate")
    expect(estimate).to_contain_text(fmt.money(165_000))
    expect(estimate).to_contain_text(fmt.money(15_000))
    assert_accessible(page)
    page.get_by_text("Je certifie l'exactitude de ma déclaration").click()
    page.locator("#send-claim").click()
    expect(page.locator("#claim-number")).to_have_text(re.compile(r"^SIN-\d{4}-\d{6}$"))
    number = page.locator("#claim-number").inner_text()
    acknowledgement = outbox_text(app_engine, holder["email"])
    assert (
        number in acknowledgement
        and "Déclaration reçue" in acknowledgement
        and "/sinistre?n=" in acknowledgement
    )

    staff = new_page("desktop")
    staff.goto("/gestion/connexion")
    staff_login(staff, STAFF_BY_ROLE["manager"])
    expect(staff.locator("#claims-queue")).to_contain_text(number)
    assert_accessible(staff)
    staff.goto(f"/gestion/sinistre?n={number}")
    assert_accessible(staff)
    staff.locator("#expert").select_option(label="Marc Lefèvre")
    staff.locator("#appoint-expert").click()
    expect(staff.locator("#visit-date")).to_be_visible()
    visit_day = (datetime.now(PARIS) + timedelta(days=3)).date()
    staff.locator("#visit-date").fill(visit_day.isoformat())
    staff.locator("#visit-time").fill("14:30")
    staff.locator("#plan-visit").click()
    expect(staff.locator("#report-summary")).to_be_visible()
    staff.locator("#report-summary").fill("Parquet à remplacer sur 12 m², plinthes comprises.")
    staff.locator("#report-summary").blur()
    staff.locator("#report-upload input[type=file]").set_input_files(
        _pdf(tmp_path, "rapport.pdf", "Rapport d'expertise")
    )
    expect(
        staff.get_by_text("rapport.pdf").first
    ).to_be_visible()  # the upload is done before the next step
    expect(staff.locator("#damage")).to_be_visible()
    staff.locator("#damage").fill("1 500")
    staff.locator("#assess").click()
    expect(staff.get_by_text(fmt.money(135_000)).first).to_be_visible()
    staff.locator("#record-payment").click()
    expect(staff.get_by_text("Paiement envoyé").first).to_be_visible()

    page.goto(f"/sinistre?n={number}")
    tracker = page.locator("#tracker")
    for label in (
        "Déclaration reçue",
        "Expert missionné",
        "Visite planifiée",
        "Rapport d'expertise",
        "Indemnité calculée",
        "Paiement envoyé",
    ):
        step = tracker.locator(".tracker-step", has_text=label)
        expect(step).to_contain_text(re.compile(r"\d{2}/\d{2}/\d{4}"))
    expect(tracker.locator(".tracker-step", has_text="Dossier clôturé")).to_contain_text("À venir")
    # Indemnity = min(ceiling, damage − deductible) = min(15 000 €, 1 500 € − 150 €).
    expect(page.locator("#settlement")).to_contain_text(fmt.money(135_000))
    expect(page.locator("#claim-documents")).to_contain_text("rapport.pdf")
    expect(page.locator("#claim-documents")).to_contain_text(f"avis-de-reglement-{number}.pdf")
    assert_accessible(page)
    with Session(app_engine) as db:
        claim = db.exec(select(Claim).where(Claim.number == number)).one()
        assert claim.indemnity_cents == 135_000
        notices = db.exec(select(Notification).where(Notification.holder_id == holder["id"])).all()
        mails = db.exec(
            select(OutboxMessage).where(
                OutboxMessage.recipient == holder["email"], OutboxMessage.subject.contains(number)
            )
        ).all()
    assert len(notices) >= 6 and len(mails) >= 6
    expect(page.locator("#notification-bell .bell-count")).to_be_visible()
    page.locator("#notification-bell").click()
    wait_ready(page, re.compile(r"/notifications"))
    expect(page.locator("#notifications")).to_contain_text(f"Sinistre {number} : paiement envoyé")
    assert_accessible(page)


@pytest.mark.parametrize(
    "peril, asked, not_asked",
    [
        (
            "Dégât des eaux",
            ["D'où vient l'eau ?", "Un voisin ou un autre logement est-il concerné ?"],
            ["Numéro du récépissé de dépôt de plainte"],
        ),
        (
            "Vol ou cambriolage",
            [
                "Numéro du récépissé de dépôt de plainte",
                "Date du dépôt de plainte",
                "Y a-t-il eu effraction ?",
            ],
            ["D'où vient l'eau ?"],
        ),
        (
            "Incendie",
            ["Les pompiers sont-ils intervenus ?", "Origine du feu"],
            ["Y a-t-il eu effraction ?"],
        ),
        (
            "Bris de glace",
            ["Qu'est-ce qui est cassé ?", "Comment est-ce arrivé ?"],
            ["Les pompiers sont-ils intervenus ?"],
        ),
    ],
)
def test_the_questions_follow_the_peril(new_page, app_engine, peril, asked, not_asked):
    page = new_page("desktop")
    open_wizard(page, new_holder(app_engine))
    next_step(page, 2)
    page.get_by_text(peril, exact=True).click()
    next_step(page, 3)
    for text in asked:
        expect(page.get_by_text(text, exact=True)).to_be_visible()
    for text in not_asked:
        expect(page.get_by_text(text, exact=True)).to_have_count(0)
    if peril == "Dégât des eaux":  # a question that depends on an earlier answer
        amicable = page.get_by_text(
            "Un constat amiable dégât des eaux a-t-il été rempli ?", exact=True
        )
        expect(amicable).to_be_hidden()
        pick(page, "neighbour_involved", "Oui")
        expect(amicable).to_be_visible()
    if (
        peril == "Vol ou cambriolage"
    ):  # required answers are asked for, in French, next to the question
        page.locator("#wizard-next").click()
        expect(page.locator("#q-police_report_ref-error")).to_contain_text("nécessaire")


def test_bad_input_is_refused_in_french_and_nothing_is_lost(new_page, app_engine, tmp_path):
    page = new_page("phone")
    open_wizard(page, new_holder(app_engine))
    next_step(page, 2)
    page.get_by_text("Incendie", exact=True).click()
    next_step(page, 3)
    pick(page, "firefighters_called", "Non")
    pick(page, "fire_origin", "Cuisine")
    pick(page, "someone_injured", "Non")
    next_step(page, 4)
    tomorrow = (datetime.now(PARIS) + timedelta(days=1)).date().isoformat()
    page.get_by_label("Date du sinistre (ou de sa découverte)").fill(tomorrow)
    description = "Une casserole a pris feu, la hotte a fondu."
    page.get_by_label("Que s'est-il passé ?").fill(description)
    page.locator("#wizard-next").click()
    expect(page.locator("#occurred_date-error")).to_contain_text("ne peut pas être dans le futur")
    expect(page.get_by_label("Que s'est-il passé ?")).to_have_value(description)
    expect(page.locator("#step-label")).to_contain_text("Étape 4 sur 8")
    page.get_by_label("Date du sinistre (ou de sa découverte)").fill(_yesterday().isoformat())
    page.get_by_label("Que s'est-il passé ?").fill("")
    page.locator("#wizard-next").click()
    expect(page.locator("#description-error")).to_contain_text("Décrivez ce qui s'est passé")
    page.get_by_label("Que s'est-il passé ?").fill(description)
    next_step(page, 5)
    page.get_by_role("button", name="Oui, à cette adresse").click()
    expect(page.locator("#step-label")).to_contain_text("Étape 6 sur 8")
    page.get_by_label("Description").fill("Hotte aspirante")
    page.get_by_label("Catégorie").select_option("appliances")
    page.get_by_label("Estimation du dommage en €").fill("trois cents")
    page.locator("#add-item").click()
    expect(page.locator("#item_estimate-error")).to_contain_text("Montant invalide")
    expect(page.get_by_label("Description")).to_have_value("Hotte aspirante")
    page.get_by_label("Estimation du dommage en €").fill("300")
    page.locator("#add-item").click()
    expect(page.locator("#items li")).to_have_count(1)
    # The draft is saved at each step: reopening the page resumes it where it was left.
    expect(page).to_have_url(re.compile(r"brouillon=\d+"))
    page.reload()
    wait_ready(page)
    expect(page.locator("#step-label")).to_contain_text("Étape 6 sur 8")
    expect(page.locator("#items")).to_contain_text("Hotte aspirante")
    next_step(page, 7)

    uploader = page.locator("#claim-files input[type=file]")
    errors = page.locator("#claim-files-errors")
    uploader.set_input_files(_photo(tmp_path, "hotte.jpg", "gray"))
    expect(page.locator("#claim-file-list li")).to_have_count(1)
    fake = tmp_path / "photo.jpg"
    fake.write_bytes(b"MZ\x90\x00\x03" + bytes(20_000))  # a Windows program renamed .jpg
    uploader.set_input_files(str(fake))
    expect(errors).to_contain_text("JPEG, PNG, HEIC ou PDF")
    big = tmp_path / "grosse.jpg"
    big.write_bytes(b"\xff\xd8\xff\xe0" + bytes(11 * 1024 * 1024 - 4))  # JPEG magic, 11 Mo
    uploader.set_input_files(str(big))
    expect(errors).to_contain_text("11,0 Mo")
    expect(errors).to_contain_text("10 Mo")
    many = [_photo(tmp_path, f"vue-{n:02d}.jpg", (n * 10, 80, 120)) for n in range(20)]
    uploader.set_input_files(many)
    expect(errors).to_contain_text("20 fichiers")
    expect(page.locator("#claim-file-list li")).to_have_count(
        20
    )  # the first photo and 19 more; the 21st refused
    expect(page.locator("#claim-file-list")).to_contain_text("hotte.jpg")


def test_holders_reach_only_their_own_claims_and_never_the_back_office(new_page, app_engine):
    """(The claim-file route is tested over HTTP with both holders' cookies in the integration
    tests.)"""
    with Session(app_engine) as db:
        demo_claim = db.exec(
            select(Claim).where(Claim.number.is_not(None)).order_by(Claim.id)
        ).first()
    stranger = new_holder(app_engine)
    page = new_page("desktop")
    login(page, stranger["email"], stranger["password"])
    page.goto(f"/sinistre?n={demo_claim.number}")
    expect(page.get_by_text("Ce sinistre est introuvable.")).to_be_visible()
    expect(page.get_by_text(demo_claim.description)).to_have_count(0)
    page.goto("/gestion/sinistres")
    wait_ready(page, re.compile(r"/gestion/connexion"))
    page.goto(f"/gestion/sinistre?n={demo_claim.number}")
    wait_ready(page, re.compile(r"/gestion/connexion"))


def test_a_loss_elsewhere_with_a_typed_address_and_emergency_help_on_a_phone(new_page, app_engine):
    """On a phone (390x844): the first step offers emergency help for the chosen contract; a
    loss at another address is typed, its town checked against the postal code; the sent claim
    shows the address; a plumber requested from its tracker shows there with its status. Every
    screen fits the phone."""
    holder = new_holder(app_engine)
    page = new_page("phone")
    open_wizard(page, holder)
    panel = page.locator("#emergency-panel")
    expect(panel).to_contain_text("Une urgence ?")
    expect(page.locator("#wizard-emergency-phone")).to_have_attribute("href", "tel:+33186950000")
    expect(page.locator("#wizard-emergency-link")).to_have_attribute(
        "href", re.compile(r"/urgence\?contrat=\d+$")
    )
    assert_fits(page, "wizard step 1 with the emergency panel")
    assert_accessible(page)
    next_step(page, 2)
    page.get_by_text("Dégât des eaux", exact=True).click()
    next_step(page, 3)
    pick(page, "origin", "Fuite d'une canalisation ou d'un appareil")
    pick(page, "neighbour_involved", "Non")
    pick(page, "leak_stopped", "Oui")
    next_step(page, 4)
    page.get_by_label("Date du sinistre (ou de sa découverte)").fill(_yesterday().isoformat())
    page.get_by_label("Que s'est-il passé ?").fill(
        "Une canalisation a fui dans le garage loué à Montmerle : cartons et outils mouillés."
    )
    next_step(page, 5)
    page.locator("#type-address").click()
    page.get_by_label("Numéro et voie").fill("12 chemin des Vignes")
    page.get_by_label("Code postal").fill("01090")
    page.get_by_label("Commune").fill("Lyon")
    page.locator("#save-address").click()
    expect(page.locator("#location_town-error")).to_contain_text(
        "ne correspond pas au code postal 01090"
    )
    expect(page.locator("#location_town-error")).to_contain_text("Montmerle-sur-Saône")
    expect(page.get_by_label("Numéro et voie")).to_have_value("12 chemin des Vignes")
    expect(page.locator("#step-label")).to_contain_text("Étape 5 sur 8")
    assert_fits(page, "wizard step 5 with the address form and its error")
    assert_accessible(page)
    page.get_by_label("Code postal").fill("0109")
    page.get_by_label("Commune").fill("montmerle sur saone")
    page.locator("#save-address").click()
    expect(page.locator("#location_postal_code-error")).to_contain_text("5 chiffres")
    page.get_by_label("Code postal").fill("01090")
    page.locator("#save-address").click()
    expect(page.locator("#step-label")).to_contain_text("Étape 6 sur 8")
    page.get_by_label("Description").fill("Outils du garage")
    page.get_by_label("Catégorie").select_option("furniture")
    page.get_by_label("Estimation du dommage en €").fill("400")
    page.locator("#add-item").click()
    expect(page.locator("#items li")).to_have_count(1)
    next_step(page, 7)
    next_step(page, 8)
    expect(page.locator("main")).to_contain_text("12 chemin des Vignes, 01090 Montmerle-sur-Saône")
    assert_fits(page, "wizard summary")
    page.get_by_text("Je certifie l'exactitude de ma déclaration").click()
    page.locator("#send-claim").click()
    expect(page.locator("#claim-number")).to_have_text(re.compile(r"^SIN-\d{4}-\d{6}$"))
    number = page.locator("#claim-number").inner_text()

    page.locator("#follow-claim").click()
    wait_ready(page, re.compile(r"/sinistre\?n="))
    expect(page.locator("main")).to_contain_text("12 chemin des Vignes, 01090 Montmerle-sur-Saône")
    page.locator("#claim-emergency-link").click()
    wait_ready(page, re.compile(r"/urgence\?sinistre="))
    expect(page.locator("#assistance-claim")).to_contain_text(number)
    expect(page.get_by_label("Que se passe-t-il ?")).to_have_value("water_leak")
    expect(page.get_by_label("Logement concerné")).not_to_have_value("")
    page.get_by_label("Aide demandée").select_option("plumber")
    page.locator("#send-assistance").click()
    expect(page.locator("#assistance-requests")).to_contain_text("Intervention programmée")
    page.locator("#assistance-claim a").click()
    wait_ready(page, re.compile(r"/sinistre\?n="))
    assistance = page.locator("#claim-assistance")
    expect(assistance).to_contain_text("Plombier")
    expect(assistance).to_contain_text("Intervention programmée")
    expect(assistance).to_contain_text("Assistance test")
    assert_fits(page, "tracker with an assistance request")
    assert_accessible(page)

    staff = new_page("desktop")
    staff.goto("/gestion/connexion")
    staff_login(staff, STAFF_BY_ROLE["manager"])
    staff.goto(f"/gestion/sinistre?n={number}")
    expect(staff.locator("main")).to_contain_text(
        "Adresse saisie par l'assuré : 12 chemin des Vignes, 01090 Montmerle-sur-Saône"
    )
