/* Espace — service worker (hand-written, no build step). Served at /sw.js, scope "/".
 *
 * - Shell: /offline.html and a few static files are precached ("espace-shell-v1"; bump the version when
 *   they change, the old cache is deleted on activate).
 * - Navigations: network first; without a network, /offline.html.
 * - Attestations: GET /api/documents/{id} responses carrying "X-Espace-Offline: attestation" are kept
 *   (5 most recent, download and ?apercu=1 variants, index in /__attestations.json) in "espace-attestations"
 *   and served from there only when the network fails. Nothing else under /api/documents is stored.
 * - Never touched: non-GET, cross-origin, /_event (websocket), /_upload, /api/auth/*. Everything else is
 *   left to the browser as if there were no service worker.
 * - Offline claim declaration: /declaration-hors-ligne.html and its scripts are in the shell (a navigation to
 *   it without network gets the cached page, not /offline.html); the queue (offline-queue.js, imported here)
 *   is sent on Background Sync ("espace-offline-claims") where the browser has it.
 * - Logout ({type: "logout"} message, or a navigation to /api/auth/logout): the attestations are deleted,
 *   and the offline declarations' database (key, form, declarations) too.
 * - Web push: notifications from a JSON payload {title, body, url, tag}.
 */
"use strict";

const SHELL_CACHE = "espace-shell-v2";
const SHELL_PREFIX = "espace-shell-";
const ATTESTATIONS_CACHE = "espace-attestations";
const ATTESTATIONS_INDEX = "/__attestations.json";
const ATTESTATIONS_KEEP = 5;
const OFFLINE_URL = "/offline.html";
const OFFLINE_CLAIM_URL = "/declaration-hors-ligne.html";
const HOME_URL = "/tableau-de-bord";
const NOTIFICATION_ICON = "/icons/icon-192.png";

const SHELL_URLS = [
  OFFLINE_URL,
  OFFLINE_CLAIM_URL,
  "/offline-claim.js",
  "/offline-queue.js",
  "/pwa.js",
  "/espace.css",
  "/favicon.svg",
  "/manifest.webmanifest",
  "/icons/icon-192.png",
  "/icons/icon-512.png",
  "/icons/maskable-192.png",
  "/icons/maskable-512.png",
  "/icons/apple-touch-icon.png",
];

// Paths never intercepted: Reflex's event websocket and uploads, and the whole authentication API.
const EXCLUDED_PREFIXES = ["/_event", "/_upload", "/api/auth/"];
const HANDOFF_PATH = "/api/auth/handoff";
const LOGOUT_PATH = "/api/auth/logout";
const DOCUMENT_PATH = /^\/api\/documents\/(\d+)\/?$/;

// The offline declarations' queue (self.espaceOfflineClaims); a worker without it still serves the shell.
try {
  if (typeof importScripts === "function") importScripts("/offline-queue.js");
} catch (error) {
  // not available: pages send the queue themselves
}

function offlineClaims() {
  return typeof self.espaceOfflineClaims === "object" && self.espaceOfflineClaims ? self.espaceOfflineClaims : null;
}

function forgetOnLogout() {
  const claims = offlineClaims();
  return Promise.all([clearAttestations(), claims ? claims.wipe().catch(() => false) : Promise.resolve(false)]);
}

function isExcluded(pathname) {
  return pathname === "/api/auth" || EXCLUDED_PREFIXES.some((prefix) => pathname.startsWith(prefix));
}

/* ---------- install / activate ---------- */

self.addEventListener("install", (event) => {
  event.waitUntil(
    caches
      .open(SHELL_CACHE)
      // cache: "reload" skips the HTTP cache, so a new version never precaches stale files.
      .then((cache) => cache.addAll(SHELL_URLS.map((url) => new Request(url, { cache: "reload" }))))
      .then(() => self.skipWaiting())
  );
});

self.addEventListener("activate", (event) => {
  event.waitUntil(
    (async () => {
      const names = await caches.keys();
      await Promise.all(
        names
          .filter((name) => name.startsWith(SHELL_PREFIX) && name !== SHELL_CACHE)
          .map((name) => caches.delete(name))
      );
      await self.clients.claim();
    })()
  );
});

/* ---------- fetch ---------- */

