"""The last step of signing in, run by the hand-off route: the session becomes active, the device
is remembered, the connection is logged, and a sign-in from a new device is reported by e-mail."""

from __future__ import annotations

from dataclasses import dataclass

from sqlmodel import Session

from espace.core import formatting as fmt
from espace.core.models import get_existing, saved_id, utcnow
from espace.core.tokens import new_token
from espace.identity import account_recovery, devices, sessions
from espace.identity.auth import record_event
from espace.identity.models import Account, LoginResult
from espace.notifications import messages, outbox


@dataclass(frozen=True)
class FinishedLogin:
    session_token: str
    device_token: str
    new_device: bool


def finish_login(
    *,
    session: Session,
    code: str,
    binding: str,
    previous_token: str | None,
    device_token: str | None,
    ip: str = "",
    user_agent: str = "",
) -> FinishedLogin | None:
    """``binding``: the hand-off cookie of the browser redeeming the code (see
    ``sessions.begin_login``); an empty one redeems nothing."""
    if not binding:
        return None
    activated = sessions.activate(
        session=session, code=code, previous_token=previous_token, binding=binding
    )
    if activated is None:
        return None
    token, row = activated
    device_token = device_token or new_token()
    if row.account_id is None:  # staff: no device bookkeeping
        return FinishedLogin(token, device_token, new_device=False)
    account = get_existing(session, Account, row.account_id)
    device, is_new = devices.remember_device(
        session=session,
        account_id=saved_id(account),
        device_token=device_token,
        user_agent=user_agent or row.user_agent,
        trust=row.trust_device,
    )
    row.device_id = device.id
    session.add(row)
    account.last_login_at = utcnow()
    session.add(account)
    record_event(
        session=session,
        result=LoginResult.SUCCESS,
        account_id=account.id,
        ip=ip or row.ip_address,
        user_agent=user_agent or row.user_agent,
        new_device=is_new,
    )
    if is_new:
        _alert_new_device(session, account, user_agent or row.user_agent, ip or row.ip_address)
    return FinishedLogin(token, device_token, new_device=is_new)


def _alert_new_device(session: Session, account: Account, user_agent: str, ip: str) -> None:
    email = messages.email(
        "new_device",
        date=fmt.datetime_fr(utcnow()),
        device=devices.describe(user_agent),
        ip=devices.mask_ip(ip),
        not_me_link=account_recovery.not_me_link(session=session, account=account),
    )
    outbox.send_email(
        session=session,
        to=account.email,
        account_id=account.id,
        subject=email.subject,
        body=email.body,
    )
