//! Owners told, in their chat: each owner's [digest](super::digest) posted to
//! a webhook — Slack-compatible (Slack, Mattermost, Rocket.Chat) or a Matrix
//! room — only for what is new or still open after `remind_after` days. A
//! small state file remembers what was sent when.
//!
//! ```toml
//! [notify]
//! format = "slack"               # slack | matrix
//! remind_after = "7d"            # an open problem is told again after this long
//! state = ".vigie/notify-state.json"   # relative to the knowledge base (or --notify-state)
//! default_channel = "#docs"      # owners without a channel below (Matrix: a room id)
//! [notify.channels]
//! "@team-storage" = "#storage"   # Matrix: "!roomid:example.org"
//! ```
//!
//! A message that fails does not stop the others: each owner's is sent on its
//! own, and only what was sent is remembered as sent.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::time::Duration;

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use serde_json::{Value, json};

use super::digest::{Digest, Markup};
use super::review::parse_interval;
use crate::config::Config;
use crate::content::PageId;
use crate::error::{Error, Result};

/// `[notify]` of `vigie.toml`.
#[derive(Debug, Clone, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct NotifyConfig {
    pub format: ChatFormat,
    pub remind_after: String,
    pub state: String,
    pub default_channel: Option<String>,
    /// Owner (as pages name it) → channel (Slack) or room id (Matrix).
    pub channels: BTreeMap<String, String>,
}

impl Default for NotifyConfig {
    fn default() -> Self {
        NotifyConfig {
            format: ChatFormat::Slack,
            remind_after: "7d".into(),
            state: ".vigie/notify-state.json".into(),
            default_channel: None,
            channels: BTreeMap::new(),
        }
    }
}

/// The message format of the webhook.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum ChatFormat {
    /// `POST URL {"text": …}`: Slack incoming webhooks and the chats that copy them.
    Slack,
    /// `PUT URL/_matrix/client/v3/rooms/ROOM/send/m.room.message/TXN`, token in `VIGIE_MATRIX_TOKEN`.
    Matrix,
}

/// The environment variable holding the Matrix access token.
pub const MATRIX_TOKEN: &str = "VIGIE_MATRIX_TOKEN";

impl NotifyConfig {
    /// Reads `[notify]`; a bad `remind_after` is an error naming its line.
    pub fn load(config: &Config) -> Result<NotifyConfig> {
        let nc: NotifyConfig = config.section("notify")?;
        if parse_interval(&nc.remind_after).is_none() {
            return Err(config.error_at(
                &["notify", "remind_after"],
                format!(
                    "[notify] remind_after = {:?} is not an interval: write it as 7d, 2w or 1m",
                    nc.remind_after
                ),
            ));
        }
        Ok(nc)
    }

    /// Days before an open problem is told again.
    pub fn remind_after(&self) -> chrono::Duration {
        parse_interval(&self.remind_after).unwrap_or(chrono::Duration::days(7))
    }

    /// Where the state file is: `--notify-state`, else `state` under the knowledge base.
    pub fn state_path(&self, config: &Config, flag: Option<&Path>) -> PathBuf {
        match flag {
            Some(p) => p.to_path_buf(),
            None => config.root.join(&self.state),
        }
    }

    fn channel(&self, owner: Option<&str>) -> Option<&str> {
        owner
            .and_then(|o| self.channels.get(o))
            .or(self.default_channel.as_ref())
            .map(String::as_str)
    }
}

/// What was told to whom, and when.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct NotifyState {
    pub vigie_notify: u32,
    /// By [`super::digest::finding_key`].
    pub findings: BTreeMap<String, Told>,
}

/// One open problem of one page for one owner.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Told {
    pub first_seen: NaiveDate,
    /// `None`: never sent yet (or its message failed).
    pub last_sent: Option<NaiveDate>,
}

