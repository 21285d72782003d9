//! Courses: definitions, course pages, course bars, the printable course, the
//! list of courses, staleness, and `vigie course list`, on the fixture
//! `tests/fixtures/course` and on the demo knowledge base `runbooks/`.
//!
//! Fixture dates: the runbook `redemarrer-nova-compute` was reviewed on
//! 2026-01-10 and runbooks are reviewed every 90 days, so it is due on
//! 2026-04-10; every training page is fresh until 2027.

mod common;

use std::path::{Path, PathBuf};
use std::process::Output;

use chrono::NaiveDate;
use vigie::build::{BuildOptions, build};
use vigie::course::{Courses, Status, review_statuses, stale_findings};
use vigie::freshness::config::FreshnessConfig;
use vigie::{Config, Site};

fn fixture() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/course")
}

/// Runs `vigie ARGS…`: exit code, stdout, stderr.
fn vigie(args: &[&str]) -> (i32, String, String) {
    parts(&common::vigie(args))
}

fn parts(o: &Output) -> (i32, String, String) {
    (
        o.status.code().unwrap_or(-1),
        common::stdout(o),
        common::stderr(o),
    )
}

fn day(s: &str) -> NaiveDate {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
}

/// Builds `root` on `today` into a fresh folder and returns it.
fn build_on(root: &Path, today: &str) -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("site");
    let opts = BuildOptions {
        out: Some(out.clone()),
        today: Some(day(today)),
        ..BuildOptions::default()
    };
    let outcome = build(Config::load(root).unwrap(), &opts).unwrap();
    assert!(!outcome.failed(), "{:?}", outcome.report.findings);
    (dir, out)
}

/// A page of the built site, with the `/` and `'` that minijinja escapes put back.
fn read(site: &Path, rel: &str) -> String {
    std::fs::read_to_string(site.join(rel))
        .unwrap_or_else(|e| panic!("{rel}: {e}"))
        .replace("&#x2f;", "/")
        .replace("&#x27;", "'")
        .replace("&#39;", "'")
}

/// The text between `start` and the next `end` after it.
fn between<'a>(html: &'a str, start: &str, end: &str) -> &'a str {
    let i = html.find(start).unwrap_or_else(|| panic!("{start} not in page"));
    let rest = &html[i..];
    &rest[..rest.find(end).map(|j| j + end.len()).unwrap_or(rest.len())]
}

#[test]
fn course_page_lists_modules_in_order_with_durations_and_prerequisites() {
    let (_dir, site) = build_on(&fixture(), "2026-03-01");
    let html = read(&site, "training/accueil/index.html");
    let modules = between(&html, "<ol class=\"course-modules\">", "</ol>");
    let order: Vec<usize> = [
        "Bienvenue",
        "Redémarrer nova-compute",
        "Vérifier ses connaissances",
    ]
    .iter()
    .map(|t| {
        modules
            .find(&format!(">{t}</a>"))
            .unwrap_or_else(|| panic!("{t} missing: {modules}"))
    })
    .collect();
    assert!(
        order.windows(2).all(|w| w[0] < w[1]),
        "modules out of order: {modules}"
    );
    // links from the course keep the reader in it
    assert!(
        modules.contains("href=\"../../runbooks/nova/redemarrer-nova-compute.html?course=training/accueil\"")
    );
    // written durations, and the reading time for the module without one
    assert!(modules.contains(">20 min</span>"), "{modules}");
    assert!(modules.contains(">1 h 05</span>"), "{modules}");
    assert!(modules.contains("≈ 1 min</span>"), "{modules}");
    assert!(html.contains("<strong>Durée totale</strong> 1 h 26"), "{html}");
    assert!(html.contains("<dd>nouveaux bénévoles</dd>"));
    assert!(html.contains("<li>connaître la plateforme</li><li>redémarrer un service</li>"));
    assert!(
        html.contains("href=\"../linux/index.html\" class=\"course-prereq\" data-course=\"training/linux\"")
    );
    assert!(
        html.contains("href=\"print.html\""),
        "link to the printable course"
    );
    assert!(
        html.contains("href=\"../../courses.html\""),
        "link to all courses"
    );
    assert!(html.contains("<span class=\"badge fresh-fresh\">À jour</span>"));
    assert!(!html.contains("course-stale-banner"));
    assert!(html.contains("assets/course.js"));
    // the page's own Markdown is still there
    assert!(html.contains("Suivez les modules dans l'ordre."));
}

