/* Cầu Nối: small progressive enhancements; every page works without them.
 *
 * Pickers (core/widgets.py): the <select> stays the form's input; it is hidden and its chosen
 * options are shown as chips. The search box fetches suggestions with htmx; choosing one
 * selects (or adds) its option and fires "change", so htmx filter forms refresh too.
 *
 * The Content-Security-Policy allows scripts and styles from our own files only: no inline
 * <script>, style="" or on*= handlers in the templates. */
(function () {
  "use strict";

  function parts(picker) {
    return {
      select: picker.querySelector("select"),
      chips: picker.querySelector(".chips"),
      search: picker.querySelector(".picker-search"),
      list: picker.querySelector(".suggestions"),
    };
  }

  function render(picker) {
    var p = parts(picker);
    var removeLabel = picker.dataset.removeLabel || "Remove";
    p.chips.replaceChildren();
    Array.prototype.forEach.call(p.select.selectedOptions, function (opt) {
      if (!opt.value) return;
      var li = document.createElement("li");
      li.className = "chip";
      var span = document.createElement("span");
      span.textContent = opt.textContent;
      var btn = document.createElement("button");
      btn.type = "button";
      btn.className = "chip-remove";
      btn.dataset.value = opt.value;
      btn.setAttribute("aria-label", removeLabel + ": " + opt.textContent);
      btn.textContent = "×";
      li.append(span, btn);
      p.chips.append(li);
    });
  }

  function changed(picker) {
    render(picker);
    parts(picker).select.dispatchEvent(new Event("change", { bubbles: true }));
  }

  function choose(picker, value, label) {
    var p = parts(picker);
    var opt = Array.prototype.find.call(p.select.options, function (o) { return o.value === value; });
    if (!opt) {
      opt = new Option(label, value);
      p.select.add(opt);
    }
    if (p.select.multiple) opt.selected = true; else p.select.value = value;
    p.search.value = "";
    p.list.replaceChildren();
    p.search.setAttribute("aria-expanded", "false");
    changed(picker);
    p.search.focus();
  }

  function enhance(root) {
    var pickers = root.querySelectorAll ? root.querySelectorAll("[data-picker]") : [];
    Array.prototype.forEach.call(pickers, function (picker) {
      if (picker.classList.contains("picker-on")) return;
      picker.classList.add("picker-on");
      picker.querySelector(".picker-ui").hidden = false;
      render(picker);
    });
  }

  document.addEventListener("click", function (e) {
    var picker = e.target.closest && e.target.closest("[data-picker]");
    if (!picker) return;
    var suggestion = e.target.closest(".suggestions button[data-value]");
    if (suggestion) {
      choose(picker, suggestion.dataset.value, suggestion.dataset.label);
      return;
    }
    var remove = e.target.closest(".chip-remove");
    if (remove) {
      var select = parts(picker).select;
      Array.prototype.forEach.call(select.options, function (o) {
        if (o.value === remove.dataset.value) o.selected = false;
      });
      if (!select.multiple) select.value = "";
      changed(picker);
    }
  });

  document.addEventListener("keydown", function (e) {
    if (!e.target.classList || !e.target.classList.contains("picker-search")) return;
    var picker = e.target.closest("[data-picker]");
    var first = parts(picker).list.querySelector("button[data-value]");
    if (e.key === "Enter") {
      e.preventDefault(); // never submit the surrounding form from the search box
      if (first) first.click();
    } else if (e.key === "ArrowDown" && first) {
      e.preventDefault();
      first.focus();
    }
  });

  document.addEventListener("htmx:afterSwap", function (e) {
    var list = e.target;
    if (list.classList && list.classList.contains("suggestions")) {
      var picker = list.closest("[data-picker]");
      parts(picker).search.setAttribute("aria-expanded", list.children.length ? "true" : "false");
    }
  });

  // An htmx element with data-swap-errors="ID" shows the 400/409/428 fragments the server
  // sends into #ID (a refused autosave names the bad answers or the differing saved ones).
  document.addEventListener("htmx:beforeSwap", function (e) {
    var elt = e.detail.requestConfig && e.detail.requestConfig.elt;
    var status = e.detail.xhr && e.detail.xhr.status;
    if (elt && elt.dataset && elt.dataset.swapErrors && (status === 400 || status === 409 || status === 428)) {
      e.detail.shouldSwap = true;
      e.detail.isError = false;
    }
  });

  // A form with data-reset-on-answer is emptied once its request is answered (200), not when
  // the server refuses it (its message then shows beside the text, kept). Here, not in an
  // hx-on attribute: the content security policy allows no evaluated script.
  document.addEventListener("htmx:afterRequest", function (e) {
    var elt = e.detail.elt;
    if (elt && elt.dataset && elt.dataset.resetOnAnswer !== undefined && e.detail.xhr && e.detail.xhr.status === 200) {
      elt.reset();
    }
  });

  // A form that autosaves (data-autosave) and is sent by its buttons: an autosave on its way
  // is let finish first (its answer brings the new version into the form), and none starts
  // once the form is being sent, so the user's own autosave never makes their save stale.
  document.addEventListener("submit", function (e) {
    var form = e.target;
    if (!form.dataset || !form.dataset.autosave) return;
    if (form.classList.contains("htmx-request")) {
      e.preventDefault();
      var submitter = e.submitter;
      form.addEventListener("htmx:afterRequest", function () {
        form.requestSubmit(submitter);
      }, { once: true });
      return;
    }
    form.dataset.submitting = "1";
  });
  document.addEventListener("htmx:beforeRequest", function (e) {
    var elt = e.detail.elt;
    if (elt && elt.dataset && elt.dataset.submitting) e.preventDefault();
  });

  // A form with data-confirm asks before it is sent (no inline handlers: the CSP forbids them).
  document.addEventListener("submit", function (e) {
    var form = e.target;
    if (form.dataset && form.dataset.confirm && !window.confirm(form.dataset.confirm)) {
      e.preventDefault();
    }
  });

  document.addEventListener("DOMContentLoaded", function () { enhance(document); });
  document.addEventListener("htmx:load", function (e) { enhance(e.target); });
})();
