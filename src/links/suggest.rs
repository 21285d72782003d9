//! "Did you mean …": for a broken link, the page that now carries the file
//! name it asked for (the page moved), a sibling with a close name (a typo), a
//! file that moved, or the closest anchor of the target page (a heading was
//! renamed). Runs only for broken links, after rendering, so it may look at
//! every page's anchors.

use std::collections::HashMap;
use std::sync::OnceLock;

use crate::content::resolve::{Target, join, relative_url, resolve};
use crate::content::{Page, PageId, Site};
use crate::markdown::Rendered;

/// Lookups built once per check, shared by every suggestion.
pub struct Suggester<'a> {
    site: &'a Site,
    rendered: &'a [Rendered],
    /// Source folder (relative to the content root) → its pages.
    by_dir: HashMap<&'a str, Folder<'a>>,
    /// File name → paths (relative to the content root) of non-Markdown files,
    /// read from disk the first time a broken file link needs it.
    files: OnceLock<HashMap<String, Vec<String>>>,
}

impl<'a> Suggester<'a> {
    pub fn new(site: &'a Site, rendered: &'a [Rendered]) -> Suggester<'a> {
        let mut by_dir: HashMap<&str, Folder> = HashMap::new();
        for p in &site.pages {
            if p.source.is_some()
                && let Some(stem) = file_stem(&p.rel)
            {
                let folder = by_dir.entry(parent(&p.rel)).or_default();
                let bag = Bag::of(stem);
                folder.by_length.push((bag.chars, stem, p.id, bag));
            }
        }
        for folder in by_dir.values_mut() {
            folder
                .by_length
                .sort_unstable_by_key(|&(n, stem, id, _)| (n, stem, id));
        }
        Suggester {
            site,
            rendered,
            by_dir,
            files: OnceLock::new(),
        }
    }

    /// A fix for the broken link `href` of page `from`, whose path was looked
    /// for at `wanted` (relative to the content root).
    pub fn link(&self, from: &Page, href: &str, wanted: &str) -> Option<String> {
        let (path, fragment) = match href.split_once('#') {
            Some((p, f)) => (p, Some(f)),
            None => (href, None),
        };
        let path = path.split('?').next().unwrap_or("");
        let trimmed = wanted.trim_end_matches('/');
        let name = trimmed.rsplit('/').next().unwrap_or(trimmed);
        let ext = name.rsplit_once('.').map(|(_, e)| e.to_ascii_lowercase());
        if let Some(ext) = ext.as_deref()
            && ext != "md"
            && ext != "html"
        {
            return self.file(from, trimmed, name);
        }
        let to = self.page(trimmed)?;
        let target = self.site.page(to);
        let mut link = link_like(from, path, target);
        if !matches!(resolve(self.site, from, &link), Target::Page { id, .. } if id == to) {
            link = relative_source(from, target);
        }
        if let Some(f) = fragment.filter(|f| !f.is_empty()) {
            let decoded = crate::content::resolve::percent_decode(f);
            let anchors = &self.rendered[to].anchors;
            if anchors.contains(&decoded) {
                link.push('#');
                link.push_str(f);
            } else if let Some(a) = suggest_anchor(&decoded, anchors.iter().map(String::as_str)) {
                link.push('#');
                link.push_str(&a);
            }
        }
        (link != href).then(|| format!("did you mean `{link}` ({})?", target.title))
    }

    /// The closest anchor of page `id` to `wanted`.
    pub fn anchor(&self, wanted: &str, id: PageId) -> Option<String> {
        suggest_anchor(wanted, self.rendered[id].anchors.iter().map(String::as_str))
    }

    /// The page a broken `wanted` path most likely meant.
    fn page(&self, wanted: &str) -> Option<PageId> {
        let stem = wanted_stem(wanted)?;
        moved(self.site, stem, wanted).or_else(|| {
            let folder = self.by_dir.get(parent(wanted))?;
            let (chars, limit) = (stem.chars().count(), typo_limit(stem));
            typo(stem, folder.near(chars, limit))
        })
    }

    /// A file with the same name elsewhere in the content folder.
    fn file(&self, from: &Page, wanted: &str, name: &str) -> Option<String> {
        let files = self.files.get_or_init(|| file_index(self.site));
        let best = files.get(name)?.iter().max_by_key(|p| {
            (
                common_suffix(p, wanted),
                usize::MAX - strsim::levenshtein(p, wanted),
            )
        })?;
        let link = relative_url(&source_file(from), best);
        Some(format!("did you mean `{link}`?"))
    }
}

