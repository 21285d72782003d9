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
use mdbook_summary::SummaryItem;

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

    let src_dir = root.join(&md_config.book.src);
    let summary_md = src_dir.join("SUMMARY.md");
    let summary_text = std::fs::read_to_string(&summary_md).ok();
    let summary = summary_text
        .as_deref()
        .and_then(|t| mdbook_summary::parse_summary(t).ok());
    if let (Some(text), Some(summary)) = (&summary_text, &summary) {
        check_summary(root, &src_dir, text, summary)?;
    }
    // The chapters are read in parallel; when something is wrong (a missing
    // chapter, a SUMMARY.md that does not parse), mdBook's own loader runs
    // to say it in its words.
    let mut items = match summary.as_ref().and_then(|s| read_book(&src_dir, s)) {
        Some(items) => items,
        None => {
            MDBook::load_with_config(root, md_config.clone())
                .map_err(|e| Error::Book {
                    path: summary_md.clone(),
                    message: format!("{e:#}. Check that every chapter listed in SUMMARY.md exists."),
                })?
                .book
                .items
        }
    };

    // Every chapter's text is taken out of the tree (moved, not copied: on a
    // large book it is most of the memory) and made into a page in parallel:
    // includes, front matter, title, language. Then the tree is walked in
    // order to number and link the pages.
    let mut texts = Vec::new();
    for item in items.iter_mut() {
        if let BookItem::Chapter(ch) = item {
            take_texts(ch, &mut texts);
        }
    }
    let made: Vec<Made> = texts
        .into_par_iter()
        .map_init(
            || PreprocessorContext::new(root.clone(), md_config.clone(), "html".into()),
            |ctx, text| chapter_page(config, &src_dir, ctx, text),
        )
        .collect();
    let mut warnings = Vec::new();
    let mut front_matter_warnings = Vec::new();
    let mut included = Vec::new();
    let mut pages_made = Vec::with_capacity(made.len());
    for m in made {
        warnings.extend(m.include_warnings);
        front_matter_warnings.extend(m.page_warnings);
        included.extend(m.included);
        pages_made.push(m.page);
    }
    warnings.extend(front_matter_warnings);
    let mut made = pages_made.into_iter();
    let mut pages: Vec<Page> = Vec::new();
    let mut nav = Vec::new();
    for item in &items {
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
    Ok(Loaded {
        pages,
        nav,
        home,
        warnings,
        included,
    })
}

/// The book's items as mdBook's loader makes them from `summary`, the
/// chapters read in parallel; `None` when one cannot be read (or SUMMARY.md
/// holds what this loader does not know), for mdBook to say what is wrong.
fn read_book(src_dir: &Path, summary: &mdbook_summary::Summary) -> Option<Vec<BookItem>> {
    let top: Vec<&SummaryItem> = summary
        .prefix_chapters
        .iter()
        .chain(&summary.numbered_chapters)
        .chain(&summary.suffix_chapters)
        .collect();
    let mut files = Vec::new();
    let mut stack: Vec<&SummaryItem> = top.iter().rev().copied().collect();
    while let Some(item) = stack.pop() {
        match item {
            SummaryItem::Link(link) => {
                files.extend(link.location.as_ref().map(|l| src_dir.join(l)));
                stack.extend(link.nested_items.iter().rev());
            }
            SummaryItem::Separator | SummaryItem::PartTitle(_) => {}
            _ => return None,
        }
    }
    let texts: Vec<String> = files
        .par_iter()
        .map(|f| {
            let mut content = std::fs::read_to_string(f).ok()?;
            if content.starts_with('\u{feff}') {
                content.replace_range(..3, "");
            }
            Some(content)
        })
        .collect::<Option<_>>()?;
    let mut texts = files.into_iter().zip(texts);
    top.into_iter()
        .map(|item| book_item(item, src_dir, &[], &mut texts))
        .collect()
}

