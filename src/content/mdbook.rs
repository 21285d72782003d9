//! Loading an mdBook book through the `mdbook` crates: SUMMARY order, parts,
//! nesting, numbering, draft chapters and `{{#include}}`.
//!
//! Three safety rules: missing chapters are never created in the user's book
//! (`create-missing` forced off), a `book.toml` preprocessor `command` is never
//! run (only the built-in include preprocessor is), and an include that points
//! outside the book root is an error.

use std::path::{Path, PathBuf};

use rayon::prelude::*;

use mdbook_driver::MDBook;
use mdbook_driver::book::{BookItem, Chapter};
use mdbook_driver::builtin_preprocessors::LinkPreprocessor;
use mdbook_preprocessor::{Preprocessor, PreprocessorContext};

use super::frontmatter::{self, FrontMatter};
use super::page::{NavItem, Page, PageId, make_page};
use super::{Loaded, humanise};
use crate::config::Config;
use crate::error::{Error, Result};
use crate::report::{Finding, Severity};

pub(super) fn load(config: &Config) -> Result<Loaded> {
    let root = &config.root;
    let book_toml = root.join("book.toml");
    let text = std::fs::read_to_string(&book_toml).map_err(|e| Error::read(&book_toml, e))?;
    let mut table: toml::Table = toml::from_str(&text).map_err(|e| Error::Config {
        path: book_toml.clone(),
        line: crate::error::toml_line(&text, &e),
        message: e.message().to_string(),
    })?;
    // Preprocessors and renderers are someone else's code: drop them before mdBook sees them.
    table.remove("preprocessor");
    table.remove("output");
    let safe = toml::to_string(&table).map_err(|e| Error::Book {
        path: book_toml.clone(),
        message: e.to_string(),
    })?;
    let mut md_config: mdbook_driver::config::Config = safe.parse().map_err(|e| Error::Book {
        path: book_toml.clone(),
        message: format!("{e:#}"),
    })?;
    md_config.build.create_missing = false;
    md_config.build.use_default_preprocessors = false;

    check_summary(root, &root.join(&md_config.book.src))?;
    let book = MDBook::load_with_config(root, md_config.clone()).map_err(|e| Error::Book {
        path: root.join(&md_config.book.src).join("SUMMARY.md"),
        message: format!("{e:#}. Check that every chapter listed in SUMMARY.md exists."),
    })?;
    let src_dir = root.join(&md_config.book.src);

    let mut warnings = Vec::new();
    let mut included = Vec::new();
    // The book is moved, not copied: on a large book its text is most of the memory.
    let mut expanded = book.book;
    for item in expanded.items.iter_mut() {
        check_includes(config, &src_dir, item, &mut warnings, &mut included)?;
    }
    let ctx = PreprocessorContext::new(root.clone(), md_config.clone(), "html".into());
    let expanded = LinkPreprocessor::new()
        .run(&ctx, expanded)
        .map_err(|e| Error::Book {
            path: src_dir.clone(),
            message: format!("{e:#}"),
        })?;

    // Every chapter's page is made in parallel (front matter, title,
    // language); then the tree is walked in order to number and link them.
    let mut chapters = Vec::new();
    for item in &expanded.items {
        if let BookItem::Chapter(ch) = item {
            flatten(ch, &mut chapters);
        }
    }
    let front_matter_warnings = std::sync::Mutex::new(Vec::new());
    let made: Vec<Result<Option<Page>>> = chapters
        .par_iter()
        .map(|ch| chapter_page(config, &src_dir, ch, &front_matter_warnings))
        .collect();
    let mut made = made.into_iter();
    let mut pages: Vec<Page> = Vec::new();
    let mut nav = Vec::new();
    for item in &expanded.items {
        match item {
            BookItem::Chapter(ch) => {
                if let Some(id) = add_chapter(ch, None, &mut made, &mut pages)? {
                    nav.push(NavItem::Page(id));
                }
            }
            BookItem::PartTitle(t) => nav.push(NavItem::Part(t.clone())),
            BookItem::Separator => {}
        }
    }
    let home = match pages.iter().position(|p| p.url == "index.html") {
        Some(h) => h,
        None => {
            let id = pages.len();
            let mut page = make_page(
                config,
                None,
                "",
                "index.html".into(),
                FrontMatter::default(),
                String::new(),
                1,
                true,
            );
            page.id = id;
            page.title = config.title.clone();
            page.children = nav
                .iter()
                .filter_map(|n| match n {
                    NavItem::Page(p) => Some(*p),
                    NavItem::Part(_) => None,
                })
                .collect();
            pages.push(page);
            id
        }
    };
    warnings.extend(
        front_matter_warnings
            .into_inner()
            .unwrap_or_else(|p| p.into_inner()),
    );
    Ok(Loaded {
        pages,
        nav,
        home,
        warnings,
        included,
    })
}

/// `ch` and the chapters under it, depth first (the order of SUMMARY.md).
fn flatten<'c>(ch: &'c Chapter, out: &mut Vec<&'c Chapter>) {
    out.push(ch);
    for sub in &ch.sub_items {
        if let BookItem::Chapter(c) = sub {
            flatten(c, out);
        }
    }
}

