//! Live OpenStack: Keystone v3 (password or application credential) from a
//! `clouds.yaml` entry (with `secure.yaml`) or the `OS_*` variables, then
//! read-only lists through the service catalog: Nova flavors and servers,
//! Neutron networks, subnets, routers and security groups, Cinder volumes,
//! Glance images — only the kinds the pages name, one paginated list each.
//!
//! The token, password and application-credential secret go to the redactor
//! before anything can fail, so no message ever shows them.

use std::path::{Path, PathBuf};
use std::time::Duration;

use serde_json::{Value, json};

use super::{Redactor, block_on};
use crate::error::Result;
use crate::freshness::resource::Platform;
use crate::freshness::state::{Listing, Query, StateSource};

/// One cloud (project scope), authenticated.
pub struct OpenStackSource {
    name: String,
    cloud: String,
    token: String,
    catalog: Vec<Value>,
    interface: String,
    region: Option<String>,
    all_projects: bool,
    http: reqwest::Client,
    rt: tokio::runtime::Runtime,
    redactor: Redactor,
}

/// What authenticating needs, from clouds.yaml or the environment.
#[derive(Debug, Default, Clone)]
struct Auth {
    auth_url: String,
    username: Option<String>,
    user_id: Option<String>,
    password: Option<String>,
    user_domain: Option<String>,
    user_domain_id: Option<String>,
    project_name: Option<String>,
    project_id: Option<String>,
    project_domain: Option<String>,
    project_domain_id: Option<String>,
    app_cred_id: Option<String>,
    app_cred_name: Option<String>,
    app_cred_secret: Option<String>,
    region: Option<String>,
    interface: Option<String>,
    verify: bool,
    cacert: Option<PathBuf>,
}

impl OpenStackSource {
    /// Finds `entry` in clouds.yaml (else the `OS_*` variables) and gets a token.
    pub fn connect(
        entry: &str,
        cloud: &str,
        all_projects: bool,
        root: &Path,
        redactor: &Redactor,
    ) -> Result<OpenStackSource> {
        let auth = find_auth(entry, root).map_err(|m| redactor.error(m))?;
        for s in [&auth.password, &auth.app_cred_secret].into_iter().flatten() {
            redactor.add(s);
        }
        // A handful of lists, run in parallel: no idle connection is kept open, since
        // some API servers (eventlet workers, small embedded servers) hold a worker
        // per open connection and would starve the next list.
        let mut builder = reqwest::Client::builder()
            .pool_max_idle_per_host(0)
            .connect_timeout(Duration::from_secs(10))
            .timeout(Duration::from_secs(60))
            .user_agent(concat!("vigie/", env!("CARGO_PKG_VERSION")));
        if !auth.verify {
            builder = builder.danger_accept_invalid_certs(true);
        }
        if let Some(ca) = &auth.cacert {
            let pem =
                std::fs::read(ca).map_err(|e| redactor.error(format!("cacert {}: {e}", ca.display())))?;
            for cert in reqwest::Certificate::from_pem_bundle(&pem)
                .map_err(|e| redactor.error(format!("cacert {}: {e}", ca.display())))?
            {
                builder = builder.add_root_certificate(cert);
            }
        }
        let http = builder
            .build()
            .map_err(|e| redactor.error(format!("cannot start the HTTP client: {e}")))?;
        let rt = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(2)
            .enable_all()
            .build()
            .map_err(|e| redactor.error(format!("cannot start the OpenStack client: {e}")))?;
        let url = token_url(&auth.auth_url);
        let body = auth_body(&auth);
        let client = http.clone();
        let (token, catalog) = block_on(&rt, async move {
            let resp = client
                .post(&url)
                .json(&body)
                .send()
                .await
                .map_err(|e| format!("cannot reach Keystone at {url}: {}", chain(&e)))?;
            let status = resp.status();
            let token = resp
                .headers()
                .get("x-subject-token")
                .and_then(|v| v.to_str().ok())
                .map(String::from);
            let text = resp.text().await.unwrap_or_default();
            if status.as_u16() == 401 {
                return Err(format!(
                    "Keystone at {url} refused the credentials (401): check the user, password or application credential"
                ));
            }
            if !status.is_success() {
                return Err(format!("Keystone at {url} answered {status}: {}", api_message(&text)));
            }
            let token = token.ok_or_else(|| format!("Keystone at {url} gave no X-Subject-Token"))?;
            let v: Value = serde_json::from_str(&text).map_err(|e| format!("Keystone at {url}: bad JSON: {e}"))?;
            let catalog = v
                .pointer("/token/catalog")
                .and_then(Value::as_array)
                .cloned()
                .ok_or_else(|| {
                    format!("Keystone at {url} gave a token without a service catalog: scope the credentials to a project")
                })?;
            Ok((token, catalog))
        })
        .map_err(|m| redactor.error(format!("OpenStack cloud {cloud} (`{entry}`): {m}")))?;
        redactor.add(&token);
        Ok(OpenStackSource {
            name: format!("openstack cloud {cloud} (`{entry}`, {})", auth.auth_url),
            cloud: cloud.to_string(),
            token,
            catalog,
            interface: auth.interface.clone().unwrap_or_else(|| "public".into()),
            region: auth.region.clone(),
            all_projects,
            http,
            rt,
            redactor: redactor.clone(),
        })
    }

