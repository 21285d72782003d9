//! Expectations of a claim (`expect: {replicas: 3, image: …}`) against an
//! observed object. Field names are the ones people write; each maps to where
//! the platform keeps it (`image` → every container image of the pod template,
//! `external` → Neutron's `router:external`, `ram` → Nova's MiB, with units
//! accepted: `4G`, `4096`). Unknown fields are looked up as paths (`spec.x.y`)
//! and then under `spec`, `status` and at the top of the object.

use serde_json::{Map, Value};

use super::resource::Platform;

/// One field that differs.
#[derive(Debug, Clone, PartialEq)]
pub struct Mismatch {
    pub field: String,
    pub expected: String,
    pub actual: String,
}

/// Fields of `expect` that pin a version instead of describing the object:
/// read by `changed-since-review`, not compared here.
pub const PINS: &[&str] = &["generation", "revision_number"];

/// Every expectation of `expect` that `obj` does not meet.
pub fn check(platform: Platform, kind: &str, obj: &Value, expect: &Map<String, Value>) -> Vec<Mismatch> {
    let mut out = Vec::new();
    for (field, expected) in expect {
        if PINS.contains(&field.as_str()) {
            continue;
        }
        let actual = match platform {
            Platform::Kubernetes => kube_field(kind, obj, field),
            Platform::OpenStack => openstack_field(kind, obj, field),
        };
        let ok = match field.as_str() {
            "image" if platform == Platform::Kubernetes => expected
                .as_str()
                .is_some_and(|e| images(&actual).iter().any(|i| same_image(e, i))),
            "images" if platform == Platform::Kubernetes => expected.as_array().is_some_and(|list| {
                list.iter().all(|e| {
                    e.as_str()
                        .is_some_and(|e| images(&actual).iter().any(|i| same_image(e, i)))
                })
            }),
            "ram" if platform == Platform::OpenStack => same_quantity(expected, &actual, Unit::MiB),
            "disk" | "size" if platform == Platform::OpenStack => same_quantity(expected, &actual, Unit::GiB),
            f => same(expected, &actual, f.contains("status") || f == "phase"),
        };
        if !ok {
            out.push(Mismatch {
                field: field.clone(),
                expected: show(expected),
                actual: show(&actual),
            });
        }
    }
    out
}

fn ptr<'a>(v: &'a Value, p: &str) -> Option<&'a Value> {
    v.pointer(p).filter(|x| !x.is_null())
}

fn kube_field(kind: &str, obj: &Value, field: &str) -> Value {
    let got = |p: &str| ptr(obj, p).cloned();
    let found = match field {
        "replicas" => got("/spec/replicas").or_else(|| {
            (matches!(kind, "deployment" | "statefulset" | "replicaset") && obj.get("spec").is_some())
                .then(|| Value::from(1))
        }),
        "image" | "images" => Some(Value::Array(
            container_images(obj).into_iter().map(Value::String).collect(),
        )),
        "labels" => got("/metadata/labels"),
        "annotations" => got("/metadata/annotations"),
        "storage" => got("/spec/resources/requests/storage").or_else(|| got("/spec/capacity/storage")),
        "storage_class" | "storageClass" | "storageClassName" => got("/spec/storageClassName"),
        "phase" => got("/status/phase"),
        "status" if kind == "helmrelease" => got("/status"),
        "version" if kind == "helmrelease" => got("/version"),
        f if f.contains('.') => got(&format!("/{}", f.replace('.', "/"))),
        f => got(&format!("/spec/{f}"))
            .or_else(|| got(&format!("/status/{f}")))
            .or_else(|| got(&format!("/{f}")))
            .or_else(|| got(&format!("/metadata/{f}"))),
    };
    found.unwrap_or(Value::Null)
}

/// Images of every container of the object's pods (Deployment, StatefulSet,
/// DaemonSet, Job, CronJob, Pod).
fn container_images(obj: &Value) -> Vec<String> {
    let mut out = Vec::new();
    for spec in [
        "/spec/template/spec",
        "/spec/jobTemplate/spec/template/spec",
        "/spec",
    ] {
        for list in ["containers", "initContainers"] {
            if let Some(cs) = obj.pointer(&format!("{spec}/{list}")).and_then(Value::as_array) {
                out.extend(
                    cs.iter()
                        .filter_map(|c| c.get("image")?.as_str().map(String::from)),
                );
            }
        }
        if !out.is_empty() {
            break;
        }
    }
    out
}

