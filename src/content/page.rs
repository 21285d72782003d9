//! One page of the site: where it comes from, where it goes, what its front
//! matter says, and its Markdown body (front matter removed, includes expanded).

use std::borrow::Cow;
use std::path::PathBuf;

use super::frontmatter::{FrontMatter, Kind};
use super::{humanise, kind_from_path, lang, leading_h1};
use crate::config::Config;
use crate::error::{Error, Result};

/// Section page file names, most specific first.
pub(super) const SECTION_FILES: [&str; 3] = ["_index.md", "index.md", "README.md"];

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
    /// The title comes from a navigation entry (MkDocs' `nav`, mdBook's
    /// SUMMARY.md) and differs from the body's first `# Heading`, which the
    /// page shows as its heading all the same, as those tools do; the title
    /// names the page elsewhere (sidebar, links, the browser's tab).
    pub titled_elsewhere: bool,
    /// What the navigation calls the folder this page is the index page
    /// of, where its tool names the folder rather than the page (MkDocs
    /// without a title for it: the folder's name); the page keeps its own
    /// title everywhere else.
    pub folder_title: Option<String>,
    pub front_matter: FrontMatter,
    pub kind: Option<Kind>,
    /// `fr` or `en`.
    pub lang: String,
    /// Nothing says the page's language (no `lang`, too little prose to
    /// tell): it is the site's.
    pub lang_is_site: bool,
    /// Markdown after the front matter (empty while it is [`InFile`]).
    pub body: String,
    /// Where the body is when a build left it in its file instead of
    /// holding it ([`super::Bodies::InFiles`]); read it with [`Page::markdown`].
    pub body_in_file: Option<InFile>,
    /// 1-based line in the source file of the body's first line.
    pub body_line: usize,
    /// Where the body's lines are in the file when files were expanded
    /// into it (MkDocs snippets, Hugo `readfile`); read it with
    /// [`Page::file_line`].
    pub pulled_lines: BodyLines,
    pub is_section: bool,
    pub parent: Option<PageId>,
    /// Child pages in navigation order.
    pub children: Vec<PageId>,
    /// Links listed among the children by a navigation file (MkDocs'
    /// `- Blog: https://…` inside a group), in order.
    pub nav_links: Vec<NavLink>,
    /// Section number in an mdBook book (`1.2.`).
    pub number: Option<String>,
    /// A translation (`x.en.md` in a multilingual Hugo site): its language
    /// code and the source path of the page it translates (`x.md`).
    pub translation: Option<(String, String)>,
    /// The browser's title of the page when the page sets it whole
    /// (mdBook's `{{#title …}}`), instead of its title and the site's.
    pub head_title: Option<String>,
}

/// A body left in its file: the last `body_len` bytes of a file that was
/// `file_len` bytes long when the site was loaded.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct InFile {
    pub file_len: usize,
    pub body_len: usize,
}

/// Where the lines of a body that other files were expanded into come
/// from: runs of body lines, each either the file's lines from a given one
/// on, or text pulled in by the directive at a given line, which its lines
/// all stand for. Empty: the body is the file after its front matter, line
/// for line.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct BodyLines {
    runs: Vec<LineRun>,
    /// Lines of the body written so far, while it is being built.
    written: usize,
}

#[derive(Debug, Clone, PartialEq, Eq)]
struct LineRun {
    /// 0-based body line where the run starts.
    body: usize,
    /// 1-based line of the file that line comes from.
    file: usize,
    /// The file whose text the directive at `file` pulled in (every line
    /// of the run is then at `file`); `None` for the page's own lines.
    pulled: Option<PathBuf>,
}

impl BodyLines {
    /// Notes that `text`, the next part of the body, is line `file` of the
    /// page's file, or was pulled in from file `pulled` by the directive there.
    pub(super) fn wrote(&mut self, text: &str, file: usize, pulled: Option<&std::path::Path>) {
        if text.is_empty() {
            return;
        }
        let continues = self.runs.last().is_some_and(|r| match (&r.pulled, pulled) {
            (None, None) => r.file + (self.written - r.body) == file,
            (Some(a), Some(b)) => r.file == file && a == b,
            _ => false,
        });
        if !continues {
            self.runs.push(LineRun {
                body: self.written,
                file,
                pulled: pulled.map(PathBuf::from),
            });
        }
        self.written += text.matches('\n').count();
    }

