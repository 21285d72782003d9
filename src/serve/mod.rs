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

use crate::build::{BuildOptions, build_cached};
use crate::config::Config;
use crate::error::{Error, Result};
use crate::markdown::RenderCache;

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
    let mut cache = RenderCache::enabled();
    let opts = BuildOptions {
        out: Some(out.clone()),
        broken_links: Some(crate::config::BrokenLinks::Warn),
        keep_search_cache: true,
        ..BuildOptions::default()
    };
    rebuild(&config.root, &opts, &mut cache)?;
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
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
        eprintln!("serving {} on http://{addr}/ (Ctrl-C to stop)", root.display());
        let (generation, watched) = tokio::sync::watch::channel(1u64);
        spawn_watcher(config.root.clone(), opts, cache, generation)?;
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

/// The one place `serve` builds the site (the whole site, with the render
/// cache): true when a new site was written.
fn rebuild(root: &Path, opts: &BuildOptions, cache: &mut RenderCache) -> Result<bool> {
    let config = Config::load(root)?;
    let outcome = build_cached(config, opts, cache)?;
    if !outcome.report.findings.is_empty() {
        eprint!("{}", outcome.report.text());
    }
    eprintln!(
        "built {} pages ({} rendered) in {:.2}s",
        outcome.pages,
        outcome.rendered,
        outcome.elapsed.as_secs_f64()
    );
    Ok(outcome.written.is_some())
}

fn spawn_watcher(
    root: PathBuf,
    opts: BuildOptions,
    mut cache: RenderCache,
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
        while let Ok(event) = rx.recv() {
            if !relevant(&event, &root, &out) {
                continue;
            }
            // let a burst of saves settle
            while rx.recv_timeout(Duration::from_millis(150)).is_ok() {}
            match rebuild(&root, &opts, &mut cache) {
                Ok(true) => generation.send_modify(|v| *v += 1),
                Ok(false) => {}
                Err(e) => eprintln!(
                    "error: {} (still serving the last good build)",
                    crate::redact::redact(&e.to_string())
                ),
            }
        }
    });
    Ok(())
}

/// Changes under hidden folders (`.git`, `.vigie`) or the output do not trigger a build.
fn relevant(event: &notify::Result<notify::Event>, root: &Path, out: &Path) -> bool {
    let Ok(event) = event else { return false };
    if matches!(event.kind, notify::EventKind::Access(_)) {
        return false;
    }
    event.paths.iter().any(|p| {
        let rel = p.strip_prefix(root).unwrap_or(p);
        !p.starts_with(out)
            && !rel.components().any(|c| {
                let s = c.as_os_str().to_string_lossy();
                s.starts_with('.') || s == "target" || s == "node_modules"
            })
    })
}
