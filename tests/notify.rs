//! Owners told: `check freshness --format digest`, `--notify URL` against a
//! chat webhook on 127.0.0.1 (Slack-compatible and Matrix), its state file,
//! and the `api/pages.json` a build publishes.

mod common;

use std::path::Path;
use std::process::Output;

use common::{Webhook, check, stderr, stdout};
use serde_json::Value;

const TODAY: &str = "2026-11-26";

/// Two overdue pages of two owners, and a fresh one.
fn kb(toml: &str) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let write = |rel: &str, text: &str| {
        let p = dir.path().join(rel);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(p, text).unwrap();
    };
    write(
        "vigie.toml",
        &format!("title = \"KB\"\nlanguage = \"en\"\nbase_url = \"https://docs.example.org/\"\n\n{toml}"),
    );
    // runbooks: every 90 days. Reviewed in January: overdue past twice the interval (stale).
    write(
        "runbooks/dns.md",
        "---\ntitle: DNS *resolver* down\nowner: \"@team-a\"\nreviewed: 2026-01-10\n---\n\nText.\n",
    );
    // reviewed in August: due since November
    write(
        "runbooks/ceph.md",
        "---\ntitle: Ceph full\nowner: \"@team-b\"\nreviewed: 2026-08-01\n---\n\nText.\n",
    );
    write(
        "runbooks/fresh.md",
        "---\ntitle: Fresh\nowner: \"@team-a\"\nreviewed: 2026-11-20\n---\n\nText.\n",
    );
    dir
}

fn notify(root: &Path, url: &str, extra: &[&str]) -> Output {
    let mut args = vec!["--now", TODAY, "--notify", url];
    args.extend_from_slice(extra);
    check("freshness", root, &args)
}

/// The text of a Slack-style message.
fn text(r: &common::Received) -> &str {
    r.body["text"].as_str().unwrap_or_default()
}

#[test]
fn the_digest_has_one_section_per_owner_with_why_since_and_link() {
    let kb = kb("");
    let o = check("freshness", kb.path(), &["--now", TODAY, "--format", "digest"]);
    assert_eq!(
        o.status.code(),
        Some(1),
        "review overdue twice over: {}",
        stderr(&o)
    );
    let md = stdout(&o);
    assert!(md.starts_with("# Pages to review — 26 November 2026\n"), "{md}");
    let a = md.find("## @team-a — 1 page to review").expect(&md);
    let b = md.find("## @team-b — 1 page to review").expect(&md);
    assert!(a < b, "{md}");
    assert!(
        md.contains(
            "- [DNS \\*resolver\\* down](<https://docs.example.org/runbooks/dns.html>) — **stale** since 10 April 2026 (`runbooks/dns.md`)"
        ),
        "{md}"
    );
    assert!(
        md.contains("    - not reviewed since 10 January 2026, more than twice the review interval"),
        "{md}"
    );
    assert!(
        md.contains("[Ceph full](<https://docs.example.org/runbooks/ceph.html>) — **review due** since 30 October 2026"),
        "{md}"
    );
    assert!(!md.contains("Fresh"), "fresh pages are left out: {md}");
}

