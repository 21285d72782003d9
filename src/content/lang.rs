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
    let (mut fr, mut en) = (0usize, 0usize);
    let sample = match text.char_indices().nth(4000) {
        Some((i, _)) => &text[..i],
        None => text,
    };
    // The listed words are short and ASCII: other words are skipped without
    // being lower-cased (this runs on every page of the site).
    let mut lower = [0u8; 6];
    for word in sample.split(|c: char| !c.is_alphabetic()) {
        if word.is_empty() || word.len() > 6 || !word.is_ascii() {
            continue;
        }
        let w = &mut lower[..word.len()];
        w.copy_from_slice(word.as_bytes());
        w.make_ascii_lowercase();
        let w = std::str::from_utf8(w).unwrap_or_default();
        if FR.contains(&w) {
            fr += 1;
        }
        if EN.contains(&w) {
            en += 1;
        }
    }
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

#[cfg(test)]
mod tests {
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