/// What mdBook's loader makes of one SUMMARY.md item, the texts of its
/// chapters taken from `texts` (read in depth-first order).
fn book_item(
    item: &SummaryItem,
    src_dir: &Path,
    parent_names: &[String],
    texts: &mut impl Iterator<Item = (PathBuf, String)>,
) -> Option<BookItem> {
    let link = match item {
        SummaryItem::Link(link) => link,
        SummaryItem::Separator => return Some(BookItem::Separator),
        SummaryItem::PartTitle(t) => return Some(BookItem::PartTitle(t.clone())),
        _ => return None,
    };
    let mut ch = match &link.location {
        Some(_) => {
            let (file, content) = texts.next()?;
            let path = file.strip_prefix(src_dir).ok()?.to_path_buf();
            Chapter::new(&link.name, content, path, parent_names.to_vec())
        }
        None => Chapter::new_draft(&link.name, parent_names.to_vec()),
    };
    ch.number = link.number.clone();
    let mut names = parent_names.to_vec();
    names.push(link.name.clone());
    ch.sub_items = link
        .nested_items
        .iter()
        .map(|i| book_item(i, src_dir, &names, texts))
        .collect::<Option<_>>()?;
    Some(BookItem::Chapter(ch))
}

/// What [`chapter_page`] needs of a chapter, its text moved out of the tree.
struct ChapterText {
    name: String,
    path: Option<PathBuf>,
    number: Option<String>,
    content: String,
    has_sub_chapters: bool,
}

/// Takes the text of `ch` and of the chapters under it, depth first (the
/// order of SUMMARY.md).
fn take_texts(ch: &mut Chapter, out: &mut Vec<ChapterText>) {
    out.push(ChapterText {
        name: ch.name.clone(),
        path: ch.path.clone(),
        number: ch.number.as_ref().map(|n| n.to_string()),
        content: std::mem::take(&mut ch.content),
        has_sub_chapters: !ch.sub_items.is_empty(),
    });
    for sub in ch.sub_items.iter_mut() {
        if let BookItem::Chapter(c) = sub {
            take_texts(c, out);
        }
    }
}

/// One chapter made into a page, with what its include directives gave.
struct Made {
    /// `None` for a draft (no file, or `draft: true`).
    page: Result<Option<Page>>,
    /// What its front matter says that looks wrong (kept for a draft too).
    page_warnings: Vec<Finding>,
    include_warnings: Vec<Finding>,
    included: Vec<PathBuf>,
}
/// The page of one chapter, after its include directives are checked and
/// expanded by mdBook's link preprocessor.
fn chapter_page(config: &Config, src_dir: &Path, ctx: &PreprocessorContext, text: ChapterText) -> Made {
    let ChapterText {
        name,
        path,
        number,
        mut content,
        has_sub_chapters,
    } = text;
    let mut made = Made {
        page: Ok(None),
        page_warnings: Vec::new(),
        include_warnings: Vec::new(),
        included: Vec::new(),
    };
    let Some(path) = path else {
        return made;
    };
    let source = src_dir.join(&path);
    // Every directive starts with `{{` (mdBook allows spaces before `#`):
    // a chapter without one is left as it is, without a copy.
    if content.contains("{{") {
        check_includes(
            config,
            &source,
            &mut content,
            &mut made.include_warnings,
            &mut made.included,
        );
        match preprocess(ctx, &name, &path, content) {
            Ok(expanded) => content = expanded,
            Err(e) => {
                made.page = Err(e);
                return made;
            }
        }
    }
    let rel = path.to_string_lossy().replace('\\', "/");
    let shown = PathBuf::from(config.display_path(&source));
    let split = match frontmatter::split(&shown, &content, frontmatter::Invalid::Error) {
        Ok(split) => split,
        Err(e) => {
            made.page = Err(e);
            return made;
        }
    };
    made.page_warnings = split.warnings;
    let front_matter = split.front_matter;
    if front_matter.draft {
        return made;
    }
    let (body_line, body_len) = (split.body_line, split.body.len());
    let body = frontmatter::into_body(content, body_len);
    let url = chapter_url(&rel);
    let titled = front_matter.title.is_some();
    let mut page = make_page(
        config,
        Some(source),
        &rel,
        url,
        front_matter,
        body,
        body_line,
        has_sub_chapters,
    );
    if !titled {
        page.title = if name.trim().is_empty() {
            humanise(&rel)
        } else {
            name
        };
        page.title_in_body = super::leading_h1(&page.body).is_some_and(|h| h == page.title);
    }
    page.number = number;
    made.page = Ok(Some(page));
    made
}

/// The text of chapter `name` (file `path`, relative to the book's source
/// folder) after mdBook's link preprocessor: `{{#include}}`,
/// `{{#playground}}`, `{{#title}}`, escaped `\{{#…}}`.
fn preprocess(ctx: &PreprocessorContext, name: &str, path: &Path, content: String) -> Result<String> {
    let chapter = Chapter::new(name, content, path, Vec::new());
    let book = mdbook_driver::book::Book::new_with_items(vec![BookItem::Chapter(chapter)]);
    let book = LinkPreprocessor::new().run(ctx, book).map_err(|e| Error::Book {
        path: ctx.root.join(&ctx.config.book.src),
        message: format!("{e:#}"),
    })?;
    match book.items.into_iter().next() {
        Some(BookItem::Chapter(ch)) => Ok(ch.content),
        _ => Ok(String::new()),
    }
}

