//! Search in the built demo site, in headless Chromium, from `file://` and
//! through a loopback HTTP server: a volunteer types a misspelt, unaccented
//! French query, sees the right runbook section first, follows it and lands
//! on the anchored section. Also: keyboard use, the `/` shortcut, the search
//! page with `?q=` and its kind filter, and the evaluation set run through
//! the browser's engine (search.js).
//!
//! Needs Chromium: `VIGIE_TEST_CHROMIUM` (default /usr/bin/chromium). Without
//! it the test fails in CI and is skipped elsewhere.

mod browser_common;
mod common;
mod search_common;

use std::path::PathBuf;
use std::time::Instant;

use browser_common::{eval, launch, open, wait_for, wait_for_or_show};
use chromiumoxide::page::Page;
use common::{build, chromium, fixture, generated_corpus, http, read, stderr};
use search_common::{cases, copy_kb, rank, repo, report};

/// Builds the demo knowledge base with the real binary; returns (kb copy, site folder).
fn build_demo() -> (tempfile::TempDir, PathBuf) {
    let kb = copy_kb(&repo().join("runbooks"));
    let out = kb.path().join("site");
    let o = build(kb.path(), &out, &[]);
    assert!(o.status.success(), "vigie build failed: {}", stderr(&o));
    (kb, out)
}

/// Serves `dir` on 127.0.0.1 while the server lives.
fn serve(dir: PathBuf) -> http::Server {
    http::Server::start(move |request| {
        let path = percent_decode(request.path().trim_start_matches('/'));
        let file = if path.is_empty() {
            dir.join("index.html")
        } else {
            dir.join(&path)
        };
        match (path.contains(".."), std::fs::read(&file)) {
            (false, Ok(bytes)) => {
                let kind = match file.extension().and_then(|e| e.to_str()) {
                    Some("html") => "text/html; charset=utf-8",
                    Some("js") => "text/javascript; charset=utf-8",
                    Some("css") => "text/css; charset=utf-8",
                    Some("svg") => "image/svg+xml",
                    _ => "application/octet-stream",
                };
                http::Response::new(200, bytes).header("Content-Type", kind)
            }
            _ => http::Response::new(404, "not found"),
        }
    })
}

