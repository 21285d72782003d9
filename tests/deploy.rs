//! `deploy/` and the pages that show it stay honest: every file of `deploy/`
//! and every YAML block of the CI recipes parses, every `vigie …` command in
//! them is one the real command-line parser accepts, and the user guide's
//! "Running in the cluster" page shows the files of `deploy/` byte for byte.
//!
//! The guide is a plain folder tree, whose pages include nothing: the page
//! holds a copy of each file after a `<!-- file: deploy/… -->` marker, and
//! this test fails when a copy differs from its file. `VIGIE_BLESS=1 cargo
//! test --test deploy` rewrites the copies from the files.

mod common;

use std::path::{Path, PathBuf};

use clap::Parser;
use serde_json::Value;
use vigie::cli::Cli;

fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// Every file of `deploy/`, relative to the repository.
fn deploy_files() -> Vec<String> {
    common::files_under(&repo().join("deploy"))
        .into_iter()
        .map(|f| format!("deploy/{f}"))
        .collect()
}

/// The fenced blocks of a Markdown page whose info string is `lang`: (line of the fence, text).
fn blocks(text: &str, lang: &str) -> Vec<(usize, String)> {
    let mut out = Vec::new();
    let mut open: Option<(usize, String)> = None;
    for (i, line) in text.lines().enumerate() {
        match &mut open {
            None if line.trim_start().starts_with("```") => {
                if line.trim_start().trim_start_matches('`').trim() == lang {
                    open = Some((i + 1, String::new()));
                } else {
                    open = Some((0, String::new()));
                }
            }
            None => {}
            Some(_) if line.trim_start().starts_with("```") => {
                let (at, body) = open.take().unwrap();
                if at > 0 {
                    out.push((at, body));
                }
            }
            Some((_, body)) => {
                body.push_str(line);
                body.push('\n');
            }
        }
    }
    out
}

/// The words of a shell command line: quotes removed, a comment, a pipe or a
/// redirection ends it.
fn shell_words(line: &str) -> Vec<String> {
    let mut words = Vec::new();
    let mut word = String::new();
    let mut quote: Option<char> = None;
    let mut started = false;
    for c in line.chars() {
        match (quote, c) {
            (Some(q), c) if c == q => quote = None,
            (Some(_), c) => word.push(c),
            (None, '"' | '\'') => {
                quote = Some(c);
                started = true;
            }
            (None, '#' | '|' | '>' | '<' | ';' | '&') if !started || word.is_empty() => break,
            // `2>&1`, `1> file`: a redirection of a numbered stream
            (None, '>' | '<') if word.chars().all(|d| d.is_ascii_digit()) => {
                started = false;
                word.clear();
                break;
            }
            (None, c) if c.is_whitespace() => {
                if started {
                    words.push(std::mem::take(&mut word));
                    started = false;
                }
            }
            (None, c) => {
                word.push(c);
                started = true;
            }
        }
    }
    if started {
        words.push(word);
    }
    words
}

/// The `vigie …` commands in the strings of a YAML value: lines that start
/// with `vigie ` (after `- ` or `$ `), each cut at a comment, pipe or redirection.
fn commands_in(v: &Value, out: &mut Vec<Vec<String>>) {
    match v {
        Value::String(s) => {
            for line in s.lines() {
                let line = line.trim().trim_start_matches("$ ");
                if line.starts_with("vigie ") {
                    out.push(shell_words(line));
                }
            }
        }
        Value::Array(a) => a.iter().for_each(|x| commands_in(x, out)),
        Value::Object(m) => m.values().for_each(|x| commands_in(x, out)),
        _ => {}
    }
}

/// The command lines of the containers running the vigie image: `vigie` and their `args`.
fn container_commands(v: &Value, out: &mut Vec<Vec<String>>) {
    match v {
        Value::Object(m) => {
            if m.get("image")
                .and_then(Value::as_str)
                .is_some_and(|i| i.contains("/vigie:"))
                && let Some(args) = m.get("args").and_then(Value::as_array)
            {
                let mut words = vec!["vigie".to_string()];
                words.extend(args.iter().map(|a| a.as_str().unwrap().to_string()));
                out.push(words);
            }
            m.values().for_each(|x| container_commands(x, out));
        }
        Value::Array(a) => a.iter().for_each(|x| container_commands(x, out)),
        _ => {}
    }
}