    /// The catalog URL of the first of `types` for our interface and region.
    fn endpoint(&self, types: &[&str]) -> Option<String> {
        for t in types {
            for svc in &self.catalog {
                if svc.get("type").and_then(Value::as_str) != Some(t) {
                    continue;
                }
                for ep in svc
                    .get("endpoints")
                    .and_then(Value::as_array)
                    .into_iter()
                    .flatten()
                {
                    let iface = ep.get("interface").and_then(Value::as_str).unwrap_or("public");
                    let region_ok = self.region.as_deref().is_none_or(|r| {
                        ep.get("region_id").and_then(Value::as_str) == Some(r)
                            || ep.get("region").and_then(Value::as_str) == Some(r)
                    });
                    if iface == self.interface
                        && region_ok
                        && let Some(url) = ep.get("url").and_then(Value::as_str)
                    {
                        return Some(url.trim_end_matches('/').to_string());
                    }
                }
            }
        }
        None
    }
}

/// Where each kind is listed: (service types, path, body key).
fn route(kind: &str) -> Option<(&'static [&'static str], &'static str, &'static str)> {
    Some(match kind {
        "flavor" => (&["compute"], "/flavors/detail?is_public=None", "flavors"),
        "server" => (&["compute"], "/servers/detail", "servers"),
        "network" => (&["network"], "/v2.0/networks", "networks"),
        "subnet" => (&["network"], "/v2.0/subnets", "subnets"),
        "router" => (&["network"], "/v2.0/routers", "routers"),
        "security_group" => (&["network"], "/v2.0/security-groups", "security_groups"),
        "volume" => (
            &["block-storage", "volumev3", "volumev2", "volume"],
            "/volumes/detail",
            "volumes",
        ),
        "image" => (&["image"], "/v2/images", "images"),
        _ => return None,
    })
}

impl StateSource for OpenStackSource {
    fn name(&self) -> &str {
        &self.name
    }

    fn platform(&self) -> Platform {
        Platform::OpenStack
    }

    fn scope(&self) -> &str {
        &self.cloud
    }

    fn list(&self, queries: &[Query]) -> Result<Vec<Listing>> {
        let mut jobs = Vec::new();
        for q in queries {
            let Some((types, path, key)) = route(&q.kind) else {
                continue;
            };
            let base = self.endpoint(types).ok_or_else(|| {
                self.redactor.error(format!(
                    "OpenStack cloud {}: no {} endpoint ({} interface{}) in the service catalog",
                    self.cloud,
                    types[0],
                    self.interface,
                    self.region
                        .as_ref()
                        .map(|r| format!(", region {r}"))
                        .unwrap_or_default()
                ))
            })?;
            // Neutron and Glance catalog URLs usually stop before the version.
            let mut path = path.to_string();
            for v in ["/v2.0", "/v2"] {
                if base.ends_with(v) && path.starts_with(v) {
                    path = path[v.len()..].to_string();
                }
            }
            if self.all_projects && matches!(key, "servers" | "volumes") {
                path.push_str("?all_tenants=1");
            }
            jobs.push((q.kind.clone(), base, path, key));
        }
        let http = self.http.clone();
        let token = self.token.clone();
        let result = block_on(&self.rt, async move {
            let mut set = tokio::task::JoinSet::new();
            for (kind, base, path, key) in jobs {
                let http = http.clone();
                let token = token.clone();
                set.spawn(async move {
                    let items = fetch_all(&http, &token, &base, &path, key).await?;
                    Ok::<_, String>(Listing {
                        api_kind: Some(kind.clone()),
                        kind,
                        api_version: None,
                        namespace: None,
                        served: true,
                        items: items.into_iter().map(sanitize_openstack).collect(),
                    })
                });
            }
            let mut out = Vec::new();
            while let Some(done) = set.join_next().await {
                out.push(done.map_err(|e| e.to_string())??);
            }
            Ok::<_, String>(out)
        });
        result.map_err(|m| {
            self.redactor
                .error(format!("OpenStack cloud {}: {m}", self.cloud))
        })
    }
}