/// Places the page made for `ch` (the next of `made`, in [`take_texts`]' order)
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

/// Every chapter SUMMARY.md lists stays inside the book (mdBook's loader
/// assumes it and stops the process otherwise): an absolute path, a path
/// climbing out or a symbolic link leading out is an error naming the line.
fn check_summary(root: &Path, src_dir: &Path, text: &str, summary: &mdbook_summary::Summary) -> Result<()> {
    let mut links = Vec::new();
    let mut stack: Vec<&SummaryItem> = summary
        .prefix_chapters
        .iter()
        .chain(&summary.numbered_chapters)
        .chain(&summary.suffix_chapters)
        .collect();
    while let Some(item) = stack.pop() {
        let SummaryItem::Link(link) = item else {
            continue;
        };
        stack.extend(&link.nested_items);
        if let Some(location) = &link.location {
            links.push((link, location));
        }
    }
    let base = src_dir.canonicalize().unwrap_or_else(|_| src_dir.to_path_buf());
    let climbs = |location: &Path| {
        location.is_absolute()
            || location.components().any(|c| {
                matches!(
                    c,
                    std::path::Component::ParentDir | std::path::Component::Prefix(_)
                )
            })
    };
    // Where each chapter really is: a book has many chapters in a few
    // folders, so each folder is resolved once, and a chapter's own file
    // only when it is a symbolic link.
    let folders: std::collections::BTreeSet<&Path> = links
        .iter()
        .filter(|(_, location)| !climbs(location))
        .filter_map(|(_, location)| location.parent())
        .collect();
    let real_folders: std::collections::HashMap<&Path, Option<PathBuf>> = folders
        .into_par_iter()
        .map(|f| (f, src_dir.join(f).canonicalize().ok()))
        .collect();
    let real_root = root.canonicalize().unwrap_or_else(|_| root.to_path_buf());
    let reach = |location: &Path| {
        let file = src_dir.join(location);
        // `a/.` or `a/`: the last name is not the file's own.
        let plain = !location.to_string_lossy().ends_with(['.', '/']);
        let real = match std::fs::symlink_metadata(&file) {
            Err(_) => None,
            Ok(m) if m.file_type().is_symlink() || !plain => file.canonicalize().ok(),
            Ok(_) => match (location.parent(), location.file_name()) {
                (Some(folder), Some(name)) => {
                    real_folders.get(folder).cloned().flatten().map(|f| f.join(name))
                }
                _ => file.canonicalize().ok(),
            },
        };
        match real {
            Some(real) if real.starts_with(&real_root) => crate::confine::Reach::Inside(real),
            Some(real) => crate::confine::Reach::Outside(real),
            None => crate::confine::Reach::Missing,
        }
    };
    // In parallel: the first chapter out, in the order above, is the one reported.
    let out = links.par_iter().position_first(|(_, location)| {
        climbs(location)
            || match reach(location) {
                crate::confine::Reach::Inside(real) => !real.starts_with(&base),
                crate::confine::Reach::Outside(_) => true,
                crate::confine::Reach::Missing => false,
            }
    });
    let Some((link, location)) = out.map(|i| links[i]) else {
        return Ok(());
    };
    let shown = location.display().to_string();
    let line = text
        .find(&format!("]({shown}"))
        .map(|i| crate::config::line_of(text, i))
        .unwrap_or(1);
    Err(Error::input(
        src_dir.join("SUMMARY.md"),
        line,
        format!(
            "chapter `{}` points outside the book (`{shown}`): chapters must be files under `{}`",
            link.name,
            src_dir.strip_prefix(root).unwrap_or(src_dir).display()
        ),
    ))
}

