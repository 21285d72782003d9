//! The tantivy index behind `vigie search` (and `serve`'s search API).
//!
//! It lives in a cache folder, `ROOT/.vigie/search-index/<stamp>/`, where the
//! stamp is a hash of the size and modification time of every source file
//! (plus vigie's version): a changed, added or removed page gives another
//! stamp, so a stale index is never opened — a new one is made beside it and
//! the old one removed. The new one starts from the old one (hard links) and
//! indexes again only the pages whose fingerprint changed (`vigie-pages.json`
//! keeps them). `vigie search` builds it when it is missing or stale; once the
//! cache exists, `vigie build` keeps it fresh as it emits the browser index
//! (a build never creates it: it does not write into a knowledge base that did
//! not ask for it). When the root cannot be written the index is built in
//! memory for that one search. `.vigie/` holds a `.gitignore` of its own.
//!
//! One document per section. Text fields exist once per language; they get
//! the stems the analysis of [`super::analysis`] made (the browser index is
//! made from the same pass).

use std::path::{Path, PathBuf};

use tantivy::schema::{Field, IndexRecordOption, STORED, STRING, Schema, TextFieldIndexing, TextOptions};
use tantivy::{Index, IndexReader, IndexWriter, TantivyDocument};

use super::analysis::{self, FxMap, Lang};
use super::docs::PageDoc;
use super::shards::{PageTerms, Stemmed};
use crate::config::Config;
use crate::error::{Error, Result};
use serde::{Deserialize, Serialize};

/// Bumped when the schema or the analysis changes: old indexes are then stale.
pub const SCHEMA_VERSION: u32 = 4;

/// Where the index cache of a knowledge base lives.
pub fn cache_dir(config: &Config) -> PathBuf {
    config.root.join(".vigie").join("search-index")
}

/// The fields of the index.
#[derive(Clone)]
pub struct Fields {
    /// Per language (index by `Lang as usize`): page title, section heading,
    /// section text, page metadata (tags, owner, kind, path).
    pub title: [Field; 2],
    pub heading: [Field; 2],
    pub body: [Field; 2],
    pub meta: [Field; 2],
    /// Surface forms (before stemming): the vocabulary queries are matched against.
    pub words: [Field; 2],
    pub url: Field,
    pub page: Field,
    pub page_title: Field,
    pub section: Field,
    pub text: Field,
    pub lang: Field,
    pub kind: Field,
    pub tags: Field,
    /// The page's source path, to delete its documents when it changes.
    pub page_key: Field,
    /// Lower-cased names of the alerts whose runbook this section is.
    pub alerts: Field,
}

impl Fields {
    /// Searched fields of `lang`, with their boost.
    pub fn searched(&self, lang: Lang) -> [(Field, f32); 4] {
        let l = lang as usize;
        [
            (self.title[l], 3.0),
            (self.heading[l], 2.0),
            (self.body[l], 1.0),
            (self.meta[l], 1.5),
        ]
    }
}

/// The schema, and its fields.
pub fn schema() -> (Schema, Fields) {
    let mut b = Schema::builder();
    let text = |tokenizer: &str, record: IndexRecordOption| {
        TextOptions::default().set_indexing_options(
            TextFieldIndexing::default()
                .set_tokenizer(tokenizer)
                .set_index_option(record),
        )
    };
    let mut per_lang = |name: &str, words: bool| -> [Field; 2] {
        Lang::ALL.map(|lang| {
            let record = if words {
                IndexRecordOption::Basic
            } else {
                IndexRecordOption::WithFreqs
            };
            let options = text(analysis::ANALYSED_TOKENIZER, record);
            b.add_text_field(&format!("{name}_{}", lang.code()), options)
        })
    };
    let title = per_lang("title", false);
    let heading = per_lang("heading", false);
    let body = per_lang("body", false);
    let meta = per_lang("meta", false);
    let words = per_lang("words", true);
    let fields = Fields {
        title,
        heading,
        body,
        meta,
        words,
        url: b.add_text_field("url", STORED),
        page: b.add_text_field("page", STORED),
        page_title: b.add_text_field("page_title", STORED),
        section: b.add_text_field("section", STORED),
        text: b.add_text_field("text", STORED),
        lang: b.add_text_field("lang", STORED),
        kind: b.add_text_field("kind", STRING | STORED),
        tags: b.add_text_field("tags", STRING | STORED),
        page_key: b.add_text_field("page_key", STRING),
        alerts: b.add_text_field("alerts", STRING),
    };
    (b.build(), fields)
}

