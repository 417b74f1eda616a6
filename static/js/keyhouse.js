// Keyhouse: progressive enhancements. No inline scripts anywhere; behaviour hangs off classes.
(function () {
  "use strict";

  function onReady(fn) {
    if (document.readyState !== "loading") { fn(); } else { document.addEventListener("DOMContentLoaded", fn); }
  }

  onReady(function () {
    // Site switcher: choosing a site submits the form to that site's switch URL.
    document.querySelectorAll(".js-site-switcher select").forEach(function (select) {
      select.addEventListener("change", function () {
        var form = select.form;
        form.action = select.value;
        form.submit();
      });
    });

    // Confirmation for destructive buttons: <button class="js-confirm" data-confirm="…">.
    document.addEventListener("submit", function (event) {
      var button = event.submitter;
      var message = (button && button.dataset.confirm) || event.target.dataset.confirm;
      if (message && !window.confirm(message)) { event.preventDefault(); }
    });

    // Copy buttons: <button class="js-copy" data-copy-target="#id">.
    document.querySelectorAll(".js-copy").forEach(function (button) {
      button.addEventListener("click", function () {
        var target = document.querySelector(button.dataset.copyTarget);
        if (!target) { return; }
        var text = target.dataset.copyText || target.textContent.trim();
        navigator.clipboard.writeText(text).then(function () {
          var original = button.textContent;
          button.textContent = "Copied";
          setTimeout(function () { button.textContent = original; }, 2000);
        });
      });
    });

    // A form that came back with errors: focus the first problem so a screen reader reads it.
    var problem = document.querySelector("form .is-invalid, form .alert-danger");
    if (problem) {
      if (!problem.matches("input, select, textarea")) { problem.setAttribute("tabindex", "-1"); }
      problem.focus();
    }

    // Print buttons.
    document.querySelectorAll(".js-print").forEach(function (button) {
      button.addEventListener("click", function () { window.print(); });
    });
  });
})();