#[test]
fn module_pages_carry_a_course_bar_one_per_course() {
    let (_dir, site) = build_on(&fixture(), "2026-03-01");
    let first = read(&site, "training/accueil/01-bienvenue.html");
    let bar = between(&first, "<nav class=\"course-bar\"", "</nav>");
    let open_tag = &bar[..bar.find('>').unwrap()];
    assert!(
        !open_tag.contains("hidden"),
        "a module of the course's own folder shows its bar: {bar}"
    );
    assert!(bar.contains("Module 1 sur 3"), "{bar}");
    assert!(bar.contains("data-module=\"training/accueil/01-bienvenue.html\""));
    assert!(
        bar.contains("href=\"../../runbooks/nova/redemarrer-nova-compute.html?course=training/accueil\""),
        "{bar}"
    );
    assert!(bar.contains("Marquer comme terminé"));
    assert!(
        first.contains("course-bar course-bar-end"),
        "a second bar closes the page"
    );

    // the runbook is module 2 of « accueil » and module 2 of « ops » (course.toml)
    let runbook = read(&site, "runbooks/nova/redemarrer-nova-compute.html");
    assert_eq!(runbook.matches("<nav class=\"course-bar\"").count(), 2);
    let accueil = between(&runbook, "data-course=\"training/accueil\"", "</nav>");
    assert!(accueil.contains("Module 2 sur 3"));
    assert!(
        accueil[..accueil.find('>').unwrap()].ends_with(" hidden"),
        "shown only when opened from the course (?course=): {accueil}"
    );
    assert!(accueil.contains("href=\"../../training/accueil/01-bienvenue.html?course=training/accueil\""));
    assert!(accueil.contains("href=\"../../training/accueil/02-quiz.html?course=training/accueil\""));
    let ops = between(&runbook, "data-course=\"training/ops\"", "</nav>");
    assert!(
        ops.contains("Astreinte accompagnée") && ops.contains("Module 2 sur 2"),
        "{ops}"
    );
    // the last module leads back to its course
    assert!(
        ops.contains("href=\"../../training/ops/index.html\">Retour au parcours ↑"),
        "{ops}"
    );
    let ops_page = read(&site, "training/ops/index.html");
    assert!(
        ops_page.contains(">Astreinte accompagnée</h1>"),
        "the course.toml title names the course page"
    );

    // a page in no course carries no bar and no course script
    let other = read(&site, "runbooks/index.html");
    assert!(!other.contains("course-bar") && !other.contains("course.js"));
}

#[test]
fn quiz_renders_as_an_interactive_question() {
    let (_dir, site) = build_on(&fixture(), "2026-03-01");
    let html = read(&site, "training/accueil/02-quiz.html");
    let quiz = between(&html, "<div class=\"quiz\"", "</details>");
    assert!(
        quiz.contains("Le pod <code>nova-api</code> redémarre en boucle."),
        "{quiz}"
    );
    assert_eq!(quiz.matches("type=\"radio\"").count(), 2);
    assert!(
        quiz.contains("data-correct> <span>Non, seules les opérations"),
        "{quiz}"
    );
    assert!(
        quiz.contains("<summary>Explication</summary>\n<p>l'API ne fait que recevoir les demandes.</p>"),
        "{quiz}"
    );
    assert!(!html.contains("[!QUIZ]"));
    assert!(html.contains("assets/course.js"));
}