/// The documents (one per section) of a page, from its text as the analysis
/// made it (`stemmed`); the page's distinct surface forms go once, with its
/// top section, into the vocabulary field.
pub fn documents(f: &Fields, doc: &PageDoc<'_>, stemmed: Stemmed) -> Vec<TantivyDocument> {
    let l = doc.lang as usize;
    let page = doc.page;
    let Stemmed {
        title,
        meta,
        sections,
        surfaces,
    } = stemmed;
    let mut surfaces = Some(surfaces);
    let mut out = Vec::with_capacity(doc.sections.len());
    for (i, (section, (heading, body))) in doc.sections.iter().zip(sections).enumerate() {
        let mut d = TantivyDocument::new();
        for (alert, _) in doc.alerts.iter().filter(|(_, at)| *at == i) {
            d.add_text(f.alerts, alert);
        }
        d.add_text(f.title[l], &title);
        // The top of the page has the title as text (see `Stemmed`): it is
        // about the title once more than the other sections, which get the
        // title field too. The browser index does the same.
        if section.top
            && let Some(s) = surfaces.take()
        {
            d.add_text(f.words[l], s);
        }
        if !heading.is_empty() {
            d.add_text(f.heading[l], heading);
        }
        d.add_text(f.body[l], body);
        d.add_text(f.meta[l], &meta);
        d.add_text(f.url, doc.url(section));
        d.add_text(f.page, page.display());
        d.add_text(f.page_key, page.display());
        d.add_text(f.page_title, &page.title);
        d.add_text(f.section, if section.top { "" } else { section.heading });
        d.add_text(f.text, super::docs::squeeze(&section.text));
        d.add_text(f.lang, doc.lang.code());
        if let Some(k) = doc.kind {
            d.add_text(f.kind, k);
        }
        for t in &page.front_matter.tags {
            d.add_text(f.tags, t);
        }
        out.push(d);
    }
    out
}

fn tantivy_error(dir: &Path, e: impl std::fmt::Display) -> Error {
    Error::Search {
        path: dir.to_path_buf(),
        message: e.to_string(),
    }
}

/// An index being written.
pub struct Writer {
    index: Index,
    writer: IndexWriter,
    fields: Fields,
    /// (folder being written, folder it becomes) for an index on disk.
    place: Option<(PathBuf, PathBuf)>,
    /// The folder errors name: where the index is, or would be on disk.
    dir: PathBuf,
    /// Fingerprints of the pages of the index this one started from.
    previous: FxMap<String, u64>,
    /// Fingerprints of the pages seen by this writer.
    current: std::sync::Mutex<FxMap<String, u64>>,
}

/// File beside an index on disk: the fingerprint of every page in it.
const PAGES_FILE: &str = "vigie-pages.json";

#[derive(Serialize, Deserialize)]
struct PagesFile {
    schema: u32,
    vigie: String,
    pages: FxMap<String, u64>,
}

/// What a page contributes to the index, hashed: a page whose fingerprint did
/// not change keeps its documents when the index is refreshed.
pub fn fingerprint(doc: &PageDoc<'_>) -> u64 {
    use std::hash::Hasher;
    let mut h = analysis::FxHasher::default();
    let page = doc.page;
    let mut text = |s: &str| {
        h.write(s.as_bytes());
        h.write_u32(0xff);
    };
    text(page.display());
    text(&page.url);
    text(&page.title);
    text(&doc.meta);
    text(doc.lang.code());
    text(doc.kind.unwrap_or(""));
    for t in &page.front_matter.tags {
        text(t);
    }
    for (alert, at) in &doc.alerts {
        text(alert);
        text(&at.to_string());
    }
    for s in &doc.sections {
        text(s.anchor.unwrap_or(""));
        text(s.heading);
        text(if s.top { "top" } else { "" });
        text(&s.text);
    }
    h.finish()
}

