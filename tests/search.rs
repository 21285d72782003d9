//! `vigie search` and the browser index that `vigie build` writes, on the
//! fixture knowledge base `tests/fixtures/search-kb`.

mod common;

use common::*;
use serde_json::Value;

fn search_json(kb: &std::path::Path, args: &[&str]) -> Vec<Value> {
    let mut all = vec!["search"];
    all.extend_from_slice(args);
    all.extend_from_slice(&["--root", kb.to_str().unwrap(), "--format", "json"]);
    let o = vigie(&all);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let v: Value = serde_json::from_str(&stdout(&o)).expect("JSON output");
    v["results"].as_array().expect("results").clone()
}

fn urls(results: &[Value]) -> Vec<&str> {
    results.iter().map(|r| r["url"].as_str().unwrap()).collect()
}

#[test]
fn a_misspelt_unaccented_query_finds_the_runbook() {
    let (_tmp, kb) = copy_fixture("search-kb");
    let results = search_json(&kb, &["redemarage nova"]);
    let first = &results[0];
    assert_eq!(first["url"], "runbooks/nova/redemarrer-nova-compute.html");
    assert_eq!(first["title"], "Redémarrer nova-compute sur un hyperviseur");
    assert_eq!(first["page"], "runbooks/nova/redemarrer-nova-compute.md");
    assert_eq!(first["kind"], "runbook");
    assert!(first["score"].as_f64().unwrap() > 0.0);
    assert!(first["snippet"].as_str().unwrap().contains("hyperviseur"));
    // The first search built the index in the knowledge base's cache folder.
    let stamps: Vec<_> = std::fs::read_dir(kb.join(".vigie/search-index"))
        .unwrap()
        .collect();
    assert_eq!(stamps.len(), 1);
}

#[test]
fn sections_accents_ligatures_and_elisions() {
    let (_tmp, kb) = copy_fixture("search-kb");
    // A section, found by its heading: the URL carries its anchor.
    assert_eq!(
        urls(&search_json(&kb, &["migration a chaud"]))[0],
        "runbooks/nova/evacuer-hyperviseur.html#migration-à-chaud"
    );
    // œ and oe, and the elision of l'.
    let noeud = search_json(&kb, &["noeud de stockage"]);
    assert_eq!(urls(&noeud)[0], "runbooks/ceph/osd-down.html#symptômes");
    assert_eq!(
        urls(&search_json(&kb, &["quand l'hote est tombe"]))[0],
        "runbooks/nova/evacuer-hyperviseur.html#évacuation-après-une-panne"
    );
    assert_eq!(
        search_json(&kb, &["l'hyperviseur"]),
        search_json(&kb, &["hyperviseur"])
    );
    // English stems: "restarting" finds "restart", and a command name.
    assert_eq!(
        urls(&search_json(&kb, &["rollout restart"]))[0],
        "guides/restarting.html#rolling-restart"
    );
    // The last word is a prefix (as typed so far).
    assert_eq!(
        urls(&search_json(&kb, &["provider-e"]))[0],
        "architecture/reseau.html#réseau-provider"
    );
}

#[test]
fn kind_and_tag_filters() {
    let (_tmp, kb) = copy_fixture("search-kb");
    let all = search_json(&kb, &["hyperviseur"]);
    assert!(all.len() >= 3);
    let guides = search_json(&kb, &["restart", "--kind", "guide"]);
    assert!(!guides.is_empty());
    assert!(guides.iter().all(|r| r["kind"] == "guide"), "{guides:?}");
    // Filters written in the query work the same.
    let tagged = search_json(&kb, &["tag:maintenance hyperviseur"]);
    assert!(!tagged.is_empty());
    assert!(
        tagged
            .iter()
            .all(|r| r["page"] == "runbooks/nova/evacuer-hyperviseur.md"),
        "{tagged:?}"
    );
    assert!(search_json(&kb, &["hyperviseur", "--kind", "architecture"]).is_empty());
}