/// Follows `*_links` (Nova, Neutron, Cinder) and `next` (Glance) pagination.
async fn fetch_all(
    http: &reqwest::Client,
    token: &str,
    base: &str,
    path: &str,
    key: &str,
) -> Result<Vec<Value>, String> {
    let mut url = format!("{base}{path}");
    let mut items = Vec::new();
    let mut seen = std::collections::HashSet::new();
    let mut compute_version = Some("compute 2.47");
    loop {
        if !seen.insert(url.clone()) || seen.len() > 1000 {
            break;
        }
        let mut req = http
            .get(&url)
            .header("X-Auth-Token", token)
            .header("Accept", "application/json");
        if let Some(v) = compute_version.filter(|_| key == "flavors" || key == "servers") {
            req = req.header("OpenStack-API-Version", v);
        }
        let resp = req
            .send()
            .await
            .map_err(|e| format!("GET {url}: {}", chain(&e)))?;
        let status = resp.status();
        let text = resp.text().await.unwrap_or_default();
        if status.as_u16() == 406 && compute_version.is_some() {
            // a Nova older than microversion 2.47: ask again in 2.1
            compute_version = None;
            seen.remove(&url);
            continue;
        }
        if status.as_u16() == 401 {
            return Err(format!("GET {url}: the token was refused (401)"));
        }
        if status.as_u16() == 403 {
            return Err(format!(
                "GET {url}: forbidden (403): {}. The credentials need a reader role on the project",
                api_message(&text)
            ));
        }
        if !status.is_success() {
            return Err(format!("GET {url}: {status}: {}", api_message(&text)));
        }
        let v: Value = serde_json::from_str(&text).map_err(|e| format!("GET {url}: bad JSON: {e}"))?;
        let page = v.get(key).and_then(Value::as_array).cloned().unwrap_or_default();
        let empty = page.is_empty();
        items.extend(page);
        let next = v
            .get(format!("{key}_links"))
            .and_then(Value::as_array)
            .and_then(|links| {
                links
                    .iter()
                    .find(|l| l.get("rel").and_then(Value::as_str) == Some("next"))
                    .and_then(|l| l.get("href").and_then(Value::as_str))
                    .map(String::from)
            })
            .or_else(|| {
                v.get("next").and_then(Value::as_str).map(|n| {
                    if n.starts_with("http") {
                        n.to_string()
                    } else {
                        let root = base.trim_end_matches("/v2");
                        format!("{root}{n}")
                    }
                })
            });
        match next {
            Some(n) if !empty => url = n,
            _ => break,
        }
    }
    Ok(items)
}

/// Drops what an API body may carry that is nobody's business in a report:
/// user data and admin passwords.
fn sanitize_openstack(mut v: Value) -> Value {
    if let Some(o) = v.as_object_mut() {
        o.remove("OS-EXT-SRV-ATTR:user_data");
        o.remove("adminPass");
    }
    v
}

fn api_message(body: &str) -> String {
    let v: Value = serde_json::from_str(body).unwrap_or(Value::Null);
    let found = v
        .as_object()
        .and_then(|o| o.values().find_map(|e| e.get("message").and_then(Value::as_str)))
        .or_else(|| v.pointer("/error/message").and_then(Value::as_str))
        .or_else(|| {
            v.get("NeutronError")
                .and_then(|e| e.get("message"))
                .and_then(Value::as_str)
        });
    match found {
        Some(m) => m.to_string(),
        None => body.chars().take(200).collect(),
    }
}

fn chain(e: &dyn std::error::Error) -> String {
    let mut m = e.to_string();
    let mut src = e.source();
    while let Some(s) = src {
        m.push_str(&format!(": {s}"));
        src = s.source();
    }
    m
}

fn token_url(auth_url: &str) -> String {
    let base = auth_url.trim_end_matches('/');
    if base.ends_with("/v3") {
        format!("{base}/auth/tokens")
    } else {
        format!("{base}/v3/auth/tokens")
    }
}