impl Writer {
    /// A new index for the knowledge base whose sources have `stamp`, in its cache folder.
    pub fn on_disk(config: &Config, stamp: &str) -> Result<Writer> {
        let base = cache_dir(config);
        if let Some(dot) = base.parent()
            && !dot.exists()
        {
            std::fs::create_dir_all(dot).map_err(|e| Error::write(dot, e))?;
            // A cache, not sources: keep it out of git.
            let _ = std::fs::write(dot.join(".gitignore"), "# vigie's caches\n*\n");
        }
        // Unique to this process and this writer: `serve` may refresh the
        // index on a rebuild while its search API builds one.
        static WRITERS: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);
        let n = WRITERS.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        let tmp = base.join(format!("tmp-{}-{n}", std::process::id()));
        if tmp.exists() {
            let _ = std::fs::remove_dir_all(&tmp);
        }
        std::fs::create_dir_all(&tmp).map_err(|e| Error::write(&tmp, e))?;
        let place = Some((tmp.clone(), base.join(stamp)));
        // Start from the latest index when it is of this version: only the
        // pages that changed are indexed again.
        if let Some((_, dir)) = latest(config)
            && let Some(previous) = read_pages(&dir)
            && link_files(&dir, &tmp).is_ok()
            && let Ok(index) = Index::open_in_dir(&tmp)
        {
            let (_, fields) = schema();
            let mut w = Writer::new(index, fields, place, tmp.clone())?;
            w.previous = previous;
            return Ok(w);
        }
        // Anything half-copied goes: a new index is made from scratch.
        let _ = std::fs::remove_dir_all(&tmp);
        std::fs::create_dir_all(&tmp).map_err(|e| Error::write(&tmp, e))?;
        let (schema, fields) = schema();
        let index = Index::create_in_dir(&tmp, schema).map_err(|e| tantivy_error(&tmp, e))?;
        Writer::new(index, fields, place, tmp)
    }

    /// A new index in memory, for the knowledge base whose index would be in `dir`.
    pub fn in_memory(dir: PathBuf) -> Result<Writer> {
        let (schema, fields) = schema();
        Writer::new(Index::create_in_ram(schema), fields, None, dir)
    }

    fn new(index: Index, fields: Fields, place: Option<(PathBuf, PathBuf)>, dir: PathBuf) -> Result<Writer> {
        analysis::register(&index);
        let threads = rayon::current_num_threads().clamp(1, 4);
        let writer = index
            .writer_with_num_threads(threads, threads * 48_000_000)
            .map_err(|e| tantivy_error(&dir, e))?;
        Ok(Writer {
            index,
            writer,
            fields,
            place,
            dir,
            previous: FxMap::default(),
            current: Default::default(),
        })
    }

    /// Whether page `doc` must be indexed: it is new, or changed since the
    /// index this one started from. Notes the page as seen.
    pub fn wants(&self, doc: &PageDoc<'_>) -> bool {
        let key = doc.page.display();
        let print = fingerprint(doc);
        let same = self.previous.get(key) == Some(&print);
        self.current
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .insert(key.to_string(), print);
        !same
    }

    /// Indexes page `doc` (callable from several threads), in place of its
    /// documents in the index this one started from.
    pub fn add_page(&self, doc: &PageDoc<'_>, stemmed: Stemmed) -> Result<()> {
        let key = doc.page.display();
        if self.previous.contains_key(key) {
            self.writer
                .delete_term(tantivy::Term::from_field_text(self.fields.page_key, key));
        }
        self.add(documents(&self.fields, doc, stemmed))
    }

    pub fn fields(&self) -> &Fields {
        &self.fields
    }

    /// Adds the documents of one page (callable from several threads).
    pub fn add(&self, docs: Vec<TantivyDocument>) -> Result<()> {
        for d in docs {
            self.writer
                .add_document(d)
                .map_err(|e| tantivy_error(&self.dir, e))?;
        }
        Ok(())
    }

    /// Gives up: nothing is committed, and the folder being written is removed.
    pub fn abandon(self) {
        let Writer { writer, place, .. } = self;
        drop(writer);
        if let Some((tmp, _)) = place {
            let _ = std::fs::remove_dir_all(tmp);
        }
    }

    /// Commits, moves the index into place, and removes older ones.
    pub fn finish(self) -> Result<SearchIndex> {
        self.commit()?.finish()
    }

    /// Commits every document (the index is complete, but not yet in place).
    pub fn commit(mut self) -> Result<Committed> {
        let here = self.dir.clone();
        let failed = |e| {
            if let Some((tmp, _)) = &self.place {
                let _ = std::fs::remove_dir_all(tmp);
            }
            tantivy_error(&here, e)
        };
        let current = std::mem::take(self.current.get_mut().unwrap_or_else(|p| p.into_inner()));
        for key in self.previous.keys().filter(|k| !current.contains_key(*k)) {
            self.writer
                .delete_term(tantivy::Term::from_field_text(self.fields.page_key, key));
        }
        if let Err(e) = self.writer.commit() {
            return Err(failed(e));
        }
        if let Some((tmp, _)) = &self.place {
            let file = PagesFile {
                schema: SCHEMA_VERSION,
                vigie: env!("CARGO_PKG_VERSION").to_string(),
                pages: current,
            };
            let path = tmp.join(PAGES_FILE);
            let written = serde_json::to_vec(&file)
                .map_err(std::io::Error::from)
                .and_then(|bytes| std::fs::write(&path, bytes));
            if let Err(e) = written {
                let _ = std::fs::remove_dir_all(tmp);
                return Err(Error::write(path, e));
            }
        }
        if let Err(e) = self.writer.wait_merging_threads() {
            return Err(failed(e));
        }
        Ok(Committed {
            index: self.index,
            fields: self.fields,
            place: self.place,
            dir: self.dir,
        })
    }
}

