//! The one text analysis both search engines share.
//!
//! A word goes through: split on anything that is not a letter or a digit
//! (tantivy's `SimpleTokenizer`) → drop words of 40 bytes or more → drop
//! elided articles (`l'`, `qu'`, `jusqu'`…) and English possessive `'s` →
//! lowercase → drop stop words of the page's language → fold accents and
//! ligatures (`œ` → `oe`) → Snowball stem. The word before stemming is its
//! *surface* form: the browser matches what the user typed against surfaces
//! and reaches documents through their stems, so it needs no Snowball of its
//! own (see [`super::shards`]).
//!
//! It runs once per page, in vigie: the browser index counts its words and
//! tantivy indexes its stems (see [`register`]).

use std::collections::HashMap;

use tantivy::tokenizer::{
    AsciiFoldingFilter, Language, LowerCaser, RawTokenizer, RemoveLongFilter, SimpleTokenizer, Stemmer,
    StopWordFilter, TextAnalyzer, Token, TokenFilter, TokenStream, Tokenizer, WhitespaceTokenizer,
};

/// Words of this many bytes or more are not indexed (hashes, base64…).
pub const MAX_WORD_BYTES: usize = 40;

/// French elided words, written before an apostrophe: `l'hyperviseur`.
pub const ELISIONS: &[&str] = &[
    "l", "d", "j", "m", "n", "s", "t", "c", "qu", "jusqu", "lorsqu", "puisqu", "quoiqu",
];

/// Apostrophes that join an elision or a possessive to its word.
pub const APOSTROPHES: &[char] = &['\'', '’', 'ʼ'];

/// French stop words (Snowball's list, as tantivy ships it).
pub const STOP_FR: &[&str] = &[
    "au", "aux", "avec", "ce", "ces", "dans", "de", "des", "du", "elle", "en", "et", "eux", "il", "je", "la",
    "le", "leur", "lui", "ma", "mais", "me", "même", "mes", "moi", "mon", "ne", "nos", "notre", "nous", "on",
    "ou", "par", "pas", "pour", "qu", "que", "qui", "sa", "se", "ses", "sur", "ta", "te", "tes", "toi",
    "ton", "tu", "un", "une", "vos", "votre", "vous", "c", "d", "j", "l", "à", "m", "n", "s", "t", "y",
    "étée", "étées", "étant", "suis", "es", "êtes", "sont", "serai", "seras", "sera", "serons", "serez",
    "seront", "serais", "serait", "serions", "seriez", "seraient", "étais", "était", "étions", "étiez",
    "étaient", "fus", "fut", "fûmes", "fûtes", "furent", "sois", "soit", "soyons", "soyez", "soient",
    "fusse", "fusses", "fussions", "fussiez", "fussent", "ayant", "eu", "eue", "eues", "eus", "ai", "avons",
    "avez", "ont", "aurai", "aurons", "aurez", "auront", "aurais", "aurait", "aurions", "auriez", "auraient",
    "avais", "avait", "aviez", "avaient", "eut", "eûmes", "eûtes", "eurent", "aie", "aies", "ait", "ayons",
    "ayez", "aient", "eusse", "eusses", "eût", "eussions", "eussiez", "eussent", "ceci", "cela", "celà",
    "cet", "cette", "ici", "ils", "les", "leurs", "quel", "quels", "quelle", "quelles", "sans", "soi",
];

/// English stop words (Lucene's list).
pub const STOP_EN: &[&str] = &[
    "a", "an", "and", "are", "as", "at", "be", "but", "by", "for", "if", "in", "into", "is", "it", "no",
    "not", "of", "on", "or", "such", "that", "the", "their", "then", "there", "these", "they", "this", "to",
    "was", "will", "with",
];

/// The languages search knows. Anything else is analysed as English.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Lang {
    Fr,
    En,
}

impl Lang {
    pub const ALL: [Lang; 2] = [Lang::Fr, Lang::En];

    /// `fr`, `fr-FR`, `fr_CA` → French; everything else → English.
    pub fn of(code: &str) -> Lang {
        if code.get(..2).is_some_and(|p| p.eq_ignore_ascii_case("fr")) {
            Lang::Fr
        } else {
            Lang::En
        }
    }

