"""Helpers for the API tests: clients with chosen scopes, a TestClient on the app's routes, a
minimal PDF and the bodies of a holder, a property, a contract and a claim."""

from __future__ import annotations

import base64
import itertools
import uuid
from datetime import date

from espace.core.db import session_scope
from espace.integration import clients

_names = itertools.count(1)

PDF = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
    b"2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n"
    b"3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 200 200]>>endobj\n"
    b"trailer<</Root 1 0 R>>\n%%EOF\n"
)


def new_client(scopes: str = "*", **kwargs) -> tuple[int, str]:
    with session_scope() as db:
        row, token = clients.create_client(
            session=db, name=f"Système de test {next(_names)}", scopes=scopes, **kwargs
        )
        return row.id, token


def auth(token: str, key: str | None = None) -> dict[str, str]:
    headers = {"Authorization": f"Bearer {token}"}
    headers["Idempotency-Key"] = key or uuid.uuid4().hex
    return headers


def holder_body(**overrides) -> dict:
    tag = uuid.uuid4().hex[:8]
    return {
        "civility": "Mme",
        "first_name": "Inès",
        "last_name": f"Core{tag}",
        "birth_date": "1984-03-02",
        "email": f"ines.{tag}@exemple.fr",
        "phone": "06 12 34 56 78",
        "address_line1": "4 rue des Tanneurs",
        "postal_code": "67000",
        "city": "Strasbourg",
    } | overrides


def property_body(**overrides) -> dict:
    return {
        "address_line1": "4 rue des Tanneurs",
        "postal_code": "67000",
        "city": "Strasbourg",
        "property_type": "flat",
        "rooms": 3,
        "surface_m2": 64,
        "occupancy": "tenant",
    } | overrides


def contract_body(holder_id: int, property_id: int, **overrides) -> dict:
    return {
        "holder_id": holder_id,
        "property_id": property_id,
        "formula": "CONFORT",
        "options": [],
        "furniture_capital_cents": 2_500_000,
        "deductible_cents": 15_000,
        "start_date": "2026-01-01",
    } | overrides


def claim_body(contract_id: int, **overrides) -> dict:
    return {
        "contract_id": contract_id,
        "peril": "water_damage",
        "occurred_at": "2026-11-20T09:30:00+01:00",
        "description": "Fuite du lave-linge, le parquet du salon a gonflé.",
        "answers": {
            "origin": "leak",
            "neighbour_involved": "no",
            "amicable_report": "no",
            "leak_stopped": "yes",
        },
        "items": [
            {"description": "Parquet du salon", "category": "building", "estimate_cents": 480_000}
        ],
    } | overrides


def pdf_b64() -> str:
    return base64.b64encode(PDF).decode()


def day(text: str) -> date:
    return date.fromisoformat(text)
