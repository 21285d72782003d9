//! `vigie serve`: live preview. Builds the site into a private folder, serves
//! it on loopback, watches the knowledge base, rebuilds what changed (pages
//! whose text did not change are not rendered again) and reloads the browser.
//! A failed rebuild keeps the last good site and shows the error in the terminal.
//! Only files inside the built site are ever served. `GET /api/search?q=…`
//! answers like `vigie search --format json`, from the same tantivy index.

use std::path::{Path, PathBuf};
use std::sync::{Arc, Condvar, Mutex};
use std::time::Duration;

use crate::build::{BuildOptions, build_cached};
use crate::config::Config;
use crate::error::{Error, Result};
use crate::markdown::RenderCache;

/// The script injected into every HTML page served: waits for the next build
/// (long poll) and reloads.
const RELOAD_SCRIPT: &str = r#"<script>(function(){var v=VERSION;function poll(){fetch("/__vigie/events?v="+v).then(function(r){return r.text()}).then(function(t){var n=parseInt(t,10);if(n>v){location.reload()}else{poll()}},function(){setTimeout(poll,2000)})}poll()})();</script>"#;

/// Build generation, shared between the watcher and the request threads.
struct Generation {
    version: Mutex<u64>,
    changed: Condvar,
}

/// What the request threads share.
struct Shared {
    out: PathBuf,
    generation: Arc<Generation>,
    root: PathBuf,
    /// One search at a time: the first one may build the index.
    searching: Mutex<()>,
}

/// Serves the knowledge base at `root` on `bind:port` until the process is stopped.
pub fn run(root: &Path, bind: &str, port: u16) -> Result<()> {
    let config = Config::load(root)?;
    let work = tempfile::Builder::new()
        .prefix("vigie-serve-")
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
    let server = tiny_http::Server::http((bind, port))
        .map_err(|e| Error::Usage(format!("cannot listen on {bind}:{port}: {e}")))?;
    let addr = server
        .server_addr()
        .to_ip()
        .map(|a| a.to_string())
        .unwrap_or_else(|| format!("{bind}:{port}"));
    eprintln!("serving {} on http://{addr}/ (Ctrl-C to stop)", root.display());
    let generation = Arc::new(Generation {
        version: Mutex::new(1),
        changed: Condvar::new(),
    });
    spawn_watcher(config.root.clone(), opts, cache, generation.clone())?;
    let shared = Arc::new(Shared {
        out,
        generation,
        root: config.root.clone(),
        searching: Mutex::new(()),
    });
    for request in server.incoming_requests() {
        let shared = shared.clone();
        std::thread::spawn(move || respond(request, &shared));
    }
    drop(work);
    Ok(())
}

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
    generation: Arc<Generation>,
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
                Ok(true) => {
                    let mut v = generation.version.lock().unwrap_or_else(|p| p.into_inner());
                    *v += 1;
                    generation.changed.notify_all();
                }
                Ok(false) => {}
                Err(e) => eprintln!("error: {e} (still serving the last good build)"),
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

fn respond(request: tiny_http::Request, shared: &Shared) {
    let (out, generation) = (shared.out.as_path(), &shared.generation);
    let url = request.url().to_string();
    let (path, query) = url.split_once('?').unwrap_or((&url, ""));
    if path == "/api/search" {
        let (status, body) = api_search(shared, query);
        let mut response = tiny_http::Response::from_string(body).with_status_code(status);
        if let Ok(h) =
            tiny_http::Header::from_bytes(&b"Content-Type"[..], &b"application/json; charset=utf-8"[..])
        {
            response = response.with_header(h);
        }
        let _ = request.respond(response);
        return;
    }
    if path == "/__vigie/events" {
        let seen: u64 = query
            .split('&')
            .find_map(|kv| kv.strip_prefix("v="))
            .and_then(|v| v.parse().ok())
            .unwrap_or(0);
        let guard = generation.version.lock().unwrap_or_else(|p| p.into_inner());
        let (guard, _) = generation
            .changed
            .wait_timeout_while(guard, Duration::from_secs(25), |v| *v <= seen)
            .unwrap_or_else(|p| p.into_inner());
        let body = guard.to_string();
        drop(guard);
        let _ = request.respond(tiny_http::Response::from_string(body));
        return;
    }
    let version = *generation.version.lock().unwrap_or_else(|p| p.into_inner());
    let (status, file) = match resolve(out, path) {
        Some(f) => (200, f),
        None => (404, out.join("404.html")),
    };
    let Ok(mut bytes) = std::fs::read(&file) else {
        let _ = request.respond(tiny_http::Response::from_string("not found").with_status_code(404));
        return;
    };
    let mime = mime_of(&file);
    if mime.starts_with("text/html") {
        let script = RELOAD_SCRIPT.replace("VERSION", &version.to_string());
        let text = String::from_utf8_lossy(&bytes);
        let injected = match text.rfind("</body>") {
            Some(i) => format!("{}{script}{}", &text[..i], &text[i..]),
            None => format!("{text}{script}"),
        };
        bytes = injected.into_bytes();
    }
    let header = tiny_http::Header::from_bytes(&b"Content-Type"[..], mime.as_bytes()).ok();
    let mut response = tiny_http::Response::from_data(bytes).with_status_code(status);
    if let Some(h) = header {
        response = response.with_header(h);
    }
    let _ = request.respond(response);
}

