"""'Mon profil': the holder's identity and contact details as the insurer knows them."""

from __future__ import annotations

import reflex as rx

from espace import formatting as fmt
from espace.db import session_scope
from espace.services.portfolio import holder as load_holder
from espace.state.session import SessionState


class ProfileState(SessionState):
    civility_name: str = ""
    birth_date: str = ""
    email: str = ""
    phone: str = ""
    address: str = ""
    login_email: str = ""
    loaded: bool = False

    @rx.event
    def load(self):
        holder_id = self._holder_id()
        if holder_id is None:
            return self._to_login()
        with session_scope() as db:
            person = load_holder(session=db, holder_id=holder_id)
            self.holder_name = person.display_name
            self.civility_name = f"{person.civility} {person.first_name} {person.last_name}"
            self.birth_date = fmt.date_fr(person.birth_date)
            self.email = person.email
            self.phone = fmt.phone(person.phone)
            lines = [person.address_line1, person.address_line2, f"{person.postal_code} {person.city}"]
            self.address = ", ".join(line for line in lines if line)
        self.loaded = True
        return None
