//! `vigie check freshness --os-cloud` against a loopback OpenStack: a small
//! HTTP server in the test answering like Keystone v3 (token + service
//! catalog pointing back at itself), Nova (`flavors/detail`, `servers/detail`
//! with `updated`), Neutron (`networks` with `updated_at` / `revision_number`),
//! Cinder and Glance, with their pagination. It records every request, so the
//! tests also check that vigie only reads, and only what the pages name.

mod common;

use std::path::{Path, PathBuf};
use std::process::Output;
use std::sync::{Arc, Mutex};

use common::{build_args, check_args, command, http};
use serde_json::{Value, json};

const PASSWORD: &str = "S3cret-Pa55word!";
const APP_SECRET: &str = "app-cred-secret-7f3e9a";
const TOKEN: &str = "gAAAAABfake-keystone-token-0123456789";
const PROJECT: &str = "9f1c0e5b2d3a4c5e8f7a6b5c4d3e2f10";

/// A loopback cloud. Stops when dropped.
struct Cloud {
    _server: http::Server,
    base: String,
    /// `METHOD path` of every request.
    requests: Arc<Mutex<Vec<String>>>,
}

fn json_response(code: u16, body: Value) -> http::Response {
    http::Response::new(code, body.to_string()).header("Content-Type", "application/json")
}

fn catalog(base: &str) -> Value {
    let ep = |path: &str| {
        json!([
            {"interface": "public", "region": "RegionOne", "region_id": "RegionOne", "url": format!("{base}{path}")},
            {"interface": "internal", "region": "RegionOne", "region_id": "RegionOne", "url": format!("{base}/internal{path}")}
        ])
    };
    json!([
        {"type": "identity", "name": "keystone", "endpoints": ep("/identity")},
        {"type": "compute", "name": "nova", "endpoints": ep("/compute/v2.1")},
        {"type": "network", "name": "neutron", "endpoints": ep("/network")},
        {"type": "volumev3", "name": "cinderv3", "endpoints": ep(&format!("/volume/v3/{PROJECT}"))},
        {"type": "image", "name": "glance", "endpoints": ep("/image")}
    ])
}

fn answer(base: &str, method: &str, url: &str, token: Option<&str>, body: &str) -> (u16, Value, bool) {
    if method == "POST" && url == "/identity/v3/auth/tokens" {
        let b: Value = serde_json::from_str(body).unwrap_or(Value::Null);
        let id = &b["auth"]["identity"];
        let ok = match id["methods"][0].as_str() {
            Some("password") => {
                id["password"]["user"]["password"] == PASSWORD
                    && id["password"]["user"]["name"] == "benevole"
                    && b["auth"]["scope"]["project"]["name"] == "exploitation"
            }
            Some("application_credential") => {
                id["application_credential"]["id"] == "ac-42"
                    && id["application_credential"]["secret"] == APP_SECRET
            }
            _ => false,
        };
        if !ok {
            return (
                401,
                json!({"error": {"code": 401, "title": "Unauthorized", "message": "The request you have made requires authentication."}}),
                false,
            );
        }
        let token = json!({"token": {"methods": ["password"], "expires_at": "2099-01-01T00:00:00.000000Z",
            "project": {"id": PROJECT, "name": "exploitation", "domain": {"id": "default", "name": "Default"}},
            "catalog": catalog(base)}});
        return (201, token, true);
    }
    if token != Some(TOKEN) {
        return (
            401,
            json!({"error": {"code": 401, "message": "Authentication required"}}),
            false,
        );
    }
    let path = url.split('?').next().unwrap_or(url);
    let body = match path {
        "/compute/v2.1/flavors/detail" if url.contains("marker=") => json!({"flavors": [
            {"id": "a8", "name": "a8-ram32-disk80-perf2", "vcpus": 8, "ram": 32768, "disk": 80, "os-flavor-access:is_public": true}
        ]}),
        "/compute/v2.1/flavors/detail" => json!({
            "flavors": [
                {"id": "a1", "name": "a1-ram2-disk20-perf1", "vcpus": 1, "ram": 2048, "disk": 20, "os-flavor-access:is_public": true},
                {"id": "a2", "name": "a2-ram4-disk20-perf1", "vcpus": 2, "ram": 4096, "disk": 20, "os-flavor-access:is_public": true}
            ],
            "flavors_links": [{"rel": "next", "href": format!("{base}/compute/v2.1/flavors/detail?is_public=None&marker=a2")}]
        }),
        "/compute/v2.1/servers/detail" => json!({"servers": [
            {"id": "6f1c0a52-3b1e-4c55-9a0e-2b8f7d1e4a90", "name": "amap-lyon-web", "status": "SHUTOFF",
             "created": "2025-04-02T08:00:00Z", "updated": "2026-11-20T22:14:05Z",
             "flavor": {"original_name": "a2-ram4-disk20-perf1", "vcpus": 2}, "OS-EXT-SRV-ATTR:user_data": "I2Nsb3VkLWNvbmZpZw=="}
        ]}),
        "/network/v2.0/networks" => json!({"networks": [
            {"id": "5b0f6c3e-8a21-4f0e-9d3c-1a2b3c4d5e6f", "name": "provider-ext", "status": "ACTIVE", "mtu": 1500,
             "router:external": true, "revision_number": 4, "created_at": "2025-02-01T10:00:00Z", "updated_at": "2025-06-01T10:00:00Z"},
            {"id": "0c9d8e7f-6a5b-4c3d-2e1f-0a9b8c7d6e5f", "name": "lb-mgmt-net", "status": "ACTIVE", "mtu": 1450,
             "router:external": false, "revision_number": 5, "created_at": "2025-02-01T10:00:00Z", "updated_at": "2026-07-30T09:00:00Z"}
        ]}),
        p if p == format!("/volume/v3/{PROJECT}/volumes/detail") => json!({"volumes": [
            {"id": "9b2d7e4c-1f3a-4d8e-a6b5-0c9e8f7a6d51", "name": "wiki-data", "status": "in-use", "size": 50,
             "volume_type": "ceph-ssd", "updated_at": "2026-05-01T00:00:00.000000"}
        ]}),
        "/image/v2/images" if url.contains("marker=") => json!({"images": [
            {"id": "d12", "name": "debian-12", "status": "active", "visibility": "public"}
        ]}),
        "/image/v2/images" => json!({"images": [
            {"id": "u24", "name": "ubuntu-24.04", "status": "active", "visibility": "public"}
        ], "next": "/v2/images?marker=u24"}),
        _ => {
            return (
                404,
                json!({"itemNotFound": {"code": 404, "message": "not here"}}),
                false,
            );
        }
    };
    (200, body, false)
}

