//! Heading anchors, compatible with GitHub and mdBook: letters (accented ones
//! kept), digits, `-` and `_` survive, lowercased; white space becomes `-`;
//! everything else is dropped. `## Durée de rétention` → `durée-de-rétention`.
//! Rendering and link checking both call [`slugify`], so they cannot disagree.

use std::collections::HashMap;

/// The anchor of a heading whose plain text is `text`.
pub fn slugify(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.trim().chars() {
        if c.is_alphanumeric() || c == '_' || c == '-' {
            out.extend(c.to_lowercase());
        } else if c.is_whitespace() {
            out.push('-');
        }
    }
    out
}

/// Gives each heading of a page a unique anchor: the second `Étapes` becomes `étapes-1`.
#[derive(Default)]
pub struct Slugger {
    seen: HashMap<String, usize>,
}

impl Slugger {
    pub fn unique(&mut self, base: String) -> String {
        let base = if base.is_empty() {
            "section".to_string()
        } else {
            base
        };
        let Some(&start) = self.seen.get(&base) else {
            self.seen.insert(base.clone(), 0);
            return base;
        };
        let mut n = start;
        loop {
            n += 1;
            let candidate = format!("{base}-{n}");
            if !self.seen.contains_key(&candidate) {
                self.seen.insert(base, n);
                self.seen.insert(candidate.clone(), 0);
                return candidate;
            }
        }
    }

    /// Marks an id written by hand (`{#id}`) as taken.
    pub fn reserve(&mut self, id: &str) {
        self.seen.entry(id.to_string()).or_insert(0);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accents_kept_punctuation_dropped() {
        assert_eq!(slugify("Durée de rétention"), "durée-de-rétention");
        assert_eq!(
            slugify("Étape 2 : redémarrer `nova-compute`"),
            "étape-2--redémarrer-nova-compute"
        );
        assert_eq!(slugify("What's new?"), "whats-new");
        assert_eq!(slugify("snake_case & co."), "snake_case--co");
    }

    #[test]
    fn duplicates_are_numbered() {
        let mut s = Slugger::default();
        assert_eq!(s.unique("étapes".into()), "étapes");
        assert_eq!(s.unique("étapes".into()), "étapes-1");
        assert_eq!(s.unique("étapes".into()), "étapes-2");
        assert_eq!(s.unique(String::new()), "section");
    }
}
