//! Guessing a page's language when its front matter does not say (an English
//! guide in a French knowledge base): a count of the commonest French and
//! English words is enough for prose. When neither clearly dominates, the
//! page is in the site's language.

const FR: &[&str] = &[
    "le", "la", "les", "des", "du", "un", "une", "et", "est", "pour", "dans", "que", "qui", "sur", "pas",
    "avec", "sont", "au", "aux", "ce", "cette", "il", "vous", "nous", "en",
];
const EN: &[&str] = &[
    "the", "and", "is", "to", "of", "for", "in", "that", "with", "are", "this", "it", "on", "you", "be",
    "not", "an", "if", "by", "from", "can", "as", "or", "when", "which",
];

/// How many characters of a page are looked at: enough prose to tell.
const SAMPLE_CHARS: usize = 4000;

/// `Some("fr")` or `Some("en")` when one language clearly dominates `text`.
pub fn detect(text: &str) -> Option<&'static str> {
    let (fr, en) = counts(text, SAMPLE_CHARS);
    if fr + en < 5 {
        None
    } else if fr > en * 3 / 2 {
        Some("fr")
    } else if en > fr * 3 / 2 {
        Some("en")
    } else {
        None
    }
}

/// The longest listed word, in bytes.
const LONGEST: u64 = 6;

/// A word of at most eight ASCII letters as a number, lower-cased.
fn key(word: &str) -> u64 {
    word.bytes()
        .fold(0, |k, b| k << 8 | u64::from(b.to_ascii_lowercase()))
}

/// The listed words by key, placed so that each one is found with a
/// multiplication and one comparison: `slots[hash(key)]` holds the word's
/// key and whether it is French (bit 1) or English (bit 2).
struct Words {
    slots: [(u64, u64); 256],
    multiplier: u64,
}

impl Words {
    fn new() -> Words {
        // The first odd multiplier (a fixed sequence) that gives each listed
        // word a slot of its own: a few tries for 50 words in 256 slots.
        let words: Vec<(u64, u64)> = FR
            .iter()
            .map(|w| (key(w), 1))
            .chain(EN.iter().map(|w| (key(w), 2)))
            .collect();
        let mut multiplier: u64 = 0x9e37_79b9_7f4a_7c15;
        'search: loop {
            let mut slots = [(0, 0); 256];
            for &(k, lang) in &words {
                let slot = &mut slots[Self::hash(multiplier, k)];
                if slot.1 != 0 && slot.0 != k {
                    multiplier = multiplier.wrapping_add(0x2545_f491_4f6c_dd1d) | 1;
                    continue 'search;
                }
                *slot = (k, slot.1 | lang);
            }
            return Words { slots, multiplier };
        }
    }

    fn hash(multiplier: u64, key: u64) -> usize {
        (key.wrapping_mul(multiplier) >> 56) as usize
    }

    /// 1 for a French word, 2 for an English one, 0 for a word that is
    /// not listed; the caller ANDs it with 1 when `key` is a listed word's,
    /// 0 when not (compared without a branch).
    fn slot(&self, key: u64) -> (u64, u64) {
        self.slots[Self::hash(self.multiplier, key)]
    }
}

/// How many of the commonest French and English words the first `limit`
/// characters of `text` hold.
fn counts(text: &str, limit: usize) -> (usize, usize) {
    static WORDS: std::sync::LazyLock<Words> = std::sync::LazyLock::new(Words::new);
    let words = &*WORDS;
    // Words are runs of letters. This runs on every page of the site: one
    // pass over the bytes, the current word's key built as it goes, and no
    // branch on where words end (the processor would guess wrong at every
    // other one): each byte that is not a letter looks the word so far up
    // and counts it only when the byte ends the word. A word longer than the
    // longest listed one or holding a letter outside ASCII (`leçon`) is
    // none of them. Outside ASCII, `is_alphabetic` says what a letter is.
    let (mut fr, mut en) = (0u64, 0u64);
    // The current word: its key, its length in bytes, 1 while it is ASCII.
    let (mut key, mut len, mut ascii) = (0u64, 0u64, 1u64);
    let text = &text[..sample_end(text.as_bytes(), limit)];
    let bytes = text.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        let b = bytes[i];
        // `b | 0x20` lower-cases an ASCII letter.
        let lower = b | 0x20;
        let letter = if b.is_ascii() {
            i += 1;
            u64::from(lower.wrapping_sub(b'a') < 26)
        } else {
            let c = text[i..].chars().next().unwrap_or(' ');
            i += c.len_utf8();
            if is_letter(c) {
                ascii = 0;
                len += c.len_utf8() as u64;
                continue;
            }
            0
        };
        // 1 when this byte ends a listed word.
        let (listed, lang) = words.slot(key);
        let ends = u64::from(listed == key) & (letter ^ 1) & ascii & u64::from(len.wrapping_sub(1) < LONGEST);
        fr += ends & lang;
        en += ends & (lang >> 1);
        // All ones after a letter, zero after anything else (a mask, not a
        // product: the next byte waits for `key`).
        let keep = letter.wrapping_neg();
        key = (key << 8 | u64::from(lower)) & keep;
        len = (len + 1) & keep;
        ascii |= letter ^ 1;
    }
    let (listed, lang) = words.slot(key);
    let ends = u64::from(listed == key) & ascii & u64::from(len.wrapping_sub(1) < LONGEST);
    fr += ends & lang;
    en += ends & (lang >> 1);
    (fr as usize, en as usize)
}

