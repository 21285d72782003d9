//! What Hugo's front matter does to a page beyond its typed keys: `headless`
//! bundles and `build` options (a page that is not rendered, or not listed),
//! `slug` and `url` (the page's address), and `cascade` (keys a section
//! hands down to the pages below it that do not set them).

use serde_json::{Map, Value};

use super::frontmatter::{FrontMatter, Kind};
use super::page::{Page, PageId};

/// True when Hugo does not render the page: a headless bundle, or
/// `build: {render: never}` (`_build` in older sites).
pub(super) fn not_rendered(fm: &FrontMatter) -> bool {
    fm.extra.get("headless").is_some_and(is_true) || build_option(fm, "render").is_some_and(is_never)
}

/// True when Hugo leaves the page out for its dates at `now`: published
/// later (`publishDate`, else `date`, after now) unless the site builds
/// the future (`buildFuture`), or expired (`expiryDate` now or before)
/// unless it builds the expired (`buildExpired`). Dates are read as Hugo
/// reads them, to the second: a date alone is its midnight, a time without
/// a zone is UTC.
pub(super) fn out_of_date(
    fm: &FrontMatter,
    config: &crate::config::Config,
    now: chrono::DateTime<chrono::Utc>,
) -> bool {
    let date = |keys: &[&str]| {
        keys.iter().find_map(|k| {
            let (_, v) = fm.extra.iter().find(|(key, _)| key.eq_ignore_ascii_case(k))?;
            instant(v.as_str()?.trim())
        })
    };
    let future = !config.publish_future
        && date(&["publishDate", "pubdate", "published", "date"]).is_some_and(|d| d > now);
    let expired = !config.publish_expired && date(&["expiryDate", "unpublishdate"]).is_some_and(|d| d <= now);
    future || expired
}

/// The instant a front matter date names: `2026-12-08T18:00:00+01:00`,
/// `2026-12-08T18:00:00` or `2026-12-08 18:00:00` (UTC), `2026-12-08`
/// (its midnight, UTC).
fn instant(text: &str) -> Option<chrono::DateTime<chrono::Utc>> {
    use chrono::{DateTime, NaiveDate, NaiveDateTime, Utc};
    if let Ok(t) = DateTime::parse_from_rfc3339(text) {
        return Some(t.with_timezone(&Utc));
    }
    for format in ["%Y-%m-%dT%H:%M:%S", "%Y-%m-%d %H:%M:%S", "%Y-%m-%dT%H:%M"] {
        if let Ok(t) = NaiveDateTime::parse_from_str(text, format) {
            return Some(t.and_utc());
        }
    }
    NaiveDate::parse_from_str(text.get(..10).unwrap_or(text), "%Y-%m-%d")
        .ok()
        .map(|d| d.and_hms_opt(0, 0, 0).unwrap_or_default().and_utc())
}

/// True when Hugo renders the page but lists it nowhere (`build: {list: never}`).
pub(super) fn not_listed(fm: &FrontMatter) -> bool {
    build_option(fm, "list").is_some_and(is_never)
}

fn build_option<'a>(fm: &'a FrontMatter, key: &str) -> Option<&'a Value> {
    fm.extra
        .get("build")
        .or_else(|| fm.extra.get("_build"))
        .and_then(|b| b.get(key))
}

fn is_true(v: &Value) -> bool {
    matches!(v, Value::Bool(true)) || v.as_str() == Some("true")
}

fn is_never(v: &Value) -> bool {
    matches!(v, Value::Bool(false)) || matches!(v.as_str(), Some("never") | Some("false"))
}

/// Whether `body` may read other files through a shortcode: Docsy's
/// `readfile`, the Relearn and Learn themes' `include`.
pub(super) fn reads_files(body: &str) -> bool {
    body.contains("{{") && (body.contains("readfile") || body.contains("include"))
}

