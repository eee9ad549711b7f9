/* Espace — claim declarations kept on the device until they can be sent (hand-written, no build step).
 *
 * Loaded by pages (<script src="/offline-queue.js">, or injected by pwa.js) and by the service worker
 * (importScripts): defines self.espaceOfflineClaims.
 *
 * - IndexedDB database "espace-offline": an AES-GCM key made by WebCrypto as non-extractable (scripts can
 *   use it, never read it), the holder's offline form (contracts and perils, from
 *   GET /api/sinistres/hors-ligne/formulaire) and the queued declarations. Everything but a record's
 *   id, date and status is encrypted under that key ("as far as the browser allows": whoever runs
 *   scripts of this site in this browser profile can still decrypt).
 * - send(): POSTs each waiting declaration (multipart, photos included) to /api/sinistres/hors-ligne with
 *   the key generated on the device in the Idempotency-Key header: a retry never creates a second claim.
 *   201/200: kept only as a receipt (number, no photos); 401: kept, "sign in"; 422 and other refusals:
 *   kept with the errors to correct; no network or a server error: kept, tried again later.
 * - wipe(): deletes the whole database (key, form, declarations): at logout, or when another person
 *   signed in on this browser (the form's holder tag changed).
 */
(function (scope) {
  "use strict";

  var DB_NAME = "espace-offline";
  var DB_VERSION = 1;
  var FORM_URL = "/api/sinistres/hors-ligne/formulaire";
  var SEND_URL = "/api/sinistres/hors-ligne";
  var SYNC_TAG = "espace-offline-claims";
  var CHANGED = "espace-offline-claims-changed";

  var opened = null; // Promise<IDBDatabase> while a connection is open

  function request(req) {
    return new Promise(function (resolve, reject) {
      req.onsuccess = function () { resolve(req.result); };
      req.onerror = function () { reject(req.error); };
    });
  }

  /* The database, created only when something is written (create): reading never brings back a database
   * that a logout deleted. Resolves to null when there is none. */
  function open(create) {
    if (opened) return opened;
    var attempt = new Promise(function (resolve, reject) {
      var req = scope.indexedDB.open(DB_NAME, DB_VERSION);
      req.onupgradeneeded = function (event) {
        if (!create && event.oldVersion === 0) {
          req.transaction.abort(); // nothing stored on this device: do not create it to read nothing
          return;
        }
        var db = req.result;
        if (!db.objectStoreNames.contains("keys")) db.createObjectStore("keys");
        if (!db.objectStoreNames.contains("meta")) db.createObjectStore("meta");
        if (!db.objectStoreNames.contains("items")) db.createObjectStore("items", { keyPath: "id" });
      };
      req.onsuccess = function () {
        var db = req.result;
        // A deletion (logout in another tab or in the service worker) must never wait for us.
        db.onversionchange = function () {
          db.close();
          opened = null;
        };
        resolve(db);
      };
      req.onerror = function (event) {
        if (!create && req.error && req.error.name === "AbortError") {
          if (event && event.preventDefault) event.preventDefault();
          resolve(null);
          return;
        }
        reject(req.error);
      };
      req.onblocked = function () { /* another connection closes on versionchange */ };
    });
    opened = attempt.then(
      function (db) {
        if (!db) opened = null; // none yet: a later write creates it
        return db;
      },
      function (error) {
        opened = null;
        throw error;
      }
    );
    return opened;
  }

  function store(name, mode) {
    var write = mode === "readwrite";
    return open(write)
      .then(function (db) { return db || !write ? db : open(true); }) // a read found none meanwhile
      .then(function (db) { return db ? db.transaction(name, mode).objectStore(name) : null; });
  }

  function get(name, key) {
    return store(name, "readonly").then(function (s) { return s ? request(s.get(key)) : undefined; });
  }

  function put(name, value, key) {
    return store(name, "readwrite").then(function (s) {
      return request(key === undefined ? s.put(value) : s.put(value, key));
    });
  }

  function del(name, key) {
    return store(name, "readwrite").then(function (s) { return request(s.delete(key)); });
  }

  function all(name) {
    return store(name, "readonly").then(function (s) { return s ? request(s.getAll()) : []; });
  }

  /* ---------- encryption ---------- */

  var keyPromise = null;

  function cryptoKey() {
    if (keyPromise) return keyPromise;
    keyPromise = get("keys", "main").then(function (found) {
      if (found) return found;
      return scope.crypto.subtle
        .generateKey({ name: "AES-GCM", length: 256 }, false, ["encrypt", "decrypt"])
        .then(function (key) {
          return put("keys", key, "main").then(function () { return key; });
        });
    });
    keyPromise.catch(function () { keyPromise = null; });
    return keyPromise;
  }

  function encrypt(bytes) {
    return cryptoKey().then(function (key) {
      var iv = scope.crypto.getRandomValues(new Uint8Array(12));
      return scope.crypto.subtle.encrypt({ name: "AES-GCM", iv: iv }, key, bytes).then(function (data) {
        return { iv: iv, data: data };
      });
    });
  }

  function decrypt(sealed) {
    return cryptoKey().then(function (key) {
      return scope.crypto.subtle.decrypt({ name: "AES-GCM", iv: sealed.iv }, key, sealed.data);
    });
  }

  function sealJson(value) {
    return encrypt(new TextEncoder().encode(JSON.stringify(value)));
  }

  function openJson(sealed) {
    return decrypt(sealed).then(function (bytes) {
      return JSON.parse(new TextDecoder().decode(bytes));
    });
  }

  /* ---------- the form kept for offline use ---------- */

  function loadForm() {
    return get("meta", "form").then(function (sealed) {
      return sealed ? openJson(sealed).catch(function () { return null; }) : null;
    });
  }

  /* Fetch the holder's form while online. Resolves to "ok", "login" (no session) or "offline".
   * A form for another holder than the one the queued declarations were made for: they are deleted,
   * so that nobody sees or sends another person's declaration. */
  function refreshForm() {
    return scope
      .fetch(FORM_URL, { credentials: "same-origin", headers: { Accept: "application/json" }, cache: "no-store" })
      .then(
        function (response) {
          if (response.status === 401) return "login";
          if (!response.ok) return "offline";
          return response.json().then(function (form) {
            return loadForm().then(function (previous) {
              var changed = previous && previous.holder && previous.holder !== form.holder;
              return (changed ? forgetOthers(form.holder) : Promise.resolve())
                .then(function () { return sealJson(form); })
                .then(function (sealed) { return put("meta", sealed, "form"); })
                .then(function () { return "ok"; });
            });
          });
        },
        function () { return "offline"; }
      );
  }

  function forgetOthers(holder) {
    return list().then(function (items) {
      return Promise.all(
        items.filter(function (item) { return item.holder !== holder; }).map(function (item) { return del("items", item.id); })
      );
    });
  }

  /* ---------- the queue ---------- */

  function newKey() {
    var bytes = scope.crypto.getRandomValues(new Uint8Array(16));
    return Array.prototype.map.call(bytes, function (b) { return ("0" + b.toString(16)).slice(-2); }).join("");
  }

  /* declaration: {holder, fields: {name: value}, summary: {contract, peril, date}}; photos: [{name, type, data: ArrayBuffer}].
   * id: to replace a declaration being corrected (it keeps its idempotency key). */
  function save(declaration, photos, id) {
    var previous = id ? get("items", id) : Promise.resolve(null);
    return previous.then(function (old) {
      var record = {
        id: id || "d-" + Date.now() + "-" + newKey().slice(0, 8),
        createdAt: old ? old.createdAt : new Date().toISOString(),
        status: "pending",
      };
      var oldKey = old ? openJson(old.sealed).then(function (v) { return v.key; }) : Promise.resolve(newKey());
      return oldKey
        .then(function (key) {
          var body = Object.assign({}, declaration, { key: key, errors: {}, photoNames: photos.map(function (p) { return p.name; }) });
          return sealJson(body);
        })
        .then(function (sealed) {
          record.sealed = sealed;
          return Promise.all(
            photos.map(function (photo) {
              return encrypt(photo.data).then(function (data) {
                return { name: photo.name, type: photo.type || "image/jpeg", sealed: data };
              });
            })
          );
        })
        .then(function (sealedPhotos) {
          record.photos = sealedPhotos;
          return put("items", record);
        })
        .then(function () {
          changed();
          requestSync();
          return record.id;
        });
    });
  }

  /* Every declaration on the device, decrypted (photos as names only): [{id, createdAt, status, ...}]. */
  function list() {
    return all("items").then(function (records) {
      records.sort(function (a, b) { return a.createdAt < b.createdAt ? -1 : 1; });
      return Promise.all(
        records.map(function (record) {
          return openJson(record.sealed).then(
            function (body) {
              return Object.assign(body, { id: record.id, createdAt: record.createdAt, status: record.status });
            },
            function () { return null; } // sealed under a key that no longer exists: ignored
          );
        })
      ).then(function (items) { return items.filter(Boolean); });
    });
  }

  function photosOf(id) {
    return get("items", id).then(function (record) {
      if (!record) return [];
      return Promise.all(
        (record.photos || []).map(function (photo) {
          return decrypt(photo.sealed).then(function (data) {
            return { name: photo.name, type: photo.type, data: data };
          });
        })
      );
    });
  }

  function remove(id) {
    return del("items", id).then(changed);
  }

  function update(id, status, changes) {
    return get("items", id).then(function (record) {
      if (!record) return null;
      return openJson(record.sealed)
        .then(function (body) { return sealJson(Object.assign(body, changes)); })
        .then(function (sealed) {
          record.sealed = sealed;
          record.status = status;
          if (status === "sent") record.photos = []; // only the receipt stays
          return put("items", record);
        });
    });
  }

  /* Counts by status: {pending, login, error, sent}. */
  function counts() {
    return all("items").then(function (records) {
      var found = { pending: 0, login: 0, error: 0, sent: 0 };
      records.forEach(function (record) { found[record.status] = (found[record.status] || 0) + 1; });
      return found;
    });
  }

  function changed() {
    try {
      if (typeof scope.dispatchEvent === "function" && typeof scope.CustomEvent === "function") {
        scope.dispatchEvent(new scope.CustomEvent(CHANGED));
      }
      if (scope.clients && typeof scope.clients.matchAll === "function") {
        scope.clients.matchAll({ type: "window" }).then(function (windows) {
          windows.forEach(function (client) { client.postMessage({ type: CHANGED }); });
        });
      }
    } catch (error) {
      // nobody to tell
    }
  }

  function requestSync() {
    try {
      var nav = scope.navigator;
      if (!nav || !nav.serviceWorker || !scope.SyncManager) return;
      nav.serviceWorker.ready.then(function (registration) {
        if (registration.sync) return registration.sync.register(SYNC_TAG);
        return null;
      }).catch(function () {});
    } catch (error) {
      // Background Sync unavailable: the page sends on "online" and at the next load
    }
  }

  function formData(body, photos) {
    var data = new FormData();
    Object.keys(body.fields || {}).forEach(function (name) {
      data.append(name, body.fields[name]);
    });
    photos.forEach(function (photo) {
      data.append("photos", new Blob([photo.data], { type: photo.type }), photo.name);
    });
    return data;
  }

  function sendOne(item) {
    return photosOf(item.id).then(function (photos) {
      return scope
        .fetch(SEND_URL, {
          method: "POST",
          credentials: "same-origin",
          headers: { "Idempotency-Key": item.key, Accept: "application/json" },
          body: formData(item, photos),
        })
        .then(
          function (response) {
            return response
              .json()
              .catch(function () { return {}; })
              .then(function (answer) { return outcome(item, response.status, answer); });
          },
          function () { return "offline"; }
        );
    });
  }

  function outcome(item, status, answer) {
    if ((status === 200 || status === 201) && answer.number) {
      return update(item.id, "sent", { number: answer.number, nextStep: answer.next_step || "", errors: {}, fields: {} })
        .then(function () { return "sent"; });
    }
    if (status === 401) return update(item.id, "login", {}).then(function () { return "login"; });
    if (status === 422 && answer.errors) {
      return update(item.id, "error", { errors: answer.errors }).then(function () { return "error"; });
    }
    if (status >= 400 && status < 500 && status !== 408 && status !== 429) {
      var message = answer.error || "Votre déclaration a été refusée : vérifiez-la et réessayez.";
      return update(item.id, "error", { errors: { general: message } }).then(function () { return "error"; });
    }
    return "offline"; // server error or timeout: tried again later
  }

  var sending = null;

  /* Send what waits (also after a sign-in: "login" items). Resolves to {sent, login, error, offline}. */
  function send() {
    if (sending) return sending;
    var run = function () {
      var result = { sent: 0, login: 0, error: 0, offline: 0 };
      return list().then(function (items) {
        var waiting = items.filter(function (item) { return item.status === "pending" || item.status === "login"; });
        if (!waiting.length) return result;
        return refreshForm().then(function (state) {
          if (state === "offline") {
            result.offline = waiting.length;
            return result;
          }
          if (state === "login") {
            return Promise.all(waiting.map(function (item) { return update(item.id, "login", {}); })).then(function () {
              result.login = waiting.length;
              return result;
            });
          }
          return loadForm().then(function (form) {
            var chain = Promise.resolve();
            waiting.forEach(function (item) {
              chain = chain.then(function () {
                if (result.offline) return null; // the network went away: the rest waits
                if (form && item.holder && item.holder !== form.holder) return null;
                return sendOne(item).then(function (state) { result[state] += 1; });
              });
            });
            return chain.then(function () { return result; });
          });
        });
      });
    };
    var locks = scope.navigator && scope.navigator.locks;
    sending = (locks ? locks.request("espace-offline-send", run) : run())
      .catch(function () { return { sent: 0, login: 0, error: 0, offline: 1 }; })
      .then(function (result) {
        sending = null;
        changed();
        return result;
      });
    return sending;
  }

  /* Logout: key, form and declarations deleted. Resolves to true once deleted (or nothing to delete). */
  function wipe() {
    keyPromise = null;
    var closing = opened
      ? opened.then(function (db) { if (db) db.close(); }, function () {})
      : Promise.resolve();
    opened = null;
    return closing.then(function () {
      return new Promise(function (resolve) {
        if (!scope.indexedDB) return resolve(false);
        var req = scope.indexedDB.deleteDatabase(DB_NAME);
        req.onsuccess = function () { resolve(true); };
        req.onerror = function () { resolve(false); };
        req.onblocked = function () { /* the other connections close on versionchange */ };
      });
    }).then(function (done) {
      changed();
      return done;
    });
  }

  scope.espaceOfflineClaims = {
    DB_NAME: DB_NAME,
    SYNC_TAG: SYNC_TAG,
    CHANGED: CHANGED,
    loadForm: loadForm,
    refreshForm: refreshForm,
    save: save,
    list: list,
    photosOf: photosOf,
    remove: remove,
    counts: counts,
    send: send,
    wipe: wipe,
  };
})(typeof self !== "undefined" ? self : this);
