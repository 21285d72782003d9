//! The browser's search index: small JavaScript files in the site's
//! `search/` folder, each calling `vigieSearch.<kind>(…)` when loaded as a
//! `<script>` (so it works from `file://`, where `fetch` does not), loaded
//! only when a query needs them — but for the manifest, which every page
//! asks for (`templates/base.html`), so that a first query does not wait
//! for it.
//!
//! - `search/index.js`: the manifest — analysis tables (elisions, stop words,
//!   folding), the vocabulary keys and where the large ones are cut, each
//!   page's number of sections, how pages are grouped into document chunks,
//!   tag names.
//! - `search/v/N.js`: a vocabulary file — the surface forms whose first two
//!   letters are its key, grouped by stem, each stem with its document
//!   frequency and its postings, long ones with their best sections ready to
//!   show (a large key is cut into ranges of stems, a file each: see
//!   [`vocabulary`], [`ranges`]); and the alerts whose name falls there,
//!   with the section that is their runbook (an exact alert name puts it
//!   first).
//! - `search/p/N.js`: a chunk of page tops — pages with their URL, title,
//!   kind and the start of their text: a result at the top of its page (its
//!   title matched) is shown from there (see [`display`]).
//! - `search/d/N.js`: a chunk of documents — pages with their URL, title,
//!   kind, and per section below the top its anchor, heading and the start
//!   of its text.
//! - `search/t/N.js`, `search/k/N.js`: the pages of tag N, of kind N, for the
//!   filters.
//!
//! A query then loads one vocabulary file per word (and those of
//! its neighbour keys when it may carry a typo in its first two letters;
//! another of its key when a stem it stands for is in another range), then,
//! in one wave, the chunks that show the results its vocabulary files did
//! not bring ready to show — for the search box, only as many as keep the
//! query within its budget of files (`FIRST_FILES` in `search.js`); the
//! results past them come when the reader asks.
//!
//! A postings list holds (section or page number, impact) pairs: numbers as
//! gaps in a base-64 varint, the impact (precomputed BM25, boosts included)
//! as one base-64 digit on a log scale. Very common stems keep their
//! `MAX_POSTINGS` most relevant sections only, which bounds what a query
//! downloads whatever the size of the site.

use std::collections::{BTreeMap, BTreeSet};

use rayon::prelude::*;
use serde::Serialize;
use serde_json::json;

mod display;
mod postings;
mod ranges;
mod vocabulary;

use super::SearchConfig;
use super::analysis::{self, APOSTROPHES, ELISIONS, FxMap, Lang, MAX_WORD_BYTES, STOP_EN, STOP_FR, Words};
use super::docs::PageDoc;
use super::matching;
use crate::error::{Error, Result};
use crate::markdown::RenderedSite;
use crate::output::Staging;
use crate::theme::{Theme, ser, site_ctx};

/// Characters of a section's text kept for its snippet (default of `[search] snippet_chars`).
pub const SNIPPET_CHARS: usize = 140;
/// A stem keeps at most this many sections (its most relevant ones).
pub const MAX_POSTINGS: usize = 2000;

/// BM25 parameters, and the boosts the tantivy index uses too.
const K1: f32 = 1.2;
const B: f32 = 0.75;
const HEADING_BOOST: f32 = 2.0;
const TITLE_BOOST: f32 = 3.0;
const META_BOOST: f32 = 1.5;

/// The alphabet of the encodings (no character that needs escaping in JS).
const B64: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

/// What one page contributes to the browser index (words by number, see [`Words`]).
pub struct PageTerms {
    /// Page-level stems (title, and tags/owner/kind/path at a lower weight) with weighted frequency.
    page: Vec<(u32, f32)>,
    /// Per section: length in words of its heading and of its text, and its
    /// stems with their frequency in the heading and in the text.
    sections: Vec<Section>,
    /// (surface, stem) pairs this page was the first to give on its thread:
    /// the index needs the pairs of the whole site, not of each page, and on
    /// a large site one list per page would hold the same pairs many times.
    surfaces: Vec<(u32, u32)>,
    /// Characters outside ASCII seen in the text (for the folding table).
    chars: BTreeSet<char>,
    /// Bytes of the sections' text (a build may drop the text once analysed).
    text_bytes: usize,
}

