"""Claims against a real database: the holder's declaration wizard and sending it, estimates,
validation, uploads, express settlement, ownership, the staff back office and notifications.

Time is frozen on Monday 9 November 2026, 10:00 in Paris (Wednesday 11 November is a public
holiday), so every deadline below is exact."""

from __future__ import annotations

import io
import re
from datetime import date, datetime, timedelta
from pathlib import Path

import pytest
import time_machine
from fpdf import FPDF
from PIL import Image
from pypdf import PdfReader
from sqlmodel import func, select

from espace import routes
from espace.claims import (
    declaration,
    declaration_contents,
    declaration_queries,
    declaration_sending,
    stages,
    workflow,
    workflow_assessment,
    workflow_views,
)
from espace.claims import indemnity as claim_indemnity
from espace.claims.declaration import ClaimInputError
from espace.claims.models import (
    Claim,
    ClaimEvent,
    ClaimFileKind,
    ClaimMessage,
    ClaimStatus,
    StaffAuditLog,
)
from espace.claims.uploads import UploadRejected
from espace.claims.workflow_views import QueueFilters
from espace.contracts.catalogue_data import NATURAL_DISASTER_DEDUCTIBLE_CENTS
from espace.core import formatting as fmt
from espace.core import storage
from espace.core.formatting import PARIS
from espace.identity.models import Account, StaffUser
from espace.identity.staff_access import StaffForbidden
from espace.notifications import notices as notifications
from espace.notifications.models import Notification, OutboxMessage
from tests import factories

S = ClaimStatus
NOW = datetime(2026, 11, 9, 10, 0, tzinfo=PARIS)  # Monday
TODAY = NOW.date()
NUMBER = re.compile(r"^SIN-(\d{4})-(\d{6})$")


@pytest.fixture(autouse=True)
def frozen():
    with time_machine.travel(NOW, tick=False):
        yield


def _paris(day: date, hour: int = 18) -> datetime:
    return datetime(day.year, day.month, day.day, hour, 0, tzinfo=PARIS)


# ----- builders -------------------------------------------------------------------------------


def jpeg_bytes(size=(640, 480), color=(30, 120, 200)) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, color).save(out, "JPEG", quality=85)
    return out.getvalue()


def pdf_bytes(text: str = "Facture de remplacement du vitrage") -> bytes:
    pdf = FPDF()
    pdf.add_page()
    pdf.set_font("helvetica", size=12)
    pdf.cell(text=text)
    return bytes(pdf.output())


ANSWERS = {
    "water_damage": {"origin": "leak", "neighbour_involved": "no", "leak_stopped": "yes"},
    "glass_breakage": {"pane": "window", "glass_cause": "accident"},
    "natural_disaster": {"event_type": "flood", "order_published": "no"},
    "theft": {
        "police_report_ref": "PV-2026-0042",
        "police_report_date": "2026-11-08",
        "forced_entry": "yes",
        "entry_point": "door",
        "stolen_summary": "Ordinateur portable",
    },
    "fire": {"firefighters_called": "yes", "fire_origin": "cooking", "someone_injured": "no"},
}


def _draft(
    db,
    person=None,
    contract=None,
    *,
    peril="water_damage",
    amounts=("2300",),
    occurred: date | None = None,
    now: datetime = NOW,
    formula="CONFORT",
    answers: dict | None = None,
    **contract_fields,
) -> Claim:
    """A complete draft, ready to be sent."""
    person = person or factories.holder(db)
    contract = contract or factories.contract(db, person, formula_code=formula, **contract_fields)
    account = factories.account_of(db, person)
    claim = declaration.start_draft(
        session=db, holder_id=person.id, account_id=account.id, contract_id=contract.id
    )
    declaration.set_peril(session=db, claim=claim, peril_code=peril)
    raw = dict(answers if answers is not None else ANSWERS[peril])
    if peril == "theft" and occurred is not None and answers is None:
        raw["police_report_date"] = occurred.isoformat()
    declaration.set_answers(session=db, claim=claim, raw=raw, today=now.astimezone(PARIS).date())
    day = occurred or (now.astimezone(PARIS).date() - timedelta(days=1))
    declaration.set_when(
        session=db,
        claim=claim,
        day_text=day.strftime("%d/%m/%Y"),
        time_text="08:30",
        description="Description détaillée de l'événement.",
        now=now,
    )
    declaration.set_location(session=db, claim=claim, kind="property")
    for index, amount in enumerate(amounts):
        declaration_contents.add_item(
            session=db,
            claim=claim,
            description=f"Bien {index + 1}",
            category="furniture",
            purchase_date="",
            purchase_price="",
            estimate_text=amount,
            today=now.astimezone(PARIS).date(),
        )
    return claim


def _sent_claim(db, person=None, contract=None, *, files=(), now: datetime = NOW, **draft) -> Claim:
    claim = _draft(db, person, contract, now=now, **draft)
    for data, name, *kind in files:
        declaration_contents.add_file(
            session=db, claim=claim, data=data, filename=name, kind=kind[0] if kind else ""
        )
    declaration_sending.submit(session=db, claim=claim, now=now)
    return claim


def _events(db, claim) -> list[str]:
    return [event.kind for event in stages.events(session=db, claim_id=claim.id)]


def _count(db, model, *where) -> int:
    return db.exec(select(func.count()).select_from(model).where(*where)).one()


def _stored_files() -> set[Path]:
    return {path for path in storage.root().rglob("*") if path.is_file()}


# ----- the holder's declaration ---------------------------------------------------------------