fn percent_decode(s: &str) -> String {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%'
            && i + 2 < bytes.len()
            && let Ok(b) = u8::from_str_radix(&s[i + 1..i + 3], 16)
        {
            out.push(b);
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// What the search box holds, for a failure to show: where the focus is,
/// what was typed, whether the results are open, the last search that
/// finished and the files the search loaded.
const SEARCH_STATE: &str = "{focus: document.activeElement && document.activeElement.id, typed: document.getElementById('search-input').value, hidden: document.getElementById('search-results').hidden, shown: document.querySelectorAll('#search-results .search-hit').length, last: window.vigieSearch && window.vigieSearch.last && window.vigieSearch.last.query, files: window.vigieSearch && window.vigieSearch.files, ready: document.readyState}";

/// Open a deep page, type the query into the search box, check the first
/// result, follow it with the keyboard, and check where we land.
async fn type_and_follow(page: &Page, base: &str) {
    open(page, &format!("{base}runbooks/kubernetes/noeud-notready.html")).await;

    // `/` focuses the search box.
    page.find_element("main")
        .await
        .expect("main")
        .click()
        .await
        .expect("click main");
    page.find_element("body")
        .await
        .unwrap()
        .press_key("/")
        .await
        .expect("press /");
    wait_for(
        page,
        "document.activeElement && document.activeElement.id === 'search-input'",
    )
    .await;

    let input = page.find_element("#search-input").await.expect("search box");
    let typed = Instant::now();
    input
        .type_str("redemarer la minorite rabitmq")
        .await
        .expect("type");
    wait_for_or_show(page, "document.querySelectorAll('#search-results .search-hit').length > 0 && !document.getElementById('search-results').hidden && window.vigieSearch.last && window.vigieSearch.last.query === 'redemarer la minorite rabitmq'", SEARCH_STATE).await;
    let ms: f64 = eval(page, "window.vigieSearch.last.ms").await;
    println!(
        "{base}: results for the last keystroke in {ms:.1} ms ({:?} wall, typing included)",
        typed.elapsed()
    );

    let first: String = eval(
        page,
        "document.querySelector('#search-results .search-hit').getAttribute('href')",
    )
    .await;
    let want = "runbooks/kubernetes/rabbitmq-partitionne.html#étape-2--redémarrer-la-minorité";
    assert_eq!(first, format!("../../{want}"), "first result from {base}");
    let text: String = eval(
        page,
        "document.querySelector('#search-results .search-hit').textContent",
    )
    .await;
    assert!(
        text.contains("RabbitMQ partitionné") && text.contains("Étape 2"),
        "{text}"
    );
    let marked: String = eval(
        page,
        "document.querySelector('#search-results .search-hit').innerHTML",
    )
    .await;
    assert!(
        marked.contains("<mark>"),
        "matched words are highlighted: {marked}"
    );

    // Keyboard: the first result is active; ↓ moves on, ↑ comes back, Enter follows.
    let active = "document.querySelector('#search-results .search-hit.active').getAttribute('href')";
    assert_eq!(eval::<String>(page, active).await, first);
    input.press_key("ArrowDown").await.expect("down");
    assert_ne!(eval::<String>(page, active).await, first);
    input.press_key("ArrowUp").await.expect("up");
    assert_eq!(eval::<String>(page, active).await, first);
    input.press_key("Enter").await.expect("enter");
    wait_for(page, "location.pathname.endsWith('/rabbitmq-partitionne.html')").await;
    wait_for(page, "document.readyState === 'complete'").await;
    let hash: String = eval(page, "decodeURIComponent(location.hash)").await;
    assert_eq!(hash, "#étape-2--redémarrer-la-minorité");
    let heading: String = eval(
        page,
        "document.getElementById(decodeURIComponent(location.hash.slice(1))).textContent",
    )
    .await;
    assert!(heading.contains("Étape 2 : redémarrer la minorité"), "{heading}");

    // Escape closes the results (on the page the result led to: its own
    // search script, which has not loaded anything yet).
    wait_for(page, "!!window.vigieSearch").await;
    let input = page.find_element("#search-input").await.expect("search box");
    input.click().await.unwrap().type_str("noeud").await.unwrap();
    wait_for_or_show(
        page,
        "!document.getElementById('search-results').hidden",
        SEARCH_STATE,
    )
    .await;
    input.press_key("Escape").await.unwrap();
    wait_for(page, "document.getElementById('search-results').hidden").await;

    // Escape while a query is on its way: its results, when they come, do
    // not open the box the reader closed.
    let closed: bool = eval(
        page,
        "(() => { const i = document.getElementById('search-input'); i.focus(); \
         i.value = 'rabbitmq'; i.dispatchEvent(new Event('input')); \
         i.dispatchEvent(new KeyboardEvent('keydown', { key: 'Escape', bubbles: true })); \
         return document.getElementById('search-results').hidden; })()",
    )
    .await;
    assert!(closed, "no result yet when Escape is pressed");
    wait_for(
        page,
        "window.vigieSearch.last && window.vigieSearch.last.query === 'rabbitmq'",
    )
    .await;
    tokio::time::sleep(std::time::Duration::from_millis(200)).await;
    assert!(
        eval::<bool>(page, "document.getElementById('search-results').hidden").await,
        "results that came after Escape opened the box again"
    );
    // Escape, then ↓ opens the results again while a query is on its way:
    // when it comes, the box stays open.
    let open: bool = eval(
        page,
        "(() => { const i = document.getElementById('search-input'); \
         const key = k => i.dispatchEvent(new KeyboardEvent('keydown', { key: k, bubbles: true })); \
         i.value = 'rabbitmq partition'; i.dispatchEvent(new Event('input')); \
         key('Escape'); key('ArrowDown'); \
         return !document.getElementById('search-results').hidden; })()",
    )
    .await;
    assert!(open, "↓ shows the results there are");
    wait_for(
        page,
        "window.vigieSearch.last && window.vigieSearch.last.query === 'rabbitmq partition'",
    )
    .await;
    tokio::time::sleep(std::time::Duration::from_millis(200)).await;
    assert!(
        !eval::<bool>(page, "document.getElementById('search-results').hidden").await,
        "results that came after ↓ closed the box the reader opened"
    );

    // One letter asks for the next one: no "no results", no file loaded.
    let (hint, hits, files_before, files_after): (String, usize, usize, usize) = eval(
        page,
        "(() => { const i = document.getElementById('search-input'); \
         const before = window.vigieSearch.files.length; \
         i.value = 'n'; i.dispatchEvent(new Event('input')); \
         const box = document.getElementById('search-results'); \
         return [box.hidden ? '' : (box.querySelector('.search-empty') || {}).textContent || '', \
                 box.querySelectorAll('.search-hit').length, before, window.vigieSearch.files.length]; })()",
    )
    .await;
    assert_eq!(hint, "Continuez à taper…");
    assert_eq!(hits, 0);
    assert_eq!(files_after, files_before, "one letter loaded search files");
}

/// The search page reads `?q=`, lists results, and filters by kind.
async fn search_page(page: &Page, base: &str) {
    open(page, &format!("{base}search.html?q=noeud%20notready")).await;
    wait_for(
        page,
        "document.querySelectorAll('#search-page-results .search-hit').length > 0",
    )
    .await;
    let first: String = eval(
        page,
        "document.querySelector('#search-page-results .search-hit').getAttribute('href')",
    )
    .await;
    assert_eq!(first, "runbooks/kubernetes/noeud-notready.html");
    assert_eq!(
        eval::<String>(page, "document.getElementById('search-input').value").await,
        "noeud notready"
    );
    // The query of the address waits for the manifest the page asks for,
    // rather than asking for it a second time.
    assert_eq!(
        eval::<usize>(
            page,
            "document.querySelectorAll('script[src$=\"search/index.js\"]').length"
        )
        .await,
        1
    );
    // Only training pages: the runbook goes away.
    eval::<bool>(page, "(() => { const s = document.getElementById('search-kind'); s.value = 'training'; s.dispatchEvent(new Event('change')); return true; })()").await;
    wait_for(page, "location.search.includes('kind=training')").await;
    wait_for(page, "[...document.querySelectorAll('#search-page-results .search-hit')].every(a => !a.getAttribute('href').startsWith('runbooks/'))").await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn search_in_the_browser_from_disk_and_from_a_server() {
    let Some(chromium) = chromium() else { return };
    let (_kb, site) = build_demo();
    let file_base = format!("file://{}/", site.display());
    let server = serve(site.clone());
    let http_base = format!("{}/", server.base());
    let profile = tempfile::tempdir().unwrap();
    let (mut browser, handler) = launch(&chromium, profile.path()).await;
    let page = browser.new_page("about:blank").await.expect("new page");

    for base in [&file_base, &http_base] {
        type_and_follow(&page, base).await;
        search_page(&page, base).await;
    }

    // The evaluation set, through search.js.
    open(&page, &format!("{file_base}index.html")).await;
    wait_for(
        &page,
        "document.readyState === 'complete' && !!window.vigieSearch",
    )
    .await;
    let cases = cases();
    let mut ranks = Vec::new();
    let mut got = Vec::new();
    for case in &cases {
        let js = format!(
            "window.vigieSearch.search({}, {{limit: 5}}).then(r => r.map(x => x.url))",
            serde_json::to_string(&case.q).unwrap()
        );
        let urls: Vec<String> = eval(&page, &js).await;
        ranks.push(rank(case, &urls));
        got.push(urls);
    }
    let (_, mrr) = report("site search (search.js)", &cases, &ranks, &got);
    assert!(mrr >= 0.85, "MRR@5 in the browser {mrr:.3} is under 0.85");

    // The first letters typed may spell a stop word ("ne", on the way to
    // "neutron"): they still find the words they start; once a space
    // follows, the stop word alone finds nothing.
    let typing: Vec<String> = eval(
        &page,
        "window.vigieSearch.search('ne', {limit: 50}).then(r => r.map(x => x.url))",
    )
    .await;
    assert!(
        typing.iter().any(|u| u.starts_with("runbooks/neutron/")),
        "typing `ne` finds no Neutron runbook: {typing:?}"
    );
    let done: Vec<String> = eval(
        &page,
        "window.vigieSearch.search('ne ', {limit: 5}).then(r => r.map(x => x.url))",
    )
    .await;
    assert!(done.is_empty(), "the stop word `ne` alone found {done:?}");

    browser.close().await.ok();
    handler.abort();
}

/// The site of a generated knowledge base of `pages` pages, built in
/// `tmp`; `None` when the generator is missing (as `generated_corpus` says).
fn generated_site(tmp: &std::path::Path, pages: usize) -> Option<PathBuf> {
    let kb = tmp.join("kb");
    generated_corpus(&kb, pages)?;
    let site = tmp.join("site");
    let o = build(&kb, &site, &["--broken-links", "warn"]);
    assert!(o.status.success(), "{}", stderr(&o));
    Some(site)
}

/// A generated site of 400 pages, whose largest vocabulary keys are cut
/// into ranges of stems: a fresh page loads the manifest with it, then a
/// word of each range first the vocabulary file of its range, and finds
/// results.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn on_a_large_site_a_word_goes_to_the_file_of_its_range() {
    let Some(chromium) = chromium() else { return };
    let tmp = tempfile::tempdir().unwrap();
    let Some(site) = generated_site(tmp.path(), 400) else {
        return;
    };

    // A word of each range: a surface of a stem whose postings the range has.
    let args = |file: &str, f: &str| -> Vec<serde_json::Value> {
        let text = read(site.join("search").join(file));
        let inner = text
            .strip_prefix(&format!("vigieSearch.{f}("))
            .and_then(|t| t.trim_end().strip_suffix(");"))
            .expect("a vigieSearch call");
        serde_json::from_str(&format!("[{inner}]")).expect("JSON arguments")
    };
    let manifest = args("index.js", "init").remove(0);
    let stop: Vec<&str> = manifest["stop"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|w| w.as_str())
        .collect();
    let mut words = Vec::new();
    let mut n = 0;
    for key in manifest["keys"].as_array().unwrap() {
        let cuts: Vec<&str> = key
            .as_array()
            .map_or(Vec::new(), |k| k[1..].iter().filter_map(|c| c.as_str()).collect());
        for file in n..=n + cuts.len() {
            if cuts.is_empty() {
                break;
            }
            let entries = args(&format!("v/{file}.js"), "v").remove(1);
            let word = entries.as_array().unwrap().iter().find_map(|e| {
                let stem = e[0].as_str()?;
                e[2].is_string().then_some(())?;
                let surface = e[4].as_str()?.split(',').next()?;
                let surface = surface
                    .strip_prefix('=')
                    .map_or(format!("{stem}{surface}"), str::to_string);
                (!stop.contains(&surface.as_str())).then_some(())?;
                let range = cuts.iter().take_while(|c| **c <= surface.as_str()).count();
                (n + range == file).then_some(surface)
            });
            words.extend(word.map(|w| (w, file)));
        }
        n += cuts.len() + 1;
    }
    assert!(words.len() >= 4, "too few cut keys: {words:?}");

    let profile = tempfile::tempdir().unwrap();
    let (mut browser, handler) = launch(&chromium, profile.path()).await;
    let page = browser.new_page("about:blank").await.expect("new page");
    for (word, file) in &words {
        open(&page, &format!("file://{}/index.html", site.display())).await;
        wait_for(
            &page,
            "document.readyState === 'complete' && !!window.vigieSearch",
        )
        .await;
        // The manifest comes with the page: a first query waits for its
        // words' files only.
        let before: Vec<String> = eval(&page, "window.vigieSearch.files").await;
        assert_eq!(before, ["index.js"], "loaded with the page");
        let js = format!(
            "window.vigieSearch.search({}, {{limit: 8}}).then(r => [r.length, window.vigieSearch.last.files.slice(0, 2)])",
            serde_json::to_string(word).unwrap()
        );
        let (found, files): (usize, Vec<String>) = eval(&page, &js).await;
        assert!(found > 0, "no result for {word}");
        assert_eq!(files, ["index.js".to_string(), format!("v/{file}.js")], "{word}");
    }
    browser.close().await.ok();
    handler.abort();
}

/// A query whose results are spread over the site: the search box shows
/// the first of them with the files its budget allows and no file more; the
/// others come when the reader asks — ↓ past the last option in the
/// dropdown, the "more results" button on the search page — and are those a
/// search without budget gives, in the same order.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn spread_results_past_the_first_files_come_when_the_reader_asks() {
    let Some(chromium) = chromium() else { return };
    let tmp = tempfile::tempdir().unwrap();
    let Some(site) = generated_site(tmp.path(), 400) else {
        return;
    };
    // Six words, each its own vocabulary file, matched all over the site.
    let q = "kubectl get pods logs describe events";
    let quoted = serde_json::to_string(q).unwrap();
    let profile = tempfile::tempdir().unwrap();
    let (mut browser, handler) = launch(&chromium, profile.path()).await;
    let page = browser.new_page("about:blank").await.expect("new page");
    let fresh = |url: String| {
        let page = &page;
        async move {
            open(page, &url).await;
            wait_for(page, "document.readyState === 'complete' && !!window.vigieSearch").await;
        }
    };
    let home = format!("file://{}/index.html", site.display());

    // The engine: all eight at once, or the first within no file more than
    // the words' then the rest.
    fresh(home.clone()).await;
    let all: Vec<String> = eval(
        &page,
        &format!("window.vigieSearch.search({quoted}, {{limit: 8}}).then(r => r.map(x => x.url))"),
    )
    .await;
    assert_eq!(all.len(), 8, "{all:?}");
    fresh(home.clone()).await;
    let (first, left, rest): (Vec<String>, usize, Vec<String>) = eval(
        &page,
        &format!(
            "window.vigieSearch.search({quoted}, {{limit: 8, files: 0}}).then(r => r.more().then(m => [r.map(x => x.url), r.left, m.map(x => x.url)]))"
        ),
    )
    .await;
    assert!(first.len() >= 3 && first.len() < 8, "{first:?}");
    assert_eq!(left, 8 - first.len());
    assert_eq!([first, rest].concat(), all);
    // A query started while an earlier one's chunks are on their way (the
    // reader typed on) waits for them too.
    fresh(home.clone()).await;
    let twice: Vec<Vec<String>> = eval(
        &page,
        &format!(
            "Promise.all([window.vigieSearch.search({quoted}, {{limit: 8}}), window.vigieSearch.search({quoted}, {{limit: 8}})]).then(r => r.map(l => l.map(x => x.url)))"
        ),
    )
    .await;
    assert_eq!(twice, [all.clone(), all.clone()]);

    // The dropdown (the query pasted): the first results, a button saying
    // how many wait, and nothing loading; ↓ from the last option brings the
    // others.
    fresh(home).await;
    let input = page.find_element("#search-input").await.expect("search box");
    input.click().await.expect("focus");
    eval::<bool>(
        &page,
        &format!("(() => {{ const i = document.getElementById('search-input'); i.value = {quoted}; i.dispatchEvent(new Event('input')); return true; }})()"),
    )
    .await;
    let hits = "document.querySelectorAll('#search-results .search-hit')";
    wait_for_or_show(
        &page,
        &format!(
            "{hits}.length > 0 && window.vigieSearch.last && window.vigieSearch.last.query === {quoted}"
        ),
        SEARCH_STATE,
    )
    .await;
    settle(&page).await;
    let (shown, waiting, files): (usize, usize, usize) = eval(
        &page,
        &format!("[{hits}.length, Number(document.querySelector('#search-results .search-load-more:not([hidden])').dataset.left), window.vigieSearch.files.length]"),
    )
    .await;
    assert!(
        shown < 8 && shown + waiting == 8,
        "{shown} shown, {waiting} waiting"
    );
    let first_files: usize = eval(&page, "window.vigieSearch.firstFiles").await;
    assert!(files <= first_files + 1, "{files} files for the first results");
    for _ in 1..shown {
        input.press_key("ArrowDown").await.expect("down");
    }
    input.press_key("ArrowDown").await.expect("down");
    wait_for_or_show(&page, &format!("{hits}.length === 8"), SEARCH_STATE).await;
    let (active, urls, button): (String, Vec<String>, bool) = eval(
        &page,
        &format!("[document.getElementById('search-input').getAttribute('aria-activedescendant'), [...{hits}].map(a => a.getAttribute('href')), document.querySelector('#search-results .search-load-more').hidden]"),
    )
    .await;
    assert_eq!(
        active,
        format!("search-hit-{shown}"),
        "↓ goes on to the first result added"
    );
    assert_eq!(urls, all);
    assert!(button, "nothing left to ask for");

    // The search page: the button below the list; the first result added
    // takes the focus.
    open(
        &page,
        &format!(
            "file://{}/search.html?q={}",
            site.display(),
            q.replace(' ', "%20")
        ),
    )
    .await;
    let listed = "document.querySelectorAll('#search-page-results .search-hit')";
    wait_for(&page, &format!("{listed}.length > 0")).await;
    settle(&page).await;
    let shown: usize = eval(&page, &format!("{listed}.length")).await;
    page.find_element(".search-page-main .search-load-more")
        .await
        .expect("the more button")
        .click()
        .await
        .expect("click");
    wait_for(&page, &format!("{listed}.length > {shown}")).await;
    let focused: String = eval(&page, "document.activeElement.id").await;
    assert_eq!(focused, format!("search-hit-{shown}"));
    browser.close().await.ok();
    handler.abort();
}

/// Benchmark, not a test (`scripts/search-bench.sh` runs it): on the site in
/// `VIGIE_BENCH_SITE`, what typical queries cost a reader. Each query runs in
/// a fresh browser (new profile, page just opened): the reader focuses the
/// search box and pastes the query. Per query: the script files it loads
/// (assets/search.js and the search/ files, manifest included), their raw and
/// gzipped (`gzip -9`) bytes, the time until the results are shown, and the
/// time of the same query again (no file more). Files are counted once the
/// search has nothing left in flight: what a query loads after its first
/// results show without the reader asking counts too. `shown`: the results
/// on screen then, of the 8 the dropdown lists (the others wait for the
/// reader to ask). `VIGIE_BENCH_ROUNDS` (default 3) repeats the whole list;
/// times are medians.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "benchmark: needs VIGIE_BENCH_SITE, run by scripts/search-bench.sh"]
async fn bench_bytes_and_time_per_query() {
    let Some(chromium) = chromium() else { return };
    let site = PathBuf::from(std::env::var("VIGIE_BENCH_SITE").expect("VIGIE_BENCH_SITE: a built site"));
    let queries: Vec<String> = std::env::var("VIGIE_BENCH_QUERIES")
        .map(|q| q.split('|').map(str::to_string).collect())
        .unwrap_or_else(|_| {
            [
                "redemarrer nova-api",
                "quorum galera",
                "file rabbitmq saturee",
                "ceph osd down",
                "certificat tls",
                "restore the snapshots",
                "hyperviseurs degrade",
                "rabitmq partitionee",
                "velero",
                "kubectl -n openstack get pods",
            ]
            .map(str::to_string)
            .to_vec()
        });
    let rounds: usize = std::env::var("VIGIE_BENCH_ROUNDS")
        .ok()
        .and_then(|r| r.parse().ok())
        .unwrap_or(3)
        .max(1);
    let verbose = std::env::var_os("VIGIE_BENCH_VERBOSE").is_some();
    let mut sizes = Sizes::default();
    // Per query: its cost (the same every round) and its times, round by round.
    let mut costs: Vec<Option<Cost>> = vec![None; queries.len()];
    let mut times: Vec<Vec<(f64, f64)>> = vec![Vec::new(); queries.len()];
    // Per query: results on screen, and those left for the reader to ask for.
    let mut results = vec![(0, 0); queries.len()];
    for _ in 0..rounds {
        for (i, q) in queries.iter().enumerate() {
            let run = paste_in_fresh_browser(&chromium, &site, q).await;
            let cost = sizes.of(&run.files);
            if verbose {
                println!(
                    "{q}: {:.1} ms, steps {}\n  files: {:?}\n  results: {:?}",
                    run.shown, run.steps, run.files, run.urls
                );
            }
            results[i] = (run.urls.len(), run.left);
            times[i].push((run.shown, run.again));
            costs[i] = Some(cost);
        }
    }
    println!(
        "{:<32} {:>8} {:>9} {:>9} {:>9} {:>9} {:>6}  (medians of {rounds} fresh browsers)",
        "query", "requests", "raw kB", "gzip kB", "first ms", "again ms", "shown"
    );
    let median = |mut v: Vec<f64>| -> f64 {
        v.sort_by(f64::total_cmp);
        v[v.len() / 2]
    };
    let mut worst = (0, 0u64, 0u64, 0f64);
    for (i, q) in queries.iter().enumerate() {
        let cost = costs[i].clone().expect("ran");
        let first = median(times[i].iter().map(|t| t.0).collect());
        let again = median(times[i].iter().map(|t| t.1).collect());
        let (shown, left) = results[i];
        println!(
            "{:<32} {:>8} {:>9.1} {:>9.1} {:>9.1} {:>9.1} {:>6}",
            q,
            cost.requests,
            cost.raw as f64 / 1000.0,
            cost.gzip as f64 / 1000.0,
            first,
            again,
            format!("{shown}/{}", shown + left)
        );
        worst = (
            worst.0.max(cost.requests),
            worst.1.max(cost.raw),
            worst.2.max(cost.gzip),
            worst.3.max(first),
        );
    }
    println!(
        "{:<32} {:>8} {:>9.1} {:>9.1} {:>9.1}  (budget: 12 requests, 100 kB gzipped, 80 ms)",
        "worst",
        worst.0,
        worst.1 as f64 / 1000.0,
        worst.2 as f64 / 1000.0,
        worst.3
    );

    // As you type: every keystroke of a query, in a fresh browser.
    let typed = "redemarrer le cluster galera";
    let profile = tempfile::tempdir().unwrap();
    let (mut browser, handler) = launch(&chromium, profile.path()).await;
    let page = browser.new_page("about:blank").await.expect("new page");
    open(&page, &format!("file://{}/index.html", site.display())).await;
    wait_for(&page, "!!window.vigieSearch").await;
    let input = page.find_element("#search-input").await.expect("search box");
    input.click().await.expect("focus");
    input.type_str(typed).await.expect("type");
    wait_for(
        &page,
        &format!(
            "document.querySelectorAll('#search-results .search-hit').length > 0 && window.vigieSearch.last && window.vigieSearch.last.query === {}",
            serde_json::to_string(typed).unwrap()
        ),
    )
    .await;
    let last: f64 = eval(&page, "window.vigieSearch.last.ms").await;
    settle(&page).await;
    let files = loaded_files(&page).await;
    let cost = sizes.of(&files);
    println!(
        "typing {typed:?} key by key: {} requests, {:.1} kB raw, {:.1} kB gzipped in all; last keystroke to results {last:.1} ms",
        cost.requests,
        cost.raw as f64 / 1000.0,
        cost.gzip as f64 / 1000.0
    );
    browser.close().await.ok();
    handler.abort();
}

/// What one query loaded and how long it took.
struct Run {
    files: Vec<PathBuf>,
    urls: Vec<String>,
    /// From the paste to the results in the page, ms.
    shown: f64,
    /// The same query again (everything loaded), ms.
    again: f64,
    /// When each step of the first search ended (search.js's own timings).
    steps: serde_json::Value,
    /// Results of the dropdown left for the reader to ask for.
    left: usize,
}

/// Opens the home page of `site` in a fresh browser, pastes `q` into the
/// search box and waits for the results.
async fn paste_in_fresh_browser(chromium: &std::path::Path, site: &std::path::Path, q: &str) -> Run {
    let profile = tempfile::tempdir().unwrap();
    let (mut browser, handler) = launch(chromium, profile.path()).await;
    let page = browser.new_page("about:blank").await.expect("new page");
    open(&page, &format!("file://{}/index.html", site.display())).await;
    wait_for(&page, "!!window.vigieSearch").await;
    let js = format!(
        r#"new Promise(resolve => {{
            const input = document.getElementById('search-input');
            const box = document.getElementById('search-results');
            const t0 = performance.now();
            const seen = new MutationObserver(() => {{
                if (!box.hidden && box.querySelector('.search-hit, .search-empty')) {{
                    seen.disconnect();
                    resolve(performance.now() - t0);
                }}
            }});
            seen.observe(box, {{ subtree: true, childList: true, attributes: true }});
            input.focus();
            input.value = {q};
            input.dispatchEvent(new Event('input'));
        }})"#,
        q = serde_json::to_string(q).unwrap()
    );
    let shown: f64 = eval(&page, &js).await;
    settle(&page).await;
    let files = loaded_files(&page).await;
    let steps: serde_json::Value =
        eval(&page, "window.vigieSearch.last && window.vigieSearch.last.steps").await;
    let urls: Vec<String> = eval(
        &page,
        "[...document.querySelectorAll('#search-results .search-hit')].map(a => a.getAttribute('href'))",
    )
    .await;
    let left: usize = eval(
        &page,
        "(() => { const b = document.querySelector('#search-results .search-load-more'); return b && !b.hidden ? Number(b.dataset.left) : 0; })()",
    )
    .await;
    let again: f64 = eval(
        &page,
        &format!(
            "window.vigieSearch.search({}, {{limit: 8, files: 0}}).then(() => window.vigieSearch.last.ms)",
            serde_json::to_string(q).unwrap()
        ),
    )
    .await;
    browser.close().await.ok();
    handler.abort();
    Run {
        files,
        urls,
        shown,
        again,
        steps,
        left,
    }
}

