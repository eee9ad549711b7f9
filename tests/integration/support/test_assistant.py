"""Assistant Espace against the real database: intents, answers read from the holder's contracts,
sources, "I don't know", and the handlers (attestation download, hand-over to an adviser)."""

from __future__ import annotations

import types
from datetime import date
from types import SimpleNamespace

import pytest
from sqlmodel import Session, select

from espace.claims import indemnity
from espace.contracts import coverage
from espace.core import formatting as fmt
from espace.core.db import get_engine
from espace.documents.models import Document
from espace.state.assistant import AssistantState
from espace.support import assistant, assistant_questions, assistant_replies
from espace.support.models import SupportMessage, SupportThread
from tests import factories
from tests.events import run_handler

TODAY = date(2026, 11, 23)


@pytest.mark.parametrize(
    "text, cents",
    [
        ("une télé de 800 € volée", 80_000),
        ("pour 1 200 euros", 120_000),
        ("1.200,50€ de dégâts", 120_050),
        ("un vélo de 350 eur", 35_000),
        ("aucun montant ici", None),
        ("mon contrat MRH0412857", None),
    ],
)
def test_amounts_are_read_in_french(text, cents):
    assert assistant_questions.amount_cents(text) == cents


@pytest.mark.parametrize(
    "question, intent",
    [
        ("Où est mon attestation ?", "attestation"),
        ("Quelle est ma franchise dégât des eaux ?", "deductible"),
        ("Combien serai-je remboursé pour une télé de 800 € volée ?", "reimbursement"),
        ("J'ai oublié mon mot de passe", "password"),
        ("Déclarer un sinistre", "declare"),
        ("je voudrais déclarer un cambriolage", "declare"),
        ("où en est mon sinistre ?", "claim_status"),
        ("quand est mon prochain prélèvement ?", "next_payment"),
        ("quel est le plafond incendie", "ceiling"),
        (
            "mon voisin a une fuite qui abîme mon plafond",
            "faq",
        ),  # a ceiling of a room, not of a guarantee
        ("comment vérifier une attestation ?", "faq"),
        ("je veux parler à un conseiller", "human"),
        ("merci", "smalltalk"),
    ],
)
def test_intents(question, intent):
    assert assistant_questions.intent_of(assistant_questions.parse(question)) == intent


@pytest.fixture
def holder_with_contract(db):
    person = factories.holder(db)
    contract = factories.contract(db, person, formula_code="CONFORT")
    return person, contract


def _text(reply: assistant_replies.Reply) -> str:
    return "\n".join(reply.paragraphs)


def test_deductible_is_read_from_the_contract(db, holder_with_contract):
    person, contract = holder_with_contract
    line = next(
        cover
        for cover in coverage.cover_lines(session=db, contract=contract, on=TODAY)
        if cover.category == "water_damage"
    )
    reply = assistant.answer(
        session=db,
        holder_id=person.id,
        question="Quelle est ma franchise dégât des eaux ?",
        today=TODAY,
    )
    assert reply.intent == "deductible" and reply.understood
    assert f"est de {line.deductible}" in _text(reply)
    assert any(contract.number in s.label for s in reply.sources)
    assert any(s.href.endswith("#franchise") for s in reply.sources)


def test_deductible_without_a_peril_asks_which_one(db, holder_with_contract):
    person, _contract = holder_with_contract
    reply = assistant.answer(
        session=db, holder_id=person.id, question="Quelle est ma franchise ?", today=TODAY
    )
    assert reply.intent == "ask_category" and "dégât des eaux" in _text(reply)


def test_reimbursement_is_computed_from_ceiling_and_deductible(db, holder_with_contract):
    person, contract = holder_with_contract
    expected = indemnity.compute(
        session=db,
        contract=contract,
        peril_code="theft",
        damage_cents=80_000,
        on=TODAY,
        category="theft_vandalism",
    )
    assert expected.covered and expected.indemnity_cents == 80_000 - expected.deductible_cents
    reply = assistant.answer(
        session=db,
        holder_id=person.id,
        question="Combien serai-je remboursé pour une télé de 800 € volée ?",
        today=TODAY,
    )
    text = _text(reply)
    assert f"Vous seriez remboursé {fmt.money(expected.indemnity_cents)}" in text
    assert f"franchise de {fmt.money(expected.deductible_cents)}" in text and "(télé)" in text
    assert "effraction" in text and "estimation" in text
    assert reply.actions[0].href.endswith("?peril=theft")


