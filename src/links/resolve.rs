//! Resolving a link written in a page against the site model: mdBook style
//! (`x.md`, `x.html`), Hugo style (`bien-commencer/`, `/doc/x/`), plain files,
//! with the fragment kept for the anchor check that follows rendering.

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
        suggestion: Option<String>,
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
    for base in bases(site, from, &path) {
        let Some(candidate) = join(&base, path.trim_start_matches('/')) else {
            return Target::Broken {
                reason: "points outside the knowledge base".into(),
                suggestion: None,
            };
        };
        if let Some(t) = lookup(site, &candidate, fragment.clone()) {
            return t;
        }
    }
    Target::Broken {
        reason: "no such page or file".into(),
        suggestion: suggest_page(site, from, &path),
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

fn lookup(site: &Site, candidate: &str, fragment: Option<String>) -> Option<Target> {
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
    }
    let content_file = site.config.content_root.join(trimmed);
    if !trimmed.is_empty() && content_file.is_file() {
        return Some(Target::File {
            rel: trimmed.to_string(),
            abs: content_file,
        });
    }
    if site.config.layout == Layout::Hugo {
        let static_file = site.config.root.join("static").join(trimmed);
        if static_file.is_file() {
            return Some(Target::File {
                rel: trimmed.to_string(),
                abs: static_file,
            });
        }
    }
    None
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

/// A page that now carries the file name the broken link asked for (the page
/// was moved), or a sibling whose name is close (a typo).
pub fn suggest_page(site: &Site, from: &Page, path: &str) -> Option<String> {
    let trimmed = path.trim_end_matches('/');
    let file = trimmed.rsplit('/').next().unwrap_or(trimmed);
    let stem = file
        .strip_suffix(".md")
        .or_else(|| file.strip_suffix(".html"))
        .unwrap_or(file);
    let stem = if matches!(stem, "index" | "_index" | "README") {
        trimmed.rsplit('/').nth(1).unwrap_or(stem)
    } else {
        stem
    };
    let moved = site.by_stem(stem);
    let best = if moved.len() == 1 {
        Some(moved[0])
    } else {
        // the closest page name among all pages sharing the first letters
        site.pages
            .iter()
            .filter(|p| p.source.is_some())
            .filter_map(|p| {
                let s = p.rel.rsplit('/').next()?.trim_end_matches(".md");
                let d = strsim::levenshtein(s, stem);
                (d <= 2.max(stem.len() / 5)).then_some((d, p.id))
            })
            .min()
            .map(|(_, id)| id)
    }?;
    let target = site.page(best);
    Some(format!(
        "did you mean `{}`? ({})",
        relative_source(from, target),
        target.title
    ))
}

/// The link to write in `from`'s source to reach `to`'s source file.
pub fn relative_source(from: &Page, to: &Page) -> String {
    let from_rel = if from.source.is_none() {
        format!("{}index.md", from.rel)
    } else {
        from.rel.clone()
    };
    relative_url(&from_rel, &to.rel)
}

/// The closest anchor to `wanted` among `anchors`, for "did you mean".
pub fn suggest_anchor<'a>(wanted: &str, anchors: impl Iterator<Item = &'a str>) -> Option<String> {
    let wanted_folded = fold(wanted);
    anchors
        .map(|a| (strsim::normalized_levenshtein(&fold(a), &wanted_folded), a))
        .filter(|(score, _)| *score >= 0.5)
        .max_by(|a, b| a.0.total_cmp(&b.0))
        .map(|(_, a)| a.to_string())
}

/// Lowercase without accents, to compare anchors written without them.
fn fold(s: &str) -> String {
    use unicode_normalization::UnicodeNormalization;
    s.nfd()
        .filter(|c| !unicode_normalization::char::is_combining_mark(*c))
        .flat_map(char::to_lowercase)
        .collect()
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
    fn decodes_percent_escapes() {
        assert_eq!(percent_decode("dur%C3%A9e"), "durée");
        assert_eq!(percent_decode("100%"), "100%");
    }

    #[test]
    fn anchor_suggestions_ignore_accents() {
        let anchors = ["durée-de-rétention", "sauvegardes"];
        assert_eq!(
            suggest_anchor("duree-de-retention", anchors.iter().copied()).as_deref(),
            Some("durée-de-rétention")
        );
        assert_eq!(suggest_anchor("zzz", anchors.iter().copied()), None);
    }
}