fn cloud() -> Cloud {
    let requests = Arc::new(Mutex::new(Vec::new()));
    // The server's address is known once it listens; the catalog it
    // answers names it.
    let base = Arc::new(std::sync::OnceLock::<String>::new());
    let (b, r) = (base.clone(), requests.clone());
    let server = http::Server::start(move |req| {
        let token = req.header("X-Auth-Token");
        r.lock().unwrap().push(format!("{} {}", req.method, req.url));
        let (code, value, issue) = answer(
            b.get().expect("the base is set"),
            &req.method,
            &req.url,
            token,
            &req.body_text(),
        );
        let resp = json_response(code, value);
        if issue {
            resp.header("X-Subject-Token", TOKEN)
        } else {
            resp
        }
    });
    let base_url = server.base();
    base.set(base_url.clone()).expect("set once");
    Cloud {
        _server: server,
        base: base_url,
        requests,
    }
}

const PAGE: &str = "---
title: Gabarits et réseaux
owner: equipe-openstack
reviewed: 2026-09-01
applies_to:
  - kind: flavor
    name: a2-ram4-disk20-perf1
    expect: {vcpus: 2, ram: 4G, disk: 20}
  - openstack flavor/a8-ram32-disk80-perf2
  - openstack flavor/m1.tiny
  - kind: Network
    name: provider-ext
    expect: {external: true, mtu: 1500}
  - kind: network
    name: lb-mgmt-net
    revision_number: 3
  - kind: server
    name: amap-lyon-web
    expect: {status: ACTIVE, flavor: a2-ram4-disk20-perf1}
---

```bash
openstack volume show 9b2d7e4c-1f3a-4d8e-a6b5-0c9e8f7a6d51
openstack image show debian-12
openstack image show debian-10
openstack server show <server>
```
";

/// A knowledge base with [`PAGE`] and a clouds.yaml for `base`, in a temp folder.
fn setup(base: &str, password: &str) -> (tempfile::TempDir, PathBuf, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let kb = dir.path().join("kb");
    std::fs::create_dir_all(kb.join("architecture")).unwrap();
    std::fs::write(kb.join("architecture/gabarits.md"), PAGE).unwrap();
    let clouds = dir.path().join("clouds.yaml");
    std::fs::write(
        &clouds,
        format!(
            "clouds:\n  nuage:\n    region_name: RegionOne\n    interface: public\n    auth:\n      auth_url: {base}/identity/v3\n      username: benevole\n      password: \"{password}\"\n      project_name: exploitation\n      user_domain_name: Default\n      project_domain_name: Default\n"
        ),
    )
    .unwrap();
    (dir, kb, clouds)
}

