//! Resolving a link written in a page against the site model: mdBook style
//! (`x.md`, `x.html`), Hugo style (`bien-commencer/`, `/doc/x/`, `ref`
//! shortcodes), plain files, with the fragment kept for the anchor check that
//! follows rendering.
//!
//! Resolution runs for every link while pages render, so it only answers
//! "where does this go": suggestions for broken links are the business of
//! [`crate::links::suggest`], which runs afterwards and only for the broken ones.

use std::path::PathBuf;

use crate::config::Layout;
use crate::content::page::route_of;
use crate::content::{Page, PageId, Site};

/// Where a link goes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Target {
    /// `http(s)://…` and other schemes that leave the site.
    External,
    /// `mailto:` and `tel:`: never checked.
    Mail,
    /// `javascript:`: always an error.
    Script,
    /// `#anchor` on the same page (decoded).
    SamePage { fragment: String },
    /// Another page, and the anchor asked for (decoded).
    Page { id: PageId, fragment: Option<String> },
    /// A file that is not a page (image, PDF, script), copied to the site.
    File { rel: String, abs: PathBuf },
    /// Nothing there.
    Broken {
        reason: String,
        /// The path looked for, relative to the content root (the first
        /// candidate when several were tried); empty when the link climbs out.
        wanted: String,
    },
}

/// Resolves `href` as written in page `from`.
pub fn resolve(site: &Site, from: &Page, href: &str) -> Target {
    let href = href.trim();
    if href.is_empty() {
        return Target::SamePage {
            fragment: String::new(),
        };
    }
    if let Some(scheme) = scheme(href) {
        return match scheme.to_ascii_lowercase().as_str() {
            "mailto" | "tel" | "sms" => Target::Mail,
            "javascript" => Target::Script,
            _ => Target::External,
        };
    }
    if href.starts_with("//") {
        return Target::External;
    }
    let (path, fragment) = match href.split_once('#') {
        Some((p, f)) => (p, Some(percent_decode(f))),
        None => (href, None),
    };
    let path = path.split('?').next().unwrap_or("");
    if path.is_empty() {
        return Target::SamePage {
            fragment: fragment.unwrap_or_default(),
        };
    }
    let path = percent_decode(path);
    let mut tried: Vec<String> = Vec::new();
    for base in bases(site, from, &path) {
        let Some(candidate) = join(&base, path.trim_start_matches('/')) else {
            return Target::Broken {
                reason: "points outside the knowledge base".into(),
                wanted: String::new(),
            };
        };
        if let Some(t) = lookup(site, &candidate, &fragment) {
            return t;
        }
        tried.push(candidate);
    }
    if site.config.layout == Layout::Hugo
        && let Some(t) = hugo_lookup(site, &tried, &path, &fragment)
    {
        return t;
    }
    let wanted = tried.into_iter().next().unwrap_or_default();
    let trimmed = wanted.trim_end_matches('/');
    let reason = if trimmed.ends_with(".md") && site.config.content_root.join(trimmed).is_file() {
        match site.config.layout {
            Layout::MdBook => "is not a chapter of the book (not listed in SUMMARY.md, or a draft)",
            _ => "is not a page of the site (a draft, or excluded in vigie.toml)",
        }
    } else {
        "no such page or file"
    };
    Target::Broken {
        reason: reason.into(),
        wanted,
    }
}

/// Folders (relative to the content root) a relative link may be written from:
/// the page's source folder (Markdown style), then its URL folder (Hugo style,
/// where `doc/x.md` is served at `doc/x/`).
fn bases(site: &Site, from: &Page, path: &str) -> Vec<String> {
    if path.starts_with('/') {
        return vec![String::new()];
    }
    let source_dir = if from.source.is_none() {
        from.rel.trim_end_matches('/').to_string()
    } else {
        from.rel
            .rsplit_once('/')
            .map(|(d, _)| d.to_string())
            .unwrap_or_default()
    };
    let mut out = vec![source_dir.clone()];
    if site.config.layout != Layout::MdBook && !from.is_section {
        let route = from.route();
        if route != source_dir {
            out.push(route);
        }
    }
    out
}

