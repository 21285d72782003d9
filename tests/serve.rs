//! `vigie serve`: a live preview on loopback that rebuilds on change.

mod common;

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::process::Stdio;
use std::time::{Duration, Instant};

fn get(addr: &str, path: &str) -> (u16, String) {
    let mut s = TcpStream::connect(addr).expect("connect");
    s.set_read_timeout(Some(Duration::from_secs(30))).unwrap();
    write!(
        s,
        "GET {path} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n\r\n"
    )
    .unwrap();
    let mut buf = String::new();
    s.read_to_string(&mut buf).unwrap();
    let status = buf.get(9..12).and_then(|c| c.parse().ok()).unwrap_or(0);
    let body = buf
        .split_once("\r\n\r\n")
        .map(|(_, b)| b.to_string())
        .unwrap_or_default();
    (status, body)
}

struct Killed(std::process::Child);
impl Drop for Killed {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// Starts `vigie serve` on `kb` on a free port: the process, its address and its stderr lines.
fn serve(kb: &std::path::Path) -> (Killed, String, std::sync::mpsc::Receiver<String>) {
    let mut child = common::command()
        .args(["serve", kb.to_str().unwrap(), "--port", "0"])
        .stderr(Stdio::piped())
        .spawn()
        .expect("start vigie serve");
    let stderr = child.stderr.take().unwrap();
    let guard = Killed(child);
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        for line in BufReader::new(stderr).lines().map_while(Result::ok) {
            let _ = tx.send(line);
        }
    });
    let addr = loop {
        let line = rx
            .recv_timeout(Duration::from_secs(60))
            .expect("serve did not start");
        if let Some(rest) = line.split("http://").nth(1) {
            break rest.split('/').next().unwrap().to_string();
        }
    };
    (guard, addr, rx)
}

#[test]
fn serves_rebuilds_on_change_and_stays_inside_the_site() {
    let (tmp, kb) = common::copy_fixture("folder-tree");
    std::fs::write(tmp.path().join("secret.txt"), "secret").unwrap();
    let (_guard, addr, rx) = serve(&kb);
    assert!(
        addr.starts_with("127.0.0.1:"),
        "binds loopback by default: {addr}"
    );
    let (status, home) = get(&addr, "/");
    assert_eq!(status, 200);
    assert!(
        home.contains("Base de connaissances d&#39;essai") || home.contains("Base de connaissances d'essai")
    );
    assert!(home.contains("/__vigie/events"), "live reload script injected");
    assert_eq!(get(&addr, "/nope.html").0, 404);
    assert_eq!(get(&addr, "/../secret.txt").0, 404);
    assert_eq!(get(&addr, "/%2e%2e/secret.txt").0, 404);

    // edit a page: the next long poll returns a newer version and the page changed
    let page = kb.join("architecture/reseau.md");
    std::fs::write(&page, common::read(&page) + "\nModification en direct.\n").unwrap();
    let deadline = Instant::now() + Duration::from_secs(60);
    loop {
        let (_, body) = get(&addr, "/architecture/reseau.html");
        if body.contains("Modification en direct.") {
            break;
        }
        assert!(Instant::now() < deadline, "the page was not rebuilt");
        std::thread::sleep(Duration::from_millis(200));
    }
    let mut rebuilt = String::new();
    while let Ok(line) = rx.recv_timeout(Duration::from_millis(500)) {
        rebuilt.push_str(&line);
        rebuilt.push('\n');
    }
    let (_, version) = get(&addr, "/__vigie/events?v=1");
    assert!(version.trim().parse::<u64>().unwrap() >= 2, "{version}");
    // only the edited page was rendered again
    assert!(rebuilt.contains("(1 rendered)"), "{rebuilt}");
}

#[test]
fn the_search_api_answers_like_vigie_search() {
    let (_tmp, kb) = common::copy_fixture("search-kb");
    let (_guard, addr, rx) = serve(&kb);
    let json = |path: &str| -> (u16, serde_json::Value) {
        let (status, body) = get(&addr, path);
        (
            status,
            serde_json::from_str(&body).unwrap_or_else(|e| panic!("{path}: {e}: {body}")),
        )
    };
    let (status, v) = json("/api/search?q=redemarage+nova");
    assert_eq!(status, 200, "{v}");
    assert_eq!(
        v["results"][0]["url"],
        "runbooks/nova/redemarrer-nova-compute.html"
    );
    assert_eq!(v["results"][0]["kind"], "runbook");
    // The same answer as the command line.
    let o = common::vigie(&[
        "search",
        "redemarage nova",
        "--root",
        kb.to_str().unwrap(),
        "--format",
        "json",
    ]);
    let cli: serde_json::Value = serde_json::from_str(&common::stdout(&o)).unwrap();
    assert_eq!(v["results"], cli["results"]);
    // Percent-encoded accents and apostrophes, a limit and a filter.
    let (_, v) = json("/api/search?q=migration%20%C3%A0%20chaud&limit=1&kind=runbook");
    let results = v["results"].as_array().unwrap();
    assert_eq!(results.len(), 1);
    assert_eq!(
        results[0]["url"],
        "runbooks/nova/evacuer-hyperviseur.html#migration-à-chaud"
    );
    assert_eq!(
        json("/api/search?q=hyperviseur&kind=architecture").1["results"],
        serde_json::json!([])
    );
    // Bad requests say what is wrong.
    let (status, v) = json("/api/search");
    assert_eq!(status, 400);
    assert!(v["error"].as_str().unwrap().contains("?q="), "{v}");
    assert_eq!(json("/api/search?q=nova&limit=x").0, 400);
    // An edited page is found once saved (the index follows the sources),
    // but the rebuild that follows the save leaves the index to the next search.
    let stamps = || -> Vec<String> {
        std::fs::read_dir(kb.join(".vigie/search-index"))
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().to_string())
            .collect()
    };
    let before = stamps();
    while rx.try_recv().is_ok() {}
    let page = kb.join("architecture/reseau.md");
    std::fs::write(
        &page,
        common::read(&page) + "\n## Zorglub\n\nLe réseau zorglub relie les baies.\n",
    )
    .unwrap();
    loop {
        let line = rx
            .recv_timeout(std::time::Duration::from_secs(60))
            .expect("no rebuild after the save");
        if line.starts_with("built ") {
            break;
        }
    }
    assert_eq!(stamps(), before, "the rebuild refreshed the search index");
    let (_, v) = json("/api/search?q=zorglub");
    assert_eq!(v["results"][0]["url"], "architecture/reseau.html#zorglub", "{v}");
    assert_ne!(stamps(), before);
}