fn images(v: &Value) -> Vec<&str> {
    v.as_array()
        .map(|a| a.iter().filter_map(Value::as_str).collect())
        .unwrap_or_default()
}

/// `rook/ceph:v1.15` matches `docker.io/rook/ceph:v1.15`; a name without tag matches every tag.
fn same_image(expected: &str, actual: &str) -> bool {
    fn norm(s: &str) -> &str {
        let s = s.strip_prefix("docker.io/").unwrap_or(s);
        s.strip_prefix("library/").unwrap_or(s)
    }
    let (e, a) = (norm(expected), norm(actual));
    if e == a {
        return true;
    }
    let tagged = e.contains('@') || e.rsplit('/').next().is_some_and(|last| last.contains(':'));
    if tagged {
        return false;
    }
    let repo = a.split('@').next().unwrap_or(a);
    let repo = match repo.rsplit_once(':') {
        Some((r, tag)) if !tag.contains('/') => r,
        _ => repo,
    };
    repo == e
}

fn openstack_field(kind: &str, obj: &Value, field: &str) -> Value {
    let got = |k: &str| ptr(obj, &format!("/{}", k.replace('/', "~1"))).cloned();
    let alias: &[&str] = match (kind, field) {
        ("flavor", "public" | "is_public") => &["os-flavor-access:is_public", "is_public"],
        ("flavor", "ephemeral") => &["OS-FLV-EXT-DATA:ephemeral", "ephemeral"],
        ("flavor", "properties" | "extra_specs") => &["extra_specs", "properties"],
        ("network", "external") => &["router:external", "external"],
        ("network", "network_type") => &["provider:network_type"],
        ("network", "physical_network") => &["provider:physical_network"],
        ("network", "segmentation_id") => &["provider:segmentation_id"],
        ("server", "host") => &["OS-EXT-SRV-ATTR:host"],
        ("server", "availability_zone") => &["OS-EXT-AZ:availability_zone"],
        ("volume", "type") => &["volume_type"],
        ("subnet", "gateway") => &["gateway_ip"],
        ("subnet", "dhcp") => &["enable_dhcp"],
        _ => &[],
    };
    for k in alias.iter().copied().chain([field]) {
        if let Some(v) = got(k) {
            if kind == "server"
                && matches!(field, "flavor" | "image")
                && let Value::Object(m) = &v
            {
                // Nova ≥ 2.47 names the flavor; older ones and images give an id.
                return m
                    .get("original_name")
                    .or_else(|| m.get("id"))
                    .cloned()
                    .unwrap_or(Value::Null);
            }
            if kind == "router" && field == "external_network" {
                return ptr(&v, "/network_id").cloned().unwrap_or(Value::Null);
            }
            return v;
        }
    }
    if kind == "router" && field == "external_network" {
        return ptr(obj, "/external_gateway_info/network_id")
            .cloned()
            .unwrap_or(Value::Null);
    }
    Value::Null
}

#[derive(Clone, Copy)]
enum Unit {
    MiB,
    GiB,
}

/// `4G`, `4GB`, `4GiB`, `4096M`, `4096` (already in the unit) → number in `unit`.
fn quantity(v: &Value, unit: Unit) -> Option<f64> {
    match v {
        Value::Number(n) => n.as_f64(),
        Value::String(s) => {
            let s = s.trim();
            let split = s
                .find(|c: char| !(c.is_ascii_digit() || c == '.'))
                .unwrap_or(s.len());
            let n: f64 = s[..split].parse().ok()?;
            let suffix = s[split..].trim().to_ascii_lowercase();
            let mib = match suffix.trim_end_matches('b').trim_end_matches('i') {
                "" => return Some(n),
                "m" => n,
                "g" => n * 1024.0,
                "t" => n * 1024.0 * 1024.0,
                _ => return None,
            };
            Some(match unit {
                Unit::MiB => mib,
                Unit::GiB => mib / 1024.0,
            })
        }
        _ => None,
    }
}

fn same_quantity(expected: &Value, actual: &Value, unit: Unit) -> bool {
    match (quantity(expected, unit), quantity(actual, unit)) {
        (Some(e), Some(a)) => (e - a).abs() < 1e-9,
        _ => same(expected, actual, false),
    }
}