/// Parses `words` with vigie's own command-line parser; help and version
/// requests count as accepted.
fn accepted(words: &[String]) -> Result<(), String> {
    match Cli::try_parse_from(words) {
        Ok(_) => Ok(()),
        Err(e)
            if matches!(
                e.kind(),
                clap::error::ErrorKind::DisplayHelp | clap::error::ErrorKind::DisplayVersion
            ) =>
        {
            Ok(())
        }
        Err(e) => Err(e.to_string()),
    }
}

fn parse_yaml(text: &str, what: &str) -> Vec<Value> {
    serde_saphyr::from_multiple::<Value>(text).unwrap_or_else(|e| panic!("{what}: not YAML: {e}"))
}

#[test]
fn the_ci_recipes_yaml_parses_and_its_commands_are_real() {
    let page = repo().join("book/ci-recipes.md");
    let text = common::read(&page);
    let yaml = blocks(&text, "yaml");
    assert!(yaml.len() >= 4, "the CI recipes have their YAML blocks");
    let mut commands = Vec::new();
    for (line, block) in &yaml {
        for doc in parse_yaml(block, &format!("book/ci-recipes.md:{line}")) {
            let before = commands.len();
            commands_in(&doc, &mut commands);
            for c in &commands[before..] {
                accepted(c).unwrap_or_else(|e| panic!("book/ci-recipes.md:{line}: `{}`: {e}", c.join(" ")));
            }
        }
    }
    assert!(commands.len() >= 10, "{commands:?}");
    // a command the parser refuses is caught (the check can fail)
    assert!(accepted(&shell_words("vigie check freshness . --fail-on sometimes")).is_err());
    assert!(
        accepted(&shell_words(
            "vigie check freshness . --format digest > owners.md"
        ))
        .is_ok()
    );
    assert_eq!(
        shell_words("vigie build . -o 'my site' 2>&1 | tee log"),
        ["vigie", "build", ".", "-o", "my site"]
    );
}

#[test]
fn every_file_of_deploy_parses_and_the_job_runs_a_real_command() {
    let files = deploy_files();
    let mut commands = Vec::new();
    let mut kinds = Vec::new();
    for f in &files {
        let text = common::read(repo().join(f));
        if f.ends_with(".yaml") {
            for doc in parse_yaml(&text, f) {
                kinds.push(doc["kind"].as_str().unwrap_or("").to_string());
                commands_in(&doc, &mut commands);
                container_commands(&doc, &mut commands);
            }
        } else if f.ends_with("Dockerfile") {
            let entry: Vec<String> = dockerfile_exec(&text, "ENTRYPOINT");
            let cmd: Vec<String> = dockerfile_exec(&text, "CMD");
            assert_eq!(entry, ["vigie"], "{f}");
            commands.push([entry, cmd].concat());
        }
    }
    for c in &commands {
        accepted(c).unwrap_or_else(|e| panic!("deploy/: `{}`: {e}", c.join(" ")));
    }
    assert!(
        commands
            .iter()
            .any(|c| c.get(1..3) == Some(&["check".to_string(), "freshness".to_string()][..])),
        "{commands:?}"
    );
    kinds.sort();
    for kind in [
        "ClusterRole",
        "ClusterRoleBinding",
        "CronJob",
        "Kustomization",
        "Namespace",
        "ServiceAccount",
    ] {
        assert!(kinds.iter().any(|k| k == kind), "deploy/ has a {kind}: {kinds:?}");
    }
    // every file a kustomization names exists
    for f in files.iter().filter(|f| f.ends_with("kustomization.yaml")) {
        let dir = repo().join(f).parent().unwrap().to_path_buf();
        let k = &parse_yaml(&common::read(repo().join(f)), f)[0];
        for r in k["resources"].as_array().unwrap() {
            let p = dir.join(r.as_str().unwrap());
            assert!(p.exists(), "{f}: {} does not exist", p.display());
        }
    }
}

/// `INSTRUCTION ["a", "b"]` of a Dockerfile, as words.
fn dockerfile_exec(text: &str, instruction: &str) -> Vec<String> {
    let line = text
        .lines()
        .find(|l| l.starts_with(&format!("{instruction} ")))
        .unwrap_or_else(|| panic!("no {instruction}"));
    serde_json::from_str(line[instruction.len()..].trim()).unwrap()
}