    pub fn code(self) -> &'static str {
        match self {
            Lang::Fr => "fr",
            Lang::En => "en",
        }
    }

    pub fn stop_words(self) -> &'static [&'static str] {
        match self {
            Lang::Fr => STOP_FR,
            Lang::En => STOP_EN,
        }
    }

    fn stemmer(self) -> Language {
        match self {
            Lang::Fr => Language::French,
            Lang::En => Language::English,
        }
    }
}

/// Drops elided French articles (`l'`, `qu'`…: the word right before an
/// apostrophe) and English possessive `s` (right after one). tantivy's
/// `SimpleTokenizer` splits `l'hyperviseur` into `l` + `hyperviseur`; this
/// filter looks at the text around each token to tell an elision from a word.
#[derive(Clone, Copy)]
pub struct ElisionFilter {
    elisions: bool,
    possessive: bool,
}

impl ElisionFilter {
    /// The filter for pages in `lang`.
    pub fn for_lang(lang: Lang) -> ElisionFilter {
        ElisionFilter {
            elisions: lang == Lang::Fr,
            possessive: lang == Lang::En,
        }
    }

    /// Both rules: a query may be in either language.
    pub fn both() -> ElisionFilter {
        ElisionFilter {
            elisions: true,
            possessive: true,
        }
    }
}

impl TokenFilter for ElisionFilter {
    type Tokenizer<T: Tokenizer> = ElisionWrapper<T>;

    fn transform<T: Tokenizer>(self, inner: T) -> ElisionWrapper<T> {
        ElisionWrapper { rules: self, inner }
    }
}

#[derive(Clone)]
pub struct ElisionWrapper<T> {
    rules: ElisionFilter,
    inner: T,
}

impl<T: Tokenizer> Tokenizer for ElisionWrapper<T> {
    type TokenStream<'a> = ElisionStream<'a, T::TokenStream<'a>>;

    fn token_stream<'a>(&'a mut self, text: &'a str) -> Self::TokenStream<'a> {
        ElisionStream {
            rules: self.rules,
            text,
            tail: self.inner.token_stream(text),
        }
    }
}

pub struct ElisionStream<'a, T> {
    rules: ElisionFilter,
    text: &'a str,
    tail: T,
}

impl<T> ElisionStream<'_, T> {
    fn dropped(&self, token: &Token) -> bool {
        let word = &token.text;
        if self.rules.elisions
            && word.len() <= 7
            && self.text[token.offset_to..].starts_with(APOSTROPHES)
            && ELISIONS.iter().any(|e| e.eq_ignore_ascii_case(word))
        {
            return true;
        }
        self.rules.possessive
            && word.eq_ignore_ascii_case("s")
            && self.text[..token.offset_from].ends_with(APOSTROPHES)
    }
}

impl<T: TokenStream> TokenStream for ElisionStream<'_, T> {
    fn advance(&mut self) -> bool {
        while self.tail.advance() {
            if !self.dropped(self.tail.token()) {
                return true;
            }
        }
        false
    }

    fn token(&self) -> &Token {
        self.tail.token()
    }

    fn token_mut(&mut self) -> &mut Token {
        self.tail.token_mut()
    }
}

fn stop_filter(words: &[&str]) -> StopWordFilter {
    StopWordFilter::remove(words.iter().map(|w| w.to_string()))
}

/// The chain up to the surface form (no stemming) for pages in `lang`.
pub fn words_analyzer(lang: Lang) -> TextAnalyzer {
    TextAnalyzer::builder(SimpleTokenizer::default())
        .filter(RemoveLongFilter::limit(MAX_WORD_BYTES))
        .filter(ElisionFilter::for_lang(lang))
        .filter(LowerCaser)
        .filter(stop_filter(lang.stop_words()))
        .filter(AsciiFoldingFilter)
        .build()
}

/// The chain a query goes through: a query has no language, so both elision
/// rules apply and the stop words of both languages are dropped.
pub fn query_analyzer() -> TextAnalyzer {
    let stops: Vec<&str> = STOP_FR.iter().chain(STOP_EN).copied().collect();
    TextAnalyzer::builder(SimpleTokenizer::default())
        .filter(RemoveLongFilter::limit(MAX_WORD_BYTES))
        .filter(ElisionFilter::both())
        .filter(LowerCaser)
        .filter(stop_filter(&stops))
        .filter(AsciiFoldingFilter)
        .build()
}