#[test]
fn printable_course_is_one_document_with_unique_anchors_and_inner_links() {
    let (_dir, site) = build_on(&fixture(), "2026-03-01");
    let html = read(&site, "training/accueil/print.html");
    // cover
    let cover = between(&html, "<header class=\"print-cover\">", "</header>");
    assert!(cover.contains("<h1>Parcours d'accueil</h1>"));
    assert!(
        cover.contains("nouveaux bénévoles")
            && cover.contains("1 h 26")
            && cover.contains("connaître la plateforme")
    );
    assert!(
        cover.contains("<a href=\"#m2\">Redémarrer nova-compute</a>"),
        "{cover}"
    );
    // one section per module, in order, headings one level down
    let sections: Vec<usize> = (1..=3)
        .map(|k| {
            html.find(&format!("<section class=\"print-module\" id=\"m{k}\""))
                .unwrap()
        })
        .collect();
    assert!(sections.windows(2).all(|w| w[0] < w[1]));
    assert!(
        html.contains("<h3 id=\"m2-vérifier\">Vérifier"),
        "runbook's h2 became an h3"
    );
    // « L'équipe » is a heading of modules 1 and 3: still two distinct anchors
    assert!(html.contains("id=\"m1-léquipe\"") && html.contains("id=\"m3-léquipe\""));
    // links between modules stay inside the printable page
    assert!(
        html.contains("href=\"#m2-vérifier\">Redémarrer nova-compute</a>"),
        "{html}"
    );
    assert!(html.contains("href=\"#m3\">question de fin</a>"));
    assert!(html.contains("href=\"#m2-vérifier\">la vérification</a>"));
    assert!(html.contains("href=\"../../assets/vigie.css\""));
    // the question is there, with its own group name
    assert!(html.contains("name=\"m3-quiz-1\""));
    // no site chrome: the handout is just the course
    assert!(!html.contains("class=\"sidebar\"") && !html.contains("search-input"));
}

#[test]
fn printable_course_ends_with_an_answer_key_printed_only_when_the_trainer_asks() {
    let (_dir, site) = build_on(&fixture(), "2026-03-01");
    let html = read(&site, "training/accueil/print.html");
    // the trainer's box, off: the handout is for trainees
    let toolbar = between(&html, "<header class=\"print-toolbar no-print\">", "</header>");
    assert!(
        toolbar.contains("<input type=\"checkbox\" class=\"print-key-box\"> Imprimer le corrigé</label>"),
        "{toolbar}"
    );
    assert!(!toolbar.contains("checked"));
    // the key comes after the last module, shown in the HTML (course.js hides it)
    let at = html.find("<section class=\"print-key\"").expect("an answer key");
    assert!(html.rfind("<section class=\"print-module\"").unwrap() < at);
    let key = between(&html, "<section class=\"print-key\"", "</section>");
    assert!(key.contains("<h2 id=\"answer-key-title\">Corrigé</h2>"), "{key}");
    assert!(!key[..key.find('>').unwrap()].contains("hidden"));
    // every question, numbered within its module as in the handout, in order;
    // module 2 (the runbook) has none
    let order: Vec<usize> = [
        "Module 1 — question 1</a> · Bienvenue",
        "Module 3 — question 1</a> · Vérifier ses connaissances",
        "Module 3 — question 2</a>",
    ]
    .iter()
    .map(|r| key.find(r).unwrap_or_else(|| panic!("{r} missing: {key}")))
    .collect();
    assert!(order.windows(2).all(|w| w[0] < w[1]), "{key}");
    assert!(!key.contains("Module 2 —"));
    let items: Vec<&str> = key.split("<div class=\"print-key-item\">").skip(1).collect();
    assert_eq!(items.len(), 3);
    // right answers and explanations as rendered Markdown, links placed like the
    // module's so they point inside the printable page
    assert!(
        items[0].contains("<span class=\"print-key-label\">Réponse :</span> Suivre <a href=\"#m2-vérifier\">le runbook</a> à partir de <code>Vérifier</code>."),
        "{}",
        items[0]
    );
    assert!(items[0].contains("Explication :</p>\n<p>le runbook commence par <a href=\"#m2-vérifier\">la vérification</a>, voir aussi la <a href=\"#m3\">question de fin</a>.</p>"), "{}", items[0]);
    assert!(items[1].contains("Le pod <code>nova-api</code> redémarre en boucle."));
    assert!(items[1].contains("Réponse :</span> Non, seules les opérations de gestion sont indisponibles."));
    assert!(items[1].contains("<p>l'API ne fait que recevoir les demandes.</p>"));
    assert!(
        items[2].contains("Réponses :</p>\n<ul class=\"print-key-right\"><li><code>systemctl restart nova-compute</code></li><li><code>openstack compute service list</code></li></ul>"),
        "{}",
        items[2]
    );
    assert!(
        !items[2].contains("Explication"),
        "no explanation written: {}",
        items[2]
    );
    // not the wrong answers
    for wrong in [
        "Redémarrer le serveur physique",
        "Oui, toutes",
        "kubectl get pods",
    ] {
        assert!(!key.contains(wrong), "{wrong}: {key}");
    }
    // a course without questions has no key and no box
    for print in ["training/linux/print.html", "training/ops/print.html"] {
        let html = read(&site, print);
        assert!(
            !html.contains("print-key") && !html.contains("corrigé"),
            "{print}"
        );
    }
}

