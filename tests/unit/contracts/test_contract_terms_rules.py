"""Rules of effective-dated terms that need no database: reading an endorsement's recorded changes
back (the 0013 migration), which line answers a category, and the no-claims bonus line."""

from __future__ import annotations

import importlib.util
from datetime import date
from pathlib import Path
from types import SimpleNamespace

import pytest

from espace.contracts.coverage import Cover, CoverLine
from espace.contracts.rating import RatingInput
from espace.contracts.tariff import price
from espace.core import formatting as fmt

MIGRATION = Path(__file__).resolve().parents[3] / "alembic" / "versions" / "0013_contract_terms.py"


@pytest.fixture(scope="module")
def migration():
    spec = importlib.util.spec_from_file_location("migration_0013", MIGRATION)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


STATE = {
    "formula_id": 2,
    "furniture_capital_cents": 2_500_000,
    "deductible_cents": 15_000,
    "annual_premium_cents": 27_000,
    "annual_tax_cents": 2_700,
    "address_line1": "5 rue Nationale",
    "address_line2": "",
    "postal_code": "37000",
    "city": "Tours",
    "property_type": "flat",
    "rooms": 3,
    "surface_m2": 60,
    "occupancy": "tenant",
    "options": {"ASSISTANCE_PLUS": 1_800},
    "tariff_version": "",
}
FORMULAS = {"Essentielle": 1, "Confort": 2}
OPTIONS = {
    "Assistance renforcée": "ASSISTANCE_PLUS",
    "Protection juridique": "PROTECTION_JURIDIQUE",
}


def test_money_written_by_the_app_reads_back(migration):
    for cents in (0, 7_500, 15_000, 2_500_000, 123_456_789):
        assert migration._cents(fmt.money(cents)) == cents
    with pytest.raises(migration._Unreadable):
        migration._cents("cent euros")


def test_an_endorsements_changes_are_undone(migration):
    before = migration._undo(
        STATE,
        [
            {"label": "Formule", "before": "Essentielle", "after": "Confort"},
            {
                "label": "Capital mobilier",
                "before": fmt.money(2_000_000),
                "after": fmt.money(2_500_000),
            },
            {"label": "Franchise", "before": fmt.money(30_000), "after": fmt.money(15_000)},
            {
                "label": "Option Assistance renforcée",
                "before": "Non souscrite",
                "after": "Souscrite",
            },
            {
                "label": "Option Protection juridique",
                "before": "Souscrite",
                "after": "Non souscrite",
            },
            {
                "label": "Logement (pièces, surface)",
                "before": "2 pièces, 45 m²",
                "after": "3 pièces, 60 m²",
            },
            {
                "label": "Adresse du logement (déménagement)",
                "before": "1 place du Commerce, 44000 Nantes",
                "after": "5 rue Nationale, 37000 Tours",
            },
        ],
        FORMULAS,
        OPTIONS,
    )
    assert (
        before["formula_id"],
        before["furniture_capital_cents"],
        before["deductible_cents"],
    ) == (1, 2_000_000, 30_000)
    assert before["options"] == {
        "PROTECTION_JURIDIQUE": 0
    }  # the price of an option removed since is not recorded
    assert (before["rooms"], before["surface_m2"], before["city"], before["postal_code"]) == (
        2,
        45,
        "Nantes",
        "44000",
    )
    assert STATE["options"] == {"ASSISTANCE_PLUS": 1_800}  # the later state is left as it was


@pytest.mark.parametrize(
    "change",
    [
        {"label": "Formule", "before": "Premium", "after": "Confort"},
        {"label": "Franchise", "before": "beaucoup", "after": fmt.money(15_000)},
        {"label": "Option Inconnue", "before": "Souscrite", "after": "Non souscrite"},
        {"label": "Jardin", "before": "non", "after": "oui"},
    ],
)
def test_a_change_that_cannot_be_read_back_is_refused(migration, change):
    with pytest.raises(migration._Unreadable):
        migration._undo(STATE, [change], FORMULAS, OPTIONS)


