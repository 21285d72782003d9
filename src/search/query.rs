//! Searching the tantivy index: query words are matched against the
//! vocabulary by the rules of [`super::matching`], each word becomes a
//! disjunction of its candidate stems over the boosted fields, and the
//! snippets mark the words that matched.

use std::collections::{HashMap, HashSet};

use serde::Serialize;
use tantivy::collector::TopDocs;
use tantivy::query::{
    BooleanQuery, BoostQuery, ConstScoreQuery, DisjunctionMaxQuery, Occur, Query, TermQuery,
};
use tantivy::schema::{Field, IndexRecordOption, Value};
use tantivy::{Searcher, TantivyDocument, Term};

use super::analysis::{self, Lang};
use super::index::SearchIndex;
use super::matching::{self, Candidate, Entry};
use super::snippet::{self, Snippet};
use crate::error::{Error, Result};

/// What to look for.
#[derive(Debug, Clone, Default)]
pub struct Request {
    /// The query as typed; `kind:runbook` and `tag:nova` inside it are filters.
    pub text: String,
    pub limit: usize,
    pub kind: Option<String>,
    pub tag: Option<String>,
}

/// One result: a section of a page.
#[derive(Debug, Clone, Serialize)]
pub struct Hit {
    /// Page title.
    pub title: String,
    /// Section heading, when the result is a section below the top of the page.
    pub section: Option<String>,
    /// Site URL of the section, relative to the site root (`runbooks/nova.html#redemarrer`).
    pub url: String,
    /// Source file of the page, relative to the knowledge-base root.
    pub page: String,
    pub kind: Option<String>,
    pub snippet: String,
    /// Byte ranges of the highlighted words in `snippet`.
    pub highlights: Vec<[usize; 2]>,
    pub score: f32,
}

/// A query split into words and filters.
#[derive(Debug, Default, PartialEq)]
pub struct Parsed {
    pub words: Vec<String>,
    pub kind: Option<String>,
    pub tag: Option<String>,
}

/// Splits `kind:` and `tag:` filters out of a query and analyses the rest.
pub fn parse(text: &str) -> Parsed {
    let mut p = Parsed::default();
    let mut rest = Vec::new();
    for part in text.split_whitespace() {
        if let Some(k) = part.strip_prefix("kind:").filter(|k| !k.is_empty()) {
            p.kind = Some(k.to_lowercase());
        } else if let Some(t) = part.strip_prefix("tag:").filter(|t| !t.is_empty()) {
            p.tag = Some(t.to_string());
        } else {
            rest.push(part);
        }
    }
    p.words = analysis::query_words(&rest.join(" "));
    p
}

impl SearchIndex {
    fn error(&self, e: impl std::fmt::Display) -> Error {
        Error::Search {
            path: self.dir.clone(),
            message: e.to_string(),
        }
    }

