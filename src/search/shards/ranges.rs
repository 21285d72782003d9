//! Where a large vocabulary key is cut into ranges of stems, one file each.
//!
//! A word goes to the range its letters sort into (the last whose cut sorts
//! before it, as `search.js`'s `fileOf` finds it). A range is never cut
//! where a word of the site would find its stems on both sides — a stem
//! and one of its surfaces, or two stems of one family — and not between a
//! word and the words it begins unless keeping them together would make a
//! file too large: the stems a word stands for are in the file it loads.

use std::collections::BTreeSet;
use std::ops::Range;

use crate::search::analysis::FxSet;
use crate::search::matching;

/// A key whose postings and ready sections come to more than this many
/// characters is cut into ranges of about this size.
const FILE_CHARS: usize = 16_000;
/// A word of at least this many letters typed last finds the words it
/// begins in its own file (`galera` → `galeraclustersizelow`) unless they
/// would make it larger than twice `FILE_CHARS`.
const PREFIX_KEPT: usize = 4;

/// One key's stems (name, number, surfaces), by name.
pub type Stems<'n> = Vec<(&'n str, u32, BTreeSet<&'n str>)>;

/// The stems of a key in ranges of about `FILE_CHARS` (`sizes` of the
/// stems, by name), cut only where a word of the key finds all its stems on
/// its side, and where the words a word begins stay on its side too when
/// they can (`cuts`, from [`cuttable`], asked for only if there is a cut).
pub fn ranges(sizes: &[usize], cuts: impl FnOnce() -> Vec<Cut>) -> Vec<Range<usize>> {
    let all = 0..sizes.len();
    if sizes.iter().sum::<usize>() <= FILE_CHARS {
        return vec![all];
    }
    let cuts = cuts();
    let mut out = Vec::new();
    let (mut start, mut chars) = (0, 0);
    for i in 0..sizes.len() {
        let at = |level: Cut| (start + 1..=i).rev().find(|&g| cuts[g] >= level);
        let over = chars + sizes[i];
        let at = if over <= FILE_CHARS {
            None
        } else if over <= 2 * FILE_CHARS {
            at(Cut::Clean)
        } else {
            at(Cut::Clean).or_else(|| at(Cut::Prefixes))
        };
        if let Some(at) = at {
            out.push(start..at);
            start = at;
            chars = sizes[at..i].iter().sum();
        }
        chars += sizes[i];
    }
    out.push(start..sizes.len());
    out
}

/// Whether a range may begin with a stem, worst first.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Cut {
    /// A word of the key would find its stems on both sides: a stem before
    /// has a surface that sorts from the cut on, a stem from it on has one
    /// that sorts before, or two related stems ([`matching::related`])
    /// fall on either side.
    Never,
    /// The cut begins with a word of `PREFIX_KEPT` letters or more: the
    /// words it begins would fall on either side.
    Prefixes,
    Clean,
}

/// For each stem of a key (by name), how a range may begin with it.
pub fn cuttable(list: &Stems<'_>) -> Vec<Cut> {
    let n = list.len();
    let mut ok = vec![Cut::Clean; n];
    if n > 0 {
        ok[0] = Cut::Never;
    }
    // Highest surface (or stem) before each stem, lowest from each stem on.
    let mut highest = vec![""; n + 1];
    for i in 0..n {
        let (stem, _, surfaces) = &list[i];
        let top = surfaces.last().map_or(*stem, |s| (*s).max(stem));
        highest[i + 1] = highest[i].max(top);
    }
    let mut lowest: Vec<Option<&str>> = vec![None; n + 1];
    for i in (0..n).rev() {
        let (stem, _, surfaces) = &list[i];
        let low = surfaces.first().map_or(*stem, |s| (*s).min(stem));
        lowest[i] = Some(lowest[i + 1].map_or(low, |l| l.min(low)));
    }
    let words: FxSet<&str> = list
        .iter()
        .flat_map(|(stem, _, surfaces)| std::iter::once(*stem).chain(surfaces.iter().copied()))
        .collect();
    for i in 1..n {
        let c = cut(list[i - 1].0, list[i].0);
        let begun = c
            .char_indices()
            .skip(PREFIX_KEPT)
            .any(|(at, _)| words.contains(&c[..at]));
        if highest[i] >= c.as_str() || lowest[i].is_some_and(|l| l < c.as_str()) {
            ok[i] = Cut::Never;
        } else if begun {
            ok[i] = Cut::Prefixes;
        }
    }
    for i in 0..n {
        let stem = list[i].0;
        for j in i + 1..n {
            if !list[j].0.starts_with(stem) {
                break;
            }
            if matching::related(stem, list[j].0) {
                ok[i + 1..=j].iter_mut().for_each(|o| *o = Cut::Never);
            }
        }
    }
    ok
}