#[test]
fn answer_key_speaks_english_in_an_english_site() {
    let kb = fixture_copy();
    let toml = kb.path().join("vigie.toml");
    let conf = std::fs::read_to_string(&toml).unwrap();
    std::fs::write(&toml, conf.replace("language = \"fr\"", "language = \"en\"")).unwrap();
    let (_dir, site) = build_on(kb.path(), "2026-03-01");
    let html = read(&site, "training/accueil/print.html");
    assert!(html.contains("class=\"print-key-box\"> Print the answer key</label>"));
    let key = between(&html, "<section class=\"print-key\"", "</section>");
    assert!(key.contains(">Answer key</h2>"), "{key}");
    assert!(key.contains("Module 3 — question 2</a>"));
    assert!(key.contains("<span class=\"print-key-label\">Answer:</span> Non, seules"));
    assert!(key.contains("Answers:</p>"));
    assert!(key.contains("Explanation:</p>"));
}

#[test]
fn list_of_courses_links_every_course() {
    let (_dir, site) = build_on(&fixture(), "2026-03-01");
    let html = read(&site, "courses.html");
    for (url, title) in [
        ("training/accueil/index.html", "Parcours d'accueil"),
        ("training/linux/index.html", "Bases Linux"),
        ("training/ops/index.html", "Astreinte accompagnée"),
    ] {
        assert!(
            html.contains(&format!("<a href=\"{url}\">{title}</a>")),
            "{title}: {html}"
        );
    }
    let linux = html.find("Bases Linux</a></h2>").unwrap();
    let accueil = html.find("Parcours d'accueil</a></h2>").unwrap();
    assert!(
        linux < accueil,
        "courses follow the navigation order (prerequisite first)"
    );
}

#[test]
fn course_is_stale_as_soon_as_one_of_its_runbooks_is_overdue() {
    let (_d1, before) = build_on(&fixture(), "2026-04-09");
    let (_d2, after) = build_on(&fixture(), "2026-04-10");
    let fresh = read(&before, "training/accueil/index.html");
    assert!(!fresh.contains("course-stale-banner"));
    let stale = read(&after, "training/accueil/index.html");
    let banner = between(&stale, "course-stale-banner", "</div>");
    assert!(banner.contains("Module 2 — Redémarrer nova-compute"), "{banner}");
    assert!(
        banner.contains("revue en retard depuis le 10 avril 2026"),
        "{banner}"
    );
    assert!(stale.contains("<span class=\"badge fresh-stale\">Périmé</span>"));
    // the course using only training pages stays fresh
    let linux = read(&after, "training/linux/index.html");
    assert!(!linux.contains("course-stale-banner"));
    // the printable course says it too
    assert!(read(&after, "training/accueil/print.html").contains("class=\"print-stale\""));
}

#[test]
fn stale_findings_point_at_the_module_line_of_each_course() {
    let site = Site::load(Config::load(&fixture()).unwrap()).unwrap();
    let courses = Courses::load(&site).unwrap();
    let statuses = review_statuses(&site, day("2026-05-01")).unwrap();
    let findings = stale_findings(&site, &courses, |id| statuses[id], &FreshnessConfig::default());
    let mut found: Vec<(String, usize, &str)> = findings
        .iter()
        .map(|f| (f.page.clone(), f.line, f.rule.as_str()))
        .collect();
    found.sort();
    assert_eq!(
        found,
        [
            ("training/accueil/_index.md".to_string(), 13, "course-stale"),
            ("training/ops/course.toml".to_string(), 10, "course-stale"),
        ]
    );
    let accueil = findings
        .iter()
        .find(|f| f.page == "training/accueil/_index.md")
        .unwrap();
    assert_eq!(
        accueil.target.as_deref(),
        Some("runbooks/nova/redemarrer-nova-compute.md")
    );
    assert!(
        accueil.message.contains("Parcours d'accueil"),
        "{}",
        accueil.message
    );
    // a contradicted module is an error
    let nova = site.by_rel("runbooks/nova/redemarrer-nova-compute.md").unwrap();
    let contradicted = |id| {
        if id == nova {
            Status::Contradicted
        } else {
            Status::Fresh
        }
    };
    let findings = stale_findings(&site, &courses, contradicted, &FreshnessConfig::default());
    assert!(findings.iter().all(|f| f.severity == vigie::Severity::Error));
    let no_escalation: FreshnessConfig = toml::from_str("[severity]\ncourse-stale = \"warning\"\n").unwrap();
    let findings = stale_findings(&site, &courses, contradicted, &no_escalation);
    assert!(findings.iter().all(|f| f.severity == vigie::Severity::Warning));
    assert!(stale_findings(&site, &courses, |_| Status::Fresh, &FreshnessConfig::default()).is_empty());
}

