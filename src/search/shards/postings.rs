//! Every stem's postings, built from the pages' terms on all threads.
//!
//! The stems are shared out in ranges of about as many postings each; each
//! thread reads every page's terms and keeps those of its range, in lists
//! sized from the document frequencies (counted first, by runs of pages).
//! A list grows by doubling otherwise: a third more memory at the peak.

use std::ops::Range;

use rayon::prelude::*;

use super::{
    HEADING_BOOST, K1, MAX_POSTINGS, PageTerms, Postings, Scale, Section, TITLE_BOOST, bm25, idf, keep_best,
    section_count, truncate,
};

/// Every stem's postings, (sections, pages), each cut to its `MAX_POSTINGS`
/// most relevant entries, in number order.
pub(super) struct All {
    pub lists: Vec<(Postings, Postings)>,
    /// Document frequencies by stem: in how many sections, and in how many
    /// pages (title and metadata), each stem occurs.
    pub df: Vec<(u32, u32)>,
    /// The scale that spans the impacts kept, for their quantisation.
    pub scale: Scale,
}

/// The postings of a range of stems, and the lowest positive and highest
/// impact kept.
type Part = (Vec<(Postings, Postings)>, (f32, f32));

/// What an impact is computed from.
struct Weights {
    /// Inverse document frequencies by stem, (sections, pages).
    idfs: Vec<(f32, f32)>,
    avg_heading: f32,
    avg_body: f32,
}

impl All {
    /// The postings of `terms`, whose words are numbered below `n_words`.
    pub fn build(terms: &[PageTerms], n_words: usize) -> All {
        let n_pages = terms.len() as u32;
        let n_sections = section_count(terms);
        let average = |f: fn(&Section) -> u32| -> f32 {
            let total: u64 = terms
                .iter()
                .flat_map(|t| t.sections.iter().map(|s| u64::from(f(s))))
                .sum();
            (total as f32 / n_sections.max(1) as f32).max(1.0)
        };
        let df = document_frequencies(terms, n_words);
        let weights = Weights {
            idfs: df
                .iter()
                .map(|&(s, p)| (idf(s, n_sections), idf(p, n_pages)))
                .collect(),
            avg_heading: average(|s| s.heading_len),
            avg_body: average(|s| s.body_len),
        };
        let parts: Vec<Part> = ranges(&df, rayon::current_num_threads())
            .into_par_iter()
            .map(|stems| postings_of(terms, stems, &df, &weights))
            .collect();
        let (mut lo, mut hi) = (f32::MAX, 0f32);
        let mut lists = Vec::with_capacity(n_words);
        for (part, (part_lo, part_hi)) in parts {
            lists.extend(part);
            lo = lo.min(part_lo);
            hi = hi.max(part_hi);
        }
        if lo > hi {
            (lo, hi) = (1.0, 1.0);
        }
        All {
            lists,
            df,
            scale: Scale::new(lo, hi),
        }
    }
}

/// Document frequencies by stem, counted by runs of pages on all threads.
fn document_frequencies(terms: &[PageTerms], n_words: usize) -> Vec<(u32, u32)> {
    let per_run = terms.len().div_ceil(rayon::current_num_threads()).max(1);
    terms
        .par_chunks(per_run)
        .map(|run| {
            let mut df = vec![(0u32, 0u32); n_words];
            for t in run {
                for &(stem, _) in &t.page {
                    df[stem as usize].1 += 1;
                }
                for s in &t.sections {
                    for (stem, _, _) in s.terms() {
                        df[stem as usize].0 += 1;
                    }
                }
            }
            df
        })
        .reduce_with(|mut a, b| {
            for (x, y) in a.iter_mut().zip(b) {
                x.0 += y.0;
                x.1 += y.1;
            }
            a
        })
        .unwrap_or_else(|| vec![(0, 0); n_words])
}

/// `parts` ranges of stems, one after the other, of about as many postings each.
fn ranges(df: &[(u32, u32)], parts: usize) -> Vec<Range<usize>> {
    let total: u64 = df.iter().map(|&(s, p)| u64::from(s + p)).sum();
    let share = total.div_ceil(parts.max(1) as u64).max(1);
    let mut out = Vec::with_capacity(parts);
    let (mut start, mut sum) = (0, 0u64);
    for (stem, &(s, p)) in df.iter().enumerate() {
        sum += u64::from(s + p);
        if sum >= share * (out.len() as u64 + 1) && out.len() + 1 < parts {
            out.push(start..stem + 1);
            start = stem + 1;
        }
    }
    out.push(start..df.len());
    out
}