    /// The same lines for a body that starts at line `first` (1-based) of
    /// the text they were noted for (after front matter).
    pub(super) fn starting_at(self, first: usize) -> BodyLines {
        let skip = first.saturating_sub(1);
        let k = self.runs.partition_point(|r| r.body <= skip);
        let mut runs = Vec::with_capacity(self.runs.len() + 1 - k.min(1));
        if let Some(run) = k.checked_sub(1).map(|at| &self.runs[at]) {
            let file = match run.pulled {
                Some(_) => run.file,
                None => run.file + (skip - run.body),
            };
            runs.push(LineRun {
                body: 0,
                file,
                pulled: run.pulled.clone(),
            });
        }
        runs.extend(self.runs[k..].iter().map(|r| LineRun {
            body: r.body - skip,
            ..r.clone()
        }));
        BodyLines {
            runs,
            written: self.written.saturating_sub(skip),
        }
    }

    /// Whether any text was pulled in from another file.
    pub fn any_pulled(&self) -> bool {
        self.runs.iter().any(|r| r.pulled.is_some())
    }

    /// The file the directive at line `file` of the page pulled in, if any.
    pub fn pulled_at(&self, file: usize) -> Option<&std::path::Path> {
        self.runs
            .iter()
            .find(|r| r.file == file && r.pulled.is_some())
            .and_then(|r| r.pulled.as_deref())
    }
}

impl Page {
    /// The line of the page's file that line `i` (1-based) of its body
    /// comes from: for text another file pulled in, the directive's line.
    pub fn file_line(&self, i: usize) -> usize {
        let at = i.saturating_sub(1);
        let runs = &self.pulled_lines.runs;
        match runs.partition_point(|r| r.body <= at).checked_sub(1) {
            Some(k) if runs[k].pulled.is_some() => runs[k].file,
            Some(k) => runs[k].file + (at - runs[k].body),
            None => self.body_line + at,
        }
    }

