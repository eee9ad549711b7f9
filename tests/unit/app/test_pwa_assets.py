"""The installable app's static files: manifest, icons, service worker, offline page and pwa.js.

The JavaScript is also run under Node (when installed) against small fakes of the service worker and
browser APIs, to check what is cached, what is never intercepted and what logout forgets.
"""

from __future__ import annotations

import json
import math
import re
import shutil
import subprocess
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urljoin

import pytest
from PIL import Image

ROOT = Path(__file__).resolve().parents[3]
ASSETS = ROOT / "assets"
MANIFEST = ASSETS / "manifest.webmanifest"
SW = ASSETS / "sw.js"
PWA = ASSETS / "pwa.js"
OFFLINE = ASSETS / "offline.html"
ICON_FILES = [
    "icon-192.png",
    "icon-512.png",
    "maskable-192.png",
    "maskable-512.png",
    "apple-touch-icon.png",
]
HEX_COLOUR = re.compile(r"^#(?:[0-9a-fA-F]{3}|[0-9a-fA-F]{6})$")
ORIGIN = "https://espace.test"


def _asset(url_path: str) -> Path:
    """The file Reflex serves at ``url_path`` (assets/ is the site root)."""
    assert url_path.startswith("/"), url_path
    return ASSETS / url_path.lstrip("/")


@pytest.fixture(scope="module")
def manifest() -> dict:
    return json.loads(MANIFEST.read_text(encoding="utf-8"))


# ---------- manifest ----------


def test_manifest_identity(manifest):
    assert manifest["name"] == "Espace — Assurance habitation"
    assert manifest["short_name"] == "Espace"
    assert len(manifest["short_name"]) <= 12  # not truncated under the home-screen icon
    assert manifest["lang"] == "fr"
    assert manifest["description"].strip()
    assert manifest["display"] == "standalone"


def test_manifest_start_url_is_within_scope(manifest):
    base = f"{ORIGIN}/manifest.webmanifest"
    start = urljoin(base, manifest["start_url"])
    scope = urljoin(base, manifest["scope"])
    assert start == f"{ORIGIN}/tableau-de-bord"
    assert scope == f"{ORIGIN}/"
    assert start.startswith(scope)
    if "id" in manifest:  # the id must be same-origin with start_url
        assert urljoin(start, manifest["id"]).startswith(ORIGIN + "/")


def test_manifest_colours(manifest):
    assert manifest["theme_color"].lower() == "#0b4f6c"
    assert HEX_COLOUR.match(manifest["theme_color"])
    assert HEX_COLOUR.match(manifest["background_color"])
    assert manifest["background_color"].lower() == "#ffffff"


def test_manifest_icons_exist_with_their_declared_sizes(manifest):
    seen = set()
    for icon in manifest["icons"]:
        path = _asset(icon["src"])
        assert path.is_file(), icon["src"]
        purposes = set(icon.get("purpose", "any").split())
        assert purposes <= {"any", "maskable", "monochrome"}, icon
        if icon.get("type") == "image/svg+xml":
            assert icon["sizes"] == "any"
            continue
        assert icon["type"] == "image/png"
        with Image.open(path) as image:
            assert image.format == "PNG"
            width, height = image.size
        assert icon["sizes"] == f"{width}x{height}", icon
        for purpose in purposes:
            seen.add((width, purpose))
    # Installability: a 192 and a 512 PNG (purpose any), plus maskable variants for Android.
    assert {(192, "any"), (512, "any"), (192, "maskable"), (512, "maskable")} <= seen


def test_icon_files_exist():
    for name in ICON_FILES:
        assert (ASSETS / "icons" / name).is_file(), name
    with Image.open(ASSETS / "icons" / "apple-touch-icon.png") as image:
        assert image.size == (180, 180)
        assert image.mode == "RGB"  # opaque: iOS rounds the corners itself


def test_maskable_icons_keep_the_mark_in_the_safe_zone():
    for name in ("maskable-192.png", "maskable-512.png"):
        with Image.open(ASSETS / "icons" / name) as image:
            pixels = image.convert("RGB")
            side = image.size[0]
            assert pixels.getpixel((0, 0)) == (
                0x0B,
                0x4F,
                0x6C,
            )  # full bleed: the mask may cut anywhere
            centre, radius = (side - 1) / 2, side * 0.4
            white = [
                (x, y)
                for y in range(side)
                for x in range(side)
                if min(pixels.getpixel((x, y))) > 200
            ]
            assert white, "the mark is missing"
            assert all(math.hypot(x - centre, y - centre) <= radius for x, y in white), name


