/* Espace — installable app glue, loaded on every page (<script src="/pwa.js" defer>).
 *
 * - registers the service worker /sw.js (scope "/");
 * - install button: any element with [data-install-app] stays hidden until the browser offers the
 *   installation (beforeinstallprompt); a click on it opens the browser's prompt;
 * - window.espaceLogoutCleanup(): forgets the attestations kept for offline reading and the offline claim
 *   declarations (key, form and declarations: the "espace-offline" IndexedDB database); call it before
 *   going to /api/auth/logout; links to /api/auth/logout call it by themselves;
 * - offline: <html> gets the class "espace-offline" while the browser is offline, which shows the elements
 *   marked [data-offline-only] (e.g. "Pas de réseau ? Déclarez hors ligne");
 * - offline claim declarations waiting on this device (offline-queue.js, loaded only when there are some):
 *   sent on load and when the connection returns; their status shows in a banner on every page;
 * - window.espacePush.subscribe() / .unsubscribe(): web push notifications, each resolving to a French
 *   message to show to the user.
 */
(function () {
  "use strict";

  var ATTESTATIONS_CACHE = "espace-attestations";
  var OFFLINE_DB = "espace-offline";
  var OFFLINE_PAGE = "/declaration-hors-ligne.html";
  var OFFLINE_CLASS = "espace-offline";
  var INSTALLABLE_CLASS = "espace-installable";
  var LOGOUT_PATH = "/api/auth/logout";

  /* ---------- service worker ---------- */

  function register() {
    navigator.serviceWorker.register("/sw.js", { scope: "/" }).catch(function (error) {
      console.warn("Espace : service worker non enregistré.", error);
    });
  }

  var canRegister = "serviceWorker" in navigator && window.isSecureContext !== false;

  // After the page has loaded: the precache must not compete with the page's own files; then the
  // offline declarations waiting on this device (syncQueue, below) are shown and sent.
  function loaded() {
    if (canRegister) register();
    syncQueue();
  }
  if (document.readyState === "complete") setTimeout(loaded, 0);
  else window.addEventListener("load", loaded, { once: true });

  /* ---------- install button ---------- */

  // Hidden by default, whatever the page renders (React may add the button after this script runs).
  var style = document.createElement("style");
  style.textContent =
    "html:not(." + INSTALLABLE_CLASS + ") [data-install-app]{display:none !important}" +
    "html:not(." + OFFLINE_CLASS + ") [data-offline-only]{display:none !important}";
  (document.head || document.documentElement).appendChild(style);

  var installPrompt = null;

  function setInstallable(installable) {
    document.documentElement.classList.toggle(INSTALLABLE_CLASS, installable);
  }

  window.addEventListener("beforeinstallprompt", function (event) {
    event.preventDefault(); // our own button instead of the browser's mini info bar
    installPrompt = event;
    setInstallable(true);
  });

  window.addEventListener("appinstalled", function () {
    installPrompt = null;
    setInstallable(false);
  });

  document.addEventListener("click", function (event) {
    var target = event.target instanceof Element ? event.target : null;
    if (!target) return;

    var button = target.closest("[data-install-app]");
    if (button && installPrompt) {
      event.preventDefault();
      var prompt = installPrompt;
      installPrompt = null; // a prompt can be shown only once
      setInstallable(false);
      prompt.prompt();
      if (prompt.userChoice) prompt.userChoice.catch(function () {});
      return;
    }

    var link = target.closest("a[href]");
    var href = link ? new URL(link.href, location.href) : null;
    if (href && href.origin === location.origin && href.pathname === LOGOUT_PATH) {
      window.espaceLogoutCleanup();
    }
  });

  /* ---------- logout ---------- */

  window.espaceLogoutCleanup = function () {
    var declarations = forgetOfflineClaims();
    try {
      navigator.serviceWorker?.controller?.postMessage({ type: "logout" });
    } catch (error) {
      // no controller, or it went away: the cache is deleted below anyway
    }
    // The next person on this device must not receive this holder's notifications.
    if (window.espacePush) window.espacePush.unsubscribe().catch(function () {});
    if (!("caches" in window)) return declarations.then(function () { return false; });
    var attestations = caches.delete(ATTESTATIONS_CACHE).catch(function () {
      return false;
    });
    return Promise.all([attestations, declarations]).then(function (done) { return done[0]; });
  };

  /* ---------- offline ---------- */

  function showOnline() {
    document.documentElement.classList.toggle(OFFLINE_CLASS, navigator.onLine === false);
  }
  showOnline();
  window.addEventListener("offline", showOnline);
  window.addEventListener("online", function () {
    showOnline();
    syncQueue();
  });

  /* ---------- offline claim declarations ---------- */

  function forgetOfflineClaims() {
    if (window.espaceOfflineClaims) return window.espaceOfflineClaims.wipe().catch(function () { return false; });
    if (!window.indexedDB) return Promise.resolve(false);
    return new Promise(function (resolve) {
      var request = window.indexedDB.deleteDatabase(OFFLINE_DB);
      request.onsuccess = function () { resolve(true); };
      request.onerror = function () { resolve(false); };
    });
  }

  // Only when declarations may be waiting: a page never creates the database for nothing.
  function offlineClaimsMayWait() {
    if (!window.indexedDB) return Promise.resolve(false);
    if (typeof window.indexedDB.databases !== "function") return Promise.resolve(true);
    return window.indexedDB.databases().then(
      function (list) { return list.some(function (db) { return db.name === OFFLINE_DB; }); },
      function () { return true; }
    );
  }

  function loadQueue() {
    if (window.espaceOfflineClaims) return Promise.resolve(window.espaceOfflineClaims);
    return new Promise(function (resolve) {
      var script = document.createElement("script");
      script.src = "/offline-queue.js";
      script.onload = function () { resolve(window.espaceOfflineClaims || null); };
      script.onerror = function () { resolve(null); };
      (document.head || document.documentElement).appendChild(script);
    });
  }

  function banner() {
    var node = document.getElementById("offline-claims-banner");
    if (!node && document.body) {
      node = document.createElement("div");
      node.id = "offline-claims-banner";
      node.className = "offline-claims-banner";
      node.setAttribute("role", "status");
      node.setAttribute("aria-live", "polite");
      document.body.appendChild(node);
    }
    return node;
  }

  function showQueue(items) {
    var node = banner();
    if (!node) return;
    var waiting = items.filter(function (i) { return i.status === "pending"; }).length;
    var login = items.filter(function (i) { return i.status === "login"; }).length;
    var errors = items.filter(function (i) { return i.status === "error"; }).length;
    var sent = items.filter(function (i) { return i.status === "sent"; });
    var text = "";
    if (login) text = "Connectez-vous pour envoyer votre déclaration.";
    else if (errors) text = errors === 1 ? "1 déclaration hors ligne est à corriger." : errors + " déclarations hors ligne sont à corriger.";
    else if (waiting) text = waiting === 1 ? "1 déclaration en attente d'envoi" : waiting + " déclarations en attente d'envoi";
    else if (sent.length) text = "Déclaration hors ligne envoyée — sinistre n° " + sent.map(function (i) { return i.number; }).join(", ");
    node.textContent = "";
    node.hidden = !text;
    if (!text) return;
    node.appendChild(document.createTextNode(text + " "));
    var link = document.createElement("a");
    link.href = OFFLINE_PAGE;
    link.textContent = "Voir mes déclarations hors ligne";
    node.appendChild(link);
  }

  var queueShown = false;

  function syncQueue() {
    if (location.pathname === OFFLINE_PAGE) return Promise.resolve(); // the page shows and sends them itself
    return offlineClaimsMayWait().then(function (mayWait) {
      if (!mayWait && !queueShown) return null;
      return loadQueue().then(function (queue) {
        if (!queue) return null;
        if (!queueShown) {
          queueShown = true;
          window.addEventListener(queue.CHANGED, function () { queue.list().then(showQueue).catch(function () {}); });
        }
        return queue.list().then(function (items) {
          showQueue(items);
          var toSend = items.some(function (i) { return i.status === "pending" || i.status === "login"; });
          if (toSend && navigator.onLine !== false) return queue.send();
          return null;
        });
      });
    }).catch(function () {});
  }

  if ("serviceWorker" in navigator && typeof navigator.serviceWorker.addEventListener === "function") {
    navigator.serviceWorker.addEventListener("message", function (event) {
      if (event.data && event.data.type === "espace-offline-claims-changed") syncQueue();
    });
  }

  /* ---------- web push ---------- */

  function keyBytes(base64url) {
    var base64 = (base64url + "===".slice((base64url.length + 3) % 4)).replace(/-/g, "+").replace(/_/g, "/");
    var raw = atob(base64);
    var bytes = new Uint8Array(raw.length);
    for (var i = 0; i < raw.length; i += 1) bytes[i] = raw.charCodeAt(i);
    return bytes;
  }

  function sameKey(buffer, bytes) {
    if (!buffer) return false;
    var current = new Uint8Array(buffer);
    if (current.length !== bytes.length) return false;
    for (var i = 0; i < bytes.length; i += 1) if (current[i] !== bytes[i]) return false;
    return true;
  }

  function supported() {
    return "serviceWorker" in navigator && "PushManager" in window && "Notification" in window;
  }

  // navigator.serviceWorker.ready never settles if the worker could not be installed: give up after 10 s.
  function readyRegistration() {
    return Promise.race([
      navigator.serviceWorker.ready,
      new Promise(function (resolve, reject) {
        setTimeout(function () {
          reject(new Error("service worker not ready"));
        }, 10000);
      }),
    ]);
  }

  function sendSubscription(method, body) {
    return fetch("/api/push/abonnement", {
      method: method,
      credentials: "same-origin",
      headers: { "Content-Type": "application/json", Accept: "application/json" },
      body: JSON.stringify(body),
    });
  }

  async function subscribe() {
    if (!supported()) return "Votre navigateur ne permet pas de recevoir des notifications.";
    try {
      // Ask first, while the click still counts as a user gesture (Safari requires it).
      var permission = await Notification.requestPermission();
      if (permission !== "granted") {
        return "Notifications refusées : vous pouvez les autoriser dans les réglages de votre navigateur.";
      }
      var keyResponse = await fetch("/api/push/cle", {
        credentials: "same-origin",
        headers: { Accept: "application/json" },
      });
      if (keyResponse.status === 404) return "Les notifications ne sont pas disponibles pour le moment.";
      if (!keyResponse.ok) return "Les notifications n'ont pas pu être activées. Réessayez plus tard.";
      var publicKey = (await keyResponse.json()).publicKey;
      if (!publicKey) return "Les notifications ne sont pas disponibles pour le moment.";
      var applicationServerKey = keyBytes(publicKey);

      var registration = await readyRegistration();
      var subscription = await registration.pushManager.getSubscription();
      if (subscription && !sameKey(subscription.options && subscription.options.applicationServerKey, applicationServerKey)) {
        await subscription.unsubscribe(); // made with an older server key: it would be refused
        subscription = null;
      }
      if (!subscription) {
        subscription = await registration.pushManager.subscribe({
          userVisibleOnly: true,
          applicationServerKey: applicationServerKey,
        });
      }
      var saved = await sendSubscription("POST", subscription.toJSON());
      if (!saved.ok) return "Votre abonnement n'a pas pu être enregistré. Réessayez plus tard.";
      return "Notifications activées sur cet appareil.";
    } catch (error) {
      if (error && error.name === "NotAllowedError") {
        return "Notifications refusées : vous pouvez les autoriser dans les réglages de votre navigateur.";
      }
      return "Les notifications n'ont pas pu être activées. Vérifiez votre connexion et réessayez.";
    }
  }

  async function unsubscribe() {
    if (!supported()) return "Votre navigateur ne permet pas de recevoir des notifications.";
    try {
      var registration = await navigator.serviceWorker.getRegistration("/");
      var subscription = registration ? await registration.pushManager.getSubscription() : null;
      if (!subscription) return "Les notifications sont déjà désactivées sur cet appareil.";
      var endpoint = subscription.endpoint;
      await subscription.unsubscribe();
      try {
        await sendSubscription("DELETE", { endpoint: endpoint });
      } catch (error) {
        // The browser no longer receives anything; the server drops the endpoint on its next refusal.
      }
      return "Notifications désactivées sur cet appareil.";
    } catch (error) {
      return "Les notifications n'ont pas pu être désactivées. Réessayez plus tard.";
    }
  }

  window.espacePush = { subscribe: subscribe, unsubscribe: unsubscribe };
})();
