"""Postal address lines as printed on documents (a holder, an insured home)."""

from __future__ import annotations

from espace.identity.models import Policyholder


def holder_lines(holder: Policyholder) -> tuple[str, list[str]]:
    name = f"{holder.civility} {holder.first_name} {holder.last_name}"
    address = [
        line
        for line in (
            holder.address_line1,
            holder.address_line2,
            f"{holder.postal_code} {holder.city}",
        )
        if line
    ]
    return name, address


def property_lines(prop) -> list[str]:
    """``prop``: an InsuredProperty, or a version of the terms (the home as insured on a date)."""
    return [
        line
        for line in (prop.address_line1, prop.address_line2, f"{prop.postal_code} {prop.city}")
        if line
    ]
