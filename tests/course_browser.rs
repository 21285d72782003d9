//! Courses in a real browser (headless Chromium), from `file://` as a
//! volunteer opens a copy of the site: mark a module done, reload, and find
//! the progress kept on the module page and on the course page; answer a
//! self-check question; print a course with or without its answer key.
//!
//! Needs Chromium: `VIGIE_TEST_CHROMIUM` (default /usr/bin/chromium). Without
//! it the test fails in CI and is skipped elsewhere.

mod browser_common;
mod common;

use std::path::Path;

use browser_common::{eval, launch, open, wait_for};
use chromiumoxide::page::MediaTypeParams;
use common::chromium;
use vigie::build::{BuildOptions, build};

fn build_fixture(out: &Path) {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/course");
    let opts = BuildOptions {
        out: Some(out.to_path_buf()),
        today: chrono::NaiveDate::from_ymd_opt(2026, 3, 1),
        ..BuildOptions::default()
    };
    let outcome = build(vigie::Config::load(&root).unwrap(), &opts).unwrap();
    assert!(!outcome.failed());
}

/// The fixture built into a temporary folder, open in a headless Chromium.
struct Session {
    _dir: tempfile::TempDir,
    /// `file://` URL of the built site.
    base: String,
    browser: chromiumoxide::Browser,
    events: tokio::task::JoinHandle<()>,
    page: chromiumoxide::Page,
}

impl Session {
    /// `None` (the test is skipped) without Chromium.
    async fn start() -> Option<Session> {
        let exe = chromium()?;
        let dir = tempfile::tempdir().unwrap();
        let site = dir.path().join("site");
        build_fixture(&site);
        let (browser, events) = launch(&exe, &dir.path().join("profile")).await;
        let page = browser.new_page("about:blank").await.unwrap();
        Some(Session {
            base: format!("file://{}", site.display()),
            _dir: dir,
            browser,
            events,
            page,
        })
    }

