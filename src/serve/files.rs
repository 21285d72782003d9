//! The files `serve` answers with: only files inside the built site (real
//! paths, so no symbolic link leads out), HTML pages with the live-reload
//! script added.

use std::path::{Path, PathBuf};

/// The script injected into every HTML page served: listens to the build
/// stream and reloads when a newer build is there. The stream is closed when
/// the page is left (a browser allows few connections per server: streams of
/// pages kept in its history would hold them all) and opened again when the
/// page comes back.
const RELOAD_SCRIPT: &str = r#"<script>(function(){var v=VERSION,s=null;function listen(){s=new EventSource("/__vigie/events");s.onmessage=function(e){if(parseInt(e.data,10)>v){location.reload()}};s.onerror=function(){if(s.readyState===2){setTimeout(listen,5000)}}}addEventListener("pagehide",function(){if(s){s.close()}});addEventListener("pageshow",function(e){if(e.persisted){listen()}});listen()})();</script>"#;

/// (status, content type, bytes) for URL path `path` of the site in `out`:
/// the file, or the site's 404 page; `None` when neither can be read.
pub fn read(out: &Path, path: &str, version: u64) -> Option<(u16, &'static str, Vec<u8>)> {
    let (status, file) = match resolve(out, path) {
        Some(f) => (200, f),
        None => (404, out.join("404.html")),
    };
    let mut bytes = std::fs::read(&file).ok()?;
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
    Some((status, mime, bytes))
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
        std::os::unix::fs::symlink(tmp.path().join("secret.txt"), out.join("link.txt")).unwrap();
        assert!(resolve(&out, "/a/").is_some());
        assert!(resolve(&out, "/../secret.txt").is_none());
        assert!(resolve(&out, "/a/%2e%2e/%2e%2e/secret.txt").is_none());
        assert!(resolve(&out, "/nope.html").is_none());
        assert!(
            resolve(&out, "/link.txt").is_none(),
            "a symbolic link out of the site"
        );
    }
}
