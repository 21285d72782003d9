//! Owners told: the pages that need attention (review overdue, stale,
//! contradicted by the platform), one section per owner — from `owner:`,
//! `OWNERS` or `CODEOWNERS`, as the rules found it — each page with why,
//! since when, and its link in the published site. Written as Markdown
//! (`vigie check freshness --format digest`, a chat message, an e-mail) or
//! as Slack `mrkdwn`; [`super::notify`] posts it.

use std::collections::BTreeMap;
use std::fmt::Write as _;

use chrono::NaiveDate;

use super::assess::Assessment;
use super::status::{Reason, Status};
use crate::content::{PageId, Site};
use crate::i18n;

/// Every owner's pages that need attention, on one day.
#[derive(Debug, Clone)]
pub struct Digest {
    pub lang: String,
    pub today: NaiveDate,
    /// Owners by name, pages without an owner last.
    pub owners: Vec<OwnerDigest>,
}

/// One owner's pages, worst first, then longest open.
#[derive(Debug, Clone)]
pub struct OwnerDigest {
    /// `None`: pages nobody owns.
    pub owner: Option<String>,
    pub pages: Vec<DigestPage>,
}

/// A page that needs its owner's attention.
#[derive(Debug, Clone)]
pub struct DigestPage {
    pub id: PageId,
    /// Source file relative to the knowledge-base root.
    pub path: String,
    pub title: String,
    /// In the published site: absolute when `base_url` is set, else relative to the site's root.
    pub link: String,
    pub status: Status,
    /// When the oldest of its reasons began: the review's due date, the day the
    /// platform changed, else the day vigie first saw it.
    pub since: NaiveDate,
    pub reasons: Vec<Reason>,
}

impl DigestPage {
    /// What identifies each of its open reasons from one run to the next.
    pub fn keys(&self, owner: Option<&str>) -> Vec<String> {
        self.reasons
            .iter()
            .map(|r| finding_key(owner, &self.path, r))
            .collect()
    }
}

/// The identity of one reason a page of `owner` needs attention: the same
/// problem on the same page for the same owner, night after night.
pub fn finding_key(owner: Option<&str>, page: &str, reason: &Reason) -> String {
    let reason = serde_json::to_string(reason).unwrap_or_default();
    format!("{}\t{page}\t{reason}", owner.unwrap_or(""))
}

/// The digest of `a` on `today`. `first_seen(key)` is the day a reason was
/// first seen (the notification state), for reasons that carry no date.
pub fn digest(
    site: &Site,
    a: &Assessment,
    today: NaiveDate,
    first_seen: &dyn Fn(&str) -> Option<NaiveDate>,
) -> Digest {
    let base = site
        .config
        .base_url
        .as_deref()
        .map(|b| b.trim_end_matches('/').to_string());
    let mut by_owner: BTreeMap<Option<String>, Vec<DigestPage>> = BTreeMap::new();
    for id in a.attention() {
        let Some(p) = a.page(id) else { continue };
        let page = site.page(id);
        let path = page.display().to_string();
        let since = p
            .reasons
            .iter()
            .map(|r| {
                let dated = match r {
                    Reason::ReviewDue { due } => Some(*due),
                    Reason::ReviewStale { .. } => p.due,
                    Reason::Changed { on, .. } => *on,
                    _ => None,
                };
                dated
                    .or_else(|| first_seen(&finding_key(p.owner.as_deref(), &path, r)))
                    .unwrap_or(today)
            })
            .min()
            .unwrap_or(today);
        let link = match &base {
            Some(b) => format!("{b}/{}", page.url),
            None => page.url.clone(),
        };
        by_owner.entry(p.owner.clone()).or_default().push(DigestPage {
            id,
            path,
            title: page.title.clone(),
            link,
            status: p.status,
            since,
            reasons: p.reasons.clone(),
        });
    }
    let mut owners: Vec<OwnerDigest> = by_owner
        .into_iter()
        .map(|(owner, mut pages)| {
            pages.sort_by_key(|p| (std::cmp::Reverse(p.status), p.since, p.id));
            OwnerDigest { owner, pages }
        })
        .collect();
    // pages nobody owns come last: someone has to adopt them
    owners.sort_by_key(|o| o.owner.is_none());
    Digest {
        lang: site.config.language.clone(),
        today,
        owners,
    }
}

/// The flavour of Markdown a digest is written in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Markup {
    /// CommonMark: the terminal, e-mail, Matrix, Mattermost.
    Markdown,
    /// Slack's `mrkdwn`: `<url|text>` links, `*bold*`.
    Slack,
}