self.addEventListener("fetch", (event) => {
  const request = event.request;
  if (request.method !== "GET") return;
  const url = new URL(request.url);
  if (url.origin !== self.location.origin) return;
  if (isExcluded(url.pathname)) {
    // Not intercepted (no respondWith): the request goes to the network untouched. Logging out also
    // forgets the attestations, even if the page could not send its "logout" message first.
    // Signing in (the hand-off) too: whoever signs in on this device never sees the previous person's copies.
    // The offline declarations are kept at sign-in (a holder whose session expired sends them after
    // signing in again; the holder tag keeps another person's away) and deleted at logout.
    if (url.pathname === LOGOUT_PATH) event.waitUntil(forgetOnLogout());
    else if (url.pathname === HANDOFF_PATH) event.waitUntil(clearAttestations());
    return;
  }

  const documentMatch = url.pathname.match(DOCUMENT_PATH);
  if (documentMatch) {
    handleDocument(event, documentMatch[1], url.searchParams.get("apercu") === "1");
    return;
  }
  if (request.mode === "navigate") {
    const shellPage = url.pathname === OFFLINE_CLAIM_URL;
    event.respondWith(
      networkOr(request, () =>
        shellPage ? caches.match(url.pathname, { cacheName: SHELL_CACHE }).then((hit) => hit || offlinePage()) : offlinePage()
      )
    );
    return;
  }
  if (SHELL_URLS.includes(url.pathname) && !url.search) {
    event.respondWith(networkOr(request, () => caches.match(url.pathname, { cacheName: SHELL_CACHE })));
  }
  // Anything else (Reflex's JS/CSS under /assets/, pages' data, other APIs): default browser behaviour.
});

async function networkOr(request, fallback) {
  try {
    return await fetch(request);
  } catch (error) {
    const response = await fallback();
    if (response) return response;
    throw error;
  }
}

async function offlinePage() {
  const cached = await caches.match(OFFLINE_URL, { cacheName: SHELL_CACHE });
  return (
    cached ||
    new Response("<!doctype html><html lang=\"fr\"><title>Hors ligne</title><h1>Vous êtes hors ligne</h1></html>", {
      status: 503,
      headers: { "Content-Type": "text/html; charset=utf-8", "Cache-Control": "no-store" },
    })
  );
}

/* ---------- attestations kept for offline reading ---------- */

function attestationKey(id, preview) {
  return `/api/documents/${id}${preview ? "?apercu=1" : ""}`;
}

// Bumped by every deletion: a download that started before a logout must not be stored after it.
let attestationsEpoch = 0;
// Stores and deletions run one after the other, so that the index never loses an update.
let attestationsQueue = Promise.resolve();

function serialized(task) {
  const run = attestationsQueue.then(task, task);
  attestationsQueue = run.catch(() => undefined);
  return run;
}

function handleDocument(event, id, preview) {
  const request = event.request;
  const epoch = attestationsEpoch;
  const fetched = fetch(request).then((response) => {
    let stored = Promise.resolve();
    if (response.status === 401) {
      // No session any more (expired, or someone else's device session ended): forget what was kept.
      stored = clearAttestations();
    } else if (
      response.status === 200 &&
      response.type === "basic" &&
      (response.headers.get("X-Espace-Offline") || "").trim().toLowerCase() === "attestation"
    ) {
      stored = storeAttestation(id, response.clone(), epoch);
    }
    return { response, stored };
  });
  event.respondWith(
    fetched.then(
      ({ response }) => response,
      async () => {
        const cached = await cachedAttestation(attestationKey(id, preview));
        if (cached) return cached;
        if (request.mode === "navigate") return offlinePage();
        return new Response("Ce document n'est pas disponible hors ligne.", {
          status: 503,
          headers: { "Content-Type": "text/plain; charset=utf-8", "Cache-Control": "no-store" },
        });
      }
    )
  );
  event.waitUntil(fetched.then(({ stored }) => stored.catch(() => undefined), () => undefined));
}

async function cachedAttestation(key) {
  const cache = await caches.open(ATTESTATIONS_CACHE);
  return (await cache.match(key)) || null;
}

function decodeTitle(raw) {
  if (!raw) return "Attestation";
  try {
    return decodeURIComponent(raw).trim().slice(0, 200) || "Attestation";
  } catch (error) {
    return raw.slice(0, 200);
  }
}