/// The page a broken path (relative to the content root) most likely meant:
/// the page that now carries its file name (it moved), or a page of the same
/// folder with a close name (a typo). For one-off questions (a course module);
/// the link check uses a [`Suggester`].
pub fn closest_page(site: &Site, wanted: &str) -> Option<PageId> {
    let wanted = wanted.trim_end_matches('/');
    let stem = wanted_stem(wanted)?;
    moved(site, stem, wanted).or_else(|| {
        let dir = parent(wanted);
        let siblings = site
            .pages
            .iter()
            .filter(|p| p.source.is_some() && parent(&p.rel) == dir)
            .filter_map(|p| {
                let stem = file_stem(&p.rel)?;
                Some((stem, p.id, Bag::of(stem)))
            });
        typo(stem, siblings)
    })
}

/// The name a broken path asks for: its file name without extension, or
/// its folder's name for an index or README.
fn wanted_stem(wanted: &str) -> Option<&str> {
    let name = wanted.rsplit('/').next().unwrap_or(wanted);
    let stem = name
        .strip_suffix(".md")
        .or_else(|| name.strip_suffix(".html"))
        .unwrap_or(name);
    let stem = if matches!(stem, "index" | "_index" | "README" | "readme") || stem.is_empty() {
        wanted.rsplit('/').nth(1).unwrap_or(stem)
    } else {
        stem
    };
    (!stem.is_empty()).then_some(stem)
}

/// Moved: a page with the same file name elsewhere; the one sharing most of
/// the path wins.
fn moved(site: &Site, stem: &str, wanted: &str) -> Option<PageId> {
    site.by_stem(stem).iter().copied().max_by_key(|&id| {
        let rel = &site.page(id).rel;
        (
            common_suffix(rel, wanted),
            usize::MAX - strsim::levenshtein(rel, wanted),
            usize::MAX - id,
        )
    })
}

/// How many edits a typo may make to `stem`.
fn typo_limit(stem: &str) -> usize {
    2.max(stem.chars().count() / 5)
}

/// A typo: the sibling (file stem, page) closest to `stem`, within
/// [`typo_limit`] edits.
fn typo<'s>(stem: &str, siblings: impl Iterator<Item = (&'s str, PageId, Bag)>) -> Option<PageId> {
    let limit = typo_limit(stem);
    let bag = Bag::of(stem);
    siblings
        .filter_map(|(s, id, other)| {
            if bag.distance(&other, limit) > limit {
                return None;
            }
            let d = strsim::levenshtein(s, stem);
            (d <= limit).then_some((d, id))
        })
        .min()
        .map(|(_, id)| id)
}

/// A folder's pages by the length of their file stem in characters: a typo
/// changes the length by at most its number of edits, so only a window of
/// them is compared (a folder of a thousand pages is not read for each
/// broken link).
#[derive(Default)]
struct Folder<'a> {
    /// (characters, file stem, page), sorted, and the stem's [`Bag`].
    by_length: Vec<(usize, &'a str, PageId, Bag)>,
}

impl<'a> Folder<'a> {
    /// The pages whose file stem has `chars` characters, give or take `limit`.
    fn near(&self, chars: usize, limit: usize) -> impl Iterator<Item = (&'a str, PageId, Bag)> + '_ {
        let from = self.by_length.partition_point(|&(n, ..)| n + limit < chars);
        self.by_length[from..]
            .iter()
            .take_while(move |&&(n, ..)| n <= chars + limit)
            .map(|&(_, stem, id, bag)| (stem, id, bag))
    }
}

/// The closest anchor to `wanted` among `anchors`, ignoring case and accents;
/// an anchor that contains the other (a heading that grew or shrank) counts as
/// close, the closer the more of it they share.
pub fn suggest_anchor<'a>(wanted: &str, anchors: impl Iterator<Item = &'a str>) -> Option<String> {
    let wanted_folded = fold(wanted);
    if wanted_folded.is_empty() {
        return None;
    }
    anchors
        .filter(|a| !a.is_empty())
        .map(|a| {
            let f = fold(a);
            // Shared pairs of letters find renamed headings; edit distance, typos.
            let mut score = strsim::sorensen_dice(&f, &wanted_folded)
                .max(0.9 * strsim::normalized_levenshtein(&f, &wanted_folded));
            let (short, long) = if f.len() < wanted_folded.len() {
                (&f, &wanted_folded)
            } else {
                (&wanted_folded, &f)
            };
            let ratio = short.chars().count() as f64 / long.chars().count().max(1) as f64;
            if ratio >= 0.3 && long.contains(short.as_str()) {
                score = score.max(0.5 + ratio / 2.0);
            }
            (score, a)
        })
        .filter(|(score, _)| *score >= 0.5)
        .max_by(|a, b| a.0.total_cmp(&b.0).then_with(|| b.1.cmp(a.1)))
        .map(|(_, a)| a.to_string())
}

