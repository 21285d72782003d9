//! The vocabulary files: what a query word loads.
//!
//! A word loads the file of its key (its first two letters). That file holds
//! the whole vocabulary of the key — its surfaces grouped by stem, each stem
//! with its document frequency — and the postings of its stems, so a word
//! costs one file. A key whose postings would make too large a file is cut
//! into ranges of stems, one file each; every file of the key still holds
//! the key's whole vocabulary (typos, variants and prefixes are matched
//! against all of it), with the postings of its own range and, for the
//! other stems, the number of the file that has theirs. Where ranges are
//! cut, [`ranges`] decides: the stems a word of the site stands for are in
//! the file it loads.
//!
//! A stem with long postings also brings the sections that would come first
//! if it were the only word of the query, ready to show (URL, title,
//! heading, excerpt): a one-word query needs no document chunk, and a
//! longer one none for those of its results that are among them.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::fmt::Write as _;
use std::ops::Range;

use rayon::prelude::*;
use serde_json::{Value, json};

use super::ranges::{self, Stems};
use super::{PageTerms, Postings, display};
use crate::error::Result;
use crate::output::Staging;
use crate::search::analysis::{FxMap, FxSet};
use crate::search::docs::PageDoc;
use crate::search::matching;

/// Postings shorter than this (in characters, sections and pages together)
/// are short: their stem brings no sections ready to show.
const LONG_POSTINGS: usize = 600;
/// Sections a stem with long postings brings ready to show.
const RECORDS: usize = 10;
/// Ready sections take at most this share of the site's text: the most
/// frequent stems have theirs first (on a small site, each stem's cost
/// weighs more against the whole).
const READY_SHARE: f64 = 0.06;

/// A stem's postings, encoded, and what its file says of it.
pub struct StemOut {
    pub df: u32,
    /// Section postings, as [`super::encode`] writes them.
    pub sections: String,
    /// Page postings, likewise.
    pub pages: String,
    /// Its best sections alone, best first (long postings only).
    pub best: Vec<u32>,
}

/// What each stem's postings gave, by stem number: `None` for a stem with
/// no postings.
pub struct Encoded(pub Vec<Option<StemOut>>);

impl Encoded {
    fn has(&self, stem: u32) -> bool {
        self.0.get(stem as usize).is_some_and(Option::is_some)
    }
}

impl std::ops::Index<u32> for Encoded {
    type Output = StemOut;

    /// The stem's postings; it must have some.
    fn index(&self, stem: u32) -> &StemOut {
        self.0[stem as usize].as_ref().expect("a stem with postings")
    }
}

/// Whether postings of `chars` characters bring their best sections along.
pub fn long(chars: usize) -> bool {
    chars > LONG_POSTINGS
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
    // Both lists are in id order, and a page's sections follow each other:
    // each section finds its page's impact by walking the pages along.
    let mut scored: Vec<(u32, f32)> = Vec::with_capacity(sections.len() + pages.len());
    let mut page = pages.iter().peekable();
    for &(s, impact) in sections {
        let of = layout.section_page[s as usize];
        while page.next_if(|&&(p, _)| p < of).is_some() {}
        let page_impact = match page.peek() {
            Some(&&(p, x)) if p == of => read(x),
            _ => 0.0,
        };
        scored.push((s, read(impact) + page_impact));
    }
    // A page matched by its title alone offers its first section.
    let matched = scored.len();
    for &(p, impact) in pages {
        let first = layout.page_first[p as usize];
        if scored[..matched]
            .binary_search_by_key(&first, |&(s, _)| s)
            .is_err()
        {
            scored.push((first, read(impact)));
        }
    }
    let best_first = |a: &(u32, f32), b: &(u32, f32)| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0));
    let keep = |ranked: &[(u32, f32)]| -> Vec<u32> {
        let mut per_page: FxMap<u32, usize> = FxMap::default();
        ranked
            .iter()
            .filter(|(s, _)| {
                let n = per_page.entry(layout.section_page[*s as usize]).or_default();
                *n += 1;
                *n <= matching::PER_PAGE
            })
            .take(RECORDS)
            .map(|&(s, _)| s)
            .collect()
    };
    // Only the first few matter: rank those alone, unless too many of them
    // are one page's and the list must go further.
    let few = RECORDS * matching::PER_PAGE;
    if scored.len() > few {
        scored.select_nth_unstable_by(few, best_first);
        scored[..few].sort_unstable_by(best_first);
        let best = keep(&scored[..few]);
        if best.len() == RECORDS {
            return best;
        }
    }
    scored.sort_unstable_by(best_first);
    keep(&scored)
}

