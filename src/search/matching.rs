//! From a typed word to the stems it stands for — the rules both engines
//! follow (`templates/assets/search.js` is a line-by-line port of this file).
//!
//! The vocabulary is a list of (surface form, stem) pairs, cut into shards by
//! the first two letters of the surface ([`key`]). A query word is compared
//! with the surfaces of its shard:
//!
//! | class   | when                                                          | tier | weight |
//! |---------|---------------------------------------------------------------|------|--------|
//! | exact   | a surface equals the word; every surface of that stem follows | 3    | 1.0    |
//! | variant | the stem is of the same family (`redemarr` / `redemarrag`), or the word starts with it (an inflection the corpus never used) | 3 | 0.8 |
//! | prefix  | last word of the query only: a surface starts with the word   | 2    | 0.6    |
//! | typo    | 1 edit for words of 5+ letters, 2 for 9+ (Damerau)            | 1    | 0.5 / 0.35 |
//!
//! One correction: when the word itself is rare in the corpus (in at most
//! [`RARE`] sections) and a word one typo away is [`CORRECTION_RATIO`] times
//! more frequent, the frequent one is taken as a variant (`redemarage` written
//! once in a page should not hide the pages about `redémarrage`).
//!
//! A typo in the first two letters moves a word to another shard: when its
//! own shard gives nothing better than typos, the shards of the first two
//! letters swapped and of a letter inserted second are searched too
//! ([`neighbour_keys`]); a wrong or missing first or second letter is not
//! forgiven.
//!
//! A document's score for a word is `tier × TIER + weight × relevance` of the
//! best candidate it contains, summed over words: a document matching more
//! words always comes first, then exact beats prefix beats typo, then
//! relevance (BM25) decides. At most [`PER_PAGE`] sections of one page come
//! before other pages ([`diversify`]).

use std::collections::HashMap;

use crate::fuzzy::distance;

/// Score of one tier: larger than any relevance, so tiers never mix.
pub const TIER: f32 = 1000.0;
/// At most this many prefix expansions of the last word (the most frequent),
/// for a word of 2, 3, 4, and 5 or more letters: a short prefix matches many
/// words, each with its postings to download while the user is still typing.
pub const PREFIX_CAPS: [usize; 4] = [3, 6, 12, 30];

/// How many prefix expansions a word of `chars` letters gets.
pub fn prefix_cap(chars: usize) -> usize {
    PREFIX_CAPS[chars.clamp(2, 5) - 2]
}
/// At most this many typo candidates per word (the closest, then most frequent).
pub const MAX_TYPO: usize = 12;
/// An exact word found in at most this many sections may be a typo …
pub const RARE: u32 = 2;
/// … when a word one typo away is found in this many times more sections.
pub const CORRECTION_RATIO: u32 = 3;

/// How a stem matched a query word.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Class {
    Exact,
    Variant,
    Prefix,
    Typo(u8),
}

impl Class {
    pub fn tier(self) -> u8 {
        match self {
            Class::Exact | Class::Variant => 3,
            Class::Prefix => 2,
            Class::Typo(_) => 1,
        }
    }

    pub fn weight(self) -> f32 {
        match self {
            Class::Exact => 1.0,
            Class::Variant => 0.8,
            Class::Prefix => 0.6,
            Class::Typo(1) => 0.5,
            Class::Typo(_) => 0.35,
        }
    }

    /// What a document containing this candidate scores, before relevance.
    pub fn base(self) -> f32 {
        f32::from(self.tier()) * TIER
    }

    fn better_than(self, other: Class) -> bool {
        (self.tier(), self.weight()) > (other.tier(), other.weight())
    }
}

/// One (surface, stem) pair of the vocabulary, with the stem's document frequency.
#[derive(Debug, Clone, Copy)]
pub struct Entry<'a> {
    pub surface: &'a str,
    pub stem: &'a str,
    pub df: u32,
}

/// A stem a query word stands for.
#[derive(Debug, Clone, PartialEq)]
pub struct Candidate {
    pub stem: String,
    pub class: Class,
    pub df: u32,
}

/// The shard of a word: its first two characters.
pub fn key(word: &str) -> &str {
    match word.char_indices().nth(2) {
        Some((i, _)) => &word[..i],
        None => word,
    }
}

/// Edits a word of `chars` characters may carry and still match.
pub fn typo_budget(chars: usize) -> usize {
    match chars {
        0..=4 => 0,
        5..=8 => 1,
        _ => 2,
    }
}

