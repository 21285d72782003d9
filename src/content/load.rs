//! Loading a folder tree or a Hugo `content/` tree: every Markdown file is a
//! page, `_index.md` / `index.md` / `README.md` is its folder's section page,
//! and folders without one get a made-up section page listing their children.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use rayon::prelude::*;

use super::frontmatter;
use super::page::{NavItem, Page, PageId, SECTION_FILES, made_up_section, make_page};
use super::{Bodies, Loaded};
use crate::config::{Config, Layout};
use crate::error::{Error, Result};
use crate::report::Finding;

pub(super) fn load_tree(config: &Config, bodies: Bodies) -> Result<Loaded> {
    let files = content_files(config)?;
    let read = files
        .par_iter()
        .map(|(path, rel)| read_page(config, path, rel, bodies))
        .collect::<Result<Vec<(Option<Page>, Vec<Finding>)>>>()?;
    let mut pages = Vec::with_capacity(read.len());
    let mut warnings = Vec::new();
    for (page, found) in read {
        pages.extend(page);
        warnings.extend(found);
    }
    for (i, page) in pages.iter_mut().enumerate() {
        page.id = i;
    }
    let home = link_tree(config, &mut pages);
    let mut included = Vec::new();
    if config.layout == Layout::Hugo {
        let read: Vec<_> = pages
            .par_iter_mut()
            .filter(|p| p.body_in_file.is_none())
            .map(|p| super::hugo::expand_reads(config, p))
            .collect();
        for (found, files) in read {
            warnings.extend(found);
            included.extend(files);
        }
        super::hugo::cascade(&mut pages, home);
        // `build: {list: never}`: rendered, listed nowhere.
        for id in 0..pages.len() {
            let mut children = std::mem::take(&mut pages[id].children);
            // Translations are reached from the page they translate.
            children.retain(|&c| {
                !super::hugo::not_listed(&pages[c].front_matter)
                    && pages[c].translation.is_none()
                    && language_of_dir(config, &pages[c].rel).is_none()
            });
            pages[id].children = children;
        }
    }
    let nav = pages[home].children.iter().map(|&c| NavItem::Page(c)).collect();
    Ok(Loaded {
        pages,
        nav,
        home,
        warnings,
        included,
    })
}

/// Markdown files under the content root, sorted, as (absolute path, relative path).
fn content_files(config: &Config) -> Result<Vec<(PathBuf, String)>> {
    let base = &config.content_root;
    let mut out = Vec::new();
    let starts: Vec<PathBuf> = if config.content_dirs.is_empty() {
        vec![base.clone()]
    } else {
        config.content_dirs.iter().map(|d| base.join(d)).collect()
    };
    if !config.content_dirs.is_empty() {
        // `content` narrows the sub-folders; the home page stays the root's own.
        if let Some(file) = SECTION_FILES.iter().map(|f| base.join(f)).find(|p| p.is_file()) {
            let rel = file
                .strip_prefix(base)
                .unwrap_or(&file)
                .to_string_lossy()
                .to_string();
            out.push((file, rel));
        }
    }
    for (i, start) in starts.into_iter().enumerate() {
        if !start.is_dir() {
            return Err(config.error_at(
                &["content", &i.to_string()],
                format!(
                    "content folder `{}` does not exist",
                    config
                        .content_dirs
                        .get(i)
                        .cloned()
                        .unwrap_or_else(|| config.display_path(&start))
                ),
            ));
        }
        markdown_under(config, &start, base, "", &mut out)?;
    }
    // The other languages' folders of a Hugo site kept one folder per
    // language: their pages are `LANG/…` (their address too).
    for (lang, dir) in &config.language_dirs {
        markdown_under(config, dir, dir, &format!("{lang}/"), &mut out)?;
    }
    Ok(out)
}

/// Pushes on `out` the Markdown files under `start` that are content, as
/// (absolute path, `prefix` + path relative to `base`).
fn markdown_under(
    config: &Config,
    start: &Path,
    base: &Path,
    prefix: &str,
    out: &mut Vec<(PathBuf, String)>,
) -> Result<()> {
    let walker = walkdir::WalkDir::new(start)
        .sort_by_file_name()
        .into_iter()
        .filter_entry(|e| !skipped(config, e.path(), e.depth() == 0));
    for entry in walker {
        let entry = entry.map_err(|e| Error::Read {
            path: e.path().map_or_else(|| start.to_path_buf(), Path::to_path_buf),
            source: e.into(),
        })?;
        let path = entry.path();
        if !entry.file_type().is_file() || path.extension().is_none_or(|x| x != "md") {
            continue;
        }
        if config.left_out(path) {
            continue;
        }
        let rel = path
            .strip_prefix(base)
            .unwrap_or(path)
            .to_string_lossy()
            .replace('\\', "/");
        out.push((path.to_path_buf(), format!("{prefix}{rel}")));
    }
    Ok(())
}