/// What a file shows of a section: the pages (in index order), where their
/// sections are, and how long an excerpt is.
pub struct Shown<'a, 'd> {
    pub docs: &'a [&'a PageDoc<'d>],
    /// Bytes of text of the site's sections (as analysed: a build may
    /// have cut the text it does not show).
    pub text_bytes: usize,
    pub layout: &'a Layout,
    pub snippet_chars: usize,
}

impl Shown<'_, '_> {
    /// Section `s` ready to show: `[s, url, title, kind, anchor, heading, excerpt]`.
    fn record(&self, s: u32) -> Value {
        let p = self.layout.section_page[s as usize];
        let doc = self.docs[p as usize];
        let local = (s - self.layout.page_first[p as usize]) as usize;
        let (url, title, kind) = display::page(doc);
        let (anchor, heading, excerpt) = display::section(&doc.sections[local], self.snippet_chars);
        json!([s, url, title, kind, anchor, heading, excerpt])
    }
}

/// The files of one key: the key, and where each range after the first
/// begins (a prefix of its first stem that sorts after every stem before).
pub struct KeyFiles<'n> {
    pub key: &'n str,
    pub cuts: Vec<String>,
}

/// Writes the vocabulary files `search/v/N.js`, numbered key after key,
/// range after range; returns each key with its cuts.
///
/// A file is `vigieSearch.v(N, entries, alerts?)`. An entry is
/// `[stem, df, sections, pages, surfaces, ready?]`: the postings inline, or
/// `sections` the number of the file that has them (`pages` empty);
/// `ready`, the stem's best sections as [`Shown::record`]s.
pub fn write<'n>(
    terms: &[PageTerms],
    names: &'n [String],
    stems: &Encoded,
    alerts: &BTreeMap<&'n str, BTreeMap<&str, u32>>,
    shown: &Shown<'_, '_>,
    staging: &Staging,
) -> Result<Vec<KeyFiles<'n>>> {
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
    let keys: Vec<(&str, Stems)> = by_key
        .into_iter()
        .map(|(key, by_stem)| {
            let list = by_stem
                .into_iter()
                .filter(|(_, (id, _))| stems.has(*id))
                .map(|(name, (id, surfaces))| (name, id, surfaces))
                .collect();
            (key, list)
        })
        .collect();

    // Each long stem's ready sections, written once.
    let mut ready: Vec<(u32, String)> = keys
        .par_iter()
        .flat_map_iter(|(_, list)| list.iter().map(|(_, id, _)| *id))
        .filter(|&id| !stems[id].best.is_empty())
        .map(|id| {
            let records: Vec<Value> = stems[id].best.iter().map(|&s| shown.record(s)).collect();
            (id, Value::Array(records).to_string())
        })
        .collect();
    // Most frequent first, then by name (word numbers depend on the threads).
    ready.sort_unstable_by_key(|(id, _)| (std::cmp::Reverse(stems[*id].df), &names[*id as usize]));
    let mut budget = (shown.text_bytes as f64 * READY_SHARE) as usize;
    let ready: HashMap<u32, String> = ready
        .into_iter()
        .take_while(|(_, r)| {
            budget = budget.saturating_sub(r.len());
            budget > 0
        })
        .collect();

    // Ranges of each key, and the files' numbers.
    let mut files: Vec<(usize, Range<usize>)> = Vec::new();
    let mut out: Vec<KeyFiles> = Vec::with_capacity(keys.len());
    for (k, (key, list)) in keys.iter().enumerate() {
        let sizes: Vec<usize> = list
            .iter()
            .map(|(_, id, _)| {
                let out = &stems[*id];
                out.sections.len() + out.pages.len() + ready.get(id).map_or(0, String::len)
            })
            .collect();
        let ranges = ranges::ranges(&sizes, || ranges::cuttable(list));
        let cuts = ranges[1..]
            .iter()
            .map(|r| ranges::cut(list[r.start - 1].0, list[r.start].0))
            .collect();
        files.extend(ranges.into_iter().map(|r| (k, r)));
        out.push(KeyFiles { key, cuts });
    }
    let mut file_of: HashMap<u32, usize> = HashMap::new();
    let mut first_file = vec![usize::MAX; keys.len()];
    for (n, (k, range)) in files.iter().enumerate() {
        first_file[*k] = first_file[*k].min(n);
        for (_, id, _) in &keys[*k].1[range.clone()] {
            file_of.entry(*id).or_insert(n);
        }
    }

    files
        .par_iter()
        .enumerate()
        .try_for_each(|(n, (k, _))| -> Result<()> {
            let (key, list) = &keys[*k];
            // Written out by hand: the ready sections are JSON already.
            let mut text = format!("vigieSearch.v({n},[");
            for (i, (stem, id, surfaces)) in list.iter().enumerate() {
                let out = &stems[*id];
                let written: Vec<String> = surfaces
                    .iter()
                    .map(|s| match s.strip_prefix(stem) {
                        Some(rest) => rest.to_string(),
                        None => format!("={s}"),
                    })
                    .collect();
                let home = file_of[id];
                let (sections, pages) = if home == n {
                    (json!(out.sections), json!(out.pages))
                } else {
                    (json!(home), json!(""))
                };
                if i > 0 {
                    text.push(',');
                }
                let _ = write!(
                    text,
                    "[{},{},{sections},{pages},{}",
                    json!(stem),
                    out.df,
                    json!(written.join(","))
                );
                if let Some(r) = ready.get(id).filter(|_| home == n) {
                    text.push(',');
                    text.push_str(r);
                }
                text.push(']');
            }
            text.push(']');
            // The key's alerts whose name falls in this file's range.
            let mine: BTreeMap<&str, u32> = alerts
                .get(key)
                .into_iter()
                .flatten()
                .filter(|(name, _)| first_file[*k] + ranges::range_of(&out[*k].cuts, name) == n)
                .map(|(name, s)| (*name, *s))
                .collect();
            if !mine.is_empty() {
                let _ = write!(text, ",{}", json!(mine));
            }
            text.push_str(");\n");
            staging.write(&format!("search/v/{n}.js"), text.as_bytes())
        })?;
    Ok(out)
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

    /// The ranking as first written: every section scored in a map, all
    /// of them sorted.
    fn best_sections_by_full_sort(sections: &Postings, pages: &Postings, layout: &Layout) -> Vec<u32> {
        let page_impact: FxMap<u32, f32> = pages.iter().copied().collect();
        let mut score: FxMap<u32, f32> = FxMap::default();
        for &(s, impact) in sections {
            let page = layout.section_page[s as usize];
            score.insert(s, impact + page_impact.get(&page).copied().unwrap_or(0.0));
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

    #[test]
    fn best_sections_are_those_of_a_full_ranking() {
        // Sites where a few pages hold most sections (the first ranks are
        // then one page's, past its three) and sites of small pages; ties,
        // title-only pages, short and long postings.
        let mut seed = 7u64;
        let mut next = move |n: u64| {
            seed = seed
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            (seed >> 33) % n
        };
        for case in 0u32..300 {
            let pages = 1 + next(60) as u32;
            let mut layout = Layout {
                section_page: Vec::new(),
                page_first: Vec::new(),
            };
            for p in 0..pages {
                layout.page_first.push(layout.section_page.len() as u32);
                let n = if case.is_multiple_of(3) && p < 2 {
                    40
                } else {
                    1 + next(4)
                };
                layout.section_page.extend(std::iter::repeat_n(p, n as usize));
            }
            layout.page_first.push(layout.section_page.len() as u32);
            let impact = |r: u64| if r.is_multiple_of(5) { 1.0 } else { r as f32 / 7.0 };
            let mut sections: Postings = Vec::new();
            for s in 0..layout.section_page.len() as u32 {
                if next(3) > 0 {
                    sections.push((s, impact(next(50))));
                }
            }
            let mut title: Postings = Vec::new();
            for p in 0..pages {
                if next(4) == 0 {
                    title.push((p, impact(next(50))));
                }
            }
            assert_eq!(
                best_sections(&sections, &title, &layout, |x| x),
                best_sections_by_full_sort(&sections, &title, &layout),
                "case {case}"
            );
        }
    }
}