/// The page of one chapter; `None` for a draft (no file, or `draft: true`).
fn chapter_page(
    config: &Config,
    src_dir: &Path,
    ch: &Chapter,
    warnings: &std::sync::Mutex<Vec<Finding>>,
) -> Result<Option<Page>> {
    let Some(path) = ch.path.as_ref() else {
        return Ok(None);
    };
    let rel = path.to_string_lossy().replace('\\', "/");
    let source = src_dir.join(path);
    let shown = PathBuf::from(config.display_path(&source));
    let split = frontmatter::split(&shown, &ch.content, frontmatter::Invalid::Error)?;
    if !split.warnings.is_empty() {
        warnings
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .extend(split.warnings.iter().cloned());
    }
    if split.front_matter.draft {
        return Ok(None);
    }
    let url = chapter_url(&rel);
    let mut page = make_page(
        config,
        Some(source),
        &rel,
        url,
        split.front_matter.clone(),
        split.body.to_string(),
        split.body_line,
        !ch.sub_items.is_empty(),
    );
    if split.front_matter.title.is_none() {
        page.title = if ch.name.trim().is_empty() {
            humanise(&rel)
        } else {
            ch.name.clone()
        };
        page.title_in_body = super::leading_h1(&page.body).is_some_and(|h| h == page.title);
    }
    page.number = ch.number.as_ref().map(|n| n.to_string());
    Ok(Some(page))
}

/// Places the page made for `ch` (the next of `made`, in [`flatten`]'s order)
/// and those of its sub-chapters. A draft's sub-chapters are left out with it
/// (their errors too, as when they are not read at all).
fn add_chapter(
    ch: &Chapter,
    parent: Option<PageId>,
    made: &mut impl Iterator<Item = Result<Option<Page>>>,
    pages: &mut Vec<Page>,
) -> Result<Option<PageId>> {
    let Some(mut page) = made.next().transpose()?.flatten() else {
        skip(ch, made);
        return Ok(None);
    };
    let id = pages.len();
    page.id = id;
    page.parent = parent;
    pages.push(page);
    for sub in &ch.sub_items {
        if let BookItem::Chapter(c) = sub
            && let Some(child) = add_chapter(c, Some(id), made, pages)?
        {
            pages[id].children.push(child);
        }
    }
    Ok(Some(id))
}

/// Passes over the pages made for the sub-chapters of `ch`.
fn skip(ch: &Chapter, made: &mut impl Iterator<Item = Result<Option<Page>>>) {
    for sub in &ch.sub_items {
        if let BookItem::Chapter(c) = sub {
            made.next();
            skip(c, made);
        }
    }
}

/// mdBook's own mapping: `x.md` → `x.html`, any `README.md` → `index.html`.
fn chapter_url(rel: &str) -> String {
    let (dir, file) = rel
        .rsplit_once('/')
        .map(|(d, f)| (format!("{d}/"), f))
        .unwrap_or((String::new(), rel));
    let stem = file.strip_suffix(".md").unwrap_or(file);
    if stem.eq_ignore_ascii_case("readme") {
        format!("{dir}index.html")
    } else {
        format!("{dir}{stem}.html")
    }
}

/// Walks a chapter for `{{#include}}`-style directives. A directive whose file
/// (or anything that file includes) lies outside the book root is refused: it
/// is escaped so mdBook writes it out as text, and reported. A missing file is
/// reported too (mdBook leaves the directive as text).
/// Every chapter SUMMARY.md lists stays inside the book (mdBook's loader
/// assumes it and stops the process otherwise): an absolute path, a path
/// climbing out or a symbolic link leading out is an error naming the line.
fn check_summary(root: &Path, src_dir: &Path) -> Result<()> {
    let path = src_dir.join("SUMMARY.md");
    let Ok(text) = std::fs::read_to_string(&path) else {
        return Ok(()); // mdBook says what is missing
    };
    let Ok(summary) = mdbook_summary::parse_summary(&text) else {
        return Ok(()); // mdBook reports its own parse errors
    };
    let mut stack: Vec<&mdbook_summary::SummaryItem> = summary
        .prefix_chapters
        .iter()
        .chain(&summary.numbered_chapters)
        .chain(&summary.suffix_chapters)
        .collect();
    let base = src_dir.canonicalize().unwrap_or_else(|_| src_dir.to_path_buf());
    while let Some(item) = stack.pop() {
        let mdbook_summary::SummaryItem::Link(link) = item else {
            continue;
        };
        stack.extend(&link.nested_items);
        let Some(location) = &link.location else {
            continue;
        };
        let climbs = location.is_absolute()
            || location.components().any(|c| {
                matches!(
                    c,
                    std::path::Component::ParentDir | std::path::Component::Prefix(_)
                )
            });
        let leaves = match crate::confine::reach(root, &src_dir.join(location)) {
            crate::confine::Reach::Inside(real) => !real.starts_with(&base),
            crate::confine::Reach::Outside(_) => true,
            crate::confine::Reach::Missing => false,
        };
        if climbs || leaves {
            let shown = location.display().to_string();
            let line = text
                .find(&format!("]({shown}"))
                .map(|i| crate::config::line_of(&text, i))
                .unwrap_or(1);
            return Err(Error::input(
                path,
                line,
                format!(
                    "chapter `{}` points outside the book (`{shown}`): chapters must be files under `{}`",
                    link.name,
                    src_dir.strip_prefix(root).unwrap_or(src_dir).display()
                ),
            ));
        }
    }
    Ok(())
}