impl PageTerms {
    /// Analyses `doc` (words numbered in `words`).
    pub fn new(doc: &PageDoc<'_>, words: &Words) -> PageTerms {
        Self::analyse(doc, words, None)
    }

    /// Analyses `doc` once for both indexes: what the browser index counts,
    /// and the text tantivy indexes.
    pub fn with_stems(doc: &PageDoc<'_>, words: &Words) -> (PageTerms, Stemmed) {
        let mut stemmed = Stemmed::default();
        let terms = Self::analyse(doc, words, Some(&mut stemmed));
        (terms, stemmed)
    }

    fn analyse(doc: &PageDoc<'_>, words: &Words, out: Option<&mut Stemmed>) -> PageTerms {
        let mut surfaces: Vec<(u32, u32)> = Vec::new();
        let want = out.is_some();
        let mut st = Stemmed::default();
        // Each page is a group of its own, for "first time seen on this page".
        static GROUPS: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(1);
        let group = GROUPS.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        let mut page = FxMap::default();
        let mut sections = Vec::with_capacity(doc.sections.len());
        analysis::with_analyzer(doc.lang, |a| {
            let mut surface_text = String::new();
            TALLY.with_borrow_mut(|tally| {
                let mut count = |text: &str, mut into: Into<'_>, stems: &mut String| -> u32 {
                    let mut n = 0;
                    a.each_id(text, words, group, |w| {
                        match &mut into {
                            Into::Page(page, weight) => *page.entry(w.stem_id).or_default() += *weight,
                            Into::Section(tally, field) => tally.add(w.stem_id, *field),
                        }
                        if w.new {
                            surfaces.push((w.surface_id, w.stem_id));
                        }
                        if w.first && want {
                            push_word(&mut surface_text, w.word().surface);
                        }
                        if want {
                            push_word(stems, w.word().stem);
                        }
                        n += 1;
                    });
                    n
                };
                count(&doc.page.title, Into::Page(&mut page, 1.0), &mut st.title);
                count(
                    &doc.meta,
                    Into::Page(&mut page, META_BOOST / TITLE_BOOST),
                    &mut st.meta,
                );
                for s in &doc.sections {
                    let (mut heading, mut body) = (String::new(), String::new());
                    if want {
                        // Stems are no longer than the words they come from.
                        body.reserve(s.text.len() + s.heading.len());
                    }
                    let (heading_len, body_len) = if s.top {
                        // The title is text at the top of the page, not a heading: a
                        // section whose heading matches comes before the page itself.
                        let n = count(s.heading, Into::Section(tally, BODY), &mut body);
                        (0, n + count(&s.text, Into::Section(tally, BODY), &mut body))
                    } else {
                        (
                            count(s.heading, Into::Section(tally, HEADING), &mut heading),
                            count(&s.text, Into::Section(tally, BODY), &mut body),
                        )
                    };
                    if want {
                        st.sections.push((heading, body));
                    }
                    sections.push(Section::new(heading_len, body_len, tally.take()));
                }
            });
            st.surfaces = surface_text;
            let mut chars = BTreeSet::new();
            let texts =
                std::iter::once(doc.page.title.as_str()).chain(doc.sections.iter().map(|s| s.text.as_ref()));
            for text in texts.filter(|t| !t.is_ascii()) {
                chars.extend(text.chars().filter(|c| !c.is_ascii() && c.is_alphanumeric()));
            }
            if let Some(out) = out {
                *out = st;
            }
            PageTerms {
                page: page.into_iter().collect(),
                sections,
                surfaces,
                chars,
                text_bytes: doc.sections.iter().map(|s| s.text.len()).sum(),
            }
        })
    }
}

/// A page's text as the tantivy fields index it: the stems of each text,
/// separated by spaces, and the page's distinct surface forms.
#[derive(Debug, Default)]
pub struct Stemmed {
    pub title: String,
    pub meta: String,
    /// Per section of the [`PageDoc`]: stems of its heading and of its text
    /// (the top of the page has no heading: its title is text).
    pub sections: Vec<(String, String)>,
    pub surfaces: String,
}