impl NotifyState {
    /// The state in `path`; none yet is an empty state, a file that is not one is an error.
    pub fn load(path: &Path) -> Result<NotifyState> {
        let text = match std::fs::read_to_string(path) {
            Ok(t) => t,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(NotifyState::default()),
            Err(e) => return Err(Error::read(path, e)),
        };
        serde_json::from_str(&text).map_err(|e| {
            Error::input(
                path,
                e.line(),
                format!("not a vigie notification state ({e}); delete it to start afresh"),
            )
        })
    }

    /// Writes the state whole or not at all.
    pub fn save(&self, path: &Path) -> Result<()> {
        use std::io::Write as _;
        let dir = path
            .parent()
            .filter(|p| !p.as_os_str().is_empty())
            .unwrap_or(Path::new("."));
        std::fs::create_dir_all(dir).map_err(|e| Error::write(dir, e))?;
        let json = serde_json::to_string_pretty(&NotifyState {
            vigie_notify: 1,
            findings: self.findings.clone(),
        })
        .map_err(|e| Error::write(path, e.into()))?;
        let mut tmp = tempfile::NamedTempFile::new_in(dir).map_err(|e| Error::write(path, e))?;
        tmp.write_all(json.as_bytes())
            .and_then(|()| tmp.write_all(b"\n"))
            .map_err(|e| Error::write(path, e))?;
        tmp.persist(path).map_err(|e| Error::write(path, e.error))?;
        Ok(())
    }

    pub fn first_seen(&self, key: &str) -> Option<NaiveDate> {
        self.findings.get(key).map(|t| t.first_seen)
    }
}

/// One owner's message, ready to send.
#[derive(Debug, Clone)]
pub struct Message {
    pub owner: Option<String>,
    pub channel: Option<String>,
    /// The pages it tells about.
    pub pages: Vec<PageId>,
    /// The problems it tells about (they count as told once it is sent).
    pub keys: Vec<String>,
    /// The request body.
    pub payload: Value,
}

/// The messages a run sends: for each owner, the pages with a problem that is
/// new or was last told `remind_after` ago or more; none for an owner with
/// nothing new to say.
pub fn plan(digest: &Digest, state: &NotifyState, nc: &NotifyConfig) -> Vec<Message> {
    let remind = nc.remind_after();
    let due = |key: &String| match state.findings.get(key).and_then(|t| t.last_sent) {
        None => true,
        Some(sent) => digest.today >= sent + remind,
    };
    let mut out = Vec::new();
    for o in &digest.owners {
        let owner = o.owner.as_deref();
        let mut pages = Vec::new();
        let mut keys = Vec::new();
        for p in &o.pages {
            let k = p.keys(owner);
            if k.iter().any(due) {
                pages.push(p.id);
                keys.extend(k);
            }
        }
        if pages.is_empty() {
            continue;
        }
        let channel = nc.channel(owner).map(String::from);
        let payload = match nc.format {
            ChatFormat::Slack => {
                let mut body =
                    json!({"text": o.render(&digest.lang, Markup::Slack, Some(&pages)), "mrkdwn": true});
                if let Some(c) = &channel {
                    body["channel"] = json!(c);
                }
                body
            }
            ChatFormat::Matrix => {
                let md = o.render(&digest.lang, Markup::Markdown, Some(&pages));
                json!({
                    "msgtype": "m.notice",
                    "body": md,
                    "format": "org.matrix.custom.html",
                    "formatted_body": to_html(&md),
                })
            }
        };
        out.push(Message {
            owner: o.owner.clone(),
            channel,
            pages,
            keys,
            payload,
        });
    }
    out
}

/// The new state after a run: every open problem kept (first seen today when
/// new), `last_sent` set to today for those of the messages sent, problems no
/// longer open forgotten (if one comes back, it is new again).
pub fn next_state(digest: &Digest, state: &NotifyState, sent: &[&Message]) -> NotifyState {
    let mut next = NotifyState::default();
    for o in &digest.owners {
        for p in &o.pages {
            for key in p.keys(o.owner.as_deref()) {
                let told = state.findings.get(&key).cloned().unwrap_or(Told {
                    first_seen: digest.today,
                    last_sent: None,
                });
                next.findings.insert(key, told);
            }
        }
    }
    for m in sent {
        for key in &m.keys {
            if let Some(t) = next.findings.get_mut(key) {
                t.last_sent = Some(digest.today);
            }
        }
    }
    next
}

