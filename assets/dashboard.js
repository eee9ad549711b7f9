// Drag and drop of dashboard widgets (mouse). Keyboard and touch use the arrow buttons.
// The new order goes to the server through a hidden form (DashboardState.reorder).
(function () {
  if (window.__espaceDnd) return;
  window.__espaceDnd = true;
  var dragged = null;
  document.addEventListener("dragstart", function (e) {
    var card = e.target.closest && e.target.closest('[data-widget][draggable="true"]');
    if (!card) return;
    dragged = card;
    e.dataTransfer.effectAllowed = "move";
    e.dataTransfer.setData("text/plain", card.getAttribute("data-widget"));
    card.classList.add("dragging");
  });
  document.addEventListener("dragover", function (e) {
    if (!dragged) return;
    var over = e.target.closest && e.target.closest("[data-widget]");
    if (over && over !== dragged) e.preventDefault();
  });
  document.addEventListener("drop", function (e) {
    if (!dragged) return;
    var target = e.target.closest && e.target.closest("[data-widget]");
    if (!target || target === dragged) return;
    e.preventDefault();
    var grid = target.parentNode;
    var cards = Array.prototype.slice.call(grid.querySelectorAll("[data-widget]"));
    var ids = cards.map(function (c) { return c.getAttribute("data-widget"); });
    var from = ids.indexOf(dragged.getAttribute("data-widget"));
    var to = ids.indexOf(target.getAttribute("data-widget"));
    ids.splice(to, 0, ids.splice(from, 1)[0]);
    var field = document.getElementById("dashboard-order");
    var submit = document.getElementById("dashboard-order-submit");
    if (field && submit) { field.value = ids.join(","); submit.click(); }
  });
  document.addEventListener("dragend", function () {
    if (dragged) dragged.classList.remove("dragging");
    dragged = null;
  });
})();