/// Waits until the search has had no file in flight and asked for none for
/// 300 ms.
async fn settle(page: &Page) {
    let _: usize = eval(
        page,
        "new Promise(resolve => { let seen = -1, quiet = 0; const tick = () => { const n = window.vigieSearch.files.length; if ((window.vigieSearch.loading ? window.vigieSearch.loading() : 0) === 0 && n === seen) { if (++quiet === 3) return resolve(n); } else quiet = 0; seen = n; setTimeout(tick, 100); }; tick(); })",
    )
    .await;
}

/// The search scripts the page loaded: assets/search.js, and the search/
/// files it added (it lists them: file:// loads have no resource timing).
async fn loaded_files(page: &Page) -> Vec<PathBuf> {
    let site: String = eval(
        page,
        "decodeURIComponent(new URL(document.documentElement.getAttribute('data-root') || './', location.href).pathname)",
    )
    .await;
    let site = PathBuf::from(site);
    let files: Vec<String> = eval(page, "window.vigieSearch.files").await;
    std::iter::once(site.join("assets/search.js"))
        .chain(files.iter().map(|f| site.join("search").join(f)))
        .collect()
}

#[derive(Clone)]
struct Cost {
    requests: usize,
    raw: u64,
    gzip: u64,
}

/// Raw and `gzip -9` sizes of files, each measured once.
#[derive(Default)]
struct Sizes(std::collections::HashMap<PathBuf, (u64, u64)>);

