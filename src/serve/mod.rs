//! `vigie serve`: live preview. Builds the site into a private folder, serves
//! it on loopback, watches the knowledge base, rebuilds what changed (pages
//! whose text did not change are not rendered again) and reloads the browser.
//! A failed rebuild keeps the last good site and shows the error in the terminal.
//! Only files inside the built site are ever served. `GET /api/search?q=…`
//! answers like `vigie search --format json`, from the same tantivy index.
//!
//! `http.rs` is the server and its limits, `files.rs` what it answers with.
//! The private folder is removed on Ctrl-C and SIGTERM, and folders left by
//! a serve that was killed are removed by the next one.

mod files;
mod http;

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;

pub use files::resolve;
pub use http::Limits;

use crate::build::{BuildOptions, Live, build_live};
use crate::config::Config;
use crate::error::{Error, Result};
use crate::report::{Finding, Report, Severity};

/// Prefix of serve's private folders in the temporary folder; the owner's
/// process id follows, so a later serve can tell a dead one's leftovers.
const WORK_PREFIX: &str = "vigie-serve-";

/// Serves the knowledge base at `root` on `bind:port` until Ctrl-C or SIGTERM.
pub fn run(root: &Path, bind: &str, port: u16) -> Result<()> {
    let config = Config::load(root)?;
    remove_dead_work_folders();
    let work = tempfile::Builder::new()
        .prefix(&format!("{WORK_PREFIX}{}-", std::process::id()))
        .tempdir()
        .map_err(|e| Error::write(std::env::temp_dir(), e))?;
    let out = work.path().join("site");
    let opts = BuildOptions {
        out: Some(out.clone()),
        broken_links: Some(crate::config::BrokenLinks::Warn),
        keep_search_cache: true,
        ..BuildOptions::default()
    };
    let live = rebuild(&config.root, &opts, None)?;
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        // Reading files and answering searches wait in a queue past this
        // many threads, instead of each client costing a thread of its own.
        .max_blocking_threads(BLOCKING_THREADS)
        .enable_all()
        .build()
        .map_err(|e| Error::Usage(format!("cannot start the server: {e}")))?;
    let served = runtime.block_on(async {
        let listener = tokio::net::TcpListener::bind((bind, port))
            .await
            .map_err(|e| Error::Usage(format!("cannot listen on {bind}:{port}: {e}")))?;
        let addr = listener
            .local_addr()
            .map(|a| a.to_string())
            .unwrap_or_else(|_| format!("{bind}:{port}"));
        let (generation, watched) = tokio::sync::watch::channel(1u64);
        // Watching before saying so: a save right after the line is seen.
        spawn_watcher(config.root.clone(), opts, live, generation)?;
        eprintln!("serving {} on http://{addr}/ (Ctrl-C to stop)", root.display());
        let limits = Limits::for_this_process();
        let shared = Arc::new(http::Shared::new(
            out,
            config.root.clone(),
            watched,
            limits.clone(),
        ));
        http::serve(listener, http::router(shared), limits, stopped()).await;
        Ok::<(), Error>(())
    });
    // Streams still open would keep the runtime waiting: do not wait for them.
    runtime.shutdown_timeout(Duration::from_millis(200));
    let removed = work.close().map_err(|e| Error::write(std::env::temp_dir(), e));
    eprintln!("stopped");
    served.and(removed)
}

/// Resolves on Ctrl-C or SIGTERM.
async fn stopped() {
    use tokio::signal::unix::{SignalKind, signal};
    let mut term = signal(SignalKind::terminate()).ok();
    let term = async {
        match term.as_mut() {
            Some(t) => {
                t.recv().await;
            }
            None => std::future::pending::<()>().await,
        }
    };
    tokio::select! {
        _ = tokio::signal::ctrl_c() => {}
        _ = term => {}
    }
}

/// Private folders of serves that were killed (their process is gone).
fn remove_dead_work_folders() {
    let Ok(entries) = std::fs::read_dir(std::env::temp_dir()) else {
        return;
    };
    for e in entries.flatten() {
        let name = e.file_name().to_string_lossy().to_string();
        let Some(pid) = name
            .strip_prefix(WORK_PREFIX)
            .and_then(|r| r.split('-').next())
            .and_then(|p| p.parse::<u32>().ok())
        else {
            continue;
        };
        if !crate::output::alive(pid) {
            let _ = std::fs::remove_dir_all(e.path());
        }
    }
}

/// The one place `serve` builds the whole site; prints the findings the
/// build added and those it made go since `before` (all of them the first
/// time). Returns the built site when it was written.
fn rebuild(root: &Path, opts: &BuildOptions, before: Option<&Report>) -> Result<Option<Live>> {
    let config = Config::load(root)?;
    let (outcome, live) = build_live(config, opts)?;
    match before {
        None if !outcome.report.findings.is_empty() => eprint!("{}", outcome.report.text()),
        None => {}
        Some(before) => print_delta(before, &outcome.report),
    }
    eprintln!(
        "built {} pages in {:.2}s",
        outcome.pages,
        outcome.elapsed.as_secs_f64()
    );
    Ok(live)
}

/// The findings that came and went between two reports, and the new totals.
fn print_delta(before: &Report, after: &Report) {
    let (new, gone) = crate::report::difference(&after.findings, &before.findings);
    print_changes(&new, &gone, after);
}

fn print_changes(new: &[Finding], gone: &[Finding], after: &Report) {
    if !new.is_empty() {
        eprint!("{}", Report::new(new.to_vec()).text_findings());
    }
    for f in gone {
        eprintln!(
            "fixed: {}:{}: {} [{}]",
            f.page,
            f.line,
            crate::report::printable(&crate::redact::redact(&f.message)),
            f.rule
        );
    }
    if !new.is_empty() || !gone.is_empty() {
        eprintln!(
            "{} error(s), {} warning(s) in all ({} new, {} fixed)",
            after.count(Severity::Error),
            after.count(Severity::Warning),
            new.len(),
            gone.len()
        );
    }
}