/// `vigie ARGS` with only the OpenStack settings the test gives.
fn vigie(home: &Path, env: &[(&str, &str)], args: &[&str]) -> Output {
    let mut cmd = command();
    for (k, _) in std::env::vars() {
        if k.starts_with("OS_") {
            cmd.env_remove(k);
        }
    }
    cmd.env("HOME", home).current_dir(home).args(args);
    for (k, v) in env {
        cmd.env(k, v);
    }
    cmd.output().expect("vigie runs")
}

fn text(o: &Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&o.stdout),
        String::from_utf8_lossy(&o.stderr)
    )
}

fn findings(o: &Output) -> Vec<(u64, String)> {
    let v: Value = serde_json::from_slice(&o.stdout).unwrap_or_else(|e| panic!("{e}: {}", text(o)));
    v["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            (
                f["line"].as_u64().unwrap(),
                f["rule"].as_str().unwrap().to_string(),
            )
        })
        .collect()
}

fn check(home: &Path, kb: &Path, clouds: &Path, format: &str) -> Output {
    vigie(
        home,
        &[("OS_CLIENT_CONFIG_FILE", clouds.to_str().unwrap())],
        &check_args(
            "freshness",
            kb,
            &["--os-cloud", "nuage", "--now", "2026-11-26", "--format", format],
        ),
    )
}