impl Sizes {
    fn of(&mut self, files: &[PathBuf]) -> Cost {
        let mut cost = Cost {
            requests: files.len(),
            raw: 0,
            gzip: 0,
        };
        for f in files {
            let (raw, gz) = *self.0.entry(f.clone()).or_insert_with(|| {
                let raw = std::fs::metadata(f).map(|m| m.len()).unwrap_or(0);
                let out = std::process::Command::new("gzip")
                    .args(["-9", "-c"])
                    .arg(f)
                    .output()
                    .expect("gzip");
                (raw, out.stdout.len() as u64)
            });
            cost.raw += raw;
            cost.gzip += gz;
        }
        cost
    }
}

/// A multilingual Hugo site: a reader on an English page searches the English
/// pages, a reader on a French page the French ones.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_multilingual_site_searches_the_readers_language() {
    let Some(chromium) = chromium() else { return };
    let tmp = tempfile::tempdir().unwrap();
    let site = tmp.path().join("site");
    let o = build(&fixture("hugo-fr"), &site, &[]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let profile = tempfile::tempdir().unwrap();
    let (mut browser, handler) = launch(&chromium, profile.path()).await;
    let page = browser.new_page("about:blank").await.expect("new page");
    let search =
        "window.vigieSearch.search('premiers pas start commencez', {limit: 10}).then(r => r.map(x => x.url))";
    for (url, want, not) in [
        (
            "en/docs/premiers-pas.html",
            "en/docs/premiers-pas.html",
            "docs/demarrer.html",
        ),
        (
            "docs/demarrer.html",
            "docs/demarrer.html",
            "en/docs/premiers-pas.html",
        ),
    ] {
        open(&page, &format!("file://{}/{url}", site.display())).await;
        wait_for(
            &page,
            "document.readyState === 'complete' && !!window.vigieSearch",
        )
        .await;
        let urls: Vec<String> = eval(&page, search).await;
        assert!(urls.iter().any(|u| u.ends_with(want)), "from {url}: {urls:?}");
        assert!(
            !urls.iter().any(|u| u.ends_with(not) && !u.ends_with(want)),
            "from {url}: {urls:?}"
        );
    }
    browser.close().await.ok();
    handler.abort();
}