/// Replaces each `{{< readfile file="…" >}}` (Docsy) and `{{% include "…" %}}`
/// (Relearn, Learn) alone on its line with the file's text, as those themes
/// write it: Markdown, or a code block with `code="true"` (in `lang`). A
/// relative path is looked for beside the page, then in the content folder,
/// then at the project's root, as Hugo's `readFile` does; never outside the
/// project. Returns the warnings (a file that is not there) and the files read.
pub(super) fn expand_reads(
    config: &crate::config::Config,
    page: &mut Page,
) -> (Vec<crate::report::Finding>, Vec<std::path::PathBuf>) {
    let (mut warnings, mut pulled) = (Vec::new(), Vec::new());
    if page.source.is_none() || !reads_files(&page.body) {
        return (warnings, pulled);
    }
    let mut out = String::with_capacity(page.body.len());
    let mut lines = super::BodyLines::default();
    for (i, line) in page.body.split_inclusive('\n').enumerate() {
        let at = page.body_line + i;
        let pulled_before = pulled.len();
        let Some((name, code, lang)) = read_tag(line.trim()) else {
            out.push_str(line);
            lines.wrote(line, at, None);
            continue;
        };
        let rooted = name.strip_prefix('/');
        let beside = page
            .source
            .as_ref()
            .and_then(|s| s.parent())
            .filter(|_| rooted.is_none());
        let rel = rooted.unwrap_or(&name);
        let candidates: Vec<std::path::PathBuf> = [
            beside,
            Some(config.content_root.as_path()),
            Some(config.root.as_path()),
        ]
        .into_iter()
        .flatten()
        .map(|dir| dir.join(rel))
        .collect();
        let text =
            super::include::read_first(config, page, &name, &candidates, at, &mut warnings, &mut pulled);
        let text = if code {
            format!("```{lang}\n{text}```\n")
        } else {
            text
        };
        out.push_str(&text);
        lines.wrote(
            &text,
            at,
            pulled.get(pulled_before).map(std::path::PathBuf::as_path),
        );
    }
    page.body = out;
    if lines.any_pulled() {
        page.pulled_lines = lines;
    }
    (warnings, pulled)
}

/// The file a `readfile` or `include` shortcode alone on a line names, and
/// whether it is shown as code (`code="true"`) in which language.
fn read_tag(line: &str) -> Option<(String, bool, String)> {
    let inner = line
        .strip_prefix("{{<")
        .and_then(|l| l.strip_suffix(">}}"))
        .or_else(|| line.strip_prefix("{{%").and_then(|l| l.strip_suffix("%}}")))?
        .trim()
        .trim_end_matches('/')
        .trim();
    let (name, rest) = inner.split_once(char::is_whitespace)?;
    if name != "readfile" && name != "include" {
        return None;
    }
    let mut named = Vec::new();
    let mut positional = Vec::new();
    let mut rest = rest.trim();
    while !rest.is_empty() {
        let (key, value_at) = match rest.find(['=', ' ', '"']) {
            Some(eq) if rest.as_bytes()[eq] == b'=' => (Some(rest[..eq].trim()), &rest[eq + 1..]),
            _ => (None, rest),
        };
        let (value, after) = match value_at.strip_prefix('"') {
            Some(quoted) => {
                let end = quoted.find('"')?;
                (&quoted[..end], &quoted[end + 1..])
            }
            None => {
                let end = value_at.find(char::is_whitespace).unwrap_or(value_at.len());
                (&value_at[..end], &value_at[end..])
            }
        };
        match key {
            Some(k) => named.push((k.to_string(), value.to_string())),
            None => positional.push(value.to_string()),
        }
        rest = after.trim_start();
    }
    let get = |k: &str| named.iter().find(|(n, _)| n == k).map(|(_, v)| v.clone());
    let file = get("file").or_else(|| positional.first().cloned())?;
    let code = get("code").is_some_and(|c| c == "true");
    Some((file, code, get("lang").unwrap_or_default()))
}