def test_full_holder_flow(db, test_tmp):
    person = factories.holder(db)
    account = factories.account_of(db, person)
    contract = factories.contract(db, person)
    factories.staff(db, role="handler")

    claim = declaration.start_draft(
        session=db, holder_id=person.id, account_id=account.id, contract_id=contract.id
    )
    assert (
        claim.status == S.DRAFT
        and claim.number is None
        and claim.draft_step == declaration.STEP_PERIL
    )
    assert (
        declaration_queries.owned_draft(session=db, holder_id=person.id, claim_id=claim.id) is claim
    )

    declaration.set_peril(session=db, claim=claim, peril_code="water_damage")
    declaration.set_answers(
        session=db,
        claim=claim,
        today=TODAY,
        raw={
            "origin": "leak",
            "neighbour_involved": "yes",
            "amicable_report": "yes",
            "leak_stopped": "yes",
            "extra": "dropped",
        },
    )
    assert claim.answers == {
        "origin": "leak",
        "neighbour_involved": "yes",
        "amicable_report": "yes",
        "leak_stopped": "yes",
    }
    declaration.set_when(
        session=db,
        claim=claim,
        day_text="08/11/2026",
        time_text="21:15",
        description="  Fuite sous l'évier de la cuisine, le parquet a gonflé.  ",
        now=NOW,
    )
    assert claim.occurred_at == datetime(2026, 11, 8, 21, 15, tzinfo=PARIS)
    assert claim.description == "Fuite sous l'évier de la cuisine, le parquet a gonflé."
    declaration.set_location(
        session=db,
        claim=claim,
        kind="geolocation",
        latitude=47.2184712,
        longitude=-1.5536211,
        accuracy_m=12.7,
    )
    assert (claim.latitude, claim.longitude, claim.location_accuracy_m) == (
        47.218471,
        -1.553621,
        12,
    )
    first = declaration_contents.add_item(
        session=db,
        claim=claim,
        description="Parquet du salon",
        category="building",
        purchase_date="15/03/2022",
        purchase_price="1 800",
        estimate_text="1 450,50",
        today=TODAY,
    )
    declaration_contents.add_item(
        session=db,
        claim=claim,
        description="Meuble sous évier",
        category="furniture",
        purchase_date="",
        purchase_price="",
        estimate_text="349,50 €",
        today=TODAY,
    )
    assert first.purchase_date == date(2022, 3, 15) and first.purchase_price_cents == 180_000
    assert first.estimate_cents == 145_050
    assert claim.declared_total_cents == 180_000
    assert declaration_queries.declared_total(session=db, claim_id=claim.id) == 180_000
    declaration_contents.items_done(session=db, claim=claim)
    photo = declaration_contents.add_file(
        session=db, claim=claim, data=jpeg_bytes(), filename="cuisine.jpg"
    )
    quote = declaration_contents.add_file(
        session=db, claim=claim, data=pdf_bytes("Devis plombier"), filename="devis.pdf"
    )
    assert (photo.kind, photo.mime_type) == (ClaimFileKind.PHOTO, "image/jpeg")
    # Left on "Détecter": recognised as a quote by its text (issue 21).
    assert (quote.kind, quote.mime_type) == (ClaimFileKind.QUOTE, "application/pdf")
    declaration_contents.files_done(session=db, claim=claim)
    assert claim.draft_step == declaration.STEP_SUMMARY
    assert declaration_sending.missing_steps(session=db, claim=claim) == {}

    estimate = declaration_queries.estimate(session=db, claim=claim)
    assert estimate.covered and estimate.guarantee == "Dégâts des eaux et gel"
    assert (
        estimate.damage_cents,
        estimate.ceiling_cents,
        estimate.deductible_cents,
        estimate.indemnity_cents,
    ) == (180_000, 1_500_000, 15_000, 165_000)

    sent = declaration_sending.submit(session=db, claim=claim, now=NOW)

    match = NUMBER.match(claim.number)
    assert match and match.group(1) == "2026"
    assert claim.status == S.RECEIVED and claim.submitted_at == NOW
    assert claim.estimate["indemnity_cents"] == 165_000 and claim.declared_total_cents == 180_000
    assert claim.declaration_deadline == date(
        2026, 11, 16
    )  # Sunday 8 + 5 working days, 11 November skipped
    assert claim.late_declaration is False and claim.express is False and sent.express is False
    # Received on Monday 9: the handler answers within 2 working days (Wednesday 11 is a holiday).
    due = _paris(date(2026, 11, 12))
    assert sent.due_at == due and claim.next_step_due_at == due
    assert sent.next_step.endswith("Au plus tard le 12/11/2026.")

    events = stages.events(session=db, claim_id=claim.id)
    assert [e.kind for e in events] == [S.RECEIVED]
    assert events[0].next_step == sent.next_step and events[0].due_at == due
    assert fmt.money(165_000) in events[0].detail and "Dégât des eaux".lower() in events[0].detail

    handler = db.get(StaffUser, claim.handler_id)
    assert handler is not None and handler.role == "handler" and handler.is_active

    mails = db.exec(select(OutboxMessage).where(OutboxMessage.account_id == account.id)).all()
    assert len(mails) == 1
    mail = mails[0]
    assert mail.recipient == account.email and mail.channel == "email" and mail.category == "claims"
    assert claim.number in mail.subject and claim.number in mail.body
    assert re.search(rf"https?://\S+{re.escape(routes.CLAIM)}\?n={claim.number}", mail.body)

    notices = db.exec(select(Notification).where(Notification.holder_id == person.id)).all()
    assert len(notices) == 1
    assert notices[0].category == "claims" and claim.number in notices[0].title
    assert notices[0].link == f"{routes.CLAIM}?n={claim.number}" and notices[0].read_at is None

    # Files are private, under the test data directory.
    for record in (photo, quote):
        path = storage.root() / record.storage_key
        assert path.is_file() and path.is_relative_to(test_tmp)
        assert ".web" not in path.parts and "uploaded_files" not in path.parts
        assert storage.get(record.storage_key)[:4] in (b"\xff\xd8\xff\xe0", b"%PDF")

    assert declaration_queries.list_claims(session=db, holder_id=person.id) == [claim]
    assert (
        declaration_queries.owned_claim(
            session=db, holder_id=person.id, number=claim.number.lower()
        )
        is claim
    )
    assert (
        declaration_queries.owned_draft(session=db, holder_id=person.id, claim_id=claim.id) is None
    )


def test_numbers_increase_across_holders(db):
    first = _sent_claim(db)
    second = _sent_claim(db)
    third = _sent_claim(db)
    numbers = [NUMBER.match(c.number) for c in (first, second, third)]
    assert all(numbers) and {m.group(1) for m in numbers} == {"2026"}
    sequence = [int(m.group(2)) for m in numbers]
    assert sequence[1] == sequence[0] + 1 and sequence[2] == sequence[1] + 1


def test_the_number_takes_the_paris_year(db):
    new_year = datetime(2027, 1, 1, 0, 30, tzinfo=PARIS)  # still 31 December 2026 in UTC
    with time_machine.travel(new_year, tick=False):
        claim = _sent_claim(db, now=new_year)
    assert claim.number.startswith("SIN-2027-") and NUMBER.match(claim.number)
    assert _sent_claim(db).number.startswith("SIN-2026-")  # back to 9 November 2026


def test_claims_are_spread_over_the_least_busy_handlers(db):
    factories.staff(db, role="handler")
    factories.staff(db, role="handler")
    first, second = _sent_claim(db), _sent_claim(db)
    assert first.handler_id and second.handler_id and first.handler_id != second.handler_id
    roles = {db.get(StaffUser, c.handler_id).role for c in (first, second)}
    assert roles == {"handler"}


# ----- estimates ------------------------------------------------------------------------------


def _estimate(db, **draft):
    claim = _draft(db, **draft)
    shown = declaration_queries.estimate(session=db, claim=claim)
    declaration_sending.submit(session=db, claim=claim, now=NOW)
    assert claim.estimate == shown.as_dict()  # kept as it was shown
    return shown


def test_confort_water_damage_uses_the_contract_deductible(db):
    shown = _estimate(db, peril="water_damage", amounts=("2 000", "300"), deductible_cents=25_000)
    assert shown.covered
    assert (
        shown.damage_cents,
        shown.ceiling_cents,
        shown.deductible_cents,
        shown.indemnity_cents,
    ) == (230_000, 1_500_000, 25_000, 205_000)
    assert shown.explanation == (
        f"Dégâts des eaux et gel : {fmt.money(230_000)} de dommages − franchise de "
        f"{fmt.money(25_000)}, dans la limite du plafond de {fmt.money(1_500_000)} = "
        f"{fmt.money(205_000)}."
    )


@pytest.mark.parametrize(
    "amounts, indemnity",
    [
        (("300",), 22_500),
        (("4 000", "2 000"), 500_000),  # 6 000 € − 75 € capped at 5 000 €
        (("60",), 0),  # below the 75 € deductible
    ],
)
def test_confort_glass_breakage_fixed_deductible_and_ceiling(db, amounts, indemnity):
    shown = _estimate(db, peril="glass_breakage", amounts=amounts, deductible_cents=15_000)
    assert shown.covered and shown.guarantee == "Bris de glace"
    assert (shown.ceiling_cents, shown.deductible_cents, shown.indemnity_cents) == (
        500_000,
        7_500,
        indemnity,
    )


@pytest.mark.parametrize("contract_deductible", [15_000, 50_000])
def test_natural_disaster_uses_the_legal_deductible(db, contract_deductible):
    shown = _estimate(
        db, peril="natural_disaster", amounts=("4 000",), deductible_cents=contract_deductible
    )
    assert NATURAL_DISASTER_DEDUCTIBLE_CENTS == 38_000
    assert shown.covered and shown.deductible_cents == 38_000
    assert shown.indemnity_cents == 362_000


def test_essentielle_does_not_cover_theft(db):
    shown = _estimate(db, peril="theft", formula="ESSENTIELLE", amounts=("1 200",))
    assert shown.covered is False and shown.indemnity_cents == 0 and shown.guarantee == ""
    assert shown.damage_cents == 120_000
    assert "Essentielle" in shown.explanation


def test_confort_theft_is_covered(db):
    shown = _estimate(db, peril="theft", amounts=("1 200",))
    assert shown.covered and shown.indemnity_cents == 105_000


def test_no_ceiling_means_the_furniture_capital(db):
    shown = _estimate(
        db,
        peril="fire",
        amounts=("9 000", "4 000"),
        furniture_capital_cents=1_000_000,
        deductible_cents=15_000,
    )
    assert shown.ceiling_cents == 1_000_000
    assert shown.indemnity_cents == 1_000_000  # 13 000 € − 150 € capped at the 10 000 € capital


def test_other_event_leaves_the_guarantee_to_the_handler(db):
    shown = _estimate(db, peril="other", answers={}, amounts=("500",))
    assert shown.covered is False and shown.indemnity_cents == 0


# ----- validation keeps what was saved --------------------------------------------------------