/// Registers the tokenizer of every text field in a tantivy index. The
/// analysis runs once, in vigie (see [`Analyzer::each_id`]), for both
/// indexes: tantivy gets its output, stems or surface forms separated by
/// spaces, and only has to split it.
pub fn register(index: &tantivy::Index) {
    index.tokenizers().register(
        ANALYSED_TOKENIZER,
        TextAnalyzer::from(WhitespaceTokenizer::default()),
    );
}

/// Tokenizer of the text fields (see [`register`]).
pub const ANALYSED_TOKENIZER: &str = "analysed";

/// A word as indexed: its surface form, its stem, and where it is in the text.
#[derive(Debug, Clone, Copy)]
pub struct Word<'a> {
    pub surface: &'a str,
    pub stem: &'a str,
    pub from: usize,
    pub to: usize,
}

/// A fast hasher for the short strings and numbers of the analysis
/// (FxHash, as rustc uses; the standard SipHash is several times slower here,
/// and the keys are not attacker-chosen in a way that matters for a build).
#[derive(Default, Clone, Copy)]
pub struct FxHasher(u64);

impl std::hash::Hasher for FxHasher {
    fn write(&mut self, bytes: &[u8]) {
        const K: u64 = 0x517c_c1b7_2722_0a95;
        let mut chunks = bytes.chunks_exact(8);
        for c in &mut chunks {
            let word = u64::from_le_bytes([c[0], c[1], c[2], c[3], c[4], c[5], c[6], c[7]]);
            self.0 = (self.0.rotate_left(5) ^ word).wrapping_mul(K);
        }
        for &b in chunks.remainder() {
            self.0 = (self.0.rotate_left(5) ^ u64::from(b)).wrapping_mul(K);
        }
    }

    fn write_u32(&mut self, n: u32) {
        self.0 = (self.0.rotate_left(5) ^ u64::from(n)).wrapping_mul(0x517c_c1b7_2722_0a95);
    }

    fn finish(&self) -> u64 {
        self.0
    }
}

/// A `HashMap` with [`FxHasher`].
pub type FxMap<K, V> = HashMap<K, V, std::hash::BuildHasherDefault<FxHasher>>;
/// A `HashSet` with [`FxHasher`].
pub type FxSet<K> = std::collections::HashSet<K, std::hash::BuildHasherDefault<FxHasher>>;

/// Words (surface forms and stems) numbered for one index being built, from
/// several threads at once: the browser index counts numbers, not strings.
pub struct Words {
    generation: u64,
    inner: std::sync::Mutex<(FxMap<String, u32>, Vec<String>)>,
}

impl Default for Words {
    fn default() -> Self {
        static NEXT: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(1);
        Words {
            generation: NEXT.fetch_add(1, std::sync::atomic::Ordering::Relaxed),
            inner: Default::default(),
        }
    }
}

impl Words {
    /// The number of `word`.
    pub fn id(&self, word: &str) -> u32 {
        let mut guard = self.inner.lock().unwrap_or_else(|e| e.into_inner());
        let (map, names) = &mut *guard;
        if let Some(&id) = map.get(word) {
            return id;
        }
        let id = names.len() as u32;
        map.insert(word.to_string(), id);
        names.push(word.to_string());
        id
    }

    /// Every word, by number.
    pub fn into_names(self) -> Vec<String> {
        self.inner.into_inner().unwrap_or_else(|e| e.into_inner()).1
    }
}

/// What the analyzer remembers of a surface form.
#[derive(Debug)]
struct Known {
    surface: String,
    stem: String,
}

/// What [`Analyzer::each_id`] reads and writes of a surface form at each
/// occurrence, apart from its text: a build passes every word of the site
/// through it, and these few bytes a word stay in the processor's cache
/// where the strings would not.
#[derive(Clone, Copy, Default)]
struct Hot {
    /// Generation of the [`Words`] the numbers are from.
    generation: u64,
    surface_id: u32,
    stem_id: u32,
    /// The last text group ([`Analyzer::each_id`]'s `group`) it was seen in.
    group: u64,
}