/// Other shards where a word with a typo in its first two letters may be:
/// the first two swapped (`rdemarrage` → `dr`), or a letter inserted second
/// (`rxedemarrage` → `re`). Only looked at when the word's own shard gives
/// nothing better than typos.
pub fn neighbour_keys(word: &str) -> Vec<String> {
    let c: Vec<char> = word.chars().take(3).collect();
    if c.len() < 3 || typo_budget(word.chars().count()) == 0 {
        return Vec::new();
    }
    let mut keys = vec![
        [c[1], c[0]].iter().collect::<String>(),
        [c[0], c[2]].iter().collect(),
    ];
    keys.retain(|k| k != key(word));
    keys.dedup();
    keys
}

/// Stems of one family: one is the other plus a short ending
/// (`redemarr` / `redemarrag`, `migr` / `migrat`, `verif` / `verifi`).
pub fn related(a: &str, b: &str) -> bool {
    let (short, long) = if a.len() <= b.len() { (a, b) } else { (b, a) };
    if short == long || !long.starts_with(short) {
        return false;
    }
    let (s, diff) = (
        short.chars().count(),
        long.chars().count() - short.chars().count(),
    );
    (s >= 4 && diff <= 2) || (s >= 6 && diff <= 3)
}

/// The stems `word` stands for among `entries` (the vocabulary of its
/// shards). `last`: the word is the last of the query, the one being typed,
/// so prefixes count.
pub fn candidates<'a>(word: &str, last: bool, entries: &[Entry<'a>]) -> Vec<Candidate> {
    let chars = word.chars().count();
    let budget = typo_budget(chars);
    let mut exact: Vec<&str> = Vec::new();
    let mut typo: HashMap<&str, u8> = HashMap::new();
    for e in entries {
        if e.surface == word {
            if !exact.contains(&e.stem) {
                exact.push(e.stem);
            }
        } else if budget > 0
            && let Some(d) = distance(word, e.surface, budget)
        {
            let d = d as u8;
            let slot = typo.entry(e.stem).or_insert(d);
            *slot = (*slot).min(d);
        }
    }
    // A word the corpus holds once or twice, next to a far more frequent word
    // one typo away, is most likely a typo itself (in the page or in the
    // query): the frequent word then counts as a variant, not a typo.
    let exact_df = entries
        .iter()
        .filter(|e| exact.contains(&e.stem))
        .map(|e| e.df)
        .max();
    let corrected = |t: &str| -> bool {
        match exact_df {
            Some(x) if x <= RARE => entries
                .iter()
                .any(|e| e.stem == t && e.df >= CORRECTION_RATIO * x.max(1)),
            _ => false,
        }
    };
    let typo_class = |anchor: &str, d: u8| -> Class {
        if corrected(anchor) {
            Class::Variant
        } else {
            Class::Typo(d)
        }
    };
    let mut best: HashMap<&str, (Class, u32)> = HashMap::new();
    for e in entries {
        let t = e.stem;
        let class = if exact.contains(&t) {
            Some(Class::Exact)
        } else if exact.iter().any(|a| related(a, t))
            || (t.chars().count() >= 5 && word.starts_with(t) && chars - t.chars().count() <= 5)
        {
            Some(Class::Variant)
        } else if last && chars >= 2 && e.surface.starts_with(word) {
            Some(Class::Prefix)
        } else if let Some(&d) = typo.get(t) {
            Some(typo_class(t, d))
        } else {
            typo.iter()
                .filter(|(a, _)| related(a, t))
                .map(|(a, &d)| typo_class(a, d))
                .reduce(|x, y| if y.better_than(x) { y } else { x })
        };
        if let Some(c) = class {
            let slot = best.entry(t).or_insert((c, e.df));
            if c.better_than(slot.0) {
                slot.0 = c;
            }
            slot.1 = slot.1.max(e.df);
        }
    }
    let mut out: Vec<Candidate> = best
        .into_iter()
        .map(|(stem, (class, df))| Candidate {
            stem: stem.to_string(),
            class,
            df,
        })
        .collect();
    // Best class first, then the most frequent, then by name for a stable order.
    out.sort_by(|a, b| {
        b.class
            .tier()
            .cmp(&a.class.tier())
            .then(b.class.weight().total_cmp(&a.class.weight()))
            .then(b.df.cmp(&a.df))
            .then(a.stem.cmp(&b.stem))
    });
    let (mut prefixes, mut typos) = (0, 0);
    let max_prefix = prefix_cap(chars);
    out.retain(|c| match c.class {
        Class::Prefix => {
            prefixes += 1;
            prefixes <= max_prefix
        }
        Class::Typo(_) => {
            typos += 1;
            typos <= MAX_TYPO
        }
        _ => true,
    });
    out
}