fn skipped(config: &Config, path: &Path, is_start: bool) -> bool {
    if is_start {
        return false;
    }
    let name = path.file_name().map(|n| n.to_string_lossy()).unwrap_or_default();
    if name.starts_with('.') || name == "target" || name == "node_modules" {
        return true;
    }
    if path == config.out || path.starts_with(&config.out) {
        return true;
    }
    // The theme override folder holds templates, not pages.
    path.parent() == Some(config.root.as_path()) && name == "templates"
}

/// A page (none for a draft) and the warnings about its front matter.
fn read_page(
    config: &Config,
    path: &Path,
    rel: &str,
    bodies: Bodies,
) -> Result<(Option<Page>, Vec<Finding>)> {
    let text = crate::confine::read_text_limited(path, crate::confine::PAGE_LIMIT, "page")?;
    let file_len = text.len();
    let split = frontmatter::read(&display(config, path), &text, config.layout)?;
    let (front_matter, warnings) = (split.front_matter, split.warnings);
    let (body_line, body_len) = (split.body_line, split.body.len());
    let body = frontmatter::into_body(text, body_len);
    let hugo = config.layout == Layout::Hugo;
    let left_out = || {
        super::hugo::not_rendered(&front_matter)
            || super::hugo::out_of_date(&front_matter, config, chrono::Utc::now())
    };
    if front_matter.draft || hugo && left_out() {
        return Ok((None, warnings));
    }
    let (dir, file) = rel.rsplit_once('/').unwrap_or(("", rel));
    // `x.en.md` beside `x.md` in a multilingual Hugo site: its English page.
    let in_language_dir = language_of_dir(config, rel);
    let translation = match &in_language_dir {
        Some((lang, rest)) => Some((lang.clone(), rest.clone())),
        None => translation_of(config, file),
    };
    let file = match (&in_language_dir, &translation) {
        (None, Some((_, base))) => base.as_str(),
        _ => file,
    };
    let is_section = SECTION_FILES.contains(&file);
    let url = hugo
        .then(|| super::hugo::address(&front_matter, dir, is_section))
        .flatten()
        .unwrap_or_else(|| page_url(dir, file, is_section));
    // A language folder's pages have their language in `rel`, so in `url` already.
    let url = match (&translation, &in_language_dir) {
        (Some((lang, _)), None) => format!("{lang}/{url}"),
        _ => url,
    };
    let mut page = make_page(
        config,
        Some(path.to_path_buf()),
        rel,
        url,
        front_matter,
        body,
        body_line,
        is_section && (translation.is_none() || in_language_dir.is_some()),
    );
    if let Some((lang, base)) = translation {
        if page.front_matter.lang.is_none() {
            page.lang = crate::config::normalise_language(&lang);
            page.lang_is_site = false;
        }
        let key = if in_language_dir.is_some() || dir.is_empty() {
            base
        } else {
            format!("{dir}/{base}")
        };
        page.translation = Some((lang, key));
    }
    // A page that reads other files keeps its text, to be expanded.
    if bodies == Bodies::InFiles && !(hugo && super::hugo::reads_files(&page.body)) {
        page.leave_in_file(file_len);
    }
    Ok((Some(page), warnings))
}

/// `(language, path in the default language's tree)` for a page of another
/// language's content folder (`en/docs/x.md` → `("en", "docs/x.md")`).
fn language_of_dir(config: &Config, rel: &str) -> Option<(String, String)> {
    config.language_dirs.iter().find_map(|(lang, _)| {
        rel.strip_prefix(lang.as_str())
            .and_then(|r| r.strip_prefix('/'))
            .map(|r| (lang.clone(), r.to_string()))
    })
}

/// `(language, file it translates)` for `x.en.md` when `en` is a language of
/// the site other than its default.
fn translation_of(config: &Config, file: &str) -> Option<(String, String)> {
    if config.languages.len() < 2 {
        return None;
    }
    let stem = file.strip_suffix(".md")?;
    let (base, lang) = stem.rsplit_once('.')?;
    let lang = lang.to_lowercase();
    (config.languages[1..].contains(&lang)).then(|| (lang, format!("{base}.md")))
}

/// Path shown in messages: relative to the knowledge-base root.
fn display(config: &Config, path: &Path) -> PathBuf {
    PathBuf::from(config.display_path(path))
}

