//! External links, checked against HTTP servers the tests start on 127.0.0.1:
//! what each kind of answer becomes in the report, retries, `Retry-After`,
//! timeouts, exclusions, accepted codes and the persistent cache. No test
//! reaches the internet.

mod common;

use std::collections::HashMap;
use std::path::Path;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use common::{check_args, http, stderr, stdout, vigie};
use serde_json::Value;

/// A loopback web server that records every request it gets.
struct Site {
    server: http::Server,
    hits: Arc<Mutex<Vec<(String, Instant)>>>,
}

impl Site {
    /// Serves:
    /// `/ok` 200, `/old` 301 → `/ok`, `/missing` 404, `/error` 500,
    /// `/busy` 429 with `Retry-After: 1` the first time then 200,
    /// `/throttled` always 429 with `Retry-After: 1`,
    /// `/slow` 200 after 3 s (longer than the tests' 1 s timeout).
    fn start() -> Site {
        let hits: Arc<Mutex<Vec<(String, Instant)>>> = Arc::default();
        let log = hits.clone();
        Site {
            server: http::Server::start(move |request| answer(request, &log)),
            hits,
        }
    }

    fn url(&self, path: &str) -> String {
        format!("{}{path}", self.server.base())
    }

    /// Times at which `path` was requested.
    fn hits(&self, path: &str) -> Vec<Instant> {
        let hits = self.hits.lock().unwrap();
        hits.iter().filter(|(p, _)| p == path).map(|(_, t)| *t).collect()
    }
}

fn answer(request: &http::Request, log: &Mutex<Vec<(String, Instant)>>) -> http::Response {
    let path = request.url.clone();
    let seen = {
        let mut log = log.lock().unwrap();
        log.push((path.clone(), Instant::now()));
        log.iter().filter(|(p, _)| *p == path).count()
    };
    let page = |code: u16| http::Response::new(code, "<html><body>page</body></html>");
    match path.as_str() {
        "/ok" => page(200),
        "/old" => page(301).header("Location", "/ok"),
        "/missing" => page(404),
        "/error" => page(500),
        "/busy" if seen == 1 => page(429).header("Retry-After", "1"),
        "/busy" => page(200),
        "/throttled" => page(429).header("Retry-After", "1"),
        "/slow" => {
            std::thread::sleep(Duration::from_secs(3));
            page(200)
        }
        _ => page(404),
    }
}

/// A knowledge base with one page linking to `links`, and `[links]` settings
/// short enough for tests (1 s timeout, 1 retry after 100 ms).
fn knowledge_base(links: &[String], extra_config: &str) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let mut config = String::from(
        "title = \"Liens externes\"\n\n[links]\ntimeout = \"1s\"\nretries = 1\nretry_wait = \"100ms\"\n",
    );
    config.push_str(extra_config);
    std::fs::write(dir.path().join("vigie.toml"), config).unwrap();
    let mut page = String::from("---\ntitle: Liens\n---\n\n# Liens\n\n");
    for (i, l) in links.iter().enumerate() {
        page.push_str(&format!("- [lien {i}]({l})\n"));
    }
    page.push_str("- [astreinte](mailto:astreinte@example.org)\n");
    std::fs::write(dir.path().join("liens.md"), page).unwrap();
    dir
}

/// Runs `vigie check links ROOT ARGS… --format json`: exit code and report.
fn check(root: &Path, args: &[&str]) -> (i32, Value) {
    let mut all = check_args("links", root, args);
    all.extend(["--format", "json"]);
    let out = vigie(&all);
    let report: Value = serde_json::from_str(&stdout(&out))
        .unwrap_or_else(|e| panic!("not JSON ({e}):\n{}\nstderr:\n{}", stdout(&out), stderr(&out)));
    (out.status.code().unwrap_or(-1), report)
}

