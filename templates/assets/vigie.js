// vigie default theme: navigation drawer, dark mode toggle, copy buttons, tabs,
// keyboard shortcut "/" for search. No dependency; works from file://.
(function () {
  "use strict";
  var doc = document.documentElement;
  // UI strings come from the page (one table in the binary, French and English).
  var data = document.body.dataset;
  var T = { copy: data.copy || "Copy", copied: data.copied || "Copied!", failed: data.copyFailed || "Failed" };

  // Navigation drawer (mobile).
  var toggle = document.querySelector(".nav-toggle");
  var backdrop = document.querySelector(".nav-backdrop");
  function setNav(open) {
    document.body.classList.toggle("nav-open", open);
    if (toggle) toggle.setAttribute("aria-expanded", open ? "true" : "false");
    if (backdrop) backdrop.hidden = !open;
    if (open) {
      var current = document.querySelector('.sidebar [aria-current="page"]') || document.querySelector(".sidebar a");
      if (current) current.focus();
    }
  }
  if (toggle) toggle.addEventListener("click", function () { setNav(!document.body.classList.contains("nav-open")); });
  if (backdrop) backdrop.addEventListener("click", function () { setNav(false); });
  document.addEventListener("keydown", function (e) {
    if (e.key === "Escape" && document.body.classList.contains("nav-open")) { setNav(false); if (toggle) toggle.focus(); }
  });
  var current = document.querySelector('.sidebar [aria-current="page"]');
  if (current && current.scrollIntoView) current.scrollIntoView({ block: "center" });

  // Dark mode: follows the system until the user chooses; the choice is remembered.
  var themeButton = document.querySelector(".theme-toggle");
  if (themeButton) themeButton.addEventListener("click", function () {
    var dark = doc.dataset.theme ? doc.dataset.theme === "dark" : window.matchMedia("(prefers-color-scheme: dark)").matches;
    doc.dataset.theme = dark ? "light" : "dark";
    try { localStorage.setItem("vigie-theme", doc.dataset.theme); } catch (e) { /* file:// in some browsers */ }
  });

  // Copy buttons on code blocks.
  function copyText(text) {
    if (navigator.clipboard && window.isSecureContext) return navigator.clipboard.writeText(text);
    return new Promise(function (resolve, reject) {
      var area = document.createElement("textarea");
      area.value = text; area.setAttribute("readonly", ""); area.style.position = "fixed"; area.style.opacity = "0";
      document.body.appendChild(area); area.select();
      try { document.execCommand("copy") ? resolve() : reject(); } catch (e) { reject(e); }
      document.body.removeChild(area);
    });
  }
  document.querySelectorAll("pre.code").forEach(function (pre) {
    var button = document.createElement("button");
    button.type = "button"; button.className = "copy-button"; button.textContent = T.copy;
    button.addEventListener("click", function () {
      var code = pre.querySelector("code");
      copyText(code ? code.innerText : pre.innerText).then(function () { button.textContent = T.copied; },
        function () { button.textContent = T.failed; });
      setTimeout(function () { button.textContent = T.copy; }, 1500);
    });
    pre.appendChild(button);
  });

  // Tabs: sections become a keyboard-accessible tab list; without JS (and in print) they follow each other.
  document.querySelectorAll(".tabs").forEach(function (box, n) {
    var tabs = Array.prototype.filter.call(box.children, function (c) { return c.classList.contains("tab"); });
    if (!tabs.length) return;
    var list = document.createElement("div");
    list.className = "tab-list"; list.setAttribute("role", "tablist");
    var buttons = tabs.map(function (tab, i) {
      var b = document.createElement("button");
      b.type = "button"; b.setAttribute("role", "tab"); b.id = "tab-" + n + "-" + i;
      b.textContent = tab.getAttribute("data-tab") || String(i + 1);
      tab.setAttribute("role", "tabpanel"); tab.setAttribute("aria-labelledby", b.id);
      b.addEventListener("click", function () { select(i); });
      b.addEventListener("keydown", function (e) {
        if (e.key === "ArrowRight") { select((i + 1) % tabs.length, true); e.preventDefault(); }
        if (e.key === "ArrowLeft") { select((i - 1 + tabs.length) % tabs.length, true); e.preventDefault(); }
      });
      list.appendChild(b);
      return b;
    });
    function select(i, focus) {
      tabs.forEach(function (t, j) { t.hidden = i !== j; });
      buttons.forEach(function (b, j) { b.setAttribute("aria-selected", i === j ? "true" : "false"); b.tabIndex = i === j ? 0 : -1; });
      if (focus) buttons[i].focus();
    }
    box.insertBefore(list, box.firstChild);
    box.classList.add("js-tabs");
    select(0);
  });

  // "/" focuses search; "Escape" leaves it.
  var input = document.getElementById("search-input");
  document.addEventListener("keydown", function (e) {
    if (e.key === "/" && input && document.activeElement !== input && !/INPUT|TEXTAREA|SELECT/.test(document.activeElement.tagName)) {
      e.preventDefault(); input.focus(); input.select();
    }
  });
})();