fn push_word(out: &mut String, word: &str) {
    if !out.is_empty() {
        out.push(' ');
    }
    out.push_str(word);
}

/// Where a text's words count: the page's stems, with a weight, or a
/// section's heading or text ([`HEADING`], [`BODY`]).
enum Into<'m> {
    Page(&'m mut FxMap<u32, f32>, f32),
    Section(&'m mut Tally, usize),
}

const HEADING: usize = 0;
const BODY: usize = 1;

thread_local! {
    static TALLY: std::cell::RefCell<Tally> = Default::default();
}

/// Occurrences of each stem in a section's heading and text, by stem
/// number: a word counts with an index, not a hash (a build counts every
/// word of the site), and only the stems seen are reset.
#[derive(Default)]
struct Tally {
    counts: Vec<[u32; 2]>,
    seen: Vec<u32>,
    taken: Vec<(u32, u32, u32)>,
}

impl Tally {
    fn add(&mut self, stem: u32, field: usize) {
        let i = stem as usize;
        if i >= self.counts.len() {
            self.counts.resize((i + 1).max(self.counts.len() * 2), [0, 0]);
        }
        let c = &mut self.counts[i];
        if *c == [0, 0] {
            self.seen.push(stem);
        }
        c[field] += 1;
    }

    /// The stems seen since the last call, by stem, with their counts
    /// (heading, text); the tally starts over.
    fn take(&mut self) -> &[(u32, u32, u32)] {
        self.seen.sort_unstable();
        self.taken.clear();
        for &stem in &self.seen {
            let [h, b] = std::mem::take(&mut self.counts[stem as usize]);
            self.taken.push((stem, h, b));
        }
        self.seen.clear();
        &self.taken
    }
}

/// (section or page number, impact), by number.
type Postings = Vec<(u32, f32)>;

struct Section {
    heading_len: u32,
    body_len: u32,
    /// (stem, occurrences in the heading, occurrences in the text), by
    /// stem, as LEB128 numbers: the stem's distance from the previous one,
    /// then the two counts. A build holds every section's terms at once:
    /// about 4 bytes a term this way, against 12 as numbers.
    terms: Box<[u8]>,
}

impl Section {
    /// `terms` as (stem, occurrences in the heading, in the text), by stem.
    fn new(heading_len: u32, body_len: u32, terms: &[(u32, u32, u32)]) -> Section {
        let mut out = Vec::with_capacity(terms.len() * 4);
        let mut previous = 0;
        for &(stem, heading, body) in terms {
            leb128(&mut out, stem - previous);
            leb128(&mut out, heading);
            leb128(&mut out, body);
            previous = stem;
        }
        Section {
            heading_len,
            body_len,
            terms: out.into_boxed_slice(),
        }
    }

    /// The terms, by stem: (stem, occurrences in the heading, in the text).
    fn terms(&self) -> impl Iterator<Item = (u32, f32, f32)> + '_ {
        let mut bytes = self.terms.iter().copied();
        let mut stem = 0;
        std::iter::from_fn(move || {
            stem += unleb128(&mut bytes)?;
            let heading = unleb128(&mut bytes)?;
            let body = unleb128(&mut bytes)?;
            Some((stem, heading as f32, body as f32))
        })
    }
}

fn leb128(out: &mut Vec<u8>, mut n: u32) {
    while n >= 0x80 {
        out.push((n as u8) | 0x80);
        n >>= 7;
    }
    out.push(n as u8);
}

fn unleb128(bytes: &mut impl Iterator<Item = u8>) -> Option<u32> {
    let (mut n, mut shift) = (0u32, 0);
    loop {
        let b = bytes.next()?;
        n |= u32::from(b & 0x7f) << shift;
        if b < 0x80 {
            return Some(n);
        }
        shift += 7;
    }
}

/// BM25 of one field: `tf` occurrences in a field of `len` words (`avg` on average).
fn bm25(idf: f32, tf: f32, len: u32, avg: f32) -> f32 {
    if tf <= 0.0 {
        return 0.0;
    }
    let norm = K1 * (1.0 - B + B * len as f32 / avg);
    idf * tf * (K1 + 1.0) / (tf + norm)
}