/// Checks the `{{#include}}`-style directives of a chapter (file `file`). A
/// directive whose file (or anything that file includes) lies outside the
/// book root is refused: it is escaped so mdBook writes it out as text, and
/// reported. A missing file is reported too (mdBook leaves the directive as
/// text).
fn check_includes(
    config: &Config,
    file: &Path,
    content: &mut String,
    warnings: &mut Vec<Finding>,
    included: &mut Vec<PathBuf>,
) {
    let mut refused = Vec::new();
    for d in directives(content) {
        let shown = config.display_path(file);
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
        match follow(config, file, &d, 0, included) {
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
        content.insert(at, '\\');
    }
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

#[cfg(test)]
mod tests {
    use super::*;

    /// A book in a temporary folder: `book.toml` and the files of `src/`.
    fn book(files: &[(&str, &str)]) -> tempfile::TempDir {
        let dir = tempfile::tempdir().expect("temp dir");
        std::fs::write(dir.path().join("book.toml"), "[book]\ntitle = \"t\"\n").expect("book.toml");
        for (name, text) in files {
            let path = dir.path().join("src").join(name);
            std::fs::create_dir_all(path.parent().expect("a folder")).expect("folders");
            std::fs::write(path, text).expect("a file");
        }
        dir
    }

    /// The items mdBook's own loader makes of the book at `root`.
    fn mdbook_items(root: &Path) -> Vec<BookItem> {
        let mut config = mdbook_driver::config::Config::default();
        config.build.create_missing = false;
        MDBook::load_with_config(root, config)
            .expect("mdBook loads it")
            .book
            .items
    }

    fn read(root: &Path) -> Option<Vec<BookItem>> {
        let src = root.join("src");
        let text = std::fs::read_to_string(src.join("SUMMARY.md")).expect("SUMMARY.md");
        read_book(&src, &mdbook_summary::parse_summary(&text).expect("a summary"))
    }

    #[test]
    fn chapters_are_read_as_mdbook_reads_them() {
        let odd = book(&[
            (
                "SUMMARY.md",
                "# Title\n\n[Before](before.md)\n\n# Part\n\n- [One](./a/one.md)\n    - [Nested](a/b/nested.md)\n    - [Draft]()\n        - [Under a draft](a/under.md)\n\n---\n\n- [Two](two.md)\n\n[After](after.md)\n",
            ),
            ("before.md", "\u{feff}# Before\n"),
            ("a/one.md", "---\ntitle: One\n---\n# One\n"),
            ("a/b/nested.md", "text {{#include ../one.md}}\n"),
            ("a/under.md", ""),
            ("two.md", "two"),
            ("after.md", "after"),
        ]);
        let fixtures = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures");
        for root in [
            odd.path().to_path_buf(),
            fixtures.join("mdbook-book"),
            fixtures.join("links-mdbook"),
        ] {
            let items = read(&root).expect("every chapter is there");
            assert_eq!(items, mdbook_items(&root), "{}", root.display());
        }
    }

    #[test]
    fn a_missing_chapter_is_said_by_mdbook() {
        let dir = book(&[
            ("SUMMARY.md", "- [Here](here.md)\n- [Gone](gone.md)\n"),
            ("here.md", "# Here\n"),
        ]);
        assert_eq!(read(dir.path()), None);
        let config = Config::load(dir.path()).expect("config");
        let err = crate::content::Site::load(config)
            .expect_err("a chapter is missing")
            .to_string();
        assert!(err.contains("SUMMARY.md"), "{err}");
        assert!(err.contains("failed to read chapter `gone.md`"), "{err}");
        assert!(
            err.contains("Check that every chapter listed in SUMMARY.md exists"),
            "{err}"
        );
    }

    #[test]
    fn directives_are_expanded_and_other_chapters_kept_as_written() {
        let dir = book(&[
            (
                "SUMMARY.md",
                "- [Plain](plain.md)\n- [Includes](includes.md)\n- [Escaped](escaped.md)\n",
            ),
            ("plain.md", "# Plain\n\nNo directive { here }.\n"),
            ("includes.md", "# Includes\n\n{{ #include part.txt }}\n"),
            ("escaped.md", "# Escaped\n\n\\{{#include part.txt}}\n"),
            ("part.txt", "included text\n"),
        ]);
        let config = Config::load(dir.path()).expect("config");
        let site = crate::content::Site::load(config).expect("site");
        let body = |rel: &str| site.page(site.by_rel(rel).expect(rel)).body.clone();
        assert_eq!(body("plain.md"), "# Plain\n\nNo directive { here }.\n");
        assert_eq!(body("includes.md"), "# Includes\n\nincluded text\n");
        assert_eq!(body("escaped.md"), "# Escaped\n\n{{#include part.txt}}\n");
        let real = dir.path().join("src/part.txt").canonicalize().expect("part.txt");
        assert!(site.included.contains(&real), "{:?}", site.included);
    }
}