def test_a_future_date_is_refused_and_the_saved_date_kept(db):
    claim = _draft(db, occurred=date(2026, 11, 7))
    before = (claim.occurred_at, claim.description)
    with pytest.raises(ClaimInputError) as error:
        declaration.set_when(
            session=db,
            claim=claim,
            day_text="10/11/2026",
            time_text="09:00",
            description="Une toute autre description.",
            now=NOW,
        )
    assert set(error.value.errors) == {"occurred_date"}
    assert "futur" in error.value.errors["occurred_date"]
    with pytest.raises(ClaimInputError) as error:  # later today is the future too
        declaration.set_when(
            session=db,
            claim=claim,
            day_text="2026-11-09",
            time_text="11:00",
            description="Une toute autre description.",
            now=NOW,
        )
    assert "occurred_date" in error.value.errors
    db.refresh(claim)
    assert (claim.occurred_at, claim.description) == before


def test_an_empty_description_is_refused(db):
    claim = _draft(db)
    before = (claim.occurred_at, claim.description)
    for description in ("", "   ", "Fuite"):
        with pytest.raises(ClaimInputError) as error:
            declaration.set_when(
                session=db,
                claim=claim,
                day_text="01/11/2026",
                time_text="",
                description=description,
                now=NOW,
            )
        assert set(error.value.errors) == {"description"}
    db.refresh(claim)
    assert (claim.occurred_at, claim.description) == before


@pytest.mark.parametrize(
    "day, time_text, field",
    [
        ("", "", "occurred_date"),
        ("32/11/2026", "", "occurred_date"),
        ("01/11/2026", "25:99", "occurred_time"),
        ("01/11/2020", "", "occurred_date"),  # more than 5 years ago
    ],
)
def test_when_errors_name_their_field(db, day, time_text, field):
    claim = _draft(db)
    with pytest.raises(ClaimInputError) as error:
        declaration.set_when(
            session=db,
            claim=claim,
            day_text=day,
            time_text=time_text,
            description="Description suffisante.",
            now=NOW,
        )
    assert field in error.value.errors


@pytest.mark.parametrize("amount", ["abc", "0", "-20", "", "2 000 000"])
def test_an_item_with_an_invalid_amount_is_refused_and_nothing_added(db, amount):
    claim = _draft(db, amounts=("120",))
    with pytest.raises(ClaimInputError) as error:
        declaration_contents.add_item(
            session=db,
            claim=claim,
            description="Télévision",
            category="appliances",
            purchase_date="",
            purchase_price="",
            estimate_text=amount,
            today=TODAY,
        )
    assert set(error.value.errors) == {"item_estimate"}
    assert len(declaration_queries.items(session=db, claim_id=claim.id)) == 1
    assert claim.declared_total_cents == 12_000


def test_item_errors(db):
    claim = _draft(db, amounts=())
    with pytest.raises(ClaimInputError) as error:
        declaration_contents.add_item(
            session=db,
            claim=claim,
            description="x",
            category="spaceship",
            purchase_date="12/12/2026",
            purchase_price="abc",
            estimate_text="100",
            today=TODAY,
        )
    assert set(error.value.errors) == {
        "item_description",
        "item_category",
        "item_purchase_date",
        "item_purchase_price",
    }
    assert declaration_queries.items(session=db, claim_id=claim.id) == []
    with pytest.raises(ClaimInputError) as error:
        declaration_contents.items_done(session=db, claim=claim)
    assert set(error.value.errors) == {"items"}


def test_removing_an_item_updates_the_total(db):
    claim = _draft(db, amounts=("100", "250,50"))
    assert claim.declared_total_cents == 35_050
    first = declaration_queries.items(session=db, claim_id=claim.id)[0]
    assert declaration_contents.remove_item(session=db, claim=claim, item_id=first.id) is True
    assert claim.declared_total_cents == 25_050
    assert declaration_contents.remove_item(session=db, claim=claim, item_id=first.id) is False


def test_submit_with_missing_steps_is_refused_by_step(db):
    person = factories.holder(db)
    contract = factories.contract(db, person)
    claim = declaration.start_draft(
        session=db, holder_id=person.id, account_id=None, contract_id=contract.id
    )
    with pytest.raises(ClaimInputError) as error:
        declaration_sending.submit(session=db, claim=claim, now=NOW)
    assert set(error.value.errors) == {
        f"step_{declaration.STEP_PERIL}",
        f"step_{declaration.STEP_WHEN}",
        f"step_{declaration.STEP_ITEMS}",
    }
    declaration.set_peril(session=db, claim=claim, peril_code="theft")
    with pytest.raises(ClaimInputError) as error:
        declaration_sending.submit(session=db, claim=claim, now=NOW)
    assert set(error.value.errors) == {
        f"step_{declaration.STEP_QUESTIONS}",
        f"step_{declaration.STEP_WHEN}",
        f"step_{declaration.STEP_ITEMS}",
    }
    assert claim.status == S.DRAFT and claim.number is None
    assert _count(db, ClaimEvent, ClaimEvent.claim_id == claim.id) == 0


def test_submitting_twice_is_refused(db):
    claim = _sent_claim(db)
    number = claim.number
    with pytest.raises(ClaimInputError) as error:
        declaration_sending.submit(session=db, claim=claim, now=NOW)
    assert set(error.value.errors) == {"claim"}
    assert claim.number == number and _events(db, claim) == [S.RECEIVED]


def test_changing_the_peril_clears_the_answers(db):
    claim = _draft(db, peril="water_damage")
    declaration.set_peril(session=db, claim=claim, peril_code="water_damage")
    assert claim.answers == ANSWERS["water_damage"]
    declaration.set_peril(session=db, claim=claim, peril_code="fire")
    assert claim.answers == {}
    with pytest.raises(ClaimInputError):
        declaration.set_peril(session=db, claim=claim, peril_code="meteorite")
    assert claim.peril == "fire"


def test_invalid_answers_are_not_saved(db):
    claim = _draft(db, peril="theft")
    with pytest.raises(ClaimInputError) as error:
        declaration.set_answers(
            session=db, claim=claim, raw={**ANSWERS["theft"], "police_report_ref": ""}, today=TODAY
        )
    assert set(error.value.errors) == {"police_report_ref"}
    assert claim.answers["police_report_ref"] == "PV-2026-0042"


def test_a_bad_geolocation_is_refused(db):
    claim = _draft(db)
    with pytest.raises(ClaimInputError) as error:
        declaration.set_location(
            session=db, claim=claim, kind="geolocation", latitude=120.0, longitude=2.0
        )
    assert set(error.value.errors) == {"location"}
    assert claim.location_kind == "property" and claim.latitude is None


# ----- late declarations ----------------------------------------------------------------------


def test_a_late_theft_is_flagged_and_still_accepted(db):
    claim = _sent_claim(db, peril="theft", occurred=TODAY - timedelta(days=10))
    assert claim.status == S.RECEIVED and claim.number
    assert claim.late_declaration is True
    # Friday 30 October + 2 working days (weekend, Toussaint on the Sunday) = Tuesday 3 November.
    assert claim.declaration_deadline == date(2026, 11, 3)
    found = declaration_queries.deadline_for(claim, today=TODAY)
    assert found.late and "L113-2" in found.consequence


def test_a_theft_declared_in_time_is_not_late(db):
    claim = _sent_claim(db, peril="theft", occurred=date(2026, 11, 6))  # Friday: due Tuesday 10
    assert claim.declaration_deadline == date(2026, 11, 10) and claim.late_declaration is False


def test_natural_disaster_deadline_follows_the_order(db):
    answers = {
        "event_type": "flood",
        "order_published": "yes",
        "order_reference": "INTE2630000A",
        "order_date": "01/10/2026",
    }
    claim = _sent_claim(db, peril="natural_disaster", answers=answers, occurred=date(2026, 9, 1))
    assert claim.declaration_deadline == date(2026, 10, 31) and claim.late_declaration is True
    unpublished = _sent_claim(db, peril="natural_disaster", occurred=date(2026, 9, 1))
    assert unpublished.declaration_deadline is None and unpublished.late_declaration is False


# ----- uploads --------------------------------------------------------------------------------


def test_an_executable_renamed_jpg_is_refused(db):
    claim = _draft(db)
    before = _stored_files()
    exe = (
        b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00"
        + b"\x00" * 48
        + b"PE\x00\x00"
        + b"\x00" * 400
    )
    with pytest.raises(UploadRejected) as error:
        declaration_contents.add_file(session=db, claim=claim, data=exe, filename="photo.jpg")
    assert "photo.jpg" in error.value.message
    assert (
        declaration_queries.files(session=db, claim_id=claim.id) == [] and _stored_files() == before
    )


