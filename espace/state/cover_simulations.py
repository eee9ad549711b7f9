"""/contrat/modifier: the simulations a holder saves, compares and applies again."""

from __future__ import annotations

import dataclasses

import reflex as rx

from espace.contracts import cover_quotes
from espace.contracts.cover_choice import CoverChangeError, CoverChoice
from espace.contracts.rating import RatingError
from espace.core import formatting as fmt
from espace.identity.sessions import Principal
from espace.state.cover_rows import SimItem
from espace.state.handlers import holder_event


class CoverSimulationsMixin(rx.State, mixin=True):
    """Mixed into CoverState, whose ``_with_contract``, ``_choice``, ``_set_fields`` and
    ``_reprice`` the handlers use."""

    sims: list[SimItem] = []
    sim_error: str = ""

    def _load_sims(self, db, holder_id: int, contract_id: int) -> None:
        selected = {s.id for s in self.sims if s.selected}
        self.sims = [
            SimItem(
                s.id,
                s.name,
                fmt.money(s.annual_premium_cents),
                f"{s.inputs['formula'].capitalize()} · franchise "
                f"{fmt.money(s.inputs['deductible_cents'])} · capital "
                f"{fmt.money(s.inputs['furniture_capital_cents'])}",
                [[label, fmt.money(amount)] for label, amount in s.lines],
                s.id in selected,
            )
            for s in cover_quotes.simulations(
                session=db, holder_id=holder_id, contract_id=contract_id
            )
        ]

    @holder_event
    def save_simulation(self, me: Principal, form: dict):
        def action(db, me, contract):
            self.sim_error = ""
            choice = self._choice()
            if choice is None:
                return None
            try:
                cover_quotes.save_simulation(
                    session=db,
                    holder_id=me.holder_id,
                    contract_id=contract.id,
                    name=str(form.get("sim_name") or ""),
                    choice=choice,
                )
            except (CoverChangeError, RatingError) as error:
                self.sim_error = getattr(error, "message", str(error))
                return None
            self._load_sims(db, me.holder_id, contract.id)
            return rx.call_script("document.getElementById('sim-form').reset()")

        return self._with_contract(action)

    @holder_event
    def delete_simulation(self, me: Principal, simulation_id: int):
        def action(db, me, contract):
            cover_quotes.delete_simulation(
                session=db, holder_id=me.holder_id, simulation_id=int(simulation_id)
            )
            self._load_sims(db, me.holder_id, contract.id)

        return self._with_contract(action)

    @rx.event
    def toggle_compare(self, simulation_id: int):
        self.sims = [
            dataclasses.replace(
                s, selected=(not s.selected) if s.id == int(simulation_id) else s.selected
            )
            for s in self.sims
        ]

    @holder_event
    def apply_simulation(self, me: Principal, simulation_id: int):
        def action(db, me, contract):
            sim = next(
                (
                    s
                    for s in cover_quotes.simulations(
                        session=db, holder_id=me.holder_id, contract_id=contract.id
                    )
                    if s.id == int(simulation_id)
                ),
                None,
            )
            if sim is not None:
                self._set_fields(CoverChoice.from_json(sim.inputs))
                self._reprice(db, contract)

        return self._with_contract(action)

    @rx.var
    def compared(self) -> list[SimItem]:
        return [s for s in self.sims if s.selected]
