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


# ---- Content-Security-Policy and HSTS ------------------------------------------------------------

import base64  # noqa: E402
import gzip  # noqa: E402
import hashlib  # noqa: E402

import pytest  # noqa: E402

from espace.api.headers import content_security_policy, inline_script_hashes  # noqa: E402
from espace.core.settings import get_settings  # noqa: E402

PAGE = (
    b'<!DOCTYPE html><html><head><script async="" src="/pwa.js"></script><script>var a=1;</script>'
    b'<script type="module">import("/assets/entry.js");</script></head><body><p>x</p>'
    b"<script>var a=1;</script></body></html>"
)


def _sha(text: bytes) -> str:
    return f"'sha256-{base64.b64encode(hashlib.sha256(text).digest()).decode()}'"


def _page(body: bytes, *, path="/connexion", method="GET", encoding: bytes | None = None, chunks=1):
    sent = []

    async def app(scope, receive, send):
        headers = [(b"content-type", b"text/html; charset=utf-8")]
        if encoding:
            headers.append((b"content-encoding", encoding))
        await send({"type": "http.response.start", "status": 200, "headers": headers})
        size = -(-len(body) // chunks)
        for n in range(chunks):
            await send(
                {
                    "type": "http.response.body",
                    "body": body[n * size : (n + 1) * size],
                    "more_body": n < chunks - 1,
                }
            )

    async def send(message):
        sent.append(message)

    scope = {
        "type": "http",
        "path": path,
        "method": method,
        "headers": [(b"accept-encoding", b"gzip, br, zstd")],
    }
    with ThreadPoolExecutor(1) as pool:
        pool.submit(asyncio.run, security_headers(app)(scope, None, send)).result()
    return dict(sent[0]["headers"]), b"".join(m.get("body", b"") for m in sent[1:])


def test_inline_scripts_are_hashed_and_external_ones_are_not():
    assert inline_script_hashes(PAGE) == [_sha(b"var a=1;"), _sha(b'import("/assets/entry.js");')]


@pytest.mark.parametrize("encoding, chunks", [(None, 1), (None, 3), (b"gzip", 1), (b"gzip", 4)])
def test_each_page_allows_exactly_its_own_inline_scripts(encoding, chunks):
    body = gzip.compress(PAGE) if encoding == b"gzip" else PAGE
    headers, sent_body = _page(body, encoding=encoding, chunks=chunks)
    assert sent_body == body  # the page itself is untouched
    policy = headers[b"content-security-policy"].decode()
    directives = dict(d.split(" ", 1) for d in policy.split("; ") if " " in d)
    assert directives["script-src"].split() == [
        "'self'",
        "'unsafe-eval'",
        _sha(b"var a=1;"),
        _sha(b'import("/assets/entry.js");'),
    ]
    assert "'unsafe-inline'" not in directives["script-src"]
    assert directives["object-src"] == "'none'" and directives["frame-ancestors"] == "'none'"
    assert directives["default-src"] == "'self'" and directives["base-uri"] == "'self'"
    assert "ws://localhost:8000" in directives["connect-src"]


def test_no_hsts_in_development_and_hsts_in_production(monkeypatch):
    headers, _ = _page(PAGE)
    assert b"strict-transport-security" not in headers
    assert b"upgrade-insecure-requests" not in headers[b"content-security-policy"]
    monkeypatch.setattr(get_settings(), "public_base_url", "https://espace.example")
    headers, _ = _page(PAGE, path="/tableau-de-bord")
    assert headers[b"strict-transport-security"].startswith(b"max-age=63072000")
    assert b"wss://espace.example" in headers[b"content-security-policy"]
    assert b"upgrade-insecure-requests" in headers[b"content-security-policy"]


def test_html_from_anywhere_else_gets_a_policy_without_inline_scripts():
    headers, _ = _page(PAGE, path="/api/anything")
    assert b"sha256-" not in headers[b"content-security-policy"]
    assert content_security_policy().startswith(
        b"default-src 'self'; script-src 'self' 'unsafe-eval';"
    )


def test_a_page_sent_as_a_file_is_hashed_from_the_file(tmp_path):
    """Granian sends static files with the ASGI pathsend extension: no body passes through."""
    page = tmp_path / "connexion.html.gz"
    page.write_bytes(gzip.compress(PAGE))
    sent = []

    async def app(scope, receive, send):
        await send(
            {
                "type": "http.response.start",
                "status": 200,
                "headers": [(b"content-type", b"text/html"), (b"content-encoding", b"gzip")],
            }
        )
        await send({"type": "http.response.pathsend", "path": str(page)})

    async def send(message):
        sent.append(message)

    scope = {"type": "http", "path": "/connexion/", "method": "GET", "headers": []}
    with ThreadPoolExecutor(1) as pool:
        pool.submit(asyncio.run, security_headers(app)(scope, None, send)).result()
    assert [m["type"] for m in sent] == ["http.response.start", "http.response.pathsend"]
    assert _sha(b"var a=1;").encode() in dict(sent[0]["headers"])[b"content-security-policy"]


def test_pages_are_asked_for_in_gzip_only_so_that_they_can_be_read():
    seen = []

    async def app(scope, receive, send):
        seen.append(dict(scope["headers"])[b"accept-encoding"])
        await send(
            {
                "type": "http.response.start",
                "status": 200,
                "headers": [(b"content-type", b"text/css")],
            }
        )
        await send({"type": "http.response.body", "body": b""})

    async def send(message):
        pass

    with ThreadPoolExecutor(1) as pool:
        for accepted in (b"gzip, deflate, br, zstd", b"br"):
            scope = {
                "type": "http",
                "path": "/aide/",
                "method": "GET",
                "headers": [(b"accept-encoding", accepted)],
            }
            pool.submit(asyncio.run, security_headers(app)(scope, None, send)).result()
    assert seen == [b"gzip", b"identity"]


# ---- one address for the demo: 127.0.0.1 is sent to the base URL's localhost (issue 23) ----------


def _scope(host: str, path: str = "/verifier", query: bytes = b"ref=x.y") -> dict:
    return {
        "type": "http",
        "path": path,
        "query_string": query,
        "headers": [(b"host", host.encode())],
    }


def test_a_loopback_alias_of_the_base_url_is_redirected_to_it():
    from espace.api.headers import _loopback_alias_target

    base = "http://localhost:8000"
    assert _loopback_alias_target(_scope("127.0.0.1:8000"), base) == (
        "http://localhost:8000/verifier?ref=x.y"
    )
    assert _loopback_alias_target(_scope("[::1]:8000", query=b""), base) == (
        "http://localhost:8000/verifier"
    )
    assert _loopback_alias_target(_scope("localhost:8000"), base) is None  # already there


def test_other_hosts_and_ports_are_left_alone():
    from espace.api.headers import _loopback_alias_target

    base = "http://localhost:8000"
    assert _loopback_alias_target(_scope("192.168.1.20:8000"), base) is None  # a LAN visitor
    assert _loopback_alias_target(_scope("127.0.0.1:9000"), base) is None  # another app
    assert _loopback_alias_target(_scope("127.0.0.1:8000"), "https://espace.example") is None
