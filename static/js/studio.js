// Small progressive enhancements; every page works without this file.
(function () {
  "use strict";

  function toast(message, level) {
    var box = document.getElementById("toast");
    if (!box) return;
    box.textContent = message; // text, never HTML
    box.className = level === "info" ? "info" : "";
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
  // The focused card is remembered by id on <body>, not only by its class: htmx swaps
  // a decided card for a new element, and the reviewer's place must survive that.
  function current() {
    var id = document.body.dataset.focusedVariant;
    return (id && document.getElementById("variant-" + id)) ||
      document.querySelector("article.variant.focused");
  }

  function markFocused(card) {
    cards().forEach(function (c) { if (c !== card) c.classList.remove("focused"); });
    card.classList.add("focused");
    document.body.dataset.focusedVariant = card.dataset.variant;
  }

  // Scroll a card into view below the sticky bulk bar, never under it.
  function reveal(card) {
    var bar = document.querySelector(".toolbar");
    var sticky = bar && getComputedStyle(bar).position === "sticky";
    var offset = sticky ? bar.getBoundingClientRect().height + 12 : 12;
    card.style.scrollMarginTop = offset + "px";
    var behavior = window.matchMedia("(prefers-reduced-motion: reduce)").matches ? "auto" : "smooth";
    var rect = card.getBoundingClientRect();
    // A card taller than the room below the bar shows its header (its top), not its foot.
    if (rect.top < offset || rect.height > window.innerHeight - offset) {
      card.scrollIntoView({ block: "start", behavior: behavior });
    } else if (rect.bottom > window.innerHeight) {
      card.scrollIntoView({ block: "end", behavior: behavior });
    }
  }

  function focusCard(card, options) {
    if (!card) return;
    markFocused(card);
    // A click on a button inside the card keeps its focus: moving focus away from a
    // submit button makes htmx forget which one was clicked (and so its name=value).
    if (!(options && options.keepFocus)) {
      card.focus({ preventScroll: true });
      reveal(card);
    }
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
    if (target && target.disabled) { toast(target.title || "Not possible on this card.", "info"); return; }
    if (target) target.click();
  }

  function updateSelected() {
    var count = document.querySelectorAll("input[data-select]:checked").length;
    document.querySelectorAll("[data-selected-count]").forEach(function (el) { el.textContent = count; });
  }

  document.addEventListener("change", function (event) {
    if (event.target.matches("input[data-select]")) updateSelected();
  });

  // Cards swapped in by htmx keep the keyboard focus where the reviewer was. htmx:load
  // fires on the new element itself (afterSwap fires on the old, detached one, which
  // never reaches this document listener).
  function restoreFocus() {
    var id = document.body.dataset.focusedVariant;
    var card = id && document.getElementById("variant-" + id);
    if (!card) return;
    card.classList.add("focused");
    var active = document.activeElement;
    if (!active || active === document.body) card.focus({ preventScroll: true });
  }
  // "More like this": show the strength the range input is set to.
  document.addEventListener("input", function (event) {
    var range = event.target.closest && event.target.closest("input[data-strength]");
    if (!range) return;
    var shown = range.form && range.form.querySelector("[data-strength-value]");
    if (shown) shown.textContent = Number(range.value).toFixed(1);
  });

  document.addEventListener("htmx:load", function () { restoreFocus(); updateSelected(); });
  document.addEventListener("htmx:afterSettle", function () { restoreFocus(); updateSelected(); });

  // A final action (data-confirm) asks in the browser first; when confirmed, the form
  // says so (confirm=True) and the server skips its own confirmation page.
  document.addEventListener("submit", function (event) {
    var form = event.target;
    var question = form.dataset && form.dataset.confirm;
    if (!question) return;
    if (!window.confirm(question)) { event.preventDefault(); return; }
    var box = form.querySelector("input[name=confirm]");
    if (!box) {
      box = document.createElement("input");
      box.type = "hidden"; box.name = "confirm";
      form.appendChild(box);
    }
    box.value = "True";
  });

  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (form.id !== "compare-form") return;
    var picked = document.querySelectorAll("input[data-select]:checked");
    if (picked.length < 2 || picked.length > 4) {
      // Stay on the grid (the selection is kept) and say what is missing.
      event.preventDefault();
      toast("Choose 2 to 4 variants to compare (" + picked.length + " selected).", "info");
      return;
    }
    form.querySelectorAll("input[name=ids]").forEach(function (el) { el.remove(); });
    picked.forEach(function (box) {
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
    if (card && !card.classList.contains("focused")) {
      var control = event.target.closest("button, input, select, textarea, a, summary, label");
      focusCard(card, { keepFocus: Boolean(control) });
    }
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