/* The same bytes under both URLs: the download keeps "attachment", the preview is "inline". */
function variant(response, body, disposition) {
  const headers = new Headers(response.headers);
  const params = (headers.get("Content-Disposition") || "").replace(/^\s*(inline|attachment)\s*/i, "");
  headers.set("Content-Disposition", params ? disposition + params : disposition);
  return new Response(body, { status: 200, statusText: response.statusText, headers });
}

async function readIndex(cache) {
  const response = await cache.match(ATTESTATIONS_INDEX);
  if (!response) return [];
  try {
    const data = await response.json();
    return Array.isArray(data.attestations) ? data.attestations : [];
  } catch (error) {
    return [];
  }
}

function writeIndex(cache, attestations) {
  return cache.put(
    ATTESTATIONS_INDEX,
    new Response(JSON.stringify({ version: 1, attestations }), {
      headers: { "Content-Type": "application/json; charset=utf-8", "Cache-Control": "no-store" },
    })
  );
}

function storeAttestation(id, response, epoch) {
  // Read the body now, while the response is fresh; write it only in turn.
  const body = response.blob();
  return serialized(async () => {
    const bytes = await body;
    if (epoch !== attestationsEpoch) return; // a logout happened meanwhile
    const cache = await caches.open(ATTESTATIONS_CACHE);
    await cache.put(attestationKey(id, false), variant(response, bytes, "attachment"));
    await cache.put(attestationKey(id, true), variant(response, bytes, "inline"));
    const entry = {
      id: String(id),
      title: decodeTitle(response.headers.get("X-Espace-Title")),
      savedAt: new Date().toISOString(),
      url: attestationKey(id, false),
      apercu: attestationKey(id, true),
    };
    const kept = [entry, ...(await readIndex(cache)).filter((item) => item && item.id !== entry.id)];
    for (const old of kept.slice(ATTESTATIONS_KEEP)) {
      await cache.delete(attestationKey(old.id, false));
      await cache.delete(attestationKey(old.id, true));
    }
    await writeIndex(cache, kept.slice(0, ATTESTATIONS_KEEP));
  });
}

function clearAttestations() {
  attestationsEpoch += 1;
  return serialized(() => caches.delete(ATTESTATIONS_CACHE));
}

/* ---------- messages from pages ---------- */

self.addEventListener("message", (event) => {
  const data = event.data;
  if (data && data.type === "logout") event.waitUntil(forgetOnLogout());
});

/* ---------- Background Sync: the offline declarations ---------- */

self.addEventListener("sync", (event) => {
  const claims = offlineClaims();
  if (event.tag === "espace-offline-claims" && claims) {
    // A declaration still waiting (no network again, server error) rejects, so the browser retries later.
    event.waitUntil(
      claims.send().then((result) => {
        if (result.offline) throw new Error("offline declarations still waiting");
      })
    );
  }
});

/* ---------- web push ---------- */

// Only a page of this site may be opened from a notification.
function sameOriginUrl(raw) {
  try {
    const url = new URL(typeof raw === "string" && raw ? raw : HOME_URL, self.location.origin);
    if (url.origin === self.location.origin) return url.href;
  } catch (error) {
    // fall through
  }
  return new URL(HOME_URL, self.location.origin).href;
}

self.addEventListener("push", (event) => {
  let data = {};
  if (event.data) {
    try {
      data = event.data.json() || {};
    } catch (error) {
      data = { body: event.data.text() };
    }
  }
  const title = typeof data.title === "string" && data.title.trim() ? data.title : "Espace";
  const options = {
    body: typeof data.body === "string" ? data.body : "",
    icon: NOTIFICATION_ICON,
    lang: "fr",
    data: { url: sameOriginUrl(data.url) },
  };
  if (typeof data.tag === "string" && data.tag) options.tag = data.tag;
  event.waitUntil(self.registration.showNotification(title, options));
});

self.addEventListener("notificationclick", (event) => {
  event.notification.close();
  const target = sameOriginUrl(event.notification.data && event.notification.data.url);
  event.waitUntil(
    (async () => {
      const windows = await self.clients.matchAll({ type: "window", includeUncontrolled: true });
      const open = windows.find((client) => client.url === target);
      if (open && "focus" in open) return open.focus();
      return self.clients.openWindow(target);
    })()
  );
});