#[test]
fn the_role_is_read_only_and_never_names_secrets() {
    let text = common::read(repo().join("deploy/base/clusterrole.yaml"));
    let role = &parse_yaml(&text, "clusterrole.yaml")[0];
    for rule in role["rules"].as_array().unwrap() {
        let words = |k: &str| -> Vec<&str> {
            rule[k]
                .as_array()
                .unwrap()
                .iter()
                .map(|v| v.as_str().unwrap())
                .collect()
        };
        assert_eq!(words("verbs"), ["get", "list"], "{rule}");
        for r in words("resources") {
            assert!(r != "secrets" && r != "*", "{rule}");
        }
        assert!(!words("apiGroups").contains(&"*"), "{rule}");
    }
}

#[test]
fn the_container_recipe_is_multi_stage_with_git_and_not_root() {
    let text = common::read(repo().join("deploy/Dockerfile"));
    let froms: Vec<&str> = text.lines().filter(|l| l.starts_with("FROM ")).collect();
    assert_eq!(froms.len(), 2, "{froms:?}");
    assert!(text.contains("cargo build --release"), "the release binary");
    assert!(text.contains("COPY --from=build /src/target/release/vigie "));
    assert!(
        text.lines()
            .any(|l| l.contains("apt-get install") && l.contains(" git")),
        "git, for review dates from the last commit"
    );
    let user = text.lines().rfind(|l| l.starts_with("USER ")).expect("a USER");
    let uid = user[5..].split(':').next().unwrap();
    assert!(uid.parse::<u32>().is_ok_and(|u| u > 0), "{user}");
    // the CronJob runs as that user
    let cron = common::read(repo().join("deploy/base/cronjob.yaml"));
    assert!(cron.contains(&format!("runAsUser: {uid}")), "{cron}");
}

/// The page's copies of `deploy/` files: (file, line of the fence, text of the block).
fn copies(page: &str) -> Vec<(String, usize, String)> {
    let lines: Vec<&str> = page.lines().collect();
    let mut out = Vec::new();
    for (i, line) in lines.iter().enumerate() {
        let Some(file) = line
            .strip_prefix("<!-- file: ")
            .and_then(|l| l.strip_suffix(" -->"))
        else {
            continue;
        };
        let fence = i + 1;
        assert!(
            lines.get(fence).is_some_and(|l| l.starts_with("```")),
            "line {}: a fenced block must follow the marker",
            fence + 1
        );
        let end = (fence + 1..lines.len())
            .find(|&j| lines[j].starts_with("```"))
            .expect("the block ends");
        let mut body = lines[fence + 1..end].join("\n");
        body.push('\n');
        out.push((file.to_string(), fence + 1, body));
    }
    out
}

#[test]
fn the_in_cluster_page_shows_the_files_of_deploy() {
    let path = repo().join("book/freshness/in-cluster.md");
    let mut page = common::read(&path);
    if std::env::var_os("VIGIE_BLESS").is_some() {
        page = bless(&page);
        std::fs::write(&path, &page).unwrap();
    }
    let found = copies(&page);
    let mut shown: Vec<&str> = found.iter().map(|(f, _, _)| f.as_str()).collect();
    shown.sort();
    let mut expected: Vec<String> = deploy_files()
        .into_iter()
        .filter(|f| !f.ends_with(".dockerignore"))
        .collect();
    expected.sort();
    assert_eq!(shown, expected, "the page shows every file of deploy/ once");
    for (file, line, body) in &found {
        let actual = common::read(repo().join(file));
        assert!(
            *body == actual,
            "book/freshness/in-cluster.md:{line}: the copy of {file} differs from the file; run `VIGIE_BLESS=1 cargo test --test deploy`"
        );
    }
}

/// `page` with every marked block replaced by its file.
fn bless(page: &str) -> String {
    let mut out = String::new();
    let mut lines = page.lines();
    while let Some(line) = lines.next() {
        out.push_str(line);
        out.push('\n');
        let Some(file) = line
            .strip_prefix("<!-- file: ")
            .and_then(|l| l.strip_suffix(" -->"))
        else {
            continue;
        };
        let fence = lines.next().expect("a fence after the marker");
        out.push_str(fence);
        out.push('\n');
        for inner in lines.by_ref() {
            if inner.starts_with("```") {
                break;
            }
        }
        out.push_str(&common::read(Path::new(&repo()).join(file)));
        out.push_str("```\n");
    }
    out
}
