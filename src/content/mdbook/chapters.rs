//! Reading the chapters SUMMARY.md lists, as mdBook's loader reads them, in
//! one parallel pass: each chapter is checked to stay inside the book, read,
//! and made into its page at once (while its text is fresh in the cache).
//!
//! Every chapter stays inside the book (mdBook's loader assumes it and stops
//! the process otherwise): an absolute path, a path climbing out or a
//! symbolic link leading out is an error naming the line, and such a file
//! is never read.

use std::collections::{BTreeSet, HashMap};
use std::path::{Component, Path, PathBuf};

use mdbook_summary::{Link, Summary, SummaryItem};
use rayon::prelude::*;

use super::{ChapterText, Entry};
use crate::error::{Error, Result};

/// The table of contents of `summary` and, for each chapter in depth-first
/// order, what `make` made of it (given what mdBook's loader reads of it).
/// `Ok(None)` when a chapter cannot be read (or SUMMARY.md holds what this
/// reader does not know): mdBook's loader then runs, to say what is wrong
/// in its words.
pub(super) fn read<C, M: Send>(
    root: &Path,
    src_dir: &Path,
    summary_text: &str,
    summary: &Summary,
    init: impl Fn() -> C + Sync + Send,
    make: impl Fn(&mut C, ChapterText) -> M + Sync + Send,
) -> Result<Option<(Vec<Entry>, Vec<M>)>> {
    let top: Vec<&SummaryItem> = summary
        .prefix_chapters
        .iter()
        .chain(&summary.numbered_chapters)
        .chain(&summary.suffix_chapters)
        .collect();
    let mut links = Vec::new();
    if !depth_first(&top, &mut links) {
        return Ok(None);
    }
    let confinement = Confinement::new(root, src_dir, &links);
    let jobs: Vec<std::result::Result<M, NotMade>> = links
        .par_iter()
        .map_init(init, |ctx, link| {
            let text = |path, content| ChapterText {
                name: link.name.clone(),
                path,
                number: link.number.as_ref().map(|n| n.to_string()),
                content,
                has_sub_chapters: !link.nested_items.is_empty(),
            };
            let Some(location) = &link.location else {
                return Ok(make(ctx, text(None, String::new())));
            };
            if confinement.leaves(location) {
                return Err(NotMade::Outside);
            }
            let file = src_dir.join(location);
            let (Ok(mut content), Ok(path)) = (std::fs::read_to_string(&file), file.strip_prefix(src_dir))
            else {
                return Err(NotMade::Unreadable);
            };
            if content.starts_with('\u{feff}') {
                content.replace_range(..3, "");
            }
            Ok(make(ctx, text(Some(path.to_path_buf()), content)))
        })
        .collect();
    // The chapter reported is the first out in the order SUMMARY.md was
    // always checked in (last item first).
    let at: HashMap<*const Link, usize> = links
        .iter()
        .enumerate()
        .map(|(i, l)| (*l as *const Link, i))
        .collect();
    let mut stack = top.clone();
    while let Some(item) = stack.pop() {
        let SummaryItem::Link(link) = item else {
            continue;
        };
        stack.extend(&link.nested_items);
        if let (Some(location), Err(NotMade::Outside)) = (&link.location, &jobs[at[&(link as *const Link)]]) {
            return Err(outside(root, src_dir, summary_text, link, location));
        }
    }
    if jobs.iter().any(std::result::Result::is_err) {
        return Ok(None);
    }
    Ok(Some((entries(&top), jobs.into_iter().flatten().collect())))
}

/// Why a chapter was not made into a page.
enum NotMade {
    /// It leads out of the book: it is not read.
    Outside,
    Unreadable,
}

/// Pushes the links of `items` and of the items under them, depth first (the
/// order of SUMMARY.md); false on an item this reader does not know.
fn depth_first<'s>(items: &[&'s SummaryItem], out: &mut Vec<&'s Link>) -> bool {
    items.iter().all(|item| match item {
        SummaryItem::Link(link) => {
            out.push(link);
            depth_first(&link.nested_items.iter().collect::<Vec<_>>(), out)
        }
        SummaryItem::Separator | SummaryItem::PartTitle(_) => true,
        _ => false,
    })
}

/// The table of contents of `items` (all known to [`depth_first`]).
fn entries(items: &[&SummaryItem]) -> Vec<Entry> {
    items
        .iter()
        .filter_map(|item| match item {
            SummaryItem::Link(link) => Some(Entry::Chapter(entries(
                &link.nested_items.iter().collect::<Vec<_>>(),
            ))),
            SummaryItem::Separator => Some(Entry::Separator),
            SummaryItem::PartTitle(t) => Some(Entry::Part(t.clone())),
            _ => None,
        })
        .collect()
}

/// Where the chapters really are. A book has many chapters in a few
/// folders: each folder is resolved once, and a chapter's own file only
/// when it is a symbolic link.
struct Confinement<'s> {
    src_dir: &'s Path,
    /// The book's source folder, resolved.
    base: PathBuf,
    real_root: PathBuf,
    real_folders: HashMap<&'s Path, Option<PathBuf>>,
}

impl<'s> Confinement<'s> {
    fn new(root: &Path, src_dir: &'s Path, links: &[&'s Link]) -> Confinement<'s> {
        let folders: BTreeSet<&Path> = links
            .iter()
            .filter_map(|l| l.location.as_deref())
            .filter(|location| !climbs(location))
            .filter_map(Path::parent)
            .collect();
        Confinement {
            src_dir,
            base: src_dir.canonicalize().unwrap_or_else(|_| src_dir.to_path_buf()),
            real_root: root.canonicalize().unwrap_or_else(|_| root.to_path_buf()),
            real_folders: folders
                .into_par_iter()
                .map(|f| (f, src_dir.join(f).canonicalize().ok()))
                .collect(),
        }
    }

    /// Whether chapter `location` (as SUMMARY.md writes it) leads out of
    /// the book's source folder. A missing file does not: mdBook says it.
    fn leaves(&self, location: &Path) -> bool {
        if climbs(location) {
            return true;
        }
        let file = self.src_dir.join(location);
        // `a/.` or `a/`: the last name is not the file's own.
        let plain = !location.to_string_lossy().ends_with(['.', '/']);
        let real = match std::fs::symlink_metadata(&file) {
            Err(_) => None,
            Ok(m) if m.file_type().is_symlink() || !plain => file.canonicalize().ok(),
            Ok(_) => match (location.parent(), location.file_name()) {
                (Some(folder), Some(name)) => self
                    .real_folders
                    .get(folder)
                    .cloned()
                    .flatten()
                    .map(|f| f.join(name)),
                _ => file.canonicalize().ok(),
            },
        };
        real.is_some_and(|real| !real.starts_with(&self.real_root) || !real.starts_with(&self.base))
    }
}

/// An absolute path, or one that climbs.
fn climbs(location: &Path) -> bool {
    location.is_absolute()
        || location
            .components()
            .any(|c| matches!(c, Component::ParentDir | Component::Prefix(_)))
}

/// The error for chapter `link`, whose `location` leads out of the book.
fn outside(root: &Path, src_dir: &Path, text: &str, link: &Link, location: &Path) -> Error {
    let shown = location.display().to_string();
    let line = text
        .find(&format!("]({shown}"))
        .map(|i| crate::config::line_of(text, i))
        .unwrap_or(1);
    Error::input(
        src_dir.join("SUMMARY.md"),
        line,
        format!(
            "chapter `{}` points outside the book (`{shown}`): chapters must be files under `{}`",
            link.name,
            src_dir.strip_prefix(root).unwrap_or(src_dir).display()
        ),
    )
}
