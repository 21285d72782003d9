//! Search: one analysis (French and English), two engines — a tantivy index
//! for `vigie search` and `serve`, and a static sharded index for the browser.
//!
//! - [`analysis`]: the word pipeline both engines share (elisions, folding, stemming).
//! - [`docs`]: what is indexed — one document per section of a page.
//! - [`matching`]: how a typed word finds stems (exact, variant, prefix, typo) and how that ranks.
//! - [`index`] / [`query`]: the tantivy index in `ROOT/.vigie/search-index/`, and searching it.
//! - [`shards`]: the browser index written into the site (`search/`), read by `assets/search.js`.
//! - [`snippet`]: the text shown under a result.

pub mod analysis;
pub mod docs;
pub mod index;
pub mod matching;
pub mod query;
pub mod shards;
pub mod snippet;

use rayon::prelude::*;
use serde::{Deserialize, Serialize};

pub use index::{SearchIndex, open_or_build};
pub use query::{Hit, Request};

use crate::config::Config;
use crate::error::{Error, Result};
use crate::markdown::RenderedSite;
use crate::output::Staging;

/// The `[search]` table of `vigie.toml`.
#[derive(Debug, Clone, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct SearchConfig {
    /// Search box, search page and indexes (default true).
    pub enabled: bool,
    /// Characters of each section's text the browser index keeps for snippets.
    pub snippet_chars: usize,
}

impl Default for SearchConfig {
    fn default() -> Self {
        SearchConfig {
            enabled: true,
            snippet_chars: shards::SNIPPET_CHARS,
        }
    }
}

/// Whether the site of `config` has search (`[search] enabled`, default true).
pub fn enabled(config: &Config) -> bool {
    config
        .section::<SearchConfig>("search")
        .map(|c| c.enabled)
        .unwrap_or(true)
}

#[derive(Serialize)]
struct JsonOut<'a> {
    results: &'a [Hit],
}

/// `{"results": [...]}`: what `vigie search --format json` prints and
/// `serve`'s `/api/search` answers.
pub fn to_json(hits: &[Hit], pretty: bool) -> String {
    let out = JsonOut { results: hits };
    let json = if pretty {
        serde_json::to_string_pretty(&out)
    } else {
        serde_json::to_string(&out)
    };
    // Hits hold strings and numbers only: this cannot fail.
    json.unwrap_or_else(|e| serde_json::json!({ "error": e.to_string() }).to_string())
}

/// Results as text: title › section, URL and kind, then the snippet.
pub fn render_text(hits: &[Hit], color: bool) -> String {
    let (bold, mark, dim, reset) = if color {
        ("\x1b[1m", "\x1b[1;33m", "\x1b[2m", "\x1b[0m")
    } else {
        ("", "", "", "")
    };
    let mut out = String::new();
    for (i, h) in hits.iter().enumerate() {
        let title = match &h.section {
            Some(s) => format!("{} › {s}", h.title),
            None => h.title.clone(),
        };
        let kind = h.kind.as_deref().map(|k| format!(" [{k}]")).unwrap_or_default();
        out.push_str(&format!("{:>2}. {bold}{title}{reset}{kind}\n", i + 1));
        out.push_str(&format!("    {dim}{}  ({}){reset}\n", h.url, h.page));
        if !h.snippet.is_empty() {
            let s = snippet::Snippet {
                text: h.snippet.clone(),
                marks: h.highlights.iter().map(|m| (m[0], m[1])).collect(),
            };
            let body = if color {
                snippet::marked(&s, mark, reset)
            } else {
                s.text
            };
            out.push_str(&format!("    {body}\n"));
        }
    }
    out
}

/// The tantivy index a build leaves for `vigie search`, once the site is written.
pub struct Pending(Option<index::Committed>);

impl Pending {
    /// Commits the index into the knowledge base's cache folder. Failing to
    /// do so does not fail the build: `vigie search` would build it itself.
    pub fn finish(self) {
        if let Some(w) = self.0
            && let Err(e) = w.finish()
        {
            eprintln!("warning: search index for `vigie search` not written: {e}");
        }
    }

