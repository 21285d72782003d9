//! Resolving a link written in a page against the site model: mdBook style
//! (`x.md`, `x.html`), Hugo style (`bien-commencer/`, `/doc/x/`, `ref`
//! shortcodes), plain files, with the fragment kept for the anchor check that
//! follows rendering.
//!
//! Resolution runs for every link while pages render, so it only answers
//! "where does this go": suggestions for broken links are the business of
//! [`crate::links::suggest`], which runs afterwards and only for the broken ones.

use std::borrow::Cow;
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
    let (path, mut fragment) = match href.split_once('#') {
        Some((p, f)) => (p, Some(percent_decode(f))),
        None => (href, None),
    };
    let path = path.split('?').next().unwrap_or("");
    if path.is_empty() {
        return Target::SamePage {
            fragment: fragment.unwrap_or_default(),
        };
    }
    let path = decode(path);
    let mut tried: Vec<String> = Vec::new();
    for base in bases(site, from, &path).into_iter().flatten() {
        let Some(candidate) = join(&base, path.trim_start_matches('/')) else {
            return Target::Broken {
                reason: "points outside the knowledge base".into(),
                wanted: String::new(),
            };
        };
        if let Some(t) = lookup(site, &candidate, &mut fragment) {
            return t;
        }
        tried.push(candidate);
    }
    if site.config.layout == Layout::Hugo
        && let Some(t) = hugo_lookup(site, &tried, &path, &mut fragment)
    {
        return t;
    }
    // `/docs/guide/` on a site published under `https://host/docs/`: the
    // address as the browser reads it once deployed.
    if let Some(rest) = under_base_path(site, &path)
        && let Some(t) = lookup(site, rest, &mut fragment)
    {
        return t;
    }
    let wanted = tried.into_iter().next().unwrap_or_default();
    let trimmed = wanted.trim_end_matches('/');
    let on_disk = site.config.content_root.join(trimmed);
    let reason = if site.config.docs_exclude(&on_disk) && on_disk.is_file() {
        "is left out of the site by `exclude_docs` or `draft_docs` in mkdocs.yml"
    } else if site.config.left_out(&on_disk) && on_disk.is_file() {
        "is left out of the site by `exclude` in vigie.toml"
    } else if trimmed.ends_with(".md") && on_disk.is_file() {
        match site.config.layout {
            Layout::MdBook => "is not a chapter of the book (not listed in SUMMARY.md, or a draft)",
            Layout::Hugo => "is not a page of the site (a draft, excluded, dated in the future or expired)",
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

/// `path` (absolute) without the path of the site's base URL, when it
/// starts with it: `/docs/guide/` → `guide/` for `https://host/docs/`.
fn under_base_path<'p>(site: &Site, path: &'p str) -> Option<&'p str> {
    let base = site.config.base_url.as_deref()?;
    let after_host = base.split_once("://").map_or(base, |(_, rest)| rest);
    let prefix = after_host
        .find('/')
        .map(|i| &after_host[i..])?
        .trim_end_matches('/');
    if prefix.is_empty() {
        return None;
    }
    path.strip_prefix(prefix)
        .filter(|rest| rest.is_empty() || rest.starts_with('/'))
        .map(|rest| rest.trim_start_matches('/'))
}

/// Folders (relative to the content root) a relative link may be written from:
/// the page's source folder (Markdown style), then its URL folder (Hugo style,
/// where `doc/x.md` is served at `doc/x/`).
fn bases<'p>(site: &Site, from: &'p Page, path: &str) -> [Option<Cow<'p, str>>; 2] {
    if path.starts_with('/') {
        return [Some(Cow::Borrowed("")), None];
    }
    let source_dir = if from.source.is_none() {
        from.rel.trim_end_matches('/')
    } else {
        from.rel.rsplit_once('/').map(|(d, _)| d).unwrap_or_default()
    };
    let route = (site.config.layout != Layout::MdBook && !from.is_section)
        .then(|| from.route())
        .filter(|route| route != source_dir);
    [Some(Cow::Borrowed(source_dir)), route.map(Cow::Owned)]
}

