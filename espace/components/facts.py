"""A labelled value in a definition list (``<dl class="facts">``)."""

from __future__ import annotations

import reflex as rx


def fact(label: str, value) -> rx.Component:
    return rx.el.div(rx.el.dt(label), rx.el.dd(value), class_name="fact")
