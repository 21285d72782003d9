//! Hostile and careless input: what an attacker or a hurried contributor
//! could put in a knowledge base. Each test holds one promise of
//! SECURITY.md: nothing outside the root is published, no script runs from a
//! file name, no secret is printed, nothing panics, nothing is lost.

mod common;

use std::path::Path;

use common::*;

/// A small folder-tree knowledge base with `pages` (path, text) and a
/// secret file beside it (outside the root): (temp dir, root, secret file).
fn kb(pages: &[(&str, &str)]) -> (tempfile::TempDir, std::path::PathBuf, std::path::PathBuf) {
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path().join("kb");
    for (path, text) in pages {
        let p = root.join(path);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(p, text).unwrap();
    }
    std::fs::create_dir_all(&root).unwrap();
    let secret = tmp.path().join("secret.txt");
    std::fs::write(&secret, "CANARY-SECRET-FILE\n").unwrap();
    (tmp, root, secret)
}

fn link(from: &Path, at: &Path) {
    std::fs::create_dir_all(at.parent().unwrap()).unwrap();
    std::os::unix::fs::symlink(from, at).unwrap();
}

/// Every file under `dir` whose bytes contain `needle`.
fn files_containing(dir: &Path, needle: &str) -> Vec<String> {
    walkdir::WalkDir::new(dir)
        .into_iter()
        .flatten()
        .filter(|e| e.file_type().is_file())
        .filter(|e| {
            std::fs::read(e.path())
                .map(|b| String::from_utf8_lossy(&b).contains(needle))
                .unwrap_or(false)
        })
        .map(|e| e.path().display().to_string())
        .collect()
}

