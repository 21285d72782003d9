//! What gets indexed: one document per section (the text under a heading) of
//! every page, so a result can open the page at the right `#anchor`. The same
//! records feed tantivy and the browser index.

use std::borrow::Cow;

use crate::content::{Page, PageId};
use crate::markdown::{Rendered, RenderedSite};

use super::analysis::Lang;

/// A page, as search sees it.
pub struct PageDoc<'a> {
    pub id: PageId,
    pub page: &'a Page,
    pub lang: Lang,
    pub kind: Option<&'static str>,
    /// Words that describe the page without being its text: tags, owner,
    /// kind (in both languages) and the words of its path.
    pub meta: String,
    pub sections: Vec<SectionDoc<'a>>,
    /// Alerts the page documents (lower-cased), each with the section that
    /// is its runbook: an exact alert name as the query finds it first.
    pub alerts: Vec<(String, usize)>,
}

/// The text under one heading of a page.
pub struct SectionDoc<'a> {
    /// `None` for the top of the page (the text before the first heading, or
    /// under the title heading): the result opens the page itself.
    pub anchor: Option<&'a str>,
    /// The heading; the page title for the top of the page.
    pub heading: &'a str,
    /// Whether this is the top of the page.
    pub top: bool,
    /// As rendered (white space not squeezed: see [`squeeze`]).
    pub text: Cow<'a, str>,
}

impl PageDoc<'_> {
    /// Where a result for `section` points, relative to the site root.
    pub fn url(&self, section: &SectionDoc<'_>) -> String {
        match section.anchor {
            Some(a) => format!("{}#{a}", self.page.url),
            None => self.page.url.clone(),
        }
    }
}

/// Every page of the site as search documents, in site order.
pub fn pages(rs: &RenderedSite) -> Vec<PageDoc<'_>> {
    rs.site
        .pages
        .iter()
        .filter(|p| !p.front_matter.draft)
        .map(|page| page_doc(page, &rs.rendered[page.id]))
        .collect()
}

/// Page `page`, rendered as `rendered`, as a search document (`None` for a draft).
pub fn page<'a>(page: &'a Page, rendered: &'a Rendered) -> Option<PageDoc<'a>> {
    (!page.front_matter.draft).then(|| page_doc(page, rendered))
}

fn page_doc<'a>(page: &'a Page, rendered: &'a Rendered) -> PageDoc<'a> {
    let mut sections: Vec<SectionDoc<'a>> = Vec::with_capacity(rendered.sections.len());
    for s in &rendered.sections {
        let is_title = s.anchor.is_none() || s.anchor == rendered.title_id;
        // The title heading and the text before it are both the top of the page.
        if is_title && let Some(top) = sections.iter_mut().find(|x| x.top) {
            let text = top.text.to_mut();
            text.push(' ');
            text.push_str(&s.text);
            continue;
        }
        sections.push(SectionDoc {
            anchor: if is_title { None } else { s.anchor.as_deref() },
            heading: if is_title { &page.title } else { &s.heading },
            top: is_title,
            text: Cow::Borrowed(&s.text),
        });
    }
    if !sections.iter().any(|s| s.top) {
        sections.insert(
            0,
            SectionDoc {
                anchor: None,
                heading: &page.title,
                top: true,
                text: Cow::Borrowed(""),
            },
        );
    }
    if let Some(d) = &page.front_matter.description
        && let Some(top) = sections.iter_mut().find(|x| x.top)
    {
        top.text = Cow::Owned(format!("{d} {}", top.text));
    }
    let fm = &page.front_matter;
    let mut meta: Vec<String> = fm.tags.clone();
    meta.extend(fm.owner.clone());
    if let Some(k) = page.kind {
        for lang in ["fr", "en"] {
            meta.extend(crate::theme::context::kind_label(lang, Some(k)).map(str::to_string));
        }
        meta.push(k.as_str().to_string());
    }
    meta.push(page.url.trim_end_matches(".html").replace(['/', '-', '_'], " "));
    let alerts = alert_sections(page, &sections);
    PageDoc {
        id: page.id,
        page,
        lang: Lang::of(&page.lang),
        kind: page.kind.map(|k| k.as_str()),
        meta: meta.join(" "),
        sections,
        alerts,
    }
}

/// The alerts a page says it documents (front matter `alerts:`, or a file
/// named like an alert), each with its section: the one under the heading
/// whose text or anchor is the alert's name, else the top of the page.
fn alert_sections(page: &Page, sections: &[SectionDoc<'_>]) -> Vec<(String, usize)> {
    let names = page.alert_names().names;
    if names.is_empty() {
        return Vec::new();
    }
    let top = sections.iter().position(|s| s.top).unwrap_or(0);
    names
        .into_iter()
        .map(|name| {
            let at = sections
                .iter()
                .position(|s| {
                    !s.top
                        && (s.heading.trim().eq_ignore_ascii_case(&name)
                            || s.anchor.is_some_and(|a| a.eq_ignore_ascii_case(&name)))
                })
                .unwrap_or(top);
            (name.to_lowercase(), at)
        })
        .collect()
}

/// The alert name a query is, when it is one word written like an alert
/// name (`KubePodCrashLooping`, `etcd_no_leader`), lower-cased; filters
/// (`kind:`, `tag:`) aside.
pub fn alert_query(text: &str) -> Option<String> {
    let mut words = text
        .split_whitespace()
        .filter(|w| !w.starts_with("kind:") && !w.starts_with("tag:"));
    let word = words.next()?;
    if words.next().is_some() {
        return None;
    }
    let mut chars = word.chars();
    let first = chars.next()?;
    ((first.is_ascii_alphabetic() || first == '_')
        && chars.all(|c| c.is_ascii_alphanumeric() || c == '_' || c == ':'))
    .then(|| word.to_ascii_lowercase())
}

/// `text` with every run of white space (new lines of code blocks and
/// tables included) made one space.
pub fn squeeze(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for word in text.split_whitespace() {
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(word);
    }
    out
}