    /// The page's Markdown: its body, read again from its file when it was
    /// left there. A file that changed since the site was loaded is an
    /// error: its page would not match what the rest of the site says of it.
    pub fn markdown(&self) -> Result<Cow<'_, str>> {
        let (Some(at), Some(path)) = (self.body_in_file, &self.source) else {
            return Ok(Cow::Borrowed(&self.body));
        };
        let text = crate::confine::read_text_limited(path, crate::confine::PAGE_LIMIT, "page")?;
        let cut = text.len().checked_sub(at.body_len);
        if text.len() != at.file_len || !cut.is_some_and(|c| text.is_char_boundary(c)) {
            return Err(Error::input(
                path,
                1,
                "this file changed while the site was being built: build again".to_string(),
            ));
        }
        Ok(Cow::Owned(super::frontmatter::into_body(text, at.body_len)))
    }

    /// Names the page `label`, as a navigation entry does (MkDocs' `nav`,
    /// mdBook's SUMMARY.md): the label names it in the sidebar, links and
    /// the browser's tab; its own first `# Heading`, if it has one, stays
    /// its heading, as both tools show it.
    pub(super) fn name_as(&mut self, label: &str) {
        let h1 = super::leading_h1(&self.body);
        self.titled_elsewhere = h1.as_deref().is_some_and(|h| h != label);
        self.title_in_body = h1.is_some();
        self.title = label.to_string();
    }

    /// Leaves the body in its file (see [`InFile`]): `file_len` is the
    /// length of the file's text the body was cut from.
    pub(super) fn leave_in_file(&mut self, file_len: usize) {
        if self.source.is_some() {
            self.body_in_file = Some(InFile {
                file_len,
                body_len: self.body.len(),
            });
            self.body = String::new();
        }
    }

    /// The URL without `.html` and without a trailing `/index`: the key under which
    /// Hugo-style links (`/doc/x/`) find the page. The home page's route is empty.
    pub fn route(&self) -> String {
        route_of(&self.url)
    }

    /// Path for messages: the source relative to the knowledge-base root.
    pub fn display(&self) -> &str {
        &self.shown
    }

    /// The page's name in the navigation: its front matter's `linkTitle`
    /// (Hugo's short title for menus and sidebars, any case) when it gives
    /// one, else its folder's title, else its title.
    pub fn nav_label(&self) -> &str {
        self.front_matter
            .extra
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case("linktitle"))
            .and_then(|(_, v)| v.as_str())
            .map(str::trim)
            .filter(|t| !t.is_empty())
            .or(self.folder_title.as_deref())
            .unwrap_or(&self.title)
    }

    pub fn weight(&self) -> i64 {
        self.front_matter.weight.unwrap_or(0)
    }

    /// The alerts this page says it documents: the strings of its front
    /// matter's `alerts:` (a list, or one name), else its file name when it
    /// reads like an alert name (`KubePodCrashLooping.md`, `etcdNoLeader.md`)
    /// on a page that is a runbook or has no kind. Read by search (an exact
    /// alert name finds its runbook first) and by the alerts module, which
    /// also matches file names against the alerts that rules define.
    pub fn alert_names(&self) -> AlertNames {
        if let Some(v) = self.front_matter.extra.get("alerts") {
            let names = match v {
                serde_json::Value::String(s) => vec![s.trim().to_string()],
                serde_json::Value::Array(items) => items
                    .iter()
                    .filter_map(|i| i.as_str().map(|s| s.trim().to_string()))
                    .collect(),
                _ => Vec::new(),
            };
            return AlertNames {
                names: names.into_iter().filter(|n| !n.is_empty()).collect(),
                declared: true,
            };
        }
        let stem = self.file_stem();
        let names = match stem {
            Some(s)
                if !self.is_section
                    && matches!(self.kind, None | Some(Kind::Runbook))
                    && looks_like_alert(s) =>
            {
                vec![s.to_string()]
            }
            _ => Vec::new(),
        };
        AlertNames {
            names,
            declared: false,
        }
    }

    /// The source file's name without its extension (`None` for a made-up
    /// section page).
    pub fn file_stem(&self) -> Option<&str> {
        self.source.as_ref()?;
        let file = self.rel.rsplit('/').next().unwrap_or(&self.rel);
        let stem = file.rsplit_once('.').map(|(s, _)| s).unwrap_or(file);
        (!stem.is_empty()).then_some(stem)
    }
}

/// What [`Page::alert_names`] found.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct AlertNames {
    pub names: Vec<String>,
    /// True when the front matter says it (`alerts:`), false for a file name.
    pub declared: bool,
}

