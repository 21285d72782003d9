//! The reference tables of the guide, row by row: every key that
//! `book/reference/configuration.md` and `book/reference/front-matter.md`
//! list is accepted with a value of its documented type, and a wrong value
//! gives the documented error (exit 2, naming the file and the key's line)
//! or warning. A key added to or dropped from a table without its row here
//! fails, so the tables and vigie cannot drift apart.

mod common;

use std::collections::BTreeSet;
use std::path::Path;

use common::*;

/// Which command reads the key.
#[derive(Clone, Copy, Debug, PartialEq)]
enum Cmd {
    /// `vigie build ROOT -o OUT --now 2026-11-26`
    Build,
    /// `vigie check links ROOT --offline`
    Links,
    /// `vigie check freshness ROOT --now 2026-11-26 --format json`
    Freshness,
}

/// What a wrong value gives.
#[derive(Clone, Copy, Debug)]
enum Bad {
    /// Exit 2, a message naming `FILE:LINE:` and saying this.
    Error(usize, &'static str),
    /// The command succeeds (or fails on findings) and reports this rule at this line.
    Warning(usize, &'static str),
    /// Exit 2 with this message (a file named on its own, no line).
    Fails(&'static str),
}

/// One row of a reference table: `file` (vigie.toml or a page) holding a
/// good value, the same file with a wrong one, and what the wrong one gives.
struct Row {
    key: &'static str,
    cmd: Cmd,
    good: &'static str,
    bad: Option<(&'static str, Bad)>,
}

const PAGE: &str = "---\ntitle: Page\nowner: equipe\nreviewed: 2026-11-20\n---\nTexte.\n";

fn row(key: &'static str, cmd: Cmd, good: &'static str, bad: Option<(&'static str, Bad)>) -> Row {
    Row { key, cmd, good, bad }
}

/// `vigie.toml` rows.
fn configuration_rows() -> Vec<Row> {
    use Bad::*;
    use Cmd::*;
    vec![
        row(
            "title",
            Build,
            "title = \"Mon site\"\n",
            Some(("title = 3\n", Error(1, "is expected here, not"))),
        ),
        row(
            "language",
            Build,
            "language = \"en\"\n",
            Some(("title = \"x\"\nlanguage = \"de\"\n", Warning(2, "unknown-value"))),
        ),
        row(
            "description",
            Build,
            "description = \"Runbooks.\"\n",
            Some(("description = []\n", Error(1, "is expected here, not"))),
        ),
        row(
            "base_url",
            Build,
            "base_url = \"https://docs.example.org/\"\n",
            Some(("base_url = 1\n", Error(1, "is expected here, not"))),
        ),
        row(
            "content",
            Build,
            "content = [\"runbooks\"]\n",
            Some((
                "title = \"x\"\ncontent = [\"runbooks\", \"nope\"]\n",
                Error(2, "`nope` does not exist"),
            )),
        ),
        row(
            "exclude",
            Build,
            "exclude = [\"brouillons/**\"]\n",
            Some(("exclude = [\"a{\"]\n", Error(1, "bad exclude pattern"))),
        ),
        row(
            "output",
            Build,
            "output = \"public\"\n",
            Some(("output = 3\n", Error(1, "is expected here, not"))),
        ),
        row(
            "broken_links",
            Build,
            "broken_links = \"warn\"\n",
            Some(("broken_links = \"maybe\"\n", Error(1, "unknown variant"))),
        ),
        row(
            "params",
            Build,
            "[params]\nassociation = \"Nuage Solidaire\"\n",
            Some(("params = 3\n", Error(1, "unknown key `params`"))),
        ),
        // [review]
        row(
            "review.runbook",
            Build,
            "[review]\nrunbook = \"90d\"\n",
            Some((
                "[review]\nrunbook = \"soon\"\n",
                Error(2, "not a review interval"),
            )),
        ),
        row(
            "review.architecture",
            Build,
            "[review]\narchitecture = \"6m\"\n",
            Some((
                "[review]\narchitecture = \"soon\"\n",
                Error(2, "not a review interval"),
            )),
        ),
        row(
            "review.training",
            Build,
            "[review]\ntraining = \"1y\"\n",
            Some(("[review]\ntraining = 3\n", Error(2, "is expected here, not"))),
        ),
        row(
            "review.guide",
            Build,
            "[review]\nguide = \"12w\"\n",
            Some(("[review]\nguide = \"x\"\n", Error(2, "not a review interval"))),
        ),
        row(
            "review.default",
            Build,
            "[review]\ndefault = \"365d\"\n",
            Some(("[review]\nrunbok = \"30d\"\n", Error(2, "unknown field `runbok`"))),
        ),
        // [links]
        row(
            "links.exclude",
            Links,
            "[links]\nexclude = [\"^https://intranet\\\\.\"]\n",
            Some((
                "[links]\nexclude = [\n  \"ok\",\n  \"(bad\",\n]\n",
                Error(4, "bad regular expression"),
            )),
        ),
        row(
            "links.accept",
            Links,
            "[links]\naccept = [403]\n",
            Some(("[links]\naccept = [42]\n", Error(2, "not an HTTP status code"))),
        ),
        row(
            "links.cache_max_age",
            Links,
            "[links]\ncache_max_age = \"1d\"\n",
            Some(("[links]\ncache_max_age = \"soon\"\n", Error(2, "not a duration"))),
        ),
        row(
            "links.timeout",
            Links,
            "[links]\ntimeout = 20\n",
            Some(("[links]\ntimeout = \"0s\"\n", Error(2, "more than 0s"))),
        ),
        row(
            "links.retries",
            Links,
            "[links]\nretries = 3\n",
            Some((
                "[links]\nretries = \"three\"\n",
                Error(2, "is expected here, not"),
            )),
        ),
        row(
            "links.retry_wait",
            Links,
            "[links]\nretry_wait = \"250ms\"\n",
            Some(("[links]\nretry_wait = \"later\"\n", Error(2, "not a duration"))),
        ),
        row(
            "links.max_concurrency",
            Links,
            "[links]\nmax_concurrency = 32\n",
            Some(("[links]\nmax_concurrency = 0\n", Error(2, "at least 1"))),
        ),
        row(
            "links.max_per_host",
            Links,
            "[links]\nmax_per_host = 4\n",
            Some(("[links]\nmax_per_host = 0\n", Error(2, "at least 1"))),
        ),
        row(
            "links.warn_redirects",
            Links,
            "[links]\nwarn_redirects = false\n",
            Some((
                "[links]\nwarn_redirects = \"yes\"\n",
                Error(2, "is expected here, not"),
            )),
        ),
        row(
            "links.user_agent",
            Links,
            "[links]\nuser_agent = \"docs-bot\"\n",
            Some(("[links]\nuser_agent = 3\n", Error(2, "is expected here, not"))),
        ),
        // [search]
        row(
            "search.enabled",
            Build,
            "[search]\nenabled = false\n",
            Some(("[search]\nenabled = \"no\"\n", Error(2, "is expected here, not"))),
        ),
        row(
            "search.snippet_chars",
            Build,
            "[search]\nsnippet_chars = 200\n",
            Some((
                "[search]\nsnippet_chars = \"long\"\n",
                Error(2, "is expected here, not"),
            )),
        ),
        // [freshness]
        row(
            "freshness.enabled",
            Build,
            "[freshness]\nenabled = false\n",
            Some((
                "[freshness]\nenabled = \"no\"\n",
                Error(2, "is expected here, not"),
            )),
        ),
        row(
            "freshness.references",
            Build,
            "[freshness]\nreferences = false\n",
            Some((
                "[freshness]\nrefrences = false\n",
                Error(2, "unknown field `refrences`"),
            )),
        ),
        row(
            "freshness.ignore",
            Build,
            "[freshness]\nignore = [\"namespace/default\"]\n",
            Some(("[freshness]\nignore = [\"secret/[x\"]\n", Error(2, "bad pattern"))),
        ),
        row(
            "freshness.state",
            Build,
            "[freshness]\nstate = [\"state.json\"]\n",
            Some((
                "[freshness]\nstate = [\"missing.json\"]\n",
                Fails("missing.json: cannot read"),
            )),
        ),
        row(
            "freshness.default_cluster",
            Build,
            "[freshness]\ndefault_cluster = \"prod\"\n",
            Some((
                "[freshness]\ndefault_cluster = 3\n",
                Error(2, "is expected here, not"),
            )),
        ),
        row(
            "freshness.default_cloud",
            Build,
            "[freshness]\ndefault_cloud = \"nuage\"\n",
            Some((
                "[freshness]\ndefault_cloud = 3\n",
                Error(2, "is expected here, not"),
            )),
        ),
        row(
            "freshness.clusters.NAME.context",
            Build,
            "[freshness.clusters.prod]\ncontext = \"k8s-prod\"\n",
            Some((
                "[freshness.clusters.prod]\ncontext = 3\n",
                Error(2, "is expected here, not"),
            )),
        ),
        row(
            "freshness.clusters.NAME.kubeconfig",
            Build,
            "[freshness.clusters.prod]\nkubeconfig = \"kube.yaml\"\n",
            Some((
                "[freshness.clusters.prod]\nkubconfig = \"x\"\n",
                Error(2, "unknown field `kubconfig`"),
            )),
        ),
        row(
            "freshness.clouds.NAME.cloud",
            Build,
            "[freshness.clouds.nuage]\ncloud = \"nuage-admin\"\n",
            Some((
                "[freshness.clouds.nuage]\ncloud = 3\n",
                Error(2, "is expected here, not"),
            )),
        ),
        row(
            "freshness.clouds.NAME.all_projects",
            Build,
            "[freshness.clouds.nuage]\nall_projects = true\n",
            Some((
                "[freshness.clouds.nuage]\nall_projects = \"yes\"\n",
                Error(2, "is expected here, not"),
            )),
        ),
        row(
            "freshness.severity.RULE",
            Build,
            "[freshness.severity]\nchanged-since-review = \"info\"\n",
            Some((
                "[freshness]\nenabled = true\n\n[freshness.severity]\nreview-overdue = \"loud\"\n",
                Error(5, "[freshness.severity]: unknown variant `loud`"),
            )),
        ),
    ]
}

/// Front matter rows: the page `runbooks/p.md`.
fn front_matter_rows() -> Vec<Row> {
    use Bad::*;
    use Cmd::*;
    vec![
        row(
            "title",
            Build,
            "---\ntitle: Redémarrer nova\n---\n",
            Some(("---\ntitle: [a\n---\n", Error(2, "invalid front matter"))),
        ),
        row(
            "description",
            Build,
            "---\ndescription: Quand un hyperviseur est down.\n---\n",
            None,
        ),
        row(
            "kind",
            Build,
            "---\nkind: guide\n---\n",
            Some((
                "---\ntitle: x\nkind: howto\n---\n",
                Error(3, "expected runbook, architecture, training or guide"),
            )),
        ),
        row(
            "owner",
            Freshness,
            "---\nowner: equipe-openstack\nreviewed: 2026-11-20\n---\n",
            Some(("---\nreviewed: 2026-11-20\n---\n", Warning(1, "missing-owner"))),
        ),
        row(
            "reviewed",
            Build,
            "---\nreviewed: 2026-11-10\n---\n",
            Some((
                "---\ntitle: x\nreviewed: last tuesday\n---\n",
                Error(3, "YYYY-MM-DD"),
            )),
        ),
        row(
            "review_every",
            Freshness,
            "---\nowner: o\nreviewed: 2026-11-20\nreview_every: 30d\n---\n",
            Some((
                "---\nowner: o\nreviewed: 2026-11-20\nreview_every: soon\n---\n",
                Warning(4, "invalid-review-interval"),
            )),
        ),
        row("tags", Build, "---\ntags: [nova, openstack]\n---\n", None),
        row(
            "lang",
            Build,
            "---\nlang: en\n---\n",
            Some(("---\ntitle: x\nlang: de\n---\n", Warning(3, "unknown-value"))),
        ),
        row(
            "weight",
            Build,
            "---\nweight: 10\n---\n",
            Some((
                "---\ntitle: x\nweight: 1.5\n---\n",
                Error(3, "expected a whole number"),
            )),
        ),
        row(
            "draft",
            Build,
            "---\ndraft: true\n---\n",
            Some(("---\ntitle: x\ndraft: maybe\n---\n", Warning(3, "unknown-value"))),
        ),
        row("aliases", Build, "---\naliases: [/ancien/]\n---\n", None),
        // what alerts a page documents: checked against rules by `vigie check alerts` (tests/alerts.rs)
        row("alerts", Build, "---\nalerts: [NovaComputeDown]\n---\n", None),
        row(
            "applies_to",
            Freshness,
            "---\nowner: o\nreviewed: 2026-11-20\napplies_to:\n  - deployment/nova-api -n openstack\n---\n",
            Some((
                "---\nowner: o\nreviewed: 2026-11-20\napplies_to:\n  - nova-api\n---\n",
                Warning(5, "invalid-claim"),
            )),
        ),
        row(
            "course",
            Build,
            "---\ncourse:\n  modules: [../../runbooks/q.md]\n---\n",
            Some((
                "---\ncourse:\n  modules:\n    - absent.md\n---\n",
                Fails("absent.md"),
            )),
        ),
        row(
            "freshness",
            Build,
            "---\nfreshness: false\n---\n",
            Some((
                "---\ntitle: x\nfreshness:\n  review: false\n  bogus: false\n---\n",
                Warning(5, "unknown-value"),
            )),
        ),
        // applies_to fields
        row(
            "applies_to.kind",
            Freshness,
            CLAIM,
            Some((
                "---\nowner: o\nreviewed: 2026-11-20\napplies_to:\n  - kind: Deploymnet\n    name: nova-api\n---\n",
                Warning(5, "invalid-claim"),
            )),
        ),
        row(
            "applies_to.name",
            Freshness,
            CLAIM,
            Some((
                "---\nowner: o\nreviewed: 2026-11-20\napplies_to:\n  - kind: Deployment\n    name: {a: 1}\n---\n",
                Warning(5, "invalid-claim"),
            )),
        ),
        row(
            "applies_to.namespace",
            Freshness,
            CLAIM,
            Some((
                "---\nowner: o\nreviewed: 2026-11-20\napplies_to:\n  - kind: Deployment\n    name: nova-api\n    namespace: Pas_Un_Nom\n---\n",
                Warning(5, "invalid-claim"),
            )),
        ),
        row(
            "applies_to.cluster",
            Freshness,
            "---\nowner: o\nreviewed: 2026-11-20\napplies_to:\n  - kind: Deployment\n    name: nova-api\n    cluster: prod\n---\n",
            Some((
                "---\nowner: o\nreviewed: 2026-11-20\napplies_to:\n  - kind: Deployment\n    name: nova-api\n    cluster: [a]\n---\n",
                Warning(5, "invalid-claim"),
            )),
        ),
        row(
            "applies_to.cloud",
            Freshness,
            "---\nowner: o\nreviewed: 2026-11-20\napplies_to:\n  - kind: Flavor\n    name: m1.small\n    cloud: nuage\n---\n",
            Some((
                "---\nowner: o\nreviewed: 2026-11-20\napplies_to:\n  - kind: Flavor\n    name: m1.small\n    cloud: [a]\n---\n",
                Warning(5, "invalid-claim"),
            )),
        ),
        row(
            "applies_to.expect",
            Freshness,
            "---\nowner: o\nreviewed: 2026-11-20\napplies_to:\n  - kind: Deployment\n    name: nova-api\n    expect: {replicas: 3}\n---\n",
            Some((
                "---\nowner: o\nreviewed: 2026-11-20\napplies_to:\n  - kind: Deployment\n    name: nova-api\n    expect: 3\n---\n",
                Warning(5, "invalid-claim"),
            )),
        ),
        row(
            "applies_to.absent",
            Freshness,
            "---\nowner: o\nreviewed: 2026-11-20\napplies_to:\n  - kind: Flavor\n    name: m1.small\n    absent: true\n---\n",
            Some((
                "---\nowner: o\nreviewed: 2026-11-20\napplies_to:\n  - kind: Flavor\n    name: m1.small\n    absent: maybe\n---\n",
                Warning(5, "invalid-claim"),
            )),
        ),
        row(
            "applies_to.generation",
            Freshness,
            "---\nowner: o\nreviewed: 2026-11-20\napplies_to:\n  - kind: Deployment\n    name: nova-api\n    generation: 3\n---\n",
            None,
        ),
        row(
            "applies_to.revision_number",
            Freshness,
            "---\nowner: o\nreviewed: 2026-11-20\napplies_to:\n  - kind: Network\n    name: provider-ext\n    revision_number: 4\n---\n",
            None,
        ),
    ]
}

const CLAIM: &str = "---\nowner: o\nreviewed: 2026-11-20\napplies_to:\n  - kind: Deployment\n    name: nova-api\n    namespace: openstack\n---\n";

/// The keys a reference page lists in its tables, qualified by their table
/// (`links.timeout`, `freshness.clusters.NAME.context`, `applies_to.kind`).
/// `sections` maps a `## ` heading to the prefix of its keys; tables under
/// other headings are not key tables.
fn listed_keys(page: &str, sections: &[(&str, &str)]) -> BTreeSet<String> {
    let text = read(Path::new(page));
    let mut prefix = None;
    let mut keys = BTreeSet::new();
    for line in text.lines() {
        if let Some(h) = line.strip_prefix("## ") {
            prefix = sections.iter().find(|(s, _)| *s == h.trim()).map(|(_, p)| *p);
            continue;
        }
        let (Some(prefix), Some(cells)) = (prefix, line.strip_prefix("| `")) else {
            continue;
        };
        let first = format!("`{}", cells.split(" |").next().unwrap_or(""));
        let ticked: Vec<&str> = first.split('`').skip(1).step_by(2).collect();
        match ticked.as_slice() {
            [table, key, ..] if table.starts_with('[') => {
                keys.insert(format!("{}.{key}", table.trim_matches(['[', ']'])));
            }
            _ => {
                for key in ticked {
                    keys.insert(format!("{prefix}{key}"));
                }
            }
        }
    }
    keys
}

/// A knowledge base with a runbook, a training course, a snapshot and `files`.
fn kb(files: &[(&str, &str)]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let base: &[(&str, &str)] = &[
        (
            "_index.md",
            "---\ntitle: Accueil\nowner: equipe\nreviewed: 2026-11-20\n---\nVoir [la page](runbooks/q.md).\n",
        ),
        ("runbooks/q.md", PAGE),
        (
            "state.json",
            "{\"apiVersion\": \"v1\", \"kind\": \"List\", \"items\": []}\n",
        ),
    ];
    for (path, text) in base.iter().chain(files) {
        let p = dir.path().join(path);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(p, text).unwrap();
    }
    dir
}

fn run(cmd: Cmd, root: &Path) -> std::process::Output {
    let root_s = root.to_str().unwrap();
    let out = root.join("out-site");
    match cmd {
        Cmd::Build => vigie(&[
            "build",
            root_s,
            "-o",
            out.to_str().unwrap(),
            "--now",
            "2026-11-26",
        ]),
        Cmd::Links => vigie(&["check", "links", root_s, "--offline"]),
        Cmd::Freshness => vigie(&[
            "check",
            "freshness",
            root_s,
            "--now",
            "2026-11-26",
            "--format",
            "json",
        ]),
    }
}

/// Runs every row; `file` is where the row's text goes, `fixed` the files
/// every run has. Returns the mismatches, one line each.
fn check_rows(rows: &[Row], file: &str, fixed: &[(&str, &str)]) -> Vec<String> {
    let mut wrong = Vec::new();
    let shown = |o: &std::process::Output| format!("exit {:?}: {}{}", o.status.code(), stdout(o), stderr(o));
    for r in rows {
        // front matter rows complete the page with its body
        let good = if file.ends_with(".md") {
            format!("{}Texte.\n", r.good)
        } else {
            r.good.to_string()
        };
        let mut files = fixed.to_vec();
        files.push((file, &good));
        let dir = kb(&files);
        let o = run(r.cmd, dir.path());
        let ok = match r.cmd {
            // nothing to say about the page
            Cmd::Freshness => {
                o.status.code() == Some(0) && !stdout(&o).contains(&format!("\"page\": \"{file}\""))
            }
            _ => o.status.success(),
        };
        if !ok || stderr(&o).contains("warning:") && r.cmd != Cmd::Build {
            wrong.push(format!("{}: a good value is refused ({})", r.key, shown(&o)));
        }
        let Some((bad, expect)) = r.bad else { continue };
        let bad = if file.ends_with(".md") {
            format!("{bad}Texte.\n")
        } else {
            bad.to_string()
        };
        let mut files = fixed.to_vec();
        files.push((file, &bad));
        let dir = kb(&files);
        let o = run(r.cmd, dir.path());
        let all = format!("{}{}", stdout(&o), stderr(&o));
        let fine = match expect {
            Bad::Error(line, says) => {
                o.status.code() == Some(2) && all.contains(&format!("{file}:{line}:")) && all.contains(says)
            }
            Bad::Fails(says) => o.status.code() == Some(2) && all.contains(says),
            Bad::Warning(line, rule) => {
                let text = all.contains(&format!("{file}:{line} warning:"))
                    || all.contains(&format!("{file}:{line} error:"));
                let json = all.contains(&format!("\"rule\": \"{rule}\""))
                    && all.contains(&format!("\"line\": {line}"));
                o.status.code() != Some(2) && all.contains(rule) && (text || json)
            }
        };
        if !fine {
            wrong.push(format!(
                "{}: a wrong value should give {expect:?}, got {}",
                r.key,
                shown(&o)
            ));
        }
    }
    wrong
}

#[test]
fn every_configuration_key_of_the_reference_exists_and_behaves_as_its_row_says() {
    let rows = configuration_rows();
    let listed = listed_keys(
        "book/reference/configuration.md",
        &[
            ("Site", ""),
            ("Content and output", ""),
            ("`[review]`", "review."),
            ("`[links]`", "links."),
            ("`[search]`", "search."),
            ("`[freshness]`", "freshness."),
        ],
    );
    // `[params]` has a section and no table
    let mut listed = listed;
    assert!(read("book/reference/configuration.md").contains("## `[params]`"));
    listed.insert("params".into());
    let tested: BTreeSet<String> = rows.iter().map(|r| r.key.to_string()).collect();
    assert_eq!(
        listed, tested,
        "the tables of configuration.md and the rows of this test differ"
    );
    let wrong = check_rows(&rows, "vigie.toml", &[]);
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
}

#[test]
fn every_front_matter_key_of_the_reference_exists_and_behaves_as_its_row_says() {
    let rows = front_matter_rows();
    let listed = listed_keys(
        "book/reference/front-matter.md",
        &[("Keys", ""), ("`applies_to`", "applies_to.")],
    );
    let tested: BTreeSet<String> = rows.iter().map(|r| r.key.to_string()).collect();
    assert_eq!(
        listed, tested,
        "the tables of front-matter.md and the rows of this test differ"
    );
    // the course row is a course: its page is a training section
    let (course, pages): (Vec<Row>, Vec<Row>) = rows.into_iter().partition(|r| r.key == "course");
    let mut wrong = check_rows(&pages, "runbooks/p.md", &[]);
    wrong.extend(check_rows(&course, "training/c/_index.md", &[]));
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
}

#[test]
fn documented_values_do_what_their_rows_say() {
    // title, description, language, params in pages and templates
    let dir = kb(&[
        (
            "vigie.toml",
            "title = \"Mon site\"\nlanguage = \"en\"\ndescription = \"Runbooks.\"\nbase_url = \"https://docs.example.org/kb/\"\n[params]\nassociation = \"Nuage Solidaire\"\n",
        ),
        (
            "runbooks/p.md",
            "---\ntitle: P\n---\nAvec {{< param association >}}.\n",
        ),
        (
            "templates/404.html",
            "{{ site.params.association }}|{{ params.association }}|{{ params.absent }}\n",
        ),
    ]);
    let out = dir.path().join("out-site");
    let o = run(Cmd::Build, dir.path());
    assert!(o.status.success(), "{}", stderr(&o));
    let home = read(out.join("index.html"));
    assert!(
        home.contains("Mon site") && home.contains("lang=\"en\"") && home.contains("Runbooks."),
        "{home}"
    );
    assert!(read(out.join("runbooks/p.html")).contains("Avec Nuage Solidaire."));
    assert_eq!(
        read(out.join("404.html")).trim(),
        "Nuage Solidaire|Nuage Solidaire|"
    );
    // base_url: absolute addresses in the sitemap, and no note
    let sitemap = read(out.join("sitemap.xml"));
    assert!(
        sitemap.contains("<loc>https://docs.example.org/kb/runbooks/p.html</loc>"),
        "{sitemap}"
    );
    assert!(!stderr(&o).contains("note: no sitemap.xml"));

    // content, exclude, output (without -o), broken_links
    let dir = kb(&[
        (
            "vigie.toml",
            "content = [\"runbooks\"]\nexclude = [\"runbooks/brouillons/**\"]\noutput = \"public\"\nbroken_links = \"warn\"\n",
        ),
        (
            "runbooks/brouillons/b.md",
            "---\ntitle: B\n---\n[cassé](nulle-part.md)\n",
        ),
        ("runbooks/c.md", "---\ntitle: C\n---\n[cassé](nulle-part.md)\n"),
        ("architecture/a.md", "---\ntitle: A\n---\nx\n"),
    ]);
    let o = vigie(&["build", dir.path().to_str().unwrap()]);
    assert!(o.status.success(), "broken_links = \"warn\": {}", stderr(&o));
    let public = dir.path().join("public");
    assert!(public.join("runbooks/c.html").is_file());
    assert!(!public.join("runbooks/brouillons/b.html").exists(), "excluded");
    assert!(!public.join("architecture/a.html").exists(), "outside content");
    assert!(
        read(public.join("index.html")).contains("Accueil"),
        "the root's _index.md is the home page"
    );

    // search.enabled = false: no search page
    let dir = kb(&[("vigie.toml", "[search]\nenabled = false\n")]);
    assert!(run(Cmd::Build, dir.path()).status.success());
    assert!(!dir.path().join("out-site/search.html").exists());

    // draft: true leaves the page out; aliases redirect; weight orders
    let dir = kb(&[
        ("runbooks/d.md", "---\ntitle: D\ndraft: true\n---\nx\n"),
        (
            "runbooks/a.md",
            "---\ntitle: Zèbre\nweight: 1\naliases: [/ancien/]\n---\nx\n",
        ),
    ]);
    assert!(run(Cmd::Build, dir.path()).status.success());
    let out = dir.path().join("out-site");
    assert!(!out.join("runbooks/d.html").exists());
    assert!(read(out.join("ancien/index.html")).contains("runbooks/a.html"));
    let nav = read(out.join("runbooks/index.html"));
    assert!(
        nav.find("Zèbre") < nav.find(">Page<"),
        "weight 1 before an unweighted page"
    );
}

#[test]
fn build_now_pins_the_day_of_the_badges() {
    // a runbook reviewed on 2026-11-20, every 90 days: fresh on 2026-11-26,
    // more than twice overdue on 2027-09-01, whatever the day of the run
    let dir = kb(&[]);
    let root = dir.path().to_str().unwrap();
    let badge = |now: &str| {
        let out = dir.path().join(format!("out-{now}"));
        let o = vigie(&["build", root, "-o", out.to_str().unwrap(), "--now", now]);
        assert!(o.status.success(), "{}", stderr(&o));
        read(out.join("runbooks/q.html"))
    };
    assert!(badge("2026-11-26").contains("badge fresh-fresh"));
    assert!(badge("2027-09-01").contains("badge fresh-stale"));
    let o = vigie(&["build", root, "--now", "26/11/2026"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("YYYY-MM-DD"), "{}", stderr(&o));
}