    /// The build failed: nothing is committed.
    pub fn abandon(self) {
        if let Some(w) = self.0 {
            w.abandon();
        }
    }
}

/// The browser index's word analysis, done page by page as a build renders
/// them (so the text of a page need not wait for every other page).
pub struct Analysis {
    words: analysis::Words,
    /// Whether pages are analysed as they are rendered: the site has search,
    /// and no `vigie search` index is refreshed by this build (that one
    /// analyses every page itself, for both indexes at once).
    as_rendered: bool,
    /// Characters of a section's text the browser index shows, when the
    /// rest of the text may be dropped once analysed (`None`: it is kept).
    shown: Option<usize>,
}

impl Analysis {
    /// For the site of `config`, whose `vigie search` index [`emit`] is to
    /// refresh when there is one (`refresh_cache`). With `trim`, a page's
    /// sections keep only the text the browser index shows once analysed.
    pub fn new(config: &Config, trim: bool, refresh_cache: bool) -> Analysis {
        let settings = config.section::<SearchConfig>("search").unwrap_or_default();
        let cache = refresh_cache && index::cache_dir(config).is_dir();
        let as_rendered = settings.enabled && !cache;
        Analysis {
            words: analysis::Words::default(),
            as_rendered,
            shown: (trim && as_rendered).then_some(settings.snippet_chars),
        }
    }

    /// What `page`, rendered as `rendered`, gives the browser index (`None`
    /// for a draft, or when pages are not analysed as they are rendered).
    pub fn page(
        &self,
        page: &crate::content::Page,
        rendered: &mut crate::markdown::Rendered,
    ) -> Option<shards::PageTerms> {
        if !self.as_rendered {
            return None;
        }
        let terms = docs::page(page, rendered).map(|d| shards::PageTerms::new(&d, &self.words));
        if let Some(max) = self.shown {
            for s in &mut rendered.sections {
                let keep = shown_prefix(&s.text, max).len();
                if keep < s.text.len() {
                    s.text.truncate(keep);
                    s.text.shrink_to_fit();
                }
            }
        }
        terms
    }
}

/// The start of `text` that decides its excerpt of `max` characters: its
/// words up to the first that does not fit, included (so the excerpt still
/// ends with "…"). Text before it or after it in the same excerpt (a page's
/// description, the text above its title) only makes that word come sooner.
fn shown_prefix(text: &str, max: usize) -> &str {
    if text.len() <= max {
        // Fewer characters than bytes: everything fits.
        return text;
    }
    let mut chars = 0;
    let mut rest = text;
    while let Some(start) = rest.find(|c: char| !c.is_whitespace()) {
        let word = &rest[start..];
        let len = word.find(char::is_whitespace).unwrap_or(word.len());
        let n = word[..len].chars().count();
        chars += usize::from(chars > 0) + n;
        let end = text.len() - word.len() + len;
        if chars > max {
            return &text[..end];
        }
        rest = &text[end..];
    }
    text
}