/// Sections of one page shown before other pages get their turn.
pub const PER_PAGE: usize = 3;

/// The order to show ranked results in, given the page of each: a page's
/// sections after its first [`PER_PAGE`] go after every other result, so
/// one long page does not fill the list.
pub fn diversify<'a>(pages: impl Iterator<Item = &'a str>) -> Vec<usize> {
    let mut seen: HashMap<&str, usize> = HashMap::new();
    let (mut first, mut later) = (Vec::new(), Vec::new());
    for (i, page) in pages.enumerate() {
        let n = seen.entry(page).or_default();
        *n += 1;
        if *n <= PER_PAGE {
            first.push(i)
        } else {
            later.push(i)
        }
    }
    first.extend(later);
    first
}

/// True when `word` found something better than typos: no need to look in
/// the neighbouring shards.
pub fn satisfied(found: &[Candidate]) -> bool {
    found.iter().any(|c| c.class.tier() >= 2)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn e<'a>(surface: &'a str, stem: &'a str) -> Entry<'a> {
        Entry { surface, stem, df: 1 }
    }

    fn classes(word: &str, last: bool, entries: &[Entry<'_>]) -> Vec<(String, Class)> {
        candidates(word, last, entries)
            .into_iter()
            .map(|c| (c.stem, c.class))
            .collect()
    }

    const VOCAB: &[(&str, &str)] = &[
        ("redemarrage", "redemarrag"),
        ("redemarrer", "redemarr"),
        ("redemarre", "redemarr"),
        ("redis", "redis"),
        ("reseau", "reseau"),
        ("reseaux", "reseau"),
    ];

    fn vocab() -> Vec<Entry<'static>> {
        VOCAB.iter().map(|(s, t)| e(s, t)).collect()
    }

    #[test]
    fn inflections_are_exact_or_variants() {
        let got = classes("redemarrer", false, &vocab());
        assert_eq!(got[0], ("redemarr".into(), Class::Exact));
        assert!(got.contains(&("redemarrag".into(), Class::Variant)));
        // A form the corpus never used still reaches its stem.
        assert_eq!(
            classes("redemarrerons", false, &vocab())[0],
            ("redemarr".into(), Class::Variant)
        );
    }

    #[test]
    fn typos_by_length() {
        // 10 letters, one letter missing: one edit away from `redemarrage`.
        let got = classes("redemarage", false, &vocab());
        assert_eq!(got[0], ("redemarrag".into(), Class::Typo(1)));
        // The family of a typo follows it.
        assert!(got.iter().any(|(s, _)| s == "redemarr"));
        // 4 letters: no typo allowed.
        assert!(classes("rdis", false, &vocab()).is_empty());
        assert_eq!(
            classes("rseau", false, &vocab())[0],
            ("reseau".into(), Class::Typo(1))
        );
    }

    #[test]
    fn a_rare_word_next_to_a_frequent_one_is_a_typo() {
        let entries = [
            Entry {
                surface: "redemarage",
                stem: "redemarag",
                df: 1,
            },
            Entry {
                surface: "redemarrage",
                stem: "redemarrag",
                df: 6,
            },
        ];
        let got = classes("redemarage", false, &entries);
        assert_eq!(got[0], ("redemarag".into(), Class::Exact));
        assert_eq!(got[1], ("redemarrag".into(), Class::Variant));
    }

    #[test]
    fn prefixes_only_for_the_last_word() {
        assert_eq!(
            classes("resea", true, &vocab())[0],
            ("reseau".into(), Class::Prefix)
        );
        assert!(
            classes("resea", false, &vocab())
                .iter()
                .all(|(_, c)| *c != Class::Prefix)
        );
    }

    #[test]
    fn exact_beats_prefix_beats_typo() {
        assert!(Class::Exact.base() > Class::Prefix.base() + 100.0);
        assert!(Class::Prefix.base() > Class::Typo(1).base() + 100.0);
    }

    #[test]
    fn long_pages_do_not_fill_the_list() {
        let order = diversify(["a", "a", "a", "a", "b", "a", "c"].into_iter());
        assert_eq!(order, [0, 1, 2, 4, 6, 3, 5]);
    }
}