/// The length in bytes of the first `limit` characters of UTF-8 `bytes`.
fn sample_end(bytes: &[u8], limit: usize) -> usize {
    const HIGH: u64 = 0x8080_8080_8080_8080;
    let (mut i, mut chars) = (0, 0);
    // Eight bytes at a time while they cannot hold the last character: a
    // character starts at every byte but continuation bytes (`10xxxxxx`).
    while let Some(eight) = bytes.get(i..i + 8)
        && chars + 8 <= limit
    {
        let w = u64::from_le_bytes(eight.try_into().unwrap_or_default());
        chars += 8 - (w & !(w << 1) & HIGH).count_ones() as usize;
        i += 8;
    }
    while i < bytes.len() {
        if (bytes[i] as i8) >= -0x40 {
            if chars == limit {
                return i;
            }
            chars += 1;
        }
        i += 1;
    }
    bytes.len()
}

/// `c.is_alphabetic()`, answered at once for Latin-1 (the accented letters
/// of French), where the standard library searches Unicode tables for any
/// character outside ASCII.
fn is_letter(c: char) -> bool {
    if u32::from(c) < 0x100 {
        matches!(c, 'a'..='z' | 'A'..='Z' | 'ª' | 'µ' | 'º' | 'À'..='Ö' | 'Ø'..='ö' | 'ø'..='ÿ')
    } else {
        c.is_alphabetic()
    }
}

#[cfg(test)]
mod tests {
    /// The counts the way words were first split: by `char::is_alphabetic`.
    fn counts_by_chars(text: &str) -> (usize, usize) {
        let words: Vec<String> = text
            .split(|c: char| !c.is_alphabetic())
            .filter(|w| !w.is_empty() && w.len() <= 6)
            .map(str::to_lowercase)
            .collect();
        let n = |list: &[&str]| words.iter().filter(|w| list.contains(&w.as_str())).count();
        (n(super::FR), n(super::EN))
    }

    #[test]
    fn words_are_split_as_letters_say() {
        // Letters outside ASCII join words (`leçon` is not `le` + `on`),
        // other characters split them (`l’eau`, a non-breaking space, `—`).
        for text in [
            "La leçon est là : l’eau et le feu\u{a0}sont dans un seau — déjà vu, ET LA SUITE.",
            "The ÉTÉ and the Straße is not in the list; You AND it are.",
            "les des du un une et est pour dans que qui",
        ] {
            assert_eq!(super::counts(text, usize::MAX), counts_by_chars(text), "{text}");
        }
    }

    #[test]
    fn the_sample_ends_after_its_last_character() {
        let text = "aé€😀 bç—x".repeat(5);
        for limit in 0..text.chars().count() + 3 {
            let end = text.char_indices().nth(limit).map_or(text.len(), |(i, _)| i);
            assert_eq!(super::sample_end(text.as_bytes(), limit), end, "{limit}");
        }
    }

    #[test]
    fn latin_1_letters_are_unicode_letters() {
        for c in (0..0x100).filter_map(char::from_u32) {
            assert_eq!(super::is_letter(c), c.is_alphabetic(), "{c:?}");
        }
    }

    #[test]
    fn every_listed_word_is_found_and_no_other() {
        for (list, lang) in [(super::FR, 1), (super::EN, 2)] {
            for w in list {
                assert_eq!(
                    super::counts(w, usize::MAX),
                    (usize::from(lang == 1), usize::from(lang == 2)),
                    "{w}"
                );
            }
        }
        for w in ["l", "lez", "thee", "a", "i", "leçon", "cettes", "whichs"] {
            assert_eq!(super::counts(w, usize::MAX), (0, 0), "{w}");
        }
    }

    #[test]
    fn only_the_first_characters_count() {
        // The sample ends after `limit` characters, even inside a word
        // (`lesquelles` cut after `les` is `les`).
        let text = "Déjà là, où es-tu ? lesquelles et the and ".repeat(20);
        for limit in [0, 1, 3, 22, 23, 24, 25, 200, 401] {
            let sample: String = text.chars().take(limit).collect();
            assert_eq!(super::counts(&text, limit), counts_by_chars(&sample), "{limit}");
        }
    }

    #[test]
    fn detects_french_and_english() {
        assert_eq!(
            super::detect(
                "Redémarrer le service nova-compute sur les hyperviseurs et vérifier que les instances sont dans un état correct."
            ),
            Some("fr")
        );
        assert_eq!(
            super::detect(
                "This alert fires when the number of replicas is not the one expected and the pods are not ready."
            ),
            Some("en")
        );
        assert_eq!(super::detect("kubectl get pods"), None);
    }
}
