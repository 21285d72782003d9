//! The vocabulary shards and the postings packs: what a query word loads.
//!
//! A word loads the shard of its key (its first two letters). A shard holds
//! the surfaces of its key grouped by stem, each stem with its document
//! frequency and its postings. Postings travel with the vocabulary, so a
//! word costs one file: all of them when the shard stays small, the short
//! lists otherwise. The long lists of a large shard go to packs
//! (`search/p/N.js`), each holding the lists of neighbouring stems of that
//! shard, so the stems one word stands for (its exact form, its variants,
//! its prefix expansions: the same letters) share a pack or two.
//!
//! A packed stem also brings the sections that would come first if it were
//! the only word of the query, ready to show (URL, title, heading, excerpt):
//! the results of a query whose best sections are among them need no
//! document chunk.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use rayon::prelude::*;
use serde_json::json;

use super::{PageTerms, Postings, excerpt, script};
use crate::error::Result;
use crate::output::Staging;
use crate::search::analysis::{FxMap, FxSet};
use crate::search::docs::PageDoc;
use crate::search::matching;

/// Postings shorter than this (in characters, sections and pages together)
/// always stay in their shard.
const INLINE_MAX: usize = 600;
/// A shard whose postings come to at most this many characters keeps them all.
const SHARD_INLINE: usize = 16_000;
/// Long postings of a shard are packed into files of about this many characters.
const PACK_CHARS: usize = 12_000;
/// Sections a packed stem brings ready to show.
const RECORDS: usize = 10;

/// A stem's postings, encoded, and what its shard says of it.
pub struct StemOut {
    pub df: u32,
    /// Section postings, as [`super::encode`] writes them.
    pub sections: String,
    /// Page postings, likewise.
    pub pages: String,
    /// Its best sections alone, best first (for a packed stem only).
    pub best: Vec<u32>,
}

impl StemOut {
    fn chars(&self) -> usize {
        self.sections.len() + self.pages.len()
    }

    fn long(&self) -> bool {
        long(self.chars())
    }
}

/// Whether postings of `chars` characters may leave their shard for a pack.
pub fn long(chars: usize) -> bool {
    chars > INLINE_MAX
}

/// Where sections are: the page of each, and each page's first.
pub struct Layout {
    pub section_page: Vec<u32>,
    pub page_first: Vec<u32>,
}

impl Layout {
    pub fn new(terms: &[PageTerms]) -> Layout {
        let mut section_page = Vec::new();
        let mut page_first = Vec::with_capacity(terms.len() + 1);
        for (p, t) in terms.iter().enumerate() {
            page_first.push(section_page.len() as u32);
            section_page.extend(std::iter::repeat_n(p as u32, t.sections.len()));
        }
        page_first.push(section_page.len() as u32);
        Layout {
            section_page,
            page_first,
        }
    }
}

/// The sections that rank first for a query of this stem alone, as
/// `search.js` ranks them: on the impacts it reads (`read`), a section
/// scores its impact plus its page's, a page matched by its title alone
/// offers its first section, ties go to the first section, at most
/// `matching::PER_PAGE` a page.
pub fn best_sections(
    sections: &Postings,
    pages: &Postings,
    layout: &Layout,
    read: impl Fn(f32) -> f32,
) -> Vec<u32> {
    let page_impact: FxMap<u32, f32> = pages.iter().map(|&(p, x)| (p, read(x))).collect();
    let mut score: FxMap<u32, f32> = FxMap::default();
    for &(s, impact) in sections {
        let page = layout.section_page[s as usize];
        score.insert(s, read(impact) + page_impact.get(&page).copied().unwrap_or(0.0));
    }
    for (&p, &impact) in &page_impact {
        score.entry(layout.page_first[p as usize]).or_insert(impact);
    }
    let mut ranked: Vec<(u32, f32)> = score.into_iter().collect();
    ranked.sort_unstable_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
    let mut per_page: FxMap<u32, usize> = FxMap::default();
    ranked
        .into_iter()
        .filter(|(s, _)| {
            let n = per_page.entry(layout.section_page[*s as usize]).or_default();
            *n += 1;
            *n <= matching::PER_PAGE
        })
        .take(RECORDS)
        .map(|(s, _)| s)
        .collect()
}

/// What a pack shows of a section: the pages (in index order), where their
/// sections are, and how long an excerpt is.
pub struct Shown<'a, 'd> {
    pub docs: &'a [&'a PageDoc<'d>],
    pub layout: &'a Layout,
    pub snippet_chars: usize,
}

/// One shard: its key, and its stems (name, number, surfaces), by name.
type Shard<'n> = (&'n str, Vec<(&'n str, u32, BTreeSet<&'n str>)>);

