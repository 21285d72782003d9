//! Which page documents which alert: the names a page's front matter lists
//! (`alerts: [NovaComputeDown, …]`), else its file name when an alert has that
//! name (case-insensitively, as in the Prometheus Operator runbooks) or when it
//! reads like one. On a page documenting several alerts under headings, the
//! heading whose text or id is the alert's name is its anchor.

use std::collections::{HashMap, HashSet};

use crate::content::PageId;
use crate::error::{Error, Result};
use crate::markdown::RenderedSite;

/// A page that documents an alert.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Documented {
    pub page: PageId,
    /// The alert's name as the page writes it.
    pub name: String,
    /// The heading of the alert on the page (never the page title's).
    pub anchor: Option<String>,
    /// The line that says so: the `alerts:` key, the alert's heading, or 1
    /// for a file name.
    pub line: usize,
    /// True when the front matter says it; false for a file name.
    pub declared: bool,
}

/// Every page that documents an alert, by alert name.
#[derive(Debug, Default)]
pub struct Catalog {
    /// Lower-cased alert name → the pages documenting it, front matter
    /// first, then in site order.
    by_name: HashMap<String, Vec<Documented>>,
    /// Lower-cased names each page documents.
    by_page: HashMap<PageId, Vec<String>>,
}

impl Catalog {
    /// What the pages of `rs` document; `known` holds the lower-cased names
    /// of the alerts the rules define (a file of such a name documents it
    /// even when the name does not read like an alert, as `Watchdog.md`).
    /// A front matter `alerts:` that is not a list of names is an error.
    pub fn build(rs: &RenderedSite, known: &HashSet<String>) -> Result<Catalog> {
        let mut catalog = Catalog::default();
        for page in &rs.site.pages {
            check_front_matter(rs, page.id)?;
            let mut found = page.alert_names();
            if !found.declared
                && found.names.is_empty()
                && !page.is_section
                && let Some(stem) = page.file_stem()
                && known.contains(&stem.to_lowercase())
            {
                found.names.push(stem.to_string());
            }
            let rendered = &rs.rendered[page.id];
            for name in found.names {
                // The page's title, or a leading `# Heading`, is the top of the page, not an anchor.
                let heading = rendered.headings.iter().enumerate().find_map(|(i, h)| {
                    let top = Some(&h.id) == rendered.title_id.as_ref() || (i == 0 && h.level == 1);
                    (!top && (h.text.trim().eq_ignore_ascii_case(&name) || h.id.eq_ignore_ascii_case(&name)))
                        .then_some(h)
                });
                let line = match (heading, found.declared) {
                    (Some(h), _) => h.line,
                    (None, true) => page.front_matter.line_of("alerts"),
                    (None, false) => 1,
                };
                let key = name.to_lowercase();
                catalog.by_page.entry(page.id).or_default().push(key.clone());
                catalog.by_name.entry(key).or_default().push(Documented {
                    page: page.id,
                    anchor: heading.map(|h| h.id.clone()),
                    line,
                    declared: found.declared,
                    name,
                });
            }
        }
        for pages in catalog.by_name.values_mut() {
            // stable: site order kept within each kind of claim
            pages.sort_by_key(|d| !d.declared);
        }
        Ok(catalog)
    }

    /// The pages documenting alert `name` (any case), the runbook first.
    pub fn pages_of(&self, name: &str) -> &[Documented] {
        self.by_name
            .get(&name.to_lowercase())
            .map(Vec::as_slice)
            .unwrap_or(&[])
    }

    /// The runbook of alert `name`: the first page documenting it.
    pub fn runbook(&self, name: &str) -> Option<&Documented> {
        self.pages_of(name).first()
    }

    /// Lower-cased names of the alerts page `id` documents.
    pub fn alerts_of(&self, id: PageId) -> &[String] {
        self.by_page.get(&id).map(Vec::as_slice).unwrap_or(&[])
    }

    /// Every (alert, page) claim, in a stable order (page, then line).
    pub fn claims(&self) -> Vec<&Documented> {
        let mut all: Vec<&Documented> = self.by_name.values().flatten().collect();
        all.sort_by(|a, b| (a.page, a.line, &a.name).cmp(&(b.page, b.line, &b.name)));
        all
    }
}

/// `alerts:` must be a name or a list of names.
fn check_front_matter(rs: &RenderedSite, id: PageId) -> Result<()> {
    let page = rs.site.page(id);
    let Some(value) = page.front_matter.extra.get("alerts") else {
        return Ok(());
    };
    let ok = match value {
        serde_json::Value::String(_) => true,
        serde_json::Value::Array(items) => items.iter().all(|i| i.is_string()),
        _ => false,
    };
    if ok {
        return Ok(());
    }
    Err(Error::FrontMatter {
        path: page.display().into(),
        line: page.front_matter.line_of("alerts"),
        message: "`alerts` must list alert names, e.g. `alerts: [NovaComputeDown, NovaApiDown]`".into(),
    })
}