#[test]
fn two_overdue_pages_of_two_owners_send_two_messages_then_none() {
    let kb = kb("[notify.channels]\n\"@team-b\" = \"#team-b\"\n");
    let hook = Webhook::start();
    let o = notify(kb.path(), &hook.url, &[]);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    assert!(
        stdout(&o).contains("1 error(s), 1 warning(s)"),
        "the report as usual: {}",
        stdout(&o)
    );
    let got = hook.take();
    assert_eq!(got.len(), 2, "{got:?}");
    for r in &got {
        assert_eq!(
            (r.method.as_str(), r.path.as_str()),
            ("POST", "/services/T0/B0/secret-hook-path")
        );
    }
    let a = got
        .iter()
        .find(|r| text(r).contains("@team-a"))
        .expect("@team-a's message");
    let b = got
        .iter()
        .find(|r| text(r).contains("@team-b"))
        .expect("@team-b's message");
    assert!(
        text(a).contains("<https://docs.example.org/runbooks/dns.html|DNS *resolver* down>"),
        "{}",
        text(a)
    );
    assert!(
        !text(a).contains("ceph"),
        "each owner hears of their own pages: {}",
        text(a)
    );
    assert!(a.body.get("channel").is_none(), "no channel: the webhook's own");
    assert_eq!(b.body["channel"], "#team-b");
    assert!(
        stderr(&o).contains("notify: 2 of 2 message(s) sent to http://127.0.0.1:"),
        "{}",
        stderr(&o)
    );
    assert!(!stderr(&o).contains("secret-hook-path"), "{}", stderr(&o));
    let state = kb.path().join(".vigie/notify-state.json");
    let v: Value = serde_json::from_str(&common::read(&state)).unwrap();
    assert_eq!(v["findings"].as_object().unwrap().len(), 2, "{v}");

    // at once again: nothing new to say
    let o = notify(kb.path(), &hook.url, &[]);
    assert_eq!(o.status.code(), Some(1));
    assert!(hook.take().is_empty());
    assert!(
        stderr(&o).contains("notify: 0 of 0 message(s) sent"),
        "{}",
        stderr(&o)
    );

    // six days later, still nothing; seven days later, a reminder each
    let later = |day: &str| check("freshness", kb.path(), &["--now", day, "--notify", &hook.url]);
    later("2026-12-02");
    assert!(hook.take().is_empty());
    later("2026-12-03");
    assert_eq!(hook.take().len(), 2);

    // a new problem of @team-a: only @team-a hears, about that page only
    std::fs::write(
        kb.path().join("runbooks/fresh.md"),
        "---\ntitle: Fresh\nowner: \"@team-a\"\nreviewed: 2026-08-20\nreview_every: 30d\n---\n\nText.\n",
    )
    .unwrap();
    later("2026-12-03");
    let got = hook.take();
    assert_eq!(got.len(), 1, "{got:?}");
    assert!(text(&got[0]).contains("fresh.html"), "{}", text(&got[0]));
    assert!(!text(&got[0]).contains("dns.html"), "{}", text(&got[0]));
}

#[test]
fn a_failing_webhook_is_a_clear_error_and_nothing_else_is_lost() {
    let kb = kb("");
    let hook = Webhook::start();
    hook.refuse("@team-a");
    let o = notify(kb.path(), &hook.url, &["--format", "json"]);
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    let err = stderr(&o);
    assert!(
        err.contains("error: notify: message for @team-a to http://127.0.0.1:")
            && err.contains("the webhook answered 500 Internal Server Error: channel_is_archived"),
        "{err}"
    );
    assert!(
        !err.contains("secret-hook-path"),
        "the webhook's path is its secret: {err}"
    );
    assert!(err.contains("notify: 1 of 2 message(s) sent"), "{err}");
    // the report is whole, and @team-b was told
    let report: Value = serde_json::from_str(&stdout(&o)).unwrap();
    assert_eq!(report["findings"].as_array().unwrap().len(), 2);
    assert_eq!(hook.take().len(), 2, "both were tried");
    // next run: only the message that did not go through
    hook.accept_all();
    let o = notify(kb.path(), &hook.url, &[]);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    let got = hook.take();
    assert_eq!(got.len(), 1, "{got:?}");
    assert!(text(&got[0]).contains("@team-a"));

    // nothing listens: the same, for every owner
    let kb = self::kb("");
    let gone = {
        let w = Webhook::start();
        w.url.clone()
    };
    let o = notify(kb.path(), &gone, &[]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("cannot reach the webhook"), "{}", stderr(&o));
    assert!(
        stderr(&o).contains("notify: 0 of 2 message(s) sent"),
        "{}",
        stderr(&o)
    );
}

#[test]
fn a_dry_run_prints_what_would_be_sent_and_sends_nothing() {
    let kb = kb("");
    let hook = Webhook::start();
    let o = notify(kb.path(), &hook.url, &["--dry-run"]);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    let out = stdout(&o);
    assert!(
        out.contains("would send to @team-a (the webhook's own channel) at http://127.0.0.1:"),
        "{out}"
    );
    assert!(out.contains("\"text\": \"*@team-b* — 1 page to review"), "{out}");
    assert!(
        out.contains("2 message(s) would be sent; nothing sent, nothing remembered"),
        "{out}"
    );
    assert!(hook.take().is_empty());
    assert!(!kb.path().join(".vigie/notify-state.json").exists());
}