fn check_includes(
    config: &Config,
    src_dir: &Path,
    item: &mut BookItem,
    warnings: &mut Vec<Finding>,
    included: &mut Vec<PathBuf>,
) -> Result<()> {
    let BookItem::Chapter(ch) = item else {
        return Ok(());
    };
    if let Some(path) = &ch.path {
        let file = src_dir.join(path);
        let mut refused = Vec::new();
        for d in directives(&ch.content) {
            let shown = config.display_path(&file);
            let finding = |rule: &str, message: String| Finding {
                rule: rule.into(),
                severity: Severity::Warning,
                page: shown.clone(),
                line: d.line,
                col: None,
                target: Some(d.target.clone()),
                message,
                suggestion: None,
            };
            match follow(config, &file, &d, 0, included) {
                Ok(()) => {}
                Err(Problem::Missing(what)) => warnings.push(finding(
                    "include-missing",
                    format!(
                        "`{{{{#{} {}}}}}`: {what} does not exist; the directive is left as text",
                        d.kind, d.target
                    ),
                )),
                Err(Problem::Outside(what)) => {
                    warnings.push(finding(
                        "include-outside-root",
                        format!(
                            "`{{{{#{} {}}}}}`: {what} is outside the book root; not included (copy the file into the book)",
                            d.kind, d.target
                        ),
                    ));
                    refused.push(d.start);
                }
                Err(Problem::TooLarge(what)) => {
                    warnings.push(finding(
                        "include-too-large",
                        format!(
                            "`{{{{#{} {}}}}}`: {what} is over {} MB; not included",
                            d.kind,
                            d.target,
                            INCLUDE_LIMIT / 1024 / 1024
                        ),
                    ));
                    refused.push(d.start);
                }
            }
        }
        for at in refused.into_iter().rev() {
            ch.content.insert(at, '\\');
        }
    }
    for sub in ch.sub_items.iter_mut() {
        check_includes(config, src_dir, sub, warnings, included)?;
    }
    Ok(())
}

struct Directive {
    start: usize,
    line: usize,
    kind: String,
    target: String,
}

enum Problem {
    Missing(String),
    Outside(String),
    /// Over [`INCLUDE_LIMIT`] bytes.
    TooLarge(String),
}

/// The largest file a directive includes (a page itself may hold 64 MB).
const INCLUDE_LIMIT: u64 = 16 * 1024 * 1024;

fn directives(text: &str) -> Vec<Directive> {
    static RE: std::sync::OnceLock<regex::Regex> = std::sync::OnceLock::new();
    let re = RE.get_or_init(|| {
        regex::Regex::new(r"(\\?)\{\{\s*#(include|rustdoc_include|playground)\s+([^\s}]+)").unwrap()
    });
    re.captures_iter(text)
        .filter(|c| c[1].is_empty())
        .map(|c| {
            let start = c.get(0).map(|m| m.start()).unwrap_or(0);
            Directive {
                start,
                line: crate::config::line_of(text, start),
                kind: c[2].to_string(),
                target: c[3].split(':').next().unwrap_or("").to_string(),
            }
        })
        .collect()
}

/// Follows one directive of `file`, and the includes of the included file.
/// Follows include directive `d` of `file` (and those of the file it names),
/// noting every file pulled in.
fn follow(
    config: &Config,
    file: &Path,
    d: &Directive,
    depth: usize,
    included: &mut Vec<PathBuf>,
) -> std::result::Result<(), Problem> {
    let dir = file.parent().unwrap_or(Path::new("."));
    let joined = normalise(&dir.join(&d.target));
    let resolved = joined.canonicalize().unwrap_or(joined);
    let shown = config.display_path(&resolved);
    if !resolved.starts_with(&config.root) {
        return Err(Problem::Outside(shown));
    }
    let size = std::fs::metadata(&resolved)
        .map_err(|_| Problem::Missing(shown.clone()))?
        .len();
    if size > INCLUDE_LIMIT {
        return Err(Problem::TooLarge(shown));
    }
    let text = std::fs::read_to_string(&resolved).map_err(|_| Problem::Missing(shown))?;
    included.push(resolved.clone());
    if depth < 10 && d.kind == "include" {
        for inner in directives(&text) {
            if let Err(p @ (Problem::Outside(_) | Problem::TooLarge(_))) =
                follow(config, &resolved, &inner, depth + 1, included)
            {
                return Err(p);
            }
        }
    }
    Ok(())
}

/// Resolves `.` and `..` without touching the disk (the file may not exist).
fn normalise(p: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for c in p.components() {
        match c {
            std::path::Component::ParentDir => {
                out.pop();
            }
            std::path::Component::CurDir => {}
            other => out.push(other),
        }
    }
    out
}