#[test]
fn text_output_lists_titles_urls_and_snippets() {
    let (_tmp, kb) = copy_fixture("search-kb");
    let o = vigie(&[
        "search",
        "osd down",
        "--root",
        kb.to_str().unwrap(),
        "--limit",
        "1",
    ]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let text = stdout(&o);
    assert!(text.starts_with(" 1. OSD Ceph down"), "{text}");
    assert!(text.contains("runbooks/ceph/osd-down.html"), "{text}");
    assert!(text.contains("[runbook]"), "{text}");
    assert!(!text.contains(" 2. "), "--limit 1 gives one result: {text}");
}

#[test]
fn a_changed_page_refreshes_the_index() {
    let (_tmp, kb) = copy_fixture("search-kb");
    assert!(search_json(&kb, &["zorglub"]).is_empty());
    let page = kb.join("architecture/reseau.md");
    let text = std::fs::read_to_string(&page).unwrap();
    std::fs::write(
        &page,
        format!("{text}\n## Zorglub\n\nLe réseau zorglub relie les baies.\n"),
    )
    .unwrap();
    let found = search_json(&kb, &["zorglub"]);
    assert_eq!(urls(&found)[0], "architecture/reseau.html#zorglub");
    // The stale index was replaced, not kept beside the new one.
    let stamps: Vec<_> = std::fs::read_dir(kb.join(".vigie/search-index"))
        .unwrap()
        .collect();
    assert_eq!(stamps.len(), 1);
    // A folder another vigie is writing stays; one left by a vigie stopped long ago goes.
    let cache = kb.join(".vigie/search-index");
    for name in ["tmp-1-0", "tmp-2-0"] {
        std::fs::create_dir(cache.join(name)).unwrap();
    }
    let hours_ago = std::time::SystemTime::now() - std::time::Duration::from_secs(2 * 3600);
    std::fs::File::open(cache.join("tmp-1-0"))
        .unwrap()
        .set_modified(hours_ago)
        .unwrap();
    std::fs::write(&page, read(&page) + "\nEncore une ligne.\n").unwrap();
    search_json(&kb, &["zorglub"]);
    let mut left: Vec<String> = std::fs::read_dir(&cache)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().to_string())
        .filter(|n| n.starts_with("tmp-"))
        .collect();
    left.sort();
    assert_eq!(left, ["tmp-2-0"]);
}

#[test]
fn a_refresh_indexes_only_the_pages_that_changed() {
    let (_tmp, kb) = copy_fixture("search-kb");
    let search = |q: &str| {
        let o = vigie(&["search", q, "--root", kb.to_str().unwrap(), "--format", "json"]);
        assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
        let v: Value = serde_json::from_str(&stdout(&o)).unwrap();
        (stderr(&o), v["results"].as_array().unwrap().clone())
    };
    let (said, _) = search("osd");
    assert!(said.starts_with("indexed 11 pages"), "{said}");
    // One page edited, one removed, one added.
    let page = kb.join("architecture/reseau.md");
    std::fs::write(
        &page,
        read(&page) + "\n## Zorglub\n\nLe réseau zorglub relie les baies.\n",
    )
    .unwrap();
    std::fs::remove_file(kb.join("runbooks/ceph/osd-down.md")).unwrap();
    std::fs::write(
        kb.join("runbooks/nouveau.md"),
        "---\ntitle: Purger la file glorbix\n---\n\nLa file glorbix déborde.\n",
    )
    .unwrap();
    let (said, found) = search("zorglub");
    assert!(
        // (The Ceph folder went with its only page: 10 pages.)
        said.starts_with("indexed 2 changed pages of 10 "),
        "{said}"
    );
    assert_eq!(found[0]["url"], "architecture/reseau.html#zorglub");
    // The new page is found, the removed one is gone, the others are still there.
    assert_eq!(search("glorbix").1[0]["url"], "runbooks/nouveau.html");
    assert!(
        search("osd down")
            .1
            .iter()
            .all(|r| r["page"] != "runbooks/ceph/osd-down.md")
    );
    assert_eq!(
        search("redemarage nova").1[0]["url"],
        "runbooks/nova/redemarrer-nova-compute.html"
    );
    // An index refreshed in steps answers as one made from scratch (scores
    // move a little: deleted documents count in tantivy's statistics until
    // their segment is merged).
    let answers = || -> Vec<Vec<String>> {
        ["hyperviseur", "reseau", "restart", "noeud"]
            .iter()
            .map(|q| urls(&search(q).1).into_iter().map(String::from).collect())
            .collect()
    };
    let refreshed = answers();
    std::fs::remove_dir_all(kb.join(".vigie")).unwrap();
    let fresh = answers();
    assert_eq!(refreshed, fresh);
}

