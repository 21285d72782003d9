//! Loading an mdBook book through the `mdbook` crates: SUMMARY order, parts,
//! nesting, numbering, draft chapters and `{{#include}}`.
//!
//! Three safety rules: missing chapters are never created in the user's book
//! (`create-missing` forced off), a `book.toml` preprocessor `command` is never
//! run (only the built-in include preprocessor is), and neither a chapter nor
//! an include is read from outside the book ([`chapters`], [`includes`]).

use std::path::{Path, PathBuf};

use rayon::prelude::*;

use mdbook_driver::MDBook;
use mdbook_driver::book::{BookItem, Chapter};
use mdbook_preprocessor::PreprocessorContext;

use super::frontmatter::{self, FrontMatter};
use super::page::{NavItem, Page, PageId, make_page};
use super::{Bodies, BodyLines, Loaded, humanise};
use crate::config::Config;
use crate::error::{Error, Result};
use crate::report::Finding;

mod chapters;
mod includes;

pub(super) fn load(config: &Config, bodies: Bodies) -> Result<Loaded> {
    let root = &config.root;
    let book_toml = root.join("book.toml");
    let text = std::fs::read_to_string(&book_toml).map_err(|e| Error::read(&book_toml, e))?;
    // Read as written, so that a syntax error or a value of the wrong type
    // (`authors = "me"`) is named at its line, in our words.
    let mut md_config: mdbook_driver::config::Config = toml::from_str(&text).map_err(|e| Error::Config {
        path: book_toml.clone(),
        line: crate::error::toml_line(&text, &e),
        message: crate::error::toml_words(e.message()),
    })?;
    // Preprocessors and renderers are someone else's code: dropped before
    // mdBook's own include step sees the configuration.
    for table in ["output", "preprocessor"] {
        md_config
            .set(table, toml::Table::new())
            .map_err(|e| Error::Book {
                path: book_toml.clone(),
                message: format!("{e:#}"),
            })?;
    }
    md_config.build.create_missing = false;
    md_config.build.use_default_preprocessors = false;

    let src_dir = root.join(&md_config.book.src);
    let summary_md = src_dir.join("SUMMARY.md");
    let summary_text = std::fs::read_to_string(&summary_md).ok();
    let summary = summary_text
        .as_deref()
        .and_then(|t| mdbook_summary::parse_summary(t).ok());
    // Each chapter is made into a page in parallel (includes, front matter,
    // title, language), its text moved into the page, not copied: on a
    // large book it is most of the memory. Then the tree is walked in order
    // to number and link the pages.
    let context = || PreprocessorContext::new(root.clone(), md_config.clone(), "html".into());
    let make = |ctx: &mut PreprocessorContext, text| chapter_page(config, &src_dir, ctx, text, bodies);
    let read = match (&summary_text, &summary) {
        (Some(text), Some(summary)) => chapters::read(root, &src_dir, text, summary, context, make)?,
        _ => None,
    };
    let (entries, made) = match read {
        Some(read) => read,
        None => {
            // mdBook's own loader, to say what is wrong (a missing chapter,
            // a SUMMARY.md that does not parse) in its words.
            let mut items = MDBook::load_with_config(root, md_config.clone())
                .map_err(|e| Error::Book {
                    path: summary_md.clone(),
                    message: format!("{e:#}. Check that every chapter listed in SUMMARY.md exists."),
                })?
                .book
                .items;
            let mut texts = Vec::new();
            for item in items.iter_mut() {
                if let BookItem::Chapter(ch) = item {
                    take_texts(ch, &mut texts);
                }
            }
            let keep =
                |ctx: &mut PreprocessorContext, text| chapter_page(config, &src_dir, ctx, text, Bodies::Kept);
            let made = texts.into_par_iter().map_init(context, keep).collect();
            (shape(&items), made)
        }
    };
    // Include warnings first, then front matter ones.
    let (mut warnings, mut front_matter_warnings, mut included) = (Vec::new(), Vec::new(), Vec::new());
    let mut chapter_pages = Vec::with_capacity(made.len());
    for m in made {
        warnings.extend(m.include_warnings);
        front_matter_warnings.extend(m.page_warnings);
        included.extend(m.included);
        chapter_pages.push(m.page);
    }
    warnings.extend(front_matter_warnings);
    let mut pages: Vec<Page> = Vec::with_capacity(chapter_pages.len() + 1);
    let mut nav = Vec::new();
    let mut made = chapter_pages.into_iter();
    for entry in &entries {
        match entry {
            Entry::Chapter(subs) => {
                if let Some(id) = add_chapter(subs, None, &mut made, &mut pages)? {
                    nav.push(NavItem::Page(id));
                }
            }
            Entry::Part(t) => nav.push(NavItem::Part(t.clone())),
            Entry::Separator => {}
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
                    NavItem::Part(_) | NavItem::Link { .. } => None,
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

/// What [`chapter_page`] needs of a chapter, its text moved out of the tree.
#[derive(Debug, PartialEq)]
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
fn chapter_page(
    config: &Config,
    src_dir: &Path,
    ctx: &PreprocessorContext,
    text: ChapterText,
    bodies: Bodies,
) -> Made {
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
    let (file_len, expanded) = (content.len(), content.contains("{{"));
    let mut head_title = None;
    let mut pulled_lines = BodyLines::default();
    if expanded {
        includes::check(
            config,
            &source,
            &mut content,
            &mut made.include_warnings,
            &mut made.included,
        );
        let marks = includes::mark(&mut content, &source);
        match includes::expand(ctx, &name, &path, content) {
            Ok((expanded, title)) => {
                (content, pulled_lines) = includes::unmark(expanded, &marks);
                head_title = title;
            }
            Err(e) => {
                made.page = Err(e);
                return made;
            }
        }
    }
    let rel = path.to_string_lossy().replace('\\', "/");
    let shown = PathBuf::from(config.display_path(&source));
    let split = match frontmatter::split(&shown, &content, frontmatter::Invalid::Rule) {
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
        page.name_as(&if name.trim().is_empty() {
            humanise(&rel)
        } else {
            name
        });
    }
    page.number = number;
    page.head_title = head_title;
    if pulled_lines.any_pulled() {
        page.pulled_lines = pulled_lines.starting_at(body_line);
    }
    if bodies == Bodies::InFiles && !expanded {
        page.leave_in_file(file_len);
    }
    made.page = Ok(Some(page));
    made
}

/// The table of contents of a book, without the chapters' text: what is
/// needed to place their pages.
#[derive(Debug, PartialEq)]
enum Entry {
    /// A chapter, and the entries under it.
    Chapter(Vec<Entry>),
    Part(String),
    Separator,
}

/// The table of contents of mdBook's `items`.
fn shape(items: &[BookItem]) -> Vec<Entry> {
    items
        .iter()
        .map(|item| match item {
            BookItem::Chapter(ch) => Entry::Chapter(shape(&ch.sub_items)),
            BookItem::PartTitle(t) => Entry::Part(t.clone()),
            BookItem::Separator => Entry::Separator,
        })
        .collect()
}

/// Places the page made for a chapter (the next of `made`, in depth-first
/// order) and those of its sub-chapters `subs`. A draft's sub-chapters are
/// left out with it (their errors too, as when they are not read at all).
fn add_chapter(
    subs: &[Entry],
    parent: Option<PageId>,
    made: &mut impl Iterator<Item = Result<Option<Page>>>,
    pages: &mut Vec<Page>,
) -> Result<Option<PageId>> {
    let Some(mut page) = made.next().transpose()?.flatten() else {
        skip(subs, made);
        return Ok(None);
    };
    let id = pages.len();
    page.id = id;
    page.parent = parent;
    pages.push(page);
    for sub in subs {
        if let Entry::Chapter(subs) = sub
            && let Some(child) = add_chapter(subs, Some(id), made, pages)?
        {
            pages[id].children.push(child);
        }
    }
    Ok(Some(id))
}

/// Passes over the pages made for the sub-chapters `subs`.
fn skip(subs: &[Entry], made: &mut impl Iterator<Item = Result<Option<Page>>>) {
    for sub in subs {
        if let Entry::Chapter(subs) = sub {
            made.next();
            skip(subs, made);
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

    /// The table of contents and chapters mdBook's own loader reads of the
    /// book at `root`.
    fn mdbook_read(root: &Path) -> (Vec<Entry>, Vec<ChapterText>) {
        let mut config = mdbook_driver::config::Config::default();
        config.build.create_missing = false;
        let mut items = MDBook::load_with_config(root, config)
            .expect("mdBook loads it")
            .book
            .items;
        let mut texts = Vec::new();
        for item in items.iter_mut() {
            if let BookItem::Chapter(ch) = item {
                take_texts(ch, &mut texts);
            }
        }
        (shape(&items), texts)
    }

    /// What [`chapters::read`] reads of the book at `root`.
    fn read(root: &Path) -> Option<(Vec<Entry>, Vec<ChapterText>)> {
        let src = root.join("src");
        let text = std::fs::read_to_string(src.join("SUMMARY.md")).expect("SUMMARY.md");
        let summary = mdbook_summary::parse_summary(&text).expect("a summary");
        chapters::read(root, &src, &text, &summary, || (), |_, t| t).expect("inside the book")
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
            let read = read(&root).expect("every chapter is there");
            assert_eq!(read, mdbook_read(&root), "{}", root.display());
        }
    }

    #[test]
    fn a_chapter_out_of_the_book_is_an_error() {
        let dir = book(&[
            (
                "SUMMARY.md",
                "- [In](in.md)\n- [Up](../book.toml)\n- [Link](out.md)\n",
            ),
            ("in.md", "# In\n"),
        ]);
        let outside = tempfile::tempdir().expect("temp dir");
        std::fs::write(outside.path().join("secret.md"), "secret").expect("a file");
        std::os::unix::fs::symlink(outside.path().join("secret.md"), dir.path().join("src/out.md"))
            .expect("a symbolic link");
        let config = Config::load(dir.path()).expect("config");
        let err = crate::content::Site::load(config)
            .expect_err("out of the book")
            .to_string();
        // SUMMARY.md is checked from its last chapter up.
        assert!(err.contains("SUMMARY.md:3"), "{err}");
        assert!(
            err.contains("chapter `Link` points outside the book (`out.md`)"),
            "{err}"
        );
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

    #[test]
    fn a_build_leaves_plain_chapters_in_their_files_and_keeps_expanded_ones() {
        let dir = book(&[
            ("SUMMARY.md", "- [Plain](plain.md)\n- [Includes](includes.md)\n"),
            ("plain.md", "---\nowner: ops\n---\n# Plain\n\nTexte.\n"),
            ("includes.md", "# Includes\n\n{{#include part.txt}}\n"),
            ("part.txt", "included text\n"),
        ]);
        let config = Config::load(dir.path()).expect("config");
        let site = crate::content::Site::load_with(config, crate::content::Bodies::InFiles).expect("site");
        let page = |rel: &str| site.page(site.by_rel(rel).expect(rel));
        let plain = page("plain.md");
        assert_eq!(plain.body, "", "left in its file");
        assert_eq!(plain.title, "Plain");
        assert_eq!(plain.markdown().expect("read again"), "# Plain\n\nTexte.\n");
        let includes = page("includes.md");
        assert!(includes.body_in_file.is_none());
        assert_eq!(
            includes.markdown().expect("held"),
            "# Includes\n\nincluded text\n"
        );
        // A file edited between loading and rendering is not rendered as
        // if nothing had changed.
        std::fs::write(dir.path().join("src/plain.md"), "# Plain\n\nTexte changé.\n").expect("edit");
        let err = plain.markdown().expect_err("changed").to_string();
        assert!(err.contains("plain.md"), "{err}");
        assert!(err.contains("changed while the site was being built"), "{err}");
        // Of the same length, but where the body started is inside a
        // character now: an error too, not a panic.
        let same_length = format!("aa{}a", "é".repeat(16));
        assert_eq!(
            same_length.len(),
            "---\nowner: ops\n---\n# Plain\n\nTexte.\n".len()
        );
        std::fs::write(dir.path().join("src/plain.md"), same_length).expect("edit");
        let err = plain.markdown().expect_err("changed").to_string();
        assert!(err.contains("changed while the site was being built"), "{err}");
    }
}
