"""Live password strength, for any form that chooses a new password."""

from __future__ import annotations

import reflex as rx

from espace.identity.password_policy import check_password


class PasswordMeterState(rx.State):
    """The typed password is evaluated and forgotten: only the level and hints are kept."""

    meter_level: int = -1
    meter_label: str = "—"
    meter_hints: list[str] = []

    @rx.event
    def update_meter(self, value: str):
        if not value:
            self.meter_level, self.meter_label, self.meter_hints = -1, "—", []
            return
        result = check_password(str(value)[:200])
        self.meter_level = result.level
        self.meter_label = result.label
        self.meter_hints = result.hints

    @rx.event
    def clear(self):
        self.meter_level, self.meter_label, self.meter_hints = -1, "—", []