    /// Runs `req`; best results first.
    pub fn search(&self, req: &Request) -> Result<Vec<Hit>> {
        let parsed = parse(&req.text);
        let kind = req.kind.clone().or(parsed.kind);
        let tag = req.tag.clone().or(parsed.tag);
        let searcher = self.reader.searcher();
        let mut groups: Vec<(Occur, Box<dyn Query>)> = Vec::new();
        let mut stems: [HashSet<String>; 2] = Default::default();
        for (i, word) in parsed.words.iter().enumerate() {
            let last = i + 1 == parsed.words.len();
            let mut disjuncts: Vec<Box<dyn Query>> = Vec::new();
            for lang in Lang::ALL {
                for c in self.candidates(&searcher, lang, word, last)? {
                    disjuncts.push(self.candidate_query(lang, &c));
                    stems[lang as usize].insert(c.stem);
                }
            }
            if !disjuncts.is_empty() {
                groups.push((Occur::Should, Box::new(DisjunctionMaxQuery::new(disjuncts))));
            }
        }
        let mut filters: Vec<(Field, String)> = Vec::new();
        if let Some(k) = kind {
            filters.push((self.fields.kind, k));
        }
        if let Some(t) = tag {
            filters.push((self.fields.tags, t));
        }
        if groups.is_empty() {
            let mut hits = self.alert_hits(&searcher, &req.text, &filters, &stems)?;
            hits.truncate(req.limit.clamp(1, 1000));
            return Ok(hits);
        }
        let mut query: Box<dyn Query> = Box::new(BooleanQuery::new(groups));
        if !filters.is_empty() {
            let mut all: Vec<(Occur, Box<dyn Query>)> = vec![(Occur::Must, query)];
            for (field, value) in &filters {
                all.push((
                    Occur::Must,
                    Box::new(TermQuery::new(
                        Term::from_field_text(*field, value),
                        IndexRecordOption::Basic,
                    )),
                ));
            }
            query = Box::new(BooleanQuery::new(all));
        }
        // More results than anyone reads would only cost memory.
        let limit = req.limit.clamp(1, 1000);
        let top = searcher
            .search(&query, &TopDocs::with_limit(limit * 4 + 8).order_by_score())
            .map_err(|e| self.error(e))?;
        let mut found = Vec::with_capacity(top.len());
        for (score, address) in top {
            let doc: TantivyDocument = searcher.doc(address).map_err(|e| self.error(e))?;
            let text = |field: Field| {
                doc.get_first(field)
                    .and_then(|v| v.as_str().map(str::to_string))
                    .unwrap_or_default()
            };
            let (page, url) = (text(self.fields.page), text(self.fields.url));
            found.push((page, url, doc, score));
        }
        // Equal scores in the order of their URLs, not of the documents'
        // places in the index (which depend on the indexing threads).
        found.sort_by(|a, b| b.3.total_cmp(&a.3).then_with(|| a.1.cmp(&b.1)));
        let order = matching::diversify(found.iter().map(|(page, ..)| page.as_str()));
        let mut hits: Vec<Hit> = self.alert_hits(&searcher, &req.text, &filters, &stems)?;
        let first: HashSet<String> = hits.iter().map(|h| h.url.clone()).collect();
        hits.extend(
            order
                .into_iter()
                .filter(|&i| !first.contains(&found[i].1))
                .map(|i| self.hit(&found[i].2, found[i].3, &stems)),
        );
        hits.truncate(limit);
        Ok(hits)
    }

    /// For a query that is an alert's name (any case): the sections that are
    /// its runbook, first, above every other result.
    fn alert_hits(
        &self,
        searcher: &Searcher,
        text: &str,
        filters: &[(Field, String)],
        stems: &[HashSet<String>; 2],
    ) -> Result<Vec<Hit>> {
        let Some(alert) = super::docs::alert_query(text) else {
            return Ok(Vec::new());
        };
        let mut all: Vec<(Occur, Box<dyn Query>)> = vec![(
            Occur::Must,
            Box::new(TermQuery::new(
                Term::from_field_text(self.fields.alerts, &alert),
                IndexRecordOption::Basic,
            )),
        )];
        for (field, value) in filters {
            all.push((
                Occur::Must,
                Box::new(TermQuery::new(
                    Term::from_field_text(*field, value),
                    IndexRecordOption::Basic,
                )),
            ));
        }
        let top = searcher
            .search(&BooleanQuery::new(all), &TopDocs::with_limit(8).order_by_score())
            .map_err(|e| self.error(e))?;
        let mut hits = Vec::with_capacity(top.len());
        for (_, address) in top {
            let doc: TantivyDocument = searcher.doc(address).map_err(|e| self.error(e))?;
            // above any score a text match can reach
            hits.push(self.hit(&doc, 1000.0, stems));
        }
        hits.sort_by(|a, b| a.url.cmp(&b.url));
        Ok(hits)
    }

