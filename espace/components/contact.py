"""The insurer's phone numbers as tap-to-call links (from the settings: espace/core/insurer.py)."""

from __future__ import annotations

import reflex as rx

from espace.content import ASSISTANCE_PHONE, CUSTOMER_SERVICE_PHONE


def _tel(number: str) -> str:
    digits = "".join(c for c in number if c.isdigit())
    return "tel:+33" + digits[1:]


def assistance_link() -> rx.Component:
    """24/7 assistance (leak, break-in, fire)."""
    return rx.el.a(ASSISTANCE_PHONE, href=_tel(ASSISTANCE_PHONE))


def assistance_call_button(element_id: str) -> rx.Component:
    """The assistance number as a big tap-to-call button (emergency panels)."""
    return rx.el.a(
        rx.icon("phone", size=18, aria_hidden="true"),
        "Appeler le ",
        rx.el.span(ASSISTANCE_PHONE, class_name="nowrap"),
        href=_tel(ASSISTANCE_PHONE),
        class_name="button button-primary",
        id=element_id,
    )


def customer_service_link() -> rx.Component:
    return rx.el.a(CUSTOMER_SERVICE_PHONE, href=_tel(CUSTOMER_SERVICE_PHONE))