/// What `candidate` is; a page found takes the `fragment` asked for.
fn lookup(site: &Site, candidate: &str, fragment: &mut Option<String>) -> Option<Target> {
    let mut page = |id| {
        Some(Target::Page {
            id,
            fragment: fragment.take(),
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
    if !trimmed.is_empty() && content_file.is_file() && !site.config.left_out(&content_file) {
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

/// `target` as Hugo's `ref` finds it from page `from`: a page of the
/// default language, when `from` is in another language that has a
/// translation of it, is that translation (`ref "x.md"` from `y.en.md`
/// leads to `x.en.md`). A translation named on purpose stays.
pub fn in_language_of(site: &Site, from: &Page, target: Target) -> Target {
    let Target::Page { id, fragment } = target else {
        return target;
    };
    let language = |p: &Page| p.translation.as_ref().map(|(l, _)| l.clone());
    let id = match language(from) {
        Some(wanted) if site.page(id).translation.is_none() => site
            .translations(id)
            .into_iter()
            .find(|&t| language(site.page(t)).as_deref() == Some(wanted.as_str()))
            .unwrap_or(id),
        _ => id,
    };
    Target::Page { id, fragment }
}

/// What Hugo finds where a browser would not: URLs lowercased as Hugo writes
/// them, and `ref`/`relref` paths and links resolved by `GetPage` (relative to
/// the page, then to `content/`, then a unique file name).
fn hugo_lookup(site: &Site, tried: &[String], path: &str, fragment: &mut Option<String>) -> Option<Target> {
    let found = |id, fragment: &mut Option<String>| {
        Some(Target::Page {
            id,
            fragment: fragment.take(),
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
            return found(id, fragment);
        }
    }
    if let Some(rooted) = join("", path.trim_start_matches('/')) {
        if let Some(t) = lookup(site, &rooted, fragment) {
            return Some(t);
        }
        if let Some(id) = by_url(&rooted) {
            return found(id, fragment);
        }
    }
    let trimmed = path.trim_start_matches("./").trim_end_matches('/');
    if !trimmed.contains('/') {
        let stem = trimmed.strip_suffix(".md").unwrap_or(trimmed);
        if let [only] = site.by_stem(stem) {
            return found(*only, fragment);
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
    // Built in place (this runs for every link): `..` cuts the last segment.
    let mut out = String::with_capacity(base.len() + rel.len() + 1);
    let push = |out: &mut String, seg: &str| {
        if !out.is_empty() {
            out.push('/');
        }
        out.push_str(seg);
    };
    for seg in base.split('/').filter(|s| !s.is_empty()) {
        push(&mut out, seg);
    }
    for seg in rel.split('/') {
        match seg {
            "" | "." => {}
            ".." => {
                if out.is_empty() {
                    return None;
                }
                out.truncate(out.rfind('/').unwrap_or(0));
            }
            s => push(&mut out, s),
        }
    }
    if rel.ends_with('/') && !out.is_empty() {
        out.push('/');
    }
    Some(out)
}

/// Whether `href`, an address a navigation file lists, is a path of the
/// site (from its root): not an address with a scheme (`https:`,
/// `mailto:`), nor one from the domain's root (`/status/`, `//host/`), nor
/// a fragment.
pub fn is_site_path(href: &str) -> bool {
    scheme(href).is_none() && !href.starts_with(['/', '#'])
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
    decode(s).into_owned()
}

/// [`percent_decode`], without a copy when there is nothing to decode.
fn decode(s: &str) -> Cow<'_, str> {
    if !s.contains('%') {
        return Cow::Borrowed(s);
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
    String::from_utf8(out).map_or(Cow::Borrowed(s), Cow::Owned)
}

/// The link from page URL `from` to site path `to`, relative so the site works
/// from `file://` and under any base path.
pub fn relative_url(from: &str, to: &str) -> String {
    // The folders `from` and `to` share, the last segment of `to` never
    // counted (it is the file): `from` climbs out of the others, then `to`
    // goes on from there.
    let slashes = |s: &str| s.bytes().filter(|&b| b == b'/').count();
    let from_dir = from.rsplit_once('/').map(|(d, _)| d);
    let ups = from_dir.map_or(0, |d| slashes(d) + 1);
    let shareable = slashes(to);
    let (mut common, mut rest) = (0, 0);
    for (a, b) in from_dir.into_iter().flat_map(|d| d.split('/')).zip(to.split('/')) {
        if common == shareable || a != b {
            break;
        }
        common += 1;
        rest += b.len() + 1;
    }
    let mut out = String::with_capacity(3 * (ups - common) + to.len() - rest);
    for _ in common..ups {
        out.push_str("../");
    }
    out.push_str(&to[rest..]);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Paths of every shape: empty segments, `.`, `..`, trailing `/`.
    const PATHS: &[&str] = &[
        "",
        "/",
        "a",
        "a/",
        "/a",
        "a/b",
        "a/b/",
        "a//b",
        "./a",
        "a/./b",
        "../a",
        "a/..",
        "a/../..",
        "a/b/../c",
        "..",
        ".",
        "a/b/c.md",
        "a/b/c.html",
        "index.html",
        "a/index.html",
        "x/y/z/w.png",
        "a/b/..//c/",
    ];

    #[test]
    fn join_is_segments_pushed_and_popped() {
        fn reference(base: &str, rel: &str) -> Option<String> {
            let mut parts: Vec<&str> = base.split('/').filter(|s| !s.is_empty()).collect();
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
            if rel.ends_with('/') && !out.is_empty() {
                out.push('/');
            }
            Some(out)
        }
        for base in PATHS {
            for rel in PATHS {
                assert_eq!(join(base, rel), reference(base, rel), "{base:?} + {rel:?}");
            }
        }
    }

    #[test]
    fn relative_url_climbs_out_of_the_folders_not_shared() {
        fn reference(from: &str, to: &str) -> String {
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
            let mut out = "../".repeat(from_dir.len() - common);
            out.push_str(&to_parts[common..].join("/"));
            out
        }
        for from in PATHS {
            for to in PATHS {
                assert_eq!(relative_url(from, to), reference(from, to), "{from:?} → {to:?}");
            }
        }
    }

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
    fn navigation_links_that_are_the_sites_paths() {
        assert!(is_site_path("api/") && is_site_path("guide/a.html"));
        for elsewhere in [
            "https://x/",
            "tel:+33",
            "mailto:a@b",
            "/status/",
            "//cdn.example/",
            "#top",
        ] {
            assert!(!is_site_path(elsewhere), "{elsewhere}");
        }
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