/// Findings by link target: (rule, severity, message, suggestion).
fn by_target(report: &Value) -> HashMap<String, (String, String, String, String)> {
    report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            let s = |k: &str| f[k].as_str().unwrap_or("").to_string();
            (
                s("target"),
                (s("rule"), s("severity"), s("message"), s("suggestion")),
            )
        })
        .collect()
}

#[test]
fn every_kind_of_answer_becomes_the_right_finding() {
    let site = Site::start();
    let paths = ["/ok", "/old", "/missing", "/error", "/busy", "/slow"];
    let kb = knowledge_base(&paths.map(|p| site.url(p)), "");
    let started = Instant::now();
    let (code, report) = check(kb.path(), &[]);
    let found = by_target(&report);

    assert_eq!(code, 1, "a broken external link fails the check: {report:#}");
    assert!(!found.contains_key(&site.url("/ok")), "{found:#?}");

    let (rule, severity, message, suggestion) = &found[&site.url("/old")];
    assert_eq!((rule.as_str(), severity.as_str()), ("redirect", "warning"));
    assert!(
        message.contains(&site.url("/ok")),
        "the final URL is named: {message}"
    );
    assert!(suggestion.contains(&site.url("/ok")), "{suggestion}");

    let (rule, severity, message, _) = &found[&site.url("/missing")];
    assert_eq!((rule.as_str(), severity.as_str()), ("broken-link", "error"));
    assert!(message.contains("404 Not Found"), "{message}");

    let (rule, _, message, _) = &found[&site.url("/error")];
    assert_eq!(rule, "broken-link");
    assert!(message.contains("500 Internal Server Error"), "{message}");
    assert_eq!(
        site.hits("/error").len(),
        2,
        "a 5xx is retried once (retries = 1)"
    );
    assert_eq!(site.hits("/missing").len(), 1, "a 404 is not retried");

    // 429 then 200: retried, and the link is fine.
    assert!(!found.contains_key(&site.url("/busy")), "{found:#?}");
    assert_eq!(site.hits("/busy").len(), 2);

    let (rule, severity, message, _) = &found[&site.url("/slow")];
    assert_eq!((rule.as_str(), severity.as_str()), ("link-timeout", "error"));
    assert!(message.contains("no answer within 1s"), "{message}");

    // Every finding names the line of its link (line 7 is the first link).
    for f in report["findings"].as_array().unwrap() {
        assert_eq!(f["page"], "liens.md");
        assert!(f["line"].as_u64().unwrap() >= 7, "{f}");
        assert_eq!(f["col"], 3, "{f}");
    }
    assert_eq!(report["summary"]["external_urls"], 6);
    assert!(
        started.elapsed() < Duration::from_secs(20),
        "took {:?}",
        started.elapsed()
    );
}

/// lychee waits out `Retry-After` per host: the retry of a `429` comes after
/// the delay the site asked for (while the host keeps rate-limiting; a success
/// from the same host in between ends the wait, as it ends the rate limit).
#[test]
fn retry_after_is_waited_out() {
    let site = Site::start();
    let kb = knowledge_base(&[site.url("/busy")], "");
    let (code, report) = check(kb.path(), &[]);
    assert_eq!(code, 0, "{report:#}");
    let busy = site.hits("/busy");
    assert_eq!(busy.len(), 2);
    let waited = busy[1] - busy[0];
    assert!(
        waited >= Duration::from_millis(950),
        "Retry-After honoured: waited {waited:?}"
    );
}

#[test]
fn a_site_that_keeps_rate_limiting_is_a_warning() {
    let site = Site::start();
    let kb = knowledge_base(&[site.url("/throttled")], "");
    let (code, report) = check(kb.path(), &[]);
    assert_eq!(code, 0, "not known to be broken: {report:#}");
    let (rule, severity, message, _) = &by_target(&report)[&site.url("/throttled")];
    assert_eq!((rule.as_str(), severity.as_str()), ("rate-limited", "warning"));
    assert!(message.contains("429"), "{message}");
    assert_eq!(site.hits("/throttled").len(), 2, "asked once, retried once");
}