/// Writes the browser's search index into the site being built, and
/// refreshes the tantivy index of `vigie search` from the same analysis when
/// the knowledge base has one that is stale (and `refresh_cache`): the caller
/// [`Pending::finish`]es it once the site is in place. `analysed` is the
/// [`Analysis`] of every page by id, when the build did it as it rendered
/// them (then there is no `vigie search` index to refresh).
pub fn emit(
    rs: &RenderedSite,
    staging: &Staging,
    refresh_cache: bool,
    analysed: Option<(Analysis, Vec<Option<shards::PageTerms>>)>,
) -> Result<Pending> {
    let config: SearchConfig = rs.site.config.section("search")?;
    if !config.enabled {
        return Ok(Pending(None));
    }
    let started = std::time::Instant::now();
    let docs = docs::pages(rs);
    let site_config = &rs.site.config;
    // The tantivy index is a cache that `vigie search` creates in the
    // knowledge base (a build that nobody searches from the command line,
    // as in CI, need not pay for it); once it exists, builds keep it fresh.
    let done = analysed.filter(|(a, _)| a.as_rendered);
    let cache = index::cache_dir(site_config);
    let writer = if done.is_none() && refresh_cache && cache.is_dir() {
        index::stamp(site_config).and_then(|stamp| {
            if cache.join(&stamp).join("meta.json").is_file() {
                Ok(None)
            } else {
                index::Writer::on_disk(site_config, &stamp).map(Some)
            }
        })
    } else {
        Ok(None)
    };
    let writer = match writer {
        Ok(w) => w,
        Err(e) => {
            eprintln!("warning: search index for `vigie search` not written: {e}");
            None
        }
    };
    let failed: std::sync::Mutex<Option<Error>> = std::sync::Mutex::new(None);
    let (words, terms) = match done {
        Some((a, by_page)) => {
            let terms: Vec<shards::PageTerms> = by_page.into_iter().flatten().collect();
            (a.words, terms)
        }
        _ => {
            let words = analysis::Words::default();
            let terms = docs
                .par_iter()
                .map(|d| match &writer {
                    Some(w) if w.wants(d) => {
                        let (terms, stemmed) = shards::PageTerms::with_stems(d, &words);
                        if let Err(e) = w.add_page(d, stemmed) {
                            failed.lock().unwrap_or_else(|p| p.into_inner()).get_or_insert(e);
                        }
                        terms
                    }
                    _ => shards::PageTerms::new(d, &words),
                })
                .collect();
            (words, terms)
        }
    };
    debug_assert_eq!(terms.len(), docs.len());
    let analysed = started.elapsed();
    // An index missing documents must not be kept under a valid stamp.
    let writer = match failed.into_inner().unwrap_or_else(|p| p.into_inner()) {
        Some(e) => {
            eprintln!("warning: search index for `vigie search` not written: {e}");
            if let Some(w) = writer {
                w.abandon();
            }
            None
        }
        None => writer,
    };
    // Committing tantivy's segments and writing the shards are independent.
    let (committed, written) = rayon::join(
        || writer.map(|w| w.commit()).transpose(),
        || shards::write(rs, &docs, terms, words, &config, staging),
    );
    let pending = match committed {
        Ok(w) => Pending(w),
        Err(e) => {
            eprintln!("warning: search index for `vigie search` not written: {e}");
            Pending(None)
        }
    };
    if let Err(e) = written {
        pending.abandon();
        return Err(e);
    }
    if std::env::var_os("VIGIE_SEARCH_TIMINGS").is_some() {
        eprintln!(
            "search: analysis {:.2}s, then shards and tantivy commit {:.2}s",
            analysed.as_secs_f64(),
            (started.elapsed() - analysed).as_secs_f64()
        );
    }
    Ok(pending)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_shown_prefix_gives_the_same_excerpt() {
        let texts = [
            "",
            "   ",
            "un deux trois",
            "redémarrer le service nova-compute puis vérifier les journaux",
            "  espaces\n\tet  retours   à la ligne  partout  ",
            "unmotbeaucouptroplongpourtenirdanslextrait suivi",
            "été à côté de l'hôpital où l'on s'arrête",
        ];
        for text in texts {
            for max in [0, 1, 5, 12, 13, 20, 40, 200] {
                let prefix = shown_prefix(text, max);
                assert!(text.starts_with(prefix));
                assert_eq!(
                    shards::excerpt(prefix, max),
                    shards::excerpt(text, max),
                    "{text:?} at {max}"
                );
                // What comes before it in an excerpt (a description) changes nothing either.
                let before = format!("description du runbook {prefix}");
                assert_eq!(
                    shards::excerpt(&before, max),
                    shards::excerpt(&format!("description du runbook {text}"), max),
                    "{text:?} after a description, at {max}"
                );
            }
        }
        assert_eq!(shown_prefix("un deux trois quatre", 7), "un deux trois");
    }
}
