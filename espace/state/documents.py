"""'Mes documents': issue attestations and certificates, filter, preview and download documents."""

from __future__ import annotations

import asyncio
import dataclasses

import reflex as rx

from espace import routes
from espace.contracts import attestations, certificates, labels, portfolio
from espace.contracts.attestations import AttestationError, AttestationRequest
from espace.contracts.models import ContractStatus
from espace.core import formatting as fmt
from espace.core.db import session_scope
from espace.documents import library
from espace.documents.library import DocumentFilters
from espace.identity.sessions import Principal
from espace.state.handlers import holder_event, off_loop
from espace.state.session import SessionState


@dataclasses.dataclass
class DocItem:
    id: int = 0
    kind: str = ""
    kind_label: str = ""
    title: str = ""
    reference: str = ""
    issued: str = ""
    period: str = ""
    amount: str = ""
    contract: str = ""
    downloaded: str = ""
    url: str = ""
    preview_url: str = ""


def _amount_cents(raw: str) -> int | None:
    """A filter amount: positive euros to cents ('' -> None); ValueError otherwise."""
    cents = fmt.parse_euros(raw)
    if cents is not None and cents < 0:
        raise ValueError(raw)
    return cents


def _field(form: dict, name: str, limit: int) -> str:
    """A submitted field as text ('' when absent: fields hidden by a condition arrive as None)."""
    return str(form.get(name) or "").strip()[:limit]


def to_item(row: library.DocumentRow) -> DocItem:
    period = ""
    if row.period_start and row.period_end:
        period = f"du {fmt.date_fr(row.period_start)} au {fmt.date_fr(row.period_end)}"
    downloaded = (
        f"Téléchargé le {fmt.date_fr(row.last_download_at)}"
        if row.last_download_at
        else "Jamais téléchargé"
    )
    return DocItem(
        id=row.id,
        kind=row.kind,
        kind_label=library.KIND_LABELS.get(row.kind, row.kind),
        title=row.title,
        reference=row.reference,
        issued=fmt.date_fr(row.issued_at),
        period=period,
        amount=fmt.money(row.amount_cents) if row.amount_cents is not None else "",
        contract=f"{row.contract_number} · {row.property_label}" if row.contract_number else "",
        downloaded=downloaded,
        url=routes.document_url(row.id),
        preview_url=routes.document_url(row.id, preview=True),
    )