#[test]
fn the_cache_spares_websites_on_the_next_run() {
    let site = Site::start();
    let kb = knowledge_base(&[site.url("/ok"), site.url("/old"), site.url("/missing")], "");

    let (first, _) = check(kb.path(), &[]);
    let (second, report) = check(kb.path(), &[]);

    assert_eq!((first, second), (1, 1));
    assert_eq!(
        site.hits("/ok").len(),
        2,
        "once for /ok, once after the redirect from /old"
    );
    assert_eq!(site.hits("/old").len(), 1, "a redirect is cached too");
    assert_eq!(
        site.hits("/missing").len(),
        2,
        "a broken link is asked again on every run"
    );
    assert_eq!(report["summary"]["from_cache"], 2);
    // The redirect warning survives the cache, with its final URL.
    let found = by_target(&report);
    assert!(found[&site.url("/old")].2.contains(&site.url("/ok")));

    let cache = std::fs::read_to_string(kb.path().join(".vigie/links-cache.json")).unwrap();
    let cache: Value = serde_json::from_str(&cache).unwrap();
    assert_eq!(cache["entries"][site.url("/ok")]["status"], 200);
    assert!(cache["entries"].get(site.url("/missing")).is_none());
}

#[test]
fn an_expired_cache_is_asked_again() {
    let site = Site::start();
    let kb = knowledge_base(&[site.url("/ok")], "cache_max_age = \"0\"\n");
    check(kb.path(), &[]);
    let (code, _) = check(kb.path(), &[]);
    assert_eq!(code, 0);
    assert_eq!(site.hits("/ok").len(), 2, "cache_max_age = 0 turns the cache off");
    assert!(!kb.path().join(".vigie/links-cache.json").exists());
}

#[test]
fn offline_checks_no_external_link() {
    let site = Site::start();
    let kb = knowledge_base(&[site.url("/missing")], "");
    let (code, report) = check(kb.path(), &["--offline"]);
    assert_eq!(code, 0, "{report:#}");
    assert!(site.hits("/missing").is_empty());
}

#[test]
fn exclusions_and_accepted_codes() {
    let site = Site::start();
    let kb = knowledge_base(
        &[
            site.url("/missing"),
            site.url("/error"),
            site.url("/slow"),
            site.url("/ok"),
        ],
        "exclude = [\"/error$\"]\naccept = [404]\n",
    );
    std::fs::write(kb.path().join(".lycheeignore"), "# slow mirror\n/slow$\n").unwrap();

    let (code, report) = check(kb.path(), &["--exclude", "/ok$"]);

    assert_eq!(code, 0, "404 is accepted, the rest excluded: {report:#}");
    assert_eq!(site.hits("/missing").len(), 1);
    assert!(site.hits("/error").is_empty(), "[links] exclude");
    assert!(site.hits("/slow").is_empty(), ".lycheeignore");
    assert!(site.hits("/ok").is_empty(), "--exclude");
}

#[test]
fn include_narrows_the_check() {
    let site = Site::start();
    let kb = knowledge_base(&[site.url("/missing"), site.url("/ok")], "");
    let (code, _) = check(kb.path(), &["--include", "/ok$"]);
    assert_eq!(code, 0);
    assert!(site.hits("/missing").is_empty());
    assert_eq!(site.hits("/ok").len(), 1);
}

#[test]
fn bad_links_settings_name_the_line() {
    let kb = knowledge_base(&[], "");
    std::fs::write(
        kb.path().join("vigie.toml"),
        "title = \"x\"\n\n[links]\nretries = 2\ntimeout = \"soon\"\n",
    )
    .unwrap();
    let out = common::check("links", kb.path(), &[]);
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(2), "{err}");
    assert!(err.contains("vigie.toml:5"), "{err}");
    assert!(err.contains("`soon` is not a duration"), "{err}");
}