/// `GET /api/search?q=QUERY[&limit=N][&kind=K][&tag=T]`: (status, JSON body),
/// the body of `vigie search --format json`, or `{"error": …}`.
fn api_search(shared: &Shared, query: &str) -> (u16, String) {
    let mut req = crate::search::Request {
        limit: 10,
        ..Default::default()
    };
    for kv in query.split('&') {
        let (k, v) = kv.split_once('=').unwrap_or((kv, ""));
        let v = crate::content::resolve::percent_decode(&v.replace('+', " "));
        match k {
            "q" => req.text = v,
            "limit" => match v.parse() {
                Ok(n) if n > 0 => req.limit = n,
                _ => return api_error(400, &format!("limit must be a positive number, not {v:?}")),
            },
            "kind" if !v.is_empty() => req.kind = Some(v),
            "tag" if !v.is_empty() => req.tag = Some(v),
            _ => {}
        }
    }
    if req.text.trim().is_empty() {
        return api_error(400, "give the query as ?q=…");
    }
    let _one = shared.searching.lock().unwrap_or_else(|p| p.into_inner());
    let hits =
        Config::load(&shared.root).and_then(|config| crate::search::index::search(&config, &req, false));
    match hits {
        Ok(hits) => (200, crate::search::to_json(&hits, false)),
        Err(e) => api_error(500, &e.to_string()),
    }
}

fn api_error(status: u16, message: &str) -> (u16, String) {
    (status, serde_json::json!({ "error": message }).to_string())
}

/// The file of the built site for URL path `path`, never outside `out`.
pub fn resolve(out: &Path, path: &str) -> Option<PathBuf> {
    let decoded = crate::content::resolve::percent_decode(path);
    let mut file = out.to_path_buf();
    for seg in decoded.split('/') {
        match seg {
            "" | "." => {}
            ".." => return None,
            s if s.contains('\\') || s.contains('\0') => return None,
            s => file.push(s),
        }
    }
    if file.is_dir() {
        file.push("index.html");
    }
    let canonical = file.canonicalize().ok()?;
    let base = out.canonicalize().ok()?;
    (canonical.starts_with(&base) && canonical.is_file()).then_some(canonical)
}

fn mime_of(path: &Path) -> &'static str {
    match path.extension().and_then(|e| e.to_str()).unwrap_or("") {
        "html" => "text/html; charset=utf-8",
        "css" => "text/css; charset=utf-8",
        "js" => "text/javascript; charset=utf-8",
        "json" => "application/json",
        "svg" => "image/svg+xml",
        "png" => "image/png",
        "jpg" | "jpeg" => "image/jpeg",
        "gif" => "image/gif",
        "webp" => "image/webp",
        "xml" => "application/xml",
        "pdf" => "application/pdf",
        "txt" | "md" => "text/plain; charset=utf-8",
        _ => "application/octet-stream",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn serves_nothing_outside_the_site() {
        let tmp = tempfile::tempdir().unwrap();
        let out = tmp.path().join("site");
        std::fs::create_dir_all(out.join("a")).unwrap();
        std::fs::write(out.join("a/index.html"), "x").unwrap();
        std::fs::write(tmp.path().join("secret.txt"), "s").unwrap();
        assert!(resolve(&out, "/a/").is_some());
        assert!(resolve(&out, "/../secret.txt").is_none());
        assert!(resolve(&out, "/a/%2e%2e/%2e%2e/secret.txt").is_none());
        assert!(resolve(&out, "/nope.html").is_none());
    }
}