/// The address `url:` or `slug:` gives a page in folder `dir`, if any and
/// if it stays a plain path inside the site.
pub(super) fn address(fm: &FrontMatter, dir: &str, is_section: bool) -> Option<String> {
    if let Some(url) = fm.extra.get("url").and_then(Value::as_str) {
        let path = url.trim().trim_start_matches('/');
        if !safe(path) {
            return None;
        }
        let path = path.trim_end_matches('/');
        return Some(if path.is_empty() {
            "index.html".into()
        } else if path.ends_with(".html") {
            path.to_string()
        } else {
            format!("{path}/index.html")
        });
    }
    if is_section {
        return None;
    }
    let slug = fm
        .extra
        .get("slug")
        .and_then(Value::as_str)?
        .trim()
        .trim_matches('/');
    if slug.is_empty() || slug.contains('/') || !safe(slug) {
        return None;
    }
    Some(if dir.is_empty() {
        format!("{slug}.html")
    } else {
        format!("{dir}/{slug}.html")
    })
}

fn safe(path: &str) -> bool {
    !path.contains(':')
        && !path.contains('\\')
        && !path.contains('?')
        && !path.contains('#')
        && !path.split('/').any(|s| s == ".." || s == ".")
}

/// Hands each section's `cascade` down its subtree: a page below receives
/// every key it does not set itself (the nearest section wins). Entries
/// limited by `_target` are applied only when they name no path, or a path
/// the page's source is under.
pub(super) fn cascade(pages: &mut [Page], home: PageId) {
    let mut stack: Vec<(PageId, Map<String, Value>)> = vec![(home, Map::new())];
    while let Some((id, inherited)) = stack.pop() {
        if !inherited.is_empty() {
            apply(&mut pages[id], &inherited);
        }
        let mut handed = inherited;
        for (k, v) in own_cascade(&pages[id]) {
            handed.insert(k, v);
        }
        for &child in &pages[id].children {
            stack.push((child, handed.clone()));
        }
    }
}

/// What [`cascade`] gives `page` from its `ancestors` (root first), for a
/// page read again on its own.
pub(super) fn cascade_into(pages: &[Page], ancestors: &[PageId], page: &mut Page) {
    let mut handed = Map::new();
    for &a in ancestors {
        handed.extend(own_cascade(&pages[a]));
    }
    if !handed.is_empty() {
        apply(page, &handed);
    }
}

fn own_cascade(page: &Page) -> Map<String, Value> {
    let mut out = Map::new();
    let entries: Vec<&Value> = match page.front_matter.extra.get("cascade") {
        Some(Value::Array(list)) => list.iter().collect(),
        Some(v @ Value::Object(_)) => vec![v],
        _ => return out,
    };
    for entry in entries {
        let Some(map) = entry.as_object() else { continue };
        let target = map
            .get("_target")
            .or_else(|| map.get("target"))
            .and_then(|t| t.get("path"))
            .and_then(Value::as_str);
        if let Some(t) = target
            && !t.trim_matches('/').is_empty()
            && !t.contains('*')
        {
            // A path target is matched by prefix below (globs are not read).
            out.insert(
                "_vigie_target".into(),
                Value::String(t.trim_matches('/').to_string()),
            );
        }
        for (k, v) in map {
            if k != "_target" && k != "target" {
                out.insert(k.clone(), v.clone());
            }
        }
    }
    out
}

