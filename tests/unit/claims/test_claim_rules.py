"""Claims rules without a database: legal declaration deadlines and French working days, the
perils and their questions, the indemnity formula, and the tracker built from a claim's events."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest

from espace.claims import deadlines, indemnity, perils, stages
from espace.claims.deadlines import deadline
from espace.claims.models import Claim, ClaimEvent, ClaimStatus
from espace.claims.peril_data import PERILS
from espace.claims.perils import BY_CODE, clean_answers, parse_date, visible_questions
from espace.core.formatting import PARIS
from espace.core.working_days import add_working_days, is_working_day

S = ClaimStatus
TODAY = date(2026, 6, 10)  # a Wednesday


# ----- working days and deadlines -------------------------------------------------------------


@pytest.mark.parametrize(
    "day",
    [
        date(2026, 5, 14),  # Ascension
        date(2026, 11, 11),  # Armistice
        date(2026, 12, 25),  # Noël
        date(2027, 1, 1),  # Jour de l'an
        date(2026, 7, 14),  # Fête nationale
        date(2026, 5, 1),  # Fête du travail
    ],
)
def test_french_public_holidays_are_not_working_days(day):
    assert day.weekday() < 5  # each of them falls on a weekday in that year
    assert not is_working_day(day)


@pytest.mark.parametrize(
    "day, expected",
    [
        (date(2026, 6, 13), False),  # Saturday
        (date(2026, 6, 14), False),  # Sunday
        (date(2026, 6, 15), True),  # Monday
        (date(2026, 11, 12), True),  # the day after Armistice
    ],
)
def test_weekends_are_not_working_days(day, expected):
    assert is_working_day(day) is expected


@pytest.mark.parametrize(
    "start, days, expected",
    [
        (date(2026, 6, 10), 2, date(2026, 6, 12)),  # Wed -> Fri
        (date(2026, 6, 11), 2, date(2026, 6, 15)),  # Thu -> Mon, over the weekend
        (date(2026, 6, 12), 5, date(2026, 6, 19)),  # Fri -> next Fri
        (date(2026, 11, 10), 1, date(2026, 11, 12)),  # Tue -> Thu: Wed 11 November skipped
        (date(2026, 11, 9), 5, date(2026, 11, 17)),  # Armistice + weekend
        (date(2026, 5, 13), 1, date(2026, 5, 15)),  # Ascension (Thu 14 May) skipped
        (date(2026, 12, 24), 2, date(2026, 12, 29)),  # Christmas Friday + weekend
        (date(2026, 12, 31), 1, date(2027, 1, 4)),  # New Year's Day (Fri) + weekend, across years
        (date(2026, 6, 10), 0, date(2026, 6, 10)),
    ],
)
def test_add_working_days_skips_weekends_and_holidays(start, days, expected):
    assert add_working_days(start, days) == expected


def test_theft_deadline_is_two_working_days():
    found = deadline(kind="theft", occurred=date(2026, 11, 10), today=date(2026, 11, 10))
    assert found.due == date(2026, 11, 13)  # Wed 11 (Armistice) skipped: Thu 12, Fri 13
    assert not found.late and found.consequence == ""
    assert "2 jours ouvrés" in found.rule


def test_standard_deadline_is_five_working_days():
    found = deadline(kind="standard", occurred=date(2026, 12, 21), today=date(2026, 12, 21))
    # Tue 22, Wed 23, Thu 24, (Fri 25 Noël, weekend) Mon 28, Tue 29
    assert found.due == date(2026, 12, 29)
    assert not found.late
    assert "5 jours ouvrés" in found.rule


def test_on_the_due_day_is_not_late_and_the_day_after_is():
    on_time = deadline(kind="theft", occurred=date(2026, 6, 10), today=date(2026, 6, 12))
    late = deadline(kind="theft", occurred=date(2026, 6, 10), today=date(2026, 6, 13))
    assert on_time.due == late.due == date(2026, 6, 12)
    assert on_time.late is False and on_time.consequence == ""
    assert late.late is True


def test_late_declaration_explains_the_consequence_with_the_law():
    found = deadline(kind="standard", occurred=date(2026, 6, 1), today=date(2026, 6, 30))
    assert found.due == date(2026, 6, 8)
    assert found.late is True
    assert found.consequence.strip() and "L113-2" in found.consequence
    assert found.consequence == deadlines.LATE_CONSEQUENCE


def test_natural_disaster_deadline_runs_from_the_order_publication():
    found = deadline(
        kind="natcat",
        occurred=date(2026, 1, 5),
        today=date(2026, 3, 1),
        order_date=date(2026, 2, 10),
    )
    assert found.due == date(2026, 3, 12)  # 30 calendar days, not working days
    assert not found.late  # months after the event, yet in time
    late = deadline(
        kind="natcat",
        occurred=date(2026, 1, 5),
        today=date(2026, 3, 13),
        order_date=date(2026, 2, 10),
    )
    assert late.late and "L113-2" in late.consequence


def test_natural_disaster_without_an_order_has_no_due_date_and_is_never_late():
    found = deadline(kind="natcat", occurred=date(2020, 1, 5), today=TODAY, order_date=None)
    assert found.due is None and found.late is False and found.consequence == ""
    assert "arrêté" in found.rule
    assert deadlines.describe(found) == f"Délai de déclaration : {found.rule}."


def test_describe_gives_the_french_due_date():
    found = deadline(kind="theft", occurred=date(2026, 6, 10), today=TODAY)
    assert deadlines.describe(found).endswith("soit le 12/06/2026.")


# ----- perils and their questions -------------------------------------------------------------


def test_every_peril_has_a_label_and_a_known_deadline_kind():
    assert len(BY_CODE) == len(PERILS)  # codes are unique
    for found in PERILS:
        assert found.label.strip() and found.summary.strip()
        assert found.deadline in ("theft", "standard", "natcat")
        assert perils.label(found.code) == found.label
        ids = [q.id for q in found.questions]
        assert len(ids) == len(set(ids))
        for question in found.questions:
            assert question.kind in ("choice", "text", "date") and question.label.strip()
            if question.kind == "choice":
                assert question.options
            if question.show_if:
                assert question.show_if[0] in ids


def test_deadline_kinds_by_peril():
    assert BY_CODE["theft"].deadline == "theft"
    assert BY_CODE["vandalism"].deadline == "theft"
    assert BY_CODE["natural_disaster"].deadline == "natcat"
    assert BY_CODE["water_damage"].deadline == "standard"
    assert BY_CODE["glass_breakage"].deadline == "standard"


def test_unknown_peril():
    assert perils.peril("meteorite") is None
    assert perils.label("meteorite") == "Non précisé"


def test_each_peril_asks_its_own_questions():
    def ids(code):
        return {q.id for q in BY_CODE[code].questions}

    assert ids("water_damage") == {
        "origin",
        "neighbour_involved",
        "amicable_report",
        "leak_stopped",
    }
    assert {"police_report_ref", "police_report_date", "forced_entry", "stolen_summary"} <= ids(
        "theft"
    )
    assert ids("fire") == {"firefighters_called", "fire_origin", "someone_injured"}
    assert ids("glass_breakage") == {"pane", "glass_cause"}
    assert "police_report_ref" not in ids("water_damage") | ids("fire") | ids("glass_breakage")
    assert "amicable_report" not in ids("theft")
    assert ids("other") == set()


WATER = BY_CODE["water_damage"]
THEFT = BY_CODE["theft"]
GLASS = BY_CODE["glass_breakage"]
NATCAT = BY_CODE["natural_disaster"]


def test_water_damage_asks_for_the_amicable_report_only_when_a_neighbour_is_involved():
    alone = [q.id for q in visible_questions(WATER, {"neighbour_involved": "no"})]
    neighbour = [q.id for q in visible_questions(WATER, {"neighbour_involved": "yes"})]
    assert "amicable_report" not in alone
    assert neighbour == ["origin", "neighbour_involved", "amicable_report", "leak_stopped"]


def test_water_damage_with_a_neighbour_requires_the_amicable_report():
    raw = {"origin": "leak", "neighbour_involved": "yes", "leak_stopped": "yes"}
    answers, errors = clean_answers(WATER, raw, today=TODAY)
    assert errors == {"amicable_report": "Choisissez une réponse."}
    answers, errors = clean_answers(WATER, {**raw, "amicable_report": "planned"}, today=TODAY)
    assert errors == {}
    assert answers == {**raw, "amicable_report": "planned"}


def test_hidden_questions_are_dropped_when_their_condition_is_not_met():
    raw = {
        "origin": "leak",
        "neighbour_involved": "no",
        "leak_stopped": "no",
        "amicable_report": "yes",
    }
    answers, errors = clean_answers(WATER, raw, today=TODAY)
    assert errors == {}
    assert "amicable_report" not in answers


def test_missing_required_answers_give_french_errors():
    answers, errors = clean_answers(THEFT, {}, today=TODAY)
    assert answers == {}
    assert errors == {
        "police_report_ref": "Ce renseignement est nécessaire.",
        "police_report_date": "Ce renseignement est nécessaire.",
        "forced_entry": "Choisissez une réponse.",
        "stolen_summary": "Ce renseignement est nécessaire.",
    }


def _theft(**overrides) -> dict:
    return {
        "police_report_ref": "PV-2026-0042",
        "police_report_date": "2026-06-09",
        "forced_entry": "yes",
        "entry_point": "window",
        "stolen_summary": "Ordinateur portable et bijoux",
        **overrides,
    }


def test_a_complete_theft_declaration_is_accepted():
    answers, errors = clean_answers(THEFT, _theft(), today=TODAY)
    assert errors == {}
    assert answers == _theft()


def test_theft_requires_the_police_report_reference():
    for blank in ("", "   ", None):
        answers, errors = clean_answers(THEFT, _theft(police_report_ref=blank), today=TODAY)
        assert set(errors) == {"police_report_ref"}
        assert "police_report_ref" not in answers


def test_invalid_choice_is_refused():
    _, errors = clean_answers(THEFT, _theft(forced_entry="maybe"), today=TODAY)
    assert errors == {"forced_entry": "Choisissez une des réponses proposées."}
    _, errors = clean_answers(GLASS, {"pane": "Oui", "glass_cause": "accident"}, today=TODAY)
    assert errors == {"pane": "Choisissez une des réponses proposées."}


def test_future_dates_are_refused():
    _, errors = clean_answers(THEFT, _theft(police_report_date="2026-06-11"), today=TODAY)
    assert errors == {"police_report_date": "Cette date ne peut pas être dans le futur."}
    _, errors = clean_answers(THEFT, _theft(police_report_date="10/06/2026"), today=TODAY)
    assert errors == {}  # today is fine


@pytest.mark.parametrize("text", ["09/06/2026", "9/6/2026", "2026-06-09", " 09/06/2026 "])
def test_dates_are_read_in_french_or_iso_format_and_stored_iso(text):
    answers, errors = clean_answers(THEFT, _theft(police_report_date=text), today=TODAY)
    assert errors == {}
    assert answers["police_report_date"] == "2026-06-09"


@pytest.mark.parametrize("text", ["31/02/2026", "2026-13-01", "demain", "06/2026", "2026/06/09"])
def test_invalid_dates_are_refused(text):
    _, errors = clean_answers(THEFT, _theft(police_report_date=text), today=TODAY)
    assert errors == {"police_report_date": "Date invalide : utilisez le format JJ/MM/AAAA."}


def test_parse_date():
    assert parse_date("14/05/2026") == date(2026, 5, 14)
    assert parse_date("2026-05-14") == date(2026, 5, 14)
    assert parse_date("") is None and parse_date(None) is None and parse_date("14-05-2026") is None


def test_unknown_keys_are_dropped():
    answers, errors = clean_answers(
        GLASS,
        {"pane": "bay", "glass_cause": "weather", "admin": "1", "police_report_ref": "X"},
        today=TODAY,
    )
    assert errors == {}
    assert answers == {"pane": "bay", "glass_cause": "weather"}


def test_text_answers_are_truncated_to_their_max_length():
    answers, errors = clean_answers(
        THEFT, _theft(police_report_ref="R" * 100, stolen_summary="x" * 900), today=TODAY
    )
    assert errors == {}
    assert answers["police_report_ref"] == "R" * 40
    assert answers["stolen_summary"] == "x" * 500


def test_natural_disaster_asks_for_the_order_only_once_published():
    answers, errors = clean_answers(
        NATCAT, {"event_type": "flood", "order_published": "no"}, today=TODAY
    )
    assert errors == {} and answers == {"event_type": "flood", "order_published": "no"}
    _, errors = clean_answers(
        NATCAT, {"event_type": "flood", "order_published": "yes"}, today=TODAY
    )
    assert set(errors) == {"order_reference", "order_date"}


def test_optional_questions_may_stay_blank():
    raw = {"victim_name": "M. Dupont", "victim_kind": "neighbour"}
    answers, errors = clean_answers(BY_CODE["third_party"], raw, today=TODAY)
    assert errors == {} and answers == raw


def test_answer_text_gives_french_labels():
    answers, _ = clean_answers(THEFT, _theft(), today=TODAY)
    lines = perils.answer_text(THEFT, answers)
    assert lines == [
        ("Numéro du récépissé de dépôt de plainte", "PV-2026-0042"),
        ("Date du dépôt de plainte", "09/06/2026"),
        ("Y a-t-il eu effraction ?", "Oui"),
        ("Par où les voleurs sont-ils entrés ?", "Fenêtre ou baie vitrée"),
        ("Qu'est-ce qui a été volé ?", "Ordinateur portable et bijoux"),
    ]
    water = perils.answer_text(
        WATER, {"origin": "overflow", "neighbour_involved": "no", "leak_stopped": "yes"}
    )
    assert water == [
        ("D'où vient l'eau ?", "Débordement (baignoire, lave-linge, évier)"),
        ("Un voisin ou un autre logement est-il concerné ?", "Non"),
        ("L'eau est-elle arrêtée ?", "Oui"),
    ]


# ----- indemnity ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "damage, ceiling, deductible, expected",
    [
        (230_000, 1_500_000, 15_000, 215_000),  # damage − deductible
        (30_000, 500_000, 7_500, 22_500),
        (600_000, 500_000, 7_500, 500_000),  # the ceiling caps
        (507_500, 500_000, 7_500, 500_000),  # exactly at the ceiling
        (507_501, 500_000, 7_500, 500_000),
        (507_499, 500_000, 7_500, 499_999),
        (10_000, 500_000, 15_000, 0),  # below the deductible: nothing, never negative
        (15_000, 500_000, 15_000, 0),  # equal to the deductible
        (15_001, 500_000, 15_000, 1),
        (0, 500_000, 38_000, 0),
        (100_000, 0, 0, 0),  # no ceiling left
        (100_000, 500_000, 0, 100_000),  # no deductible
    ],
)
def test_settle(damage, ceiling, deductible, expected):
    assert (
        indemnity.settle(damage_cents=damage, ceiling_cents=ceiling, deductible_cents=deductible)
        == expected
    )


@pytest.mark.parametrize("damage", [0, 1, 7_499, 7_500, 7_501, 250_000, 507_500, 10_000_000])
@pytest.mark.parametrize("ceiling", [0, 100_000, 500_000])
@pytest.mark.parametrize("deductible", [0, 7_500, 38_000])
def test_settle_properties(damage, ceiling, deductible):
    amount = indemnity.settle(
        damage_cents=damage, ceiling_cents=ceiling, deductible_cents=deductible
    )
    assert 0 <= amount <= ceiling
    assert amount <= max(0, damage - deductible)
    assert amount == max(0, min(ceiling, damage - deductible))


# ----- stages and the tracker -----------------------------------------------------------------


def test_due_after_is_18h_paris_on_the_nth_working_day_in_utc():
    start = datetime(2026, 11, 10, 9, 30, tzinfo=UTC)  # Tuesday
    due = stages.due_after(start, 2)  # Wed 11 (Armistice) skipped: Thu 12, Fri 13
    assert due == datetime(2026, 11, 13, 17, 0, tzinfo=UTC)  # 18:00 Paris (winter time)
    assert due.tzinfo == UTC
    summer = stages.due_after(datetime(2026, 6, 12, 8, 0, tzinfo=UTC), 1)  # Friday -> Monday
    assert summer == datetime(2026, 6, 15, 16, 0, tzinfo=UTC)  # 18:00 Paris (summer time)
    assert stages.due_after(start, None) is None


def test_due_after_counts_from_the_paris_day():
    late_evening = datetime(
        2026, 6, 11, 22, 30, tzinfo=UTC
    )  # already Friday 12 June 00:30 in Paris
    assert stages.due_after(late_evening, 1) == datetime(2026, 6, 15, 16, 0, tzinfo=UTC)


def test_stage_labels():
    assert stages.label(S.RECEIVED) == "Déclaration reçue"
    assert stages.label("express") == "Règlement express"
    assert stages.label("unknown") == "unknown"
    for status in S:
        assert status in stages.STAGES


T0 = datetime(2026, 6, 1, 8, 0, tzinfo=UTC)


def _claim(status: str) -> Claim:
    return Claim(id=1, holder_id=1, contract_id=1, status=status, number="SIN-2026-000001")


def _history(*kinds: str) -> list[ClaimEvent]:
    return [
        ClaimEvent(id=i + 1, claim_id=1, kind=kind, at=T0 + timedelta(days=i))
        for i, kind in enumerate(kinds)
    ]


def _states(steps) -> list[tuple[str, str]]:
    return [(step.kind, step.state) for step in steps]


def test_tracker_follows_the_main_path_in_order():
    history = _history(S.RECEIVED, S.EXPERT_APPOINTED, S.VISIT_PLANNED)
    steps = stages.tracker(claim=_claim(S.VISIT_PLANNED), history=history)
    assert [s.kind for s in steps] == [
        S.RECEIVED,
        S.EXPERT_APPOINTED,
        S.VISIT_PLANNED,
        S.EXPERT_REPORT,
        S.INDEMNITY_COMPUTED,
        S.PAYMENT_SENT,
        S.CLOSED,
    ]
    assert _states(steps) == [
        (S.RECEIVED, "done"),
        (S.EXPERT_APPOINTED, "done"),
        (S.VISIT_PLANNED, "current"),
        (S.EXPERT_REPORT, "upcoming"),
        (S.INDEMNITY_COMPUTED, "upcoming"),
        (S.PAYMENT_SENT, "upcoming"),
        (S.CLOSED, "upcoming"),
    ]
    assert [s.at for s in steps[:3]] == [T0, T0 + timedelta(days=1), T0 + timedelta(days=2)]
    assert all(s.at is None for s in steps[3:])
    assert steps[0].label == "Déclaration reçue"


def test_tracker_just_received():
    steps = stages.tracker(claim=_claim(S.RECEIVED), history=_history(S.RECEIVED))
    assert steps[0].state == "current" and all(s.state == "upcoming" for s in steps[1:])


def test_express_settlement_marks_the_expert_stages_skipped():
    steps = stages.tracker(
        claim=_claim(S.INDEMNITY_COMPUTED), history=_history(S.RECEIVED, "express")
    )
    assert _states(steps) == [
        (S.RECEIVED, "done"),
        (S.EXPERT_APPOINTED, "skipped"),
        (S.VISIT_PLANNED, "skipped"),
        (S.EXPERT_REPORT, "skipped"),
        (S.INDEMNITY_COMPUTED, "current"),
        (S.PAYMENT_SENT, "upcoming"),
        (S.CLOSED, "upcoming"),
    ]
    assert steps[4].at == T0 + timedelta(days=1)  # the express event dates the indemnity stage
    assert steps[1].at is None


def test_refused_path():
    history = _history(S.RECEIVED, S.EXPERT_APPOINTED, S.REFUSED)
    steps = stages.tracker(claim=_claim(S.REFUSED), history=history)
    assert _states(steps) == [(S.RECEIVED, "done"), (S.REFUSED, "current")]
    assert steps[1].at == T0 + timedelta(days=2) and steps[1].label == "Prise en charge refusée"


def test_closed_claim_is_all_done():
    history = _history(
        S.RECEIVED,
        S.EXPERT_APPOINTED,
        S.VISIT_PLANNED,
        S.EXPERT_REPORT,
        S.INDEMNITY_COMPUTED,
        S.PAYMENT_SENT,
        S.CLOSED,
    )
    steps = stages.tracker(claim=_claim(S.CLOSED), history=history)
    assert all(state == "done" for _, state in _states(steps))
    assert steps[-1].at == T0 + timedelta(days=6)


def test_closed_express_claim_keeps_its_skipped_stages():
    history = _history(S.RECEIVED, "express", S.PAYMENT_SENT, S.CLOSED)
    steps = stages.tracker(claim=_claim(S.CLOSED), history=history)
    assert [state for _, state in _states(steps)] == [
        "done",
        "skipped",
        "skipped",
        "skipped",
        "done",
        "done",
        "done",
    ]


def test_documents_requested_keeps_the_last_main_stage_current():
    history = _history(S.RECEIVED, S.EXPERT_APPOINTED, S.DOCUMENTS_REQUESTED)
    steps = stages.tracker(claim=_claim(S.DOCUMENTS_REQUESTED), history=history)
    assert _states(steps)[:3] == [
        (S.RECEIVED, "done"),
        (S.EXPERT_APPOINTED, "current"),
        (S.VISIT_PLANNED, "upcoming"),
    ]


def test_next_step_text_gives_the_deadline_in_french():
    due = datetime(2026, 11, 12, 17, 0, tzinfo=UTC)
    text = stages._next_step_text(S.RECEIVED, due)
    assert text == (
        "Votre gestionnaire étudie votre déclaration et vous contacte. Au plus tard le 12/11/2026."
    )
    assert stages._next_step_text(S.CLOSED, due) == ""
    assert stages.claim_link(_claim(S.RECEIVED)) == "/sinistre?n=SIN-2026-000001"
    assert due.astimezone(PARIS).hour == 18
