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

/// The first build generation the live-reload stream sends.
fn first_event(addr: &str) -> u64 {
    let mut s = TcpStream::connect(addr).expect("connect");
    s.set_read_timeout(Some(Duration::from_secs(30))).unwrap();
    write!(s, "GET /__vigie/events HTTP/1.1\r\nHost: {addr}\r\n\r\n").unwrap();
    let mut head = BufReader::new(s);
    let mut line = String::new();
    loop {
        line.clear();
        assert!(head.read_line(&mut line).unwrap() > 0, "the stream ended");
        if let Some(v) = line.strip_prefix("data: ") {
            return v.trim().parse().unwrap();
        }
    }
}

/// Starts `vigie serve` on `kb` on a free port: the process, its address and its stderr lines.
fn serve(kb: &std::path::Path) -> (common::Serving, String, std::sync::mpsc::Receiver<String>) {
    serve_in(kb, &std::env::temp_dir())
}

/// [`serve`], with `tmp` as the temporary folder of the process.
fn serve_in(
    kb: &std::path::Path,
    tmp: &std::path::Path,
) -> (common::Serving, String, std::sync::mpsc::Receiver<String>) {
    let mut child = common::command()
        .args(["serve", kb.to_str().unwrap(), "--port", "0"])
        .env("TMPDIR", tmp)
        .stderr(Stdio::piped())
        .spawn()
        .expect("start vigie serve");
    let stderr = child.stderr.take().unwrap();
    let guard = common::Serving(child);
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
    assert!(first_event(&addr) >= 2, "the reload stream did not move on");
    // only the edited page was rendered again, and written in place
    assert!(
        rebuilt.contains("updated architecture/reseau.html in "),
        "{rebuilt}"
    );
}

/// Lines of `rx` until one for which `done` holds (included); fails after 60 s.
fn lines_until(rx: &std::sync::mpsc::Receiver<String>, done: impl Fn(&str) -> bool) -> Vec<String> {
    let deadline = Instant::now() + Duration::from_secs(60);
    let mut lines = Vec::new();
    loop {
        let left = deadline.saturating_duration_since(Instant::now());
        let line = rx
            .recv_timeout(left)
            .unwrap_or_else(|_| panic!("serve said nothing expected; it said: {lines:#?}"));
        let end = done(&line);
        lines.push(line);
        if end {
            return lines;
        }
    }
}

/// The site folder of the only serve running with `tmp` as its temporary folder.
fn served_site(tmp: &std::path::Path) -> std::path::PathBuf {
    let work = std::fs::read_dir(tmp)
        .unwrap()
        .map(|e| e.unwrap().path())
        .find(|p| {
            p.file_name()
                .unwrap()
                .to_string_lossy()
                .starts_with("vigie-serve-")
        })
        .expect("serve's private folder");
    work.join("site")
}

/// Every file of `dir` with its modification time.
fn mtimes(dir: &std::path::Path) -> std::collections::BTreeMap<String, std::time::SystemTime> {
    common::files_under(dir)
        .into_iter()
        .map(|f| {
            let m = std::fs::metadata(dir.join(&f)).unwrap().modified().unwrap();
            (f, m)
        })
        .collect()
}