fn lookup(site: &Site, candidate: &str, fragment: &Option<String>) -> Option<Target> {
    let page = |id| {
        Some(Target::Page {
            id,
            fragment: fragment.clone(),
        })
    };
    if let Some(id) = site.by_rel(candidate) {
        return page(id);
    }
    let trimmed = candidate.trim_end_matches('/');
    if (candidate.ends_with(".html") || candidate.ends_with('/') || !has_extension(trimmed))
        && let Some(id) = site.by_route(&route_of(trimmed))
    {
        return page(id);
    }
    if let Some(stem) = trimmed.strip_suffix(".md") {
        // `dir/README.md` written as `dir/` in the SUMMARY, or a made-up section.
        if let Some(id) = site.by_route(&route_of(&format!("{stem}.html"))) {
            return page(id);
        }
        // A Markdown file that is not a page is never copied as a file.
        return None;
    }
    let content_file = site.config.content_root.join(trimmed);
    if !trimmed.is_empty() && content_file.is_file() {
        return Some(file_target(site, trimmed, content_file));
    }
    if site.config.layout == Layout::Hugo {
        let static_file = site.config.root.join("static").join(trimmed);
        if static_file.is_file() {
            return Some(file_target(site, trimmed, static_file));
        }
    }
    None
}

/// A linked file, unless its real path leaves the knowledge base (a symbolic
/// link to `/etc/passwd`): that one is broken, and never copied.
fn file_target(site: &Site, rel: &str, abs: PathBuf) -> Target {
    match crate::confine::reach(&site.config.root, &abs) {
        crate::confine::Reach::Outside(real) => Target::Broken {
            reason: crate::confine::outside_message(&real),
            wanted: rel.to_string(),
        },
        _ => Target::File {
            rel: rel.to_string(),
            abs,
        },
    }
}

/// What Hugo finds where a browser would not: URLs lowercased as Hugo writes
/// them, and `ref`/`relref` paths and links resolved by `GetPage` (relative to
/// the page, then to `content/`, then a unique file name).
fn hugo_lookup(site: &Site, tried: &[String], path: &str, fragment: &Option<String>) -> Option<Target> {
    let found = |id| {
        Some(Target::Page {
            id,
            fragment: fragment.clone(),
        })
    };
    let by_url = |candidate: &str| {
        let trimmed = candidate.trim_end_matches('/');
        let route = route_of(trimmed.strip_suffix(".md").unwrap_or(trimmed));
        site.pages
            .iter()
            .find(|p| same_url(&p.route(), &route))
            .map(|p| p.id)
    };
    for candidate in tried {
        if let Some(id) = by_url(candidate) {
            return found(id);
        }
    }
    if let Some(rooted) = join("", path.trim_start_matches('/')) {
        if let Some(t) = lookup(site, &rooted, fragment) {
            return Some(t);
        }
        if let Some(id) = by_url(&rooted) {
            return found(id);
        }
    }
    let trimmed = path.trim_start_matches("./").trim_end_matches('/');
    if !trimmed.contains('/') {
        let stem = trimmed.strip_suffix(".md").unwrap_or(trimmed);
        if let [only] = site.by_stem(stem) {
            return found(*only);
        }
    }
    None
}

/// Hugo lowercases URLs and turns spaces into `-`.
fn same_url(route: &str, wanted: &str) -> bool {
    let norm = |c: char| if c == ' ' { '-' } else { c };
    route
        .chars()
        .map(norm)
        .flat_map(char::to_lowercase)
        .eq(wanted.chars().map(norm).flat_map(char::to_lowercase))
}

fn has_extension(path: &str) -> bool {
    path.rsplit('/').next().is_some_and(|f| f.contains('.'))
}

/// `a/b` + `../c/d.md` → `a/c/d.md`; `None` when it climbs above the root.
pub fn join(base: &str, rel: &str) -> Option<String> {
    let mut parts: Vec<&str> = base.split('/').filter(|s| !s.is_empty()).collect();
    let trailing = rel.ends_with('/');
    for seg in rel.split('/') {
        match seg {
            "" | "." => {}
            ".." => {
                parts.pop()?;
            }
            s => parts.push(s),
        }
    }
    let mut out = parts.join("/");
    if trailing && !out.is_empty() {
        out.push('/');
    }
    Some(out)
}