/// Where a range beginning at stem `next` is cut from one ending at stem
/// `last`: the shortest prefix of `next` that sorts after `last`.
pub fn cut(last: &str, next: &str) -> String {
    for (i, _) in next.char_indices().skip(1) {
        if &next[..i] > last {
            return next[..i].to_string();
        }
    }
    next.to_string()
}

/// The range, among those of `cuts`, that a word goes to: the last whose
/// cut sorts before it (`search.js` does the same, `fileOf`).
pub fn range_of(cuts: &[String], word: &str) -> usize {
    cuts.iter().take_while(|c| c.as_str() <= word).count()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn stems<'a>(list: &[(&'a str, &[&'a str])]) -> Stems<'a> {
        list.iter()
            .enumerate()
            .map(|(i, (stem, surfaces))| (*stem, i as u32, surfaces.iter().copied().collect()))
            .collect()
    }

    #[test]
    fn a_small_key_is_one_file() {
        let all = 0..2;
        assert_eq!(ranges(&[100, 200], || unreachable!("no cut needed")), vec![all]);
    }

    #[test]
    fn ranges_keep_a_words_stems_together_and_words_find_their_range() {
        // `nov` (French) and `nova` (English) both stem the word `nova`;
        // `novncproxi` is the stem of `novncproxy`.
        let list = stems(&[
            ("nodal", &["nodal"]),
            ("nod", &["nodes"]),
            ("nov", &["nova", "novas"]),
            ("nova", &["nova"]),
            ("novaapidown", &["novaapidown"]),
            ("novncproxi", &["novncproxy"]),
            ("nul", &["nul"]),
        ]);
        let mut list = list;
        list.sort_by_key(|s| s.0);
        let k = FILE_CHARS / 3;
        let r = ranges(&[k; 7], || cuttable(&list));
        let names: Vec<&str> = list.iter().map(|s| s.0).collect();
        assert_eq!(
            names,
            ["nod", "nodal", "nov", "nova", "novaapidown", "novncproxi", "nul"]
        );
        // Not between `nov` and `nova`, nor inside `nov`'s surfaces (`novas` > `novaa`).
        assert_eq!(r, [0..2, 2..5, 5..7]);
        let cuts: Vec<String> = r[1..]
            .iter()
            .map(|r| cut(names[r.start - 1], names[r.start]))
            .collect();
        assert_eq!(cuts, ["nov", "novn"]);
        for (word, range) in [
            ("nodes", 0),
            ("nova", 1),
            ("novas", 1),
            ("novaapidown", 1),
            ("novncproxy", 2),
            ("nul", 2),
            ("no", 0),
        ] {
            assert_eq!(range_of(&cuts, word), range, "{word}");
        }
    }

    #[test]
    fn related_stems_stay_together() {
        let list = stems(&[
            ("reda", &["reda"]),
            ("redemarr", &["redemarrer"]),
            ("redemarrag", &["redemarrage"]),
            ("redis", &["redis"]),
        ]);
        let ok = cuttable(&list);
        // `redemarrag` sorts before `redemarrer`, and the two stems are related.
        assert_eq!(ok, [Cut::Never, Cut::Clean, Cut::Never, Cut::Clean]);
    }

    #[test]
    fn a_word_stays_with_the_words_it_begins() {
        let list = stems(&[
            ("gal", &["gal"]),
            ("galera", &["galera"]),
            ("galeraclustersizelow", &["galeraclustersizelow"]),
            ("galop", &["galop"]),
        ]);
        // `galera` typed last finds `galeraclustersizelow`; `gal` is too short to count.
        assert_eq!(
            cuttable(&list),
            [Cut::Never, Cut::Clean, Cut::Prefixes, Cut::Clean]
        );
    }

    #[test]
    fn a_family_of_prefixes_is_cut_when_nothing_else_keeps_files_small() {
        use Cut::*;
        let k = FILE_CHARS / 2;
        // The last clean cut, then one between a word and those it begins
        // once the file would be more than twice as large …
        assert_eq!(
            ranges(&[k; 6], || vec![
                Never, Clean, Prefixes, Prefixes, Prefixes, Prefixes
            ]),
            [0..1, 1..5, 5..6]
        );
        // … but a clean one when there is one.
        assert_eq!(
            ranges(&[k; 4], || vec![Never, Prefixes, Clean, Prefixes]),
            [0..2, 2..4]
        );
        // Never where a word would lose its stems, whatever the size.
        let all = 0..3;
        assert_eq!(ranges(&[k; 3], || vec![Never, Never, Never]), vec![all]);
    }
}
