//! The layers drawn in ARCHITECTURE.md, enforced: a module may use the
//! modules of the layers below it, never one above it, and the feature
//! modules that stand side by side in one layer never use each other. Only
//! `cli` knows about clap. The map is read from ARCHITECTURE.md itself (the
//! ```layers block), so changing the map is changing that file.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// One layer: its modules, and whether they stand side by side (none may use another).
struct Layer {
    modules: Vec<String>,
    side_by_side: bool,
}

/// The layers, top first, from the ```layers block of ARCHITECTURE.md: one
/// line per layer, modules separated by spaces; `·` between them marks
/// modules that stand side by side.
fn layers(architecture: &str) -> Vec<Layer> {
    let block = architecture
        .split("```layers\n")
        .nth(1)
        .and_then(|rest| rest.split("```").next())
        .expect("ARCHITECTURE.md draws its layers in a ```layers block");
    block
        .lines()
        .map(|line| line.split('#').next().unwrap_or("").trim())
        .filter(|line| !line.is_empty())
        .map(|line| Layer {
            side_by_side: line.contains('·'),
            modules: line
                .split(|c: char| c.is_whitespace() || c == '·' || c == ',')
                .filter(|m| !m.is_empty())
                .map(String::from)
                .collect(),
        })
        .collect()
}

/// Where a module stands: (rank from the bottom, side by side).
fn ranks(layers: &[Layer]) -> BTreeMap<String, (usize, bool)> {
    let mut out = BTreeMap::new();
    for (i, layer) in layers.iter().rev().enumerate() {
        for m in &layer.modules {
            out.insert(m.clone(), (i, layer.side_by_side));
        }
    }
    out
}

/// The code of `src`, comments and string contents blanked (line breaks kept),
/// so that only real paths are read.
fn code_only(src: &str) -> String {
    let b = src.as_bytes();
    let mut out = String::with_capacity(src.len());
    let mut i = 0;
    while i < b.len() {
        let c = b[i];
        if c == b'/' && b.get(i + 1) == Some(&b'/') {
            while i < b.len() && b[i] != b'\n' {
                i += 1;
            }
        } else if c == b'/' && b.get(i + 1) == Some(&b'*') {
            i += 2;
            while i < b.len() && !(b[i] == b'*' && b.get(i + 1) == Some(&b'/')) {
                if b[i] == b'\n' {
                    out.push('\n');
                }
                i += 1;
            }
            i += 2;
        } else if c == b'r' && matches!(b.get(i + 1), Some(b'"') | Some(b'#')) && !ident_before(b, i) {
            // raw string r"…" / r#"…"#
            let mut j = i + 1;
            let mut hashes = 0;
            while b.get(j) == Some(&b'#') {
                hashes += 1;
                j += 1;
            }
            if b.get(j) != Some(&b'"') {
                out.push(c as char);
                i += 1;
                continue;
            }
            j += 1;
            let close: Vec<u8> = std::iter::once(b'"')
                .chain(std::iter::repeat_n(b'#', hashes))
                .collect();
            while j < b.len() && !b[j..].starts_with(&close) {
                if b[j] == b'\n' {
                    out.push('\n');
                }
                j += 1;
            }
            out.push_str("\"\"");
            i = j + close.len();
        } else if c == b'"' {
            i += 1;
            while i < b.len() && b[i] != b'"' {
                if b[i] == b'\\' {
                    i += 1;
                }
                if b.get(i) == Some(&b'\n') {
                    out.push('\n');
                }
                i += 1;
            }
            out.push_str("\"\"");
            i += 1;
        } else if c == b'\'' && b.get(i + 2) == Some(&b'\'') {
            // a char literal such as '"'
            out.push_str("' '");
            i += 3;
        } else if c == b'\'' && b.get(i + 1) == Some(&b'\\') {
            let end = b[i + 2..]
                .iter()
                .position(|&x| x == b'\'')
                .map_or(b.len(), |p| i + 3 + p);
            out.push_str("' '");
            i = end;
        } else {
            // keep multi-byte characters whole
            let ch = src[i..].chars().next().unwrap_or(' ');
            out.push(ch);
            i += ch.len_utf8();
        }
    }
    out
}

fn ident_before(b: &[u8], i: usize) -> bool {
    i > 0 && (b[i - 1].is_ascii_alphanumeric() || b[i - 1] == b'_')
}

/// Every module named through `crate::…` in `code`, with its 1-based line:
/// `crate::a::x`, and each of `a`, `b` in `use crate::{a::x, b};`.
fn crate_paths(code: &str) -> Vec<(usize, String)> {
    let b = code.as_bytes();
    let mut out = Vec::new();
    let mut from = 0;
    while let Some(p) = code[from..].find("crate::") {
        let at = from + p;
        from = at + 7;
        if at > 0 && (b[at - 1] == b'$' || b[at - 1].is_ascii_alphanumeric() || b[at - 1] == b'_') {
            continue;
        }
        let line = code[..at].matches('\n').count() + 1;
        let rest = &code[at + 7..];
        if let Some(group) = rest.strip_prefix('{') {
            // the names at the group's first level
            let mut depth = 0;
            let mut expect_name = true;
            for (k, ch) in group.char_indices() {
                match ch {
                    '{' => depth += 1,
                    '}' if depth == 0 => break,
                    '}' => depth -= 1,
                    ',' if depth == 0 => expect_name = true,
                    c if expect_name && depth == 0 && (c.is_alphabetic() || c == '_') => {
                        let name: String = group[k..]
                            .chars()
                            .take_while(|c| c.is_alphanumeric() || *c == '_')
                            .collect();
                        let l = line + group[..k].matches('\n').count();
                        out.push((l, name));
                        expect_name = false;
                    }
                    _ => {}
                }
            }
        } else {
            let name: String = rest
                .chars()
                .take_while(|c| c.is_alphanumeric() || *c == '_')
                .collect();
            if !name.is_empty() {
                out.push((line, name));
            }
        }
    }
    out
}