#[test]
fn a_save_writes_only_what_changed_and_tells_findings_as_a_change() {
    let (tmp, kb) = common::copy_fixture("folder-tree");
    let temp = tempfile::tempdir().unwrap();
    let (_guard, addr, rx) = serve_in(&kb, temp.path());
    let site = served_site(temp.path());
    let before = mtimes(&site);
    // Times of files written in the same instant as the first build must differ.
    std::thread::sleep(Duration::from_millis(50));

    // The text of a page: that page only is written again.
    let page = kb.join("architecture/reseau.md");
    let text = common::read(&page);
    std::fs::write(&page, text.clone() + "\nUne phrase de plus.\n").unwrap();
    let said = lines_until(&rx, |l| l.starts_with("updated "));
    assert_eq!(
        said,
        ["updated architecture/reseau.html in ".to_string() + said[0].rsplit("in ").next().unwrap()]
    );
    assert!(
        get(&addr, "/architecture/reseau.html")
            .1
            .contains("Une phrase de plus.")
    );
    let changed: Vec<String> = mtimes(&site)
        .into_iter()
        .filter(|(f, t)| before.get(f) != Some(t))
        .map(|(f, _)| f)
        .collect();
    assert_eq!(
        changed,
        ["architecture/reseau.html"],
        "only the saved page is written"
    );

    // A heading renamed: the two pages linking to its anchor get a finding,
    // and only those two findings are printed.
    let renamed = text.replace("## Plan d'adressage", "## Plan IP") + "\nUne phrase de plus.\n";
    std::fs::write(&page, &renamed).unwrap();
    let said = lines_until(&rx, |l| l.starts_with("updated ")).join("\n");
    assert_eq!(said.matches("[broken-anchor]").count(), 2, "{said}");
    assert!(
        said.contains("_index.md") && said.contains("redemarrer-nova.md"),
        "{said}"
    );
    assert!(said.contains("(2 new, 0 fixed)"), "{said}");

    // Put back: both are said fixed.
    std::fs::write(&page, text).unwrap();
    let said = lines_until(&rx, |l| l.starts_with("updated ")).join("\n");
    assert_eq!(said.matches("fixed: ").count(), 2, "{said}");
    assert!(said.contains("(0 new, 2 fixed)"), "{said}");

    // The static search index follows once the saves pause.
    std::fs::write(
        &page,
        common::read(&page) + "\nLe réseau zorglub relie les baies.\n",
    )
    .unwrap();
    lines_until(&rx, |l| l.starts_with("updated "));
    let deadline = Instant::now() + Duration::from_secs(60);
    while !common::files_under(&site.join("search"))
        .iter()
        .any(|f| common::read(site.join("search").join(f)).contains("zorglub"))
    {
        assert!(
            Instant::now() < deadline,
            "the search index never learnt the new word"
        );
        std::thread::sleep(Duration::from_millis(200));
    }

    // A new title changes every page's navigation: the whole site is built.
    let titled = common::read(&page).replace("title: Réseau", "title: Réseau et adressage");
    std::fs::write(&page, titled).unwrap();
    lines_until(&rx, |l| l.starts_with("built "));
    assert!(
        get(&addr, "/architecture/index.html")
            .1
            .contains("Réseau et adressage")
    );
    drop(tmp);
}

#[test]
fn memory_stays_flat_over_a_hundred_saves() {
    let (_tmp, kb) = common::copy_fixture("folder-tree");
    let (guard, addr, rx) = serve(&kb);
    let pid = guard.0.id();
    let page = kb.join("runbooks/ceph/osd-down.md");
    let text = common::read(&page);
    let mut after_ten = 0;
    for i in 1..=100 {
        std::fs::write(&page, format!("{text}\nSauvegarde numéro {i}.\n")).unwrap();
        lines_until(&rx, |l| l.starts_with("updated ") || l.starts_with("built "));
        if i == 10 {
            after_ten = rss_kb(pid);
        }
    }
    assert!(
        get(&addr, "/runbooks/ceph/osd-down.html")
            .1
            .contains("Sauvegarde numéro 100.")
    );
    let after = rss_kb(pid);
    assert!(
        after <= after_ten + after_ten / 10,
        "memory grew from {after_ten} kB after 10 saves to {after} kB after 100"
    );
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
    // An unknown kind is refused as `vigie search --kind` refuses it, not an empty answer.
    let (status, v) = json("/api/search?q=nova&kind=bogus");
    assert_eq!(status, 400);
    assert!(v["error"].as_str().unwrap().contains("runbook"), "{v}");
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
        if line.starts_with("built ") || line.starts_with("updated ") {
            break;
        }
    }
    assert_eq!(stamps(), before, "the rebuild refreshed the search index");
    let (_, v) = json("/api/search?q=zorglub");
    assert_eq!(v["results"][0]["url"], "architecture/reseau.html#zorglub", "{v}");
    assert_ne!(stamps(), before);
}