/// The postings of the stems of `range`, cut, with the lowest positive and
/// the highest impact kept.
fn postings_of(terms: &[PageTerms], range: Range<usize>, df: &[(u32, u32)], weights: &Weights) -> Part {
    // A list never holds more than twice what it keeps: cut to its best
    // whenever it reaches that, a frequent stem's list does not take the
    // memory of all its postings.
    let room = |n: u32| Vec::with_capacity((n as usize).min(2 * MAX_POSTINGS));
    let mut lists: Vec<(Postings, Postings)> = df[range.clone()]
        .iter()
        .map(|&(s, p)| (room(s), room(p)))
        .collect();
    let (first, end) = (range.start as u32, range.end as u32);
    let mut section_id = 0u32;
    for (page_id, t) in terms.iter().enumerate() {
        for &(stem, tf) in &t.page {
            if (first..end).contains(&stem) {
                let idf = weights.idfs[stem as usize].1;
                let impact = TITLE_BOOST * idf * tf * (K1 + 1.0) / (tf + K1);
                push_kept(&mut lists[(stem - first) as usize].1, (page_id as u32, impact));
            }
        }
        for s in &t.sections {
            for (stem, tf_heading, tf_body) in s.terms() {
                if (first..end).contains(&stem) {
                    let idf = weights.idfs[stem as usize].0;
                    let impact = HEADING_BOOST * bm25(idf, tf_heading, s.heading_len, weights.avg_heading)
                        + bm25(idf, tf_body, s.body_len, weights.avg_body);
                    push_kept(&mut lists[(stem - first) as usize].0, (section_id, impact));
                }
            }
            section_id += 1;
        }
    }
    let (mut lo, mut hi) = (f32::MAX, 0f32);
    // A list cut as it grew has more than `MAX_POSTINGS` (it is cut just
    // before a push): `truncate` cuts it again and puts it back in order.
    for (s, p) in lists.iter_mut() {
        truncate(s, MAX_POSTINGS);
        truncate(p, MAX_POSTINGS);
        for &(_, x) in s.iter().chain(p.iter()) {
            if x > 0.0 {
                lo = lo.min(x);
                hi = hi.max(x);
            }
        }
    }
    (lists, (lo, hi))
}

/// Adds `posting` to `list`, first cutting the list to its best
/// `MAX_POSTINGS` when it holds twice as many.
fn push_kept(list: &mut Postings, posting: (u32, f32)) {
    if list.len() >= 2 * MAX_POSTINGS {
        keep_best(list, MAX_POSTINGS);
    }
    list.push(posting);
}

#[cfg(test)]
mod tests {
    #[test]
    fn ranges_share_the_postings_and_cover_every_stem() {
        let df = [(10, 0), (0, 0), (1, 1), (3, 0), (4, 0), (0, 2), (5, 5)];
        for parts in 1..=9 {
            let ranges = super::ranges(&df, parts);
            assert!(ranges.len() <= parts.max(1));
            assert_eq!(ranges[0].start, 0);
            assert_eq!(ranges.last().unwrap().end, df.len());
            for w in ranges.windows(2) {
                assert_eq!(w[0].end, w[1].start);
            }
        }
        assert_eq!(super::ranges(&df, 2), [0..5, 5..7]);
        assert_eq!(super::ranges(&[], 2), vec![0..0]);
    }

    #[test]
    fn a_list_cut_as_it_grows_keeps_what_one_cut_keeps() {
        use super::MAX_POSTINGS;
        // Impacts that go up and down, with many equal ones.
        let all: Vec<(u32, f32)> = (0..5 * MAX_POSTINGS as u32 + 7)
            .map(|i| (i, ((i * 7919) % 1000) as f32 / 10.0))
            .collect();
        let mut grown = Vec::new();
        for &p in &all {
            super::push_kept(&mut grown, p);
            assert!(grown.len() <= 2 * MAX_POSTINGS);
        }
        super::truncate(&mut grown, MAX_POSTINGS);
        let mut at_once = all.clone();
        super::truncate(&mut at_once, MAX_POSTINGS);
        assert_eq!(grown, at_once);
    }
}