/// Sends each message on its own; one result per message, in order. Errors
/// name the owner and the webhook's host, never its full address (a Slack
/// webhook's path is its secret).
pub fn send(url: &str, nc: &NotifyConfig, messages: &[Message], today: NaiveDate) -> Vec<Result<()>> {
    // A failure before any message is sent is every message's.
    let all_fail = |message: String| -> Vec<Result<()>> {
        messages
            .iter()
            .map(|_| Err(Error::Notify(message.clone())))
            .collect()
    };
    let base = match reqwest::Url::parse(url) {
        Ok(u) if matches!(u.scheme(), "http" | "https") => u,
        _ => return all_fail(format!("--notify {}: not an http(s) URL", shown(url))),
    };
    let token = std::env::var(MATRIX_TOKEN).ok().filter(|t| !t.is_empty());
    let client = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(|e| e.to_string())
        .and_then(|rt| {
            reqwest::Client::builder()
                .connect_timeout(Duration::from_secs(10))
                .timeout(Duration::from_secs(30))
                .user_agent(concat!("vigie/", env!("CARGO_PKG_VERSION")))
                .build()
                .map(|c| (rt, c))
                .map_err(|e| e.to_string())
        });
    let (rt, client) = match client {
        Ok(both) => both,
        Err(e) => return all_fail(format!("cannot start the HTTP client: {e}")),
    };
    messages
        .iter()
        .map(|m| {
            let who = m.owner.as_deref().unwrap_or("pages without an owner");
            let fail = |what: String| Error::Notify(format!("message for {who} to {}: {what}", shown(url)));
            let request = match nc.format {
                ChatFormat::Slack => client.post(base.clone()),
                ChatFormat::Matrix => {
                    let Some(room) = &m.channel else {
                        return Err(fail(
                            "no Matrix room for this owner: add it to [notify.channels] or set [notify] default_channel".into(),
                        ));
                    };
                    let Some(token) = &token else {
                        return Err(fail(format!("{MATRIX_TOKEN} is not set (the Matrix access token)")));
                    };
                    let mut u = base.clone();
                    let txn = format!("vigie-{today}-{:016x}", fnv(&m.keys.join("\n")));
                    match u.path_segments_mut() {
                        Ok(mut s) => {
                            s.pop_if_empty().extend([
                                "_matrix",
                                "client",
                                "v3",
                                "rooms",
                                room,
                                "send",
                                "m.room.message",
                                &txn,
                            ]);
                        }
                        Err(()) => return Err(fail("not a homeserver URL".into())),
                    }
                    client.put(u).bearer_auth(token)
                }
            };
            let result = rt.block_on(async {
                let resp = request.json(&m.payload).send().await?;
                let status = resp.status();
                let body = resp.text().await.unwrap_or_default();
                Ok::<_, reqwest::Error>((status, body))
            });
            match result {
                Ok((status, _)) if status.is_success() => Ok(()),
                Ok((status, body)) => {
                    let body: String = body.trim().chars().take(200).collect();
                    Err(fail(format!("the webhook answered {status}: {body}")))
                }
                Err(e) => Err(fail(format!(
                    "cannot reach the webhook ({})",
                    if e.is_timeout() {
                        "no answer within 30 s".to_string()
                    } else if e.is_connect() {
                        "connection refused or unreachable".to_string()
                    } else {
                        "request failed".to_string()
                    }
                ))),
            }
        })
        .collect()
}

