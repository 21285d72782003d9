//! Claims: the `applies_to` entries of a page's front matter. An entry is a
//! kubectl-style string (`deployment/nova-api -n openstack`, `namespace/ceph`,
//! `openstack flavor/a2-ram4-disk20-perf1`, `openstack network/provider-ext`)
//! or a table:
//!
//! ```yaml
//! applies_to:
//!   - kind: Deployment
//!     name: nova-api
//!     namespace: openstack
//!     cluster: prod            # or `cloud:` for OpenStack
//!     expect: {replicas: 3, image: "registry.example.org/nova-api:2024.1"}
//!   - kind: flavor
//!     name: m1.small
//!     absent: true
//! ```

use serde_json::{Map, Value};

use super::references::{Origin, Reference};
use super::resource::{Platform, ResourceRef, is_dns_name, kube_kind, misspelt_kind, openstack_kind};

/// A claim that cannot be read: reported as an `invalid-claim` finding.
#[derive(Debug, Clone, PartialEq)]
pub struct BadClaim {
    pub line: usize,
    pub message: String,
}

/// Reads `applies_to` (a string, a table, or a list of them). `lines` gives the
/// source line of each entry (see [`entry_lines`]).
pub fn parse(value: &Value, lines: &[usize], fallback_line: usize) -> (Vec<Reference>, Vec<BadClaim>) {
    let entries: Vec<&Value> = match value {
        Value::Array(a) => a.iter().collect(),
        Value::Null => Vec::new(),
        v => vec![v],
    };
    let mut refs = Vec::new();
    let mut bad = Vec::new();
    for (i, entry) in entries.into_iter().enumerate() {
        let line = lines.get(i).copied().unwrap_or(fallback_line);
        match parse_entry(entry) {
            Ok(mut r) => {
                r.line = line;
                refs.push(r);
            }
            Err(message) => bad.push(BadClaim { line, message }),
        }
    }
    (refs, bad)
}

fn claim(target: ResourceRef) -> Reference {
    Reference {
        target,
        line: 0,
        origin: Origin::Claim,
        expect: Map::new(),
        absent: false,
    }
}

fn parse_entry(entry: &Value) -> Result<Reference, String> {
    match entry {
        Value::String(s) => parse_string(s).map(claim),
        Value::Object(map) => parse_table(map),
        other => Err(format!(
            "`applies_to` entry {other} is neither a string like `deployment/nova-api -n openstack` nor a table with `kind` and `name`"
        )),
    }
}

/// `deployment/nova-api -n openstack`, `deploy nova-api --namespace openstack --context prod`,
/// `openstack flavor/m1.small --os-cloud nuage`, `namespace/ceph`.
pub fn parse_string(s: &str) -> Result<ResourceRef, String> {
    let mut words = s.split_whitespace().peekable();
    let mut platform = None;
    match words.peek().copied() {
        Some("openstack") => {
            platform = Some(Platform::OpenStack);
            words.next();
        }
        Some("kubernetes" | "k8s" | "kubectl" | "oc") => {
            platform = Some(Platform::Kubernetes);
            words.next();
        }
        _ => {}
    }
    let mut positional = Vec::new();
    let mut namespace = None;
    let mut scope = None;
    while let Some(w) = words.next() {
        let (flag, inline) = match w.split_once('=') {
            Some((f, v)) if f.starts_with('-') => (f, Some(v.to_string())),
            _ => (w, None),
        };
        let mut value = || inline.clone().or_else(|| words.next().map(String::from));
        match flag {
            "-n" | "--namespace" => namespace = value(),
            "--context" | "--cluster" | "--os-cloud" | "--cloud" => scope = value(),
            f if f.starts_with('-') => return Err(format!("unknown option `{f}` in `{s}`")),
            _ => positional.push(w.to_string()),
        }
    }
    let (kind, name) = match positional.as_slice() {
        [one] => match one.split_once('/') {
            Some((k, n)) => (k.to_string(), n.to_string()),
            None => {
                return Err(format!(
                    "`{s}`: write the resource as TYPE/NAME (`deployment/nova-api`)"
                ));
            }
        },
        // `openstack security group/web`
        [a, b] if platform == Some(Platform::OpenStack) && b.contains('/') => {
            let (k2, n) = b.split_once('/').unwrap_or((b, ""));
            (format!("{a} {k2}"), n.to_string())
        }
        [k, n] if !k.contains('/') => (k.clone(), n.clone()),
        _ => {
            return Err(format!(
                "`{s}`: write the resource as TYPE/NAME (`deployment/nova-api`)"
            ));
        }
    };
    build(platform, &kind, &name, namespace, scope, s)
}