/// Lines of `code` that use clap.
fn clap_lines(code: &str) -> Vec<usize> {
    code.lines()
        .enumerate()
        .filter(|(_, l)| {
            l.split(|c: char| !(c.is_alphanumeric() || c == '_' || c == ':'))
                .any(|w| w == "clap" || w.starts_with("clap::"))
        })
        .map(|(i, _)| i + 1)
        .collect()
}

/// The top-level module a file of `src/` belongs to (`search/shards.rs` → `search`).
fn module_of(rel: &Path) -> String {
    let first = rel.components().next().expect("a file of src/");
    first
        .as_os_str()
        .to_string_lossy()
        .trim_end_matches(".rs")
        .to_string()
}

/// Every violation of the map in the files `(path, text)`.
fn violations(files: &[(PathBuf, String)], layers: &[Layer]) -> Vec<String> {
    let rank = ranks(layers);
    let top = layers.first().map(|l| l.modules.clone()).unwrap_or_default();
    let mut out = Vec::new();
    for (rel, text) in files {
        let module = module_of(rel);
        if module == "lib" || module == "main" {
            continue;
        }
        let Some(&(mine, side)) = rank.get(&module) else {
            out.push(format!(
                "src/{}: module `{module}` is in no layer of ARCHITECTURE.md: place it there",
                rel.display()
            ));
            continue;
        };
        let code = code_only(text);
        for (line, target) in crate_paths(&code) {
            if target == module {
                continue;
            }
            let Some(&(theirs, _)) = rank.get(&target) else {
                continue; // a crate-level item such as `crate::Result`
            };
            if theirs > mine {
                out.push(format!(
                    "src/{}:{line}: `{module}` uses `{target}`, which is above it in ARCHITECTURE.md",
                    rel.display()
                ));
            } else if theirs == mine && side {
                out.push(format!(
                    "src/{}:{line}: `{module}` uses `{target}`: they stand side by side in ARCHITECTURE.md and use neither each other",
                    rel.display()
                ));
            }
        }
        if !top.contains(&module) {
            for line in clap_lines(&code) {
                out.push(format!(
                    "src/{}:{line}: `{module}` uses clap: only the command line (`cli`) parses arguments",
                    rel.display()
                ));
            }
        }
    }
    out
}

fn sources() -> Vec<(PathBuf, String)> {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut files: Vec<(PathBuf, String)> = walkdir::WalkDir::new(&src)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.path().extension().is_some_and(|x| x == "rs"))
        .map(|e| {
            let rel = e.path().strip_prefix(&src).unwrap().to_path_buf();
            let text = std::fs::read_to_string(e.path()).unwrap();
            (rel, text)
        })
        .collect();
    files.sort();
    files
}

fn architecture() -> String {
    std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("ARCHITECTURE.md")).unwrap()
}

#[test]
fn imports_go_down_the_layers_of_architecture_md() {
    let layers = layers(&architecture());
    let found = violations(&sources(), &layers);
    assert!(
        found.is_empty(),
        "{} import(s) against the map:\n{}",
        found.len(),
        found.join("\n")
    );
}

#[test]
fn every_module_of_the_map_exists() {
    let layers = layers(&architecture());
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    for m in layers.iter().flat_map(|l| &l.modules) {
        assert!(
            src.join(format!("{m}.rs")).is_file() || src.join(m).join("mod.rs").is_file(),
            "ARCHITECTURE.md names `{m}`, which is not a module of src/"
        );
    }
}

#[test]
fn the_check_sees_an_import_up_and_one_sideways() {
    let map = "```layers\ncli\nbuild\nlinks · search · freshness\nmarkdown\nerror report\n```\n";
    let layers = layers(map);
    let file = |path: &str, text: &str| (PathBuf::from(path), text.to_string());
    let files = [
        file(
            "search/mod.rs",
            "//! doc\nuse crate::markdown::X;\nuse crate::build::RenderedSite;\n",
        ),
        file(
            "freshness/a.rs",
            "use crate::{\n    error::Result,\n    links::{self, Target},\n};\nfn f() -> crate::report::Report { todo!() }\n",
        ),
        file(
            "links/b.rs",
            "// crate::build in a comment\nlet s = \"crate::cli\";\n#[derive(clap::Args)]\n",
        ),
        file("cli/mod.rs", "use crate::build::build;\nuse clap::Parser;\n"),
        file("newthing.rs", "pub fn f() {}\n"),
    ];
    let found = violations(&files, &layers);
    assert_eq!(
        found,
        [
            "src/search/mod.rs:3: `search` uses `build`, which is above it in ARCHITECTURE.md",
            "src/freshness/a.rs:3: `freshness` uses `links`: they stand side by side in ARCHITECTURE.md and use neither each other",
            "src/links/b.rs:3: `links` uses clap: only the command line (`cli`) parses arguments",
            "src/newthing.rs: module `newthing` is in no layer of ARCHITECTURE.md: place it there",
        ]
    );
}