def _endorsement(number, effective, changes, old, new):
    return SimpleNamespace(
        id=number,
        number=number,
        effective_date=effective,
        changes=changes,
        old_premium_cents=old,
        new_premium_cents=new,
    )


def test_the_history_is_rebuilt_from_the_newest_endorsement_back(migration):
    row = SimpleNamespace(start_date=date(2024, 1, 10))
    history = migration._history(
        row,
        STATE,
        [
            _endorsement(
                1,
                date(2025, 3, 1),
                [{"label": "Formule", "before": "Essentielle", "after": "Confort"}],
                20_000,
                25_000,
            ),
            _endorsement(
                2,
                date(2026, 12, 9),
                [{"label": "Franchise", "before": fmt.money(30_000), "after": fmt.money(15_000)}],
                25_000,
                27_000,
            ),
        ],
        FORMULAS,
        OPTIONS,
    )
    assert [
        (
            day,
            state["formula_id"],
            state["deductible_cents"],
            state["annual_premium_cents"],
            endorsement,
        )
        for day, state, endorsement in history
    ] == [
        (date(2024, 1, 10), 1, 30_000, 20_000, None),
        (date(2025, 3, 1), 2, 30_000, 25_000, 1),
        (date(2026, 12, 9), 2, 15_000, 27_000, 2),
    ]
    assert history[-1][1] is STATE


def test_effective_dates_out_of_signature_order_give_one_version(migration):
    row = SimpleNamespace(start_date=date(2024, 1, 10))
    history = migration._history(
        row,
        STATE,
        [
            _endorsement(1, date(2026, 12, 9), [], 20_000, 25_000),
            _endorsement(2, date(2026, 11, 20), [], 25_000, 27_000),
        ],
        FORMULAS,
        OPTIONS,
    )
    assert history == [(date(2024, 1, 10), STATE, None)]


def _line(category: str, source: str = "formula", grants: bool = True, name: str = "") -> CoverLine:
    return CoverLine(
        code=name or category,
        category=category,
        category_label=category,
        name=name or category,
        ceiling="",
        deductible="",
        ceiling_cents=None,
        deductible_cents=None,
        source=source,
        grants=grants,
    )


def test_a_category_is_answered_by_the_formula_or_by_an_option_granting_it():
    cover = Cover(
        contract_id=1,
        on=date(2026, 11, 9),
        version=None,
        formula_code="CONFORT",
        formula_name="Confort",
        furniture_capital_cents=0,
        deductible_cents=0,
        options=[],
        lines=[
            _line("glass_breakage"),
            _line("glass_breakage", "option", grants=False, name="renforcé"),
            _line("legal_protection", "option", grants=True),
            _line("home_damage", "option", grants=False),
        ],
    )
    assert (
        cover.line_for("glass_breakage").source == "formula"
        and len(cover.lines_in("glass_breakage")) == 2
    )
    assert (
        cover.covers("legal_protection") and cover.line_for("legal_protection").source == "option"
    )
    assert not cover.covers("home_damage")  # a garden option does not cover electrical damage


HOME = RatingInput(
    postal_code="44000",
    property_type="flat",
    rooms=2,
    surface_m2=45,
    occupancy="tenant",
    formula="CONFORT",
    furniture_capital_cents=1_500_000,
    deductible_cents=15_000,
)


def test_the_no_claims_bonus_line_says_when_it_will_not_be_renewed():
    clean = price(HOME)
    pending = price(RatingInput(**{**HOME.__dict__, "claims_not_yet_rated": 2}))
    bonus = [line.label for line in clean.lines if line.label.startswith("Bonus")]
    assert bonus == ["Bonus sans sinistre \u22125\u00a0%"]
    assert [line.label for line in pending.lines if line.label.startswith("Bonus")] == [
        "Bonus sans sinistre \u22125\u00a0% jusqu'à l'échéance, non reconduit (2 sinistres "
        "déclarés)"
    ]
    assert pending.annual_premium_cents == clean.annual_premium_cents