/// Sends `request` (raw bytes) on a new connection: the status of the answer
/// (0 when the server closed without one).
fn raw(addr: &str, request: &[u8]) -> u16 {
    let mut s = TcpStream::connect(addr).expect("connect");
    s.set_read_timeout(Some(Duration::from_secs(30))).unwrap();
    let _ = s.write_all(request);
    let mut buf = Vec::new();
    let _ = s.read_to_end(&mut buf);
    String::from_utf8_lossy(&buf)
        .get(9..12)
        .and_then(|c| c.parse().ok())
        .unwrap_or(0)
}

/// Resident memory of process `pid`, in kB.
fn rss_kb(pid: u32) -> u64 {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).unwrap();
    status
        .lines()
        .find_map(|l| l.strip_prefix("VmRSS:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
        .unwrap()
}

fn open_files(pid: u32) -> usize {
    std::fs::read_dir(format!("/proc/{pid}/fd")).unwrap().count()
}

#[test]
fn serve_survives_hostile_requests_and_many_clients_with_flat_memory() {
    let (_tmp, kb) = common::copy_fixture("search-kb");
    let (guard, addr, _rx) = serve(&kb);
    let pid = guard.0.id();
    assert_eq!(get(&addr, "/").0, 200);
    // warm the search index, then measure
    assert_eq!(get(&addr, "/api/search?q=nova").0, 200);
    let before = rss_kb(pid);

    // A body announced as 100 GB is refused before anything is read.
    let huge = format!("POST / HTTP/1.1\r\nHost: {addr}\r\nContent-Length: 99999999999\r\n\r\n");
    assert_eq!(raw(&addr, huge.as_bytes()), 413);
    let huge = format!("GET / HTTP/1.1\r\nHost: {addr}\r\nContent-Length: 99999999999\r\n\r\n");
    assert_eq!(raw(&addr, huge.as_bytes()), 413);
    // A 1 MB query is refused by the header limit; a long one that fits the
    // headers by the search API's own bound; so are too many words.
    let q = "a".repeat(1 << 20);
    let status = raw(
        &addr,
        format!("GET /api/search?q={q} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n\r\n").as_bytes(),
    );
    assert!((400..500).contains(&status), "1 MB query: {status}");
    assert_eq!(
        get(&addr, &format!("/api/search?q={}", "nova".repeat(1000))).0,
        414
    );
    assert_eq!(get(&addr, &format!("/api/search?q={}", "a+".repeat(100))).0, 400);
    // Header flood and other methods.
    let many: String = (0..300)
        .map(|i| format!("X-H{i}: {}\r\n", "v".repeat(100)))
        .collect();
    let status = raw(
        &addr,
        format!("GET / HTTP/1.1\r\nHost: {addr}\r\n{many}\r\n").as_bytes(),
    );
    assert!((400..500).contains(&status), "header flood: {status}");
    assert_eq!(
        raw(
            &addr,
            format!("DELETE / HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n\r\n").as_bytes()
        ),
        405
    );

    // 600 idle live-reload connections: streams are capped, the others are
    // told 503 (or refused at the door), and the server keeps serving.
    let mut idle = Vec::new();
    for _ in 0..600 {
        let mut s = TcpStream::connect(&addr).expect("connect");
        s.write_all(format!("GET /__vigie/events HTTP/1.1\r\nHost: {addr}\r\n\r\n").as_bytes())
            .unwrap();
        idle.push(s);
    }
    std::thread::sleep(Duration::from_millis(500));
    let files = open_files(pid);
    assert!(files < 700, "{files} files open for 600 idle streams");
    assert_eq!(get(&addr, "/").0, 200, "a page while 600 streams wait");
    let mut answered = [0usize; 2];
    for s in &mut idle {
        s.set_read_timeout(Some(Duration::from_secs(10))).unwrap();
        let mut head = [0u8; 12];
        if s.read_exact(&mut head).is_ok() {
            match &head[9..12] {
                b"200" => answered[0] += 1,
                b"503" => answered[1] += 1,
                other => panic!("{}", String::from_utf8_lossy(other)),
            }
        }
    }
    assert!(answered[0] <= 64, "{answered:?}: streams are capped");
    assert!(answered[1] >= 500, "{answered:?}: the others are told to retry");
    drop(idle);

    // 200 clients at once, 5 requests each: every one answered.
    let clients: Vec<_> = (0..200)
        .map(|i| {
            let addr = addr.clone();
            std::thread::spawn(move || {
                (0..5)
                    .map(|j| {
                        let path = match (i + j) % 4 {
                            0 => "/",
                            1 => "/assets/vigie.css",
                            2 => "/api/search?q=nova",
                            _ => "/nope.html",
                        };
                        get(&addr, path).0
                    })
                    .collect::<Vec<u16>>()
            })
        })
        .collect();
    let statuses: Vec<u16> = clients.into_iter().flat_map(|c| c.join().unwrap()).collect();
    assert_eq!(statuses.len(), 1000);
    let ok = statuses.iter().filter(|&&s| s == 200 || s == 404).count();
    assert!(ok >= 990, "{ok} of 1000 answered: {statuses:?}");
    assert!(statuses.iter().all(|&s| s != 0), "a request got no answer");

    assert_eq!(get(&addr, "/").0, 200, "still serving");
    let after = rss_kb(pid);
    eprintln!(
        "600 idle streams: {answered:?} (streams, 503); {files} files open; \
         1000 requests from 200 clients: {ok} answered; memory {before} kB -> {after} kB"
    );
    assert!(
        after < before + 64 * 1024,
        "memory grew from {before} kB to {after} kB"
    );
}

#[test]
fn ctrl_c_and_sigterm_remove_the_private_folder() {
    for signal in [rustix::process::Signal::INT, rustix::process::Signal::TERM] {
        let tmp = tempfile::tempdir().unwrap();
        let (_kb_tmp, kb) = common::copy_fixture("folder-tree");
        // a folder left by a serve that was killed: removed at the next start
        let dead = tmp.path().join("vigie-serve-999999999-abc");
        std::fs::create_dir_all(dead.join("site")).unwrap();
        let (mut guard, addr, _rx) = serve_in(&kb, tmp.path());
        assert_eq!(get(&addr, "/").0, 200);
        assert!(!dead.exists(), "a dead serve's folder was kept");
        let work = || -> Vec<_> {
            std::fs::read_dir(tmp.path())
                .unwrap()
                .flatten()
                .map(|e| e.path())
                .collect()
        };
        assert_eq!(work().len(), 1, "{:?}", work());
        let pid = rustix::process::Pid::from_raw(guard.0.id() as i32).unwrap();
        rustix::process::kill_process(pid, signal).unwrap();
        let status = guard.0.wait().unwrap();
        assert!(status.success(), "{signal:?}: {status:?}");
        assert!(work().is_empty(), "{signal:?} left {:?}", work());
    }
}

/// A client that sends its headers a byte at a time (slowloris) is cut off
/// after the header timeout, and the server keeps answering others meanwhile.
#[test]
fn a_client_that_never_finishes_its_headers_is_cut_off() {
    use std::io::{Read, Write};
    let (_tmp, kb) = common::copy_fixture("folder-tree");
    let (_guard, addr, _rx) = serve(&kb);
    let mut slow = std::net::TcpStream::connect(&addr).unwrap();
    slow.set_read_timeout(Some(Duration::from_secs(30))).unwrap();
    let started = std::time::Instant::now();
    slow.write_all(b"GET / HTTP/1.1\r\nHost: x\r\n").unwrap();
    let writer = {
        let mut w = slow.try_clone().unwrap();
        std::thread::spawn(move || {
            // one header byte a second, never the blank line
            for _ in 0..40 {
                std::thread::sleep(Duration::from_secs(1));
                if w.write_all(b"X").is_err() {
                    break;
                }
            }
        })
    };
    assert_eq!(get(&addr, "/").0, 200, "others are answered meanwhile");
    let mut buf = [0u8; 256];
    let n = slow.read(&mut buf).unwrap_or(0);
    let waited = started.elapsed();
    assert!(
        waited < Duration::from_secs(20),
        "the slow client was kept {waited:?} ({n} bytes answered)"
    );
    drop(slow);
    let _ = writer.join();
}

#[test]
fn a_page_deleted_or_renamed_leaves_the_site_at_once() {
    let (_tmp, kb) = common::copy_fixture("folder-tree");
    let (_guard, addr, rx) = serve(&kb);
    let section = "/architecture/index.html";
    assert_eq!(get(&addr, "/architecture/reseau.html").0, 200);
    assert!(get(&addr, section).1.contains("reseau.html"));
    // Polls until `done` holds of the site served; no error is said meanwhile.
    let until = |what: &str, done: &dyn Fn() -> bool| {
        let deadline = Instant::now() + Duration::from_secs(60);
        let mut said = Vec::new();
        while !done() {
            said.extend(rx.try_iter());
            assert!(Instant::now() < deadline, "{what}: {said:#?}");
            std::thread::sleep(Duration::from_millis(200));
        }
        std::thread::sleep(Duration::from_millis(500));
        said.extend(rx.try_iter());
        assert!(!said.iter().any(|l| l.starts_with("error")), "{what}: {said:#?}");
    };
    // Renamed (what `git mv` does): the old address goes, the new one comes.
    let page = kb.join("architecture/reseau.md");
    let renamed = kb.join("architecture/reseau-v2.md");
    std::fs::rename(&page, &renamed).unwrap();
    until("renamed", &|| {
        get(&addr, "/architecture/reseau.html").0 == 404
            && get(&addr, "/architecture/reseau-v2.html").0 == 200
            && get(&addr, section).1.contains("reseau-v2.html")
    });
    // Deleted: gone from the site and from its section's list.
    std::fs::remove_file(&renamed).unwrap();
    until("deleted", &|| {
        get(&addr, "/architecture/reseau-v2.html").0 == 404
            && !get(&addr, section).1.contains("reseau-v2.html")
    });
    // A whole folder moved out of the knowledge base: its pages go with it.
    assert_eq!(get(&addr, "/runbooks/ceph/osd-down.html").0, 200);
    let outside = tempfile::tempdir().unwrap();
    std::fs::rename(kb.join("runbooks/ceph"), outside.path().join("ceph")).unwrap();
    until("folder moved out", &|| {
        get(&addr, "/runbooks/ceph/osd-down.html").0 == 404
    });
}

#[test]
fn a_new_review_date_reaches_the_dashboard_and_the_sitemap_in_place() {
    let (_tmp, kb) = common::copy_fixture("folder-tree");
    let toml = kb.join("vigie.toml");
    let before = std::fs::read_to_string(&toml).unwrap_or_default();
    std::fs::write(
        &toml,
        format!("base_url = \"https://docs.example.org/\"\n{before}"),
    )
    .unwrap();
    let (_guard, addr, rx) = serve(&kb);
    let page = kb.join("architecture/reseau.md");
    let reviewed =
        common::read(&page).replacen("title: Réseau\n", "title: Réseau\nreviewed: 2026-11-30\n", 1);
    std::fs::write(&page, reviewed).unwrap();
    let said = lines_until(&rx, |l| l.starts_with("updated ") || l.starts_with("built ")).join("\n");
    assert!(
        said.contains("updated "),
        "a review date is taken in place: {said}"
    );
    let sitemap = get(&addr, "/sitemap.xml").1;
    assert!(
        sitemap.contains("architecture/reseau.html</loc><lastmod>2026-11-30</lastmod>"),
        "{sitemap}"
    );
    assert!(get(&addr, "/architecture/reseau.html").1.contains("2026-11-30"));
}

#[test]
fn a_hugo_page_under_a_cascade_is_taken_in_place() {
    // What a section cascades to its pages is not in the page's file: the
    // page read again gets it from its sections, as the whole build does.
    let (_tmp, kb) = common::copy_fixture("hugo-fr");
    let section = kb.join("content/docs/_index.md");
    let cascaded = common::read(&section).replacen("cascade:\n", "cascade:\n  toc_depth: 2\n", 1);
    std::fs::write(&section, cascaded).unwrap();
    let (_guard, addr, rx) = serve(&kb);
    let page = kb.join("content/docs/premiers-pas.md");
    std::fs::write(&page, common::read(&page) + "\nUne ligne ajoutée en direct.\n").unwrap();
    let said = lines_until(&rx, |l| l.starts_with("updated ") || l.starts_with("built ")).join("\n");
    assert!(said.contains("updated docs/demarrer.html"), "{said}");
    assert!(
        get(&addr, "/docs/demarrer.html")
            .1
            .contains("Une ligne ajoutée en direct.")
    );
}

#[test]
fn a_draft_that_mkdocs_leaves_out_changes_nothing_when_saved() {
    let (_tmp, kb) = common::small_site(&[
        ("mkdocs.yml", "site_name: T\nexclude_docs: |\n  /drafts/\n"),
        ("docs/index.md", "# Accueil\n\nTexte.\n"),
        ("docs/autre.md", "# Autre\n\nTexte.\n"),
        ("docs/drafts/wip.md", "# WIP\n"),
    ]);
    let (_guard, addr, rx) = serve(&kb);
    assert_eq!(get(&addr, "/drafts/wip.html").0, 404);
    // The draft saved, then a page: only the page is taken in, no build.
    std::fs::write(kb.join("docs/drafts/wip.md"), "# WIP\n\nEncore.\n").unwrap();
    std::thread::sleep(Duration::from_millis(500));
    std::fs::write(kb.join("docs/autre.md"), "# Autre\n\nTexte modifié.\n").unwrap();
    let said = lines_until(&rx, |l| l.starts_with("updated "));
    assert!(!said.iter().any(|l| l.starts_with("built ")), "{said:?}");
    assert_eq!(
        said.last().map(|l| l.starts_with("updated autre.html")),
        Some(true),
        "{said:?}"
    );
    assert_eq!(get(&addr, "/drafts/wip.html").0, 404);
    assert!(get(&addr, "/autre.html").1.contains("Texte modifié."));
}

#[test]
fn a_saved_awesome_pages_file_reorders_the_navigation() {
    let (_tmp, kb) = common::small_site(&[
        ("mkdocs.yml", "site_name: T\nplugins:\n  - awesome-pages\n"),
        ("docs/index.md", "# Accueil\n\nTexte.\n"),
        ("docs/a.md", "# Première\n"),
        ("docs/b.md", "# Seconde\n"),
    ]);
    let (_guard, addr, rx) = serve(&kb);
    let order = |html: &str| html.find(">Première<") < html.find(">Seconde<");
    assert!(order(&get(&addr, "/").1));
    std::fs::write(kb.join("docs/.pages"), "nav:\n  - index.md\n  - b.md\n  - ...\n").unwrap();
    let said = lines_until(&rx, |l| l.starts_with("built "));
    assert!(!order(&get(&addr, "/").1), "{said:?}");
}

#[test]
fn a_saved_literate_nav_summary_reorders_the_navigation() {
    let (_tmp, kb) = common::small_site(&[
        ("mkdocs.yml", "site_name: T\nplugins:\n  - literate-nav\n"),
        (
            "docs/SUMMARY.md",
            "* [Accueil](index.md)\n* [Première](a.md)\n* [Seconde](b.md)\n",
        ),
        ("docs/index.md", "# Accueil\n\nTexte.\n"),
        ("docs/a.md", "# A\n"),
        ("docs/b.md", "# B\n"),
    ]);
    let (_guard, addr, rx) = serve(&kb);
    let order = |html: &str| html.find(">Première<") < html.find(">Seconde<");
    assert!(order(&get(&addr, "/").1));
    std::fs::write(
        kb.join("docs/SUMMARY.md"),
        "* [Accueil](index.md)\n* [Seconde](b.md)\n* [Première](a.md)\n",
    )
    .unwrap();
    let said = lines_until(&rx, |l| l.starts_with("built "));
    assert!(!order(&get(&addr, "/").1), "{said:?}");
}