fn auth_body(a: &Auth) -> Value {
    let domain = |name: &Option<String>, id: &Option<String>| match (id, name) {
        (Some(id), _) => json!({"id": id}),
        (None, Some(n)) => json!({"name": n}),
        (None, None) => json!({"id": "default"}),
    };
    let user = |a: &Auth| match (&a.user_id, &a.username) {
        (Some(id), _) => json!({"id": id}),
        (None, name) => json!({"name": name, "domain": domain(&a.user_domain, &a.user_domain_id)}),
    };
    if a.app_cred_secret.is_some() {
        let mut cred = json!({"secret": a.app_cred_secret});
        match (&a.app_cred_id, &a.app_cred_name) {
            (Some(id), _) => cred["id"] = json!(id),
            (None, name) => {
                cred["name"] = json!(name);
                cred["user"] = user(a);
            }
        }
        return json!({"auth": {"identity": {"methods": ["application_credential"], "application_credential": cred}}});
    }
    let mut pw = user(a);
    pw["password"] = json!(a.password);
    let mut body = json!({"auth": {"identity": {"methods": ["password"], "password": {"user": pw}}}});
    let project = match (&a.project_id, &a.project_name) {
        (Some(id), _) => Some(json!({"id": id})),
        (None, Some(n)) => {
            Some(json!({"name": n, "domain": domain(&a.project_domain, &a.project_domain_id)}))
        }
        _ => None,
    };
    if let Some(p) = project {
        body["auth"]["scope"] = json!({ "project": p });
    }
    body
}

/// clouds.yaml locations, as the OpenStack client looks for them.
fn config_files(name: &str, var: &str) -> Vec<PathBuf> {
    let mut out = Vec::new();
    if let Some(p) = std::env::var_os(var) {
        out.push(PathBuf::from(p));
    }
    out.push(PathBuf::from(name));
    if let Some(h) = std::env::var_os("HOME") {
        out.push(Path::new(&h).join(".config/openstack").join(name));
    }
    out.push(Path::new("/etc/openstack").join(name));
    out
}

fn find_auth(entry: &str, _root: &Path) -> Result<Auth, String> {
    let read = |files: Vec<PathBuf>| -> Result<Option<(PathBuf, Value)>, String> {
        for f in files {
            if f.is_file() {
                let text = std::fs::read_to_string(&f).map_err(|e| format!("{}: {e}", f.display()))?;
                let v: Value = serde_saphyr::from_str(&text).map_err(|e| {
                    let (line, said) = crate::error::yaml_problem(&e.to_string());
                    format!("{}:{}: invalid YAML: {said}", f.display(), line.unwrap_or(1))
                })?;
                return Ok(Some((f, v)));
            }
        }
        Ok(None)
    };
    let clouds = read(config_files("clouds.yaml", "OS_CLIENT_CONFIG_FILE"))?;
    let secure = read(config_files("secure.yaml", "OS_CLIENT_SECURE_FILE"))?;
    if let Some((path, v)) = &clouds
        && let Some(c) = v.pointer(&format!("/clouds/{entry}"))
    {
        let mut c = c.clone();
        if let Some(s) = secure
            .as_ref()
            .and_then(|(_, s)| s.pointer(&format!("/clouds/{entry}")))
        {
            merge(&mut c, s);
        }
        return from_cloud(&c).map_err(|m| format!("{}: cloud `{entry}`: {m}", path.display()));
    }
    if std::env::var_os("OS_AUTH_URL").is_some() {
        return from_env();
    }
    let looked: Vec<String> = config_files("clouds.yaml", "OS_CLIENT_CONFIG_FILE")
        .iter()
        .map(|p| p.display().to_string())
        .collect();
    Err(match clouds {
        Some((path, _)) => format!(
            "no cloud `{entry}` in {} (and no OS_AUTH_URL in the environment)",
            path.display()
        ),
        None => format!(
            "no clouds.yaml (looked in {}) and no OS_AUTH_URL in the environment",
            looked.join(", ")
        ),
    })
}

fn merge(into: &mut Value, from: &Value) {
    match (into, from) {
        (Value::Object(a), Value::Object(b)) => {
            for (k, v) in b {
                merge(a.entry(k.clone()).or_insert(Value::Null), v);
            }
        }
        (slot, v) => *slot = v.clone(),
    }
}

