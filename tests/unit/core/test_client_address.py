"""The client address behind reverse proxies: X-Forwarded-For is believed only from trusted hops."""

import pytest

from espace.core.client_address import client_address, is_loopback_client, parse_trusted
from espace.core.settings import Settings

PROXIES = parse_trusted("10.0.0.0/8, 192.0.2.10 2001:db8:1::/48")


def test_without_trusted_proxies_the_header_is_ignored():
    assert (
        client_address(peer="203.0.113.7", forwarded_for="198.51.100.1", trusted=())
        == "203.0.113.7"
    )


def test_a_spoofed_header_from_an_untrusted_peer_is_ignored():
    # an attacker talks to the app directly and claims to be someone else
    assert (
        client_address(peer="203.0.113.66", forwarded_for="198.51.100.1, 10.0.0.1", trusted=PROXIES)
        == "203.0.113.66"
    )


def test_one_trusted_proxy_gives_the_address_it_saw():
    assert (
        client_address(peer="10.0.0.5", forwarded_for="203.0.113.7", trusted=PROXIES)
        == "203.0.113.7"
    )


def test_a_chain_of_proxies_is_walked_from_the_right_past_trusted_hops_only():
    # client 203.0.113.7 -> proxy 192.0.2.10 -> proxy 10.0.0.5 -> app; the client forged
    # "198.51.100.1"
    chain = "198.51.100.1, 203.0.113.7, 192.0.2.10"
    assert client_address(peer="10.0.0.5", forwarded_for=chain, trusted=PROXIES) == "203.0.113.7"


def test_every_hop_trusted_gives_the_leftmost_address():
    assert (
        client_address(peer="10.0.0.5", forwarded_for="10.1.1.1, 10.2.2.2", trusted=PROXIES)
        == "10.1.1.1"
    )


def test_no_header_from_a_trusted_proxy_gives_the_proxy():
    assert client_address(peer="10.0.0.5", forwarded_for="", trusted=PROXIES) == "10.0.0.5"


def test_garbage_written_by_a_trusted_proxy_stops_at_that_proxy():
    assert client_address(peer="10.0.0.5", forwarded_for="unknown", trusted=PROXIES) == "10.0.0.5"
    assert (
        client_address(peer="10.0.0.5", forwarded_for="203.0.113.7, unknown", trusted=PROXIES)
        == "10.0.0.5"
    )


@pytest.mark.parametrize(
    "written, expected",
    [
        ("203.0.113.7:51234", "203.0.113.7"),
        ("[2001:db8::7]:443", "2001:db8::7"),
        ("2001:db8::7", "2001:db8::7"),
        ('"203.0.113.7"', "203.0.113.7"),
    ],
)
def test_ports_brackets_and_quotes_written_by_proxies(written, expected):
    assert client_address(peer="10.0.0.5", forwarded_for=written, trusted=PROXIES) == expected


def test_ipv6_proxies_and_mapped_ipv4_peers():
    assert (
        client_address(peer="2001:db8:1::2", forwarded_for="203.0.113.7", trusted=PROXIES)
        == "203.0.113.7"
    )
    assert (
        client_address(peer="::ffff:10.0.0.5", forwarded_for="203.0.113.7", trusted=PROXIES)
        == "203.0.113.7"
    )


def test_loopback_only_for_requests_made_on_this_machine():
    assert is_loopback_client(peer="127.0.0.1", forwarded_for="", trusted=())
    assert is_loopback_client(peer="::1", forwarded_for="", trusted=())
    assert not is_loopback_client(peer="203.0.113.7", forwarded_for="", trusted=())
    # a local reverse proxy that is not declared: every visitor would look local, so none is
    assert not is_loopback_client(peer="127.0.0.1", forwarded_for="203.0.113.7", trusted=())
    assert not is_loopback_client(peer="127.0.0.1", forwarded_for="127.0.0.1", trusted=())
    # declared: the visitor behind it is who counts
    local_proxy = parse_trusted("127.0.0.1")
    assert not is_loopback_client(
        peer="127.0.0.1", forwarded_for="203.0.113.7", trusted=local_proxy
    )
    assert is_loopback_client(peer="127.0.0.1", forwarded_for="127.0.0.1", trusted=local_proxy)
    # a spoofed "127.0.0.1" sent straight to the app from outside
    assert not is_loopback_client(
        peer="203.0.113.7", forwarded_for="127.0.0.1", trusted=local_proxy
    )


def test_the_setting_is_checked_at_start(tmp_path):
    assert Settings(env="dev", data_dir=tmp_path, trusted_proxies="10.0.0.0/8,::1").trusted_proxies
    with pytest.raises(ValueError, match="ESPACE_TRUSTED_PROXIES"):
        Settings(env="dev", data_dir=tmp_path, trusted_proxies="10.0.0.0/8, proxy.local")