def test_a_file_over_10_mb_is_refused(db):
    claim = _draft(db)
    before = _stored_files()
    big = jpeg_bytes() + b"\x00" * (11 * 1024 * 1024)
    with pytest.raises(UploadRejected) as error:
        declaration_contents.add_file(session=db, claim=claim, data=big, filename="grande.jpg")
    assert "10 Mo" in error.value.message
    assert (
        declaration_queries.files(session=db, claim_id=claim.id) == [] and _stored_files() == before
    )


def test_the_21st_file_is_refused(db):
    claim = _draft(db)
    photo, document = jpeg_bytes((64, 48)), pdf_bytes()
    for index in range(20):
        declaration_contents.add_file(
            session=db, claim=claim, data=photo if index % 2 else document, filename=f"f{index}.bin"
        )
    assert len(declaration_queries.files(session=db, claim_id=claim.id)) == 20
    before = _stored_files()
    with pytest.raises(UploadRejected) as error:
        declaration_contents.add_file(
            session=db, claim=claim, data=photo, filename="vingt-et-un.jpg"
        )
    assert "20 fichiers" in error.value.message
    assert (
        len(declaration_queries.files(session=db, claim_id=claim.id)) == 20
        and _stored_files() == before
    )


def test_photos_get_a_thumbnail_and_pdfs_none(db, test_tmp):
    claim = _draft(db)
    photo = declaration_contents.add_file(
        session=db, claim=claim, data=jpeg_bytes((1600, 1200)), filename="salon.JPG"
    )
    document = declaration_contents.add_file(
        session=db, claim=claim, data=pdf_bytes(), filename="facture.pdf", kind="invoice"
    )
    assert (
        photo.thumbnail_key
        and storage.exists(photo.thumbnail_key)
        and photo.thumbnail_key != photo.storage_key
    )
    with Image.open(io.BytesIO(storage.get(photo.thumbnail_key))) as thumb:
        assert thumb.format == "JPEG" and max(thumb.size) == 320
    assert document.thumbnail_key == "" and document.kind == ClaimFileKind.INVOICE
    for record in (photo, document):
        assert storage.exists(record.storage_key)
        path = (storage.root() / record.storage_key).resolve()
        assert path.is_relative_to(test_tmp.resolve())
        assert not {".web", "uploaded_files"} & set(path.parts)
    assert photo.size_bytes == len(storage.get(photo.storage_key)) and len(photo.sha256) == 64


def test_documents_added_after_sending_are_dated(db):
    claim = _sent_claim(db)
    record = declaration_contents.add_document(
        session=db, claim=claim, data=pdf_bytes(), filename="facture.pdf"
    )
    assert record.claim_id == claim.id
    assert _events(db, claim) == [S.RECEIVED, "documents_added"]
    assert claim.status == S.RECEIVED


# ----- express settlement ---------------------------------------------------------------------

INVOICE = (
    pdf_bytes("Facture vitrier : 300 EUR"),
    "facture.pdf",
    "invoice",
)  # typed "Facture" by the holder


def test_express_settlement_for_a_small_glass_breakage_with_an_invoice(db):
    person = factories.holder(db)
    claim = _draft(db, person, peril="glass_breakage", amounts=("300",))
    declaration_contents.add_file(
        session=db, claim=claim, data=INVOICE[0], filename=INVOICE[1], kind=INVOICE[2]
    )
    sent = declaration_sending.submit(session=db, claim=claim, now=NOW)
    assert sent.express is True and claim.express is True and claim.express_reason
    assert claim.status == S.INDEMNITY_COMPUTED
    assert (
        claim.assessed_damage_cents,
        claim.ceiling_cents,
        claim.deductible_cents,
        claim.indemnity_cents,
    ) == (30_000, 500_000, 7_500, 22_500)
    assert _events(db, claim) == [S.RECEIVED, "express"]
    due = _paris(date(2026, 11, 13))  # 3 working days, 11 November skipped
    assert sent.due_at == due and claim.next_step_due_at == due
    assert _count(db, Notification, Notification.holder_id == person.id) == 2
    steps = stages.tracker(claim=claim, history=stages.events(session=db, claim_id=claim.id))
    assert [s.state for s in steps] == [
        "done",
        "skipped",
        "skipped",
        "skipped",
        "current",
        "upcoming",
        "upcoming",
    ]


def test_no_express_with_another_claim_on_the_contract_within_12_months(db):
    person = factories.holder(db)
    contract = factories.contract(db, person)
    _sent_claim(
        db,
        person,
        contract,
        peril="water_damage",
        now=NOW - timedelta(days=300),
        occurred=date(2026, 1, 10),
    )
    claim = _sent_claim(
        db, person, contract, peril="glass_breakage", amounts=("300",), files=[INVOICE]
    )
    assert claim.express is False and claim.status == S.RECEIVED and claim.indemnity_cents is None
    assert _events(db, claim) == [S.RECEIVED]


def test_express_when_the_previous_claim_is_older_than_12_months(db):
    person = factories.holder(db)
    contract = factories.contract(db, person)
    old = _sent_claim(
        db,
        person,
        contract,
        peril="water_damage",
        now=NOW - timedelta(days=400),
        occurred=date(2025, 10, 1),
    )
    assert old.number.startswith("SIN-2025-")
    claim = _sent_claim(
        db, person, contract, peril="glass_breakage", amounts=("300",), files=[INVOICE]
    )
    assert claim.express is True and claim.indemnity_cents == 22_500


def test_a_claim_on_another_contract_does_not_prevent_express(db):
    person = factories.holder(db)
    _sent_claim(db, person, peril="water_damage")
    claim = _sent_claim(db, person, peril="glass_breakage", amounts=("300",), files=[INVOICE])
    assert claim.express is True


def test_no_express_without_a_document(db):
    claim = _sent_claim(
        db, peril="glass_breakage", amounts=("300",), files=[(jpeg_bytes(), "vitre.jpg")]
    )
    assert claim.express is False and claim.status == S.RECEIVED and claim.express_reason == ""


def test_no_express_when_the_pdf_is_neither_an_invoice_nor_a_quote(db):
    letter = (pdf_bytes("Attestation de votre voisin : la vitre est cassée"), "lettre.pdf")
    claim = _sent_claim(db, peril="glass_breakage", amounts=("300",), files=[letter])
    assert claim.express is False


def test_an_invoice_left_on_detect_is_recognised_and_settles_express(db):
    """Issue 21's audit: the same invoice uploaded on "Détecter" (no type) got no express
    settlement; it is now recognised by its text, with the amount found."""
    claim = _sent_claim(db, peril="glass_breakage", amounts=("300",), files=[INVOICE[:2]])
    record = declaration_queries.files(session=db, claim_id=claim.id)[0]
    assert record.kind == "invoice" and record.detected_amount_cents == 30_000
    assert claim.express is True and claim.indemnity_cents == 22_500


@pytest.mark.parametrize(
    "amounts, express", [(("1 000",), True), (("1 000,01",), False), (("700", "500"), False)]
)
def test_no_express_above_1000_euros(db, amounts, express):
    claim = _sent_claim(db, peril="glass_breakage", amounts=amounts, files=[INVOICE])
    assert claim.express is express
    assert claim.status == (S.INDEMNITY_COMPUTED if express else S.RECEIVED)
    if express:
        assert claim.indemnity_cents == 92_500


def test_no_express_for_a_late_glass_declaration(db):
    claim = _sent_claim(
        db, peril="glass_breakage", amounts=("300",), files=[INVOICE], occurred=date(2026, 10, 20)
    )
    assert claim.late_declaration is True and claim.express is False


def test_no_express_for_other_perils(db):
    claim = _sent_claim(db, peril="water_damage", amounts=("300",), files=[INVOICE])
    assert claim.express is False and claim.status == S.RECEIVED


# ----- ownership ------------------------------------------------------------------------------