def test_reimbursement_never_exceeds_the_ceiling(db):
    person = factories.holder(db)
    contract = factories.contract(db, person, formula_code="CONFORT")
    reply = assistant.answer(
        session=db, holder_id=person.id, question="combien pour 900 000 € de vol ?", today=TODAY
    )
    ceiling = indemnity.compute(
        session=db,
        contract=contract,
        peril_code="theft",
        damage_cents=90_000_000,
        on=TODAY,
        category="theft_vandalism",
    ).ceiling_cents
    assert f"Vous seriez remboursé {fmt.money(ceiling)}" in _text(reply)


def test_a_formula_without_the_guarantee_says_so(db):
    person = factories.holder(db)
    factories.contract(db, person, formula_code="ESSENTIELLE")
    reply = assistant.answer(
        session=db,
        holder_id=person.id,
        question="combien pour un vitrail de 500 € cassé, bris de glace ?",
        today=TODAY,
    )
    assert "ne comprend pas" in _text(reply) and "remboursé" not in _text(reply)


def test_attestation_offers_only_the_holders_contracts(db, holder_with_contract):
    person, contract = holder_with_contract
    other = factories.holder(db)
    other_contract = factories.contract(db, other)
    reply = assistant.answer(
        session=db, holder_id=person.id, question="Où est mon attestation ?", today=TODAY
    )
    ids = [a.contract_id for a in reply.actions if a.kind == "attestation"]
    assert ids == [contract.id] and other_contract.id not in ids


def test_password_and_declare_give_the_paths(db, holder_with_contract):
    person, _contract = holder_with_contract
    password = assistant.answer(
        session=db, holder_id=person.id, question="J'ai oublié mon mot de passe", today=TODAY
    )
    assert {a.href for a in password.actions} >= {"/mot-de-passe-oublie", "/securite"}
    declare = assistant.answer(
        session=db, holder_id=person.id, question="Déclarer un sinistre", today=TODAY
    )
    assert declare.actions[0].href == "/sinistres/declarer" and declare.category == "claim"


def test_help_articles_answer_other_questions_and_unknown_ones_are_admitted(
    db, holder_with_contract
):
    person, _contract = holder_with_contract
    faq = assistant.answer(
        session=db, holder_id=person.id, question="comment résilier mon contrat ?", today=TODAY
    )
    assert faq.intent == "faq" and faq.sources[0].href == "/aide#resilier-contrat"
    unknown = assistant.answer(
        session=db, holder_id=person.id, question="recette de la tarte tatin", today=TODAY
    )
    assert unknown.understood is False and "Je ne sais pas" in _text(unknown)
    weather = assistant.answer(
        session=db, holder_id=person.id, question="quel temps fera-t-il demain ?", today=TODAY
    )
    assert weather.understood is False


def test_no_contract_no_invented_answer(db):
    person = factories.holder(db)
    reply = assistant.answer(
        session=db, holder_id=person.id, question="Quelle est ma franchise vol ?", today=TODAY
    )
    assert "pas de contrat en cours" in _text(reply)


# ---- handlers ------------------------------------------------------------------------------


@pytest.fixture
def two_holders(engine):
    def setup(db):
        alice, bob = factories.holder(db), factories.holder(db)
        a_contract = factories.contract(db, alice)
        factories.contract(db, bob)
        return SimpleNamespace(
            alice=factories.signed_in(db, alice)[1],
            bob=factories.signed_in(db, bob)[1],
            a_contract=a_contract.id,
        )

    return factories.committed(setup)


def _stand_in(principal, me=None):
    """A stand-in ``self`` signed in as ``principal`` (pass ``me`` to keep the same tab's state)."""
    me = me or SimpleNamespace(
        turns=[],
        error="",
        form_version=0,
        escalating=False,
        escalate_subject="",
        escalate_category="other",
        escalate_errors={},
        _transcript=[],
        _category="other",
        _owner=0,
        loaded=False,
    )
    me._holder_principal = lambda: principal
    me._holder_id = lambda: principal.holder_id if principal else None
    me._to_login = lambda: "login"
    me._load_header = lambda holder_id: None
    for name in ("_ask", "_own", "_forget"):
        setattr(me, name, types.MethodType(getattr(AssistantState, name), me))
    return me


def _documents(contract_id: int) -> int:
    with Session(get_engine()) as db:
        return len(db.exec(select(Document).where(Document.contract_id == contract_id)).all())


