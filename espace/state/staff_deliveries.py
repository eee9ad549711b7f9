"""Failed deliveries (/gestion/envois): the e-mails, SMS and push messages the worker gave up on,
for managers, with "Renvoyer". Thin: every handler re-checks the staff session, then calls
``failed_deliveries``, which checks the role itself (managers only) and audits the resend."""

from __future__ import annotations

import dataclasses

from espace.core import formatting as fmt
from espace.core.db import session_scope
from espace.identity import failed_deliveries
from espace.identity.sessions import Principal
from espace.identity.staff_access import StaffForbidden
from espace.notifications import deliveries
from espace.state.handlers import staff_event
from espace.state.staff import StaffSessionState


@dataclasses.dataclass
class DeliveryItem:
    id: int = 0
    channel: str = ""
    recipient: str = ""
    subject: str = ""
    created: str = ""
    last_try: str = ""
    attempts: str = ""
    error: str = ""


def to_item(row: failed_deliveries.FailedRow) -> DeliveryItem:
    return DeliveryItem(
        id=row.id,
        channel=deliveries.CHANNEL_LABELS.get(row.channel, row.channel),
        recipient=row.recipient,
        subject=row.subject or "(sans objet)",
        created=fmt.datetime_fr(row.created_at),
        last_try=fmt.datetime_fr(row.last_try_at) or "—",
        attempts=f"{row.attempts} essai{'s' if row.attempts > 1 else ''}",
        error=row.error,
    )


class StaffDeliveriesState(StaffSessionState):
    loaded: bool = False
    rows: list[DeliveryItem] = []
    error: str = ""
    info: str = ""

    @staff_event
    def load(self, me: Principal):
        staff_id = me.staff_id
        self._load_staff_header(staff_id)
        self.info = ""
        self._refresh(staff_id)
        self.loaded = True
        return None

    def _refresh(self, staff_id: int) -> None:
        try:
            with session_scope() as db:
                rows = failed_deliveries.failed(session=db, staff_id=staff_id)
        except StaffForbidden as error:
            self.rows, self.error = [], str(error)
            return
        self.error = ""
        self.rows = [to_item(row) for row in rows]

    @staff_event
    def resend(self, me: Principal, form: dict):
        staff_id = me.staff_id
        try:
            message_id = int(str(form.get("message_id", "0"))[:12])
            with session_scope() as db:
                failed_deliveries.resend(session=db, staff_id=staff_id, message_id=message_id)
        except (StaffForbidden, failed_deliveries.NotResendable) as error:
            self.error, self.info = str(error), ""
            return None
        except ValueError:
            self.error, self.info = "Message introuvable.", ""
            return None
        self._refresh(staff_id)
        self.info = "Message remis en file d'envoi : il part dans quelques instants."
        return None
