//! The site's freshness dashboard (`freshness.html`): counts per status, a
//! table by kind, and every owner's pages, worst first — so each team sees
//! what it has to review, and the worst pages come first.

use std::collections::BTreeMap;

use serde::Serialize;

use super::assess::Assessment;
use super::status::Status;
use crate::content::Site;
use crate::content::resolve::relative_url;

/// Where the dashboard is written in the site.
pub const URL: &str = "freshness.html";

/// Template context of `freshness.html`.
#[derive(Serialize)]
pub struct DashboardCtx {
    pub summary: Vec<Count>,
    pub by_kind: Vec<Group>,
    pub by_owner: Vec<Group>,
    /// The sources the state came from (empty: review ages only).
    pub sources: Vec<String>,
    pub judged: usize,
}

#[derive(Serialize)]
pub struct Count {
    pub status: &'static str,
    pub label: &'static str,
    pub count: usize,
}

/// Pages of one owner or kind.
#[derive(Serialize)]
pub struct Group {
    pub name: String,
    pub label: String,
    pub total: usize,
    pub contradicted: usize,
    pub stale: usize,
    pub due: usize,
    pub fresh: usize,
    /// Pages needing attention, worst first (at most [`MAX_ROWS`]).
    pub pages: Vec<Entry>,
    /// Pages needing attention left out of `pages`.
    pub more: usize,
}

/// Rows per owner: a 10,000-page site keeps a dashboard one can open on a phone.
pub const MAX_ROWS: usize = 200;

#[derive(Serialize)]
pub struct Entry {
    pub title: String,
    pub url: String,
    pub status: &'static str,
    pub label: &'static str,
    pub kind: Option<&'static str>,
    pub reviewed: Option<String>,
    pub reasons: Vec<String>,
}

const ORDER: [Status; 5] = [
    Status::Contradicted,
    Status::Stale,
    Status::Due,
    Status::Fresh,
    Status::Unknown,
];

/// Builds the dashboard of `site` from `a`, in `lang`.
pub fn context(site: &Site, a: &Assessment, lang: &str) -> DashboardCtx {
    let mut by_owner: BTreeMap<String, Vec<usize>> = BTreeMap::new();
    let mut by_kind: BTreeMap<String, Vec<usize>> = BTreeMap::new();
    let mut counts: BTreeMap<Status, usize> = BTreeMap::new();
    for (id, p) in a.pages.iter().enumerate() {
        let Some(p) = p else { continue };
        *counts.entry(p.status).or_default() += 1;
        by_owner
            .entry(p.owner.clone().unwrap_or_default())
            .or_default()
            .push(id);
        let kind = site.page(id).kind.map(|k| k.as_str()).unwrap_or("").to_string();
        by_kind.entry(kind).or_default().push(id);
    }
    let attention = |ids: &[usize]| {
        ids.iter()
            .filter(|&&id| a.status(id).is_some_and(Status::needs_attention))
            .count()
    };
    let entry = |id: usize| {
        let p = a.page(id).expect("judged page");
        let page = site.page(id);
        Entry {
            title: page.title.clone(),
            url: relative_url(URL, &page.url),
            status: p.status.as_str(),
            label: p.status.label(lang),
            kind: page.kind.map(|k| k.as_str()),
            reviewed: p.reviewed.map(|d| d.to_string()),
            reasons: p.reasons.iter().map(|r| r.text(lang)).collect(),
        }
    };
    let group = |name: String, label: String, ids: &[usize], with_pages: bool| {
        let n = |s: Status| ids.iter().filter(|&&id| a.status(id) == Some(s)).count();
        let mut sorted = ids.to_vec();
        sorted.sort_by_key(|&id| {
            let p = a.page(id).expect("judged page");
            (std::cmp::Reverse(p.status), p.due, site.page(id).title.clone())
        });
        Group {
            total: ids.len(),
            contradicted: n(Status::Contradicted),
            stale: n(Status::Stale),
            due: n(Status::Due),
            fresh: n(Status::Fresh),
            more: if with_pages {
                attention(&sorted).saturating_sub(MAX_ROWS)
            } else {
                0
            },
            pages: if with_pages {
                sorted
                    .into_iter()
                    .take(attention(ids).min(MAX_ROWS))
                    .map(entry)
                    .collect()
            } else {
                Vec::new()
            },
            name,
            label,
        }
    };
    let worst_first = |groups: &mut Vec<Group>| {
        groups.sort_by(|x, y| {
            (y.contradicted, y.stale, y.due)
                .cmp(&(x.contradicted, x.stale, x.due))
                .then_with(|| x.label.cmp(&y.label))
        })
    };
    let none = crate::i18n::t(lang, "no_owner").to_string();
    let mut owners: Vec<Group> = by_owner
        .iter()
        .map(|(o, ids)| {
            group(
                o.clone(),
                if o.is_empty() { none.clone() } else { o.clone() },
                ids,
                true,
            )
        })
        .collect();
    worst_first(&mut owners);
    let mut kinds: Vec<Group> = by_kind
        .iter()
        .map(|(k, ids)| {
            let label = if k.is_empty() {
                crate::i18n::t(lang, "kind_none").to_string()
            } else {
                crate::i18n::t(lang, &format!("kind_{k}")).to_string()
            };
            group(k.clone(), label, ids, false)
        })
        .collect();
    worst_first(&mut kinds);
    DashboardCtx {
        summary: ORDER
            .iter()
            .map(|&s| Count {
                status: s.as_str(),
                label: s.label(lang),
                count: counts.get(&s).copied().unwrap_or(0),
            })
            .collect(),
        by_kind: kinds,
        by_owner: owners,
        sources: a.sources.clone(),
        judged: a.pages.iter().flatten().count(),
    }
}