/// The link to `to` written in the style of the broken one: `.md` source
/// paths, `.html` output paths, Hugo `/x/y/` routes or relative `x/` folders.
fn link_like(from: &Page, written: &str, to: &Page) -> String {
    if written.ends_with(".html") {
        relative_url(&from.url, &to.url)
    } else if written.starts_with('/') && !written.ends_with(".md") {
        let route = to.route();
        if route.is_empty() {
            "/".into()
        } else {
            format!("/{route}/")
        }
    } else if written.ends_with('/') {
        let route = to.route();
        let link = relative_url(&source_file(from), &format!("{route}/"));
        if link.is_empty() { "./".into() } else { link }
    } else {
        relative_source(from, to)
    }
}

/// The link to write in `from`'s source to reach `to`'s source file.
pub fn relative_source(from: &Page, to: &Page) -> String {
    relative_url(&source_file(from), &to.rel)
}

/// `from`'s source path, with a file name even for a made-up section page.
fn source_file(from: &Page) -> String {
    if from.source.is_none() {
        format!("{}index.md", from.rel)
    } else {
        from.rel.clone()
    }
}

/// Folder part of a `/`-separated path (`a/b/c.md` → `a/b`, `a/b/` → `a/b`).
fn parent(rel: &str) -> &str {
    let rel = rel.trim_end_matches('/');
    rel.rsplit_once('/').map_or("", |(d, _)| d)
}

fn file_stem(rel: &str) -> Option<&str> {
    let file = rel.rsplit('/').next()?;
    Some(file.rsplit_once('.').map_or(file, |(s, _)| s))
}

/// How many trailing folders two paths share (files themselves left out).
fn common_suffix(a: &str, b: &str) -> usize {
    let a = a.trim_end_matches('/').rsplit('/').skip(1);
    let b = b.trim_end_matches('/').rsplit('/').skip(1);
    a.zip(b).take_while(|(x, y)| x == y).count()
}

/// The characters of a string counted by bucket, for a cheap lower bound
/// of the Levenshtein distance from it to many others (characters that
/// cannot be matched), to skip most candidates without computing it. Counts
/// stop at 255: a bound taken from them is lower still.
#[derive(Clone, Copy)]
struct Bag {
    counts: [u8; 64],
    chars: usize,
}

impl Bag {
    fn of(s: &str) -> Bag {
        let mut counts = [0u8; 64];
        let mut chars = 0;
        for c in s.chars() {
            counts[c as usize % 64] = counts[c as usize % 64].saturating_add(1);
            chars += 1;
        }
        Bag { counts, chars }
    }

    /// The bag distance to `other`, or any number over `limit` when that
    /// is all that matters (the difference in length is a lower bound too).
    fn distance(&self, other: &Bag, limit: usize) -> usize {
        let length = self.chars.abs_diff(other.chars);
        if length > limit {
            return length;
        }
        // The characters in excess on each side: their sum and their
        // difference give both, in loops without branches that the
        // compiler turns into vector instructions (a broken link in a
        // folder of a thousand pages compares a thousand bags).
        let (mut sum, mut difference) = (0u32, 0i32);
        for (&a, &b) in self.counts.iter().zip(&other.counts) {
            sum += u32::from(a.abs_diff(b));
            difference += i32::from(a) - i32::from(b);
        }
        ((sum + difference.unsigned_abs()) / 2) as usize
    }
}

/// Lowercase without accents, to compare anchors written without them.
fn fold(s: &str) -> String {
    use unicode_normalization::UnicodeNormalization;
    if s.is_ascii() {
        // Nothing to decompose.
        return s.to_ascii_lowercase();
    }
    s.nfd()
        .filter(|c| !unicode_normalization::char::is_combining_mark(*c))
        .flat_map(char::to_lowercase)
        .collect()
}

