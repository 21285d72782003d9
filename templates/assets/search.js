// vigie search in the browser: results as you type, from the static index the
// build writes in search/ (see src/search/shards.rs). Index files are loaded
// as <script> tags, only those a query needs, so search works from file://.
// The analysis and matching are ports of src/search/analysis.rs (query side)
// and src/search/matching.rs: keep them in step.
(function () {
  "use strict";
  var root = document.documentElement.getAttribute("data-root") || "";
  var form = document.querySelector(".search-form");
  var input = document.getElementById("search-input");
  var box = document.getElementById("search-results");
  var pageMode = document.getElementById("search-page");
  var S = {};
  if (form) {
    Object.keys(form.dataset).forEach(function (k) { S[k] = form.dataset[k]; });
  }

  // ---------------------------------------------------------------- loading
  var M = null;                    // the manifest (search/index.js)
  var store = { v: {}, p: {}, d: {}, t: {}, k: {} };
  var records = new Map();         // section number -> [section, url, title, kind, heading, excerpt]
  var pending = {};                // "v3" -> resolve
  var promises = {};
  var loadedFiles = [];

  function load(id, path) {
    if (!promises[id]) {
      promises[id] = new Promise(function (resolve, reject) {
        pending[id] = resolve;
        var s = document.createElement("script");
        s.src = root + "search/" + path;
        s.async = true;
        s.onerror = function () { delete promises[id]; reject(new Error("cannot load search/" + path)); };
        loadedFiles.push(path);
        document.head.appendChild(s);
      });
    }
    return promises[id];
  }
  function done(id) { if (pending[id]) { pending[id](); delete pending[id]; } }

  var B64 = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  var VAL = new Uint8Array(128);
  for (var i = 0; i < 64; i++) VAL[B64.charCodeAt(i)] = i;

  function varints(s) {
    var out = [], acc = 0;
    for (var i = 0; i < s.length; i++) {
      var v = VAL[s.charCodeAt(i)];
      acc = acc * 32 + (v & 31);
      if (v < 32) { out.push(acc); acc = 0; }
    }
    return out;
  }
  function gapList(s) {
    var out = [], prev = -1;
    varints(s).forEach(function (g) { prev += g + 1; out.push(prev); });
    return out;
  }
  // Postings: (id, impact) pairs, ids as gaps.
  function postings(s) {
    // Each posting ends with its impact, the one character after its last digit (< 32).
    var n = 0, i;
    for (i = 0; i < s.length; i++) if (VAL[s.charCodeAt(i)] < 32) { n++; i++; }
    var ids = new Int32Array(n), imp = new Float64Array(n), prev = -1, acc = 0, k = 0;
    i = 0;
    while (i < s.length) {
      var v = VAL[s.charCodeAt(i++)];
      acc = acc * 32 + (v & 31);
      if (v < 32) {
        prev += acc + 1; acc = 0;
        ids[k] = prev;
        imp[k++] = impact(VAL[s.charCodeAt(i++)]);
      }
    }
    return { ids: ids, imp: imp };
  }
  var IMPACT = null;
  function impact(q) {
    if (!IMPACT) {
      IMPACT = [];
      for (var k = 0; k < 64; k++) IMPACT.push(M.lo * Math.pow(M.hi / M.lo, (k - 1) / 62));
    }
    return IMPACT[q];
  }

  var sectionPage = null, pageFirst = null, pageChunk = null, chunkFirst = null;
  var elision = {}, stop = {}, keyIndex = {};

  window.vigieSearch = {
    init: function (m) {
      M = m;
      var counts = varints(m.pages);
      pageFirst = new Int32Array(counts.length + 1);
      for (var p = 0; p < counts.length; p++) pageFirst[p + 1] = pageFirst[p] + counts[p];
      sectionPage = new Int32Array(pageFirst[counts.length]);
      for (p = 0; p < counts.length; p++) for (var s = pageFirst[p]; s < pageFirst[p + 1]; s++) sectionPage[s] = p;
      var sizes = varints(m.chunks);
      pageChunk = new Int32Array(counts.length);
      chunkFirst = [];
      var page = 0;
      sizes.forEach(function (n, c) { chunkFirst.push(page); for (var k = 0; k < n; k++) pageChunk[page++] = c; });
      m.elisions.forEach(function (e) { elision[e] = true; });
      m.stop.forEach(function (w) { stop[w] = true; });
      m.keys.forEach(function (k, n) { keyIndex[k] = n; });
      done("init");
    },
    v: function (n, entries, alerts) {
      var list = [], stems = {};
      entries.forEach(function (e) {
        var stem = e[0];
        // Postings inline, or the number of the pack that has them.
        stems[stem] = typeof e[2] === "number" ? { df: e[1], pack: e[2] } : { df: e[1], sec: e[2], page: e[3] };
        e[4].split(",").forEach(function (x) {
          list.push({ surface: x.charAt(0) === "=" ? x.slice(1) : stem + x, stem: stem, df: e[1] });
        });
      });
      store.v[n] = { entries: list, stems: stems, alerts: alerts || {} };
      done("v" + n);
    },
    p: function (n, stems) {
      store.p[n] = stems;
      Object.keys(stems).forEach(function (stem) { stems[stem][2].forEach(function (r) { records.set(r[0], r); }); });
      done("p" + n);
    },
    d: function (n, pages) { store.d[n] = pages; done("d" + n); },
    t: function (n, s) { store.t[n] = gapList(s); done("t" + n); },
    k: function (n, s) { store.k[n] = gapList(s); done("k" + n); },
    search: search,
    files: loadedFiles,
    last: null
  };

  function manifest() { return M ? Promise.resolve() : load("init", "index.js"); }

  // --------------------------------------------------------------- analysis
  var WORD = /[\p{Alphabetic}\p{Nd}\p{Nl}\p{No}]+/gu;
  var APOS = /['\u2019\u02bc]/;
  function lower(w) { var out = ""; for (var c of w) out += c.toLowerCase(); return out; }
  function fold(w) { var out = ""; for (var c of w) out += M.fold[c] || c; return out; }
  var encoder = new TextEncoder();
  function utf8(w) { return encoder.encode(w).length; }
  function chars(w) { return Array.from(w); }

  // Each word of `text` that analysis keeps: {word (folded), from, to}.
  function tokens(text, keepStops) {
    var out = [], m;
    WORD.lastIndex = 0;
    while ((m = WORD.exec(text))) {
      var w = m[0], from = m.index, to = from + w.length;
      if (utf8(w) >= M.max_bytes) continue;
      var low = lower(w);
      if (w.length <= 7 && APOS.test(text.charAt(to)) && elision[low]) continue;
      if (low === "s" && from > 0 && APOS.test(text.charAt(from - 1))) continue;
      if (!keepStops && stop[low]) continue;
      out.push({ word: fold(low), from: from, to: to });
    }
    return out;
  }

  // --------------------------------------------------------------- matching
  var EXACT = 0, VARIANT = 1, PREFIX = 2, TYPO1 = 3, TYPO2 = 4;
  var TIER = [3, 3, 2, 1, 1], WEIGHT = [1.0, 0.8, 0.6, 0.5, 0.35];

  function key(w) { return chars(w).slice(0, 2).join(""); }
  function budget(n) { return n <= 4 ? 0 : n <= 8 ? 1 : 2; }
  function neighbourKeys(w) {
    var c = chars(w).slice(0, 3);
    if (c.length < 3 || budget(chars(w).length) === 0) return [];
    var keys = [];
    [c[1] + c[0], c[0] + c[2]].forEach(function (k) { if (k !== key(w) && keys.indexOf(k) < 0) keys.push(k); });
    return keys;
  }
  function related(a, b) {
    var short = a.length <= b.length ? a : b, long = a.length <= b.length ? b : a;
    if (short === long || long.indexOf(short) !== 0) return false;
    var s = chars(short).length, diff = chars(long).length - s;
    return (s >= 4 && diff <= 2) || (s >= 6 && diff <= 3);
  }
  function distance(a, b, max) {
    a = chars(a); b = chars(b);
    if (Math.abs(a.length - b.length) > max) return -1;
    var w = b.length + 1, d = new Array((a.length + 1) * w);
    for (var j = 0; j < w; j++) d[j] = j;
    for (var i = 1; i <= a.length; i++) {
      d[i * w] = i;
      var rowMin = i;
      for (j = 1; j <= b.length; j++) {
        var cost = a[i - 1] === b[j - 1] ? 0 : 1;
        var v = Math.min(d[(i - 1) * w + j] + 1, d[i * w + j - 1] + 1, d[(i - 1) * w + j - 1] + cost);
        if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) v = Math.min(v, d[(i - 2) * w + j - 2] + 1);
        d[i * w + j] = v;
        if (v < rowMin) rowMin = v;
      }
      if (rowMin > max) return -1;
    }
    var r = d[a.length * w + b.length];
    return r <= max ? r : -1;
  }
  function better(a, b) { return TIER[a] > TIER[b] || (TIER[a] === TIER[b] && WEIGHT[a] > WEIGHT[b]); }

  // The stems `word` stands for among `entries`: [{stem, cls, df}], best first.
  function candidates(word, last, entries) {
    var n = chars(word).length, max = budget(n);
    var exact = [], typo = {};
    entries.forEach(function (e) {
      if (e.surface === word) { if (exact.indexOf(e.stem) < 0) exact.push(e.stem); }
      // A surface of L UTF-16 units has between L/2 and L characters: a cheap
      // bound before counting them.
      else if (max > 0 && e.surface.length >= n - max && e.surface.length <= 2 * (n + max)) {
        var d = distance(word, e.surface, max);
        if (d >= 0 && (typo[e.stem] === undefined || d < typo[e.stem])) typo[e.stem] = d;
      }
    });
    // A rare exact word next to a far more frequent one typo away: a typo (matching.rs, `corrected`).
    var exactDf = -1;
    entries.forEach(function (e) { if (exact.indexOf(e.stem) >= 0 && e.df > exactDf) exactDf = e.df; });
    function corrected(t) {
      if (exactDf < 0 || exactDf > M.rare) return false;
      return entries.some(function (e) { return e.stem === t && e.df >= M.correction_ratio * Math.max(exactDf, 1); });
    }
    function typoClass(anchor, d) { return corrected(anchor) ? VARIANT : d === 1 ? TYPO1 : TYPO2; }
    var best = {};
    entries.forEach(function (e) {
      var t = e.stem, cls = -1;
      if (exact.indexOf(t) >= 0) cls = EXACT;
      else if (exact.some(function (a) { return related(a, t); }) ||
               (chars(t).length >= 5 && word.indexOf(t) === 0 && n - chars(t).length <= 5)) cls = VARIANT;
      else if (last && n >= 2 && e.surface.indexOf(word) === 0) cls = PREFIX;
      else if (typo[t] !== undefined) cls = typoClass(t, typo[t]);
      else {
        Object.keys(typo).forEach(function (a) {
          if (!related(a, t)) return;
          var c = typoClass(a, typo[a]);
          if (cls < 0 || better(c, cls)) cls = c;
        });
      }
      if (cls < 0) return;
      var slot = best[t];
      if (!slot) best[t] = { stem: t, cls: cls, df: e.df };
      else { if (better(cls, slot.cls)) slot.cls = cls; if (e.df > slot.df) slot.df = e.df; }
    });
    var out = Object.keys(best).map(function (k) { return best[k]; });
    out.sort(function (a, b) {
      return (TIER[b.cls] - TIER[a.cls]) || (WEIGHT[b.cls] - WEIGHT[a.cls]) || (b.df - a.df) || (a.stem < b.stem ? -1 : a.stem > b.stem ? 1 : 0);
    });
    var prefixes = 0, typos = 0;
    return out.filter(function (c) {
      if (c.cls === PREFIX) return ++prefixes <= M.prefix_caps[Math.min(Math.max(n, 2), 5) - 2];
      if (c.cls >= TYPO1) return ++typos <= M.max_typo;
      return true;
    });
  }
  function satisfied(found) { return found.some(function (c) { return TIER[c.cls] >= 2; }); }

  // ---------------------------------------------------------------- search
  function shards(keys) {
    var ns = keys.map(function (k) { return keyIndex[k]; }).filter(function (n) { return n !== undefined; });
    return Promise.all(ns.map(function (n) { return load("v" + n, "v/" + n + ".js"); })).then(function () {
      return ns.map(function (n) { return store.v[n]; });
    });
  }
  function entriesOf(list) { var out = []; list.forEach(function (s) { out = out.concat(s.entries); }); return out; }

  // One word: its candidates, with where their postings are.
  function word(w, last) {
    return shards([key(w)]).then(function (own) {
      var found = candidates(w, last, entriesOf(own));
      if (satisfied(found)) return { found: found, shards: own };
      // Nothing better than typos: the typo may be in the first two letters.
      return shards(neighbourKeys(w)).then(function (more) {
        var all = own.concat(more);
        return { found: candidates(w, last, entriesOf(all)), shards: all };
      });
    });
  }
  var decoded = new Map();
  // The postings of a stem (`info` from its shard), decoded once: {sec, page}.
  function postingsOf(stem, info) {
    if (decoded.has(stem)) return Promise.resolve(decoded.get(stem));
    var text = info.pack === undefined
      ? Promise.resolve([info.sec, info.page])
      : load("p" + info.pack, "p/" + info.pack + ".js").then(function () { return store.p[info.pack][stem]; });
    return text.then(function (t) {
      var d = { sec: postings(t[0] || ""), page: postings(t[1] || "") };
      decoded.set(stem, d);
      return d;
    });
  }
  function parse(text) {
    var q = { words: [], kind: null, tag: null }, rest = [];
    text.split(/\s+/).forEach(function (part) {
      if (/^kind:./.test(part)) q.kind = part.slice(5).toLowerCase();
      else if (/^tag:./.test(part)) q.tag = part.slice(4);
      else rest.push(part);
    });
    q.rest = rest.join(" ");
    return q;
  }

  // Best results for `text`: a promise of [{url, title, section, kind, snippet (HTML), score}].
  var started_searches = 0;
  function search(text, opts) {
    opts = opts || {};
    var started = performance.now(), mine = ++started_searches;
    var q = parse(text);
    var kind = opts.kind || q.kind, tag = opts.tag || q.tag, limit = opts.limit || 8;
    // When each step ended (ms since the query started): what the benchmark reports.
    var steps = {};
    function step(name) { steps[name] = performance.now() - started; }
    return manifest().then(function () {
      var words = tokens(q.rest).map(function (t) { return t.word; });
      if (!words.length) return [];
      // A query that is an alert's name (any case): its runbook first (shards.rs, `alert_sections`).
      var raw = q.rest.trim(), exact = Promise.resolve(null);
      if (/^[A-Za-z_][A-Za-z0-9_:]*$/.test(raw)) {
        var name = raw.toLowerCase();
        exact = shards([key(name)]).then(function (list) {
          var s = list.length ? list[0].alerts[name] : undefined;
          return s === undefined ? null : s;
        });
      }
      return Promise.all([Promise.all(words.map(function (w, i) { return word(w, i === words.length - 1); })), exact]).then(function (both) {
        var per = both[0];
        step("vocabulary");
        return score(per, kind, tag, limit, both[1]).then(function (ranked) {
          step("scores");
          return results(ranked.slice(0, limit), per, ranked.total);
        });
      });
    }).then(function (res) {
      // What the latest query cost (an earlier one finishing late does not count).
      if (mine === started_searches) {
        window.vigieSearch.last = { query: text, ms: performance.now() - started, files: loadedFiles.slice(), steps: steps };
      }
      return res;
    });
  }

  function score(per, kind, tag, limit, exact) {
    var jobs = [];
    per.forEach(function (w) {
      w.found.forEach(function (c) {
        var info = null;
        w.shards.forEach(function (s) { if (!info && s.stems[c.stem]) info = s.stems[c.stem]; });
        if (!info) return;
        jobs.push(postingsOf(c.stem, info).then(function (l) { c.sec = l.sec; c.page = l.page; }));
      });
    });
    // The pages of the tag or kind asked for (null: no filter).
    function filter(list, name, dir) {
      if (!name) return Promise.resolve(null);
      var n = list.indexOf(name);
      return n < 0 ? Promise.resolve([]) : load(dir + n, dir + "/" + n + ".js").then(function () { return store[dir][n]; });
    }
    return Promise.all([Promise.all(jobs), filter(M.tags, tag, "t"), filter(M.kinds, kind, "k")]).then(function (r) {
      var tagPages = r[1] ? new Set(r[1]) : null, kindPages = r[2] ? new Set(r[2]) : null;
      // A multilingual site searches the language of the page the reader is on.
      var langCode = null;
      if (M.page_langs) {
        var article = document.querySelector("article[lang]");
        var reading = ((article && article.lang) || document.documentElement.lang || "").toLowerCase();
        var li = M.langs.indexOf(reading);
        if (li >= 0) langCode = li.toString(36);
      }
      // Per word, the best score of each section and page (0: not matched).
      var nSec = sectionPage.length, nPage = pageFirst.length - 1, pageImp = new Float64Array(nPage);
      var maps = per.map(function (w) {
        var sec = new Float64Array(nSec), page = new Float64Array(nPage), secs = [], pages = [];
        w.found.forEach(function (c) {
          if (!c.sec) return;
          var base = TIER[c.cls] * M.tier, wt = WEIGHT[c.cls], i, v;
          for (i = 0; i < c.page.ids.length; i++) {
            var p = c.page.ids[i];
            pageImp[p] = c.page.imp[i];
            v = base + wt * c.page.imp[i];
            if (page[p] === 0) pages.push(p);
            if (v > page[p]) page[p] = v;
          }
          for (i = 0; i < c.sec.ids.length; i++) {
            var s = c.sec.ids[i];
            v = base + wt * (c.sec.imp[i] + pageImp[sectionPage[s]]);
            if (sec[s] === 0) secs.push(s);
            if (v > sec[s]) sec[s] = v;
          }
          for (i = 0; i < c.page.ids.length; i++) pageImp[c.page.ids[i]] = 0;
        });
        return { sec: sec, page: page, secs: secs, pages: pages };
      });
      var seenSec = new Uint8Array(nSec), cands = [];
      function candidate(s) { if (!seenSec[s]) { seenSec[s] = 1; cands.push(s); } }
      if (exact !== null) candidate(exact);
      maps.forEach(function (m) {
        m.secs.forEach(candidate);
        m.pages.forEach(function (p) { candidate(pageFirst[p]); });
      });
      function scored(s) {
        var p = sectionPage[s];
        if (kindPages && !kindPages.has(p)) return null;
        if (langCode !== null && M.page_langs.charAt(p) !== langCode) return null;
        if (tagPages && !tagPages.has(p)) return null;
        var total = 0;
        for (var k = 0; k < maps.length; k++) total += Math.max(maps[k].sec[s], maps[k].page[p]);
        if (s === exact) total += 1e6;
        return { s: s, p: p, score: total };
      }
      function order(a, b) { return (b.score - a.score) || (a.s - b.s); }
      // A page's sections after its first PER_PAGE go last (matching.rs, `diversify`).
      function diversify(list) {
        var seen = {}, first = [], later = [];
        list.forEach(function (r) { seen[r.p] = (seen[r.p] || 0) + 1; (seen[r.p] <= M.per_page ? first : later).push(r); });
        return { first: first, later: later };
      }
      // Only the best few are kept and sorted: a common word matches tens of
      // thousands of sections. That is the answer when enough of them survive
      // diversification; otherwise everything is ranked.
      var keep = Math.max(limit, 1) * 8, best = [], floor = -Infinity, matched = 0;
      cands.forEach(function (s) {
        var r = scored(s);
        if (!r) return;
        matched++;
        if (r.score < floor) return;
        best.push(r);
        if (best.length >= 2 * keep) { best.sort(order); best.length = keep; floor = best[keep - 1].score; }
      });
      best.sort(order);
      if (best.length > keep) best.length = keep;
      var d = diversify(best);
      if (d.first.length < limit && matched > best.length) {
        best = cands.map(scored).filter(function (r) { return r; }).sort(order);
        d = diversify(best);
      }
      var ranked = d.first.concat(d.later);
      ranked.total = matched;
      return ranked;
    });
  }

  function results(top, per, total) {
    // A result a pack brought is ready; the others are in document chunks.
    var chunks = {};
    top.forEach(function (r) { if (!records.has(r.s)) chunks[pageChunk[r.p]] = true; });
    var marks = { surfaces: {}, stems: [] };
    per.forEach(function (w) {
      w.found.forEach(function (c) {
        if (marks.stems.indexOf(c.stem) < 0) marks.stems.push(c.stem);
        w.shards.forEach(function (s) {
          s.entries.forEach(function (e) { if (e.stem === c.stem) marks.surfaces[e.surface] = true; });
        });
      });
    });
    return Promise.all(Object.keys(chunks).map(function (c) { return load("d" + c, "d/" + c + ".js"); })).then(function () {
      var out = top.map(function (r) {
        var d = records.get(r.s);
        if (!d) {
          var c = pageChunk[r.p], page = store.d[c][r.p - chunkFirst[c]];
          var sec = page[4][r.s - pageFirst[r.p]];
          d = [r.s, page[0] + (sec[0] ? "#" + sec[0] : ""), page[1], page[2], sec[1], sec[2]];
        }
        return {
          url: d[1],
          title: d[2],
          titleHtml: highlight(d[2], marks),
          section: d[4] || null,
          sectionHtml: d[4] ? highlight(d[4], marks) : null,
          kind: d[3] || null,
          snippet: highlight(d[5], marks),
          score: r.score
        };
      });
      out.total = total;
      return out;
    });
  }

  function esc(s) {
    return s.replace(/[&<>"']/g, function (c) { return { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" }[c]; });
  }
  // `text` as HTML with the words that matched in <mark>.
  function highlight(text, marks) {
    var out = "", last = 0;
    tokens(text, true).forEach(function (t) {
      var hit = marks.surfaces[t.word] || marks.stems.some(function (s) { return s.length >= 3 && t.word.indexOf(s) === 0; });
      if (!hit) return;
      out += esc(text.slice(last, t.from)) + "<mark>" + esc(text.slice(t.from, t.to)) + "</mark>";
      last = t.to;
    });
    return out + esc(text.slice(last));
  }

  // -------------------------------------------------------------------- UI
  if (!input) return;
  var KIND_LABELS = null;
  function kindLabel(k) {
    if (!KIND_LABELS) { KIND_LABELS = {}; M.kinds.forEach(function (x, i) { KIND_LABELS[x] = M.kind_labels[i]; }); }
    return KIND_LABELS[k] || k;
  }
  function hitHtml(r, id) {
    return '<a class="search-hit" role="option" id="' + id + '" aria-selected="false" href="' + esc(root + r.url) + '">' +
      '<span class="search-hit-head">' +
      (r.kind ? '<span class="search-hit-kind">' + esc(kindLabel(r.kind)) + "</span>" : "") +
      '<span class="search-hit-title">' + r.titleHtml + "</span>" +
      (r.sectionHtml ? '<span class="search-hit-section"> › ' + r.sectionHtml + "</span>" : "") + "</span>" +
      (r.snippet ? '<span class="search-hit-snippet">' + r.snippet + "</span>" : "") + "</a>";
  }
  function count(n) { return n === 1 ? S.countOne : (S.countMany || "{n}").replace("{n}", n); }

  // The dropdown: options in a listbox, then "all results" (or "no results") below it.
  var list = pageMode ? document.getElementById("search-page-results") : document.getElementById("search-listbox");
  var more = box && box.querySelector(".search-more");
  var status = document.getElementById(pageMode ? "search-page-status" : "search-count");
  var kindSelect = document.getElementById("search-kind");
  var tagSelect = document.getElementById("search-tag");
  var active = -1, seq = 0;

  function options() { return list ? list.querySelectorAll(".search-hit") : []; }
  function setActive(n) {
    var opts = options();
    if (!opts.length) { active = -1; input.removeAttribute("aria-activedescendant"); return; }
    active = (n + opts.length) % opts.length;
    opts.forEach(function (o, i) { o.setAttribute("aria-selected", i === active ? "true" : "false"); o.classList.toggle("active", i === active); });
    input.setAttribute("aria-activedescendant", opts[active].id);
    if (opts[active].scrollIntoView) opts[active].scrollIntoView({ block: "nearest" });
  }
  function open(show) {
    if (pageMode || !box) return;
    box.hidden = !show;
    input.setAttribute("aria-expanded", show ? "true" : "false");
  }
  function filters() {
    return { kind: kindSelect && kindSelect.value || null, tag: tagSelect && tagSelect.value || null };
  }
  function updateUrl() {
    if (!pageMode || !window.history.replaceState) return;
    var f = filters(), params = [];
    if (input.value) params.push("q=" + encodeURIComponent(input.value));
    if (f.kind) params.push("kind=" + encodeURIComponent(f.kind));
    if (f.tag) params.push("tag=" + encodeURIComponent(f.tag));
    try { history.replaceState(null, "", "search.html" + (params.length ? "?" + params.join("&") : "")); } catch (e) { /* file:// in some browsers */ }
  }

  function run() {
    var text = input.value, mine = ++seq, f = filters();
    updateUrl();
    if (!text.trim()) { list.innerHTML = ""; if (more) more.innerHTML = ""; if (status) status.textContent = ""; open(false); active = -1; return; }
    search(text, { limit: pageMode ? 50 : 8, kind: f.kind, tag: f.tag }).then(function (res) {
      if (mine !== seq) return;
      list.innerHTML = res.map(function (r, i) { return (pageMode ? '<li role="none">' : "") + hitHtml(r, "search-hit-" + i) + (pageMode ? "</li>" : ""); }).join("");
      if (more) {
        more.innerHTML = res.length
          ? '<a class="search-all" href="' + esc(root + "search.html?q=" + encodeURIComponent(text)) + '">' + esc(S.seeAll || "") + " (" + res.total + ") →</a>"
          : '<p class="search-empty">' + esc(S.noResults || "") + "</p>";
      }
      if (status) status.textContent = res.length ? count(res.total) : S.noResults || "";
      open(true);
      if (pageMode) { active = -1; input.removeAttribute("aria-activedescendant"); }
      else setActive(0);
    }, function () {
      if (mine !== seq) return;
      list.innerHTML = "";
      if (more) more.innerHTML = '<p class="search-empty">' + esc(S.unavailable || "") + "</p>";
      if (status) status.textContent = S.unavailable || "";
      open(true);
    });
  }

  input.setAttribute("aria-expanded", "false");
  input.addEventListener("input", run);
  input.addEventListener("focus", function () { manifest().catch(function () {}); if (!pageMode && input.value.trim() && (list.innerHTML || (more && more.innerHTML))) open(true); });
  input.addEventListener("keydown", function (e) {
    var opts = options();
    if (e.key === "ArrowDown" && opts.length) { e.preventDefault(); open(true); setActive(active + 1); }
    else if (e.key === "ArrowUp" && opts.length) { e.preventDefault(); setActive(active - 1); }
    else if (e.key === "Enter" && active >= 0 && opts[active]) { e.preventDefault(); window.location.href = opts[active].href; }
    else if (e.key === "Enter" && pageMode) { e.preventDefault(); run(); }
    else if (e.key === "Escape") {
      if (!pageMode && box && !box.hidden) { e.preventDefault(); open(false); }
      else { input.blur(); }
    }
  });
  if (box && !pageMode) {
    box.addEventListener("mousemove", function (e) {
      var a = e.target.closest && e.target.closest(".search-hit");
      if (a) setActive(Array.prototype.indexOf.call(options(), a));
    });
    form.addEventListener("focusout", function (e) { if (!form.contains(e.relatedTarget)) open(false); });
  }
  if (pageMode) {
    var params = {};
    location.search.replace(/^\?/, "").split("&").forEach(function (kv) {
      var i = kv.indexOf("=");
      try {
        if (i > 0) params[decodeURIComponent(kv.slice(0, i))] = decodeURIComponent(kv.slice(i + 1).replace(/\+/g, " "));
      } catch (e) { /* a malformed parameter is ignored */ }
    });
    if (params.q) input.value = params.q;
    if (kindSelect && params.kind) kindSelect.value = params.kind;
    if (tagSelect && params.tag) tagSelect.value = params.tag;
    [kindSelect, tagSelect].forEach(function (s) { if (s) s.addEventListener("change", run); });
    run();
  }
})();