class DocumentsState(SessionState):
    loaded: bool = False
    items: list[DocItem] = []
    total: int = 0
    flash: str = ""

    # filter options and values
    kind_options: list[list[str]] = []
    contract_options: list[list[str]] = []
    category_options: list[list[str]] = []
    f_kind: str = ""
    f_contract: str = ""
    f_from: str = ""
    f_to: str = ""
    f_min: str = ""
    f_max: str = ""
    f_category: str = ""
    f_sort: str = "date_desc"
    amount_error: str = ""
    date_error: str = ""

    # preview
    preview_url: str = ""
    preview_title: str = ""

    # issuing
    active_contracts: list[list[str]] = []
    att_kind: str = "standard"
    att_errors: dict[str, str] = {}
    issued_url: str = ""
    issued_title: str = ""

    @holder_event
    def load(self, me: Principal):
        self._load_header(me.holder_id)
        self.flash = self.preview_url = self.issued_url = ""
        self.att_errors = {}
        self.att_kind = "standard"  # matches the radio checked by default
        with session_scope() as db:
            rows = portfolio.holder_contracts(session=db, holder_id=me.holder_id, by_start=True)
            self.contract_options = [[str(c.id), f"{c.number} · {p.city}"] for c, p in rows]
            self.active_contracts = [
                [
                    str(c.id),
                    f"{c.number} · {labels.label(labels.PROPERTY_TYPE, p.property_type)} à "
                    f"{p.city}",
                ]
                for c, p in rows
                if c.status == ContractStatus.ACTIVE
            ]
        self._refresh(me.holder_id)
        self.loaded = True
        return None

    def _filters(self) -> DocumentFilters:
        return DocumentFilters(
            kind=self.f_kind,
            contract_id=int(self.f_contract) if self.f_contract.isdigit() else None,
            date_from=fmt.parse_iso_date(self.f_from),
            date_to=fmt.parse_iso_date(self.f_to),
            amount_min_cents=_amount_cents(self.f_min),
            amount_max_cents=_amount_cents(self.f_max),
            guarantee_category=self.f_category,
            sort=self.f_sort,
        )

    def _refresh(self, holder_id: int) -> None:
        with session_scope() as db:
            everything = library.list_documents(session=db, holder_id=holder_id)
            rows = library.list_documents(session=db, holder_id=holder_id, filters=self._filters())
        kinds = sorted({r.kind for r in everything})
        self.kind_options = [[k, library.KIND_LABELS.get(k, k)] for k in kinds]
        categories = sorted({r.guarantee_category for r in everything if r.guarantee_category})
        self.category_options = [
            [c, labels.label(labels.GUARANTEE_CATEGORY, c)] for c in categories
        ]
        self.total = len(everything)
        self.items = [to_item(r) for r in rows]

    @holder_event
    def apply_filters(self, me: Principal, form: dict):
        self.amount_error = self.date_error = ""
        f_min, f_max = _field(form, "f_min", 20), _field(form, "f_max", 20)
        try:
            low, high = _amount_cents(f_min), _amount_cents(f_max)
        except ValueError:
            self.amount_error = "Montant invalide : saisissez un nombre positif, par exemple 15,50."
            return None
        if low is not None and high is not None and low > high:
            self.amount_error = "Le montant minimum dépasse le montant maximum."
            return None
        f_from, f_to = _field(form, "f_from", 10), _field(form, "f_to", 10)
        if (f_from and fmt.parse_iso_date(f_from) is None) or (
            f_to and fmt.parse_iso_date(f_to) is None
        ):
            self.date_error = "Date invalide."
            return None
        if (
            fmt.parse_iso_date(f_from)
            and fmt.parse_iso_date(f_to)
            and fmt.parse_iso_date(f_from) > fmt.parse_iso_date(f_to)
        ):
            self.date_error = "La date de début suit la date de fin."
            return None
        self.f_kind = _field(form, "f_kind", 20)
        self.f_contract = _field(form, "f_contract", 12)
        self.f_category = _field(form, "f_category", 30)
        self.f_sort = _field(form, "f_sort", 12) or "date_desc"
        self.f_from, self.f_to, self.f_min, self.f_max = f_from, f_to, f_min, f_max
        self._refresh(me.holder_id)
        return None

    @holder_event
    def clear_filters(self, me: Principal):
        self.f_kind = self.f_contract = self.f_from = self.f_to = self.f_min = self.f_max = (
            self.f_category
        ) = ""
        self.f_sort = "date_desc"
        self.amount_error = self.date_error = ""
        self._refresh(me.holder_id)
        return rx.call_script("document.getElementById('filters').reset()")

    @holder_event
    def open_preview(self, me: Principal, document_id: int):
        with session_scope() as db:
            doc = library.owned_document(
                session=db, holder_id=me.holder_id, document_id=int(document_id)
            )
            if doc is None:
                self.preview_url = self.preview_title = ""
                return None
            self.preview_url, self.preview_title = (
                routes.document_url(doc.id, preview=True),
                doc.title,
            )
        return None

    @rx.event
    def close_preview(self):
        self.preview_url = self.preview_title = ""

    @holder_event
    async def downloaded(self, me: Principal):
        """After a download link was followed: show 'téléchargé le …' once the file was served."""
        await asyncio.sleep(1.0)
        await off_loop(self._refresh, me.holder_id)

    @rx.event
    def choose_kind(self, kind: str):
        if kind in attestations.TITLES:
            self.att_kind = kind
            self.att_errors = {}

    @holder_event
    def issue_attestation(self, me: Principal, form: dict):
        self.att_errors, self.issued_url, self.flash = {}, "", ""
        contract = _field(form, "att_contract", 12)
        if not contract.isdigit():
            self.att_errors = {"contract": "Choisissez un contrat."}
            return None
        self.att_kind = _field(form, "att_kind", 12) or self.att_kind
        request = AttestationRequest(
            kind=self.att_kind,
            start=fmt.parse_iso_date(_field(form, "att_start", 10)),
            end=fmt.parse_iso_date(_field(form, "att_end", 10)),
            place=_field(form, "att_place", 200),
        )
        try:
            with session_scope() as db:
                doc = attestations.issue(
                    session=db, holder_id=me.holder_id, contract_id=int(contract), request=request
                )
                self.issued_url, self.issued_title = routes.document_url(doc.id), doc.title
        except AttestationError as error:
            self.att_errors = {error.field or "kind": str(error)}
            return None
        self.flash = "Votre attestation est prête."
        self._refresh(me.holder_id)
        return None

    @holder_event
    def issue_certificate(self, me: Principal, form: dict):
        contract = _field(form, "cert_contract", 12)
        self.issued_url, self.flash = "", ""
        if not contract.isdigit():
            return None
        try:
            with session_scope() as db:
                doc = certificates.issue_certificate(
                    session=db, holder_id=me.holder_id, contract_id=int(contract)
                )
                self.issued_url, self.issued_title = routes.document_url(doc.id), doc.title
        except LookupError:
            return None
        self.flash = "Votre certificat de garanties est prêt."
        self._refresh(me.holder_id)
        return None
