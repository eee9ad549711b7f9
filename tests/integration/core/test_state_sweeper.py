"""The state sweeper on a real Redis: open tabs keep their state (TTL re-armed), closed tabs lose it
once idle past the grace period, busy tabs and other keys are never touched."""

from __future__ import annotations

import uuid

import pytest

from espace.core import state_sweeper
from espace.testing_servers import Unavailable, redis

ROOT = state_sweeper.ROOT_STATE
SUB = f"{ROOT}.espace___state___dashboard____dashboard_state"


@pytest.fixture(scope="module")
def client(tmp_path_factory):
    import redis as redis_lib

    try:
        with redis(tmp_path_factory.mktemp("redis")) as url:
            connection = redis_lib.Redis.from_url(url)
            yield connection
            connection.close()
    except Unavailable as missing:
        pytest.skip(str(missing))


def _tab(client, *, open_: bool, ttl: int = 3600) -> str:
    token = str(uuid.uuid4())
    client.set(f"{token}_{ROOT}", b"root", ex=ttl)
    client.set(f"{token}_{SUB}", b"sub", ex=ttl)
    if open_:
        client.set(f"{state_sweeper.SOCKET_RECORD}{token}", b"record", ex=3600)
    return token


def test_open_tabs_get_their_ttl_back_even_for_substates_only_read(client):
    token = _tab(client, open_=True, ttl=5)
    report = state_sweeper.sweep(client, grace_seconds=0, ttl_seconds=3600)
    assert report.open_tabs >= 1
    assert client.ttl(f"{token}_{SUB}") > 5 and client.ttl(f"{token}_{ROOT}") > 5
    assert client.exists(f"{token}_{ROOT}", f"{token}_{SUB}") == 2


def test_closed_tabs_are_kept_during_the_grace_period_then_freed(client):
    closed = _tab(client, open_=False)
    state_sweeper.sweep(client, grace_seconds=3600)
    assert client.exists(f"{closed}_{ROOT}", f"{closed}_{SUB}") == 2  # a reload may come back
    report = state_sweeper.sweep(client, grace_seconds=0)
    assert report.freed_tabs >= 1
    assert client.exists(f"{closed}_{ROOT}", f"{closed}_{SUB}") == 0


def test_busy_tabs_and_foreign_keys_are_left_alone(client):
    busy = _tab(client, open_=False)
    client.set(f"{busy}_{ROOT}_lock", b"lock-id", px=10_000)
    client.set("huey.redis.espace", b"job")
    client.set("not-a-token_reflex___state____state", b"x")
    state_sweeper.sweep(client, grace_seconds=0)
    assert client.exists(f"{busy}_{ROOT}", f"{busy}_{SUB}", f"{busy}_{ROOT}_lock") == 3
    assert client.exists("huey.redis.espace", "not-a-token_reflex___state____state") == 2


def test_without_redis_the_job_does_nothing():
    assert state_sweeper.sweep_tab_states(redis_url="") is None
