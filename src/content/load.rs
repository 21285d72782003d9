//! Loading a folder tree or a Hugo `content/` tree: every Markdown file is a
//! page, `_index.md` / `index.md` / `README.md` is its folder's section page,
//! and folders without one get a made-up section page listing their children.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use rayon::prelude::*;

use super::Loaded;
use super::frontmatter::{self, FrontMatter};
use super::page::{NavItem, Page, PageId, SECTION_FILES, make_page};
use crate::config::Config;
use crate::error::{Error, Result};

pub(super) fn load_tree(config: &Config) -> Result<Loaded> {
    let files = content_files(config)?;
    let mut pages: Vec<Page> = files
        .par_iter()
        .map(|(path, rel)| read_page(config, path, rel))
        .collect::<Result<Vec<Option<Page>>>>()?
        .into_iter()
        .flatten()
        .collect();
    for (i, page) in pages.iter_mut().enumerate() {
        page.id = i;
    }
    let home = link_tree(config, &mut pages);
    let nav = pages[home].children.iter().map(|&c| NavItem::Page(c)).collect();
    Ok(Loaded {
        pages,
        nav,
        home,
        warnings: Vec::new(),
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
    for start in starts {
        if !start.is_dir() {
            return Err(Error::Config {
                path: config
                    .file
                    .clone()
                    .unwrap_or_else(|| config.root.join("vigie.toml")),
                line: 1,
                message: format!("content folder {} does not exist", start.display()),
            });
        }
        let walker = walkdir::WalkDir::new(&start)
            .sort_by_file_name()
            .into_iter()
            .filter_entry(|e| !skipped(config, e.path(), e.depth() == 0));
        for entry in walker {
            let entry = entry.map_err(|e| {
                let path = e.path().map(Path::to_path_buf).unwrap_or_else(|| start.clone());
                Error::Read {
                    path,
                    source: e.into(),
                }
            })?;
            let path = entry.path();
            if !entry.file_type().is_file() || path.extension().is_none_or(|x| x != "md") {
                continue;
            }
            let rel = path
                .strip_prefix(base)
                .unwrap_or(path)
                .to_string_lossy()
                .replace('\\', "/");
            let from_root = config.display_path(path);
            if config.exclude.is_match(&from_root) || config.exclude.is_match(&rel) {
                continue;
            }
            out.push((path.to_path_buf(), rel));
        }
    }
    Ok(out)
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

fn read_page(config: &Config, path: &Path, rel: &str) -> Result<Option<Page>> {
    let text = crate::confine::read_text_limited(path, crate::confine::PAGE_LIMIT, "page")?;
    let split = frontmatter::split(&display(config, path), &text)?;
    if split.front_matter.draft {
        return Ok(None);
    }
    let (dir, file) = rel.rsplit_once('/').unwrap_or(("", rel));
    let is_section = SECTION_FILES.contains(&file);
    Ok(Some(make_page(
        config,
        Some(path.to_path_buf()),
        rel,
        page_url(dir, file, is_section),
        split.front_matter,
        split.body.to_string(),
        split.body_line,
        is_section,
    )))
}

/// Path shown in messages: relative to the knowledge-base root.
fn display(config: &Config, path: &Path) -> PathBuf {
    PathBuf::from(config.display_path(path))
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
        let mut page = make_page(
            config,
            None,
            &rel,
            url,
            FrontMatter::default(),
            String::new(),
            1,
            true,
        );
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
    for id in 0..pages.len() {
        let mut children = std::mem::take(&mut pages[id].children);
        children.sort_by(|&a, &b| order_key(&pages[a]).cmp(&order_key(&pages[b])));
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