/// Takes in one burst of saves: the pages whose text alone changed are
/// updated in place; anything else builds the whole site again.
fn take_in(root: &Path, opts: &BuildOptions, live: &mut Option<Live>, changed: &[PathBuf]) -> Taken {
    if let Some(l) = live.as_mut() {
        match l.update(changed) {
            Ok(Some(update)) => {
                print_changes(&update.new, &update.gone, &update.report);
                if update.written.is_empty() {
                    return Taken::Nothing;
                }
                eprintln!(
                    "updated {} in {:.0} ms",
                    match update.written.len() {
                        1 => update.written[0].clone(),
                        n => format!("{n} files"),
                    },
                    update.elapsed.as_secs_f64() * 1000.0
                );
                return Taken::Pages;
            }
            Ok(None) => {}
            Err(e) => {
                eprintln!(
                    "error: {} (still serving the last good build)",
                    crate::redact::redact(&e.to_string())
                );
                // Half taken in: the next save builds the whole site.
                *live = None;
                return Taken::Nothing;
            }
        }
    }
    let before = live.take().map(|l| l.report().clone());
    match rebuild(root, opts, before.as_ref()) {
        Ok(Some(built)) => {
            *live = Some(built);
            Taken::Site
        }
        Ok(None) => Taken::Nothing,
        Err(e) => {
            eprintln!(
                "error: {} (still serving the last good build)",
                crate::redact::redact(&e.to_string())
            );
            Taken::Nothing
        }
    }
}

fn spawn_watcher(
    root: PathBuf,
    opts: BuildOptions,
    live: Option<Live>,
    generation: tokio::sync::watch::Sender<u64>,
) -> Result<()> {
    use notify::{RecursiveMode, Watcher};
    let (tx, rx) = std::sync::mpsc::channel();
    let mut watcher =
        notify::recommended_watcher(tx).map_err(|e| Error::read(&root, std::io::Error::other(e)))?;
    watcher
        .watch(&root, RecursiveMode::Recursive)
        .map_err(|e| Error::read(&root, std::io::Error::other(e)))?;
    let out = opts.out.clone().unwrap_or_default();
    std::thread::spawn(move || {
        let _keep = watcher;
        let mut live = live;
        // The search index waits for a pause in the saves: it is the slow part.
        let mut search_stale = false;
        loop {
            let event = if search_stale {
                match rx.recv_timeout(Duration::from_millis(SEARCH_PAUSE_MS)) {
                    Ok(event) => event,
                    Err(std::sync::mpsc::RecvTimeoutError::Timeout) => {
                        search_stale = false;
                        if let Some(l) = &live
                            && let Err(e) = l.refresh_search()
                        {
                            eprintln!(
                                "warning: search index not updated: {}",
                                crate::redact::redact(&e.to_string())
                            );
                        }
                        continue;
                    }
                    Err(std::sync::mpsc::RecvTimeoutError::Disconnected) => break,
                }
            } else {
                match rx.recv() {
                    Ok(event) => event,
                    Err(_) => break,
                }
            };
            let mut changed = relevant(&event, &root, &out);
            if changed.is_empty() {
                continue;
            }
            // An editor's save is a few events within milliseconds: take them together.
            while let Ok(more) = rx.recv_timeout(Duration::from_millis(SETTLE_MS)) {
                changed.extend(relevant(&more, &root, &out));
            }
            changed.sort();
            changed.dedup();
            match take_in(&root, &opts, &mut live, &changed) {
                Taken::Nothing => {}
                Taken::Pages => {
                    generation.send_modify(|v| *v += 1);
                    search_stale = true;
                }
                Taken::Site => {
                    generation.send_modify(|v| *v += 1);
                    search_stale = false;
                }
            }
        }
    });
    Ok(())
}

/// What a burst of saves changed in the served site.
enum Taken {
    Nothing,
    /// Pages updated in place (the search index is now behind).
    Pages,
    /// The whole site built again (search index included).
    Site,
}

/// Quiet time after a page update before the search index is refreshed.
const SEARCH_PAUSE_MS: u64 = 1000;

/// Threads that read files and answer searches for the clients.
const BLOCKING_THREADS: usize = 16;

/// Quiet time that ends a burst of file events.
const SETTLE_MS: u64 = 25;

/// The files an event is about that can change the site: not under hidden
/// folders (`.git`, `.vigie`), `target`, `node_modules` or the output, not
/// an editor's backup (`page.md~`), and not a file that came and went
/// within the burst (an editor's temporary file).
fn relevant(event: &notify::Result<notify::Event>, root: &Path, out: &Path) -> Vec<PathBuf> {
    let Ok(event) = event else { return Vec::new() };
    if matches!(event.kind, notify::EventKind::Access(_)) {
        return Vec::new();
    }
    event
        .paths
        .iter()
        .filter(|p| {
            let rel = p.strip_prefix(root).unwrap_or(p);
            // Hidden files are no part of the site, but for the `.pages`
            // files that order an MkDocs navigation (awesome-pages).
            let nav_file = rel.file_name().is_some_and(|n| n == ".pages");
            let last = rel.components().count().saturating_sub(1);
            !p.starts_with(out)
                && !p.to_string_lossy().ends_with('~')
                && !rel.components().enumerate().any(|(i, c)| {
                    let s = c.as_os_str().to_string_lossy();
                    (s.starts_with('.') && !(nav_file && i == last)) || s == "target" || s == "node_modules"
                })
        })
        .cloned()
        .collect()
}