/// A complete index, not yet in its place in the cache.
pub struct Committed {
    index: Index,
    fields: Fields,
    place: Option<(PathBuf, PathBuf)>,
    dir: PathBuf,
}

impl Committed {
    /// Gives up: the folder it was written in is removed.
    pub fn abandon(self) {
        if let Some((tmp, _)) = self.place {
            drop(self.index);
            let _ = std::fs::remove_dir_all(tmp);
        }
    }

    /// Moves the index into place, and removes older ones.
    pub fn finish(self) -> Result<SearchIndex> {
        let Some((tmp, dest)) = self.place else {
            return SearchIndex::new(self.index, self.fields, self.dir);
        };
        drop(self.index);
        if std::fs::rename(&tmp, &dest).is_err() {
            // Another vigie made the same index meanwhile: use theirs.
            let _ = std::fs::remove_dir_all(&tmp);
        }
        if let Some(base) = dest.parent()
            && let Ok(entries) = std::fs::read_dir(base)
        {
            for e in entries.flatten() {
                let name = e.file_name().to_string_lossy().to_string();
                // Another vigie may be writing its own; one untouched for an
                // hour was left by a vigie that was stopped.
                let recent = e
                    .metadata()
                    .and_then(|m| m.modified())
                    .ok()
                    .and_then(|t| t.elapsed().ok())
                    .is_some_and(|age| age < std::time::Duration::from_secs(3600));
                let other_tmp = name.starts_with("tmp-") && recent;
                if e.path() != dest && !other_tmp {
                    let _ = std::fs::remove_dir_all(e.path());
                }
            }
        }
        SearchIndex::open(&dest)
    }
}

/// An index ready to be searched.
pub struct SearchIndex {
    pub(crate) index: Index,
    pub(crate) reader: IndexReader,
    pub(crate) fields: Fields,
    /// The folder errors name.
    pub(crate) dir: PathBuf,
}

impl SearchIndex {
    fn new(index: Index, fields: Fields, dir: PathBuf) -> Result<SearchIndex> {
        analysis::register(&index);
        // Manual reloads: the default starts a thread that watches the folder.
        let reader = index
            .reader_builder()
            .reload_policy(tantivy::ReloadPolicy::Manual)
            .try_into()
            .map_err(|e| tantivy_error(&dir, e))?;
        Ok(SearchIndex {
            index,
            reader,
            fields,
            dir,
        })
    }

    /// Opens the index in `dir`.
    pub fn open(dir: &Path) -> Result<SearchIndex> {
        let index = Index::open_in_dir(dir).map_err(|e| tantivy_error(dir, e))?;
        let (_, fields) = schema();
        SearchIndex::new(index, fields, dir.to_path_buf())
    }