/// A number as a base-64 varint: 5 bits per digit, most significant first,
/// every digit but the last carrying 32.
fn varint(out: &mut String, mut n: u32) {
    let mut digits = [0u8; 7];
    let mut len = 0;
    loop {
        digits[len] = (n & 31) as u8;
        len += 1;
        n >>= 5;
        if n == 0 {
            break;
        }
    }
    for i in (0..len).rev() {
        let d = digits[i] | if i > 0 { 32 } else { 0 };
        out.push(B64[d as usize] as char);
    }
}

/// A list of increasing numbers as gaps.
fn gaps(ids: impl IntoIterator<Item = u32>) -> String {
    let mut out = String::new();
    let mut prev: i64 = -1;
    for id in ids {
        varint(&mut out, (i64::from(id) - prev - 1) as u32);
        prev = i64::from(id);
    }
    out
}

/// Log-scale quantisation of impacts into 1..=63.
pub(crate) struct Scale {
    lo: f32,
    hi: f32,
    /// `ln(hi / lo)`, the same for every impact.
    span: f32,
    /// The impact `search.js` reads for each quantised value.
    read: [f32; 64],
}

impl Scale {
    pub(crate) fn new(lo: f32, hi: f32) -> Scale {
        let span = (hi / lo).ln();
        let mut read = [0.0; 64];
        for (q, r) in read.iter_mut().enumerate().skip(1) {
            *r = lo * (hi / lo).powf((q as f32 - 1.0) / 62.0);
        }
        Scale { lo, hi, span, read }
    }

    fn quantise(&self, x: f32) -> u8 {
        if self.hi <= self.lo {
            return 63;
        }
        let t = (x.max(self.lo) / self.lo).ln() / self.span;
        (1.0 + (t * 62.0).round()).clamp(1.0, 63.0) as u8
    }

    /// The impact `search.js` reads for `x`: its quantised value.
    fn read(&self, x: f32) -> f32 {
        self.read[usize::from(self.quantise(x))]
    }
}

/// Postings as text: gap varint then impact digit, for each (id, impact).
fn encode(list: &[(u32, f32)], scale: &Scale) -> String {
    let mut out = String::with_capacity(list.len() * 3);
    let mut prev: i64 = -1;
    for &(id, impact) in list {
        varint(&mut out, (i64::from(id) - prev - 1) as u32);
        out.push(B64[scale.quantise(impact) as usize] as char);
        prev = i64::from(id);
    }
    out
}

fn idf(df: u32, n: u32) -> f32 {
    let (df, n) = (df as f32, n as f32);
    (1.0 + (n - df + 0.5) / (df + 0.5)).ln()
}

/// Keeps the `max` most relevant postings, in id order.
fn truncate(list: &mut Vec<(u32, f32)>, max: usize) {
    if list.len() > max {
        keep_best(list, max);
        list.sort_unstable_by_key(|p| p.0);
    }
}

/// Keeps the `max` postings of highest impact (the lowest number first
/// among equal impacts), in no particular order. Which ones are kept does
/// not depend on the order they come in: a list can be cut as it grows.
fn keep_best(list: &mut Vec<(u32, f32)>, max: usize) {
    if list.len() > max {
        list.select_nth_unstable_by(max, |a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
        list.truncate(max);
    }
}

/// A script file calling `vigieSearch.<f>(args…)`.
fn script(f: &str, args: &[serde_json::Value]) -> Vec<u8> {
    let mut out = format!("vigieSearch.{f}(");
    for (i, a) in args.iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        out.push_str(&a.to_string());
    }
    out.push_str(");\n");
    out.into_bytes()
}

/// The first words of `text` (white space squeezed), `max` characters at
/// most, with `…` when cut.
pub(super) fn excerpt(text: &str, max: usize) -> String {
    // ASCII text (most of a runbook) is read byte by byte, and a word's
    // length in characters is its length in bytes: the same words and the
    // same excerpt as `split_whitespace` gives.
    if text.is_ascii() {
        cut_words(ascii_words(text), str::len, max)
    } else {
        cut_words(text.split_whitespace(), |w| w.chars().count(), max)
    }
}

