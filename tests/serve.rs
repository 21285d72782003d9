//! `vigie serve`: a live preview on loopback that rebuilds on change.

mod common;

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::process::{Command, Stdio};
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

#[test]
fn serves_rebuilds_on_change_and_stays_inside_the_site() {
    let (tmp, kb) = common::copy_fixture("folder-tree");
    std::fs::write(tmp.path().join("secret.txt"), "secret").unwrap();
    let mut child = Command::new(env!("CARGO_BIN_EXE_vigie"))
        .args(["serve", kb.to_str().unwrap(), "--port", "0"])
        .stderr(Stdio::piped())
        .spawn()
        .expect("start vigie serve");
    let stderr = child.stderr.take().unwrap();
    let _guard = Killed(child);
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
