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
  // What a query typed in the box loads before its results show, in files
  // of search/ besides the manifest (its words' files included): results
  // whose chunk would go beyond wait for the reader to ask for them. With
  // assets/search.js and the manifest, a first query costs FIRST_FILES + 2
  // requests at most — unless its words take so many files that the chunks
  // of its first FEW results, which always show, go past. The reader's
  // "more" loads MORE_FILES files more at most.
  var FIRST_FILES = 10, MORE_FILES = 10, FEW = 3;
  var records = new Map();         // section number -> [section, url, title, kind, anchor, heading, excerpt]
  var pending = {};                // "v3" -> resolve
  var promises = {};
  var loadedFiles = [];
  var loading = 0;                 // files asked for, not loaded yet

  function load(id, path) {
    if (!promises[id]) {
      promises[id] = new Promise(function (resolve, reject) {
        pending[id] = resolve;
        var s = document.createElement("script");
        s.src = root + "search/" + path;
        s.async = true;
        loading++;
        s.onload = function () { loading--; };
        s.onerror = function () { loading--; delete promises[id]; reject(new Error("cannot load search/" + path)); };
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
    // Each posting ends with its impact, the one character after its last
    // digit (< 32): a posting takes two characters at least. One pass.
    var most = s.length >> 1;
    var ids = new Int32Array(most), imp = new Float64Array(most), prev = -1, acc = 0, k = 0, i = 0;
    while (i < s.length) {
      var v = VAL[s.charCodeAt(i++)];
      acc = acc * 32 + (v & 31);
      if (v < 32) {
        prev += acc + 1; acc = 0;
        ids[k] = prev;
        imp[k++] = impact(VAL[s.charCodeAt(i++)]);
      }
    }
    return { ids: ids.subarray(0, k), imp: imp.subarray(0, k) };
  }
  var IMPACT = null;
  function impact(q) {
    if (!IMPACT) {
      IMPACT = [];
      for (var k = 0; k < 64; k++) IMPACT.push(M.lo * Math.pow(M.hi / M.lo, (k - 1) / 62));
    }
    return IMPACT[q];
  }

  var sectionPage = null, pageFirst = null, pageChunk = null, chunkFirst = null, tops = new Map();
  var elision = {}, stop = {}, keyFiles = {};

  window.vigieSearch = {
    init: function (m) {
      if (M) return;
      // The page asked for the manifest itself (base.html): a file of the
      // search all the same.
      if (!promises.init) { promises.init = Promise.resolve(); loadedFiles.push("index.js"); }
      M = m;
      m.elisions.forEach(function (e) { elision[e] = true; });
      m.stop.forEach(function (w) { stop[w] = true; });
      // A key's files are numbered one after the other; a key cut in
      // ranges comes as [key, cuts…] (shards/vocabulary.rs).
      var file = 0;
      m.keys.forEach(function (k) {
        var cuts = typeof k === "string" ? [] : k.slice(1);
        keyFiles[typeof k === "string" ? k : k[0]] = { first: file, cuts: cuts };
        file += cuts.length + 1;
      });
      (m.tops || []).forEach(function (t) { tops.set(t[0], t[1]); });
      done("init");
      if (input && document.activeElement === input) setTimeout(tables, 0);
    },
    v: function (n, entries, alerts) {
      var list = [], stems = {};
      entries.forEach(function (e) {
        var stem = e[0];
        // Postings inline, or the number of the file that has them.
        stems[stem] = typeof e[2] === "number" ? { df: e[1], file: e[2] } : { df: e[1], sec: e[2], page: e[3] };
        // The stem's best sections, ready to show.
        if (e[5]) e[5].forEach(function (r) { records.set(r[0], r); });
        e[4].split(",").forEach(function (x) {
          list.push({ surface: x.charAt(0) === "=" ? x.slice(1) : stem + x, stem: stem, df: e[1] });
        });
      });
      store.v[n] = { entries: list, stems: stems, alerts: alerts || {} };
      done("v" + n);
    },
    p: function (n, pages) { store.p[n] = pages; done("p" + n); },
    d: function (n, pages) { store.d[n] = pages; done("d" + n); },
    t: function (n, s) { store.t[n] = gapList(s); done("t" + n); },
    k: function (n, s) { store.k[n] = gapList(s); done("k" + n); },
    search: search,
    files: loadedFiles,
    loading: function () { return loading; },
    firstFiles: FIRST_FILES,
    last: null
  };

  function manifest() { return M ? Promise.resolve() : load("init", "index.js"); }
  // Where each section, page and chunk is; made once, when the search box
  // takes the focus (before the first key), or while the first query's
  // vocabulary files load.
  function tables() {
    if (sectionPage) return;
    // Each page's number of sections (varints), summed as they are read.
    var text = M.pages, n = 0, acc = 0, i, v, p;
    for (i = 0; i < text.length; i++) if (VAL[text.charCodeAt(i)] < 32) n++;
    pageFirst = new Int32Array(n + 1);
    for (i = 0, p = 0; i < text.length; i++) {
      v = VAL[text.charCodeAt(i)];
      acc = acc * 32 + (v & 31);
      if (v < 32) { pageFirst[p + 1] = pageFirst[p] + acc; p++; acc = 0; }
    }
    sectionPage = new Int32Array(pageFirst[n]);
    for (p = 0; p < n; p++) sectionPage.fill(p, pageFirst[p], pageFirst[p + 1]);
    pageChunk = new Int32Array(n);
    chunkFirst = [];
    var page = 0;
    varints(M.chunks).forEach(function (size, c) { chunkFirst.push(page); pageChunk.fill(c, page, page + size); page += size; });
    // rank()'s index arrays, written through once now rather than by the
    // first query: a page of memory costs at its first write.
    secSlot = new Int32Array(sectionPage.length).fill(0);
    pageSlot = new Int32Array(n).fill(0);
    pageImp = new Float64Array(n).fill(0);
  }
  // A search given up because the reader typed on (`opts.stale`).
  var STALE = {};

  // --------------------------------------------------------------- analysis
  var WORD = /[\p{Alphabetic}\p{Nd}\p{Nl}\p{No}]+/gu;
  var APOS = /['\u2019\u02bc]/;
  // Character by character, as Rust lowers and folds: an ASCII word
  // (most of them) the quick way, the same there.
  var ASCII = /^[\x00-\x7f]*$/;
  function lower(w) {
    if (ASCII.test(w)) return w.toLowerCase();
    var out = "";
    for (var c of w) out += c.toLowerCase();
    return out;
  }
  // The folding table has characters outside ASCII only.
  function fold(w) {
    if (ASCII.test(w)) return w;
    var out = "";
    for (var c of w) out += M.fold[c] || c;
    return out;
  }
  var encoder = new TextEncoder();
  // Whether `w` takes `max` bytes or more in UTF-8: a UTF-16 unit takes 3
  // at most, so most words are known short without encoding them.
  function tooLong(w, max) { return w.length * 3 >= max && encoder.encode(w).length >= max; }
  function chars(w) { return Array.from(w); }

  // Each word of `text` that analysis keeps: {word (folded), from, to}.
  function tokens(text, keepStops) {
    var out = [], m;
    WORD.lastIndex = 0;
    while ((m = WORD.exec(text))) {
      var w = m[0], from = m.index, to = from + w.length;
      if (tooLong(w, M.max_bytes)) continue;
      var low = lower(w);
      if (w.length <= 7 && APOS.test(text.charAt(to)) && elision[low]) continue;
      if (low === "s" && from > 0 && APOS.test(text.charAt(from - 1))) continue;
      if (!keepStops && stop[low]) continue;
      out.push({ word: fold(low), from: from, to: to, stop: !!stop[low] });
    }
    return out;
  }

  // --------------------------------------------------------------- matching
  var EXACT = 0, VARIANT = 1, PREFIX = 2, TYPO1 = 3, TYPO2 = 4;
  var TIER = [3, 3, 2, 1, 1], WEIGHT = [1.0, 0.8, 0.6, 0.5, 0.35];

  function key(w) { return chars(w).slice(0, 2).join(""); }
  function budget(n) { return n <= 4 ? 0 : n <= 8 ? 1 : 2; }
  // The vocabulary file a word goes to: its key's, the range whose cut
  // sorts last before it (vocabulary.rs, `range_of`); -1: no such key.
  function fileOf(w) {
    var k = keyFiles[key(w)];
    if (!k) return -1;
    var i = 0;
    while (i < k.cuts.length && k.cuts[i] <= w) i++;
    return k.first + i;
  }
  // Where a word with a typo in its first two letters may be (matching.rs,
  // `neighbour_keys`): the word with them swapped, or without the second.
  function neighbours(w) {
    var c = chars(w);
    if (c.length < 3 || budget(c.length) === 0) return [];
    var out = [];
    [[c[1], c[0]].concat(c.slice(2)), [c[0]].concat(c.slice(2))].forEach(function (x) {
      var probe = x.join("");
      if (key(probe) !== key(w) && !out.some(function (o) { return key(o) === key(probe); })) out.push(probe);
    });
    return out;
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
  // The vocabulary files of `words` (one each, those of unknown keys left out).
  function vocabulary(words) {
    var ns = [];
    words.forEach(function (w) { var n = fileOf(w); if (n >= 0 && ns.indexOf(n) < 0) ns.push(n); });
    return Promise.all(ns.map(function (n) { return load("v" + n, "v/" + n + ".js"); })).then(function () {
      return ns.map(function (n) { return store.v[n]; });
    });
  }
  function entriesOf(list) { var out = []; list.forEach(function (s) { out = out.concat(s.entries); }); return out; }

  // The file besides its own where the words a last word begins may be:
  // the next range of its key when it begins with the word (one more at
  // most: a short prefix does not load its whole key).
  function prefixFiles(w) {
    var n = fileOf(w), end = fileOf(w + "\uffff");
    return end === n + 1 ? [end] : [];
  }

  // One word: its candidates, with the vocabulary files that list them.
  function word(w, last, stale) {
    var more = (last ? prefixFiles(w) : []).map(function (n) { return load("v" + n, "v/" + n + ".js"); });
    return Promise.all([vocabulary([w])].concat(more)).then(function (got) {
      var own = got[0];
      var found = candidates(w, last, entriesOf(own));
      if (satisfied(found)) return { found: found, shards: own };
      if (stale()) throw STALE;
      // Nothing better than typos: the typo may be in the first two letters.
      return vocabulary(neighbours(w)).then(function (more) {
        var all = own.concat(more);
        return { found: candidates(w, last, entriesOf(all)), shards: all };
      });
    });
  }
  var decoded = new Map();
  // The postings of a stem (`info` from a vocabulary file), decoded once:
  // {sec, page}. A stem of another range of its key is in another file.
  function postingsOf(stem, info) {
    if (decoded.has(stem)) return Promise.resolve(decoded.get(stem));
    var text = info.file === undefined
      ? Promise.resolve(info)
      : load("v" + info.file, "v/" + info.file + ".js").then(function () { return store.v[info.file].stems[stem]; });
    return text.then(function (t) {
      var d = { sec: postings(t.sec || ""), page: postings(t.page || "") };
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

  // Best results for `text`: a promise of [{url, title, section, kind,
  // snippet (HTML), score}], with `total` (how many matched), `left` (how
  // many of the best `opts.limit` are not shown yet) and `more(files)` (a
  // promise of the next ones, within `files` files more; null when none is
  // left). `opts.files`: the files of search/ the query may load before its
  // results show — the first FEW show whatever they cost, the others only
  // if their chunks fit (default: all `opts.limit` results show).
  // `opts.stale()` true: the results will not be shown (the reader typed
  // on), the search stops before its next wave of files and gives null.
  var started_searches = 0;
  function search(text, opts) {
    opts = opts || {};
    var stale = opts.stale || function () { return false; };
    var started = performance.now(), mine = ++started_searches, before = loadedFiles.length;
    var q = parse(text);
    var kind = opts.kind || q.kind, tag = opts.tag || q.tag, limit = opts.limit || 8;
    // When each step ended (ms since the query started): what the benchmark reports.
    var steps = {};
    function step(name) { steps[name] = performance.now() - started; }
    return manifest().then(function () {
      var all = tokens(q.rest, true);
      var words = all.filter(function (t) { return !t.stop; }).map(function (t) { return t.word; });
      // A lone stop word still being typed is the start of another word
      // ("ne" of "neutron"): its prefixes are searched.
      if (!words.length && all.length === 1 && !/\s$/.test(text)) words = [all[0].word];
      if (!words.length) return [];
      // A query that is an alert's name (any case): its runbook first (shards.rs, `alert_sections`).
      var raw = q.rest.trim(), exact = Promise.resolve(null);
      if (/^[A-Za-z_][A-Za-z0-9_:]*$/.test(raw)) {
        var name = raw.toLowerCase();
        exact = vocabulary([name]).then(function (list) {
          var s = list.length ? list[0].alerts[name] : undefined;
          return s === undefined ? null : s;
        });
      }
      var found = Promise.all([Promise.all(words.map(function (w, i) { return word(w, i === words.length - 1, stale); })), exact]);
      tables();
      return found.then(function (both) {
        var per = both[0];
        step("vocabulary");
        if (stale()) throw STALE;
        return score(per, kind, tag, limit, both[1]).then(function (ranked) {
          step("scores");
          if (stale()) throw STALE;
          // Files this query loaded so far besides the manifest (which
          // comes with the page, unless it failed there): its words'.
          var spent = loadedFiles.slice(before).filter(function (f) { return f !== "index.js"; }).length;
          var budget = opts.files === undefined ? Infinity : Math.max(opts.files - spent, 0);
          return show(ranked.slice(0, limit), marksOf(per), budget).then(function (res) {
            res.total = ranked.total;
            return res;
          });
        });
      });
    }).then(function (res) {
      // What the latest query cost (an earlier one finishing late does not count).
      if (mine === started_searches) {
        window.vigieSearch.last = { query: text, ms: performance.now() - started, files: loadedFiles.slice(), steps: steps };
      }
      return res;
    }, function (e) {
      if (e === STALE) return null;
      throw e;
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
      var filtered = kindPages || tagPages || langCode !== null;
      return rank(per, limit, exact, filtered && function (p) {
        return !(kindPages && !kindPages.has(p)) && !(langCode !== null && M.page_langs.charAt(p) !== langCode) &&
          !(tagPages && !tagPages.has(p));
      });
    });
  }

  // The sections matched (on the pages `shown` keeps, when filtered), best
  // first: [{s, p, score}], and `total`, how many there are. Plain loops
  // over typed arrays: a common word matches thousands of sections, and
  // this runs before the engine has warmed up. Scores are kept per
  // candidate, not per section of the site: arrays as large as the site,
  // written here and there, cost a fresh page of memory at almost every
  // write the first time (those below are kept for the next query, and
  // cleaned after each; tables() makes them).
  var secSlot = null, pageSlot = null, pageImp = null;
  function rank(per, limit, exact, shown) {
    var nk = per.length;
    // Candidates: sections (their number + 1 in secSlot) and pages matched
    // (pageSlot); at most as many as postings: arrays of that size, filled
    // up to nCands and nPageCands.
    var most = 1, mostPages = 1, nCands = 0, nPageCands = 0, i, k, s, p, v, c, f;
    for (k = 0; k < nk; k++) {
      for (f = 0; f < per[k].found.length; f++) {
        c = per[k].found[f];
        if (c.sec) { most += c.sec.ids.length + c.page.ids.length; mostPages += c.page.ids.length; }
      }
    }
    var cands = new Int32Array(most), pageCands = new Int32Array(mostPages), pages = new Int32Array(mostPages);
    function candidate(s) {
      if (secSlot[s] === 0) { cands[nCands++] = s; secSlot[s] = nCands; }
      return secSlot[s] - 1;
    }
    // Per word, the best score of each candidate section and page (0: not matched).
    var secOf = [], pageOf = [];
    if (exact !== null) candidate(exact);
    for (k = 0; k < nk; k++) {
      var sec = new Float64Array(most), page = new Float64Array(mostPages), nPages = 0, found = per[k].found;
      for (f = 0; f < found.length; f++) {
        c = found[f];
        if (!c.sec) continue;
        var base = TIER[c.cls] * M.tier, wt = WEIGHT[c.cls];
        var pids = c.page.ids, pimp = c.page.imp, sids = c.sec.ids, simp = c.sec.imp, at;
        // Candidates taken as candidate() takes them, written out: these
        // loops run over every posting, before the engine has compiled them.
        for (i = 0; i < pids.length; i++) {
          p = pids[i];
          at = pageSlot[p];
          if (at === 0) { pageCands[nPageCands++] = p; at = pageSlot[p] = nPageCands; }
          at--;
          pageImp[p] = pimp[i];
          v = base + wt * pimp[i];
          if (page[at] === 0) pages[nPages++] = p;
          if (v > page[at]) page[at] = v;
        }
        for (i = 0; i < sids.length; i++) {
          s = sids[i];
          v = base + wt * (simp[i] + pageImp[sectionPage[s]]);
          at = secSlot[s];
          if (at === 0) { cands[nCands++] = s; at = secSlot[s] = nCands; }
          at--;
          if (v > sec[at]) sec[at] = v;
        }
        for (i = 0; i < pids.length; i++) pageImp[pids[i]] = 0;
      }
      // A page matched by its title offers its first section.
      for (i = 0; i < nPages; i++) candidate(pageFirst[pages[i]]);
      secOf.push(sec);
      pageOf.push(page);
    }
    // Each candidate's score: per word, the better of its section's and its page's.
    var ids = new Int32Array(nCands), score = new Float64Array(nCands), matched = 0;
    for (i = 0; i < nCands; i++) {
      s = cands[i];
      p = sectionPage[s];
      if (shown && !shown(p)) continue;
      var total = 0, pc = pageSlot[p] - 1;
      for (k = 0; k < nk; k++) {
        var a = secOf[k][i], b = pc < 0 ? 0 : pageOf[k][pc];
        total += a > b ? a : b;
      }
      if (s === exact) total += 1e6;
      ids[matched] = s;
      score[matched++] = total;
    }
    for (i = 0; i < nCands; i++) secSlot[cands[i]] = 0;
    for (i = 0; i < nPageCands; i++) pageSlot[pageCands[i]] = 0;
    function order(x, y) { return (score[y] - score[x]) || (ids[x] - ids[y]); }
    function hits(list) { return list.map(function (x) { return { s: ids[x], p: sectionPage[ids[x]], score: score[x] }; }); }
    // A page's sections after its first PER_PAGE go last (matching.rs, `diversify`).
    function diversify(list) {
      var seenPage = {}, first = [], later = [];
      list.forEach(function (r) { seenPage[r.p] = (seenPage[r.p] || 0) + 1; (seenPage[r.p] <= M.per_page ? first : later).push(r); });
      return { first: first, later: later };
    }
    // Only the best few are kept and sorted: a common word matches tens of
    // thousands of sections. That is the answer when enough of them survive
    // diversification; otherwise everything is ranked.
    var keep = Math.max(limit, 1) * 8, best = [], floor = -Infinity;
    if (matched > keep) {
      // The keep-th best score, by the engine's own sort of numbers.
      var sorted = score.slice(0, matched).sort();
      floor = sorted[matched - keep];
    }
    for (i = 0; i < matched; i++) if (score[i] >= floor) best.push(i);
    best.sort(order);
    if (best.length > keep) best.length = keep;
    var d = diversify(hits(best));
    if (d.first.length < limit && matched > best.length) {
      var all = [];
      for (i = 0; i < matched; i++) all.push(i);
      d = diversify(hits(all.sort(order)));
    }
    var ranked = d.first.concat(d.later);
    ranked.total = matched;
    return ranked;
  }

  // Whether section `s` of page `p` is the page's top (its title).
  function isTop(s, p) { return s - pageFirst[p] === (tops.get(p) || 0); }
  // The chunk that shows result `r` when it is not ready to show: the
  // chunk of its page's top, or its page's document chunk; null if ready.
  function chunkOf(r) {
    if (records.has(r.s)) return null;
    if (isTop(r.s, r.p)) { var c = Math.floor(r.p / M.tops_pages); return { id: "p" + c, path: "p/" + c + ".js" }; }
    return { id: "d" + pageChunk[r.p], path: "d/" + pageChunk[r.p] + ".js" };
  }

  // The words to mark in what results show.
  function marksOf(per) {
    var marks = { surfaces: {}, stems: [] };
    per.forEach(function (w) {
      w.found.forEach(function (c) {
        if (marks.stems.indexOf(c.stem) < 0) marks.stems.push(c.stem);
        w.shards.forEach(function (s) {
          s.entries.forEach(function (e) { if (e.stem === c.stem) marks.surfaces[e.surface] = true; });
        });
      });
    });
    return marks;
  }

  // The first of `hits` (ranked) shown: as many as come with `budget` files
  // more at most, all their chunks asked for at once — and the first FEW
  // whatever they cost. A promise of the results, with `more(budget)`, the
  // next ones the same way (null when none are left).
  // A chunk an earlier query asked for costs nothing more, but may still be
  // on its way: it is waited for all the same.
  function show(hits, marks, budget) {
    var files = {}, n = 0, count = 0;
    for (; count < hits.length; count++) {
      var f = chunkOf(hits[count]);
      if (!f || files[f.id]) continue;
      if (!promises[f.id]) {
        if (n >= budget && count >= FEW) break;
        n++;
      }
      files[f.id] = f.path;
    }
    var ids = Object.keys(files);
    return Promise.all(ids.map(function (id) { return load(id, files[id]); })).then(function () {
      var out = hits.slice(0, count).map(function (r) { return shown(r, marks); });
      var rest = hits.slice(count);
      out.more = rest.length ? function (b) { return show(rest, marks, b === undefined ? Infinity : b); } : null;
      out.left = rest.length;
      return out;
    });
  }

  // One result as shown, its chunk (if it needs one) loaded.
  function shown(r, marks) {
    var d = records.get(r.s);
    if (!d) {
      if (isTop(r.s, r.p)) {
        var t = store.p[Math.floor(r.p / M.tops_pages)][r.p % M.tops_pages];
        d = [r.s, t[0], t[1], t[2], "", "", t[3]];
      } else {
        var c = pageChunk[r.p], page = store.d[c][r.p - chunkFirst[c]];
        var sec = page[3][r.s - pageFirst[r.p]];
        d = [r.s, page[0], page[1], page[2], sec[0], sec[1], sec[2]];
      }
    }
    var anchor = d[4] === 0 ? anchorOf(d[5]) : d[4];
    return {
      url: d[1] + (anchor ? "#" + anchor : ""),
      title: d[2],
      titleHtml: highlight(d[2], marks),
      section: d[5] || null,
      sectionHtml: d[5] ? highlight(d[5], marks) : null,
      kind: M.kinds[d[3] - 1] || null,
      snippet: highlight(d[6], marks),
      score: r.score
    };
  }

  // The anchor of a heading written as `0` (shards/display.rs, `derived`).
  var ANCHOR_KEPT = /[\p{Alphabetic}\p{N}_-]/u, SPACE = /\s/u;
  function anchorOf(heading) {
    var out = "";
    for (var c of heading.trim()) {
      if (ANCHOR_KEPT.test(c)) out += c.toLowerCase();
      else if (SPACE.test(c)) out += "-";
    }
    return out;
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
  var footer = box && box.querySelector(".search-more");
  var status = document.getElementById(pageMode ? "search-page-status" : "search-count");
  var kindSelect = document.getElementById("search-kind");
  var tagSelect = document.getElementById("search-tag");
  // `dismissed`: the dropdown was last closed (Escape, the focus left the
  // box) rather than opened; a query still on its way then fills the list
  // but does not open it again. Typing, or opening it (↓, the focus coming
  // back), undoes it.
  var active = -1, seq = 0, dismissed = false;

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
    dismissed = !show;
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

  // The results of the query shown that are not shown yet (`res.more`), and
  // the button that shows them: below the dropdown's options, below the
  // search page's list. Scrolling to the end of the list, or ↓ from its
  // last option, shows them too.
  var later = null, moreButton = null, showing = false;
  function hitsHtml(res, from) {
    return res.map(function (r, i) { return (pageMode ? '<li role="none">' : "") + hitHtml(r, "search-hit-" + (from + i)) + (pageMode ? "</li>" : ""); }).join("");
  }
  function offerMore(res) {
    later = res.more;
    if (!moreButton) {
      moreButton = document.createElement("button");
      moreButton.type = "button";
      moreButton.className = "search-load-more";
      moreButton.addEventListener("click", function () { showMore(true); });
    }
    if (pageMode) { if (moreButton.parentNode !== list.parentNode) list.parentNode.insertBefore(moreButton, list.nextSibling); }
    else if (footer) footer.insertBefore(moreButton, footer.firstChild);
    moreButton.hidden = !later;
    moreButton.textContent = (S.more || "+{n}").replace("{n}", res.left);
    moreButton.dataset.left = res.left;
  }
  // Shows the next results; `focus` (the button, ↓): the first of them
  // takes the focus, or becomes the active option — also when the reader
  // asks while they load (a scroll asked for them first). A promise of
  // whether any was added.
  var focusAfter = false;
  function showMore(focus) {
    if (showing) { focusAfter = focusAfter || focus; return Promise.resolve(false); }
    if (!later) return Promise.resolve(false);
    var mine = seq, from = options().length;
    showing = true;
    focusAfter = focus;
    return later(MORE_FILES).then(function (res) {
      showing = false;
      if (mine !== seq) return false;
      list.insertAdjacentHTML("beforeend", hitsHtml(res, from));
      // The focus leaves the button before it may hide.
      if (focusAfter && pageMode) { if (options()[from]) options()[from].focus(); }
      else if (focusAfter) { input.focus(); setActive(from); }
      offerMore(res);
      return true;
    }, function () { showing = false; return false; });
  }

  function run() {
    var text = input.value, mine = ++seq, f = filters();
    dismissed = false;
    updateUrl();
    later = null;
    if (moreButton) moreButton.hidden = true;
    if (!text.trim()) { list.innerHTML = ""; if (footer) footer.innerHTML = ""; if (status) status.textContent = ""; open(false); active = -1; return; }
    // One letter is the start of too many words to say anything of them:
    // the reader is asked for the next one rather than told there is nothing.
    if (chars(text.trim()).length === 1) {
      list.innerHTML = "";
      if (footer) footer.innerHTML = '<p class="search-empty search-hint">' + esc(S.typeMore || "") + "</p>";
      if (status) status.textContent = S.typeMore || "";
      open(!dismissed);
      active = -1;
      input.removeAttribute("aria-activedescendant");
      return;
    }
    var stale = function () { return mine !== seq; };
    search(text, { limit: pageMode ? 50 : 8, files: FIRST_FILES, kind: f.kind, tag: f.tag, stale: stale }).then(function (res) {
      if (mine !== seq) return;
      list.innerHTML = hitsHtml(res, 0);
      if (box && !pageMode) box.scrollTop = 0;
      if (footer) {
        footer.innerHTML = res.length
          ? '<a class="search-all" href="' + esc(root + "search.html?q=" + encodeURIComponent(text)) + '">' + esc(S.seeAll || "") + " (" + res.total + ") →</a>"
          : '<p class="search-empty">' + esc(S.noResults || "") + "</p>";
      }
      offerMore(res);
      if (status) status.textContent = res.length ? count(res.total) : S.noResults || "";
      open(!dismissed);
      if (pageMode) { active = -1; input.removeAttribute("aria-activedescendant"); }
      else setActive(0);
    }, function () {
      if (mine !== seq) return;
      list.innerHTML = "";
      if (footer) footer.innerHTML = '<p class="search-empty">' + esc(S.unavailable || "") + "</p>";
      if (status) status.textContent = S.unavailable || "";
      open(!dismissed);
    });
  }

  input.setAttribute("aria-expanded", "false");
  input.addEventListener("input", run);
  input.addEventListener("focus", function () { manifest().then(function () { setTimeout(tables, 0); }, function () {}); if (!pageMode && input.value.trim() && (list.innerHTML || (footer && footer.innerHTML))) open(true); });
  input.addEventListener("keydown", function (e) {
    var opts = options();
    if (e.key === "ArrowDown" && opts.length && active === opts.length - 1 && later) { e.preventDefault(); open(true); showMore(true); }
    else if (e.key === "ArrowDown" && opts.length) { e.preventDefault(); open(true); setActive(active + 1); }
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
    // The reader scrolled the results to their end.
    box.addEventListener("scroll", function () {
      if (later && box.scrollTop > 0 && box.scrollTop + box.clientHeight >= box.scrollHeight - 48) showMore(false);
    });
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
    // The reader scrolled down to the button.
    window.addEventListener("scroll", function () {
      if (later && window.scrollY > 0 && moreButton.getBoundingClientRect().top < window.innerHeight) showMore(false);
    }, { passive: true });
    // The query of the address: once the page is loaded, and with it the
    // manifest it asks for (base.html), which is then not asked for twice.
    if (document.readyState === "complete") run();
    else window.addEventListener("load", run);
  }
})();