/// The words of ASCII `text`, between runs of ASCII white space.
fn ascii_words(text: &str) -> impl Iterator<Item = &str> {
    let (bytes, mut at) = (text.as_bytes(), 0);
    let space = |b: u8| matches!(b, b' ' | b'\t'..=b'\r');
    std::iter::from_fn(move || {
        while at < bytes.len() && space(bytes[at]) {
            at += 1;
        }
        let start = at;
        while at < bytes.len() && !space(bytes[at]) {
            at += 1;
        }
        (at > start).then(|| &text[start..at])
    })
}

/// `words` joined by spaces up to `max` characters (`chars_of` counts a
/// word's), cut at a word with `…`.
fn cut_words<'t>(
    words: impl Iterator<Item = &'t str>,
    chars_of: impl Fn(&str) -> usize,
    max: usize,
) -> String {
    let mut out = String::with_capacity(max + 4);
    let mut chars = 0;
    for word in words {
        let n = chars_of(word);
        let sep = usize::from(chars > 0);
        if chars + sep + n > max {
            if chars == 0 {
                // One very long word: cut it.
                out.extend(word.chars().take(max));
            }
            out.push('…');
            return out;
        }
        if sep == 1 {
            out.push(' ');
        }
        out.push_str(word);
        chars += sep + n;
    }
    out
}

/// Page kinds, in the order the manifest numbers them.
const KINDS: [&str; 4] = ["runbook", "architecture", "training", "guide"];

/// Writes `search/` and `search.html` into the site.
pub fn write(
    rs: &RenderedSite,
    docs: &[PageDoc<'_>],
    terms: Vec<PageTerms>,
    words: Words,
    config: &SearchConfig,
    staging: &Staging,
) -> Result<()> {
    let clock = std::time::Instant::now();
    let lap = |what: &str| {
        if std::env::var_os("VIGIE_SEARCH_TIMINGS").is_some() {
            eprintln!("search:   {what} at {:.2}s", clock.elapsed().as_secs_f64());
        }
    };
    let names = words.into_names();
    let (docs, terms) = by_title(docs, terms);
    let docs = &docs[..];

    let postings::All { lists, df, scale } = postings::All::build(&terms, names.len());
    let scale = &scale;
    lap("postings");
    let layout = vocabulary::Layout::new(&terms);
    let stems = encode_postings(lists, scale, &df, &layout);
    lap("postings encoded");
    let files = vocabulary::write(
        &terms,
        &names,
        &stems,
        &alert_sections(docs),
        &vocabulary::Shown {
            docs,
            text_bytes: terms.iter().map(|t| t.text_bytes).sum(),
            layout: &layout,
            snippet_chars: config.snippet_chars,
        },
        staging,
    )?;
    lap("vocabulary and packs");
    let tags = pages_by_tag(docs);
    let tag_names: Vec<&str> = tags.keys().copied().collect();
    let chunks = display::write_chunks(docs, config.snippet_chars, staging)?;
    write_tags(&tags, staging)?;
    write_kinds(docs, staging)?;
    lap("documents");
    let manifest = manifest(rs, docs, &terms, &files, tag_names, &chunks, scale);
    write_manifest(&manifest, staging)?;
    write_page(rs, &KINDS, &manifest.tags, staging)
}

/// The pages in the order the browser index numbers them: by title. The
/// best results of a query are often pages of similar titles (`Ceph OSD
/// down …`): they then share document chunks.
fn by_title<'d, 'p>(
    docs: &'d [PageDoc<'p>],
    terms: Vec<PageTerms>,
) -> (Vec<&'d PageDoc<'p>>, Vec<PageTerms>) {
    let titles: Vec<String> = docs.iter().map(|d| d.page.title.to_lowercase()).collect();
    let mut order: Vec<usize> = (0..docs.len()).collect();
    order.sort_by(|&a, &b| titles[a].cmp(&titles[b]).then(a.cmp(&b)));
    let mut terms: Vec<Option<PageTerms>> = terms.into_iter().map(Some).collect();
    (
        order.iter().map(|&i| &docs[i]).collect(),
        order.iter().filter_map(|&i| terms[i].take()).collect(),
    )
}