/// URL scheme of `href`, if it has one (`https`, `mailto`, …). A Windows
/// drive letter is not a scheme.
fn scheme(href: &str) -> Option<&str> {
    let colon = href.find(':')?;
    let s = &href[..colon];
    let valid = s.len() > 1
        && s.chars().next().is_some_and(|c| c.is_ascii_alphabetic())
        && s.chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'));
    (valid && !href[..colon].contains('/')).then_some(s)
}

/// Why `url`, a web address vigie makes from a file's path, is not safe to
/// write in an `href`, if it is not: a character an address cannot carry
/// (control characters, quotes, `<`, `>`, `\`, `?`, `#`), or a segment that
/// a browser would read as a scheme when the address is written relative to
/// a page (`javascript:alert(1).html`). Written links and generated ones go
/// through the same scheme rule.
pub fn unsafe_url(url: &str) -> Option<String> {
    if let Some(c) = url
        .chars()
        .find(|c| c.is_control() || matches!(c, '"' | '<' | '>' | '\\' | '`' | '?' | '#'))
    {
        return Some(format!("it holds {c:?}, which a web address cannot carry"));
    }
    url.split('/').find_map(|seg| {
        let colon = seg.find(':')?;
        let name = &seg[..colon];
        let is_scheme = name.chars().next().is_some_and(|c| c.is_ascii_alphabetic())
            && name
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'));
        is_scheme.then(|| format!("a browser would read `{seg}` as a `{name}:` link"))
    })
}

/// Decodes `%C3%A9` sequences; invalid sequences are kept as written.
pub fn percent_decode(s: &str) -> String {
    if !s.contains('%') {
        return s.to_string();
    }
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%'
            && i + 2 < bytes.len()
            && let Some(hex) = s.get(i + 1..i + 3)
            && let Ok(b) = u8::from_str_radix(hex, 16)
        {
            out.push(b);
            i += 3;
            continue;
        }
        out.push(bytes[i]);
        i += 1;
    }
    String::from_utf8(out).unwrap_or_else(|_| s.to_string())
}

/// The link from page URL `from` to site path `to`, relative so the site works
/// from `file://` and under any base path.
pub fn relative_url(from: &str, to: &str) -> String {
    let from_dir: Vec<&str> = match from.rsplit_once('/') {
        Some((d, _)) => d.split('/').collect(),
        None => Vec::new(),
    };
    let to_parts: Vec<&str> = to.split('/').collect();
    let common = from_dir
        .iter()
        .zip(to_parts.iter())
        .take_while(|(a, b)| a == b)
        .count()
        .min(to_parts.len().saturating_sub(1));
    let mut out = String::new();
    for _ in common..from_dir.len() {
        out.push_str("../");
    }
    out.push_str(&to_parts[common..].join("/"));
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn joins_and_refuses_to_escape() {
        assert_eq!(join("a/b", "../c/d.md").as_deref(), Some("a/c/d.md"));
        assert_eq!(join("a", "./x/").as_deref(), Some("a/x/"));
        assert_eq!(join("", "../x"), None);
    }

    #[test]
    fn relative_urls_work_from_file() {
        assert_eq!(relative_url("a/b/c.html", "a/index.html"), "../index.html");
        assert_eq!(relative_url("index.html", "a/b.html"), "a/b.html");
        assert_eq!(relative_url("a/b.html", "a/c.html"), "c.html");
        assert_eq!(relative_url("a/b/c.html", "d/e.png"), "../../d/e.png");
    }

    #[test]
    fn schemes() {
        assert_eq!(scheme("https://x"), Some("https"));
        assert_eq!(scheme("mailto:a@b"), Some("mailto"));
        assert_eq!(scheme("x.md"), None);
        assert_eq!(scheme("c:/x"), None);
        assert_eq!(scheme("a/b:c"), None);
    }

    #[test]
    fn generated_urls_are_safe() {
        assert_eq!(unsafe_url("runbooks/nova/redémarrer.html"), None);
        assert_eq!(unsafe_url("docs/10:00.html"), None);
        assert!(unsafe_url("javascript:alert(1).html").is_some());
        assert!(unsafe_url("a/JavaScript:x.html").is_some());
        assert!(unsafe_url("a/x\"onmouseover=1.html").is_some());
        assert!(unsafe_url("a/x\u{0}.html").is_some());
    }

    #[test]
    fn decodes_percent_escapes() {
        assert_eq!(percent_decode("dur%C3%A9e"), "durée");
        assert_eq!(percent_decode("100%"), "100%");
    }
}
