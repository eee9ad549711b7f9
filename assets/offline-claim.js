/* Espace — the offline claim declaration page (/declaration-hors-ligne.html), precached by the service worker.
 *
 * Online, the page keeps the holder's form (contracts, perils and their questions) on the device; offline it
 * builds the declaration from that copy. A declaration is stored encrypted by offline-queue.js, then sent
 * when the connection returns (the "online" event, this page's load, Background Sync where the browser has
 * it). Its status stays visible: waiting, sign-in needed, to correct (the server's French errors next to
 * the fields), sent with its claim number.
 */
(function () {
  "use strict";

  var queue = window.espaceOfflineClaims;
  var MAX_PHOTOS = 5;
  var MAX_PHOTO_BYTES = 10 * 1024 * 1024;
  var FIELDS = ["contract", "peril", "occurred_date", "occurred_time", "description", "item_description",
                "item_category", "item_estimate", "photos"];

  var formEl = document.getElementById("declaration");
  var absent = document.getElementById("formulaire-absent");
  var network = document.getElementById("reseau");
  var listEl = document.getElementById("file");
  var listState = document.getElementById("file-etat");
  var general = document.getElementById("erreur-generale");
  var cancelEdit = document.getElementById("annuler-correction");
  var keptPhotos = document.getElementById("photos-gardees");

  var form = null; // the holder's offline form
  var editing = null; // id of the declaration being corrected
  var editingPhotos = []; // its photos, kept unless new ones are chosen

  function el(tag, attrs, text) {
    var node = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (name) { node.setAttribute(name, attrs[name]); });
    if (text !== undefined) node.textContent = text;
    return node;
  }

  /* ---------- network status ---------- */

  function showNetwork() {
    network.textContent = navigator.onLine
      ? "Vous êtes connecté : vos déclarations partent dès qu'elles sont enregistrées."
      : "Vous êtes hors ligne : votre déclaration sera enregistrée sur cet appareil et envoyée au retour de la connexion.";
  }

  /* ---------- the form ---------- */

  function option(select, value, label) {
    var item = el("option", { value: value }, label);
    select.appendChild(item);
  }

  function perilOf(code) {
    return (form.perils || []).filter(function (p) { return p.code === code; })[0] || null;
  }

  function fillSelects() {
    var contract = document.getElementById("contract");
    var peril = document.getElementById("peril");
    var category = document.getElementById("item_category");
    [contract, peril, category].forEach(function (select) { select.textContent = ""; });
    option(contract, "", "Choisissez un contrat");
    form.contracts.forEach(function (c) { option(contract, String(c.id), c.number + " — " + c.address); });
    if (form.contracts.length === 1) contract.value = String(form.contracts[0].id);
    option(peril, "", "Choisissez l'événement");
    form.perils.forEach(function (p) { option(peril, p.code, p.label); });
    option(category, "", "Choisissez une catégorie");
    form.categories.forEach(function (c) { option(category, c[0], c[1]); });
    var now = new Date();
    document.getElementById("occurred_date").max = [
      now.getFullYear(), ("0" + (now.getMonth() + 1)).slice(-2), ("0" + now.getDate()).slice(-2),
    ].join("-");
    MAX_PHOTOS = form.max_photos || MAX_PHOTOS;
    MAX_PHOTO_BYTES = form.max_photo_bytes || MAX_PHOTO_BYTES;
  }

  function currentAnswers() {
    var answers = {};
    formEl.querySelectorAll("[data-question]").forEach(function (input) {
      if (input.type === "radio") {
        if (input.checked) answers[input.dataset.question] = input.value;
      } else {
        answers[input.dataset.question] = input.value;
      }
    });
    return answers;
  }

  function renderQuestions(answers) {
    var holder = document.getElementById("questions");
    holder.textContent = "";
    var found = perilOf(document.getElementById("peril").value);
    if (!found) return;
    found.questions.forEach(function (q) {
      if (q.show_if && answers[q.show_if[0]] !== q.show_if[1]) return;
      var id = "q_" + q.id;
      var wrapper = el("div", { class: "field" });
      var errorId = id + "-erreur";
      if (q.kind === "choice") {
        var set = el("fieldset", { "aria-describedby": errorId });
        var legend = el("legend", {}, q.label);
        if (q.hint) legend.appendChild(el("span", { class: "hint" }, q.hint));
        set.appendChild(legend);
        q.options.forEach(function (opt, n) {
          var label = el("label", { class: "choice", for: id + "-" + n });
          var input = el("input", { type: "radio", id: id + "-" + n, name: id, value: opt[0], "data-question": q.id });
          if (answers[q.id] === opt[0]) input.checked = true;
          label.appendChild(input);
          label.appendChild(document.createTextNode(opt[1]));
          set.appendChild(label);
        });
        wrapper.appendChild(set);
      } else {
        var text = el("label", { for: id }, q.label + (q.required ? "" : " (facultatif)"));
        if (q.hint) text.appendChild(el("span", { class: "hint" }, q.hint));
        var field = el("input", {
          id: id, name: id, type: q.kind === "date" ? "date" : "text", maxlength: String(q.max_length || 200),
          "data-question": q.id, "aria-describedby": errorId,
        });
        field.value = answers[q.id] || "";
        wrapper.appendChild(text);
        wrapper.appendChild(field);
      }
      var error = el("p", { id: errorId, class: "error" });
      error.hidden = true;
      wrapper.appendChild(error);
      holder.appendChild(wrapper);
    });
  }

  function showErrors(errors) {
    formEl.querySelectorAll(".error").forEach(function (p) { p.hidden = true; p.textContent = ""; });
    formEl.querySelectorAll("[aria-invalid]").forEach(function (n) { n.removeAttribute("aria-invalid"); });
    var first = null;
    var rest = [];
    Object.keys(errors || {}).forEach(function (name) {
      var target = document.getElementById(name + "-erreur") || document.getElementById("q_" + name + "-erreur");
      if (!target) {
        rest.push(errors[name]);
        return;
      }
      target.textContent = errors[name];
      target.hidden = false;
      var input = document.getElementById(name) || document.getElementById("q_" + name) ||
                  formEl.querySelector("[name='q_" + name + "']");
      if (input) input.setAttribute("aria-invalid", "true");
      if (!first) first = input || target;
    });
    general.textContent = rest.join(" ");
    general.hidden = !rest.length;
    if (rest.length && !first) first = general;
    if (first && first.focus) first.focus();
  }

  function readPhotos() {
    var files = Array.prototype.slice.call(document.getElementById("photos").files || []);
    if (files.length > MAX_PHOTOS) {
      return Promise.reject({ photos: "Joignez au plus " + MAX_PHOTOS + " photos ; vous en ajouterez d'autres ensuite." });
    }
    var big = files.filter(function (f) { return f.size > MAX_PHOTO_BYTES; })[0];
    if (big) return Promise.reject({ photos: "« " + big.name + " » dépasse 10 Mo : choisissez une photo plus légère." });
    return Promise.all(files.map(function (file) {
      return file.arrayBuffer().then(function (data) {
        return { name: file.name || "photo.jpg", type: file.type || "image/jpeg", data: data };
      });
    }));
  }

  function check(fields) {
    var errors = {};
    if (!fields.contract) errors.contract = "Choisissez un de vos contrats en cours.";
    if (!fields.peril) errors.peril = "Choisissez ce qui s'est passé.";
    if (!fields.occurred_date) errors.occurred_date = "Indiquez la date du sinistre (JJ/MM/AAAA).";
    if ((fields.description || "").trim().length < 10) {
      errors.description = "Décrivez ce qui s'est passé en quelques phrases (10 caractères au moins).";
    }
    if ((fields.item_description || "").trim().length < 2) {
      errors.item_description = "Décrivez le bien (par exemple « Parquet du salon »).";
    }
    if (!fields.item_category) errors.item_category = "Choisissez une catégorie.";
    if (!(fields.item_estimate || "").trim()) errors.item_estimate = "Indiquez un montant.";
    var found = perilOf(fields.peril);
    var answers = currentAnswers();
    if (found) {
      found.questions.forEach(function (q) {
        if (q.show_if && answers[q.show_if[0]] !== q.show_if[1]) return;
        if (q.required && !(answers[q.id] || "").trim()) {
          errors[q.id] = q.kind === "choice" ? "Choisissez une réponse." : "Ce renseignement est nécessaire.";
        }
      });
    }
    return errors;
  }

  function collect() {
    var fields = {};
    ["contract", "peril", "occurred_date", "occurred_time", "description", "item_description", "item_category",
     "item_estimate"].forEach(function (name) { fields[name] = document.getElementById(name).value; });
    var answers = currentAnswers();
    var found = perilOf(fields.peril);
    if (found) {
      found.questions.forEach(function (q) {
        if (q.show_if && answers[q.show_if[0]] !== q.show_if[1]) return;
        if (answers[q.id] !== undefined) fields["q_" + q.id] = answers[q.id];
      });
    }
    return fields;
  }

  function summary(fields) {
    var contract = form.contracts.filter(function (c) { return String(c.id) === fields.contract; })[0];
    var peril = perilOf(fields.peril);
    return {
      contract: contract ? contract.number : "",
      peril: peril ? peril.label : "",
      date: fields.occurred_date ? fields.occurred_date.split("-").reverse().join("/") : "",
    };
  }

  function resetForm() {
    formEl.reset();
    editing = null;
    editingPhotos = [];
    keptPhotos.hidden = true;
    cancelEdit.hidden = true;
    fillSelects();
    renderQuestions({});
    showErrors({});
  }

  formEl.addEventListener("change", function (event) {
    if (event.target.id === "peril") renderQuestions({});
    else if (event.target.dataset && event.target.dataset.question) renderQuestions(currentAnswers());
  });

  cancelEdit.addEventListener("click", resetForm);

  formEl.addEventListener("submit", function (event) {
    event.preventDefault();
    var fields = collect();
    var errors = check(fields);
    readPhotos().then(
      function (photos) {
        if (Object.keys(errors).length) return showErrors(errors);
        if (!photos.length && editing) photos = editingPhotos;
        var declaration = { holder: form.holder, fields: fields, summary: summary(fields) };
        return queue.save(declaration, photos, editing || undefined).then(function () {
          resetForm();
          return refresh().then(function () {
            listState.focus && listState.focus();
            if (navigator.onLine) sendNow();
          });
        });
      },
      function (photoErrors) { showErrors(Object.assign(errors, photoErrors)); }
    ).catch(function () {
      showErrors({ general: "La déclaration n'a pas pu être enregistrée sur cet appareil (stockage indisponible ou plein)." });
    });
  });

  function edit(item) {
    editing = item.id;
    var fields = item.fields || {};
    FIELDS.forEach(function (name) {
      var input = document.getElementById(name);
      if (input && name !== "photos" && fields[name] !== undefined) input.value = fields[name];
    });
    var answers = {};
    Object.keys(fields).forEach(function (name) {
      if (name.indexOf("q_") === 0) answers[name.slice(2)] = fields[name];
    });
    renderQuestions(answers);
    queue.photosOf(item.id).then(function (photos) {
      editingPhotos = photos;
      keptPhotos.textContent = photos.length
        ? "Photos gardées : " + photos.map(function (p) { return p.name; }).join(", ") + " (choisissez-en d'autres pour les remplacer)."
        : "";
      keptPhotos.hidden = !photos.length;
    });
    cancelEdit.hidden = false;
    var errors = Object.assign({}, item.errors || {});
    if (errors.general) {
      errors.claim = errors.general;
      delete errors.general;
    }
    showErrors(errors);
  }

  /* ---------- the queue ---------- */

  var STATUS = {
    pending: "En attente d'envoi",
    login: "Connectez-vous pour envoyer votre déclaration",
    error: "À corriger avant l'envoi",
  };

  function render(items) {
    listEl.textContent = "";
    var waiting = 0;
    items.forEach(function (item) {
      if (form && item.holder && form.holder && item.holder !== form.holder) return; // someone else's
      var li = el("li", { "data-status": item.status });
      var s = item.summary || {};
      li.appendChild(el("strong", {}, (s.peril || "Déclaration") + (s.date ? " du " + s.date : "")));
      if (s.contract) li.appendChild(el("span", { class: "hint" }, "Contrat " + s.contract));
      var status = el("p", { class: "status " + item.status });
      if (item.status === "sent") {
        status.textContent = "Envoyée — sinistre n° " + item.number;
      } else {
        status.textContent = STATUS[item.status] || STATUS.pending;
        waiting += 1;
      }
      li.appendChild(status);
      var actions = el("div", { class: "actions" });
      if (item.status === "sent") {
        var follow = el("a", { href: "/sinistre?n=" + encodeURIComponent(item.number) }, "Suivre ce sinistre");
        actions.appendChild(follow);
        var hide = el("button", { type: "button", class: "secondary" }, "Retirer de la liste");
        hide.addEventListener("click", function () { queue.remove(item.id).then(refresh); });
        actions.appendChild(hide);
      } else {
        if (item.status === "login") {
          actions.appendChild(el("a", { href: "/connexion?suite=/sinistres" }, "Se connecter"));
        }
        if (item.status === "error") {
          var errors = item.errors || {};
          var messages = Object.keys(errors).map(function (name) { return errors[name]; });
          if (messages.length) li.appendChild(el("p", { class: "error item-errors" }, messages.join(" ")));
          var fix = el("button", { type: "button" }, "Corriger");
          fix.addEventListener("click", function () { edit(item); formEl.scrollIntoView(); });
          actions.appendChild(fix);
        }
        var drop = el("button", { type: "button", class: "secondary" }, "Supprimer");
        drop.addEventListener("click", function () {
          if (window.confirm("Supprimer cette déclaration de l'appareil ? Elle ne sera pas envoyée.")) {
            queue.remove(item.id).then(refresh);
          }
        });
        actions.appendChild(drop);
      }
      li.appendChild(actions);
      listEl.appendChild(li);
    });
    listState.textContent = !waiting
      ? (listEl.children.length ? "Aucune déclaration en attente d'envoi." : "Aucune déclaration en attente sur cet appareil.")
      : waiting === 1 ? "1 déclaration en attente d'envoi" : waiting + " déclarations en attente d'envoi";
  }

  function refresh() {
    return queue.list().then(render, function () { render([]); });
  }

  function sendNow() {
    return queue.send().then(refresh);
  }

  /* ---------- start ---------- */

  function showForm() {
    if (!form || !form.contracts || !form.contracts.length) {
      formEl.hidden = true;
      absent.hidden = false;
      absent.textContent = form
        ? "Aucun contrat en cours : la déclaration n'est pas possible."
        : "Ouvrez cette page une fois avec une connexion, en étant connecté à votre espace : elle pourra ensuite servir sans réseau.";
      return;
    }
    absent.hidden = true;
    formEl.hidden = false;
    fillSelects();
    renderQuestions({});
  }

  function start() {
    showNetwork();
    if (!queue) {
      absent.hidden = false;
      absent.textContent = "Votre navigateur ne permet pas d'enregistrer une déclaration sur l'appareil.";
      return;
    }
    var online = navigator.onLine ? queue.refreshForm() : Promise.resolve("offline");
    online
      .then(function (state) {
        return queue.loadForm().then(function (loaded) {
          form = loaded;
          if (state === "login" && !form) {
            absent.hidden = false;
            absent.textContent = "";
            absent.appendChild(document.createTextNode("Connectez-vous pour préparer une déclaration hors ligne : "));
            absent.appendChild(el("a", { href: "/connexion?suite=/sinistres" }, "se connecter"));
            return null;
          }
          showForm();
          return null;
        });
      })
      .catch(function () { showForm(); })
      .then(refresh)
      .then(function () { if (navigator.onLine) return sendNow(); return null; });
  }

  window.addEventListener("online", function () {
    showNetwork();
    sendNow();
  });
  window.addEventListener("offline", showNetwork);
  window.addEventListener(queue ? queue.CHANGED : "espace-offline-claims-changed", function () { refresh(); });
  if (navigator.serviceWorker) {
    navigator.serviceWorker.addEventListener("message", function (event) {
      if (event.data && queue && event.data.type === queue.CHANGED) refresh();
    });
  }

  start();
})();