def test_another_holder_gets_nothing(db):
    alice, bob = factories.holder(db), factories.holder(db)
    alice_contract = factories.contract(db, alice)
    factories.contract(db, bob)
    sent = _sent_claim(db, alice, alice_contract, files=[(jpeg_bytes(), "a.jpg")])
    draft = _draft(db, alice, alice_contract)
    file_id = declaration_queries.files(session=db, claim_id=sent.id)[0].id

    assert declaration_queries.owned_claim(session=db, holder_id=alice.id, claim_id=sent.id) is sent
    assert (
        declaration_queries.file_for_holder(session=db, holder_id=alice.id, file_id=file_id)
        is not None
    )
    assert (
        declaration_queries.owned_draft(session=db, holder_id=alice.id, claim_id=draft.id) is draft
    )

    assert declaration_queries.owned_claim(session=db, holder_id=bob.id, claim_id=sent.id) is None
    assert declaration_queries.owned_claim(session=db, holder_id=bob.id, number=sent.number) is None
    assert declaration_queries.owned_claim(session=db, holder_id=bob.id) is None
    assert declaration_queries.owned_draft(session=db, holder_id=bob.id, claim_id=draft.id) is None
    assert (
        declaration_queries.file_for_holder(session=db, holder_id=bob.id, file_id=file_id) is None
    )
    assert declaration_queries.list_claims(session=db, holder_id=bob.id) == []

    with pytest.raises(ClaimInputError) as error:
        declaration.start_draft(
            session=db, holder_id=bob.id, account_id=None, contract_id=alice_contract.id
        )
    assert set(error.value.errors) == {"contract"}
    with pytest.raises(ClaimInputError):
        declaration.set_contract(
            session=db, claim=draft, contract_id=factories.contract(db, bob).id
        )
    assert draft.contract_id == alice_contract.id

    notice = db.exec(select(Notification).where(Notification.holder_id == alice.id)).first()
    assert notifications.mark_read(session=db, holder_id=bob.id, notification_id=notice.id) is None
    db.flush()
    db.refresh(notice)
    assert notice.read_at is None
    assert notifications.mark_all_read(session=db, holder_id=bob.id) == 0
    assert notifications.unread_count(session=db, holder_id=alice.id) == 1


def test_terminated_contracts_cannot_be_declared_on(db):
    person = factories.holder(db)
    contract = factories.contract(db, person, status="terminated")
    with pytest.raises(ClaimInputError):
        declaration.start_draft(
            session=db, holder_id=person.id, account_id=None, contract_id=contract.id
        )
    assert declaration_queries.eligible_contracts(session=db, holder_id=person.id) == []


# ----- the staff back office ------------------------------------------------------------------


@pytest.fixture
def team(db):
    return {role: factories.staff(db, role=role) for role in ("handler", "expert", "manager")}


def _audit(db, claim) -> list[tuple[int, str]]:
    rows = db.exec(
        select(StaffAuditLog)
        .where(StaffAuditLog.object_type == "claim", StaffAuditLog.object_id == claim.id)
        .order_by(StaffAuditLog.id)
    ).all()
    return [(row.staff_id, row.action) for row in rows]


def test_the_main_path_through_the_back_office(db, team):
    handler, expert, manager = team["handler"], team["expert"], team["manager"]
    claim = _sent_claim(db, peril="water_damage", amounts=("3 000",))

    workflow_assessment.appoint_expert(
        session=db, staff_id=handler.id, claim_id=claim.id, expert_id=expert.id
    )
    assert claim.status == S.EXPERT_APPOINTED and claim.expert_id == expert.id
    workflow_assessment.plan_visit(
        session=db,
        staff_id=expert.id,
        claim_id=claim.id,
        day_text="16/11/2026",
        time_text="14:30",
        note="Sonner à l'interphone",
    )
    assert claim.status == S.VISIT_PLANNED
    assert claim.visit_at == datetime(2026, 11, 16, 14, 30, tzinfo=PARIS)
    assert claim.next_step_due_at == claim.visit_at
    workflow_assessment.attach_report(
        session=db,
        staff_id=expert.id,
        claim_id=claim.id,
        data=pdf_bytes("Rapport"),
        filename="rapport.pdf",
        summary="Dégâts confirmés sur le parquet et le meuble.",
    )
    assert claim.status == S.EXPERT_REPORT
    report = declaration_queries.files(session=db, claim_id=claim.id)[-1]
    assert report.kind == ClaimFileKind.EXPERT_REPORT and report.uploaded_by_staff_id == expert.id

    result = workflow_assessment.assess(
        session=db, staff_id=expert.id, claim_id=claim.id, damage_text="2 450,00"
    )
    assert (
        result.damage_cents,
        result.ceiling_cents,
        result.deductible_cents,
        result.indemnity_cents,
    ) == (245_000, 1_500_000, 15_000, 230_000)
    assert (
        claim.assessed_damage_cents,
        claim.ceiling_cents,
        claim.deductible_cents,
        claim.indemnity_cents,
    ) == (245_000, 1_500_000, 15_000, 230_000)
    assert claim.status == S.INDEMNITY_COMPUTED and claim.guarantee_category == ""

    with pytest.raises(StaffForbidden):
        workflow_assessment.record_payment(session=db, staff_id=expert.id, claim_id=claim.id)
    workflow_assessment.record_payment(session=db, staff_id=handler.id, claim_id=claim.id)
    assert claim.status == S.PAYMENT_SENT and claim.payment_reference == f"VIR-{claim.number}"
    assert claim.paid_at == NOW
    advice = declaration_queries.files(session=db, claim_id=claim.id)[
        -1
    ]  # the settlement advice, as the payment proof
    assert advice.kind == ClaimFileKind.PAYMENT_PROOF and advice.mime_type == "application/pdf"
    advice_text = " ".join(
        PdfReader(io.BytesIO(storage.get(advice.storage_key))).pages[0].extract_text().split()
    )
    assert claim.number in advice_text and "2 300,00 €" in advice_text.replace(
        "\u202f", " "
    ).replace("\xa0", " ")
    assert f"VIR-{claim.number}" in advice_text
    workflow.close(session=db, staff_id=handler.id, claim_id=claim.id)
    assert claim.status == S.CLOSED and claim.closed_at == NOW and claim.next_step_due_at is None

    with pytest.raises(StaffForbidden):
        workflow.reopen(
            session=db, staff_id=handler.id, claim_id=claim.id, reason="Nouvelle facture reçue."
        )
    assert claim.status == S.CLOSED
    workflow.reopen(
        session=db, staff_id=manager.id, claim_id=claim.id, reason="Nouvelle facture reçue."
    )
    assert claim.status == S.RECEIVED and claim.closed_at is None
    assert claim.next_step_due_at == _paris(date(2026, 11, 12))

    assert _events(db, claim) == [
        S.RECEIVED,
        S.EXPERT_APPOINTED,
        S.VISIT_PLANNED,
        S.EXPERT_REPORT,
        S.INDEMNITY_COMPUTED,
        S.PAYMENT_SENT,
        S.CLOSED,
        "reopened",
    ]
    staff_ids = [e.staff_id for e in stages.events(session=db, claim_id=claim.id)]
    assert staff_ids == [
        None,
        handler.id,
        expert.id,
        expert.id,
        expert.id,
        handler.id,
        handler.id,
        manager.id,
    ]
    assert _audit(db, claim) == [
        (handler.id, "appoint_expert"),
        (expert.id, "plan_visit"),
        (expert.id, "attach_report"),
        (expert.id, "assess"),
        (handler.id, "record_payment"),
        (handler.id, "close"),
        (manager.id, "reopen"),
    ]
    logged = workflow_views.audit_log(session=db, staff_id=manager.id, claim_id=claim.id)
    assert len(logged) == 7 and logged[0][1] == manager.full_name
    assert workflow_views.audit_log(session=db, staff_id=handler.id, claim_id=claim.id) == []
    # every stage told the holder
    assert _count(db, Notification, Notification.holder_id == claim.holder_id) == 8