/// Number of sections of all pages.
fn section_count(terms: &[PageTerms]) -> u32 {
    terms.iter().map(|t| t.sections.len() as u32).sum()
}

/// Encodes the postings of each stem that has some, with the best sections
/// of those whose postings are long (see [`vocabulary`]).
fn encode_postings(
    postings: Vec<(Postings, Postings)>,
    scale: &Scale,
    df: &[(u32, u32)],
    layout: &vocabulary::Layout,
) -> vocabulary::Encoded {
    // The most frequent stems, the costliest, have the first numbers: small
    // pieces let both threads share them.
    let encoded = postings
        .into_par_iter()
        .enumerate()
        .with_max_len(64)
        .map(|(stem, (s, p))| {
            if s.is_empty() && p.is_empty() {
                return None;
            }
            let (sections, pages) = (encode(&s, scale), encode(&p, scale));
            let best = if vocabulary::long(sections.len() + pages.len()) {
                vocabulary::best_sections(&s, &p, layout, |x| scale.read(x))
            } else {
                Vec::new()
            };
            Some(vocabulary::StemOut {
                df: df[stem].0,
                sections,
                pages,
                best,
            })
        })
        .collect();
    vocabulary::Encoded(encoded)
}

/// Every alert a page documents (lower-cased) and the number of the section
/// that is its runbook, by shard key: the shard a query for the alert's name
/// loads says which section comes first.
fn alert_sections<'d>(docs: &[&'d PageDoc<'_>]) -> BTreeMap<&'d str, BTreeMap<&'d str, u32>> {
    let mut out: BTreeMap<&str, BTreeMap<&str, u32>> = BTreeMap::new();
    let mut first = 0u32;
    for d in docs {
        for (alert, at) in &d.alerts {
            out.entry(matching::key(alert))
                .or_default()
                .entry(alert.as_str())
                .or_insert(first + *at as u32);
        }
        first += d.sections.len() as u32;
    }
    out
}

/// The pages of each tag (page numbers, increasing), by tag name.
fn pages_by_tag<'d>(docs: &[&'d PageDoc<'_>]) -> BTreeMap<&'d str, Vec<u32>> {
    let mut tags: BTreeMap<&str, Vec<u32>> = BTreeMap::new();
    for (i, d) in docs.iter().enumerate() {
        for t in &d.page.front_matter.tags {
            tags.entry(t).or_default().push(i as u32);
        }
    }
    tags
}

/// Writes `search/t/N.js`: the pages of tag N, for the tag filter.
fn write_tags(tags: &BTreeMap<&str, Vec<u32>>, staging: &Staging) -> Result<()> {
    for (n, (_, pages)) in tags.iter().enumerate() {
        staging.write(
            &format!("search/t/{n}.js"),
            &script("t", &[json!(n), json!(gaps(pages.iter().copied()))]),
        )?;
    }
    Ok(())
}

