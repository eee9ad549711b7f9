// Help page: an article opened from a search result or a link (#slug) is unfolded and shown.
// A file rather than an inline script, so that the Content-Security-Policy needs no exception for it.
(function () {
  function open() {
    var id = decodeURIComponent(location.hash.slice(1));
    if (!id) return;
    var details = document.getElementById(id);
    if (details && details.tagName === "DETAILS") {
      details.open = true;
      details.scrollIntoView();
    }
  }
  window.addEventListener("hashchange", open);
  setTimeout(open, 300);
})();