/// Writes the vocabulary shards `search/v/N.js` and the packs
/// `search/p/N.js`; returns the shards' keys, by shard number.
///
/// A shard entry is `[stem, df, sections, pages, surfaces]`: the postings
/// inline, or `sections` the number of the pack that has them. A pack maps
/// each of its stems to `[sections, pages, best]`, `best` its best sections
/// as `[section, url, title, kind, heading, excerpt]`.
pub fn write<'n>(
    terms: &[PageTerms],
    names: &'n [String],
    stems: &HashMap<u32, StemOut>,
    alerts: &BTreeMap<&'n str, BTreeMap<&str, u32>>,
    shown: &Shown<'_, '_>,
    staging: &Staging,
) -> Result<Vec<&'n str>> {
    let mut pairs: FxSet<(u32, u32)> = FxSet::default();
    for t in terms {
        pairs.extend(t.surfaces.iter().copied());
    }
    let mut by_key: BTreeMap<&str, BTreeMap<&str, (u32, BTreeSet<&str>)>> = BTreeMap::new();
    for (surface, stem) in pairs {
        let surface = names[surface as usize].as_str();
        by_key
            .entry(matching::key(surface))
            .or_default()
            .entry(names[stem as usize].as_str())
            .or_insert_with(|| (stem, BTreeSet::new()))
            .1
            .insert(surface);
    }
    for key in alerts.keys() {
        by_key.entry(key).or_default();
    }
    let shards: Vec<Shard> = by_key
        .into_iter()
        .map(|(key, by_stem)| {
            let list = by_stem
                .into_iter()
                .filter(|(_, (id, _))| stems.contains_key(id))
                .map(|(name, (id, surfaces))| (name, id, surfaces))
                .collect();
            (key, list)
        })
        .collect();

    // Packs, numbered in shard order: each shard's long lists, in stem order,
    // cut at about PACK_CHARS.
    let mut pack_of: HashMap<u32, usize> = HashMap::new();
    let mut packs: Vec<Vec<u32>> = Vec::new();
    for (_, list) in &shards {
        let total: usize = list.iter().map(|(_, id, _)| stems[id].chars()).sum();
        if total <= SHARD_INLINE {
            continue;
        }
        let mut size = PACK_CHARS;
        for (_, id, _) in list {
            let out = &stems[id];
            // A stem seen in two large shards is packed once.
            if !out.long() || pack_of.contains_key(id) {
                continue;
            }
            if size + out.chars() > PACK_CHARS && size > 0 {
                packs.push(Vec::new());
                size = 0;
            }
            size += out.chars();
            packs.last_mut().expect("a pack was opened").push(*id);
            pack_of.insert(*id, packs.len() - 1);
        }
    }

    shards
        .par_iter()
        .enumerate()
        .try_for_each(|(n, (key, list))| -> Result<()> {
            let mut entries = Vec::with_capacity(list.len());
            for (stem, id, surfaces) in list {
                let out = &stems[id];
                let written: Vec<String> = surfaces
                    .iter()
                    .map(|s| match s.strip_prefix(stem) {
                        Some(rest) => rest.to_string(),
                        None => format!("={s}"),
                    })
                    .collect();
                let surfaces = written.join(",");
                entries.push(match pack_of.get(id) {
                    Some(pack) => json!([stem, out.df, pack, "", surfaces]),
                    None => json!([stem, out.df, out.sections, out.pages, surfaces]),
                });
            }
            let mut args = vec![json!(n), json!(entries)];
            if let Some(a) = alerts.get(key) {
                args.push(json!(a));
            }
            staging.write(&format!("search/v/{n}.js"), &script("v", &args))
        })?;

    packs
        .par_iter()
        .enumerate()
        .try_for_each(|(n, ids)| -> Result<()> {
            let mut map = serde_json::Map::new();
            for id in ids {
                let out = &stems[id];
                let best: Vec<serde_json::Value> = out
                    .best
                    .iter()
                    .map(|&s| {
                        let p = shown.layout.section_page[s as usize];
                        let doc = shown.docs[p as usize];
                        let local = (s - shown.layout.page_first[p as usize]) as usize;
                        let section = &doc.sections[local];
                        json!([
                            s,
                            doc.url(section),
                            doc.page.title,
                            doc.kind.unwrap_or(""),
                            if section.top { "" } else { section.heading },
                            excerpt(&section.text, shown.snippet_chars),
                        ])
                    })
                    .collect();
                map.insert(
                    names[*id as usize].clone(),
                    json!([out.sections, out.pages, best]),
                );
            }
            staging.write(
                &format!("search/p/{n}.js"),
                &script("p", &[json!(n), serde_json::Value::Object(map)]),
            )
        })?;
    Ok(shards.into_iter().map(|(key, _)| key).collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn best_sections_rank_as_a_one_word_query_and_keep_three_a_page() {
        // Pages 0 (sections 0–4) and 1 (sections 5–6).
        let layout = Layout {
            section_page: vec![0, 0, 0, 0, 0, 1, 1],
            page_first: vec![0, 5, 7],
        };
        let sections = vec![(0, 1.0), (1, 2.0), (2, 3.0), (3, 4.0), (6, 1.5)];
        // Page 1 matches by its title: its sections gain its impact.
        let pages = vec![(1, 2.0)];
        let best = best_sections(&sections, &pages, &layout, |x| x);
        // Section 6: 1.5 + 2; section 5 (the page's first): 2 alone, tied
        // with section 1, which comes first; section 0 would be page 0's fourth.
        assert_eq!(best, [3, 6, 2, 1, 5]);
    }
}