/// The address the Markdown file at `rel` (a path from the content
/// folder) gets when nothing else decides it (a Hugo `url`, a language):
/// `a/b.md` → `a/b.html`, a section file (`a/index.md`, `a/README.md`) →
/// `a/index.html`.
pub fn source_url(rel: &str) -> String {
    let (dir, file) = rel.rsplit_once('/').unwrap_or(("", rel));
    page_url(dir, file, SECTION_FILES.contains(&file))
}

fn page_url(dir: &str, file: &str, is_section: bool) -> String {
    let prefix = if dir.is_empty() {
        String::new()
    } else {
        format!("{dir}/")
    };
    if is_section {
        format!("{prefix}index.html")
    } else {
        format!("{prefix}{}.html", file.strip_suffix(".md").unwrap_or(file))
    }
}

/// Gives every folder a section page, links parents and children, orders
/// children, and returns the home page.
fn link_tree(config: &Config, pages: &mut Vec<Page>) -> PageId {
    // folder → its section page
    let mut sections: BTreeMap<String, PageId> = BTreeMap::new();
    for page in pages.iter() {
        if page.is_section {
            let dir = parent_dir(&page.rel).to_string();
            match sections.get(&dir) {
                Some(&other) if rank(&pages[other].rel) <= rank(&page.rel) => {}
                _ => {
                    sections.insert(dir, page.id);
                }
            }
        }
    }
    // A second section file in the same folder (README.md beside _index.md) is an ordinary page.
    for page in pages.iter_mut() {
        if page.is_section && sections.get(parent_dir(&page.rel)) != Some(&page.id) {
            page.is_section = false;
            let (dir, file) = page.rel.rsplit_once('/').unwrap_or(("", &page.rel));
            page.url = page_url(dir, file, false);
        }
    }
    // Every ancestor folder of a page needs a section page.
    let mut needed: Vec<String> = vec![String::new()];
    for page in pages.iter() {
        let mut dir = parent_dir(&page.rel);
        if page.is_section {
            dir = parent_dir(dir.trim_end_matches('/'));
            if page.rel.rsplit_once('/').is_none() {
                continue;
            }
        }
        loop {
            needed.push(dir.to_string());
            if dir.is_empty() {
                break;
            }
            dir = parent_dir(dir);
        }
    }
    needed.sort();
    needed.dedup();
    for dir in needed {
        if sections.contains_key(&dir) {
            continue;
        }
        let id = pages.len();
        let rel = if dir.is_empty() {
            String::new()
        } else {
            format!("{dir}/")
        };
        let url = if dir.is_empty() {
            "index.html".to_string()
        } else {
            format!("{dir}/index.html")
        };
        let mut page = made_up_section(config, &rel, url);
        page.id = id;
        pages.push(page);
        sections.insert(dir, id);
    }
    let home = sections[""];
    for id in 0..pages.len() {
        if id == home {
            continue;
        }
        let rel = pages[id].rel.clone();
        let dir = if pages[id].is_section {
            let own = section_dir(&rel);
            parent_dir(own).to_string()
        } else {
            parent_dir(&rel).to_string()
        };
        let parent = sections[&dir];
        pages[id].parent = Some(parent);
        pages[parent].children.push(id);
    }
    // (An MkDocs project is listed again as MkDocs lists it: `mkdocs::arrange`.)
    for id in 0..pages.len() {
        let mut children = std::mem::take(&mut pages[id].children);
        children.sort_by_cached_key(|&c| order_key(&pages[c]));
        pages[id].children = children;
    }
    home
}

/// Weighted pages first by weight, then the rest by title.
fn order_key(p: &Page) -> (bool, i64, String) {
    match p.front_matter.weight {
        Some(w) if w != 0 => (false, w, p.title.to_lowercase()),
        _ => (true, 0, p.title.to_lowercase()),
    }
}

fn rank(rel: &str) -> usize {
    let file = rel.rsplit('/').next().unwrap_or(rel);
    SECTION_FILES.iter().position(|s| *s == file).unwrap_or(9)
}

/// The folder a section page stands for: `a/b/_index.md` → `a/b`, `a/b/` → `a/b`.
fn section_dir(rel: &str) -> &str {
    if let Some(d) = rel.strip_suffix('/') {
        return d;
    }
    parent_dir(rel)
}

/// `a/b/c.md` → `a/b`, `c.md` → ``, `a/b/` → `a/b`.
fn parent_dir(rel: &str) -> &str {
    if let Some(d) = rel.strip_suffix('/') {
        return match d.rsplit_once('/') {
            Some((p, _)) => p,
            None => "",
        };
    }
    rel.rsplit_once('/').map(|(d, _)| d).unwrap_or("")
}