/// Builds a knowledge base of `pages` (file name, Markdown) and opens its
/// home page in a fresh browser, its search script ready. Returns what must
/// live as long as the page (the folders, the browser and its task).
async fn small_site(
    chromium: &std::path::Path,
    pages: &[(&str, String)],
) -> (
    [tempfile::TempDir; 2],
    chromiumoxide::Browser,
    tokio::task::JoinHandle<()>,
    Page,
) {
    let tmp = tempfile::tempdir().unwrap();
    let kb = tmp.path().join("kb");
    std::fs::create_dir_all(&kb).unwrap();
    for (name, text) in pages {
        std::fs::write(kb.join(name), text).unwrap();
    }
    let site = tmp.path().join("site");
    let o = build(&kb, &site, &[]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let profile = tempfile::tempdir().unwrap();
    let (browser, handler) = launch(chromium, profile.path()).await;
    let page = browser.new_page("about:blank").await.expect("new page");
    open(&page, &format!("file://{}/index.html", site.display())).await;
    wait_for(
        &page,
        "document.readyState === 'complete' && !!window.vigieSearch",
    )
    .await;
    ([tmp, profile], browser, handler, page)
}

const FILLER: &str = "Le service tourne sur trois nœuds et la supervision surveille son état.\n\n";

/// A section scores, for each word, the better of what its own text and its
/// page's title give: a section whose heading has one word, on a page whose
/// title has the other, comes before a section that has only one of them.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_page_title_counts_for_every_section_of_the_page() {
    let Some(chromium) = chromium() else { return };
    let mut pages = vec![
        (
            "alpha.md",
            format!("# Zorglub\n\n{FILLER}## Détails\n\nLa procédure se déroule en deux temps.\n"),
        ),
        (
            "beta.md",
            format!("# Autre sujet\n\n{FILLER}## Notes\n\nLe zorglub est redémarré chaque nuit.\n"),
        ),
    ];
    let names: Vec<String> = (0..6).map(|n| format!("page-{n}.md")).collect();
    for (n, name) in names.iter().enumerate() {
        pages.push((name, format!("# Page {n}\n\n{FILLER}## Suite\n\n{FILLER}")));
    }
    let (_dirs, mut browser, handler, page) = small_site(&chromium, &pages).await;
    let urls: Vec<String> = eval(
        &page,
        "window.vigieSearch.search('zorglub details', {limit: 5}).then(r => r.map(x => x.url))",
    )
    .await;
    assert_eq!(
        urls.first().map(String::as_str),
        Some("alpha.html#détails"),
        "{urls:?}"
    );
    assert!(urls.iter().any(|u| u == "beta.html#notes"), "{urls:?}");
    browser.close().await.ok();
    handler.abort();
}