#[test]
fn keystone_password_then_only_the_lists_the_pages_need() {
    let cloud = cloud();
    let (dir, kb, clouds) = setup(&cloud.base, PASSWORD);
    let o = check(dir.path(), &kb, &clouds, "json");
    assert_eq!(o.status.code(), Some(1), "{}", text(&o));
    assert_eq!(
        findings(&o),
        vec![
            (10, "resource-missing".to_string()),
            (14, "changed-since-review".to_string()),
            (17, "changed-since-review".to_string()),
            (17, "resource-drift".to_string()),
            (25, "resource-missing".to_string()),
        ]
    );
    let v: Value = serde_json::from_slice(&o.stdout).unwrap();
    let msgs: Vec<&str> = v["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["message"].as_str().unwrap())
        .collect();
    assert!(
        msgs[1].contains("revision_number 5; the page was reviewed at revision_number 3"),
        "{msgs:?}"
    );
    assert!(msgs[2].contains("changed on 2026-11-20"), "{msgs:?}");
    assert!(
        msgs[3].contains("`status` is SHUTOFF on cloud nuage, the page expects ACTIVE"),
        "{msgs:?}"
    );
    assert!(msgs[4].contains("openstack image/debian-10"), "{msgs:?}");

    let requests = cloud.requests.lock().unwrap().clone();
    let paths: Vec<&str> = requests.iter().map(String::as_str).collect();
    assert_eq!(
        paths.iter().filter(|r| r.starts_with("POST ")).count(),
        1,
        "{paths:?}"
    );
    assert!(
        paths
            .iter()
            .all(|r| r.starts_with("GET ") || *r == "POST /identity/v3/auth/tokens"),
        "{paths:?}"
    );
    // both pages of flavors and images; public endpoints only; no subnets, routers or groups
    assert!(
        paths.contains(&"GET /compute/v2.1/flavors/detail?is_public=None&marker=a2"),
        "{paths:?}"
    );
    assert!(paths.contains(&"GET /image/v2/images?marker=u24"), "{paths:?}");
    assert!(!paths.iter().any(|r| r.contains("/internal/")), "{paths:?}");
    assert!(
        !paths
            .iter()
            .any(|r| r.contains("subnets") || r.contains("routers") || r.contains("security-groups")),
        "{paths:?}"
    );
    assert_eq!(paths.iter().filter(|r| r.contains("/servers/detail")).count(), 1);
}

#[test]
fn application_credentials_from_os_variables() {
    let cloud = cloud();
    let (dir, kb, clouds) = setup(&cloud.base, PASSWORD);
    std::fs::remove_file(clouds).unwrap();
    let auth_url = format!("{}/identity", cloud.base);
    let o = vigie(
        dir.path(),
        &[
            ("OS_AUTH_URL", &auth_url),
            ("OS_AUTH_TYPE", "v3applicationcredential"),
            ("OS_APPLICATION_CREDENTIAL_ID", "ac-42"),
            ("OS_APPLICATION_CREDENTIAL_SECRET", APP_SECRET),
            ("OS_REGION_NAME", "RegionOne"),
        ],
        &check_args(
            "freshness",
            &kb,
            &["--os-cloud", "nuage", "--now", "2026-11-26", "--format", "json"],
        ),
    );
    assert_eq!(o.status.code(), Some(1), "{}", text(&o));
    assert_eq!(findings(&o).len(), 5, "{}", text(&o));
    assert!(!text(&o).contains(APP_SECRET));
}

#[test]
fn bad_credentials_and_unreachable_keystone_are_exit_2() {
    let cloud = cloud();
    let (dir, kb, clouds) = setup(&cloud.base, "not-the-password-123");
    let o = check(dir.path(), &kb, &clouds, "text");
    assert_eq!(o.status.code(), Some(2), "{}", text(&o));
    assert!(text(&o).contains("refused the credentials (401)"), "{}", text(&o));
    assert!(!text(&o).contains("not-the-password-123"), "{}", text(&o));
    assert_eq!(
        cloud.requests.lock().unwrap().len(),
        1,
        "nothing is listed without a token"
    );

    let (dir, kb, clouds) = setup("http://127.0.0.1:9", PASSWORD);
    let o = check(dir.path(), &kb, &clouds, "text");
    assert_eq!(o.status.code(), Some(2), "{}", text(&o));
    assert!(
        text(&o).contains("cannot reach Keystone at http://127.0.0.1:9/identity/v3/auth/tokens"),
        "{}",
        text(&o)
    );

    let o = vigie(
        dir.path(),
        &[("OS_CLIENT_CONFIG_FILE", clouds.to_str().unwrap())],
        &check_args("freshness", &kb, &["--os-cloud", "elsewhere"]),
    );
    assert_eq!(o.status.code(), Some(2));
    assert!(text(&o).contains("no cloud `elsewhere`"), "{}", text(&o));
}

/// Every file under `dir`, as text.
fn all_files(dir: &Path) -> Vec<(PathBuf, String)> {
    let mut out = Vec::new();
    for entry in std::fs::read_dir(dir).unwrap().flatten() {
        let p = entry.path();
        if p.is_dir() {
            out.extend(all_files(&p));
        } else {
            out.push((
                p.clone(),
                String::from_utf8_lossy(&std::fs::read(&p).unwrap()).to_string(),
            ));
        }
    }
    out
}

#[test]
fn passwords_and_tokens_appear_in_no_output_no_snapshot_and_no_page() {
    let cloud = cloud();
    let (dir, kb, clouds) = setup(&cloud.base, PASSWORD);
    let env = [("OS_CLIENT_CONFIG_FILE", clouds.to_str().unwrap())];
    let mut outputs = Vec::new();
    for format in ["text", "json", "github", "junit"] {
        outputs.push(check(dir.path(), &kb, &clouds, format));
    }
    let site = dir.path().join("site");
    outputs.push(vigie(
        dir.path(),
        &env,
        &build_args(&kb, &site, &["--os-cloud", "nuage"]),
    ));
    let dump = dir.path().join("state.json");
    outputs.push(vigie(
        dir.path(),
        &env,
        &[
            "state",
            "dump",
            "--root",
            kb.to_str().unwrap(),
            "--os-cloud",
            "nuage",
            "-o",
            dump.to_str().unwrap(),
        ],
    ));
    assert_eq!(outputs[4].status.code(), Some(0), "{}", text(&outputs[4]));
    assert_eq!(outputs[5].status.code(), Some(0), "{}", text(&outputs[5]));
    for o in &outputs {
        let t = text(o);
        assert!(!t.contains(PASSWORD) && !t.contains(TOKEN), "{t}");
    }
    let mut files = all_files(&site);
    assert!(files.len() > 3, "the site was built");
    files.push((dump.clone(), std::fs::read_to_string(&dump).unwrap()));
    for (path, content) in &files {
        assert!(!content.contains(PASSWORD), "password in {}", path.display());
        assert!(!content.contains(TOKEN), "token in {}", path.display());
        assert!(
            !content.contains("I2Nsb3VkLWNvbmZpZw"),
            "user data in {}",
            path.display()
        );
    }
    // the snapshot answers like the cloud did
    let o = vigie(
        dir.path(),
        &[],
        &check_args(
            "freshness",
            &kb,
            &[
                "--state",
                dump.to_str().unwrap(),
                "--now",
                "2026-11-26",
                "--format",
                "json",
            ],
        ),
    );
    assert_eq!(findings(&o), findings(&outputs[1]));
    let page = std::fs::read_to_string(site.join("architecture/gabarits.html")).unwrap();
    assert!(page.contains("badge fresh-contradicted"));
}