    /// The vocabulary of `lang` in the shard of `key`: (surface, stem, df).
    fn entries(&self, searcher: &Searcher, lang: Lang, key: &str) -> Result<Vec<(String, String, u32)>> {
        let field = self.fields.words[lang as usize];
        let mut upper = key.as_bytes().to_vec();
        upper.push(0xff);
        let mut surfaces: HashSet<String> = HashSet::new();
        for segment in searcher.segment_readers() {
            let inverted = segment.inverted_index(field).map_err(|e| self.error(e))?;
            let mut stream = inverted
                .terms()
                .range()
                .ge(key.as_bytes())
                .lt(&upper)
                .into_stream()
                .map_err(|e| self.error(e))?;
            while stream.advance() {
                if let Ok(surface) = std::str::from_utf8(stream.key())
                    && matching::key(surface) == key
                {
                    surfaces.insert(surface.to_string());
                }
            }
        }
        let pairs: Vec<(String, String)> = analysis::with_analyzer(lang, |a| {
            surfaces
                .into_iter()
                .map(|surface| {
                    let stem = a.stem(&surface).to_string();
                    (surface, stem)
                })
                .collect()
        });
        // A stem's frequency: the sections whose heading or text holds it.
        let l = lang as usize;
        let mut stem_df: HashMap<String, u32> = HashMap::new();
        let mut out = Vec::with_capacity(pairs.len());
        for (surface, stem) in pairs {
            if !stem_df.contains_key(&stem) {
                let mut n = 0;
                for field in [self.fields.body[l], self.fields.heading[l]] {
                    n += searcher
                        .doc_freq(&Term::from_field_text(field, &stem))
                        .map_err(|e| self.error(e))?;
                }
                stem_df.insert(stem.clone(), n as u32);
            }
            let n = stem_df[&stem];
            out.push((surface, stem, n));
        }
        Ok(out)
    }

    fn candidates(&self, searcher: &Searcher, lang: Lang, word: &str, last: bool) -> Result<Vec<Candidate>> {
        let mut owned = self.entries(searcher, lang, matching::key(word))?;
        let found = matching::candidates(word, last, &as_entries(&owned));
        if matching::satisfied(&found) {
            return Ok(found);
        }
        for k in matching::neighbour_keys(word) {
            owned.extend(self.entries(searcher, lang, &k)?);
        }
        Ok(matching::candidates(word, last, &as_entries(&owned)))
    }

    /// A document containing `c` scores its tier, plus its BM25 relevance
    /// over the boosted fields, weighted by how well `c` matched.
    fn candidate_query(&self, lang: Lang, c: &Candidate) -> Box<dyn Query> {
        let term = |field: Field| -> Box<dyn Query> {
            Box::new(TermQuery::new(
                Term::from_field_text(field, &c.stem),
                IndexRecordOption::WithFreqs,
            ))
        };
        let fields = self.fields.searched(lang);
        let any = BooleanQuery::new(fields.iter().map(|(f, _)| (Occur::Should, term(*f))).collect());
        let mut clauses: Vec<(Occur, Box<dyn Query>)> = vec![(
            Occur::Should,
            Box::new(ConstScoreQuery::new(Box::new(any), c.class.base())),
        )];
        for (field, boost) in fields {
            clauses.push((
                Occur::Should,
                Box::new(BoostQuery::new(term(field), boost * c.class.weight())),
            ));
        }
        Box::new(BooleanQuery::new(clauses))
    }

    fn hit(&self, doc: &TantivyDocument, score: f32, stems: &[HashSet<String>; 2]) -> Hit {
        let f = &self.fields;
        let get = |field: Field| -> String {
            doc.get_first(field)
                .and_then(|v| v.as_str().map(str::to_string))
                .unwrap_or_default()
        };
        let lang = Lang::of(&get(f.lang));
        let text = get(f.text);
        let mut marks = Vec::new();
        analysis::with_analyzer(lang, |a| {
            a.each(&text, |w| {
                if stems[lang as usize].contains(w.stem) {
                    marks.push((w.from, w.to));
                }
            })
        });
        let Snippet { text: snippet, marks } = snippet::make(&text, &marks, snippet::WIDTH);
        let section = get(f.section);
        let kind = get(f.kind);
        Hit {
            title: get(f.page_title),
            section: (!section.is_empty()).then_some(section),
            url: get(f.url),
            page: get(f.page),
            kind: (!kind.is_empty()).then_some(kind),
            snippet,
            highlights: marks.into_iter().map(|(a, b)| [a, b]).collect(),
            score,
        }
    }
}

fn as_entries(owned: &[(String, String, u32)]) -> Vec<Entry<'_>> {
    owned
        .iter()
        .map(|(surface, stem, df)| Entry {
            surface,
            stem,
            df: *df,
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn filters_are_taken_out_of_the_query() {
        let p = parse("kind:runbook redémarrer tag:nova l'hyperviseur");
        assert_eq!(p.words, ["redemarrer", "hyperviseur"]);
        assert_eq!(p.kind.as_deref(), Some("runbook"));
        assert_eq!(p.tag.as_deref(), Some("nova"));
    }
}