#[test]
fn build_writes_the_browser_index_and_refreshes_the_cli_index() {
    let (tmp, kb) = copy_fixture("search-kb");
    let out = tmp.path().join("out");
    // A build alone writes nothing into the knowledge base.
    let o = build(&kb, &out, &[]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(!kb.join(".vigie").exists());
    // Once `vigie search` made its cache (ignored by git) …
    let o = vigie(&["search", "osd", "--root", kb.to_str().unwrap()]);
    assert!(stderr(&o).contains("indexed"), "{}", stderr(&o));
    assert_eq!(read(kb.join(".vigie/.gitignore")).lines().last(), Some("*"));
    // … a build after a change keeps it fresh.
    let page = kb.join("runbooks/ceph/osd-down.md");
    let text = std::fs::read_to_string(&page).unwrap();
    std::fs::write(
        &page,
        text.replace("Remise en service", "Remise en service du démon"),
    )
    .unwrap();
    let o = build(&kb, &out, &[]);
    assert!(o.status.success(), "{}", stderr(&o));
    for f in [
        "search.html",
        "assets/search.js",
        "search/index.js",
        "search/v/0.js",
        "search/p/0.js",
        "search/d/0.js",
    ] {
        assert!(out.join(f).is_file(), "missing {f}");
    }
    let manifest = read(out.join("search/index.js"));
    assert!(manifest.starts_with("vigieSearch.init({"), "{manifest}");
    assert!(
        manifest.contains(r#""œ":"oe""#),
        "the folding table goes to the browser"
    );
    let page = read(out.join("runbooks/nova/redemarrer-nova-compute.html"));
    assert!(page.contains(r#"<script src="../../assets/search.js">"#));
    assert!(page.contains(r#"action="../../search.html""#));
    let search_page = read(out.join("search.html"));
    assert!(search_page.contains(r#"id="search-page-results""#));
    assert!(
        search_page.contains(r#"<option value="runbook">Procédure</option>"#),
        "{search_page}"
    );
    // The build refreshed the CLI index: searching does not index again.
    let o = vigie(&[
        "search",
        "démon",
        "--root",
        kb.to_str().unwrap(),
        "--format",
        "json",
    ]);
    assert!(o.status.success());
    assert!(!stderr(&o).contains("indexed"), "{}", stderr(&o));
    assert!(
        stdout(&o).contains("osd-down.html#remise-en-service-du-démon"),
        "{}",
        stdout(&o)
    );
}

/// The arguments of a browser index file `vigieSearch.f(…);` as a JSON array.
fn script_args(path: &std::path::Path, f: &str) -> Vec<Value> {
    let text = read(path);
    let inner = text
        .strip_prefix(&format!("vigieSearch.{f}("))
        .and_then(|t| t.trim_end().strip_suffix(");"))
        .unwrap_or_else(|| panic!("{}: not a vigieSearch.{f} call", path.display()));
    serde_json::from_str::<Vec<Value>>(&format!("[{inner}]")).expect("JSON arguments")
}

/// The range of `cuts` a word goes to (`search.js`, `fileOf`).
fn range_of(cuts: &[&str], word: &str) -> usize {
    cuts.iter().take_while(|c| **c <= word).count()
}

/// On a generated site of 400 pages, the browser index cuts its largest
/// keys into ranges: every word of the site still finds the postings of all
/// its stems in the file the manifest sends it to.
#[test]
fn a_large_key_is_cut_where_every_word_finds_its_stems() {
    let tmp = tempfile::tempdir().unwrap();
    let kb = tmp.path().join("kb");
    if generated_corpus(&kb, 400).is_none() {
        return;
    }
    let out = tmp.path().join("out");
    let o = build(&kb, &out, &["--broken-links", "warn"]);
    assert!(o.status.success(), "{}", stderr(&o));

    let manifest = &script_args(&out.join("search/index.js"), "init")[0];
    let mut file = 0;
    let mut cut_keys = 0;
    for key in manifest["keys"].as_array().unwrap() {
        let (key, cuts): (&str, Vec<&str>) = match key {
            Value::String(k) => (k, Vec::new()),
            Value::Array(k) => (
                k[0].as_str().unwrap(),
                k[1..].iter().map(|c| c.as_str().unwrap()).collect(),
            ),
            _ => panic!("a key: {key}"),
        };
        let files: Vec<Vec<Value>> = (file..=file + cuts.len())
            .map(|n| {
                script_args(&out.join(format!("search/v/{n}.js")), "v")[1]
                    .as_array()
                    .unwrap()
                    .clone()
            })
            .collect();
        if !cuts.is_empty() {
            cut_keys += 1;
            // Every file of the key has the key's whole vocabulary …
            let vocabulary = |entries: &[Value]| -> Vec<(Value, Value, Value)> {
                entries
                    .iter()
                    .map(|e| (e[0].clone(), e[1].clone(), e[4].clone()))
                    .collect()
            };
            for f in &files[1..] {
                assert_eq!(vocabulary(f), vocabulary(&files[0]), "key {key}");
            }
            // … and each word of it finds all its stems' postings in the file it goes to.
            for e in &files[0] {
                let stem = e[0].as_str().unwrap();
                for s in e[4].as_str().unwrap().split(',') {
                    let surface = s.strip_prefix('=').map_or(format!("{stem}{s}"), str::to_string);
                    let there = &files[range_of(&cuts, &surface)];
                    let entry = there.iter().find(|x| x[0] == stem).unwrap();
                    assert!(
                        entry[2].is_string(),
                        "{surface} ({key}, cuts {cuts:?}) goes to a file without the postings of {stem}"
                    );
                }
            }
        }
        file += cuts.len() + 1;
    }
    assert!(cut_keys > 0, "no key was cut: the test needs longer postings");

    // Ready sections go to the most frequent stems first: a stem whose
    // postings are here without them is not more frequent than one with.
    let (mut ready, mut not) = (u64::MAX, 0);
    for n in 0..file {
        for e in script_args(&out.join(format!("search/v/{n}.js")), "v")[1]
            .as_array()
            .unwrap()
        {
            let df = e[1].as_u64().unwrap();
            match (e[2].is_string(), e.get(5)) {
                (true, Some(_)) => ready = ready.min(df),
                (true, None) => not = not.max(df),
                _ => {}
            }
        }
    }
    assert!(ready < u64::MAX, "no stem has ready sections");
    assert!(
        not <= ready,
        "a stem in {not} sections has no ready sections, one in {ready} has"
    );
}

#[test]
fn search_can_be_turned_off() {
    let (tmp, kb) = copy_fixture("search-kb");
    let config = kb.join("vigie.toml");
    let text = std::fs::read_to_string(&config).unwrap();
    std::fs::write(&config, format!("{text}\n[search]\nenabled = false\n")).unwrap();
    let out = tmp.path().join("out");
    let o = build(&kb, &out, &[]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(!out.join("search").exists() && !out.join("search.html").exists());
    assert!(!read(out.join("index.html")).contains("search-input"));
}

#[test]
fn bad_input() {
    let o = vigie(&["search", "nova", "--root", "/nonexistent/kb"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("/nonexistent/kb"), "{}", stderr(&o));
    let (_tmp, kb) = copy_fixture("search-kb");
    // Only stop words: nothing to look for, not an error; no words at all is one.
    assert!(search_json(&kb, &["le la les"]).is_empty());
    let o = vigie(&["search", "  ", "--root", kb.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(2));
    assert!(
        stderr(&o).contains("give the words to look for"),
        "{}",
        stderr(&o)
    );
    let o = vigie(&[
        "search",
        "nova",
        "--root",
        kb.to_str().unwrap(),
        "--format",
        "xml",
    ]);
    assert_eq!(o.status.code(), Some(2));
}
