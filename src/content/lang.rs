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

/// `Some("fr")` or `Some("en")` when one language clearly dominates `text`.
pub fn detect(text: &str) -> Option<&'static str> {
    let sample = match text.char_indices().nth(4000) {
        Some((i, _)) => &text[..i],
        None => text,
    };
    let (fr, en) = counts(sample);
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

/// A word of at most eight ASCII letters as a number, lower-cased (one
/// comparison instead of a string's, on every word of every page).
fn key(word: &str) -> u64 {
    word.bytes()
        .fold(0, |k, b| k << 8 | u64::from(b.to_ascii_lowercase()))
}

fn sorted_keys(words: &[&str]) -> Vec<u64> {
    let mut keys: Vec<u64> = words.iter().map(|w| key(w)).collect();
    keys.sort_unstable();
    keys
}

/// How many of the commonest French and English words `sample` holds.
fn counts(sample: &str) -> (usize, usize) {
    let (mut fr, mut en) = (0usize, 0usize);
    // Words are runs of letters; the listed words are short and ASCII, so a
    // word with another letter is skipped without being lower-cased. This
    // runs on every page of the site: bytes are looked at, not characters,
    // but outside ASCII (`is_alphabetic` searches a table).
    static KEYS: std::sync::LazyLock<(Vec<u64>, Vec<u64>)> =
        std::sync::LazyLock::new(|| (sorted_keys(FR), sorted_keys(EN)));
    let (fr_keys, en_keys) = &*KEYS;
    let mut count = |word: &str| {
        if word.is_empty() || word.len() > 6 || !word.is_ascii() {
            return;
        }
        let k = key(word);
        if fr_keys.binary_search(&k).is_ok() {
            fr += 1;
        }
        if en_keys.binary_search(&k).is_ok() {
            en += 1;
        }
    };
    let bytes = sample.as_bytes();
    let (mut i, mut start) = (0, 0);
    while i < bytes.len() {
        let (letter, width) = if bytes[i].is_ascii() {
            (bytes[i].is_ascii_alphabetic(), 1)
        } else {
            let c = sample[i..].chars().next().unwrap_or(' ');
            (c.is_alphabetic(), c.len_utf8())
        };
        if !letter {
            count(&sample[start..i]);
            start = i + width;
        }
        i += width;
    }
    count(&sample[start..]);
    (fr, en)
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
            assert_eq!(super::counts(text), counts_by_chars(text), "{text}");
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
