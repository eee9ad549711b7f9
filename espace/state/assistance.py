"""Emergency assistance (/urgence): the number to call, a request to the assistance provider
within the contract's guarantee, and the holder's requests with their status.

Thin: every handler re-reads the session and calls ``claims.assistance``, which checks that the
contract (and the claim, if any) is the holder's in the query."""

from __future__ import annotations

import dataclasses

import reflex as rx

from espace.claims import assistance
from espace.claims.assistance import AssistanceError
from espace.core.db import session_scope
from espace.identity.sessions import Principal
from espace.state.form_values import text as _text
from espace.state.handlers import holder_event
from espace.state.session import SessionState

SITUATION_OPTIONS: list[list[str]] = [[k, v] for k, v in assistance.SITUATIONS.items()]


@dataclasses.dataclass
class RequestRow:
    what: str = ""
    status: str = ""
    detail: str = ""


class AssistanceState(SessionState):
    loaded: bool = False
    contract_options: list[list[str]] = []
    contract_id: str = ""
    for_claim: str = ""  # the claim number when the request is made from its tracker
    _claim_number: str = ""  # the same, kept server-side: what submit trusts
    situation: str = ""
    service_options: list[list[str]] = []
    service: str = ""
    requests: list[RequestRow] = []
    errors: dict[str, str] = {}
    flash: str = ""

    @holder_event
    def load(self, me: Principal):
        holder_id = self._holder_id()
        if holder_id is None:
            return self._to_login()
        self._load_header(holder_id)
        params = self.router.url.query_parameters
        wanted = params.get("situation", "")
        self.errors, self.flash = {}, ""
        self._refresh(holder_id)
        # ?sinistre=SIN-… (from a claim's tracker): the request is attached to that claim, on its
        # contract; ?contrat=<id> (from the declaration wizard): that contract is preselected.
        self._claim_number = self.for_claim = ""
        contract = str(params.get("contrat", ""))[:12]
        number = str(params.get("sinistre", ""))[:20]
        if number:
            with session_scope() as db:
                found = assistance.claim_context(session=db, holder_id=holder_id, number=number)
            if found is not None:
                self._claim_number = self.for_claim = found.number
                contract, wanted = str(found.contract_id), wanted or found.situation
        self.contract_id = (
            contract if contract in {value for value, _label in self.contract_options} else ""
        )
        self._set_situation(wanted)
        self.loaded = True
        return None

    def _refresh(self, holder_id: int) -> None:
        with session_scope() as db:
            contracts = assistance.contract_choices(session=db, holder_id=holder_id)
            rows = assistance.holder_requests(session=db, holder_id=holder_id)
        self.contract_options = [[str(i), label] for i, label in contracts]
        self.requests = [RequestRow(r.what, r.status, r.detail) for r in rows]

    def _set_situation(self, value: str) -> None:
        self.situation = value if value in assistance.SITUATIONS else ""
        self.service_options = [
            [s, assistance.SERVICES[s]] for s in assistance.SERVICES_FOR.get(self.situation, ())
        ]
        self.service = ""

    @rx.event
    def set_situation(self, value: str):
        self._set_situation(str(value)[:20])

    @rx.event
    def set_contract(self, value: str):
        self.contract_id = str(value)[:12]

    @rx.event
    def set_service(self, value: str):
        self.service = str(value)[:12]

    @holder_event
    def submit(self, me: Principal, form: dict):
        holder_id = self._holder_id()
        if holder_id is None:
            return self._to_login()
        contract, nights = _text(form, "contract", 12), _text(form, "nights", 3)
        try:
            with session_scope() as db:
                claim_id = None
                if self._claim_number:  # re-checked: the claim must still be this holder's
                    found = assistance.claim_context(
                        session=db, holder_id=holder_id, number=self._claim_number
                    )
                    if found is None:
                        raise AssistanceError("Ce sinistre est introuvable.")
                    claim_id = found.claim_id
                request = assistance.request_assistance(
                    session=db,
                    holder_id=holder_id,
                    contract_id=int(contract) if contract.isdigit() else None,
                    situation=_text(form, "situation", 20),
                    service=_text(form, "service", 12),
                    nights=int(nights) if nights.isdigit() else 0,
                    claim_id=claim_id,
                )
                status = assistance.STATUS_LABELS.get(request.status, request.status)
        except AssistanceError as error:
            self.errors, self.flash = {error.field: str(error)}, ""
            return None
        self.errors, self.flash = (
            {},
            f"Demande transmise à l'assisteur : {status.lower()}."
            + (
                f" Elle figure dans le suivi du sinistre {self._claim_number}."
                if self._claim_number
                else ""
            ),
        )
        self._refresh(holder_id)
        return None