#[test]
fn matrix_rooms_get_html_messages_with_the_bot_token() {
    let kb = kb(
        "[notify]\nformat = \"matrix\"\ndefault_channel = \"!docs:example.org\"\n\n[notify.channels]\n\"@team-a\" = \"!room-a:example.org\"\n",
    );
    let hook = Webhook::start();
    let homeserver = hook.url.split("/services").next().unwrap().to_string();
    let run = |token: Option<&str>| {
        let mut cmd = common::command();
        cmd.env_remove("VIGIE_MATRIX_TOKEN");
        if let Some(t) = token {
            cmd.env("VIGIE_MATRIX_TOKEN", t);
        }
        cmd.args(common::check_args(
            "freshness",
            kb.path(),
            &["--now", TODAY, "--notify", &homeserver],
        ))
        .output()
        .unwrap()
    };
    let o = run(None);
    assert_eq!(o.status.code(), Some(2));
    assert!(
        stderr(&o).contains("VIGIE_MATRIX_TOKEN is not set"),
        "{}",
        stderr(&o)
    );
    assert!(hook.take().is_empty());

    let o = run(Some("syt_bot_token"));
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    let mut got = hook.take();
    got.sort_by(|a, b| a.path.cmp(&b.path));
    assert_eq!(got.len(), 2, "{got:?}");
    assert!(
        got[0]
            .path
            .starts_with("/_matrix/client/v3/rooms/!docs:example.org/send/m.room.message/vigie-2026-11-26-"),
        "{}",
        got[0].path
    );
    assert!(
        got[1]
            .path
            .starts_with("/_matrix/client/v3/rooms/!room-a:example.org/send/m.room.message/"),
        "{}",
        got[1].path
    );
    let a = &got[1];
    assert_eq!(a.method, "PUT");
    assert_eq!(a.authorization.as_deref(), Some("Bearer syt_bot_token"));
    assert_eq!(a.body["msgtype"], "m.notice");
    assert!(
        a.body["body"]
            .as_str()
            .unwrap()
            .starts_with("## @team-a — 1 page to review")
    );
    let html = a.body["formatted_body"].as_str().unwrap();
    assert!(
        html.contains("<a href=\"https://docs.example.org/runbooks/dns.html\">DNS *resolver* down</a>"),
        "{html}"
    );
    assert!(!stderr(&o).contains("syt_bot_token"));
}

#[test]
fn a_bad_notify_table_is_an_error_at_its_line() {
    let kb = kb("[notify]\nremind_after = \"weekly\"\n");
    let o = check("freshness", kb.path(), &["--now", TODAY, "--format", "digest"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("vigie.toml:6: "), "{}", stderr(&o));
    assert!(
        stderr(&o).contains("remind_after = \"weekly\" is not an interval"),
        "{}",
        stderr(&o)
    );
    let kb = self::kb("[notify]\nformat = \"irc\"\n");
    let o = check(
        "freshness",
        kb.path(),
        &["--now", TODAY, "--notify", "http://127.0.0.1:9/"],
    );
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("[notify]"), "{}", stderr(&o));
}

#[test]
fn the_site_publishes_every_page_in_api_pages_json() {
    let kb = kb("");
    let out = tempfile::tempdir().unwrap();
    let opts = vigie::build::BuildOptions {
        out: Some(out.path().to_path_buf()),
        today: Some(TODAY.parse().unwrap()),
        ..Default::default()
    };
    let built = vigie::build::build(vigie::Config::load(kb.path()).unwrap(), &opts).unwrap();
    assert!(!built.failed(), "{:?}", built.report.findings);
    let v: Value = serde_json::from_str(&common::read(out.path().join("api/pages.json"))).unwrap();
    assert_eq!(v["base_url"], "https://docs.example.org/");
    let pages = v["pages"].as_array().unwrap();
    let page = |url: &str| {
        pages
            .iter()
            .find(|p| p["url"] == url)
            .unwrap_or_else(|| panic!("{url}: {v}"))
    };
    let dns = page("runbooks/dns.html");
    assert_eq!(dns["title"], "DNS *resolver* down");
    assert_eq!(dns["kind"], "runbook");
    assert_eq!(dns["owner"], "@team-a");
    assert_eq!(dns["reviewed"], "2026-01-10");
    assert_eq!(dns["review_interval_days"], 90);
    assert_eq!(dns["status"], "stale");
    assert_eq!(dns["findings"][0]["rule"], "review-overdue");
    assert_eq!(dns["findings"][0]["line"], 4);
    assert_eq!(page("runbooks/ceph.html")["status"], "due");
    assert_eq!(page("runbooks/fresh.html")["status"], "fresh");
    assert_eq!(page("runbooks/fresh.html")["findings"], Value::Array(vec![]));
    assert!(pages.iter().any(|p| p["url"] == "index.html"), "every page: {v}");
}