/// Whether `name` reads like a Prometheus alert name written in camel case:
/// letters, digits and `_`, at least one lower-case letter and one capital
/// after the first character (`KubePodCrashLooping`, `etcdNoLeader`, not
/// `restart-nova` or `README`).
pub fn looks_like_alert(name: &str) -> bool {
    let mut chars = name.chars();
    let Some(first) = chars.next() else {
        return false;
    };
    (first.is_ascii_alphabetic() || first == '_')
        && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
        && name.chars().any(|c| c.is_ascii_lowercase())
        && chars.any(|c| c.is_ascii_uppercase())
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

/// An entry of the top level of the navigation.
#[derive(Debug, Clone)]
pub enum NavItem {
    Page(PageId),
    /// An mdBook part title (`# Part` in SUMMARY.md).
    Part(String),
    /// A link to another site, listed in a navigation file (MkDocs' `-
    /// Blog: https://…`).
    Link {
        title: String,
        url: String,
    },
}

/// A link to another site among a page's children in the navigation.
#[derive(Debug, Clone, PartialEq)]
pub struct NavLink {
    /// Shown before the child of this index (after the last one when it
    /// is the number of children).
    pub before: usize,
    pub title: String,
    /// As the navigation file gives it: an address with a scheme, a path
    /// from the domain's root (`/blog/`), or one from the site's root.
    pub url: String,
}

/// A section page vigie makes up (a folder without one, a titled group of a
/// navigation file): no source, no text, at `rel` (ending in `/`) and `url`.
pub(super) fn made_up_section(config: &Config, rel: &str, url: String) -> Page {
    make_page(
        config,
        None,
        rel,
        url,
        FrontMatter::default(),
        String::new(),
        1,
        true,
    )
}

/// Builds a page, filling title, kind and language from front matter, body and path.
#[allow(clippy::too_many_arguments)]
pub(super) fn make_page(
    config: &Config,
    source: Option<PathBuf>,
    rel: &str,
    url: String,
    front_matter: FrontMatter,
    body: String,
    body_line: usize,
    is_section: bool,
) -> Page {
    let h1 = leading_h1(&body);
    let title_in_body = h1.is_some() && (front_matter.title.is_none() || front_matter.title == h1);
    let title = front_matter
        .title
        .clone()
        .or(h1)
        .unwrap_or_else(|| title_from_path(rel, &config.title));
    let kind = front_matter.kind.or_else(|| kind_from_path(rel));
    let said = front_matter
        .lang
        .as_deref()
        .map(crate::config::normalise_language)
        .or_else(|| lang::detect(&body).map(String::from));
    let lang_is_site = said.is_none();
    let lang = said.unwrap_or_else(|| config.language.clone());
    let shown = match &source {
        Some(p) => config.display_path(p),
        None => config.display_path(&config.content_root.join(rel)),
    };
    Page {
        id: 0,
        source,
        rel: rel.to_string(),
        shown,
        url,
        title,
        title_in_body,
        titled_elsewhere: false,
        folder_title: None,
        front_matter,
        kind,
        lang,
        lang_is_site,
        body,
        body_in_file: None,
        body_line,
        pulled_lines: BodyLines::default(),
        is_section,
        parent: None,
        children: Vec::new(),
        nav_links: Vec::new(),
        number: None,
        translation: None,
        head_title: None,
    }
}

fn title_from_path(rel: &str, site_title: &str) -> String {
    let rel = rel.trim_end_matches('/');
    let (dir, file) = rel.rsplit_once('/').unwrap_or(("", rel));
    let stem = file.strip_suffix(".md").unwrap_or(file);
    if SECTION_FILES.iter().any(|s| s.strip_suffix(".md") == Some(stem)) || rel.is_empty() {
        match dir.rsplit('/').next() {
            Some(d) if !d.is_empty() => humanise(d),
            _ if SECTION_FILES.contains(&file) || rel.is_empty() => site_title.to_string(),
            _ => humanise(stem),
        }
    } else {
        humanise(stem)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn body_lines_after_pulled_text_are_the_file_lines() {
        // File: front matter on lines 1-3, body from line 4: "a", a directive
        // pulling three lines in, "b", "c".
        let mut lines = BodyLines::default();
        lines.wrote("a\n", 4, None);
        lines.wrote("x\ny\nz\n", 5, Some(std::path::Path::new("/kb/snip.md")));
        lines.wrote("b\n", 6, None);
        lines.wrote("c\n", 7, None);
        let tmp = tempfile::tempdir().unwrap();
        let config = Config::load(tmp.path()).unwrap();
        let plain = Page {
            body_line: 4,
            ..made_up_section(&config, "x/", "x/index.html".into())
        };
        let page = Page {
            pulled_lines: lines,
            ..plain.clone()
        };
        let file_lines: Vec<usize> = (1..=6).map(|i| page.file_line(i)).collect();
        assert_eq!(file_lines, [4, 5, 5, 5, 6, 7]);
        assert_eq!(
            page.pulled_lines.pulled_at(5),
            Some(std::path::Path::new("/kb/snip.md"))
        );
        assert_eq!(page.pulled_lines.pulled_at(6), None);
        // Without pulled text, body line i is file line body_line + i - 1.
        assert_eq!(plain.file_line(3), 6);
        // Noted for a whole file, then cut where its body starts.
        let mut whole = BodyLines::default();
        whole.wrote("---\nt: x\n---\na\n", 1, None);
        whole.wrote("x\ny\n", 5, Some(std::path::Path::new("/kb/snip.md")));
        whole.wrote("b\n", 5, None);
        let page = Page {
            pulled_lines: whole.starting_at(4),
            ..plain.clone()
        };
        let file_lines: Vec<usize> = (1..=4).map(|i| page.file_line(i)).collect();
        assert_eq!(file_lines, [4, 5, 5, 5]);
    }
}
