import asyncio
from concurrent.futures import ThreadPoolExecutor

from espace.api.headers import security_headers


def _run(content_type: bytes, cache_control: bytes | None = b"public, max-age=60"):
    sent = []

    async def app(scope, receive, send):
        headers = [(b"content-type", content_type)]
        if cache_control:
            headers.append((b"cache-control", cache_control))
        await send({"type": "http.response.start", "status": 200, "headers": headers})
        await send({"type": "http.response.body", "body": b""})

    async def send(message):
        sent.append(message)

    # In a thread of its own: Playwright's sync API may own this thread's event loop.
    with ThreadPoolExecutor(1) as pool:
        pool.submit(asyncio.run, security_headers(app)({"type": "http"}, None, send)).result()
    return dict(sent[0]["headers"])


def test_html_is_never_cached_and_hardened():
    headers = _run(b"text/html; charset=utf-8")
    assert headers[b"cache-control"] == b"no-store"
    assert headers[b"x-frame-options"] == b"DENY"
    assert headers[b"x-content-type-options"] == b"nosniff"
    assert headers[b"referrer-policy"] == b"same-origin"


def test_static_assets_keep_their_cache_policy():
    headers = _run(b"application/javascript")
    assert headers[b"cache-control"] == b"public, max-age=60"
    assert headers[b"x-content-type-options"] == b"nosniff"