def test_any_icons_are_the_rounded_mark():
    for name in ("icon-192.png", "icon-512.png"):
        with Image.open(ASSETS / "icons" / name) as image:
            rgba = image.convert("RGBA")
            side = image.size[0]
            assert rgba.getpixel((0, 0))[3] == 0  # rounded corner
            assert rgba.getpixel((side // 2, side // 10))[:3] == (0x0B, 0x4F, 0x6C)
            assert rgba.getpixel((side // 2, side // 2))[:3] == (
                255,
                255,
                255,
            )  # the E's middle bar


# ---------- service worker, offline page, pwa.js (static checks) ----------


def test_service_worker_exclusions_fallback_and_caches():
    source = SW.read_text(encoding="utf-8")
    for excluded in ('"/_event"', '"/_upload"', '"/api/auth'):
        assert excluded in source, excluded
    assert 'request.method !== "GET"' in source
    assert "url.origin !== self.location.origin" in source
    assert 'const OFFLINE_URL = "/offline.html"' in source
    assert 'request.mode === "navigate"' in source
    assert '"espace-shell-v2"' in source
    assert '"espace-attestations"' in source
    assert '"/__attestations.json"' in source
    assert "X-Espace-Offline" in source and "X-Espace-Title" in source
    assert "self.skipWaiting()" in source and "self.clients.claim()" in source
    for url in (
        "/espace.css",
        "/favicon.svg",
        "/manifest.webmanifest",
        "/declaration-hors-ligne.html",
        "/offline-claim.js",
        "/offline-queue.js",
        "/pwa.js",
        *(f"/icons/{n}" for n in ICON_FILES),
    ):
        assert f'"{url}"' in source, url
        assert _asset(url).is_file(), url


class _PageParser(HTMLParser):
    def __init__(self):
        super().__init__()
        self.html_lang = None
        self.tags: list[str] = []
        self.urls: list[str] = []
        self.h1_text = ""
        self._in_h1 = False

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        self.tags.append(tag)
        if tag == "html":
            self.html_lang = attrs.get("lang")
        if tag == "h1":
            self._in_h1 = True
        for name in ("src", "href", "action", "srcset", "poster", "data"):
            if attrs.get(name):
                self.urls.append(attrs[name])

    def handle_endtag(self, tag):
        if tag == "h1":
            self._in_h1 = False

    def handle_data(self, data):
        if self._in_h1:
            self.h1_text += data


def test_offline_page_is_self_contained_french_and_accessible():
    text = OFFLINE.read_text(encoding="utf-8")
    page = _PageParser()
    page.feed(text)
    page.close()
    assert page.html_lang == "fr"
    assert page.tags.count("h1") == 1
    assert page.h1_text.strip() == "Vous êtes hors ligne"
    assert {"main", "header", "footer"} <= set(page.tags)
    assert not [u for u in page.urls if re.match(r"^(https?:)?//", u)], page.urls
    assert "http://" not in text and "https://" not in text
    assert "01 86 95 00 00" in text and "09 70 80 90 00" in text
    assert "Réessayer" in text and "location.reload()" in text
    assert "/__attestations.json" in text and "?apercu=1" in text


def test_offline_claim_page_is_self_contained_french_and_takes_photos():
    text = (ASSETS / "declaration-hors-ligne.html").read_text(encoding="utf-8")
    page = _PageParser()
    page.feed(text)
    page.close()
    assert page.html_lang == "fr"
    assert page.h1_text.strip() == "Déclarer un sinistre hors ligne"
    assert {"main", "header", "footer", "form"} <= set(page.tags)
    assert not [u for u in page.urls if re.match(r"^(https?:)?//", u)], page.urls
    assert "http://" not in text and "https://" not in text
    assert "<script>" not in text  # the page's Content-Security-Policy allows no inline script
    assert 'type="file" accept="image/*" capture="environment"' in text
    for script in ("/offline-queue.js", "/offline-claim.js", "/pwa.js"):
        assert f'src="{script}"' in text and _asset(script).is_file()
    # every field has its label
    for field in re.findall(r'<(?:input|select|textarea)[^>]*\bid="([^"]+)"', text):
        assert f'for="{field}"' in text, field
    queue = (ASSETS / "offline-queue.js").read_text(encoding="utf-8")
    assert '"AES-GCM"' in queue and 'false, ["encrypt", "decrypt"]' in queue  # non-extractable
    assert '"Idempotency-Key"' in queue and '"/api/sinistres/hors-ligne"' in queue
    assert "/declaration-hors-ligne.html" in OFFLINE.read_text(encoding="utf-8")


def test_pwa_script_registers_the_service_worker():
    source = PWA.read_text(encoding="utf-8")
    assert 'register("/sw.js", { scope: "/" })' in source
    assert "window.espaceLogoutCleanup" in source and "window.espacePush" in source
    assert '"/api/push/cle"' in source and '"/api/push/abonnement"' in source


# ---------- the same files under Node ----------

NODE = shutil.which("node")
needs_node = pytest.mark.skipif(NODE is None, reason="node is not installed")


def _node_works() -> bool:
    return (
        NODE is not None
        and subprocess.run([NODE, "--version"], capture_output=True).returncode == 0
    )


@needs_node
@pytest.mark.parametrize(
    "script",
    [SW, PWA, ASSETS / "dashboard.js", ASSETS / "offline-queue.js", ASSETS / "offline-claim.js"],
    ids=["sw.js", "pwa.js", "dashboard.js", "offline-queue.js", "offline-claim.js"],
)
def test_javascript_syntax(script):
    if not _node_works():
        pytest.skip("node does not run")
    result = subprocess.run([NODE, "--check", str(script)], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr


SW_HARNESS = r"""
const assert = require("assert/strict");
const fs = require("fs");
const ORIGIN = "https://espace.test";
const abs = (u) => new URL(typeof u === "string" ? u : u.url, ORIGIN).href;

class FakeRequest {
  constructor(url, init = {}) {
    this.url = abs(url);
    this.method = init.method || "GET";
    this.mode = init.mode || "cors";
    this.cache = init.cache || "default";
  }
}

// ----- network -----
const network = { online: true, calls: [], handler: null };
function shellFile(path) {
  return new Response(fs.readFileSync(process.env.ASSETS + path), { status: 200 });
}
async function fakeFetch(input) {
  const request = typeof input === "string" ? new FakeRequest(input) : input;
  network.calls.push(request.url);
  if (!network.online) throw new TypeError("Failed to fetch");
  if (network.handler) {
    const answer = await network.handler(request);
    // A same-origin answer is "basic" in a browser ("default" for a Response built by hand).
    if (answer) return Object.defineProperty(answer, "type", { value: "basic" });
  }
  const path = new URL(request.url).pathname;
  if (path === "/offline.html" || path === "/espace.css" || path === "/favicon.svg" ||
      path === "/declaration-hors-ligne.html" || path.endsWith(".js") ||
      path === "/manifest.webmanifest" || path.startsWith("/icons/")) return shellFile(path);
  return new Response("page " + path, { status: 200, headers: { "Content-Type": "text/html" } });
}

// ----- Cache Storage -----
const stores = new Map();
class FakeCache {
  constructor() { this.entries = new Map(); }
  async match(key) { const r = this.entries.get(abs(key)); return r ? r.clone() : undefined; }
  async put(key, response) { this.entries.set(abs(key), response.clone()); }
  async addAll(keys) {
    for (const key of keys) {
      const response = await fakeFetch(key);
      if (!response.ok) throw new TypeError("addAll: " + key);
      this.entries.set(abs(key), response);
    }
  }
  async delete(key) { return this.entries.delete(abs(key)); }
  paths() { return [...this.entries.keys()].map((k) => k.slice(ORIGIN.length)).sort(); }
}
const caches = {
  async open(name) {
    if (!stores.has(name)) stores.set(name, new FakeCache());
    return stores.get(name);
  },
  async delete(name) { return stores.delete(name); },
  async keys() { return [...stores.keys()]; },
  async has(name) { return stores.has(name); },
  async match(key, options = {}) {
    const names = options.cacheName ? [options.cacheName] : [...stores.keys()];
    for (const name of names) {
      const store = stores.get(name);
      const found = store && (await store.match(key));
      if (found) return found;
    }
    return undefined;
  },
};

// ----- the worker's global scope -----
const listeners = {};
const log = {
  skipWaiting: 0, claim: 0, notifications: [], opened: [], focused: [], wiped: 0, sent: 0,
};
const windows = [];
const self = {
  location: new URL(ORIGIN + "/sw.js"),
  addEventListener(type, fn) { (listeners[type] = listeners[type] || []).push(fn); },
  skipWaiting() { log.skipWaiting += 1; return Promise.resolve(); },
  clients: {
    claim() { log.claim += 1; return Promise.resolve(); },
    async matchAll() { return windows; },
    async openWindow(url) { log.opened.push(url); return null; },
  },
  registration: {
    async showNotification(title, options) { log.notifications.push({ title, options }); },
  },
  // offline-queue.js stand-in (a browser's worker gets the real one through importScripts)
  espaceOfflineClaims: {
    async wipe() { log.wiped += 1; return true; },
    async send() {
      log.sent += 1;
      return { sent: 1, login: 0, error: 0, offline: log.sent > 1 ? 1 : 0 };
    },
  },
};
new Function("self", "caches", "fetch", "Request", fs.readFileSync(process.env.SW, "utf8"))(
  self, caches, fakeFetch, FakeRequest);

function dispatch(type, extra = {}) {
  const waits = [];
  let responded = null;
  const event = Object.assign({
    waitUntil(p) { waits.push(Promise.resolve(p)); },
    respondWith(p) {
      assert.equal(responded, null, "respondWith twice");
      responded = Promise.resolve(p);
    },
  }, extra);
  for (const fn of listeners[type] || []) fn(event);
  return {
    responded: () => responded !== null,
    response: () => responded,
    settled: async () => {
      if (responded) await responded.catch(() => {});
      await Promise.all(waits);
    },
  };
}

async function get(url, init = {}) {
  const event = dispatch("fetch", { request: new FakeRequest(url, init) });
  const response = event.responded() ? await event.response() : null;
  await event.settled();
  return { intercepted: event.responded(), response };
}

function attestation(id, title, { kind = "attestation", status = 200 } = {}) {
  const headers = {
    "Content-Type": "application/pdf",
    "Cache-Control": "no-store",
    "Content-Disposition": `attachment; filename="ATT-${id}.pdf"`,
  };
  if (kind) headers["X-Espace-Offline"] = kind;
  if (title) headers["X-Espace-Title"] = encodeURIComponent(title);
  return new Response(`%PDF-${id}`, { status, headers });
}
const docRoute = (fn) => (request) => {
  const match = new URL(request.url).pathname.match(/^\/api\/documents\/(\d+)$/);
  return match ? fn(match[1], request) : null;
};
async function index() {
  const r = await caches.match("/__attestations.json", { cacheName: "espace-attestations" });
  return r ? (await r.json()).attestations : null;
}

(async () => {
  // install: precache the shell, then skip waiting
  const installed = dispatch("install");
  await installed.settled();
  const shell = stores.get("espace-shell-v2");
  assert.deepEqual(shell.paths(), [
    "/espace.css", "/favicon.svg", "/icons/apple-touch-icon.png", "/icons/icon-192.png",
    "/icons/icon-512.png",
    "/icons/maskable-192.png", "/icons/maskable-512.png", "/manifest.webmanifest",
    "/offline.html", "/declaration-hors-ligne.html", "/offline-claim.js", "/offline-queue.js",
    "/pwa.js"].sort());
  assert.equal(log.skipWaiting, 1);

  // activate: old shell versions go, the attestations stay
  await caches.open("espace-shell-v0");
  await caches.open("espace-attestations");
  await dispatch("activate").settled();
  assert.deepEqual((await caches.keys()).sort(), ["espace-attestations", "espace-shell-v2"]);
  assert.equal(log.claim, 1);
  await caches.delete("espace-attestations");

  // never intercepted
  for (const [url, init] of [
    ["/_event", {}], ["/_event/?EIO=4&transport=websocket", {}], ["/_upload", {}],
    ["/api/auth/handoff?t=x", { mode: "navigate" }], ["/api/auth/logout", { mode: "navigate" }],
    ["/api/documents/7", { method: "POST" }],
    ["/tableau-de-bord", { method: "POST", mode: "navigate" }],
    ["https://cdn.example.org/lib.js", {}], ["https://autre.example.org/", { mode: "navigate" }],
    ["/assets/app-abc123.js", {}], ["/api/sinistres/fichiers/3", {}],
  ]) {
    const result = await get(url, init);
    assert.equal(result.intercepted, false, `intercepted ${url} ${JSON.stringify(init)}`);
  }

  // navigations: network first, /offline.html without network
  let result = await get("/tableau-de-bord", { mode: "navigate" });
  assert.equal(await result.response.text(), "page /tableau-de-bord");
  network.online = false;
  result = await get("/contrats", { mode: "navigate" });
  assert.match(await result.response.text(), /Vous êtes hors ligne/);
  result = await get("/espace.css");
  assert.equal(result.response.status, 200);  // shell files from the cache
  // the offline declaration page is served from the cache, not replaced by /offline.html
  result = await get("/declaration-hors-ligne.html", { mode: "navigate" });
  assert.match(await result.response.text(), /Déclarer un sinistre hors ligne/);
  result = await get("/offline-queue.js");
  assert.match(await result.response.text(), /espaceOfflineClaims/);
  network.online = true;

  // Background Sync sends the queued declarations; one still waiting makes the browser retry
  let sync = dispatch("sync", { tag: "espace-offline-claims" });
  await sync.settled();
  assert.equal(log.sent, 1);
  sync = dispatch("sync", { tag: "espace-offline-claims" });
  await assert.rejects(sync.settled());
  await dispatch("sync", { tag: "something-else" }).settled();
  assert.equal(log.sent, 2);

  // attestations: stored under both URLs, with an index; other documents are not stored
  network.handler = docRoute((id) => id === "8"
    ? attestation(id, "Relevé", { kind: null })
    : attestation(id, "Attestation d'assurance 2025 — Résidence"));
  result = await get("/api/documents/7");
  assert.equal(await result.response.text(), "%PDF-7");
  await get("/api/documents/8?apercu=1");
  const saved = stores.get("espace-attestations");
  assert.deepEqual(
    saved.paths(), ["/__attestations.json", "/api/documents/7", "/api/documents/7?apercu=1"]);
  let entries = await index();
  assert.equal(entries.length, 1);
  assert.equal(entries[0].id, "7");
  assert.equal(entries[0].title, "Attestation d'assurance 2025 — Résidence");
  assert.equal(entries[0].apercu, "/api/documents/7?apercu=1");
  assert.ok(!Number.isNaN(Date.parse(entries[0].savedAt)));

  network.online = false;
  result = await get("/api/documents/7?apercu=1", { mode: "navigate" });
  assert.equal(await result.response.text(), "%PDF-7");
  assert.match(
    result.response.headers.get("Content-Disposition"), /^inline; filename="ATT-7.pdf"$/);
  result = await get("/api/documents/7");
  assert.match(
    result.response.headers.get("Content-Disposition"), /^attachment; filename="ATT-7.pdf"$/);
  result = await get("/api/documents/8");
  assert.equal(result.response.status, 503);
  result = await get("/api/documents/8", { mode: "navigate" });
  assert.match(await result.response.text(), /Vous êtes hors ligne/);
  network.online = true;

  // online, the network answers even when a copy is kept
  network.handler = docRoute((id) => new Response("frais " + id, { status: 200 }));
  result = await get("/api/documents/7?apercu=1");
  assert.equal(await result.response.text(), "frais 7");

  // only the 5 most recent are kept
  network.handler = docRoute((id) => attestation(id, "Attestation " + id));
  for (const id of ["10", "11", "12", "13", "14"]) await get("/api/documents/" + id);
  entries = await index();
  assert.deepEqual(entries.map((e) => e.id), ["14", "13", "12", "11", "10"]);
  assert.ok(!stores.get("espace-attestations").paths()
    .some((p) => p.startsWith("/api/documents/7")));
  await get("/api/documents/11?apercu=1");  // seen again: back on top, not duplicated
  assert.deepEqual((await index()).map((e) => e.id), ["11", "14", "13", "12", "10"]);

  // logout message forgets everything, the offline declarations included
  const wipedAtFirst = log.wiped;  // the logout navigation above already wiped them once
  await dispatch("message", { data: { type: "logout" } }).settled();
  assert.equal(stores.has("espace-attestations"), false);
  assert.equal(log.wiped, wipedAtFirst + 1);

  // a download that started before logout is not stored after it
  let release;
  network.handler = docRoute((id) => new Promise((resolve) => {
    release = () => resolve(attestation(id, "Tardive"));
  }));
  const pending = dispatch("fetch", { request: new FakeRequest("/api/documents/20") });
  await new Promise((r) => setTimeout(r, 0));
  await dispatch("message", { data: { type: "logout" } }).settled();
  release();
  await pending.settled();
  assert.equal(await index(), null);

  // a logout navigation (not intercepted) forgets them too
  network.handler = docRoute((id) => attestation(id, "Attestation"));
  await get("/api/documents/21");
  assert.equal((await index()).length, 1);
  result = await get("/api/auth/logout", { mode: "navigate" });
  assert.equal(result.intercepted, false);
  assert.equal(stores.has("espace-attestations"), false);
  const wipedBefore = log.wiped;
  // signing in again keeps the declarations (a holder whose session expired sends them after)
  await get("/api/auth/handoff?code=x", { mode: "navigate" });
  assert.equal(log.wiped, wipedBefore);

  // and so does a 401 (session gone)
  await get("/api/documents/22");
  network.handler = docRoute(() => new Response("Connectez-vous", { status: 401 }));
  result = await get("/api/documents/22");
  assert.equal(result.response.status, 401);
  assert.equal(stores.has("espace-attestations"), false);

  // push
  const pushData = (payload) => (
    { data: { json: () => payload, text: () => JSON.stringify(payload) } });
  await dispatch("push", pushData({
    title: "Sinistre mis à jour", body: "Un expert a été désigné.", url: "/sinistre?id=4",
    tag: "sinistre-4",
  })).settled();
  await dispatch("push", pushData({ title: "Piège", url: "https://evil.example/x" })).settled();
  await dispatch("push", pushData({ title: "Piège 2", url: "javascript:alert(1)" })).settled();
  const [first, evil, evil2] = log.notifications;
  assert.equal(first.title, "Sinistre mis à jour");
  assert.equal(first.options.body, "Un expert a été désigné.");
  assert.equal(first.options.icon, "/icons/icon-192.png");
  assert.equal(first.options.tag, "sinistre-4");
  assert.equal(first.options.data.url, ORIGIN + "/sinistre?id=4");
  assert.equal(evil.options.data.url, ORIGIN + "/tableau-de-bord");
  assert.equal(evil2.options.data.url, ORIGIN + "/tableau-de-bord");

  // notification click: focus the open window showing it, or open one
  const notification = (url) => ({ notification: { data: { url }, close() {} } });
  await dispatch("notificationclick", notification(ORIGIN + "/sinistre?id=4")).settled();
  assert.deepEqual(log.opened, [ORIGIN + "/sinistre?id=4"]);
  windows.push({
    url: ORIGIN + "/sinistre?id=4",
    focus() { log.focused.push(this.url); return Promise.resolve(this); },
  });
  await dispatch("notificationclick", notification(ORIGIN + "/sinistre?id=4")).settled();
  assert.deepEqual(log.focused, [ORIGIN + "/sinistre?id=4"]);
  await dispatch("notificationclick", notification("https://evil.example/")).settled();
  assert.deepEqual(log.opened, [ORIGIN + "/sinistre?id=4", ORIGIN + "/tableau-de-bord"]);

  console.log("ok");
})().catch((error) => { console.error(error); process.exit(1); });
"""


PWA_HARNESS = r"""
const assert = require("assert/strict");
const fs = require("fs");

const log = { registered: [], messages: [], deleted: [], appended: [] };
const windowListeners = {};
const documentListeners = {};
const classes = new Set();
class FakeElement {
  constructor(attrs = {}) { this.attrs = attrs; }
  closest(selector) {
    if (selector === "[data-install-app]") return "data-install-app" in this.attrs ? this : null;
    if (selector === "a[href]") return this.attrs.href ? this : null;
    return null;
  }
  get href() { return new URL(this.attrs.href, "https://espace.test/profil").href; }
}
const document = {
  readyState: "loading",
  createElement: () => ({ textContent: "" }),
  head: { appendChild(el) { log.appended.push(el.textContent); } },
  documentElement: {
    classList: { toggle(name, on) { on ? classes.add(name) : classes.delete(name); } },
  },
  addEventListener(type, fn) { documentListeners[type] = fn; },
};
const navigator = {
  serviceWorker: {
    register(url, options) { log.registered.push([url, options]); return Promise.resolve({}); },
    controller: { postMessage(message) { log.messages.push(message); } },
  },
};
const window = {
  isSecureContext: true,
  addEventListener(type, fn) { windowListeners[type] = fn; },
};
const caches = { delete(name) { log.deleted.push(name); return Promise.resolve(true); } };
window.caches = caches;
const deletedDatabases = [];
window.indexedDB = {
  deleteDatabase(name) {
    deletedDatabases.push(name);
    const request = {};
    setTimeout(() => request.onsuccess && request.onsuccess(), 0);
    return request;
  },
  databases() { return Promise.resolve([]); },  // nothing queued: offline-queue.js is not loaded
};
const location = new URL("https://espace.test/profil");

new Function("window", "document", "navigator", "caches", "location", "Element",
  fs.readFileSync(process.env.PWA, "utf8"))(
    window, document, navigator, caches, location, FakeElement);

(async () => {
  // registered once the page has loaded
  assert.deepEqual(log.registered, []);
  windowListeners.load();
  assert.deepEqual(log.registered, [["/sw.js", { scope: "/" }]]);

  // install button: hidden until the browser offers installation
  assert.match(
    log.appended[0], /html:not\(\.espace-installable\) \[data-install-app\]\{display:none/);
  let prompted = 0;
  const promptEvent = {
    preventDefault() { this.prevented = true; },
    prompt() { prompted += 1; },
    userChoice: Promise.resolve({}),
  };
  windowListeners.beforeinstallprompt(promptEvent);
  assert.ok(promptEvent.prevented);
  assert.ok(classes.has("espace-installable"));
  documentListeners.click(
    { target: new FakeElement({ "data-install-app": "" }), preventDefault() {} });
  assert.equal(prompted, 1);
  assert.ok(!classes.has("espace-installable"));
  windowListeners.beforeinstallprompt(promptEvent);
  windowListeners.appinstalled();
  assert.ok(!classes.has("espace-installable"));

  // logout cleanup: message to the worker and direct deletion, the offline declarations' database
  // too
  assert.equal(await window.espaceLogoutCleanup(), true);
  assert.deepEqual(log.messages, [{ type: "logout" }]);
  assert.deepEqual(log.deleted, ["espace-attestations"]);
  assert.deepEqual(deletedDatabases, ["espace-offline"]);
  navigator.serviceWorker.controller = null;  // not controlled yet: still deletes
  await window.espaceLogoutCleanup();
  assert.deepEqual(log.deleted, ["espace-attestations", "espace-attestations"]);
  documentListeners.click({
    target: new FakeElement({ href: "/api/auth/logout" }),
    preventDefault() { throw new Error("must not block"); },
  });
  assert.equal(log.deleted.length, 3);

  assert.equal(typeof window.espacePush.subscribe, "function");
  assert.equal(typeof window.espacePush.unsubscribe, "function");
  // no PushManager here: a French message, no exception
  assert.match(await window.espacePush.subscribe(), /navigateur/);
  console.log("ok");
})().catch((error) => { console.error(error); process.exit(1); });
"""


def _run_harness(tmp_path: Path, source: str) -> None:
    if not _node_works():
        pytest.skip("node does not run")
    script = tmp_path / "harness.js"
    script.write_text(source, encoding="utf-8")
    env = {"PATH": str(Path(NODE).parent), "SW": str(SW), "PWA": str(PWA), "ASSETS": str(ASSETS)}
    result = subprocess.run(
        [NODE, str(script)], capture_output=True, text=True, env=env, timeout=60
    )
    assert result.returncode == 0 and result.stdout.strip() == "ok", result.stdout + result.stderr


@needs_node
def test_service_worker_behaviour(tmp_path):
    _run_harness(tmp_path, SW_HARNESS)


@needs_node
def test_pwa_script_behaviour(tmp_path):
    _run_harness(tmp_path, PWA_HARNESS)