fn apply(page: &mut Page, cascade: &Map<String, Value>) {
    if let Some(t) = cascade.get("_vigie_target").and_then(Value::as_str)
        && !page.rel.starts_with(t)
    {
        return;
    }
    let fm = &mut page.front_matter;
    for (key, value) in cascade {
        let set = fm.key_lines.iter().any(|(k, _)| k == key);
        if set
            || key == "_vigie_target"
            || key == "title"
            || key == "url"
            || key == "slug"
            || key == "aliases"
        {
            continue;
        }
        match key.as_str() {
            "kind" | "type" => {
                if fm.kind.is_none()
                    && let Some(kind) = value.as_str().and_then(Kind::parse)
                {
                    fm.kind = Some(kind);
                    page.kind = Some(kind);
                }
            }
            "owner" => fm.owner = fm.owner.take().or_else(|| value.as_str().map(String::from)),
            "review_every" => {
                fm.review_every = fm
                    .review_every
                    .take()
                    .or_else(|| value.as_str().map(String::from))
            }
            "tags" if fm.tags.is_empty() => {
                if let Some(list) = value.as_array() {
                    fm.tags = list.iter().filter_map(|t| t.as_str().map(String::from)).collect();
                }
            }
            "lang" | "language" if fm.lang.is_none() => {
                if let Some(l) = value.as_str() {
                    fm.lang = Some(l.to_string());
                    page.lang = crate::config::normalise_language(l);
                    page.lang_is_site = false;
                }
            }
            _ => {
                fm.extra.entry(key.clone()).or_insert_with(|| value.clone());
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fm(yaml: &str) -> FrontMatter {
        let text = format!("---\n{yaml}---\n");
        super::super::frontmatter::split(
            std::path::Path::new("x.md"),
            &text,
            super::super::frontmatter::Invalid::Error,
        )
        .unwrap()
        .front_matter
    }

    #[test]
    fn headless_and_build_options() {
        assert!(not_rendered(&fm("headless: true\n")));
        assert!(not_rendered(&fm("build:\n  render: never\n")));
        assert!(not_rendered(&fm("_build:\n  render: false\n")));
        assert!(!not_rendered(&fm("build:\n  list: never\n")));
        assert!(not_listed(&fm("build:\n  list: never\n")));
        assert!(!not_listed(&fm("title: x\n")));
    }

    #[test]
    fn slug_and_url_give_the_address() {
        assert_eq!(
            address(&fm("slug: demarrer\n"), "docs", false).as_deref(),
            Some("docs/demarrer.html")
        );
        assert_eq!(
            address(&fm("url: /guides/demarrage/\n"), "docs", false).as_deref(),
            Some("guides/demarrage/index.html")
        );
        assert_eq!(
            address(&fm("url: /a.html\n"), "docs", true).as_deref(),
            Some("a.html")
        );
        assert_eq!(address(&fm("slug: x\n"), "docs", true), None);
        assert_eq!(address(&fm("url: javascript:alert(1)\n"), "", false), None);
        assert_eq!(address(&fm("url: /../../etc/\n"), "", false), None);
    }

    #[test]
    fn dates_are_compared_to_the_second_as_hugo_compares_them() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir_all(dir.path().join("content")).unwrap();
        std::fs::write(dir.path().join("hugo.toml"), "title = \"H\"\n").unwrap();
        let config = crate::config::Config::load(dir.path()).unwrap();
        let now = chrono::DateTime::parse_from_rfc3339("2026-12-07T12:00:00Z")
            .unwrap()
            .with_timezone(&chrono::Utc);
        for (yaml, out) in [
            ("publishDate: 2026-12-07T18:00:00Z\n", true),
            ("publishDate: 2026-12-07T11:00:00Z\n", false),
            ("publishDate: \"2026-12-07T13:30:00+02:00\"\n", false),
            ("date: 2026-12-07 12:30:00\n", true),
            ("date: 2026-12-07\n", false),
            ("date: 2026-12-08\n", true),
            ("expiryDate: 2026-12-07T18:00:00Z\n", false),
            ("expiryDate: 2026-12-07T06:00:00Z\n", true),
            ("expiryDate: 2026-12-07\n", true),
            ("title: sans date\n", false),
        ] {
            assert_eq!(out_of_date(&fm(yaml), &config, now), out, "{yaml}");
        }
    }
}
