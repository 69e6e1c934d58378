// Small progressive enhancements; every page works without this file.
(function () {
  "use strict";

  function toast(message) {
    var box = document.getElementById("toast");
    if (!box) return;
    box.textContent = message; // text, never HTML
    box.hidden = false;
    clearTimeout(box._timer);
    box._timer = setTimeout(function () { box.hidden = true; }, 6000);
  }

  document.addEventListener("htmx:responseError", function (event) {
    var status = event.detail.xhr.status;
    var text = status === 403 ? "Your role does not allow this action."
      : status === 404 ? "Not found (or not in your brands)."
      : "The server answered " + status + ". Nothing was changed.";
    toast(text);
  });
  document.addEventListener("htmx:sendError", function () { toast("Network error: the server could not be reached."); });

  function cards() { return Array.prototype.slice.call(document.querySelectorAll("article.variant")); }
  function current() { return document.querySelector("article.variant.focused"); }

  function focusCard(card) {
    if (!card) return;
    cards().forEach(function (c) { c.classList.remove("focused"); });
    card.classList.add("focused");
    card.focus({ preventScroll: true });
    card.scrollIntoView({ block: "nearest", behavior: "smooth" });
    document.body.dataset.focusedVariant = card.dataset.variant;
  }

  function move(step) {
    var list = cards();
    if (!list.length) return;
    var index = list.indexOf(current());
    var next = index < 0 ? 0 : Math.min(Math.max(index + step, 0), list.length - 1);
    focusCard(list[next]);
  }

  function press(card, action) {
    var target = card && card.querySelector('[data-action="' + action + '"]');
    if (target) target.click();
  }

  function updateSelected() {
    var count = document.querySelectorAll("input[data-select]:checked").length;
    document.querySelectorAll("[data-selected-count]").forEach(function (el) { el.textContent = count; });
  }

  document.addEventListener("change", function (event) {
    if (event.target.matches("input[data-select]")) updateSelected();
  });

  // Cards swapped in by htmx keep the keyboard focus where the reviewer was.
  document.addEventListener("htmx:afterSwap", function () {
    var id = document.body.dataset.focusedVariant;
    var card = id && document.getElementById("variant-" + id);
    if (card) card.classList.add("focused");
    updateSelected();
  });

  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (form.id !== "compare-form") return;
    form.querySelectorAll("input[name=ids]").forEach(function (el) { el.remove(); });
    document.querySelectorAll("input[data-select]:checked").forEach(function (box) {
      var input = document.createElement("input");
      input.type = "hidden"; input.name = "ids"; input.value = box.value;
      form.appendChild(input);
    });
  });

  document.addEventListener("click", function (event) {
    if (event.target.matches("[data-close-panel]")) {
      var panel = document.getElementById("side-panel");
      if (panel) panel.innerHTML = "";
    }
    if (event.target.matches('[data-toggle="shortcuts"]')) {
      var help = document.getElementById("shortcuts");
      if (help) help.hidden = !help.hidden;
    }
    var card = event.target.closest && event.target.closest("article.variant");
    if (card && !card.classList.contains("focused")) focusCard(card);
  });

  document.addEventListener("keydown", function (event) {
    if (event.ctrlKey || event.metaKey || event.altKey) return;
    var tag = (event.target.tagName || "").toLowerCase();
    if (tag === "input" || tag === "textarea" || tag === "select" || event.target.isContentEditable) {
      if (event.key === "Escape") event.target.blur();
      return;
    }
    if (!document.querySelector("[data-review-grid]")) return;
    var card = current();
    var actions = {
      j: function () { move(1); },
      k: function () { move(-1); },
      a: function () { press(card, "approve"); },
      r: function () { press(card, "reject"); },
      e: function () { press(card, "edit"); },
      p: function () { press(card, "preview"); },
      w: function () { press(card, "why"); },
      x: function () {
        var box = card && card.querySelector("input[data-select]");
        if (box) { box.checked = !box.checked; updateSelected(); }
      },
      "?": function () { var help = document.getElementById("shortcuts"); if (help) help.hidden = !help.hidden; },
      Escape: function () { var panel = document.getElementById("side-panel"); if (panel) panel.innerHTML = ""; }
    };
    var run = actions[event.key];
    if (run) { event.preventDefault(); run(); }
  });
})();
