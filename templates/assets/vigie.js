// vigie default theme: navigation drawer, dark mode toggle, copy buttons, tabs,
// keyboard shortcut "/" for search. No dependency; works from file://.
(function () {
  "use strict";
  var doc = document.documentElement;
  // UI strings come from the page (one table in the binary, French and English).
  var data = document.body.dataset;
  var T = { copy: data.copy || "Copy", copied: data.copied || "Copied!", failed: data.copyFailed || "Failed" };

  // Navigation drawer (narrow screens): the menu button opens it; while it is
  // open the focus stays in it (Tab cycles through the button and the
  // sidebar), the page behind is inert, Escape or the backdrop closes it.
  var toggle = document.querySelector(".nav-toggle");
  var backdrop = document.querySelector(".nav-backdrop");
  var sidebar = document.getElementById("sidebar");
  var behind = [document.querySelector("main"), document.querySelector(".site-footer")];
  function isOpen() { return document.body.classList.contains("nav-open"); }
  function setNav(open) {
    document.body.classList.toggle("nav-open", open);
    if (toggle) toggle.setAttribute("aria-expanded", open ? "true" : "false");
    if (backdrop) backdrop.hidden = !open;
    behind.forEach(function (el) { if (el) el.inert = open; });
    if (open) {
      var current = document.querySelector('.sidebar [aria-current="page"]') || document.querySelector(".sidebar a");
      if (current) current.focus();
    }
  }
  function trapped() {
    var inside = sidebar ? Array.prototype.filter.call(sidebar.querySelectorAll("a[href], summary, button"), function (el) {
      return el.getClientRects().length > 0;
    }) : [];
    return [toggle].concat(inside);
  }
  if (toggle) toggle.addEventListener("click", function () { setNav(!isOpen()); });
  if (backdrop) backdrop.addEventListener("click", function () { setNav(false); if (toggle) toggle.focus(); });
  document.addEventListener("keydown", function (e) {
    if (!isOpen()) return;
    if (e.key === "Escape") { setNav(false); if (toggle) toggle.focus(); return; }
    if (e.key !== "Tab") return;
    var ring = trapped(), at = ring.indexOf(document.activeElement);
    var next = at < 0 ? 0 : (at + (e.shiftKey ? ring.length - 1 : 1)) % ring.length;
    ring[next].focus();
    e.preventDefault();
  });
  // Back to a wide screen with the drawer open: the sidebar is a column again.
  var narrow = window.matchMedia("(max-width: 900px)");
  var onWidth = function () { if (!narrow.matches && isOpen()) setNav(false); };
  if (narrow.addEventListener) narrow.addEventListener("change", onWidth);
  var current = document.querySelector('.sidebar [aria-current="page"]');
  if (current && sidebar && sidebar.scrollHeight > sidebar.clientHeight) {
    sidebar.scrollTop += current.getBoundingClientRect().top - sidebar.getBoundingClientRect().top - sidebar.clientHeight / 2;
  }

  // The skip link moves the focus itself: on a page with a <base> (the 404
  // page), "#content" would name another page.
  var skip = document.querySelector(".skip-link"), main = document.getElementById("content");
  if (skip && main) skip.addEventListener("click", function (e) { e.preventDefault(); main.focus(); main.scrollIntoView(); });

  // Dark mode: follows the system until the reader chooses; the choice is
  // remembered (localStorage, and the tab's name where file:// pages do not
  // share their storage).
  var themeButton = document.querySelector(".theme-toggle");
  var systemDark = window.matchMedia("(prefers-color-scheme: dark)");
  function isDark() { return doc.dataset.theme ? doc.dataset.theme === "dark" : systemDark.matches; }
  function showTheme() { if (themeButton) themeButton.setAttribute("aria-pressed", isDark() ? "true" : "false"); }
  showTheme();
  if (systemDark.addEventListener) systemDark.addEventListener("change", showTheme);
  if (themeButton) themeButton.addEventListener("click", function () {
    var theme = isDark() ? "light" : "dark";
    doc.dataset.theme = theme;
    try { localStorage.setItem("vigie-theme", theme); } catch (e) { /* storage refused */ }
    window.name = (window.name || "").replace(/(^|;)vigie-theme=\w+/, "") + ";vigie-theme=" + theme;
    showTheme();
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
      // Line numbers are shown, not copied.
      if (code && code.querySelector(".ln")) {
        code = code.cloneNode(true);
        code.querySelectorAll(".ln").forEach(function (n) { n.remove(); });
        code = { innerText: code.textContent };
      }
      copyText(code ? code.innerText : pre.innerText).then(function () { button.textContent = T.copied; },
        function () { button.textContent = T.failed; });
      setTimeout(function () { button.textContent = T.copy; }, 1500);
    });
    pre.appendChild(button);
  });

  // A code block or table wider than the screen scrolls inside itself; the
  // keyboard can scroll it once it can take the focus.
  function scrollables() {
    document.querySelectorAll("pre.code, .table-wrap").forEach(function (el) {
      if (el.scrollWidth > el.clientWidth + 1) el.tabIndex = 0;
      else el.removeAttribute("tabindex");
    });
  }
  scrollables();
  var resizing = null;
  window.addEventListener("resize", function () { clearTimeout(resizing); resizing = setTimeout(scrollables, 150); });

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
