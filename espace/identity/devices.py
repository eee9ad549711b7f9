"""Browsers people sign in from: readable labels, known and trusted devices."""

from __future__ import annotations

import ipaddress
from dataclasses import dataclass
from datetime import timedelta
from functools import lru_cache

from sqlmodel import Session, select
from ua_parser import parse

from espace.core.models import utcnow
from espace.core.tokens import digest
from espace.identity.models import KnownDevice

TRUST_PERIOD = timedelta(days=30)


@dataclass(frozen=True)
class DeviceLabel:
    browser: str
    system: str
    kind: str  # "Ordinateur" | "Téléphone" | "Tablette"

    def __str__(self) -> str:
        return f"{self.browser} · {self.system}"


@lru_cache(maxsize=512)
def describe(user_agent: str) -> DeviceLabel:
    """'Mozilla/5.0 (iPhone; …) Safari/604.1' -> Safari mobile 17 · iOS 17, Téléphone."""
    if not user_agent:
        return DeviceLabel("Navigateur inconnu", "Système inconnu", "Appareil")
    parsed = parse(user_agent)
    agent, system, device = parsed.user_agent, parsed.os, parsed.device
    browser = (
        agent.family.replace("HeadlessChrome", "Chrome").replace("Mobile Safari", "Safari mobile")
        if agent
        else "Navigateur"
    )
    if agent and agent.major:
        browser = f"{browser} {agent.major}"
    os_name = system.family if system else "Système inconnu"
    if system and system.major:
        os_name = f"{os_name} {system.major}"
    family = (device.family if device else "") or ""
    ua = user_agent.lower()
    if "ipad" in ua or "tablet" in ua:
        kind = "Tablette"
    elif family == "iPhone" or "mobile" in ua or "android" in ua:
        kind = "Téléphone"
    else:
        kind = "Ordinateur"
    return DeviceLabel(browser, os_name, kind)


def mask_ip(ip: str) -> str:
    """203.0.113.57 -> 203.0.113.xxx ; 2001:db8:1:2::5 -> 2001:db8:1:xxxx:…"""
    try:
        address = ipaddress.ip_address(ip)
    except ValueError:
        return "inconnue"
    if address.version == 4:
        return ".".join(ip.split(".")[:3]) + ".xxx"
    groups = address.exploded.split(":")
    return ":".join(g.lstrip("0") or "0" for g in groups[:3]) + ":xxxx:…"


def find_device(
    *, session: Session, account_id: int, device_token: str | None
) -> KnownDevice | None:
    if not device_token:
        return None
    return session.exec(
        select(KnownDevice).where(
            KnownDevice.account_id == account_id, KnownDevice.device_hash == digest(device_token)
        )
    ).first()


def is_trusted(device: KnownDevice | None) -> bool:
    return bool(device and device.trusted_until and device.trusted_until > utcnow())


def remember_device(
    *, session: Session, account_id: int, device_token: str, user_agent: str, trust: bool
) -> tuple[KnownDevice, bool]:
    """Record a sign-in from this browser; returns (device, is_new)."""
    device = find_device(session=session, account_id=account_id, device_token=device_token)
    is_new = device is None
    now = utcnow()
    if device is None:
        device = KnownDevice(
            account_id=account_id,
            device_hash=digest(device_token),
            label=str(describe(user_agent))[:120],
            first_seen_at=now,
        )
    device.last_seen_at = now
    if trust:
        device.trusted_until = now + TRUST_PERIOD
    session.add(device)
    session.flush()
    return device, is_new
