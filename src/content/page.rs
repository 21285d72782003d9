//! One page of the site: where it comes from, where it goes, what its front
//! matter says, and its Markdown body (front matter removed, includes expanded).

use std::path::PathBuf;

use super::frontmatter::{FrontMatter, Kind};

/// Index of a page in [`super::Site::pages`].
pub type PageId = usize;

#[derive(Debug, Clone)]
pub struct Page {
    pub id: PageId,
    /// Absolute path of the source file; `None` for a section page vigie made up
    /// for a folder that has no `_index.md`.
    pub source: Option<PathBuf>,
    /// Source path relative to the content root, `/`-separated (`runbooks/nova/x.md`).
    /// For a made-up section page: the folder followed by `/`.
    pub rel: String,
    /// Source path relative to the knowledge-base root, as findings name it.
    pub shown: String,
    /// Output file relative to the site root (`runbooks/nova/x.html`, `runbooks/index.html`).
    pub url: String,
    pub title: String,
    /// The body's first `# Heading` is the title: the theme does not repeat it.
    pub title_in_body: bool,
    pub front_matter: FrontMatter,
    pub kind: Option<Kind>,
    /// `fr` or `en`.
    pub lang: String,
    /// Markdown after the front matter.
    pub body: String,
    /// 1-based line in the source file of the body's first line.
    pub body_line: usize,
    pub is_section: bool,
    pub parent: Option<PageId>,
    /// Child pages in navigation order.
    pub children: Vec<PageId>,
    /// Section number in an mdBook book (`1.2.`).
    pub number: Option<String>,
}

impl Page {
    /// The URL without `.html` and without a trailing `/index`: the key under which
    /// Hugo-style links (`/doc/x/`) find the page. The home page's route is empty.
    pub fn route(&self) -> String {
        route_of(&self.url)
    }

    /// Path for messages: the source relative to the knowledge-base root.
    pub fn display(&self) -> &str {
        &self.shown
    }

    pub fn weight(&self) -> i64 {
        self.front_matter.weight.unwrap_or(0)
    }
}

/// `a/b.html` → `a/b`, `a/index.html` → `a`, `index.html` → ``.
pub fn route_of(url: &str) -> String {
    let u = url.strip_suffix(".html").unwrap_or(url);
    let u = u.strip_suffix("/index").unwrap_or(u);
    if u == "index" {
        String::new()
    } else {
        u.to_string()
    }
}