/// Non-Markdown files of the content folder (and Hugo's `static/`), by name.
fn file_index(site: &Site) -> HashMap<String, Vec<String>> {
    let config = &site.config;
    let mut out: HashMap<String, Vec<String>> = HashMap::new();
    let mut roots = vec![config.content_root.clone()];
    if config.layout == crate::config::Layout::Hugo {
        roots.push(config.root.join("static"));
    }
    for root in roots {
        let walker = walkdir::WalkDir::new(&root).into_iter().filter_entry(|e| {
            let name = e.file_name().to_string_lossy();
            e.depth() == 0
                || !(name.starts_with('.')
                    || name == "target"
                    || name == "node_modules"
                    || e.path().starts_with(&config.out))
        });
        for entry in walker.flatten() {
            if !entry.file_type().is_file()
                || entry.path().extension().is_some_and(|x| x == "md")
                || config.left_out(entry.path())
            {
                continue;
            }
            let Ok(rel) = entry.path().strip_prefix(&root) else {
                continue;
            };
            let rel = rel.to_string_lossy().replace('\\', "/");
            let name = entry.file_name().to_string_lossy().to_string();
            if join("", &rel).is_some() {
                out.entry(name).or_default().push(rel);
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn anchor_suggestions_ignore_accents_and_case() {
        let anchors = ["durée-de-rétention", "sauvegardes"];
        assert_eq!(
            suggest_anchor("duree-de-retention", anchors.iter().copied()).as_deref(),
            Some("durée-de-rétention")
        );
        assert_eq!(
            suggest_anchor("Sauvegardes", anchors.iter().copied()).as_deref(),
            Some("sauvegardes")
        );
        assert_eq!(suggest_anchor("zzz", anchors.iter().copied()), None);
    }

    #[test]
    fn renamed_heading_that_grew_is_found() {
        let anchors = ["nova", "redémarrer-nova-compute-sur-un-hyperviseur", "vérifier"];
        assert_eq!(
            suggest_anchor("redémarrer-nova-compute", anchors.iter().copied()).as_deref(),
            Some("redémarrer-nova-compute-sur-un-hyperviseur")
        );
    }

    #[test]
    fn renamed_heading_sharing_words_is_found() {
        let anchors = ["restauration", "vérifier-la-restauration"];
        assert_eq!(
            suggest_anchor("vérification", anchors.iter().copied()).as_deref(),
            Some("vérifier-la-restauration")
        );
        let anchors = ["sauvegardes", "durée-de-rétention"];
        assert_eq!(
            suggest_anchor("sauvgardes", anchors.iter().copied()).as_deref(),
            Some("sauvegardes")
        );
    }

    #[test]
    fn a_folder_offers_the_names_a_typo_may_reach() {
        let names = [
            "a",
            "abc",
            "abcd",
            "restart",
            "restore",
            "redemarrer-nova",
            "x".repeat(40).leak(),
        ];
        let mut folder = Folder::default();
        for (id, name) in names.iter().enumerate() {
            let bag = Bag::of(name);
            folder.by_length.push((bag.chars, name, id, bag));
        }
        folder
            .by_length
            .sort_unstable_by_key(|&(n, stem, id, _)| (n, stem, id));
        for wanted in ["", "ab", "restat", "redemarer-nova", "é"] {
            let chars = wanted.chars().count();
            for limit in 0..4 {
                let mut near: Vec<&str> = folder.near(chars, limit).map(|(s, ..)| s).collect();
                let mut all: Vec<&str> = names
                    .iter()
                    .copied()
                    .filter(|n| n.chars().count().abs_diff(chars) <= limit)
                    .collect();
                near.sort_unstable();
                all.sort_unstable();
                assert_eq!(near, all, "{wanted:?} within {limit}");
            }
        }
    }

    #[test]
    fn bag_distance_is_a_lower_bound() {
        // With the characters in excess on the side that has more of them:
        // kitten has k, e; sitting has s, i, g.
        for (a, b, excess) in [
            ("kitten", "sitting", 3),
            ("nova", "neutron", 5),
            ("abc", "abc", 0),
            ("", "xyz", 3),
            ("aab", "abb", 1),
        ] {
            assert_eq!(Bag::of(a).distance(&Bag::of(b), usize::MAX), excess, "{a} {b}");
            assert_eq!(Bag::of(b).distance(&Bag::of(a), usize::MAX), excess, "{b} {a}");
            let d = strsim::levenshtein(a, b);
            assert!(Bag::of(a).distance(&Bag::of(b), usize::MAX) <= d, "{a} {b}");
            assert!(Bag::of(a).distance(&Bag::of(b), 0) <= d, "{a} {b}");
        }
    }

    #[test]
    fn folding_ascii_is_lowercasing() {
        let slow = |s: &str| -> String {
            use unicode_normalization::UnicodeNormalization;
            s.nfd()
                .filter(|c| !unicode_normalization::char::is_combining_mark(*c))
                .flat_map(char::to_lowercase)
                .collect()
        };
        for s in ["Section-Fantome-618", "a_B.c~D", "", "ÉTÉ-été", "ǅ"] {
            assert_eq!(fold(s), slow(s), "{s}");
        }
    }

    #[test]
    fn paths() {
        assert_eq!(parent("a/b/c.md"), "a/b");
        assert_eq!(parent("a/b/"), "a");
        assert_eq!(parent("c.md"), "");
        assert_eq!(
            common_suffix("doc/env/openstack/nova.md", "doc/openstack/nova.md"),
            1
        );
        assert_eq!(common_suffix("x/nova.md", "y/nova.md"), 0);
    }
}