fn build(
    platform: Option<Platform>,
    kind: &str,
    name: &str,
    namespace: Option<String>,
    scope: Option<String>,
    written: &str,
) -> Result<ResourceRef, String> {
    if name.is_empty() {
        return Err(format!("`{written}`: the name is missing"));
    }
    let os_kind = openstack_kind(kind);
    let platform = match platform {
        Some(p) => p,
        None if os_kind.is_some() && namespace.is_none() => Platform::OpenStack,
        None => Platform::Kubernetes,
    };
    match platform {
        Platform::OpenStack => {
            let key = os_kind.ok_or_else(|| {
                format!(
                    "`{written}`: vigie checks OpenStack servers, flavors, networks, subnets, routers, volumes, images and security groups, not `{kind}`"
                )
            })?;
            Ok(ResourceRef {
                platform,
                scope,
                kind: key.to_string(),
                namespace: None,
                name: name.to_string(),
            })
        }
        Platform::Kubernetes => {
            let kk =
                kube_kind(kind).ok_or_else(|| format!("`{written}`: `{kind}` is not a Kubernetes kind"))?;
            if kk.group.is_none()
                && let Some(meant) = misspelt_kind(kind)
            {
                return Err(format!(
                    "`{written}`: unknown kind `{kind}`; did you mean `{meant}`? (a custom resource may be written with its API group, `{}.example.com`)",
                    kind.to_ascii_lowercase()
                ));
            }
            if !is_dns_name(name) {
                return Err(format!("`{written}`: `{name}` is not a Kubernetes name"));
            }
            if let Some(ns) = &namespace
                && !is_dns_name(ns)
            {
                return Err(format!("`{written}`: `{ns}` is not a namespace name"));
            }
            Ok(ResourceRef {
                platform,
                scope,
                namespace: if kk.cluster_scoped() { None } else { namespace },
                kind: kk.key,
                name: name.to_string(),
            })
        }
    }
}

const TABLE_KEYS: &[&str] = &[
    "kind",
    "name",
    "namespace",
    "cluster",
    "cloud",
    "context",
    "platform",
    "expect",
    "absent",
    "generation",
    "revision_number",
    "ref",
    "resource",
];

fn parse_table(map: &Map<String, Value>) -> Result<Reference, String> {
    if let Some(unknown) = map.keys().find(|k| !TABLE_KEYS.contains(&k.as_str())) {
        return Err(format!(
            "unknown key `{unknown}` in an `applies_to` entry (known: kind, name, namespace, cluster, cloud, expect, absent)"
        ));
    }
    let text = |k: &str| -> Result<Option<String>, String> {
        match map.get(k) {
            None | Some(Value::Null) => Ok(None),
            Some(Value::String(s)) => Ok(Some(s.clone())),
            Some(Value::Number(n)) => Ok(Some(n.to_string())),
            Some(other) => Err(format!("`{k}` must be a string, not {other}")),
        }
    };
    let platform = match text("platform")?.as_deref() {
        None => None,
        Some("openstack") => Some(Platform::OpenStack),
        Some("kubernetes" | "k8s") => Some(Platform::Kubernetes),
        Some(p) => return Err(format!("`platform: {p}`: expected kubernetes or openstack")),
    };
    let scope = text("cluster")?.or(text("context")?).or(text("cloud")?);
    let platform = platform.or_else(|| map.contains_key("cloud").then_some(Platform::OpenStack));
    let mut target = if let Some(written) = text("ref")?.or(text("resource")?) {
        let mut t = parse_string(&written)?;
        if scope.is_some() {
            t.scope = scope;
        }
        t
    } else {
        let kind = text("kind")?.ok_or("an `applies_to` table needs `kind` and `name`")?;
        let name = text("name")?.ok_or("an `applies_to` table needs `kind` and `name`")?;
        let platform = platform.or_else(|| map.contains_key("cluster").then_some(Platform::Kubernetes));
        build(
            platform,
            &kind,
            &name,
            text("namespace")?,
            scope,
            &format!("{kind}/{name}"),
        )?
    };
    if target.platform == Platform::Kubernetes && target.namespace.is_none() {
        target.namespace = text("namespace")?;
    }
    let mut r = claim(target);
    match map.get("expect") {
        None | Some(Value::Null) => {}
        Some(Value::Object(e)) => r.expect = e.clone(),
        Some(other) => return Err(format!("`expect` must be a table of fields, not {other}")),
    }
    for pin in ["generation", "revision_number"] {
        if let Some(v) = map.get(pin) {
            r.expect.insert(pin.to_string(), v.clone());
        }
    }
    match map.get("absent") {
        None | Some(Value::Bool(false)) => {}
        Some(Value::Bool(true)) => r.absent = true,
        Some(other) => return Err(format!("`absent` must be true or false, not {other}")),
    }
    if r.absent && !r.expect.is_empty() {
        return Err("an entry with `absent: true` cannot also `expect` fields".into());
    }
    Ok(r)
}