impl Digest {
    /// The whole digest: a title, then one section per owner.
    pub fn markdown(&self) -> String {
        let lang = &self.lang;
        let mut out = format!(
            "# {} — {}\n\n",
            i18n::t(lang, "digest_title"),
            i18n::long_date(lang, self.today)
        );
        if self.owners.is_empty() {
            out.push_str(i18n::t(lang, "digest_nothing"));
            out.push('\n');
        }
        for (i, o) in self.owners.iter().enumerate() {
            if i > 0 {
                out.push('\n');
            }
            out.push_str(&o.render(lang, Markup::Markdown, None));
        }
        out
    }
}

impl OwnerDigest {
    /// The owner's section: a heading, then each page (`only`: just these pages).
    pub fn render(&self, lang: &str, markup: Markup, only: Option<&[PageId]>) -> String {
        let pages: Vec<&DigestPage> = self
            .pages
            .iter()
            .filter(|p| only.is_none_or(|ids| ids.contains(&p.id)))
            .collect();
        let who = match &self.owner {
            Some(o) => escape(o, markup),
            None => i18n::t(lang, "digest_no_owner").to_string(),
        };
        let count = if pages.len() == 1 {
            i18n::t(lang, "digest_one").to_string()
        } else {
            i18n::t(lang, "digest_many").replace("{n}", &pages.len().to_string())
        };
        let mut out = match markup {
            Markup::Markdown => format!("## {who} — {count}\n\n"),
            Markup::Slack => format!("*{who}* — {count}\n"),
        };
        for p in pages {
            let title = escape(&p.title, markup);
            let link = match markup {
                Markup::Markdown => format!("[{title}](<{}>)", p.link),
                Markup::Slack => format!("<{}|{title}>", p.link),
            };
            let status = p.status.label(lang).to_lowercase();
            let since = format!(
                "{} {}",
                i18n::t(lang, "digest_since"),
                i18n::long_date(lang, p.since)
            );
            let _ = match markup {
                Markup::Markdown => writeln!(out, "- {link} — **{status}** {since} (`{}`)", p.path),
                Markup::Slack => writeln!(out, "• {link} — *{status}* {since} (`{}`)", p.path),
            };
            for r in &p.reasons {
                let _ = writeln!(out, "    - {}", escape(&r.text(lang), markup));
            }
        }
        out
    }
}

/// Text made safe to place in Markdown or `mrkdwn` (titles and owners are the
/// writers' words: a `*` or `<` in them must not change the message).
fn escape(text: &str, markup: Markup) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match (markup, c) {
            (Markup::Slack, '&') => out.push_str("&amp;"),
            (Markup::Slack, '<') => out.push_str("&lt;"),
            (Markup::Slack, '>') => out.push_str("&gt;"),
            (Markup::Markdown, '\\' | '`' | '*' | '_' | '[' | ']' | '<' | '>' | '#' | '|') => {
                out.push('\\');
                out.push(c);
            }
            _ => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn page(id: PageId, status: Status, since: &str) -> DigestPage {
        DigestPage {
            id,
            path: format!("runbooks/p{id}.md"),
            title: format!("Page *{id}*"),
            link: format!("https://docs.example.org/runbooks/p{id}.html"),
            status,
            since: since.parse().unwrap(),
            reasons: vec![Reason::Missing {
                target: "deployment/api -n prod".into(),
                scope: "cluster prod".into(),
            }],
        }
    }

    #[test]
    fn one_section_per_owner_with_why_since_and_link() {
        let d = Digest {
            lang: "en".into(),
            today: "2026-11-26".parse().unwrap(),
            owners: vec![OwnerDigest {
                owner: Some("@team-a".into()),
                pages: vec![page(1, Status::Contradicted, "2026-11-20")],
            }],
        };
        let md = d.markdown();
        assert!(md.starts_with("# Pages to review — 26 November 2026\n"), "{md}");
        assert!(md.contains("## @team-a — 1 page to review"), "{md}");
        assert!(
            md.contains(
                "- [Page \\*1\\*](<https://docs.example.org/runbooks/p1.html>) — **contradicted by the platform** since 20 November 2026 (`runbooks/p1.md`)"
            ),
            "{md}"
        );
        assert!(
            md.contains("    - deployment/api -n prod does not exist on cluster prod"),
            "{md}"
        );
        let slack = d.owners[0].render("fr", Markup::Slack, None);
        assert!(
            slack.contains("• <https://docs.example.org/runbooks/p1.html|Page *1*> — *contredit par la plateforme* depuis le 20 novembre 2026"),
            "{slack}"
        );
    }

    #[test]
    fn nothing_to_review_says_so() {
        let d = Digest {
            lang: "fr".into(),
            today: "2026-11-26".parse().unwrap(),
            owners: vec![],
        };
        assert!(d.markdown().contains("Rien à revoir"));
    }
}