    /// Number of documents (sections) indexed.
    pub fn len(&self) -> u64 {
        self.reader.searcher().num_docs()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    pub fn index(&self) -> &Index {
        &self.index
    }
}

/// Opens the index of `config`'s knowledge base, building it first when it
/// is missing or stale. Says so on stderr when `verbose`.
pub fn open_or_build(config: &Config, verbose: bool) -> Result<SearchIndex> {
    let stamp = stamp(config)?;
    open_or_build_stamped(config, &stamp, verbose)
}

/// Answers `req` from the index of `config`'s knowledge base, building or
/// refreshing it first when needed. Checking whether the index is stale
/// means a look at every source file: that runs while the index in the cache
/// answers, and the answer is kept only if the index turns out to be current.
///
/// A cache that cannot be read (a file corrupted or missing, whatever the
/// index library makes of it, panics included) is thrown away and built
/// again, with a one-line note: it is a cache, never a reason to fail.
pub fn search(config: &Config, req: &super::Request, verbose: bool) -> Result<Vec<super::Hit>> {
    let attempt = || {
        std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
            search_cached(config, req, verbose)
        }))
    };
    let why = match attempt() {
        Ok(Err(Error::Search { message, .. })) => message,
        Ok(answered) => return answered,
        Err(panic) => panic
            .downcast_ref::<String>()
            .cloned()
            .or_else(|| panic.downcast_ref::<&str>().map(|s| s.to_string()))
            .unwrap_or_else(|| "unreadable".into()),
    };
    let dir = cache_dir(config);
    eprintln!(
        "note: the search cache {} could not be read ({}); it was thrown away and is built again",
        config.display_path(&dir),
        why.lines().next().unwrap_or_default()
    );
    std::fs::remove_dir_all(&dir).map_err(|e| Error::write(&dir, e))?;
    match attempt() {
        Ok(answered) => answered,
        Err(_) => Err(Error::Search {
            path: dir,
            message: "the index could not be built again".into(),
        }),
    }
}

fn search_cached(config: &Config, req: &super::Request, verbose: bool) -> Result<Vec<super::Hit>> {
    std::thread::scope(|scope| {
        let checking = scope.spawn(|| stamp(config));
        let early = latest(config).and_then(|(name, dir)| {
            let index = SearchIndex::open(&dir).ok()?;
            Some((name, index.search(req)))
        });
        let stamp = checking.join().map_err(|_| Error::Search {
            path: cache_dir(config),
            message: "checking the sources failed".into(),
        })??;
        match early {
            Some((name, Ok(hits))) if name == stamp => Ok(hits),
            _ => open_or_build_stamped(config, &stamp, verbose)?.search(req),
        }
    })
}

/// The page fingerprints of the index in `dir`, when it is of this version of vigie.
fn read_pages(dir: &Path) -> Option<FxMap<String, u64>> {
    let bytes = std::fs::read(dir.join(PAGES_FILE)).ok()?;
    let file: PagesFile = serde_json::from_slice(&bytes).ok()?;
    (file.schema == SCHEMA_VERSION && file.vigie == env!("CARGO_PKG_VERSION")).then_some(file.pages)
}

/// Puts the files of the index in `from` into `to`: hard links (tantivy
/// never changes a file it wrote, it writes new ones), or copies.
fn link_files(from: &Path, to: &Path) -> std::io::Result<()> {
    for entry in std::fs::read_dir(from)? {
        let entry = entry?;
        let name = entry.file_name();
        // Not the page list (written anew), nor the lock files: a lock is on the file itself.
        if !entry.file_type()?.is_file() || name == PAGES_FILE || name.to_string_lossy().ends_with(".lock") {
            continue;
        }
        let dest = to.join(entry.file_name());
        if std::fs::hard_link(entry.path(), &dest).is_err() {
            std::fs::copy(entry.path(), &dest)?;
        }
    }
    Ok(())
}

/// The most recent complete index in the cache: (stamp, folder).
fn latest(config: &Config) -> Option<(String, PathBuf)> {
    std::fs::read_dir(cache_dir(config))
        .ok()?
        .flatten()
        .filter(|e| !e.file_name().to_string_lossy().starts_with("tmp-"))
        .filter_map(|e| {
            let modified = e.path().join("meta.json").metadata().ok()?.modified().ok()?;
            Some((modified, e.file_name().to_string_lossy().to_string(), e.path()))
        })
        .max()
        .map(|(_, name, path)| (name, path))
}

fn open_or_build_stamped(config: &Config, stamp: &str, verbose: bool) -> Result<SearchIndex> {
    let stamp = stamp.to_string();
    let dir = cache_dir(config).join(&stamp);
    if dir.join("meta.json").is_file()
        && let Ok(index) = SearchIndex::open(&dir)
    {
        return Ok(index);
    }
    let started = std::time::Instant::now();
    // Search reads text, not HTML: no need to highlight code.
    let rs =
        crate::markdown::RenderedSite::load_with(config.clone(), &crate::markdown::RenderOptions::checks())?;
    let writer = match Writer::on_disk(config, &stamp) {
        Ok(w) => w,
        Err(e) => {
            if verbose {
                eprintln!("note: {e}; searching an index kept in memory");
            }
            Writer::in_memory(cache_dir(config))?
        }
    };
    let (index, indexed) = build_into(&rs, writer)?;
    if verbose {
        let pages = rs.site.pages.len();
        let which = if indexed == pages {
            format!("{pages} pages")
        } else {
            format!("{indexed} changed pages of {pages}")
        };
        eprintln!(
            "indexed {which} ({} sections) in {:.2}s",
            index.len(),
            started.elapsed().as_secs_f64()
        );
    }
    Ok(index)
}

