// "Aller au contenu": the skip link moves the keyboard focus to <main>, not only the view. Caught
// before the app's client-side router (capture phase), which would handle "#contenu" without
// moving the focus. A file rather than an inline script: the Content-Security-Policy needs no
// exception for it.
(function () {
  document.addEventListener(
    "click",
    function (event) {
      var link = event.target && event.target.closest && event.target.closest("a.skip-link");
      if (!link) return;
      var target = document.getElementById((link.getAttribute("href") || "").replace(/^#/, ""));
      if (!target) return;
      event.preventDefault();
      event.stopPropagation();
      target.focus();
      target.scrollIntoView();
    },
    true
  );
})();