/// Analyses text in one language, remembering what it found: a corpus says
/// the same few thousand words millions of times, so a word as written is
/// looked up once, and only a word never seen goes through the analysis
/// chain ([`words_analyzer`]) and the stemmer.
pub struct Analyzer {
    lang: Lang,
    words: TextAnalyzer,
    stemmer: TextAnalyzer,
    /// A word as written (case and accents kept) → its place in `known`;
    /// `None` for a stop word. Only words longer than 16 bytes: the others
    /// are in `short`.
    written: FxMap<String, Option<usize>>,
    /// The same for words of at most 16 bytes, most of them, by their bytes
    /// as one number ([`short_key`]): found without comparing strings.
    short: FxMap<u128, Option<usize>>,
    /// The words of `short` met lately, in a small table the processor
    /// keeps in its cache: a few thousand words make nearly all of a text,
    /// and one probe here finds them without the map.
    recent: Recent,
    /// Surface form → its place in `known`.
    index: FxMap<String, usize>,
    known: Vec<Known>,
    /// By place in `known`, one for one.
    hot: Vec<Hot>,
}

/// Words as written an analyzer remembers at most (beyond, it starts over:
/// text full of hashes and identifiers must not fill the memory).
const MAX_WRITTEN: usize = 1 << 20;

impl Analyzer {
    pub fn new(lang: Lang) -> Analyzer {
        Analyzer {
            lang,
            words: words_analyzer(lang),
            stemmer: TextAnalyzer::builder(RawTokenizer::default())
                .filter(Stemmer::new(lang.stemmer()))
                .build(),
            written: FxMap::default(),
            short: FxMap::default(),
            recent: Recent::new(),
            index: FxMap::default(),
            known: Vec::new(),
            hot: Vec::new(),
        }
    }

    pub fn lang(&self) -> Lang {
        self.lang
    }

    /// Where `surface` is in `known` (one hash lookup when it is known).
    fn learn(&mut self, surface: &str) -> usize {
        if let Some(&i) = self.index.get(surface) {
            return i;
        }
        let stem = self
            .stemmer
            .token_stream(surface)
            .next()
            .map(|t| t.text.clone())
            .unwrap_or_default();
        self.known.push(Known {
            surface: surface.to_string(),
            stem,
        });
        self.hot.push(Hot::default());
        self.index.insert(surface.to_string(), self.known.len() - 1);
        self.known.len() - 1
    }

    /// The stem of a surface form.
    pub fn stem(&mut self, surface: &str) -> &str {
        let i = self.learn(surface);
        &self.known[i].stem
    }

    /// The indexed words of `text`: (start, end, place in `known`), in order.
    /// Splits as tantivy's `SimpleTokenizer` does and applies the rules of
    /// [`words_analyzer`] that depend on the text around a word (elisions,
    /// possessives) itself; the rest of the chain runs once per word as written.
    fn scan(&mut self, text: &str, mut f: impl FnMut(&mut Self, usize, usize, usize)) {
        let elisions = ElisionFilter::for_lang(self.lang);
        for (from, to) in AlphanumericRuns::new(text) {
            let raw = &text[from..to];
            if raw.len() >= MAX_WORD_BYTES
                || (elisions.elisions
                    && raw.len() <= 7
                    && text[to..].starts_with(APOSTROPHES)
                    && ELISIONS.iter().any(|e| e.eq_ignore_ascii_case(raw)))
                || (elisions.possessive
                    && raw.eq_ignore_ascii_case("s")
                    && text[..from].ends_with(APOSTROPHES))
            {
                continue;
            }
            let key = short_key(text, from, to);
            let known = match key {
                Some(key) => self.find_short(key),
                None => self.written.get(raw).copied(),
            };
            let place = match known {
                Some(place) => place,
                None => self.learn_written(raw, key),
            };
            if let Some(k) = place {
                f(self, from, to, k);
            }
        }
    }

    /// What `short` says of the word of `key`, asked of `recent` first.
    fn find_short(&mut self, key: u128) -> Option<Option<usize>> {
        if let Some(place) = self.recent.get(key) {
            return Some(place);
        }
        let place = self.short.get(&key).copied()?;
        self.recent.put(key, place);
        Some(place)
    }

    /// Analyses `raw`, a word met for the first time (`key`: its
    /// [`short_key`], when it has one).
    fn learn_written(&mut self, raw: &str, key: Option<u128>) -> Option<usize> {
        if self.written.len() + self.short.len() >= MAX_WRITTEN {
            self.written.clear();
            self.short.clear();
            self.recent = Recent::new();
        }
        let surface = self.words.token_stream(raw).next().map(|t| t.text.clone());
        let place = surface.map(|s| self.learn(&s));
        match key {
            Some(key) => self.short.insert(key, place),
            None => self.written.insert(raw.to_string(), place),
        };
        place
    }