/// Indexes every new or changed page of `rs` with `writer`: the index, and
/// how many pages were (re)indexed.
pub fn build_into(rs: &crate::markdown::RenderedSite, writer: Writer) -> Result<(SearchIndex, usize)> {
    use rayon::prelude::*;
    let docs = super::docs::pages(rs);
    let words = analysis::Words::default();
    let indexed = std::sync::atomic::AtomicUsize::new(0);
    docs.par_iter().try_for_each(|d| {
        if !writer.wants(d) {
            return Ok(());
        }
        indexed.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        let (_, stemmed) = PageTerms::with_stems(d, &words);
        writer.add_page(d, stemmed)
    })?;
    Ok((writer.finish()?, indexed.into_inner()))
}

/// A hash of what the index is made from: vigie's version, the
/// configuration files, and the size and modification time of every Markdown
/// file of the content.
pub fn stamp(config: &Config) -> Result<String> {
    let mut h = Fnv::default();
    h.write(env!("CARGO_PKG_VERSION").as_bytes());
    h.write(&SCHEMA_VERSION.to_le_bytes());
    h.write(config.root.to_string_lossy().as_bytes());
    for name in [
        "vigie.toml",
        "book.toml",
        "hugo.toml",
        "hugo.yaml",
        "config.toml",
        "config.yaml",
    ] {
        file_stamp(&mut h, &config.root.join(name), name.as_bytes());
    }
    let starts: Vec<PathBuf> = if config.content_dirs.is_empty() {
        vec![config.content_root.clone()]
    } else {
        config
            .content_dirs
            .iter()
            .map(|d| config.content_root.join(d))
            .collect()
    };
    let (mut files, mut count) = (0u64, 0u64);
    for start in starts {
        let from_root = start == config.root;
        // Unsorted (sorting thousands of names costs more than the walk):
        // each file's hash is summed, which does not depend on the order.
        let walker = walkdir::WalkDir::new(&start)
            .into_iter()
            .filter_entry(|e| e.depth() == 0 || !skipped(config, e, from_root));
        for entry in walker.flatten() {
            let path = entry.path();
            if entry.file_type().is_file() && path.as_os_str().as_encoded_bytes().ends_with(b".md") {
                let mut one = Fnv::default();
                file_stamp(&mut one, path, path.as_os_str().as_encoded_bytes());
                files = files.wrapping_add(one.0);
                count += 1;
            }
        }
    }
    h.write(&files.to_le_bytes());
    h.write(&count.to_le_bytes());
    Ok(format!("{:016x}", h.0))
}

/// Folders and files that are not content (as the loader decides), looked
/// at cheaply: this runs for every file at every `vigie search`.
fn skipped(config: &Config, e: &walkdir::DirEntry, from_root: bool) -> bool {
    let name = e.file_name().as_encoded_bytes();
    if name.first() == Some(&b'.') {
        return true;
    }
    if !e.file_type().is_dir() {
        return false;
    }
    name == b"target"
        || name == b"node_modules"
        || e.path() == config.out
        || (from_root && e.depth() == 1 && name == b"templates")
}

fn file_stamp(h: &mut Fnv, path: &Path, name: &[u8]) {
    let Ok(meta) = std::fs::metadata(path) else {
        return;
    };
    h.write(name);
    h.write(&meta.len().to_le_bytes());
    if let Ok(t) = meta.modified()
        && let Ok(d) = t.duration_since(std::time::UNIX_EPOCH)
    {
        h.write(&d.as_nanos().to_le_bytes());
    }
}

/// FNV-1a: small, and stable across Rust versions (unlike `DefaultHasher`).
struct Fnv(u64);

impl Default for Fnv {
    fn default() -> Self {
        Fnv(0xcbf2_9ce4_8422_2325)
    }
}

impl Fnv {
    fn write(&mut self, bytes: &[u8]) {
        for b in bytes {
            self.0 ^= u64::from(*b);
            self.0 = self.0.wrapping_mul(0x0100_0000_01b3);
        }
        // A separator, so ("ab", "c") and ("a", "bc") differ.
        self.0 ^= 0xff;
        self.0 = self.0.wrapping_mul(0x0100_0000_01b3);
    }
}
