//! Heading anchors, in two styles. [`SlugStyle::GitHub`] (GitHub, mdBook,
//! Hugo): letters (accented ones kept), digits, `-` and `_` survive, lowercased;
//! white space becomes `-`; everything else is dropped; `## Durée de rétention`
//! → `durée-de-rétention`, the second `Étapes` → `étapes-1`.
//! [`SlugStyle::MkDocs`] (Python-Markdown's `toc`, what an MkDocs site links
//! to): accents folded to ASCII, runs of spaces and hyphens become one `-`;
//! `Upgrade / Downgrade` → `upgrade-downgrade`, the second `Étapes` →
//! `etapes_1`. Rendering and link checking both read the anchors the renderer
//! made with the page's [`Slugger`], so they cannot disagree.

use std::collections::{HashMap, HashSet};

use unicode_normalization::UnicodeNormalization;

use crate::config::{HeadingIds, Layout};

/// Which tool's anchors a site links to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum SlugStyle {
    /// GitHub, mdBook and Hugo.
    #[default]
    GitHub,
    /// MkDocs (Python-Markdown's `toc` extension).
    MkDocs,
    /// MkDocs with `toc: slugify:` set to pymdown-extensions' Unicode slugs
    /// (`pymdownx.slugs.slugify`): accents kept, lowercased or not.
    MkDocsUnicode { lower: bool },
    /// Hugo with `autoHeadingIDType = "github-ascii"`.
    GitHubAscii,
    /// Hugo with `autoHeadingIDType = "blackfriday"`.
    Blackfriday,
}

impl SlugStyle {
    /// The style of the tool that builds sites of `layout`, as the site's
    /// configuration sets it (`ids`).
    pub fn of(layout: Layout, ids: HeadingIds) -> SlugStyle {
        match (layout, ids) {
            (Layout::MkDocs, HeadingIds::Unicode { lower }) => SlugStyle::MkDocsUnicode { lower },
            (Layout::MkDocs, _) => SlugStyle::MkDocs,
            (Layout::Hugo, HeadingIds::Ascii) => SlugStyle::GitHubAscii,
            (Layout::Hugo, HeadingIds::Blackfriday) => SlugStyle::Blackfriday,
            (Layout::Folder | Layout::Hugo | Layout::MdBook, _) => SlugStyle::GitHub,
        }
    }

    /// The anchor of a heading whose plain text is `text`, before de-duplication.
    pub fn slugify(self, text: &str) -> String {
        match self {
            SlugStyle::GitHub => slugify(text),
            SlugStyle::MkDocs => slugify_mkdocs(text),
            SlugStyle::MkDocsUnicode { lower } => slugify_unicode(text, lower),
            SlugStyle::GitHubAscii => slugify_ascii(text),
            SlugStyle::Blackfriday => slugify_blackfriday(text),
        }
    }
}

/// The GitHub/mdBook anchor of a heading whose plain text is `text`.
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

/// The anchor Hugo's `github-ascii` makes of `text`: as GitHub's, once
/// accents are taken off (`é` → `e`) and any other character outside
/// ASCII dropped (`Réseau ⚙ IPv6` → `reseau--ipv6`).
pub fn slugify_ascii(text: &str) -> String {
    let plain: String = text
        .nfd()
        .filter(|c| !unicode_normalization::char::is_combining_mark(*c))
        .collect();
    let mut out = String::with_capacity(plain.len());
    for c in plain.trim().chars().filter(char::is_ascii) {
        if c == '-' || c == ' ' {
            out.push('-');
        } else if c.is_ascii_alphanumeric() || c == '_' {
            out.push(c.to_ascii_lowercase());
        }
    }
    out
}

/// The anchor Hugo's `blackfriday` makes of `text`: its runs of letters and
/// digits, lowercased, joined by one `-` (`Étape 2 : vérifier` →
/// `étape-2-vérifier`).
pub fn slugify_blackfriday(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut dash = false;
    for c in text.chars() {
        if c.is_alphanumeric() {
            if dash && !out.is_empty() {
                out.push('-');
            }
            dash = false;
            out.extend(c.to_lowercase());
        } else {
            dash = true;
        }
    }
    out
}

/// The MkDocs anchor of a heading whose plain text is `text`, as Python-Markdown's
/// `toc.slugify` makes it: NFKD, non-ASCII dropped, everything but word
/// characters, spaces and hyphens removed, trimmed, lowercased, each run of
/// spaces and hyphens made one `-`.
pub fn slugify_mkdocs(text: &str) -> String {
    let kept: String = text
        .nfkd()
        .filter(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '-') || c.is_ascii_whitespace())
        .collect();
    let mut out = String::with_capacity(kept.len());
    let mut run = false;
    for c in kept.trim().chars() {
        if c == '-' || c.is_ascii_whitespace() {
            run = true;
            continue;
        }
        if run {
            out.push('-');
            run = false;
        }
        out.push(c.to_ascii_lowercase());
    }
    if run {
        // after trimming, a trailing run holds a hyphen
        out.push('-');
    }
    out
}

/// The anchor pymdown-extensions' `slugify` makes of `text`: NFC, trimmed,
/// lowercased when `lower`, everything but word characters, spaces and
/// hyphens removed, each space a `-` (`Étape 2 : vérifier` →
/// `étape-2--vérifier`).
pub fn slugify_unicode(text: &str, lower: bool) -> String {
    let text: String = text.trim().nfc().collect();
    let text = if lower { text.to_lowercase() } else { text };
    text.chars()
        .filter(|c| c.is_alphanumeric() || matches!(c, '_' | '-' | ' '))
        .map(|c| if c == ' ' { '-' } else { c })
        .collect()
}