/// A word of 40 bytes or more in UTF-8 is not in the index (the build
/// leaves it out): the browser leaves it out of a query too, and loads no
/// file for it. Counted in bytes, not characters: accented letters take two.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_word_too_long_for_the_index_costs_no_file() {
    let Some(chromium) = chromium() else { return };
    let pages = [(
        "alpha.md",
        format!("# Zorglub\n\n{FILLER}Le zorglub est redémarré chaque nuit.\n"),
    )];
    let (_dirs, mut browser, handler, page) = small_site(&chromium, &pages).await;
    // 7 + 17 × 2 = 41 bytes in 24 characters; then 7 + 16 × 2 = 39 bytes.
    let (long, short) = (
        format!("zorglub{}", "é".repeat(17)),
        format!("zorglub{}", "é".repeat(16)),
    );
    let files_after = |word: &str| {
        format!(
            "window.vigieSearch.search({}, {{limit: 5}}).then(() => window.vigieSearch.files.filter(f => f.startsWith('v/')))",
            serde_json::to_string(word).unwrap()
        )
    };
    let files: Vec<String> = eval(&page, &files_after(&long)).await;
    assert!(files.is_empty(), "a 41-byte word loaded {files:?}");
    let files: Vec<String> = eval(&page, &files_after(&short)).await;
    assert!(!files.is_empty(), "a 39-byte word is looked up in the vocabulary");
    browser.close().await.ok();
    handler.abort();
}