/// Loose equality: `3` = `"3"`, `true` = `"True"`, a table is a subset, a list
/// is contained in the actual one.
fn same(expected: &Value, actual: &Value, ignore_case: bool) -> bool {
    match (expected, actual) {
        (Value::Null, a) => a.is_null(),
        (Value::Object(e), Value::Object(a)) => e
            .iter()
            .all(|(k, ev)| same(ev, a.get(k).unwrap_or(&Value::Null), ignore_case)),
        (Value::Array(e), Value::Array(a)) => e.iter().all(|ev| a.iter().any(|av| same(ev, av, ignore_case))),
        (Value::Number(e), Value::Number(a)) => e.as_f64() == a.as_f64(),
        (Value::Number(e), Value::String(a)) | (Value::String(a), Value::Number(e)) => {
            a.trim().parse::<f64>().ok() == e.as_f64()
        }
        (Value::Bool(e), Value::String(a)) | (Value::String(a), Value::Bool(e)) => {
            a.trim().eq_ignore_ascii_case(if *e { "true" } else { "false" })
        }
        (Value::Bool(e), Value::Bool(a)) => e == a,
        (Value::String(e), Value::String(a)) => e == a || (ignore_case && e.eq_ignore_ascii_case(a)),
        _ => false,
    }
}

/// A value for a message: strings bare, lists joined, `(not set)` for nothing.
pub fn show(v: &Value) -> String {
    match v {
        Value::Null => "(not set)".into(),
        Value::String(s) => s.clone(),
        Value::Array(a) if a.iter().all(|x| x.is_string()) => {
            a.iter().filter_map(Value::as_str).collect::<Vec<_>>().join(", ")
        }
        other => other.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn exp(v: Value) -> Map<String, Value> {
        v.as_object().unwrap().clone()
    }

    #[test]
    fn kubernetes_expectations() {
        let d = json!({"metadata": {"labels": {"app": "nova", "tier": "api"}}, "spec": {"replicas": 3,
            "template": {"spec": {"containers": [{"image": "registry.example.org/nova-api:2024.1"}, {"image": "docker.io/library/nginx:1.27"}]}}}});
        let deployment = |e: Value| check(Platform::Kubernetes, "deployment", &d, &exp(e));
        assert!(deployment(json!({"replicas": 3, "labels": {"app": "nova"}})).is_empty());
        assert!(deployment(json!({"image": "registry.example.org/nova-api"})).is_empty());
        assert!(deployment(json!({"image": "nginx:1.27"})).is_empty());
        let m = deployment(
            json!({"replicas": "2", "image": "registry.example.org/nova-api:2023.2", "generation": 4}),
        );
        assert_eq!(m.len(), 2);
        assert_eq!(m[0].field, "image");
        assert_eq!(
            m[0].actual,
            "registry.example.org/nova-api:2024.1, docker.io/library/nginx:1.27"
        );
        assert_eq!((m[1].expected.as_str(), m[1].actual.as_str()), ("2", "3"));
        let cj = json!({"spec": {"schedule": "0 2 * * *", "jobTemplate": {"spec": {"template": {"spec": {"containers": [{"image": "b:1"}]}}}}}});
        assert!(
            check(
                Platform::Kubernetes,
                "cronjob",
                &cj,
                &exp(json!({"schedule": "0 2 * * *", "image": "b:1"}))
            )
            .is_empty()
        );
    }

    #[test]
    fn openstack_expectations() {
        let f = json!({"name": "a2-ram4-disk20-perf1", "vcpus": 2, "ram": 4096, "disk": 20, "os-flavor-access:is_public": true});
        assert!(
            check(
                Platform::OpenStack,
                "flavor",
                &f,
                &exp(json!({"vcpus": 2, "ram": "4G", "disk": "20GB", "public": true}))
            )
            .is_empty()
        );
        assert_eq!(
            check(Platform::OpenStack, "flavor", &f, &exp(json!({"ram": 8192})))[0].actual,
            "4096"
        );
        let n = json!({"router:external": true, "mtu": 1500, "status": "ACTIVE"});
        assert!(
            check(
                Platform::OpenStack,
                "network",
                &n,
                &exp(json!({"external": true, "mtu": 1500, "status": "active"}))
            )
            .is_empty()
        );
        let m = check(Platform::OpenStack, "network", &n, &exp(json!({"mtu": 9000})));
        assert_eq!((m[0].expected.as_str(), m[0].actual.as_str()), ("9000", "1500"));
        let s = json!({"status": "SHUTOFF", "flavor": {"original_name": "m1.small", "vcpus": 1}});
        assert!(
            check(
                Platform::OpenStack,
                "server",
                &s,
                &exp(json!({"flavor": "m1.small"}))
            )
            .is_empty()
        );
    }
}