/// A webhook address as messages show it: scheme and host only.
pub fn shown(url: &str) -> String {
    match reqwest::Url::parse(url) {
        Ok(u) => match (u.host_str(), u.port()) {
            (Some(h), Some(p)) => format!("{}://{h}:{p}/…", u.scheme()),
            (Some(h), None) => format!("{}://{h}/…", u.scheme()),
            _ => "the webhook".into(),
        },
        Err(_) => "the webhook".into(),
    }
}

/// Markdown → HTML for Matrix's `formatted_body` (the digest's own text: raw
/// HTML in it is shown as text).
fn to_html(md: &str) -> String {
    use pulldown_cmark::{Event, Parser, html};
    let events = Parser::new(md).map(|e| match e {
        Event::Html(h) | Event::InlineHtml(h) => Event::Text(h),
        other => other,
    });
    let mut out = String::new();
    html::push_html(&mut out, events);
    out
}

/// FNV-1a: a transaction id that is the same when a run is retried the same
/// day (Matrix then keeps one message).
fn fnv(text: &str) -> u64 {
    let mut h: u64 = 0xcbf29ce484222325;
    for b in text.bytes() {
        h ^= u64::from(b);
        h = h.wrapping_mul(0x100000001b3);
    }
    h
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::freshness::digest::{DigestPage, OwnerDigest};
    use crate::freshness::status::{Reason, Status};

    fn digest(today: &str) -> Digest {
        let page = |id: PageId, due: &str| DigestPage {
            id,
            path: format!("p{id}.md"),
            title: format!("P{id}"),
            link: format!("p{id}.html"),
            status: Status::Due,
            since: due.parse().unwrap(),
            reasons: vec![Reason::ReviewDue {
                due: due.parse().unwrap(),
            }],
        };
        Digest {
            lang: "en".into(),
            today: today.parse().unwrap(),
            owners: vec![
                OwnerDigest {
                    owner: Some("@a".into()),
                    pages: vec![page(0, "2026-10-01")],
                },
                OwnerDigest {
                    owner: Some("@b".into()),
                    pages: vec![page(1, "2026-10-02")],
                },
            ],
        }
    }

    #[test]
    fn new_problems_are_told_once_then_again_after_remind_after() {
        let nc = NotifyConfig {
            channels: [("@b".to_string(), "#team-b".to_string())].into(),
            ..NotifyConfig::default()
        };
        let d = digest("2026-11-26");
        let first = plan(&d, &NotifyState::default(), &nc);
        assert_eq!(first.len(), 2);
        assert_eq!(first[1].channel.as_deref(), Some("#team-b"));
        assert_eq!(first[1].payload["channel"], "#team-b");
        assert!(first[0].payload.get("channel").is_none());
        let sent: Vec<&Message> = first.iter().collect();
        let state = next_state(&d, &NotifyState::default(), &sent);
        assert!(plan(&d, &state, &nc).is_empty(), "told today");
        assert!(
            plan(&digest("2026-12-02"), &state, &nc).is_empty(),
            "6 days later"
        );
        assert_eq!(plan(&digest("2026-12-03"), &state, &nc).len(), 2, "7 days later");
        // only @a's went through: @b's is new again next time
        let state = next_state(&d, &NotifyState::default(), &sent[..1]);
        let again = plan(&d, &state, &nc);
        assert_eq!(again.len(), 1);
        assert_eq!(again[0].owner.as_deref(), Some("@b"));
    }

    #[test]
    fn matrix_messages_carry_html_and_webhook_addresses_are_shown_without_their_path() {
        let nc = NotifyConfig {
            format: ChatFormat::Matrix,
            ..NotifyConfig::default()
        };
        let m = &plan(&digest("2026-11-26"), &NotifyState::default(), &nc)[0];
        assert_eq!(m.payload["msgtype"], "m.notice");
        assert!(
            m.payload["formatted_body"]
                .as_str()
                .unwrap()
                .contains("<h2>@a — 1 page to review</h2>")
        );
        assert_eq!(
            shown("https://hooks.slack.com/services/T000/B000/SECRET"),
            "https://hooks.slack.com/…"
        );
    }
}