    /// Calls `f` with every indexed word of `text`, in order.
    pub fn each(&mut self, text: &str, mut f: impl FnMut(Word<'_>)) {
        self.scan(text, |a, from, to, k| {
            let known = &a.known[k];
            f(Word {
                surface: &known.surface,
                stem: &known.stem,
                from,
                to,
            })
        });
    }

    /// Calls `f` with every indexed word of `text`, numbered in `words`,
    /// [`Numbered::first`] telling whether it is the first time the word is
    /// seen in `group` (a number the caller gives each page, never 0). No
    /// allocation once a word is known.
    pub fn each_id(&mut self, text: &str, words: &Words, group: u64, mut f: impl FnMut(Numbered<'_>)) {
        self.scan(text, |a, from, to, k| {
            let hot = &mut a.hot[k];
            let known = &a.known[k];
            let new = hot.generation != words.generation;
            if new {
                *hot = Hot {
                    generation: words.generation,
                    surface_id: words.id(&known.surface),
                    stem_id: words.id(&known.stem),
                    group: hot.group,
                };
            }
            let first = hot.group != group;
            hot.group = group;
            f(Numbered {
                known,
                from,
                to,
                surface_id: hot.surface_id,
                stem_id: hot.stem_id,
                first,
                new,
            });
        });
    }
}

/// Words of at most 16 bytes met lately, by [`short_key`]: one slot per
/// hash, the last word there wins. A slot holds the key and the place in
/// `Analyzer::known` (`None`: a stop word).
struct Recent {
    slots: Box<[(u128, Option<u32>)]>,
}

/// Slots of [`Recent`] (a power of two): 4,096 of 32 bytes, 128 kB.
const RECENT_SLOTS: usize = 1 << 12;

impl Recent {
    fn new() -> Recent {
        // Key 0 is no word (a word has at least one byte that is not 0).
        Recent {
            slots: vec![(0, None); RECENT_SLOTS].into_boxed_slice(),
        }
    }

    fn slot(key: u128) -> usize {
        let mixed = ((key as u64) ^ ((key >> 64) as u64).rotate_left(29)).wrapping_mul(0x9e37_79b9_7f4a_7c15);
        (mixed >> (64 - RECENT_SLOTS.trailing_zeros())) as usize
    }

    /// `Some(place)` when `key` is in its slot.
    fn get(&self, key: u128) -> Option<Option<usize>> {
        let (k, place) = self.slots[Self::slot(key)];
        (k == key).then(|| place.map(|p| p as usize))
    }

    fn put(&mut self, key: u128, place: Option<usize>) {
        // A place past u32 (never on a real site) is not kept.
        if let Ok(place) = place.map(u32::try_from).transpose() {
            self.slots[Self::slot(key)] = (key, place);
        }
    }
}

/// The bytes of the word `text[from..to]` as one number, for a word of at
/// most 16 bytes: its bytes in order, then zeros. Two words have the same
/// number only when they are the same, since a word (letters and digits)
/// holds no zero byte.
fn short_key(text: &str, from: usize, to: usize) -> Option<u128> {
    let len = to - from;
    if len > 16 {
        return None;
    }
    let bytes = text.as_bytes();
    let keep = if len == 16 {
        u128::MAX
    } else {
        (1u128 << (8 * len)) - 1
    };
    // Sixteen bytes read at once where the text has them, the word's kept.
    let sixteen = match bytes.get(from..from + 16) {
        Some(s) => u128::from_le_bytes(s.try_into().ok()?),
        None => {
            let mut buf = [0u8; 16];
            buf[..len].copy_from_slice(&bytes[from..to]);
            u128::from_le_bytes(buf)
        }
    };
    Some(sixteen & keep)
}

/// The runs of letters and digits of a text, as byte ranges: the words
/// tantivy's `SimpleTokenizer` makes.
struct AlphanumericRuns<'t> {
    text: &'t str,
    at: usize,
}

impl<'t> AlphanumericRuns<'t> {
    fn new(text: &'t str) -> Self {
        AlphanumericRuns { text, at: 0 }
    }

    /// Whether the character at `at` is a letter or a digit, and its length.
    fn class(&self, at: usize) -> (bool, usize) {
        let b = self.text.as_bytes()[at];
        if b.is_ascii() {
            return (b.is_ascii_alphanumeric(), 1);
        }
        let c = self.text[at..].chars().next().unwrap_or(' ');
        (c.is_alphanumeric(), c.len_utf8())
    }
}

impl Iterator for AlphanumericRuns<'_> {
    type Item = (usize, usize);