def test_attestation_download_refuses_another_holders_contract(two_holders):
    me = _stand_in(two_holders.bob)
    before = _documents(two_holders.a_contract)
    assert run_handler(AssistantState.download_attestation, me, two_holders.a_contract) is None
    assert me.error and _documents(two_holders.a_contract) == before
    mine = _stand_in(two_holders.alice)
    assert (
        run_handler(AssistantState.download_attestation, mine, two_holders.a_contract) is not None
    )
    assert _documents(two_holders.a_contract) == before + 1


def test_suggestions_only_and_signed_out_callers_go_to_login(two_holders):
    me = _stand_in(two_holders.bob)
    assert (
        run_handler(AssistantState.ask_suggestion, me, "<script>alert(1)</script>") is None
        and me.turns == []
    )
    nobody = _stand_in(None)
    assert run_handler(AssistantState.ask, nobody, {"question": "bonjour"}) == "login"
    assert (
        run_handler(AssistantState.download_attestation, nobody, two_holders.a_contract) == "login"
    )
    assert (
        run_handler(AssistantState.escalate, nobody, {"subject": "x", "category": "other"})
        == "login"
    )


def test_escalation_carries_the_servers_transcript(two_holders):
    me = _stand_in(two_holders.alice)
    run_handler(AssistantState.ask, me, {"question": "Quelle est ma franchise dégât des eaux ?"})
    run_handler(AssistantState.ask, me, {"question": "Je veux parler à un conseiller"})
    assert len(me.turns) == 4 and me._category == "contract"
    # What the browser shows is not what is sent: only the backend transcript goes to the adviser.
    me.turns[0].paragraphs = ["Faux message"]
    result = run_handler(
        AssistantState.escalate,
        me,
        {
            "subject": "Franchise de mon appartement",
            "category": "contract",
            "body": "Pouvez-vous me rappeler ?",
        },
    )
    assert result is not None and me._transcript == [] and me.turns == []
    with Session(get_engine()) as db:
        thread = db.exec(
            select(SupportThread).where(SupportThread.holder_id == two_holders.alice.holder_id)
        ).one()
        assert thread.origin == "assistant" and thread.category == "contract"
        bodies = [
            m.body
            for m in db.exec(
                select(SupportMessage)
                .where(SupportMessage.thread_id == thread.id)
                .order_by(SupportMessage.id)
            ).all()
        ]
    assert bodies[0] == "Quelle est ma franchise dégât des eaux ?" and "franchise" in bodies[1]
    assert "Faux message" not in "\n".join(bodies) and bodies[-1] == "Pouvez-vous me rappeler ?"


def test_escalation_errors_stay_next_to_the_field(two_holders):
    me = _stand_in(two_holders.alice)
    run_handler(AssistantState.ask, me, {"question": "bonjour"})
    assert run_handler(AssistantState.escalate, me, {"subject": "", "category": "other"}) is None
    assert me.escalate_errors and len(me._transcript) == 2  # nothing lost


def test_a_conversation_never_follows_the_tab_to_another_holder(two_holders):
    """A's conversation, left in a browser tab, is neither shown to B nor sent to an adviser in B's
    name."""
    tab = _stand_in(two_holders.alice)
    run_handler(AssistantState.ask, tab, {"question": "Quelle est ma franchise dégât des eaux ?"})
    assert tab.turns and tab._transcript
    tab = _stand_in(two_holders.bob, me=tab)
    run_handler(
        AssistantState.escalate,
        tab,
        {"subject": "Voler la conversation", "category": "other", "body": "x"},
    )
    assert tab.escalate_errors and tab.turns == [] and tab._transcript == []
    run_handler(AssistantState.load, tab)
    assert tab.turns == [] and tab._owner == two_holders.bob.holder_id
    with Session(get_engine()) as db:
        assert (
            db.exec(
                select(SupportThread).where(SupportThread.holder_id == two_holders.bob.holder_id)
            ).all()
            == []
        )


def test_answers_start_with_a_capital_with_one_contract(db, holder_with_contract):
    """With one contract the "Contrat … :" lead is left out: the sentence still starts with a
    capital ("Votre formule…", never "votre formule…")."""
    person, _ = holder_with_contract
    for question in ("Quelle est ma franchise dégât des eaux ?", "Quel est mon plafond vol ?"):
        reply = assistant.answer(session=db, holder_id=person.id, question=question, today=TODAY)
        assert all(p[:1] == p[:1].upper() for p in reply.paragraphs), reply.paragraphs