def test_experts_only_see_and_act_on_their_own_claims(db, team):
    handler, expert = team["handler"], team["expert"]
    other_expert = factories.staff(db, role="expert")
    mine, theirs, unassigned = _sent_claim(db), _sent_claim(db), _sent_claim(db)
    workflow_assessment.appoint_expert(
        session=db, staff_id=handler.id, claim_id=mine.id, expert_id=expert.id
    )
    workflow_assessment.appoint_expert(
        session=db, staff_id=handler.id, claim_id=theirs.id, expert_id=other_expert.id
    )

    assert workflow_views.visible_claim(session=db, staff_id=expert.id, number=mine.number) is mine
    assert (
        workflow_views.visible_claim(session=db, staff_id=expert.id, number=theirs.number) is None
    )
    assert (
        workflow_views.visible_claim(session=db, staff_id=expert.id, number=unassigned.number)
        is None
    )
    assert (
        workflow_views.visible_claim(session=db, staff_id=handler.id, number=unassigned.number)
        is unassigned
    )
    rows = workflow_views.queue(session=db, staff_id=expert.id)
    assert [row.number for row in rows] == [mine.number]

    for claim in (theirs, unassigned):
        with pytest.raises(StaffForbidden):
            workflow_assessment.plan_visit(
                session=db,
                staff_id=expert.id,
                claim_id=claim.id,
                day_text="16/11/2026",
                time_text="10:00",
            )
    assert theirs.status == S.EXPERT_APPOINTED and theirs.visit_at is None
    own_file = declaration_contents.add_document(
        session=db, claim=theirs, data=pdf_bytes(), filename="x.pdf"
    )
    assert (
        workflow_views.file_for_staff(session=db, staff_id=expert.id, file_id=own_file.id) is None
    )
    assert (
        workflow_views.file_for_staff(session=db, staff_id=other_expert.id, file_id=own_file.id)
        is own_file
    )
    assert _audit(db, theirs) == [(handler.id, "appoint_expert")]


def test_expert_permissions(db, team):
    handler, expert = team["handler"], team["expert"]
    claim = _sent_claim(db)
    workflow_assessment.appoint_expert(
        session=db, staff_id=handler.id, claim_id=claim.id, expert_id=expert.id
    )
    for action in (
        lambda: workflow_assessment.record_payment(
            session=db, staff_id=expert.id, claim_id=claim.id
        ),
        lambda: workflow.refuse(session=db, staff_id=expert.id, claim_id=claim.id, reason="x" * 40),
        lambda: workflow.request_documents(
            session=db, staff_id=expert.id, claim_id=claim.id, what="Factures"
        ),
        lambda: workflow.reply(session=db, staff_id=expert.id, claim_id=claim.id, body="Bonjour"),
        lambda: workflow_assessment.appoint_expert(
            session=db, staff_id=expert.id, claim_id=claim.id, expert_id=expert.id
        ),
        lambda: workflow.close(session=db, staff_id=expert.id, claim_id=claim.id),
        lambda: workflow_assessment.assess(
            session=db, staff_id=expert.id, claim_id=claim.id, damage_text="100"
        ),  # before visit
    ):
        with pytest.raises(StaffForbidden):
            action()
    assert (
        claim.status == S.EXPERT_APPOINTED
        and claim.refusal_reason == ""
        and claim.indemnity_cents is None
    )
    assert _audit(db, claim) == [(handler.id, "appoint_expert")]


def test_handlers_take_claims_only_for_themselves(db, team):
    handler, manager = team["handler"], team["manager"]
    other = factories.staff(db, role="handler")
    claim = _sent_claim(db)
    with pytest.raises(StaffForbidden):
        workflow.assign_handler(
            session=db, staff_id=handler.id, claim_id=claim.id, handler_id=other.id
        )
    workflow.assign_handler(
        session=db, staff_id=handler.id, claim_id=claim.id, handler_id=handler.id
    )
    assert claim.handler_id == handler.id
    workflow.assign_handler(session=db, staff_id=manager.id, claim_id=claim.id, handler_id=other.id)
    assert claim.handler_id == other.id
    with pytest.raises(ClaimInputError):
        workflow.assign_handler(
            session=db, staff_id=manager.id, claim_id=claim.id, handler_id=team["expert"].id
        )
    assert _audit(db, claim) == [(handler.id, "assign_handler"), (manager.id, "assign_handler")]


def test_inactive_staff_and_drafts_are_out_of_reach(db, team):
    handler = team["handler"]
    draft = _draft(db)
    with pytest.raises(StaffForbidden):
        workflow.request_documents(
            session=db, staff_id=handler.id, claim_id=draft.id, what="Factures"
        )
    assert all(row.id != draft.id for row in workflow_views.queue(session=db, staff_id=handler.id))
    handler.is_active = False
    db.add(handler)
    with pytest.raises(StaffForbidden):
        workflow_views.queue(session=db, staff_id=handler.id)


def test_transitions_are_checked(db, team):
    handler, expert = team["handler"], team["expert"]
    claim = _sent_claim(db)
    with pytest.raises(ClaimInputError) as error:
        workflow_assessment.plan_visit(
            session=db,
            staff_id=handler.id,
            claim_id=claim.id,
            day_text="16/11/2026",
            time_text="10:00",
        )
    assert set(error.value.errors) == {"action"}
    with pytest.raises(ClaimInputError) as error:
        workflow_assessment.record_payment(session=db, staff_id=handler.id, claim_id=claim.id)
    assert set(error.value.errors) == {"action"}
    with pytest.raises(ClaimInputError):
        workflow.close(session=db, staff_id=handler.id, claim_id=claim.id)
    with pytest.raises(ClaimInputError):
        workflow_assessment.attach_report(
            session=db,
            staff_id=team["manager"].id,
            claim_id=claim.id,
            data=pdf_bytes(),
            filename="r.pdf",
            summary="Rapport complet de l'expert.",
        )
    assert claim.status == S.RECEIVED and claim.paid_at is None

    workflow_assessment.appoint_expert(
        session=db, staff_id=handler.id, claim_id=claim.id, expert_id=expert.id
    )
    for day_text, time_text, now in (
        ("09/11/2026", "09:59", None),  # earlier today
        ("06/11/2026", "10:00", None),
        ("16/11/2026", "10:00", NOW + timedelta(days=8)),
    ):
        with pytest.raises(ClaimInputError) as error:
            workflow_assessment.plan_visit(
                session=db,
                staff_id=expert.id,
                claim_id=claim.id,
                day_text=day_text,
                time_text=time_text,
                now=now,
            )
        assert set(error.value.errors) == {"visit_date"}
    with pytest.raises(ClaimInputError) as error:
        workflow_assessment.plan_visit(
            session=db,
            staff_id=expert.id,
            claim_id=claim.id,
            day_text="01/03/2027",
            time_text="10:00",
        )
    assert set(error.value.errors) == {"visit_date"}  # more than 90 days ahead
    with pytest.raises(ClaimInputError) as error:
        workflow_assessment.plan_visit(
            session=db, staff_id=expert.id, claim_id=claim.id, day_text="demain", time_text="dix"
        )
    assert set(error.value.errors) == {"visit_date", "visit_time"}
    assert claim.status == S.EXPERT_APPOINTED and claim.visit_at is None
    assert _audit(db, claim) == [(handler.id, "appoint_expert")]


@pytest.mark.parametrize(
    "peril, damage, ceiling, deductible, indemnity",
    [
        ("glass_breakage", "6 000", 500_000, 7_500, 500_000),
        ("glass_breakage", "50", 500_000, 7_500, 0),
        ("glass_breakage", "480,20", 500_000, 7_500, 40_520),
        ("natural_disaster", "10 000", 1_500_000, 38_000, 962_000),
        ("theft", "20 000", 1_500_000, 15_000, 1_500_000),
    ],
)
def test_assess_computes_the_indemnity(db, team, peril, damage, ceiling, deductible, indemnity):
    handler = team["handler"]
    claim = _sent_claim(db, peril=peril, amounts=("300",))  # no document: never express
    result = workflow_assessment.assess(
        session=db, staff_id=handler.id, claim_id=claim.id, damage_text=damage
    )
    assert (result.ceiling_cents, result.deductible_cents, result.indemnity_cents) == (
        ceiling,
        deductible,
        indemnity,
    )
    assert (claim.ceiling_cents, claim.deductible_cents, claim.indemnity_cents) == (
        ceiling,
        deductible,
        indemnity,
    )
    assert (
        claim.assessed_damage_cents == result.damage_cents and claim.status == S.INDEMNITY_COMPUTED
    )
    assert _audit(db, claim) == [(handler.id, "assess")]
    event = stages.events(session=db, claim_id=claim.id)[-1]
    assert event.kind == S.INDEMNITY_COMPUTED and event.staff_id == handler.id