    async fn end(mut self) {
        self.browser.close().await.unwrap();
        let _ = self.browser.wait().await;
        self.events.abort();
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn marking_a_module_done_is_kept_after_reload_and_shown_on_the_course_page() {
    let Some(session) = Session::start().await else {
        return;
    };
    let (page, base) = (&session.page, session.base.clone());

    // The runbook is in two courses: opened from « accueil », it shows that bar.
    let module = format!("{base}/runbooks/nova/redemarrer-nova-compute.html?course=training/accueil");
    open(page, &module).await;
    let visible: Vec<String> = eval(
        page,
        "Array.from(document.querySelectorAll('.course-bar')).filter(b => !b.hidden).map(b => b.dataset.course)",
    )
    .await;
    assert_eq!(
        visible,
        ["training/accueil", "training/accueil"],
        "top and bottom bars of the course"
    );
    wait_for(
        page,
        "!document.querySelector('.course-bar:not([hidden]) .course-done').hidden",
    )
    .await;
    let text: String = eval(
        page,
        "document.querySelector('.course-bar:not([hidden]) .course-progress-text').textContent",
    )
    .await;
    assert_eq!(text, "0 / 3");

    page.find_element(".course-bar:not([hidden]) .course-done")
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    let pressed: String = eval(
        page,
        "document.querySelector('.course-bar:not([hidden]) .course-done').getAttribute('aria-pressed')",
    )
    .await;
    assert_eq!(pressed, "true");

    page.reload().await.unwrap();
    wait_for(page, "document.readyState === 'complete'").await;
    wait_for(page, "document.querySelector('.course-bar:not([hidden]) .course-done').getAttribute('aria-pressed') === 'true'").await;
    let label: String = eval(
        page,
        "document.querySelector('.course-bar:not([hidden]) .course-done').textContent",
    )
    .await;
    assert_eq!(label, "Terminé ✓");
    let text: String = eval(
        page,
        "document.querySelector('.course-bar:not([hidden]) .course-progress-text').textContent",
    )
    .await;
    assert_eq!(text, "1 / 3", "progress kept after reload");

    // The course page shows it: module 2 done, 1 of 3, « Reprendre » to module 1.
    open(page, &format!("{base}/training/accueil/index.html")).await;
    wait_for(
        page,
        "document.querySelector('.course-summary .course-progress-text').textContent === '1 / 3'",
    )
    .await;
    let done: Vec<bool> = eval(
        page,
        "Array.from(document.querySelectorAll('.course-module')).map(li => li.classList.contains('is-done'))",
    )
    .await;
    assert_eq!(done, [false, true, false]);
    let start: String = eval(page, "document.querySelector('.course-start').textContent").await;
    assert_eq!(start, "Reprendre — Bienvenue");
    // The other course using the same runbook keeps its own progress.
    open(page, &format!("{base}/training/ops/index.html")).await;
    wait_for(
        page,
        "document.querySelector('.course-summary .course-progress-text').textContent === '0 / 2'",
    )
    .await;

    session.end().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_self_check_question_gives_feedback_without_a_server() {
    let Some(session) = Session::start().await else {
        return;
    };
    let (page, base) = (&session.page, session.base.clone());
    open(page, &format!("{base}/training/accueil/02-quiz.html")).await;
    wait_for(page, "!document.querySelector('.quiz-check').hidden").await;

    // a wrong answer: feedback, the right answer marked, the explanation opened
    page.find_element(".quiz-answer:nth-child(1) input")
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    page.find_element(".quiz-check")
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    let feedback: String = eval(page, "document.querySelector('.quiz-feedback').textContent").await;
    assert_eq!(feedback, "Pas tout à fait : la bonne réponse est surlignée.");
    let marks: Vec<String> = eval(
        page,
        "Array.from(document.querySelector('.quiz').querySelectorAll('.quiz-answer')).map(li => li.className)",
    )
    .await;
    assert_eq!(marks, ["quiz-answer is-wrong", "quiz-answer is-correct"]);
    let open_explanation: bool = eval(page, "document.querySelector('.quiz-explanation').open").await;
    assert!(open_explanation);

    // the right one
    page.find_element(".quiz-answer:nth-child(2) input")
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    page.find_element(".quiz-check")
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    let feedback: String = eval(page, "document.querySelector('.quiz-feedback').textContent").await;
    assert_eq!(feedback, "Bonne réponse !");

    session.end().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_answer_key_is_printed_only_when_the_trainer_ticks_the_box() {
    let Some(session) = Session::start().await else {
        return;
    };
    let (page, base) = (&session.page, session.base.clone());
    open(page, &format!("{base}/training/accueil/print.html")).await;
    // the box appears (it needs the script), unticked, and the key is hidden
    wait_for(page, "!document.querySelector('.print-key-toggle').hidden").await;
    let ticked: bool = eval(page, "document.querySelector('.print-key-box').checked").await;
    assert!(!ticked);
    let shown = "getComputedStyle(document.querySelector('.print-key')).display !== 'none'";
    let visible: bool = eval(page, shown).await;
    assert!(!visible, "the handout is for trainees: no answers by default");
    // nor printed
    page.emulate_media_type(MediaTypeParams::Print).await.unwrap();
    let printed: bool = eval(page, shown).await;
    assert!(!printed);

    // ticked: the key is shown, and printed on a page of its own
    page.emulate_media_type(MediaTypeParams::Screen).await.unwrap();
    page.find_element(".print-key-box")
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    wait_for(page, shown).await;
    page.emulate_media_type(MediaTypeParams::Print).await.unwrap();
    let printed: bool = eval(page, shown).await;
    assert!(printed);
    let brk: String = eval(
        page,
        "getComputedStyle(document.querySelector('.print-key')).breakBefore",
    )
    .await;
    assert_eq!(brk, "page");
    let refs: Vec<String> = eval(
        page,
        "Array.from(document.querySelectorAll('.print-key-ref a')).map(a => a.textContent)",
    )
    .await;
    assert_eq!(
        refs,
        [
            "Module 1 — question 1",
            "Module 3 — question 1",
            "Module 3 — question 2"
        ]
    );
    // the handout numbers its questions per module with a CSS counter (its
    // value cannot be read back, only that the labels use it)
    let labels: Vec<String> = eval(
        page,
        "Array.from(document.querySelectorAll('#m3 .quiz-label')).map(l => getComputedStyle(l, '::after').content)",
    )
    .await;
    assert_eq!(labels.len(), 2);
    assert!(labels.iter().all(|c| c.contains("counter(quiz)")), "{labels:?}");

    session.end().await;
}
