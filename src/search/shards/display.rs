//! What a result shows of its page and of its section — its URL, title,
//! kind, heading and the start of its text — as the vocabulary files' ready
//! sections and the chunks write it: the chunks of page tops (a result
//! whose title matched is most often the top of its page, and pages of
//! similar titles are neighbours: a few chunks show many such results) and
//! the document chunks of the sections below.

use rayon::prelude::*;
use serde::Serialize;
use serde_json::json;

use super::{KINDS, excerpt, script};
use crate::error::Result;
use crate::output::Staging;
use crate::search::docs::{PageDoc, SectionDoc};

/// Sections below the top of their page per document chunk (whole pages are
/// kept together).
const CHUNK_SECTIONS: usize = 64;
/// Pages per chunk of page tops.
pub const TOPS_PAGES: usize = 64;

/// A page: its URL, its title and its kind (0: none, else 1 + its place in
/// [`KINDS`]).
pub fn page<'d>(doc: &PageDoc<'d>) -> (&'d str, &'d str, usize) {
    let kind = doc
        .kind
        .and_then(|k| KINDS.iter().position(|x| *x == k))
        .map_or(0, |i| i + 1);
    (doc.page.url.as_str(), doc.page.title.as_str(), kind)
}

/// A section's anchor as written: `""` for the top of the page, `0` when
/// it is the one `search.js` derives from the heading.
#[derive(Serialize)]
#[serde(untagged)]
pub enum Anchor<'d> {
    Derived(u8),
    Written(&'d str),
}

/// A section: its anchor, its heading (`""` for the top of the page) and
/// the start of its text.
pub fn section<'d>(s: &SectionDoc<'d>, snippet_chars: usize) -> (Anchor<'d>, &'d str, String) {
    let heading = if s.top { "" } else { s.heading };
    let anchor = match s.anchor {
        None => Anchor::Written(""),
        Some(a) if derived(heading).as_deref() == Some(a) => Anchor::Derived(0),
        Some(a) => Anchor::Written(a),
    };
    (anchor, heading, excerpt(&s.text, snippet_chars))
}

/// A section in a document chunk: `0` for the top of its page (in the chunk
/// of page tops), else `[anchor, heading, excerpt]`.
#[derive(Serialize)]
#[serde(untagged)]
enum ChunkSection<'d> {
    Top(u8),
    Shown((Anchor<'d>, &'d str, String)),
}

/// Where the document chunks put pages and tops.
pub struct Chunks {
    /// Pages of each chunk of documents.
    pub sizes: Vec<u32>,
    /// (page, section of the page) for each page whose top is not its first section.
    pub tops: Vec<(u32, u32)>,
}

/// Writes the chunks of page tops `search/p/N.js` (`TOPS_PAGES` pages
/// each, a page as `[url, title, kind, excerpt]`) and the document chunks
/// `search/d/N.js` (whole pages, about `CHUNK_SECTIONS` sections below
/// their top a chunk, a page as `[url, title, kind, sections]`, a section as
/// `[anchor, heading, excerpt]` or `0` for the top; see [`section`]).
pub fn write_chunks(docs: &[&PageDoc<'_>], snippet_chars: usize, staging: &Staging) -> Result<Chunks> {
    let top = |d: &PageDoc<'_>| d.sections.iter().position(|s| s.top).unwrap_or(0);
    docs.par_chunks(TOPS_PAGES)
        .enumerate()
        .try_for_each(|(n, pages)| -> Result<()> {
            let tops: Vec<_> = pages
                .iter()
                .map(|d| {
                    let (url, title, kind) = page(d);
                    let text = d
                        .sections
                        .get(top(d))
                        .map_or(String::new(), |s| excerpt(&s.text, snippet_chars));
                    (url, title, kind, text)
                })
                .collect();
            staging.write(
                &format!("search/p/{n}.js"),
                &script("p", &[json!(n), json!(tops)]),
            )
        })?;
    // Chunk boundaries first (whole pages, about CHUNK_SECTIONS sections), then
    // each chunk made and written in parallel.
    let mut bounds: Vec<(usize, usize)> = Vec::new();
    let (mut first, mut count) = (0, 0);
    for (i, d) in docs.iter().enumerate() {
        count += d.sections.len() - 1;
        if count >= CHUNK_SECTIONS || i + 1 == docs.len() {
            bounds.push((first, i + 1));
            (first, count) = (i + 1, 0);
        }
    }
    bounds
        .par_iter()
        .enumerate()
        .try_for_each(|(n, &(from, to))| -> Result<()> {
            let chunk: Vec<_> = docs[from..to]
                .iter()
                .map(|d| {
                    let sections: Vec<_> = d
                        .sections
                        .iter()
                        .map(|s| match s.top {
                            true => ChunkSection::Top(0),
                            false => ChunkSection::Shown(section(s, snippet_chars)),
                        })
                        .collect();
                    let (url, title, kind) = page(d);
                    (url, title, kind, sections)
                })
                .collect();
            staging.write(
                &format!("search/d/{n}.js"),
                &script("d", &[json!(n), json!(chunk)]),
            )
        })?;
    Ok(Chunks {
        sizes: bounds.iter().map(|(from, to)| (to - from) as u32).collect(),
        tops: docs
            .iter()
            .enumerate()
            .filter(|(_, d)| top(d) != 0)
            .map(|(p, d)| (p as u32, top(d) as u32))
            .collect(),
    })
}

/// The anchor `search.js` derives from a heading (`anchorOf`): letters,
/// digits, `_` and `-` lowercased, white space as `-`, the rest dropped —
/// for headings of characters both languages class and lowercase alike
/// (ASCII, Latin letters, a few typographic signs); `None` otherwise.
fn derived(heading: &str) -> Option<String> {
    let plain = |c: char| c.is_ascii() || ('\u{a0}'..='\u{17f}').contains(&c) || "’«»–—…".contains(c);
    if !heading.chars().all(plain) {
        return None;
    }
    let mut out = String::with_capacity(heading.len());
    for c in heading.trim().chars() {
        if c.is_alphanumeric() || c == '_' || c == '-' {
            out.extend(c.to_lowercase());
        } else if c.is_whitespace() {
            out.push('-');
        }
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn anchors_derived_from_plain_headings() {
        assert_eq!(
            derived("Étape 2 : redémarrer la minorité").as_deref(),
            Some("étape-2--redémarrer-la-minorité")
        );
        assert_eq!(
            derived("L’hyperviseur « ko »").as_deref(),
            Some("lhyperviseur--ko-")
        );
        assert_eq!(derived(" Rollback_v2 ").as_deref(), Some("rollback_v2"));
        // Outside the characters both sides class alike: the anchor is written out.
        assert_eq!(derived("Ωmega"), None);
        assert_eq!(derived("Δ ok"), None);
    }

    #[test]
    fn a_plain_heading_has_the_anchor_the_renderer_gives_it() {
        for h in [
            "Étape 2 : redémarrer la minorité",
            "Voir aussi",
            "Nœud « NotReady » — causes…",
        ] {
            assert_eq!(derived(h), Some(crate::markdown::slug::slugify(h)), "{h}");
        }
    }
}