def test_assess_refuses_bad_amounts_and_uncovered_events(db, team):
    handler = team["handler"]
    claim = _sent_claim(db, peril="other", answers={})
    for text in ("abc", "-10", ""):
        with pytest.raises(ClaimInputError) as error:
            workflow_assessment.assess(
                session=db, staff_id=handler.id, claim_id=claim.id, damage_text=text
            )
        assert set(error.value.errors) == {"damage"}
    with pytest.raises(ClaimInputError):
        workflow_assessment.assess(
            session=db, staff_id=handler.id, claim_id=claim.id, damage_text="800"
        )
    assert claim.indemnity_cents is None and claim.status == S.RECEIVED
    # the handler chooses the guarantee for an "other" event
    result = workflow_assessment.assess(
        session=db,
        staff_id=handler.id,
        claim_id=claim.id,
        damage_text="800",
        category="glass_breakage",
    )
    assert result.indemnity_cents == 72_500 and claim.guarantee_category == "glass_breakage"
    assert _audit(db, claim) == [(handler.id, "assess")]


def test_refusal_needs_a_reason_of_20_characters(db, team):
    handler = team["handler"]
    claim = _sent_claim(db)
    with pytest.raises(ClaimInputError) as error:
        workflow.refuse(
            session=db, staff_id=handler.id, claim_id=claim.id, reason="  Non garanti.       "
        )
    assert set(error.value.errors) == {"refusal"}
    assert claim.status == S.RECEIVED and _audit(db, claim) == []
    reason = "Les infiltrations par les façades sont exclues (art. 6)."
    workflow.refuse(session=db, staff_id=handler.id, claim_id=claim.id, reason=reason)
    assert claim.status == S.REFUSED and claim.refusal_reason == reason
    assert claim.closed_at == NOW and claim.next_step_due_at is None
    assert _audit(db, claim) == [(handler.id, "refuse")]
    event = stages.events(session=db, claim_id=claim.id)[-1]
    assert event.kind == S.REFUSED and reason in event.detail
    with pytest.raises(ClaimInputError):
        workflow.refuse(session=db, staff_id=handler.id, claim_id=claim.id, reason=reason)
    steps = stages.tracker(claim=claim, history=stages.events(session=db, claim_id=claim.id))
    assert [(s.kind, s.state) for s in steps] == [(S.RECEIVED, "done"), (S.REFUSED, "current")]


def test_reopening_a_refused_claim(db, team):
    handler, manager = team["handler"], team["manager"]
    claim = _sent_claim(db)
    with pytest.raises(ClaimInputError):  # only closed or refused claims reopen
        workflow.reopen(
            session=db, staff_id=manager.id, claim_id=claim.id, reason="Pour voir ce qui se passe."
        )
    workflow.refuse(
        session=db, staff_id=handler.id, claim_id=claim.id, reason="Sinistre antérieur au contrat."
    )
    with pytest.raises(ClaimInputError) as error:
        workflow.reopen(session=db, staff_id=manager.id, claim_id=claim.id, reason="Court")
    assert set(error.value.errors) == {"reopen"}
    workflow.reopen(
        session=db, staff_id=manager.id, claim_id=claim.id, reason="L'assuré a prouvé la date."
    )
    assert claim.status == S.RECEIVED and claim.closed_at is None
    assert _events(db, claim) == [S.RECEIVED, S.REFUSED, "reopened"]
    assert _audit(db, claim) == [(handler.id, "refuse"), (manager.id, "reopen")]


def test_request_documents(db, team):
    handler = team["handler"]
    claim = _sent_claim(db)
    with pytest.raises(ClaimInputError):
        workflow.request_documents(session=db, staff_id=handler.id, claim_id=claim.id, what="RIB")
    workflow.request_documents(
        session=db, staff_id=handler.id, claim_id=claim.id, what="Facture d'achat du meuble"
    )
    assert (
        claim.status == S.DOCUMENTS_REQUESTED
        and claim.requested_documents == "Facture d'achat du meuble"
    )
    assert claim.next_step_due_at == _paris(
        date(2026, 11, 24)
    )  # 10 working days, 11 November skipped
    assert _audit(db, claim) == [(handler.id, "request_documents")]


def test_a_reply_notifies_the_holder_without_copying_the_message(db, team):
    handler = team["handler"]
    person = factories.holder(db)
    account = factories.account_of(db, person)
    claim = _sent_claim(db, person)
    secret = "Le code du portail est 4521, l'expert passe mardi."
    workflow.reply(session=db, staff_id=handler.id, claim_id=claim.id, body=f"  {secret}  ")

    message = declaration_queries.messages(session=db, claim_id=claim.id)[-1]
    assert message.body == secret and message.staff_id == handler.id and message.read_at is None
    notice = db.exec(
        select(Notification)
        .where(Notification.holder_id == person.id)
        .order_by(Notification.id.desc())
    ).first()
    assert notice.category == "claims" and claim.number in notice.title
    assert notice.link == f"{routes.CLAIM}?n={claim.number}"
    mail = db.exec(
        select(OutboxMessage)
        .where(OutboxMessage.account_id == account.id)
        .order_by(OutboxMessage.id.desc())
    ).first()
    assert mail.recipient == account.email and claim.number in mail.subject
    assert f"{routes.CLAIM}?n={claim.number}" in mail.body
    assert secret not in mail.body and "4521" not in mail.body
    assert _audit(db, claim) == [(handler.id, "reply")]
    declaration_contents.mark_staff_messages_read(session=db, claim=claim)
    assert message.read_at == NOW
    with pytest.raises(ClaimInputError):
        workflow.reply(session=db, staff_id=handler.id, claim_id=claim.id, body="   ")
    assert _count(db, ClaimMessage, ClaimMessage.claim_id == claim.id) == 1


def test_holder_messages_need_a_sent_claim(db):
    draft = _draft(db)
    with pytest.raises(ClaimInputError):
        declaration_contents.post_message(session=db, claim=draft, body="Bonjour")
    sent = _sent_claim(db)
    with pytest.raises(ClaimInputError):
        declaration_contents.post_message(session=db, claim=sent, body="x" * 4001)
    message = declaration_contents.post_message(
        session=db, claim=sent, body="Le plombier passe demain."
    )
    assert message.staff_id is None


def test_staff_uploads(db, team):
    handler = team["handler"]
    claim = _sent_claim(db)
    with pytest.raises(ClaimInputError):
        workflow.upload(
            session=db,
            staff_id=handler.id,
            claim_id=claim.id,
            data=pdf_bytes(),
            filename="r.pdf",
            kind="expert_report",
        )
    workflow.upload(
        session=db,
        staff_id=handler.id,
        claim_id=claim.id,
        data=pdf_bytes(),
        filename="courrier.pdf",
        kind="correspondence",
    )
    record = declaration_queries.files(session=db, claim_id=claim.id)[-1]
    assert record.kind == ClaimFileKind.CORRESPONDENCE and record.uploaded_by_staff_id == handler.id
    assert _events(db, claim) == [S.RECEIVED, "documents_added"]
    assert _audit(db, claim) == [(handler.id, "upload")]


def test_queue_filters(db, team):
    handler, expert = team["handler"], team["expert"]
    water = _sent_claim(db, peril="water_damage")
    theft = _sent_claim(db, peril="theft")
    glass = _sent_claim(db, peril="glass_breakage", amounts=("300",))
    refused = _sent_claim(db, peril="fire")
    _draft(db)  # drafts never show
    workflow.refuse(
        session=db,
        staff_id=handler.id,
        claim_id=refused.id,
        reason="Exclusion : défaut d'entretien connu.",
    )
    workflow_assessment.appoint_expert(
        session=db, staff_id=handler.id, claim_id=theft.id, expert_id=expert.id
    )
    ours = {water.number, theft.number, glass.number, refused.number}

    def numbers(staff=handler, now=None, **filters):
        rows = workflow_views.queue(
            session=db, staff_id=staff.id, filters=QueueFilters(**filters), now=now
        )
        return {row.number for row in rows} & ours

    assert numbers() == ours
    assert numbers(status="open") == {water.number, theft.number, glass.number}
    assert numbers(status="refused") == {refused.number}
    assert numbers(status=S.EXPERT_APPOINTED) == {theft.number}
    assert numbers(peril="theft") == {theft.number}
    assert numbers(peril="glass_breakage") == {glass.number}
    assert numbers(peril="meteorite") == ours  # an unknown filter value is ignored
    # Nothing is late today; received claims are due Thursday 12, the expert's call Tuesday 17.
    assert numbers(late_only=True) == set()
    assert numbers(late_only=True, now=NOW + timedelta(days=4)) == {water.number, glass.number}
    assert numbers(late_only=True, now=NOW + timedelta(days=30)) == {
        water.number,
        theft.number,
        glass.number,
    }
    assert numbers(age="lt7") == ours and numbers(age="gt30") == set()
    assert numbers(age="gt30", now=NOW + timedelta(days=31)) == ours
    assert numbers(staff=expert) == {theft.number}
    assert numbers(staff=expert, peril="water_damage") == set()

    rows = {
        row.number: row
        for row in workflow_views.queue(
            session=db, staff_id=handler.id, now=NOW + timedelta(days=4)
        )
    }
    assert rows[water.number].late is True and rows[water.number].peril == "Dégât des eaux"
    assert rows[water.number].status == "Déclaration reçue" and rows[water.number].age_days == 4
    assert rows[theft.number].expert == expert.full_name and rows[theft.number].late is False
    assert rows[refused.number].due_at is None and rows[refused.number].late is False
    assert rows[water.number].declared_cents == 230_000


