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
      // the router writes the href as "/page/#contenu": the target is what follows the "#"
      var target = document.getElementById((link.getAttribute("href") || "").split("#")[1] || "");
      if (!target) return;
      event.preventDefault();
      event.stopPropagation();
      target.focus();
      target.scrollIntoView();
    },
    true
  );
})();