/// The first lines of a page's file, up to the end of its front matter (the
/// lines `entry_lines` needs, without reading a long page whole).
pub fn front_matter_text(path: &std::path::Path) -> std::io::Result<String> {
    use std::io::BufRead;
    let mut reader = std::io::BufReader::new(std::fs::File::open(path)?);
    let mut text = String::new();
    let mut fences = 0;
    loop {
        let start = text.len();
        if reader.read_line(&mut text)? == 0 {
            break;
        }
        let line = text[start..].trim();
        if line == "---" || line == "+++" {
            fences += 1;
            if fences == 2 {
                break;
            }
        }
    }
    Ok(text)
}

/// The source line of each `applies_to` entry, from the page's raw text:
/// YAML list items (`- …` lines at the list's indentation) or, for inline
/// lists and TOML arrays, the line where each string is written.
pub fn entry_lines(source: &str, key_line: usize, value: &Value) -> Vec<usize> {
    let lines: Vec<&str> = source.lines().collect();
    let start = key_line.saturating_sub(1);
    let entries: Vec<&Value> = match value {
        Value::Array(a) => a.iter().collect(),
        v => vec![v],
    };
    // YAML block list: `- ` lines at the smallest indentation after the key, until
    // a line that is less indented than the items (the next key or the fence).
    let mut dash_lines = Vec::new();
    let mut item_indent = None;
    for (i, l) in lines.iter().enumerate().skip(start + 1) {
        let t = l.trim_start();
        if t.is_empty() || t.starts_with('#') {
            continue;
        }
        let indent = l.len() - t.len();
        if t.starts_with("---") || t.starts_with("+++") {
            break;
        }
        match item_indent {
            None if t.starts_with("- ") || t == "-" => {
                item_indent = Some(indent);
                dash_lines.push(i + 1);
            }
            None => break,
            Some(ind) if indent == ind && (t.starts_with("- ") || t == "-") => dash_lines.push(i + 1),
            Some(ind) if indent <= ind && !t.starts_with("- ") => break,
            Some(_) => {}
        }
    }
    if dash_lines.len() == entries.len() {
        return dash_lines;
    }
    // Inline: search each string from the key on.
    let mut from = start;
    entries
        .iter()
        .map(|e| {
            let needle = match e {
                Value::String(s) => s.clone(),
                Value::Object(m) => m.get("name").and_then(|n| n.as_str()).unwrap_or("").to_string(),
                _ => String::new(),
            };
            match lines
                .iter()
                .enumerate()
                .skip(from)
                .find(|(_, l)| !needle.is_empty() && l.contains(&needle))
            {
                Some((i, _)) => {
                    from = i;
                    i + 1
                }
                None => key_line,
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn yaml(s: &str) -> Value {
        serde_saphyr::from_str(s).unwrap()
    }

    #[test]
    fn string_claims() {
        let r = parse_string("deployment/nova-api -n openstack").unwrap();
        assert_eq!(r.to_string(), "deployment/nova-api -n openstack");
        assert_eq!(
            parse_string("namespace/ceph").unwrap().to_string(),
            "namespace/ceph"
        );
        let f = parse_string("openstack flavor/a2-ram4-disk20-perf1").unwrap();
        assert_eq!((f.platform, f.kind.as_str()), (Platform::OpenStack, "flavor"));
        assert_eq!(
            parse_string("openstack network/provider-ext --os-cloud nuage")
                .unwrap()
                .scope
                .as_deref(),
            Some("nuage")
        );
        assert_eq!(
            parse_string("openstack security group/web").unwrap().kind,
            "security_group"
        );
        assert_eq!(
            parse_string("deploy nova-api --namespace=openstack --context prod")
                .unwrap()
                .to_string(),
            "deployment/nova-api -n openstack @prod"
        );
        assert!(parse_string("nova-api").unwrap_err().contains("TYPE/NAME"));
        assert!(parse_string("openstack lb/x").unwrap_err().contains("not `lb`"));
    }

    #[test]
    fn a_misspelt_kind_is_invalid_and_a_custom_resource_is_not() {
        let err = parse_string("deploymnet/nova-api -n openstack").unwrap_err();
        assert!(err.contains("did you mean `Deployment`"), "{err}");
        let (refs, bad) = parse(
            &yaml("- kind: StatefullSet\n  name: x\n  namespace: ns\n"),
            &[5],
            4,
        );
        assert!(refs.is_empty());
        assert!(bad[0].message.contains("`StatefulSet`"), "{:?}", bad[0].message);
        assert!(parse_string("schedule/applis-quotidien -n velero").is_ok());
        assert!(parse_string("clusterissuer/letsencrypt-prod").is_ok());
        assert!(parse_string("frobnicators.example.com/x -n y").is_ok());
    }

    #[test]
    fn table_claims_with_expectations() {
        let v = yaml(
            "- kind: DaemonSet\n  name: nova-compute-default\n  namespace: openstack\n  expect:\n    image: reg/nova-compute:2024.1\n- kind: Network\n  name: provider-ext\n  cloud: nuage\n  expect: {mtu: 1500, external: true}\n- kind: flavor\n  name: m1.tiny\n  absent: true\n",
        );
        let (refs, bad) = parse(&v, &[5, 10, 14], 1);
        assert!(bad.is_empty(), "{bad:?}");
        assert_eq!(
            refs[0].target.to_string(),
            "daemonset/nova-compute-default -n openstack"
        );
        assert_eq!(refs[0].expect["image"], "reg/nova-compute:2024.1");
        assert_eq!(refs[0].line, 5);
        assert_eq!(
            refs[1].target.to_string(),
            "openstack network/provider-ext @nuage"
        );
        assert_eq!(refs[1].expect["mtu"], 1500);
        assert!(refs[2].absent);
        assert_eq!(refs[2].target.platform, Platform::OpenStack);
    }

    #[test]
    fn bad_claims_are_reported_with_their_line() {
        let v =
            yaml("- deployment/ok -n x\n- kind: Deployment\n  name: y\n  expected: {replicas: 2}\n- 42\n");
        let (refs, bad) = parse(&v, &[3, 4, 7], 1);
        assert_eq!(refs.len(), 1);
        assert_eq!(bad.len(), 2);
        assert_eq!(bad[0].line, 4);
        assert!(
            bad[0].message.contains("unknown key `expected`"),
            "{}",
            bad[0].message
        );
    }

    #[test]
    fn lines_of_entries() {
        let src = "---\ntitle: x\napplies_to:\n  - deployment/a -n x\n  - kind: Deployment\n    name: b\n    expect:\n      replicas: 1\n  - namespace/c\ntags: [a]\n---\nbody\n";
        let v = yaml("- deployment/a -n x\n- kind: Deployment\n  name: b\n- namespace/c\n");
        assert_eq!(entry_lines(src, 3, &v), vec![4, 5, 9]);
        let toml_src = "+++\ntitle = \"x\"\napplies_to = [\"deployment/a -n x\",\n  \"namespace/c\"]\n+++\n";
        let v = Value::Array(vec!["deployment/a -n x".into(), "namespace/c".into()]);
        assert_eq!(entry_lines(toml_src, 3, &v), vec![3, 4]);
    }
}