def test_queue_mine_only(db, team):
    handler, manager = team["handler"], team["manager"]
    claim = _sent_claim(db)
    other = _sent_claim(db)
    workflow.assign_handler(
        session=db, staff_id=manager.id, claim_id=claim.id, handler_id=handler.id
    )
    if other.handler_id == handler.id:
        workflow.assign_handler(
            session=db, staff_id=manager.id, claim_id=other.id, handler_id=manager.id
        )
    rows = workflow_views.queue(
        session=db, staff_id=handler.id, filters=QueueFilters(mine_only=True)
    )
    assert [row.number for row in rows] == [claim.number]


# ----- notifications --------------------------------------------------------------------------


def test_unread_count_and_mark_all_read(db, team):
    person = factories.holder(db)
    claim = _sent_claim(db, person)
    assert notifications.unread_count(session=db, holder_id=person.id) == 1
    workflow_assessment.appoint_expert(
        session=db, staff_id=team["handler"].id, claim_id=claim.id, expert_id=team["expert"].id
    )
    workflow.reply(session=db, staff_id=team["handler"].id, claim_id=claim.id, body="Bonjour")
    assert notifications.unread_count(session=db, holder_id=person.id) == 3

    latest = notifications.latest(session=db, holder_id=person.id)
    assert len(latest) == 3 and all(n.category == "claims" for n in latest)
    read = notifications.mark_read(session=db, holder_id=person.id, notification_id=latest[-1].id)
    assert read is not None and read.read_at == NOW
    assert notifications.unread_count(session=db, holder_id=person.id) == 2
    assert notifications.mark_all_read(session=db, holder_id=person.id) == 2
    assert notifications.unread_count(session=db, holder_id=person.id) == 0
    assert notifications.mark_all_read(session=db, holder_id=person.id) == 0


def test_no_email_without_an_active_account(db):
    person = factories.holder(db, with_account=False)
    contract = factories.contract(db, person)
    sent = notifications.notify(
        session=db,
        holder_id=person.id,
        category="claims",
        title="Titre",
        email_body="Corps de l'e-mail",
    )
    assert sent.emailed is False and sent.notification.id
    assert notifications.unread_count(session=db, holder_id=person.id) == 1
    assert contract.holder_id == person.id


# ----- review findings: payment once, cover period, staff files, zero indemnity, e-mails ----------


def _assessed(db, *, damage="2 450,00"):
    handler, manager = factories.staff(db, role="handler"), factories.staff(db, role="manager")
    claim = _sent_claim(db)
    workflow_assessment.assess(
        session=db, staff_id=handler.id, claim_id=claim.id, damage_text=damage
    )
    return claim, handler, manager


def test_a_claim_is_paid_once_and_a_reopened_claim_only_gets_the_balance(db):
    claim, handler, manager = _assessed(db)
    workflow_assessment.record_payment(session=db, staff_id=handler.id, claim_id=claim.id)
    assert claim.paid_cents == 230_000
    with pytest.raises(ClaimInputError):  # no more documents requests or refusals once paid
        workflow.request_documents(
            session=db, staff_id=handler.id, claim_id=claim.id, what="Une facture"
        )
    with pytest.raises(ClaimInputError):
        workflow.refuse(
            session=db, staff_id=handler.id, claim_id=claim.id, reason="Motif quelconque assez long"
        )
    workflow.close(session=db, staff_id=handler.id, claim_id=claim.id)
    workflow.reopen(
        session=db, staff_id=manager.id, claim_id=claim.id, reason="Nouvelle facture du parqueteur."
    )
    workflow_assessment.assess(
        session=db, staff_id=handler.id, claim_id=claim.id, damage_text="2 450,00"
    )
    with pytest.raises(ClaimInputError, match="déjà été versée"):
        workflow_assessment.record_payment(session=db, staff_id=handler.id, claim_id=claim.id)
    workflow.close(
        session=db, staff_id=handler.id, claim_id=claim.id
    )  # nothing owed: closing is allowed
    workflow.reopen(
        session=db, staff_id=manager.id, claim_id=claim.id, reason="Dommages complémentaires."
    )
    workflow_assessment.assess(
        session=db, staff_id=handler.id, claim_id=claim.id, damage_text="2 650,00"
    )
    workflow_assessment.record_payment(session=db, staff_id=handler.id, claim_id=claim.id)
    assert claim.paid_cents == 250_000 and claim.payment_reference == f"VIR-{claim.number}-2"
    assert claim.refusal_reason == ""


def test_a_zero_indemnity_claim_can_be_closed_without_a_transfer(db):
    claim, handler, _ = _assessed(db, damage="100")
    assert claim.indemnity_cents == 0
    with pytest.raises(ClaimInputError):
        workflow_assessment.record_payment(session=db, staff_id=handler.id, claim_id=claim.id)
    workflow.close(session=db, staff_id=handler.id, claim_id=claim.id)
    assert claim.status == S.CLOSED


def test_the_event_must_fall_within_the_contract(db):
    person = factories.holder(db)
    contract = factories.contract(db, person, start_date=date(2026, 11, 6))
    claim = declaration.start_draft(
        session=db, holder_id=person.id, account_id=None, contract_id=contract.id
    )
    with pytest.raises(ClaimInputError) as refused:
        declaration.set_when(
            session=db,
            claim=claim,
            day_text="2026-11-05",
            time_text="",
            description="Vitre cassée hier soir.",
            now=NOW,
        )
    assert "a pris effet le 06/11/2026" in refused.value.errors["occurred_date"]
    assert claim.occurred_at is None


def test_staff_files_do_not_count_against_the_holders_twenty(db):
    claim, handler, _ = _assessed(db)
    for index in range(20 - len(declaration_queries.files(session=db, claim_id=claim.id))):
        declaration_contents.add_file(
            session=db, claim=claim, data=jpeg_bytes(), filename=f"p{index}.jpg"
        )
    with pytest.raises(UploadRejected):
        declaration_contents.add_file(
            session=db, claim=claim, data=jpeg_bytes(), filename="p21.jpg"
        )
    workflow.upload(
        session=db,
        staff_id=handler.id,
        claim_id=claim.id,
        data=pdf_bytes("Courrier"),
        filename="courrier.pdf",
        kind="correspondence",
    )


def test_stage_emails_do_not_copy_what_staff_wrote(db):
    handler = factories.staff(db, role="handler")
    claim = _sent_claim(db)
    workflow.refuse(
        session=db,
        staff_id=handler.id,
        claim_id=claim.id,
        reason="Secret interne : exclusion pour défaut d'entretien constaté",
    )
    account = db.exec(select(Account).where(Account.holder_id == claim.holder_id)).one()
    mail = db.exec(
        select(OutboxMessage)
        .where(OutboxMessage.recipient == account.email)
        .order_by(OutboxMessage.id.desc())
    ).first()
    assert "Prise en charge refusée" in mail.body and "Secret interne" not in mail.body


def test_drought_takes_the_legal_1520_euro_deductible(db):
    person = factories.holder(db)
    contract = factories.contract(db, person)
    result = claim_indemnity.compute(
        session=db,
        contract=contract,
        peril_code="natural_disaster",
        damage_cents=1_000_000,
        on=date.today(),
        answers={"event_type": "drought", "order_published": "yes"},
    )
    assert result.deductible_cents == 152_000 and result.indemnity_cents == 848_000
    pending = claim_indemnity.compute(
        session=db,
        contract=contract,
        peril_code="natural_disaster",
        damage_cents=1_000_000,
        on=date.today(),
        answers={"event_type": "flood", "order_published": "no"},
    )
    assert (
        pending.deductible_cents == 38_000
        and "Sous réserve de la publication" in pending.explanation
    )
