"""Holders and their insured properties."""

from __future__ import annotations

from datetime import date

from sqlmodel import Session, select

from espace.contracts import admin
from espace.contracts.models import InsuredProperty
from espace.identity import holders
from espace.identity.models import Policyholder
from espace.identity.profile_validation import ProfileError
from espace.integration.operations.common import Page, _field_error, _holder, page, require

# ----- holders and properties ---------------------------------------------------------------------


def list_holders(*, session: Session, authority, cursor=None, limit=50, email: str = "") -> Page:
    require(authority, "holders:read")
    query = select(Policyholder)
    if email:
        query = query.where(Policyholder.email == email.strip().lower())
    return page(session, query, Policyholder, cursor=cursor, limit=limit)


def get_holder(*, session: Session, authority, holder_id: int) -> Policyholder:
    require(authority, "holders:read")
    return _holder(session, holder_id)


def create_holder(*, session: Session, authority, data: dict, today: date | None = None):
    require(authority, "holders:write")
    try:
        return holders.register_holder(session=session, today=today, **data)
    except ProfileError as error:
        raise _field_error(error) from None


def update_holder(*, session: Session, authority, holder_id: int, data: dict) -> Policyholder:
    require(authority, "holders:write")
    try:
        return holders.correct_record(session=session, holder_id=holder_id, **data)
    except ProfileError as error:
        raise _field_error(error) from None


def list_properties(*, session: Session, authority, holder_id: int, cursor=None, limit=50):
    require(authority, "holders:read")
    _holder(session, holder_id)
    query = select(InsuredProperty).where(InsuredProperty.holder_id == holder_id)
    return page(session, query, InsuredProperty, cursor=cursor, limit=limit)


def create_property(*, session: Session, authority, holder_id: int, data: dict):
    require(authority, "holders:write")
    _holder(session, holder_id)
    try:
        return admin.add_property(session=session, holder_id=holder_id, **data)
    except admin.PropertyError as error:
        raise _field_error(error) from None