/// Writes `search/k/N.js`: the pages of kind N (in [`KINDS`]), for the kind filter.
fn write_kinds(docs: &[&PageDoc<'_>], staging: &Staging) -> Result<()> {
    for (n, kind) in KINDS.iter().enumerate() {
        let pages = docs
            .iter()
            .enumerate()
            .filter(|(_, d)| d.kind == Some(*kind))
            .map(|(i, _)| i as u32);
        staging.write(
            &format!("search/k/{n}.js"),
            &script("k", &[json!(n), json!(gaps(pages))]),
        )?;
    }
    Ok(())
}

/// The manifest: what the browser needs before any other file — analysis
/// tables, vocabulary `keys`, each page's number of sections, the pages of
/// each document chunk, the `tags`, the impact scale.
fn manifest<'a>(
    rs: &RenderedSite,
    docs: &[&PageDoc<'_>],
    terms: &[PageTerms],
    files: &[vocabulary::KeyFiles<'a>],
    tags: Vec<&'a str>,
    chunks_out: &display::Chunks,
    scale: &Scale,
) -> Manifest<'a> {
    let site = &rs.site;
    let kinds = &KINDS;
    let mut page_sections = String::new();
    for t in terms {
        varint(&mut page_sections, t.sections.len() as u32);
    }
    let mut chunks = String::new();
    for s in &chunks_out.sizes {
        varint(&mut chunks, *s);
    }
    // A multilingual site searches the reader's language: each page's
    // language, as an index in `langs`.
    let (langs, page_langs) = if site.config.languages.is_empty() {
        (None, None)
    } else {
        let langs: Vec<String> = docs
            .iter()
            .map(|d| d.page.lang.clone())
            .collect::<BTreeSet<_>>()
            .into_iter()
            .collect();
        let codes = docs
            .iter()
            .map(|d| {
                let i = langs.iter().position(|l| *l == d.page.lang).unwrap_or(0);
                char::from_digit(i as u32 % 36, 36).unwrap_or('0')
            })
            .collect();
        (Some(langs), Some(codes))
    };
    let mut chars: BTreeSet<char> = ('\u{c0}'..='\u{17f}').filter(|c| c.is_alphanumeric()).collect();
    for t in terms {
        chars.extend(t.chars.iter().copied());
    }
    let mut fold: BTreeMap<String, String> = BTreeMap::new();
    for c in chars {
        for lower in c.to_lowercase() {
            if let Some(f) = analysis::fold_char(lower) {
                fold.insert(lower.to_string(), f);
            }
        }
    }
    // A key of one file as its name; a key cut in ranges as [key, cuts…]:
    // its files are numbered one after the other.
    let keys = files
        .iter()
        .map(|f| {
            if f.cuts.is_empty() {
                json!(f.key)
            } else {
                json!(
                    std::iter::once(f.key)
                        .chain(f.cuts.iter().map(String::as_str))
                        .collect::<Vec<_>>()
                )
            }
        })
        .collect();
    let lang = &site.config.language;
    let kind_labels: Vec<&str> = kinds
        .iter()
        .map(|k| crate::i18n::t(lang, &format!("kind_{k}")))
        .collect();
    Manifest {
        version: 1,
        lang: Lang::of(lang).code(),
        tier: matching::TIER,
        prefix_caps: matching::PREFIX_CAPS,
        max_typo: matching::MAX_TYPO,
        rare: matching::RARE,
        per_page: matching::PER_PAGE,
        correction_ratio: matching::CORRECTION_RATIO,
        max_bytes: MAX_WORD_BYTES,
        elisions: ELISIONS,
        apostrophes: APOSTROPHES.iter().collect(),
        stop: STOP_FR.iter().chain(STOP_EN).copied().collect(),
        fold,
        keys,
        kinds,
        kind_labels,
        tags,
        pages: page_sections,
        langs,
        page_langs,
        chunks,
        tops_pages: display::TOPS_PAGES,
        tops: chunks_out.tops.clone(),
        lo: scale.lo,
        hi: scale.hi,
        sections: section_count(terms),
    }
}

/// Writes the manifest to `search/index.js`.
fn write_manifest(manifest: &Manifest<'_>, staging: &Staging) -> Result<()> {
    staging.write(
        "search/index.js",
        &script(
            "init",
            &[serde_json::to_value(manifest).map_err(|e| Error::write("search/index.js", e.into()))?],
        ),
    )
}

#[derive(Serialize)]
struct Manifest<'a> {
    version: u32,
    lang: &'static str,
    tier: f32,
    prefix_caps: [usize; 4],
    max_typo: usize,
    rare: u32,
    per_page: usize,
    correction_ratio: u32,
    max_bytes: usize,
    elisions: &'static [&'static str],
    apostrophes: String,
    stop: Vec<&'static str>,
    fold: BTreeMap<String, String>,
    keys: Vec<serde_json::Value>,
    kinds: &'a [&'static str],
    kind_labels: Vec<&'static str>,
    tags: Vec<&'a str>,
    /// Number of sections of each page, as varints.
    pages: String,
    /// Page languages of a multilingual site (absent otherwise).
    #[serde(skip_serializing_if = "Option::is_none")]
    langs: Option<Vec<String>>,
    /// Language of each page: index in `langs` (base 36).
    #[serde(skip_serializing_if = "Option::is_none")]
    page_langs: Option<String>,
    /// Number of pages in each document chunk, as varints.
    chunks: String,
    /// Pages in each chunk of page tops.
    tops_pages: usize,
    /// (page, section of the page) of the tops that are not their page's first section.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    tops: Vec<(u32, u32)>,
    lo: f32,
    hi: f32,
    sections: u32,
}

