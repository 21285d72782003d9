//! The user guide's examples are tests: every ```` ```console ```` block of
//! `book/` and of the README — command, output, exit code — runs against the
//! built `vigie` with trycmd, the way clap tests its documented examples.
//!
//! A block runs from the repository's top, where `runbooks/` (the demo) and
//! `tests/fixtures/` are, unless an HTML comment right above it names the
//! folder it runs in — `<!-- example: tests/fixtures/quick-start -->` — which
//! is then copied into a scratch folder first, so the example may write in
//! it. Output is standard output and standard error together; `? N` gives the
//! exit code; `...` and `[..]` stand for what changes (see the conventions of
//! the reference pages). Blocks whose command is not `vigie` (`kubectl`), and
//! blocks marked ```` ```console,ignore ````, are shown, not run.

use std::path::{Path, PathBuf};

/// A console block to run, cut out of its page.
struct Example {
    /// `book/reference/commands.md:54`, for the case's name.
    origin: String,
    /// The block, fences included.
    text: String,
    /// The folder it runs in, when not the repository's top.
    folder: Option<PathBuf>,
}

fn pages() -> Vec<PathBuf> {
    let mut out = vec![PathBuf::from("README.md")];
    for e in walkdir::WalkDir::new("book").sort_by_file_name() {
        let e = e.unwrap();
        if e.path().extension().is_some_and(|x| x == "md") {
            out.push(e.path().to_path_buf());
        }
    }
    out
}

/// The console blocks of `page` that run `vigie`.
fn examples(page: &Path) -> Vec<Example> {
    let text = std::fs::read_to_string(page).unwrap();
    let lines: Vec<&str> = text.lines().collect();
    let mut out = Vec::new();
    let mut i = 0;
    while i < lines.len() {
        let info = lines[i].strip_prefix("```").map(str::trim);
        let Some(info) = info.filter(|s| s.split(',').next() == Some("console")) else {
            if lines[i].starts_with("```") {
                // skip any other block, so its lines are never read as fences
                i += 1;
                while i < lines.len() && !lines[i].starts_with("```") {
                    i += 1;
                }
            }
            i += 1;
            continue;
        };
        let start = i;
        i += 1;
        while i < lines.len() && !lines[i].starts_with("```") {
            i += 1;
        }
        let block = &lines[start..=i.min(lines.len() - 1)];
        i += 1;
        let first = block.get(1).copied().unwrap_or("");
        let program = first.strip_prefix("$ ").and_then(|c| c.split_whitespace().next());
        let runs = program.is_some_and(|p| p == "vigie" || p.ends_with("/vigie"));
        if info.split(',').any(|a| a.trim() == "ignore") || !runs {
            continue;
        }
        let folder = lines[..start]
            .iter()
            .rev()
            .take_while(|l| !l.trim().is_empty())
            .find_map(|l| {
                l.trim()
                    .strip_prefix("<!-- example:")?
                    .strip_suffix("-->")
                    .map(|p| PathBuf::from(p.trim()))
            });
        // trycmd takes the last line break of each command's output for
        // layout: the blank line it expects there says that the output ends
        // with a line break, as every output of vigie does.
        let mut text = String::new();
        for (n, line) in block.iter().enumerate() {
            if n > 1 && (line.starts_with("$ ") || n + 1 == block.len()) {
                text.push('\n');
            }
            text.push_str(line);
            text.push('\n');
        }
        out.push(Example {
            origin: format!("{}:{}", page.display(), start + 1),
            text,
            folder,
        });
    }
    out
}

fn copy_dir(from: &Path, to: &Path) {
    for e in walkdir::WalkDir::new(from) {
        let e = e.unwrap();
        let dest = to.join(e.path().strip_prefix(from).unwrap());
        if e.file_type().is_dir() {
            std::fs::create_dir_all(&dest).unwrap();
        } else {
            std::fs::copy(e.path(), &dest).unwrap();
        }
    }
}

#[test]
fn the_examples_of_the_guide_run_as_written() {
    let vigie = PathBuf::from(env!("CARGO_BIN_EXE_vigie"));
    // The search examples share the demo's index: make it once, before they
    // run side by side.
    let made = std::process::Command::new(&vigie)
        .args(["search", "nova", "--root", "runbooks", "--limit", "1"])
        .output()
        .unwrap();
    assert!(made.status.success(), "{}", String::from_utf8_lossy(&made.stderr));

    let cases = tempfile::tempdir().unwrap();
    let mut count = 0;
    for page in pages() {
        for ex in examples(&page) {
            let name = ex.origin.replace(['/', ':', '.'], "_");
            let case = cases.path().join(format!("{name}.md"));
            std::fs::write(&case, &ex.text).unwrap();
            if let Some(folder) = &ex.folder {
                assert!(folder.is_dir(), "{}: no folder {}", ex.origin, folder.display());
                // `.in` is where the example runs; `.out` (empty) makes trycmd
                // run it in a scratch copy, so what it writes goes there.
                copy_dir(folder, &case.with_extension("in"));
                std::fs::create_dir_all(case.with_extension("out")).unwrap();
            }
            eprintln!("{} → {}", ex.origin, case.display());
            count += 1;
        }
    }
    // A guide that lost its examples (or a parser that stopped finding them)
    // must not pass for a guide whose examples all run.
    assert!(count >= 12, "only {count} runnable examples found in book/");

    trycmd::TestCases::new()
        .register_bin("vigie", vigie.clone())
        .register_bin("target/release/vigie", vigie)
        .env("NO_COLOR", "1")
        .case(cases.path().join("*.md"))
        .run();
}

#[test]
fn every_console_example_is_run_or_says_why_not() {
    // A `console` block that starts with anything but `$ ` would be output
    // without its command: a reader cannot tell what produced it.
    let mut wrong = Vec::new();
    for page in pages() {
        // owned by the in-cluster guide, whose notes are output shown alone
        if page.ends_with("freshness/in-cluster.md") {
            continue;
        }
        let text = std::fs::read_to_string(&page).unwrap();
        let mut lines = text.lines().enumerate();
        while let Some((n, l)) = lines.next() {
            if l.trim() == "```console" {
                let first = lines.next().map(|(_, l)| l).unwrap_or("");
                if !first.starts_with("$ ") {
                    wrong.push(format!("{}:{}", page.display(), n + 1));
                }
            }
        }
    }
    assert!(wrong.is_empty(), "console blocks without a command: {wrong:?}");
}