    fn next(&mut self) -> Option<(usize, usize)> {
        let len = self.text.len();
        while self.at < len {
            let (word, n) = self.class(self.at);
            if word {
                break;
            }
            self.at += n;
        }
        if self.at >= len {
            return None;
        }
        let from = self.at;
        while self.at < len {
            let (word, n) = self.class(self.at);
            if !word {
                break;
            }
            self.at += n;
        }
        Some((from, self.at))
    }
}

/// A word as [`Analyzer::each_id`] gives it.
#[derive(Debug, Clone, Copy)]
pub struct Numbered<'a> {
    known: &'a Known,
    from: usize,
    to: usize,
    /// Numbers of the surface form and of the stem in the [`Words`].
    pub surface_id: u32,
    pub stem_id: u32,
    /// The first time the word is seen in its group (page).
    pub first: bool,
    /// The first time this analyser numbers the word in these [`Words`]
    /// (on this thread: another thread may have numbered it before).
    pub new: bool,
}

impl<'a> Numbered<'a> {
    /// The word itself (its text is read only when asked for).
    pub fn word(&self) -> Word<'a> {
        Word {
            surface: &self.known.surface,
            stem: &self.known.stem,
            from: self.from,
            to: self.to,
        }
    }
}

thread_local! {
    static ANALYZERS: std::cell::RefCell<Option<[Analyzer; 2]>> = const { std::cell::RefCell::new(None) };
}

/// Runs `f` with this thread's analyzer for `lang` (its stem cache lives as long as the thread).
pub fn with_analyzer<R>(lang: Lang, f: impl FnOnce(&mut Analyzer) -> R) -> R {
    ANALYZERS.with(|cell| {
        let mut slot = cell.borrow_mut();
        let pair = slot.get_or_insert_with(|| [Analyzer::new(Lang::Fr), Analyzer::new(Lang::En)]);
        f(&mut pair[lang as usize])
    })
}

/// A query split into folded words (surface forms), stop words dropped.
pub fn query_words(text: &str) -> Vec<String> {
    let mut analyzer = query_analyzer();
    let mut stream = analyzer.token_stream(text);
    let mut out = Vec::new();
    while let Some(t) = stream.next() {
        out.push(t.text.clone());
    }
    out
}