#[test]
fn a_linked_symlink_out_of_the_root_is_not_published_and_is_reported() {
    let (tmp, root, secret) = kb(&[("index.md", "# Accueil\n\nVoir [p](p.txt) et ![i](img/x.png).\n")]);
    link(&secret, &root.join("p.txt"));
    link(&secret, &root.join("img/x.png"));
    let out = tmp.path().join("site");
    let o = build(&root, &out, &["--broken-links", "warn"]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(!out.join("p.txt").exists(), "the symlinked file was copied");
    assert!(files_containing(&out, "CANARY-SECRET-FILE").is_empty());
    let text = stdout(&o) + &stderr(&o);
    assert!(text.contains("index.md:3"), "names the link's file:line: {text}");
    assert!(text.contains("secret.txt"), "names the target: {text}");
    // a build that does not warn fails on it, and check links reports it
    assert_eq!(build(&root, &out, &[]).status.code(), Some(1));
    let o = check("links", &root, &["--offline", "--format", "json"]);
    let json: serde_json::Value = serde_json::from_str(&stdout(&o)).unwrap();
    let findings = json["findings"].as_array().unwrap();
    for target in ["p.txt", "img/x.png"] {
        assert!(
            findings.iter().any(|f| f["target"] == target
                && f["line"] == 3
                && f["message"].as_str().unwrap().contains("secret.txt")),
            "{target} not reported: {json}"
        );
    }
}

#[test]
fn hugo_static_bundles_and_theme_overrides_do_not_follow_links_out() {
    let (tmp, root) = copy_fixture("hugo-site");
    let secret = tmp.path().join("secret.txt");
    std::fs::write(&secret, "CANARY-SECRET-FILE\n").unwrap();
    let secret_tpl = tmp.path().join("page.html");
    std::fs::write(&secret_tpl, "CANARY-SECRET-TEMPLATE {{ page.title }}").unwrap();
    link(&secret, &root.join("static/leak.txt"));
    link(tmp.path(), &root.join("static/whole-parent"));
    link(&secret, &root.join("content/doc/bien-commencer/photo.png"));
    link(&secret, &root.join("templates/assets/leak.css"));
    link(&secret_tpl, &root.join("templates/page.html"));
    // a symlink that stays inside the root is fine
    link(
        &root.join("static/images/statique.svg"),
        &root.join("static/images/alias.svg"),
    );
    let out = tmp.path().join("site");
    let o = build(&root, &out, &["--broken-links", "warn"]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(
        files_containing(&out, "CANARY-SECRET").is_empty(),
        "a secret was published"
    );
    assert!(
        out.join("images/alias.svg").is_file(),
        "an inside link is still copied"
    );
    let text = stdout(&o) + &stderr(&o);
    for named in [
        "static/leak.txt",
        "static/whole-parent",
        "templates/assets/leak.css",
        "templates/page.html",
    ] {
        assert!(text.contains(named), "{named} not reported: {text}");
    }
    assert_eq!(
        build(&root, &out, &[]).status.code(),
        Some(1),
        "an escaping link fails a strict build"
    );
}

#[test]
fn a_file_name_cannot_become_a_script_link() {
    for name in [
        "javascript:alert(1).md",
        "docs/JavaScript:alert(document.domain).md",
    ] {
        let (tmp, root, _) = kb(&[("index.md", "# Accueil\n"), (name, "# Piège\n")]);
        let out = tmp.path().join("site");
        let o = build(&root, &out, &[]);
        assert_eq!(o.status.code(), Some(2), "{name}: {}", stderr(&o));
        let err = stderr(&o);
        assert!(err.contains(name) && err.contains(":1:"), "names the file: {err}");
        assert!(err.contains("rename"), "{err}");
        assert!(!out.exists(), "nothing was written");
    }
    // A colon after a digit cannot start a scheme: harmless.
    let (tmp, root, _) = kb(&[("index.md", "# Accueil\n"), ("docs/10:00.md", "# Dix heures\n")]);
    let out = tmp.path().join("site");
    let o = build(&root, &out, &[]);
    assert!(o.status.success(), "{}", stderr(&o));
}

const CANARY: &str = "CANARY-7c1e";

/// Runs vigie with only the credentials given here: a private HOME, no
/// `OS_*` variables, `KUBECONFIG` and `OS_CLIENT_CONFIG_FILE` as given.
fn vigie_with(home: &Path, env: &[(&str, &Path)], args: &[&str]) -> std::process::Output {
    let mut cmd = command();
    for (k, _) in std::env::vars() {
        if k.starts_with("OS_") || k == "KUBECONFIG" {
            cmd.env_remove(k);
        }
    }
    cmd.env("HOME", home).current_dir(home).args(args);
    for (k, v) in env {
        cmd.env(k, v);
    }
    cmd.output().unwrap()
}

#[test]
fn no_secret_in_any_message() {
    let (tmp, root, _) = kb(&[(
        "runbooks/nova.md",
        "---\ntitle: Nova\nreviewed: 2026-01-01\n---\n# Nova\n\n```\nkubectl get deployment/nova-api -n openstack\nopenstack server show vm1\n```\n",
    )]);
    let dir = tmp.path();
    let kubeconfig = |name: &str, text: String| {
        let p = dir.join(name);
        std::fs::write(&p, text).unwrap();
        p
    };
    // A token line followed by a mis-indented line: the parser quotes it.
    let misindented = kubeconfig(
        "misindented.yaml",
        format!(
            "apiVersion: v1\nkind: Config\ncurrent-context: c\ncontexts:\n- name: c\n  context: {{cluster: k, user: u}}\nclusters:\n- name: k\n  cluster: {{server: https://127.0.0.1:1}}\nusers:\n- name: u\n  user:\n    token: {CANARY}-token\n   client-key-data: {CANARY}-key\n"
        ),
    );
    // Credentials in the server URL, an unreachable one.
    let in_url = kubeconfig(
        "in-url.yaml",
        format!(
            "apiVersion: v1\nkind: Config\ncurrent-context: c\ncontexts:\n- name: c\n  context: {{cluster: k, user: u}}\nclusters:\n- name: k\n  cluster: {{server: \"https://admin:{CANARY}-pass@127.0.0.1:1\"}}\nusers:\n- name: u\n  user: {{token: {CANARY}-token}}\n"
        ),
    );
    let clouds = kubeconfig(
        "clouds.yaml",
        format!(
            "clouds:\n  nuage:\n    auth:\n      auth_url: \"http://user:{CANARY}-pass@127.0.0.1:1/v3\"\n      username: benevole\n      password: \"{CANARY}-password\"\n      project_name: p\n      user_domain_name: Default\n      project_domain_name: Default\n"
        ),
    );
    let broken_clouds = kubeconfig(
        "broken-clouds.yaml",
        format!(
            "clouds:\n  nuage:\n    auth:\n      password: {CANARY}-password\n     auth_url: http://x:{CANARY}@h/\n"
        ),
    );
    let root_s = root.to_str().unwrap();
    type Run<'a> = (&'a str, Vec<(&'a str, &'a Path)>, Vec<&'a str>);
    let runs: Vec<Run> = vec![
        (
            "misindented kubeconfig",
            vec![("KUBECONFIG", &misindented)],
            vec!["check", "freshness", root_s, "--kube-context", "c"],
        ),
        (
            "misindented kubeconfig, state dump",
            vec![("KUBECONFIG", &misindented)],
            vec!["state", "dump", "--kube-context", "c", "-o", "s.json"],
        ),
        (
            "server URL with credentials",
            vec![("KUBECONFIG", &in_url)],
            vec!["check", "freshness", root_s, "--kube-context", "c"],
        ),
        (
            "server URL with credentials, json",
            vec![("KUBECONFIG", &in_url)],
            vec![
                "check",
                "freshness",
                root_s,
                "--kube-context",
                "c",
                "--format",
                "json",
            ],
        ),
        (
            "auth_url with credentials",
            vec![("OS_CLIENT_CONFIG_FILE", &clouds)],
            vec!["check", "freshness", root_s, "--os-cloud", "nuage"],
        ),
        (
            "auth_url with credentials, state dump",
            vec![("OS_CLIENT_CONFIG_FILE", &clouds)],
            vec!["state", "dump", "--os-cloud", "nuage", "-o", "s.json"],
        ),
        (
            "broken clouds.yaml",
            vec![("OS_CLIENT_CONFIG_FILE", &broken_clouds)],
            vec!["check", "freshness", root_s, "--os-cloud", "nuage"],
        ),
    ];
    for (what, env, args) in runs {
        let o = vigie_with(dir, &env, &args);
        let text = stdout(&o) + &stderr(&o);
        assert!(!o.status.success(), "{what}: {text}");
        assert!(!text.contains(CANARY), "{what}: a secret was printed:\n{text}");
        assert!(!text.contains("panicked"), "{what}: {text}");
        assert!(!dir.join("s.json").exists() || !read(dir.join("s.json")).contains(CANARY));
    }
    // A credential written in a page's link is not printed by check links either.
    std::fs::write(
        root.join("runbooks/acces.md"),
        format!(
            "# Accès\n\nVoir [la console](https://admin:{CANARY}@console.invalid/x#nope) et [ici](nope.md).\n"
        ),
    )
    .unwrap();
    for format in ["text", "json", "junit", "github"] {
        let o = check("links", &root, &["--offline", "--format", format]);
        let text = stdout(&o) + &stderr(&o);
        assert!(!text.contains(CANARY), "check links --format {format}:\n{text}");
    }
}

#[test]
fn a_summary_chapter_outside_the_book_is_an_error_not_a_panic() {
    for chapter in ["/etc/hostname", "../../../etc/hostname", "dehors.md"] {
        let tmp = tempfile::tempdir().unwrap();
        let book = tmp.path().join("livre");
        std::fs::create_dir_all(book.join("src")).unwrap();
        std::fs::write(book.join("book.toml"), "[book]\ntitle = \"Livre\"\n").unwrap();
        std::fs::write(book.join("src/intro.md"), "# Intro\n").unwrap();
        std::fs::write(tmp.path().join("secret.md"), "# CANARY-SECRET-FILE\n").unwrap();
        link(&tmp.path().join("secret.md"), &book.join("src/dehors.md"));
        std::fs::write(
            book.join("src/SUMMARY.md"),
            format!("# Sommaire\n\n- [Intro](intro.md)\n- [X]({chapter})\n"),
        )
        .unwrap();
        let out = tmp.path().join("site");
        let o = build(&book, &out, &[]);
        let err = stderr(&o);
        assert_eq!(o.status.code(), Some(2), "{chapter}: {err}");
        assert!(
            err.contains("SUMMARY.md:4") && err.contains("outside the book"),
            "{err}"
        );
        assert!(!err.contains("panicked"), "{err}");
    }
}

/// Corrupts the search cache of `root` with `damage` (called on each file of
/// the newest index) and checks that `vigie search` still answers, with a note.
fn search_survives(damage: impl Fn(&Path)) {
    let (_tmp, root) = copy_fixture("search-kb");
    let root_s = root.to_str().unwrap();
    let o = vigie(&["search", "nova", "--root", root_s]);
    assert!(o.status.success(), "{}", stderr(&o));
    let cache = root.join(".vigie/search-index");
    for dir in std::fs::read_dir(&cache).unwrap().flatten() {
        for f in std::fs::read_dir(dir.path()).unwrap().flatten() {
            damage(&f.path());
        }
    }
    // an edit, so the next search refreshes the index from the damaged one
    let page = root.join("runbooks/nova/evacuer-hyperviseur.md");
    std::fs::write(&page, read(&page) + "\nZorglub.\n").unwrap();
    for run in 0..2 {
        let o = vigie(&["search", "zorglub", "--root", root_s]);
        let err = stderr(&o);
        assert!(o.status.success(), "run {run}: {err}");
        assert!(stdout(&o).contains("runbooks/nova"), "run {run}: {}", stdout(&o));
        assert!(!err.contains("panicked"), "{err}");
        if run == 0 {
            let notes: Vec<&str> = err.lines().filter(|l| l.starts_with("note:")).collect();
            assert_eq!(notes.len(), 1, "one note: {err}");
            assert!(notes[0].contains(".vigie/search-index"), "{err}");
        } else {
            assert!(!err.contains("note:"), "the cache was rebuilt once: {err}");
        }
    }
}

#[test]
fn a_corrupted_search_cache_is_rebuilt() {
    search_survives(|f| {
        let name = f.file_name().unwrap().to_string_lossy();
        if name.ends_with(".term") || name.ends_with(".store") || name.ends_with(".idx") {
            let mut b = std::fs::read(f).unwrap();
            let n = b.len().saturating_sub(40);
            for x in &mut b[..n] {
                *x = x.wrapping_mul(7).wrapping_add(13);
            }
            std::fs::write(f, b).unwrap();
        }
    });
}

#[test]
fn a_search_cache_with_a_missing_file_is_rebuilt() {
    search_survives(|f| {
        if f.extension().is_some_and(|e| e == "idx") {
            std::fs::remove_file(f).unwrap();
        }
    });
}

/// Folders beside OUT that vigie left (staging or old sites).
fn leftovers(out: &Path) -> Vec<String> {
    std::fs::read_dir(out.parent().unwrap())
        .unwrap()
        .flatten()
        .map(|e| e.file_name().to_string_lossy().to_string())
        .filter(|n| n.contains(".vigie-"))
        .collect()
}

#[test]
fn a_build_killed_at_any_step_of_the_swap_loses_nothing() {
    // (failpoint, two-step swap instead of the kernel's exchange)
    for (step, two_step) in [
        ("before-swap", false),
        ("after-exchange", false),
        ("before-swap", true),
        ("between-renames", true),
        ("after-renames", true),
    ] {
        let what = format!("{step} (two-step: {two_step})");
        let (tmp, root, _) = kb(&[("index.md", "# Version 1\n")]);
        let out = tmp.path().join("site");
        assert!(build(&root, &out, &[]).status.success());
        std::fs::write(root.join("index.md"), "# Version 2\n").unwrap();
        let mut cmd = command();
        cmd.args(build_args(&root, &out, &[]))
            .env("VIGIE_TEST_FAILPOINT", step);
        if two_step {
            cmd.env("VIGIE_TEST_NO_EXCHANGE", "1");
        }
        let o = cmd.output().unwrap();
        use std::os::unix::process::ExitStatusExt;
        assert_eq!(o.status.signal(), Some(9), "{what}: the build was not killed");
        if step != "between-renames" {
            let home = read(out.join("index.html"));
            assert!(home.contains("Version 1") || home.contains("Version 2"), "{what}");
        }
        // The next build (even one that fails) puts the site back and cleans up.
        std::fs::write(root.join("index.md"), "# Version 3\n\n[cassé](nope.md)\n").unwrap();
        let o = build(&root, &out, &[]);
        assert_eq!(o.status.code(), Some(1), "{what}: {}", stderr(&o));
        let home = read(out.join("index.html"));
        assert!(
            home.contains("Version 1") || home.contains("Version 2"),
            "{what}: the previous site is back"
        );
        assert!(leftovers(&out).is_empty(), "{what}: {:?}", leftovers(&out));
        std::fs::write(root.join("index.md"), "# Version 3\n").unwrap();
        assert!(build(&root, &out, &[]).status.success());
        assert!(read(out.join("index.html")).contains("Version 3"), "{what}");
        assert!(leftovers(&out).is_empty(), "{what}: {:?}", leftovers(&out));
    }
}

#[test]
fn staging_folders_of_dead_builds_are_removed_and_live_ones_kept() {
    let (tmp, root, _) = kb(&[("index.md", "# Accueil\n")]);
    let out = tmp.path().join("site");
    let dead = tmp.path().join(".site.vigie-tmp-999999999");
    std::fs::create_dir_all(&dead).unwrap();
    std::fs::write(dead.join("big.bin"), vec![0u8; 1 << 20]).unwrap();
    // a build running now (this test's own process) keeps its folder
    let live = tmp.path().join(format!(".site.vigie-tmp-{}", std::process::id()));
    std::fs::create_dir_all(&live).unwrap();
    assert!(build(&root, &out, &[]).status.success());
    assert!(!dead.exists(), "a dead build's staging folder was kept");
    assert!(live.exists(), "a running build's staging folder was removed");
}

#[test]
fn unbounded_and_malformed_input_is_a_clear_error() {
    let (tmp, root, _) = kb(&[("index.md", "# Accueil\n")]);
    let out = tmp.path().join("site");
    let o = build(&root, &out, &["--state", "/dev/zero"]);
    let err = stderr(&o);
    assert_eq!(o.status.code(), Some(2), "{err}");
    assert!(
        err.contains("/dev/zero") && err.contains("larger than 128 MB"),
        "{err}"
    );
    // invalid UTF-8 names its line
    std::fs::write(root.join("latin1.md"), b"# Titre\n\nCaf\xe9\n").unwrap();
    let o = build(&root, &out, &[]);
    let err = stderr(&o);
    assert_eq!(o.status.code(), Some(2), "{err}");
    assert!(err.contains("latin1.md:3") && err.contains("UTF-8"), "{err}");
}

#[test]
fn control_characters_never_reach_the_html_or_the_terminal() {
    let (tmp, root, _) = kb(&[
        (
            "index.md",
            "---\ntitle: \"Nul\\0titre\"\n---\n# Accueil\n\nUn octet \0 nul.\n",
        ),
        ("rouge.md", "# Rouge\n\n<a href=\"\u{1b}[31mnope.md\">cassé</a>\n"),
    ]);
    let out = tmp.path().join("site");
    let o = build(&root, &out, &["--broken-links", "warn"]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(
        files_containing(&out, "\0").is_empty(),
        "a NUL byte reached the site"
    );
    for format in ["text", "github"] {
        let o = check("links", &root, &["--offline", "--format", format]);
        let text = stdout(&o) + &stderr(&o);
        assert!(text.contains("rouge.md") && text.contains("nope.md"), "{text}");
        assert!(!text.contains('\u{1b}'), "a raw escape was printed: {text:?}");
    }
    // in a file name: refused, and the error shows it escaped
    std::fs::write(root.join("\u{1b}[2Jefface.md"), "# Efface\n").unwrap();
    let o = build(&root, &out, &[]);
    let err = stderr(&o);
    assert_eq!(o.status.code(), Some(2), "{err}");
    assert!(err.contains("efface.md") && !err.contains('\u{1b}'), "{err:?}");
}

#[test]
fn many_broken_anchors_on_one_page_are_reported_in_linear_time() {
    let links: String = (0..40_000).map(|i| format!("[l{i}](#ancre-{i})\n")).collect();
    let (_tmp, root, _) = kb(&[("index.md", &format!("# Page\n\n## Ancre une\n\n{links}"))]);
    let started = std::time::Instant::now();
    let o = check("links", &root, &["--offline", "--format", "json"]);
    let elapsed = started.elapsed();
    let json: serde_json::Value = serde_json::from_str(&stdout(&o)).unwrap();
    assert_eq!(json["findings"].as_array().unwrap().len(), 40_000);
    assert_eq!(json["findings"][39_999]["line"], 40_004, "placed on its line");
    // quadratic placing took over a minute here; linear takes about a second
    assert!(elapsed.as_secs() < 20, "40,000 broken anchors took {elapsed:?}");
}

/// What the site would silently replace is said: two files at one address
/// stop the build naming both; an alias that cannot redirect and a file on
/// the theme's own address are warnings at their line.
#[test]
fn nothing_is_replaced_without_a_word() {
    let (_tmp, kb) = common::copy_fixture("folder-tree");
    std::fs::write(kb.join("index.md"), "# Accueil bis\n").unwrap();
    let out = kb.join("../site");
    let o = common::build(&kb, &out, &[]);
    let err = common::stderr(&o);
    assert_eq!(o.status.code(), Some(2), "{err}");
    assert!(
        err.contains("index.md")
            && err.contains("_index.md")
            && err.contains("would both be published as `index.html`"),
        "{err}"
    );
    std::fs::remove_file(kb.join("index.md")).unwrap();

    std::fs::create_dir_all(kb.join("assets")).unwrap();
    std::fs::write(kb.join("assets/vigie.js"), "alert('mine')\n").unwrap();
    std::fs::write(
        kb.join("runbooks/alias.md"),
        "---\ntitle: Alias\naliases: [\"/runbooks/\", \"../../../ailleurs/\"]\n---\n\nVoir [le script](../assets/vigie.js).\n",
    )
    .unwrap();
    let o = common::build(&kb, &out, &["--broken-links", "warn"]);
    let err = common::stderr(&o);
    assert_eq!(o.status.code(), Some(0), "{err}");
    assert!(
        err.contains("runbooks/alias.md:3 warning: alias `/runbooks/` is the address of"),
        "{err}"
    );
    assert!(
        err.contains("alias `../../../ailleurs/` leaves the site"),
        "{err}"
    );
    assert!(
        err.contains("runbooks/alias.md:6:") && err.contains("the address of the theme's own file"),
        "{err}"
    );
    // the theme's file is the one published
    assert!(!common::read(out.join("assets/vigie.js")).contains("alert('mine')"));
}

/// What Hugo stops on is said: a block shortcode never closed, a `ref` to no
/// page even outside a link's address.
#[test]
fn an_unclosed_shortcode_and_a_ref_to_nothing_are_reported() {
    let (_tmp, kb) = common::copy_fixture("hugo-fr");
    std::fs::write(
        kb.join("content/docs/etapes.md"),
        "---\ntitle: Étapes\n---\n\n{{% steps %}}\n\n### Un\n\nTexte.\n\nVoir {{< ref \"/nulle-part/\" >}} et [ici]({{< ref \"/docs/\" >}}).\n",
    )
    .unwrap();
    let out = kb.join("../site");
    let o = common::build(&kb, &out, &["--broken-links", "warn"]);
    let err = common::stderr(&o);
    assert_eq!(o.status.code(), Some(0), "{err}");
    assert!(
        err.contains("content/docs/etapes.md:5 warning: shortcode `steps` is opened here and never closed"),
        "{err}"
    );
    assert!(
        err.contains("content/docs/etapes.md:11") && err.contains("/nulle-part/"),
        "{err}"
    );
    assert!(
        !err.contains("`/docs/`"),
        "the ref to an existing section resolves: {err}"
    );
}

/// Bounded reads: front matter over 1 MB is an error naming the page; an
/// included file over 16 MB is not read.
#[test]
fn oversized_front_matter_and_includes_are_refused() {
    let (_tmp, kb) = common::copy_fixture("folder-tree");
    let big = format!("---\ntitle: x\nbourrage: \"{}\"\n---\n", "a".repeat(1_200_000));
    std::fs::write(kb.join("runbooks/gros.md"), big).unwrap();
    let o = common::build(&kb, &kb.join("../site"), &[]);
    let err = common::stderr(&o);
    assert_eq!(o.status.code(), Some(2), "{err}");
    assert!(
        err.contains("runbooks/gros.md:1") && err.contains("over the 1024 kB"),
        "{err}"
    );

    let (_tmp, kb) = common::copy_fixture("mkdocs-project");
    let file = std::fs::File::create(kb.join("snippets/enorme.txt")).unwrap();
    file.set_len(17 * 1024 * 1024).unwrap();
    std::fs::write(
        kb.join("documentation/extras/hors-nav.md"),
        "# Hors nav\n\n--8<-- \"snippets/enorme.txt\"\n",
    )
    .unwrap();
    let o = common::build(&kb, &kb.join("../site"), &["--broken-links", "warn"]);
    let err = common::stderr(&o);
    assert_eq!(o.status.code(), Some(0), "{err}");
    assert!(
        err.contains("[missing-include]") && err.contains("enorme.txt"),
        "{err}"
    );
}

#[test]
fn a_navigation_file_linked_out_of_the_root_is_not_read() {
    for (plugin, file) in [
        ("awesome-pages", "docs/.pages"),
        ("literate-nav", "docs/SUMMARY.md"),
    ] {
        let config = format!("site_name: S\nplugins:\n  - {plugin}\n");
        let (tmp, root, secret) = kb(&[("mkdocs.yml", config.as_str()), ("docs/index.md", "# Accueil\n")]);
        link(&secret, &root.join(file));
        let out = tmp.path().join("site");
        let o = build(&root, &out, &[]);
        let err = stderr(&o);
        assert_eq!(o.status.code(), Some(2), "{plugin}: {err}");
        assert!(
            err.contains(&format!("{file}:1")) && err.contains("outside the knowledge base"),
            "{plugin}: {err}"
        );
        assert!(!err.contains("CANARY"), "{err}");
        assert!(!out.exists() || files_containing(&out, "CANARY").is_empty());
    }
}