/// Gives each heading of a page a unique anchor, the way the site's tool does.
#[derive(Default)]
pub struct Slugger {
    style: SlugStyle,
    /// GitHub style: base → last number given.
    seen: HashMap<String, usize>,
    /// MkDocs style: every id given or written by hand.
    used: HashSet<String>,
}

impl Slugger {
    pub fn new(style: SlugStyle) -> Slugger {
        Slugger {
            style,
            ..Slugger::default()
        }
    }

    /// The anchor of a heading whose plain text is `text`, unique on the page.
    pub fn heading(&mut self, text: &str) -> String {
        let base = self.style.slugify(text);
        self.unique(base)
    }

    /// `base`, or a numbered variant of it when taken.
    pub fn unique(&mut self, base: String) -> String {
        match self.style {
            SlugStyle::GitHub | SlugStyle::GitHubAscii | SlugStyle::Blackfriday => self.unique_github(base),
            SlugStyle::MkDocs | SlugStyle::MkDocsUnicode { .. } => self.unique_mkdocs(base),
        }
    }

    fn unique_github(&mut self, base: String) -> String {
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

    /// Python-Markdown's `toc.unique`: `x`, `x_1`, `x_2`; an id that already
    /// ends in `_N` counts on from N; an empty id becomes `_1`.
    fn unique_mkdocs(&mut self, mut id: String) -> String {
        while id.is_empty() || self.used.contains(&id) {
            id = match id.rsplit_once('_') {
                Some((stem, n)) if !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit()) => {
                    let next = n.parse::<u64>().map_or(1, |n| n + 1);
                    format!("{stem}_{next}")
                }
                _ => format!("{id}_1"),
            };
        }
        self.used.insert(id.clone());
        id
    }

    /// Marks an id written by hand (`{#id}`) as taken.
    pub fn reserve(&mut self, id: &str) {
        match self.style {
            SlugStyle::GitHub | SlugStyle::GitHubAscii | SlugStyle::Blackfriday => {
                self.seen.entry(id.to_string()).or_insert(0);
            }
            SlugStyle::MkDocs | SlugStyle::MkDocsUnicode { .. } => {
                self.used.insert(id.to_string());
            }
        }
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

    #[test]
    fn hugo_ascii_and_blackfriday_anchors() {
        assert_eq!(slugify_ascii("Réseau ⚙ IPv6"), "reseau--ipv6");
        assert_eq!(
            slugify_ascii("Étape 2 : vérifier_les-logs"),
            "etape-2--verifier_les-logs"
        );
        assert_eq!(slugify_blackfriday("Étape 2 : vérifier"), "étape-2-vérifier");
        assert_eq!(slugify_blackfriday("  Hello, World!  "), "hello-world");
        assert_eq!(
            SlugStyle::of(Layout::Hugo, HeadingIds::Ascii).slugify("Déploiement"),
            "deploiement"
        );
        assert_eq!(
            SlugStyle::of(Layout::Hugo, HeadingIds::Tool).slugify("Déploiement"),
            "déploiement"
        );
    }

    #[test]
    fn mkdocs_slugs_fold_accents_and_collapse_separators() {
        assert_eq!(slugify_mkdocs("Upgrade / Downgrade"), "upgrade-downgrade");
        assert_eq!(slugify_mkdocs("Durée de rétention"), "duree-de-retention");
        assert_eq!(
            slugify_mkdocs("Étape 2 : redémarrer nova-compute"),
            "etape-2-redemarrer-nova-compute"
        );
        assert_eq!(slugify_mkdocs("What's new?"), "whats-new");
        assert_eq!(slugify_mkdocs("snake_case & co."), "snake_case-co");
        assert_eq!(slugify_mkdocs("v2.10 -- Release notes"), "v210-release-notes");
        assert_eq!(slugify_mkdocs("  ﬁle Ⅳ  "), "file-iv");
        assert_eq!(slugify_mkdocs("日本語"), "");
        // Python strips white space only: a leading hyphen stays
        assert_eq!(slugify_mkdocs("-flag"), "-flag");
        assert_eq!(slugify_mkdocs("flag -- "), "flag-");
    }

    #[test]
    fn mkdocs_duplicates_take_underscore_numbers() {
        let mut s = Slugger::new(SlugStyle::MkDocs);
        assert_eq!(s.heading("Étapes"), "etapes");
        assert_eq!(s.heading("Étapes"), "etapes_1");
        assert_eq!(s.heading("Etapes"), "etapes_2");
        assert_eq!(s.heading("日本語"), "_1");
        assert_eq!(s.heading("日本語"), "_2");
        s.reserve("install");
        assert_eq!(s.heading("Install"), "install_1");
        assert_eq!(s.heading("step_1"), "step_1");
        assert_eq!(s.heading("step 1"), "step-1");
        assert_eq!(s.heading("step_1"), "step_2");
    }

    #[test]
    fn pymdown_unicode_slugs_keep_accents() {
        assert_eq!(slugify_unicode("Étape 2 : vérifier", true), "étape-2--vérifier");
        assert_eq!(
            slugify_unicode("  Étape 2 : Vérifier ", false),
            "Étape-2--Vérifier"
        );
        assert_eq!(slugify_unicode("Hello !", true), "hello-");
    }
}