/// How the analysis folds `c` (already lowercased), when it changes it: the
/// browser gets this table so it folds a query exactly like the build.
pub fn fold_char(c: char) -> Option<String> {
    if c.is_ascii() {
        return None;
    }
    let mut folder = TextAnalyzer::builder(RawTokenizer::default())
        .filter(AsciiFoldingFilter)
        .build();
    let s = c.to_string();
    let mut stream = folder.token_stream(&s);
    let folded = stream.next().map(|t| t.text.clone())?;
    (folded != s).then_some(folded)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn surfaces(lang: Lang, text: &str) -> Vec<String> {
        let mut a = Analyzer::new(lang);
        let mut out = Vec::new();
        a.each(text, |w| out.push(w.surface.to_string()));
        out
    }

    fn stems(lang: Lang, text: &str) -> Vec<String> {
        let mut a = Analyzer::new(lang);
        let mut out = Vec::new();
        a.each(text, |w| out.push(w.stem.to_string()));
        out
    }

    #[test]
    fn a_word_is_new_once_per_numbering_and_first_once_per_group() {
        let mut a = Analyzer::new(Lang::Fr);
        let seen = |a: &mut Analyzer, words: &Words, group: u64| {
            let mut out = Vec::new();
            a.each_id("nova redémarre nova", words, group, |w| {
                out.push((w.word().surface.to_string(), w.first, w.new))
            });
            out
        };
        let words = Words::default();
        let n = |s: &str, first, new| (s.to_string(), first, new);
        assert_eq!(
            seen(&mut a, &words, 1),
            [
                n("nova", true, true),
                n("redemarre", true, true),
                n("nova", false, false)
            ]
        );
        // Another page: first there, but numbered already.
        assert_eq!(seen(&mut a, &words, 2)[0], n("nova", true, false));
        // Another index being built (a new `Words`): new again.
        assert_eq!(seen(&mut a, &Words::default(), 3)[0], n("nova", true, true));
    }

    #[test]
    fn french_elisions_accents_and_ligatures() {
        assert_eq!(
            surfaces(
                Lang::Fr,
                "Redémarrer l'hyperviseur jusqu'à ce qu'il réponde : le nœud d’Œuvre"
            ),
            ["redemarrer", "hyperviseur", "reponde", "noeud", "oeuvre"]
        );
        assert_eq!(stems(Lang::Fr, "Redémarrer les réseaux"), ["redemarr", "reseau"]);
    }

    #[test]
    fn english_possessives_and_stems() {
        assert_eq!(
            stems(Lang::En, "The node's pods are restarting"),
            ["node", "pod", "restart"]
        );
    }

    #[test]
    fn the_fast_path_agrees_with_the_analysis_chain() {
        let long = "x".repeat(MAX_WORD_BYTES);
        let text = format!(
            "L'Opérateur REDÉMARRE les nœuds d’OpenStack jusqu'à ce qu'il réponde ; \
             the node's pods' logs, l'l'l, s's, Ça ÉCHOUE à 3h — ß İstanbul ǅemal \
             {long} ok 東京 d'abord l’ d' qu's Straße kubectl-rollout_restart \
             Abcdefghijklmnop abcdefghijklmnopq abcdefghijklmno Abcdefghijklmnop ok"
        );
        for lang in Lang::ALL {
            let mut chain = words_analyzer(lang);
            let mut stream = chain.token_stream(&text);
            let mut expected = Vec::new();
            while let Some(t) = stream.next() {
                expected.push((t.text.clone(), t.offset_from, t.offset_to));
            }
            let mut a = Analyzer::new(lang);
            // Twice: the second time every word comes from what the analyzer remembers.
            for _ in 0..2 {
                let mut got = Vec::new();
                a.each(&text, |w| got.push((w.surface.to_string(), w.from, w.to)));
                assert_eq!(got, expected, "{lang:?}");
            }
        }
    }

    #[test]
    fn the_table_of_recent_words_never_answers_for_another_word() {
        let key = |w: &str| short_key(w, 0, w.len()).unwrap();
        let mut recent = Recent::new();
        assert_eq!(recent.get(key("nova")), None);
        recent.put(key("nova"), Some(7));
        recent.put(key("le"), None);
        assert_eq!(recent.get(key("nova")), Some(Some(7)));
        assert_eq!(recent.get(key("le")), Some(None));
        // A word that falls in the slot of "nova" takes it over.
        let rival = (0..100_000)
            .map(|i| format!("w{i}"))
            .find(|w| Recent::slot(key(w)) == Recent::slot(key("nova")))
            .unwrap();
        assert_eq!(recent.get(key(&rival)), None);
        recent.put(key(&rival), Some(9));
        assert_eq!(recent.get(key(&rival)), Some(Some(9)));
        assert_eq!(recent.get(key("nova")), None);
    }

    #[test]
    fn a_short_word_has_one_number_wherever_it_is_and_no_other_word_has_it() {
        let text = "nova abcdefghijklmnop nova2 abcdefghijklmno novaé a nova";
        let key = |word: &str, nth: usize| {
            let from = text.match_indices(word).nth(nth).unwrap().0;
            short_key(text, from, from + word.len()).unwrap()
        };
        // The first `nova` is read sixteen bytes at once, the last one near
        // the end of the text byte by byte.
        assert_eq!(key("nova", 0), key("nova", 3));
        let words = [
            "nova",
            "nova2",
            "novaé",
            "a",
            "abcdefghijklmnop",
            "abcdefghijklmno",
        ];
        let keys: std::collections::HashSet<u128> = words.iter().map(|w| key(w, 0)).collect();
        assert_eq!(keys.len(), words.len());
        assert_eq!(short_key("abcdefghijklmnopq", 0, 17), None);
    }

    #[test]
    fn queries_drop_both_languages_stop_words() {
        assert_eq!(
            query_words("Comment redémarrer l'API de the Nova?"),
            ["comment", "redemarrer", "api", "nova"]
        );
        assert_eq!(query_words("noeud"), query_words("nœud"));
    }

    #[test]
    fn folding_table() {
        assert_eq!(fold_char('é').as_deref(), Some("e"));
        assert_eq!(fold_char('œ').as_deref(), Some("oe"));
        assert_eq!(fold_char('a'), None);
    }
}