/// `(file:line, severity, target)` of the `course-stale` findings of a JSON report.
fn course_stale(report: &str) -> Vec<(String, String, String)> {
    let v: serde_json::Value = serde_json::from_str(report).unwrap_or_else(|e| panic!("{e}: {report}"));
    v["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["rule"] == "course-stale")
        .map(|f| {
            (
                format!("{}:{}", f["page"].as_str().unwrap(), f["line"]),
                f["severity"].as_str().unwrap().to_string(),
                f["target"].as_str().unwrap().to_string(),
            )
        })
        .collect()
}

#[test]
fn check_freshness_reports_courses_with_a_stale_module() {
    let nova = "runbooks/nova/redemarrer-nova-compute.md".to_string();
    let at = |loc: &str, severity: &str| (loc.to_string(), severity.to_string(), nova.clone());
    let root = fixture();
    let root = root.to_str().unwrap();
    let check = |root: &str, extra: &[&str]| {
        let mut args = vec!["check", "freshness", root, "--format", "json"];
        args.extend_from_slice(extra);
        vigie(&args)
    };
    let (code, out, err) = check(root, &["--now", "2026-04-09"]);
    assert_eq!(code, 0, "{err}");
    assert!(course_stale(&out).is_empty(), "{out}");
    // the shared runbook is due: both courses using it, at its line in each definition
    let (code, out, err) = check(root, &["--now", "2026-04-10"]);
    assert_eq!(code, 0, "warnings only: {err}");
    assert_eq!(
        course_stale(&out),
        [
            at("training/accueil/_index.md:13", "warning"),
            at("training/ops/course.toml:10", "warning")
        ]
    );
    assert!(
        out.contains(r#""message": "course \"Parcours d'accueil\" is stale: module 2"#),
        "{out}"
    );
    let (code, _, _) = check(root, &["--now", "2026-04-10", "--fail-on", "warn"]);
    assert_eq!(code, 1);

    // contradicted by the platform: an error
    let kb = fixture_copy();
    let runbook = kb.path().join(&nova);
    let text = std::fs::read_to_string(&runbook).unwrap();
    std::fs::write(
        &runbook,
        text.replace(
            "tags: [nova]",
            "tags: [nova]\napplies_to:\n  - deployment/nova-compute -n openstack",
        ),
    )
    .unwrap();
    let state = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/freshness-state/kube.json");
    let copy = kb.path().to_str().unwrap();
    let with_state = ["--now", "2026-02-01", "--state", state.to_str().unwrap()];
    let (code, out, _) = check(copy, &with_state);
    assert_eq!(code, 1, "{out}");
    assert_eq!(
        course_stale(&out),
        [
            at("training/accueil/_index.md:13", "error"),
            at("training/ops/course.toml:10", "error")
        ]
    );

    // its severity is set like any rule's, for both levels
    let toml = kb.path().join("vigie.toml");
    let config = std::fs::read_to_string(&toml).unwrap();
    std::fs::write(
        &toml,
        format!("{config}\n[freshness.severity]\ncourse-stale = \"info\"\n"),
    )
    .unwrap();
    let (_, out, _) = check(copy, &with_state);
    assert_eq!(
        course_stale(&out),
        [
            at("training/accueil/_index.md:13", "info"),
            at("training/ops/course.toml:10", "info")
        ]
    );
    std::fs::write(
        &toml,
        format!("{config}\n[freshness.severity]\ncourse-stale = \"off\"\n"),
    )
    .unwrap();
    let (_, out, _) = check(copy, &with_state);
    assert!(course_stale(&out).is_empty(), "{out}");
}

#[test]
fn course_list_shows_modules_duration_and_freshness() {
    let root = fixture();
    let root = root.to_str().unwrap();
    let (code, out, err) = vigie(&["course", "list", root, "--now", "2026-03-01"]);
    assert_eq!(code, 0, "{err}");
    let lines: Vec<&str> = out.lines().collect();
    assert!(
        lines[0].starts_with("COURSE") && lines[0].contains("MODULES  DURATION  FRESHNESS  FILE"),
        "{out}"
    );
    let accueil = lines
        .iter()
        .find(|l| l.starts_with("Parcours d'accueil"))
        .unwrap();
    let cells: Vec<&str> = accueil.split_whitespace().collect();
    assert_eq!(
        &cells[cells.len() - 4..],
        ["3", "1h26", "fresh", "training/accueil/_index.md"]
    );

    let (code, out, _) = vigie(&["course", "list", root, "--now", "2026-04-10"]);
    assert_eq!(code, 0);
    assert!(
        out.contains("  stale module: runbooks/nova/redemarrer-nova-compute.md"),
        "{out}"
    );

    let (code, out, _) = vigie(&["course", "list", root, "--now", "2026-04-10", "--format", "json"]);
    assert_eq!(code, 0);
    let json: serde_json::Value = serde_json::from_str(&out).unwrap();
    let list = json["courses"].as_array().unwrap();
    let titles: Vec<&str> = list.iter().map(|c| c["title"].as_str().unwrap()).collect();
    assert_eq!(
        titles,
        ["Bases Linux", "Astreinte accompagnée", "Parcours d'accueil"],
        "navigation order"
    );
    assert_eq!(list[1]["file"], "training/ops/course.toml");
    assert_eq!(list[1]["modules"], 2);
    assert_eq!(list[1]["minutes"], 31);
    assert_eq!(list[1]["freshness"], "stale");
    assert_eq!(list[0]["freshness"], "fresh");
    assert_eq!(list[2]["prerequisites"][0], "Bases Linux");

    let (code, _, err) = vigie(&["course", "list", root, "--now", "demain"]);
    assert_eq!(code, 2);
    assert!(err.contains("YYYY-MM-DD"), "{err}");
}

/// Copies the fixture so a test can break it.
fn fixture_copy() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    common::copy_dir(&fixture(), dir.path());
    dir
}

#[test]
fn a_module_without_reviewed_is_judged_by_its_last_commit_everywhere() {
    let kb = fixture_copy();
    let runbook = kb.path().join("runbooks/nova/redemarrer-nova-compute.md");
    let text = std::fs::read_to_string(&runbook).unwrap();
    std::fs::write(&runbook, text.replace("reviewed: 2026-01-10\n", "")).unwrap();
    // committed on 2026-01-10: due on 2026-04-10, as when `reviewed` said so
    common::commit_all_on(kb.path(), "2026-01-10");
    let root = kb.path().to_str().unwrap();

    let (code, out, err) = vigie(&["course", "list", root, "--now", "2026-04-09"]);
    assert_eq!(code, 0, "{err}");
    assert!(!out.contains("stale"), "{out}");
    let (code, out, err) = vigie(&["course", "list", root, "--now", "2026-04-10"]);
    assert_eq!(code, 0, "{err}");
    assert!(
        out.contains("  stale module: runbooks/nova/redemarrer-nova-compute.md"),
        "{out}"
    );
    // check freshness reads the same date
    let (_, out, _) = vigie(&["check", "freshness", root, "--now", "2026-04-10"]);
    assert!(
        out.contains("redemarrer-nova-compute.md:1 warning: last changed in git on 2026-01-10"),
        "{out}"
    );
    // and so does the course page
    let (_d, site) = build_on(kb.path(), "2026-04-10");
    let banner = between(
        &read(&site, "training/accueil/index.html"),
        "course-stale-banner",
        "</div>",
    )
    .to_string();
    assert!(
        banner.contains("revue en retard depuis le 10 avril 2026"),
        "{banner}"
    );
}

#[test]
fn missing_module_is_a_build_error_naming_the_course_file_and_line() {
    let kb = fixture_copy();
    let index = kb.path().join("training/accueil/_index.md");
    let text = std::fs::read_to_string(&index).unwrap();
    std::fs::write(
        &index,
        text.replace("redemarrer-nova-compute.md", "redemarer-nova-compute.md"),
    )
    .unwrap();
    let out = kb.path().join("out");
    let root = kb.path().to_str().unwrap();
    let (code, _, err) = parts(&common::build(kb.path(), &out, &[]));
    assert_eq!(code, 2, "{err}");
    assert!(
        err.contains(
            "training/accueil/_index.md:13: module `../../runbooks/nova/redemarer-nova-compute.md` not found"
        ),
        "{err}"
    );
    assert!(err.contains("did you mean"), "{err}");
    assert!(!out.exists(), "nothing written");
    let (code, _, err) = vigie(&["course", "list", root]);
    assert_eq!(code, 2);
    assert!(err.contains("_index.md:13"), "{err}");
}

#[test]
fn course_toml_errors_name_their_line() {
    let kb = fixture_copy();
    let toml = kb.path().join("training/ops/course.toml");
    let text = std::fs::read_to_string(&toml).unwrap();
    std::fs::write(
        &toml,
        text.replace("duration = \"30m\"", "duration = \"une demi-heure\""),
    )
    .unwrap();
    let (code, _, err) = vigie(&["course", "list", kb.path().to_str().unwrap()]);
    assert_eq!(code, 2);
    assert!(
        err.contains("training/ops/course.toml:7: duration \"une demi-heure\""),
        "{err}"
    );
}

/// The demo knowledge base's onboarding course renders, prints, and goes
/// stale on the day its first module is due for review.
#[test]
fn demo_onboarding_course() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("runbooks");
    let site = Site::load(Config::load(&root).unwrap()).unwrap();
    let courses = Courses::load(&site).unwrap();
    let course = courses
        .list
        .iter()
        .find(|c| c.key == "training/integration-benevoles")
        .expect("the onboarding course");
    assert!(course.modules.len() >= 4);
    assert!(
        course
            .modules
            .iter()
            .any(|m| site.page(m.page).rel.starts_with("runbooks/")),
        "the course uses real runbooks"
    );
    assert!(!course.prerequisites.is_empty(), "bases-linux comes first");
    // the first day one of its modules is overdue
    let review: vigie::freshness::review::ReviewConfig = site.config.section("review").unwrap();
    let first_due = course
        .modules
        .iter()
        .filter_map(|m| vigie::freshness::review::due_date(site.page(m.page), &review, None))
        .min()
        .expect("modules have review dates");
    let page = "training/integration-benevoles/index.html";
    let day_before = (first_due - chrono::Duration::days(1)).to_string();
    // the platform state the demo recorded contradicts one of its modules: stale on any day
    let (_d0, recorded) = build_on(&root, &day_before);
    assert!(read(&recorded, page).contains("course-stale-banner"));
    // on review dates alone (the demo without its recorded state), it turns stale the day
    // its first module is due
    let copy = tempfile::tempdir().unwrap();
    let root = copy.path().join("runbooks");
    common::copy_dir(&Path::new(env!("CARGO_MANIFEST_DIR")).join("runbooks"), &root);
    let toml = std::fs::read_to_string(root.join("vigie.toml")).unwrap();
    let without_state = toml.split("\n[freshness]").next().unwrap().to_string();
    assert_ne!(toml, without_state, "the demo names its recorded state");
    std::fs::write(root.join("vigie.toml"), without_state).unwrap();
    let (_d1, before) = build_on(&root, &day_before);
    let (_d2, after) = build_on(&root, &first_due.to_string());
    assert!(!read(&before, page).contains("course-stale-banner"));
    assert!(read(&after, page).contains("course-stale-banner"));
    let print = read(&after, "training/integration-benevoles/print.html");
    assert_eq!(
        print.matches("<section class=\"print-module\"").count(),
        course.modules.len()
    );
    assert!(
        print.contains("class=\"quiz\""),
        "the questions are in the handout"
    );
}
