"""The address of the person at the other end, behind reverse proxies we trust and only those.

Every part of the app that records or throttles by address (sign-in throttle, login events,
sessions, mandate signatures, downloads, the development mailbox) asks ``client_address``.
``X-Forwarded-For`` is written by whoever sent the request, so it is believed only as far as
it was appended by trusted hops: walking from the right (the direct peer first), each trusted
hop vouches for the entry on its left; the first address that is not a trusted hop is the client.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Iterable
from functools import lru_cache

Network = ipaddress.IPv4Network | ipaddress.IPv6Network
Address = ipaddress.IPv4Address | ipaddress.IPv6Address


@lru_cache(maxsize=16)
def parse_trusted(value: str) -> tuple[Network, ...]:
    """``ESPACE_TRUSTED_PROXIES``: addresses or CIDR blocks separated by commas or spaces.

    Raises ValueError on anything else, so that a typo stops the app at start instead of
    silently trusting nobody (or everybody)."""
    networks = []
    for item in value.replace(",", " ").split():
        try:
            networks.append(ipaddress.ip_network(item, strict=False))
        except ValueError as error:
            raise ValueError(
                f"ESPACE_TRUSTED_PROXIES: {item!r} is not an IP address or network"
            ) from error
    return tuple(networks)


def _address(text: str) -> Address | None:
    """An address as proxies write it: ``203.0.113.7``, ``2001:db8::1``, ``[2001:db8::1]:443``,
    ``203.0.113.7:51000``; None for anything else (``unknown``, obfuscated identifiers)."""
    text = text.strip().strip('"')
    if text.startswith("["):
        text = text[1:].partition("]")[0]
    elif text.count(":") == 1:
        text = text.partition(":")[0]
    try:
        address = ipaddress.ip_address(text)
    except ValueError:
        return None
    mapped = getattr(address, "ipv4_mapped", None)
    return mapped or address


def _trusted(address: Address, networks: Iterable[Network]) -> bool:
    return any(address.version == net.version and address in net for net in networks)


def _configured() -> tuple[Network, ...]:
    from espace.core.settings import get_settings

    return parse_trusted(get_settings().trusted_proxies)


def client_address(
    *, peer: str, forwarded_for: str | None = "", trusted: tuple[Network, ...] | None = None
) -> str:
    """The client's address: ``peer`` (the TCP peer) unless it is a trusted proxy, in which case
    the ``X-Forwarded-For`` chain (all such headers joined with commas, in order) is walked from
    the right past every trusted hop. ``trusted`` defaults to ESPACE_TRUSTED_PROXIES."""
    networks = _configured() if trusted is None else trusted
    current = _address(peer or "")
    if current is None:
        return (peer or "")[:45]
    hops = [part for part in (forwarded_for or "").split(",") if part.strip()]
    while _trusted(current, networks) and hops:
        previous = _address(hops.pop())
        if (
            previous is None
        ):  # a trusted proxy wrote something that is not an address: stop at that proxy
            break
        current = previous
    return str(current)


def is_loopback_client(
    *, peer: str, forwarded_for: str | None = "", trusted: tuple[Network, ...] | None = None
) -> bool:
    """True only for a request made on this machine: the resolved client is a loopback address,
    and a forwarded request counts only when it came through trusted hops (a local reverse proxy
    that is not declared in ESPACE_TRUSTED_PROXIES makes every visitor look local: refuse those)."""
    networks = _configured() if trusted is None else trusted
    direct = _address(peer or "")
    if direct is None:
        return False
    if forwarded_for and forwarded_for.strip() and not _trusted(direct, networks):
        return False
    resolved = _address(client_address(peer=peer, forwarded_for=forwarded_for, trusted=networks))
    return resolved is not None and resolved.is_loopback
