//! Relevance of `vigie search` on the demo knowledge base, measured on the
//! evaluation set `tests/search-eval.toml` (top-1 accuracy and MRR@5).

mod search_common;

use search_common::{cases, copy_kb, rank, repo, report};
use vigie::Config;
use vigie::search::{Request, open_or_build};

#[test]
fn relevance_on_the_demo_knowledge_base() {
    let kb = copy_kb(&repo().join("runbooks"));
    let config = Config::load(kb.path()).expect("config");
    let index = open_or_build(&config, false).expect("index");
    let cases = cases();
    assert!(cases.len() >= 40, "the evaluation set needs at least 40 queries");
    let mut ranks = Vec::new();
    let mut got = Vec::new();
    for case in &cases {
        let hits = index
            .search(&Request {
                text: case.q.clone(),
                limit: 5,
                ..Request::default()
            })
            .expect("search");
        let urls: Vec<String> = hits.into_iter().map(|h| h.url).collect();
        ranks.push(rank(case, &urls));
        got.push(urls);
    }
    let (_, mrr) = report("vigie search (tantivy)", &cases, &ranks, &got);
    assert!(mrr >= 0.85, "MRR@5 {mrr:.3} is under 0.85");
}