/// `search.html`: the results page (`search.html?q=…` is a shareable link).
fn write_page(rs: &RenderedSite, kinds: &[&str], tags: &[&str], staging: &Staging) -> Result<()> {
    let site = &rs.site;
    let theme = Theme::load(&site.config, true)?;
    let lang = site.config.language.as_str();
    let kinds: Vec<serde_json::Value> = kinds
        .iter()
        .map(|k| json!({"value": k, "label": crate::i18n::t(lang, &format!("kind_{k}"))}))
        .collect();
    let html = theme.render(
        "search.html",
        minijinja::context! {
            site => ser(&site_ctx(site, "search.html")),
            nav => ser(&crate::theme::context::nav(site, "search.html", None)),
            kinds => ser(&kinds),
            tags => ser(&tags),
        },
    )?;
    staging.write("search.html", html.as_bytes())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The decoder of `search.js`, in Rust, to check the encoding round-trips.
    fn decode(s: &str) -> Vec<u32> {
        let mut out = Vec::new();
        let mut acc = 0u32;
        for c in s.bytes() {
            let v = B64.iter().position(|&b| b == c).unwrap() as u32;
            acc = acc * 32 + (v & 31);
            if v < 32 {
                out.push(acc);
                acc = 0;
            }
        }
        out
    }

    #[test]
    fn varints_round_trip() {
        let mut s = String::new();
        for n in [0, 1, 31, 32, 1000, 123_456] {
            varint(&mut s, n);
        }
        assert_eq!(decode(&s), [0, 1, 31, 32, 1000, 123_456]);
        assert_eq!(decode(&gaps([3, 4, 40])), [3, 0, 35]);
    }

    #[test]
    fn impacts_keep_their_order() {
        let scale = Scale::new(0.1, 30.0);
        assert_eq!(scale.quantise(0.1), 1);
        assert_eq!(scale.quantise(30.0), 63);
        assert!(scale.quantise(2.0) < scale.quantise(3.0));
        for x in [0.1, 0.5, 2.0, 7.3, 30.0] {
            let q = f32::from(scale.quantise(x));
            assert_eq!(scale.read(x), 0.1 * (30.0f32 / 0.1).powf((q - 1.0) / 62.0));
        }
    }

    #[test]
    fn the_most_relevant_postings_are_kept() {
        let mut list: Vec<(u32, f32)> = (0..10).map(|i| (i, i as f32)).collect();
        truncate(&mut list, 3);
        assert_eq!(list, [(7, 7.0), (8, 8.0), (9, 9.0)]);
        // Equal impacts: the lowest numbers, whatever the order they came in.
        let mut ties: Vec<(u32, f32)> = [5, 1, 4, 2, 3, 0].iter().map(|&i| (i, 1.0)).collect();
        truncate(&mut ties, 2);
        assert_eq!(ties, [(0, 1.0), (1, 1.0)]);
    }

    #[test]
    fn ascii_excerpts_are_those_of_any_text() {
        // The ASCII reading against the general one, on every white space
        // ASCII has (vertical tab and form feed included).
        let general =
            |text: &str, max: usize| super::cut_words(text.split_whitespace(), |w| w.chars().count(), max);
        for text in [
            "",
            " ",
            "a",
            "  un\tdeux\n\ntrois\x0bquatre\x0ccinq\r six  ",
            "x".repeat(30).as_str(),
        ] {
            for max in [0, 1, 3, 5, 12, 100] {
                assert_eq!(super::excerpt(text, max), general(text, max), "{text:?} {max}");
            }
        }
    }

    #[test]
    fn excerpts_cut_at_a_word() {
        assert_eq!(excerpt("un deux trois", 100), "un deux trois");
        assert_eq!(
            excerpt("redémarrer le service nova-compute", 20),
            "redémarrer le…"
        );
    }
}