fn from_cloud(c: &Value) -> Result<Auth, String> {
    let auth = c.get("auth").cloned().unwrap_or(Value::Null);
    let s = |v: &Value, k: &str| v.get(k).and_then(Value::as_str).map(String::from);
    let a = Auth {
        auth_url: s(&auth, "auth_url").ok_or("`auth.auth_url` is missing")?,
        username: s(&auth, "username"),
        user_id: s(&auth, "user_id"),
        password: s(&auth, "password"),
        user_domain: s(&auth, "user_domain_name").or(s(&auth, "domain_name")),
        user_domain_id: s(&auth, "user_domain_id").or(s(&auth, "domain_id")),
        project_name: s(&auth, "project_name").or(s(&auth, "tenant_name")),
        project_id: s(&auth, "project_id").or(s(&auth, "tenant_id")),
        project_domain: s(&auth, "project_domain_name").or(s(&auth, "domain_name")),
        project_domain_id: s(&auth, "project_domain_id").or(s(&auth, "domain_id")),
        app_cred_id: s(&auth, "application_credential_id"),
        app_cred_name: s(&auth, "application_credential_name"),
        app_cred_secret: s(&auth, "application_credential_secret"),
        region: s(c, "region_name"),
        interface: s(c, "interface").or(s(c, "endpoint_type")),
        verify: c.get("verify").and_then(Value::as_bool).unwrap_or(true),
        cacert: s(c, "cacert").map(PathBuf::from),
    };
    check(a)
}

fn from_env() -> Result<Auth, String> {
    let e = |k: &str| std::env::var(k).ok().filter(|v| !v.is_empty());
    check(Auth {
        auth_url: e("OS_AUTH_URL").unwrap_or_default(),
        username: e("OS_USERNAME"),
        user_id: e("OS_USER_ID"),
        password: e("OS_PASSWORD"),
        user_domain: e("OS_USER_DOMAIN_NAME"),
        user_domain_id: e("OS_USER_DOMAIN_ID"),
        project_name: e("OS_PROJECT_NAME").or(e("OS_TENANT_NAME")),
        project_id: e("OS_PROJECT_ID").or(e("OS_TENANT_ID")),
        project_domain: e("OS_PROJECT_DOMAIN_NAME"),
        project_domain_id: e("OS_PROJECT_DOMAIN_ID"),
        app_cred_id: e("OS_APPLICATION_CREDENTIAL_ID"),
        app_cred_name: e("OS_APPLICATION_CREDENTIAL_NAME"),
        app_cred_secret: e("OS_APPLICATION_CREDENTIAL_SECRET"),
        region: e("OS_REGION_NAME"),
        interface: e("OS_INTERFACE")
            .or(e("OS_ENDPOINT_TYPE"))
            .map(|i| i.trim_end_matches("URL").to_string()),
        verify: e("OS_INSECURE").is_none_or(|v| v != "true" && v != "1"),
        cacert: e("OS_CACERT").map(PathBuf::from),
    })
}

fn check(a: Auth) -> Result<Auth, String> {
    if a.app_cred_secret.is_some() {
        if a.app_cred_id.is_none()
            && (a.app_cred_name.is_none() || (a.username.is_none() && a.user_id.is_none()))
        {
            return Err("an application credential needs its id (or its name and the user)".into());
        }
    } else if a.password.is_none() || (a.username.is_none() && a.user_id.is_none()) {
        return Err("needs a username and password, or an application credential (id and secret)".into());
    }
    Ok(a)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keystone_bodies() {
        let pw = from_cloud(
            &json!({"auth": {"auth_url": "https://k/v3", "username": "u", "password": "p",
            "project_name": "ops", "user_domain_name": "Default", "project_domain_name": "Default"}}),
        )
        .unwrap();
        let b = auth_body(&pw);
        assert_eq!(b["auth"]["identity"]["password"]["user"]["name"], "u");
        assert_eq!(b["auth"]["scope"]["project"]["name"], "ops");
        assert_eq!(token_url(&pw.auth_url), "https://k/v3/auth/tokens");
        let ac = from_cloud(
            &json!({"auth_type": "v3applicationcredential", "auth": {"auth_url": "https://k:5000",
            "application_credential_id": "id1", "application_credential_secret": "s"}}),
        )
        .unwrap();
        let b = auth_body(&ac);
        assert_eq!(b["auth"]["identity"]["methods"][0], "application_credential");
        assert_eq!(b["auth"]["identity"]["application_credential"]["id"], "id1");
        assert_eq!(token_url(&ac.auth_url), "https://k:5000/v3/auth/tokens");
        assert!(from_cloud(&json!({"auth": {"auth_url": "x", "username": "u"}})).is_err());
    }
}
