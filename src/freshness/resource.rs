//! What a page can name on the platform: a [`ResourceRef`] (platform, cluster or
//! cloud, kind, namespace, name), and the kind vocabulary that turns what people
//! write (`deploy`, `sts`, `storageclusters.ocs.openshift.io`, `security group`)
//! into one canonical key per kind.

use std::fmt;

/// Which platform a resource lives on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Platform {
    Kubernetes,
    OpenStack,
}

impl Platform {
    pub fn as_str(self) -> &'static str {
        match self {
            Platform::Kubernetes => "kubernetes",
            Platform::OpenStack => "openstack",
        }
    }
}

/// A resource a page names.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct ResourceRef {
    pub platform: Platform,
    /// The cluster or cloud it names (`None`: the default one).
    pub scope: Option<String>,
    /// Canonical kind key: the lower-case singular kind (`deployment`,
    /// `cephcluster`, `flavor`, `security_group`, `helmrelease`).
    pub kind: String,
    /// Kubernetes namespace; `None` for cluster-scoped kinds, OpenStack, and
    /// namespaced references written without one (any namespace matches).
    pub namespace: Option<String>,
    pub name: String,
}

impl fmt::Display for ResourceRef {
    /// `deployment/nova-api -n openstack`, `openstack flavor/m1.small`, with
    /// `@prod` when a cluster or cloud is named.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.platform == Platform::OpenStack {
            write!(f, "openstack {}/{}", self.kind.replace('_', "-"), self.name)?;
        } else {
            write!(f, "{}/{}", self.kind, self.name)?;
            if let Some(ns) = &self.namespace {
                write!(f, " -n {ns}")?;
            }
        }
        if let Some(s) = &self.scope {
            write!(f, " @{s}")?;
        }
        Ok(())
    }
}

/// A Kubernetes kind vigie knows without asking the cluster.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct KnownKind {
    /// Canonical key (lower-case kind).
    pub key: &'static str,
    /// The kind as the API spells it.
    pub kind: &'static str,
    /// API group (`""` for core).
    pub group: &'static str,
    pub namespaced: bool,
    /// Pods, ReplicaSets, Events: names that change all the time, not references.
    pub ephemeral: bool,
}

const fn k(key: &'static str, kind: &'static str, group: &'static str, namespaced: bool) -> KnownKind {
    KnownKind {
        key,
        kind,
        group,
        namespaced,
        ephemeral: false,
    }
}

const fn eph(key: &'static str, kind: &'static str, group: &'static str) -> KnownKind {
    KnownKind {
        key,
        kind,
        group,
        namespaced: true,
        ephemeral: true,
    }
}

/// (aliases, kind). Aliases are what `kubectl`/`oc` accept: singular, plural, short names.
const KUBE_KINDS: &[(&[&str], KnownKind)] = &[
    (&["pod", "pods", "po"], eph("pod", "Pod", "")),
    (
        &["replicaset", "replicasets", "rs"],
        eph("replicaset", "ReplicaSet", "apps"),
    ),
    (&["event", "events", "ev"], eph("event", "Event", "")),
    (&["job", "jobs"], eph("job", "Job", "batch")),
    (
        &["endpoints", "ep", "endpoint"],
        eph("endpoints", "Endpoints", ""),
    ),
    (
        &["virtualmachineinstance", "virtualmachineinstances", "vmi", "vmis"],
        eph("virtualmachineinstance", "VirtualMachineInstance", "kubevirt.io"),
    ),
    (&["service", "services", "svc"], k("service", "Service", "", true)),
    (
        &["configmap", "configmaps", "cm"],
        k("configmap", "ConfigMap", "", true),
    ),
    (&["secret", "secrets"], k("secret", "Secret", "", true)),
    (
        &["namespace", "namespaces", "ns"],
        k("namespace", "Namespace", "", false),
    ),
    (&["node", "nodes", "no"], k("node", "Node", "", false)),
    (
        &["persistentvolumeclaim", "persistentvolumeclaims", "pvc"],
        k("persistentvolumeclaim", "PersistentVolumeClaim", "", true),
    ),
    (
        &["persistentvolume", "persistentvolumes", "pv"],
        k("persistentvolume", "PersistentVolume", "", false),
    ),
    (
        &["serviceaccount", "serviceaccounts", "sa"],
        k("serviceaccount", "ServiceAccount", "", true),
    ),
    (
        &["deployment", "deployments", "deploy"],
        k("deployment", "Deployment", "apps", true),
    ),
    (
        &["statefulset", "statefulsets", "sts"],
        k("statefulset", "StatefulSet", "apps", true),
    ),
    (
        &["daemonset", "daemonsets", "ds"],
        k("daemonset", "DaemonSet", "apps", true),
    ),
    (
        &["cronjob", "cronjobs", "cj"],
        k("cronjob", "CronJob", "batch", true),
    ),
    (
        &["ingress", "ingresses", "ing"],
        k("ingress", "Ingress", "networking.k8s.io", true),
    ),
    (
        &["networkpolicy", "networkpolicies", "netpol"],
        k("networkpolicy", "NetworkPolicy", "networking.k8s.io", true),
    ),
    (
        &["storageclass", "storageclasses", "sc"],
        k("storageclass", "StorageClass", "storage.k8s.io", false),
    ),
    (
        &["horizontalpodautoscaler", "horizontalpodautoscalers", "hpa"],
        k(
            "horizontalpodautoscaler",
            "HorizontalPodAutoscaler",
            "autoscaling",
            true,
        ),
    ),
    (
        &["poddisruptionbudget", "poddisruptionbudgets", "pdb"],
        k("poddisruptionbudget", "PodDisruptionBudget", "policy", true),
    ),
    (
        &["role", "roles"],
        k("role", "Role", "rbac.authorization.k8s.io", true),
    ),
    (
        &["rolebinding", "rolebindings"],
        k("rolebinding", "RoleBinding", "rbac.authorization.k8s.io", true),
    ),
    (
        &["clusterrole", "clusterroles"],
        k("clusterrole", "ClusterRole", "rbac.authorization.k8s.io", false),
    ),
    (
        &["clusterrolebinding", "clusterrolebindings"],
        k(
            "clusterrolebinding",
            "ClusterRoleBinding",
            "rbac.authorization.k8s.io",
            false,
        ),
    ),
    (
        &[
            "customresourcedefinition",
            "customresourcedefinitions",
            "crd",
            "crds",
        ],
        k(
            "customresourcedefinition",
            "CustomResourceDefinition",
            "apiextensions.k8s.io",
            false,
        ),
    ),
    (
        &["apiservice", "apiservices"],
        k("apiservice", "APIService", "apiregistration.k8s.io", false),
    ),
    (
        &["lease", "leases"],
        k("lease", "Lease", "coordination.k8s.io", true),
    ),
    // OpenShift and common operators: their short names, so snapshots resolve them too.
    (
        &["clusteroperator", "clusteroperators", "co"],
        k("clusteroperator", "ClusterOperator", "config.openshift.io", false),
    ),
    (
        &["clusterversion", "clusterversions"],
        k("clusterversion", "ClusterVersion", "config.openshift.io", false),
    ),
    (
        &["machineconfigpool", "machineconfigpools", "mcp"],
        k(
            "machineconfigpool",
            "MachineConfigPool",
            "machineconfiguration.openshift.io",
            false,
        ),
    ),
    (
        &["machineconfig", "machineconfigs", "mc"],
        k(
            "machineconfig",
            "MachineConfig",
            "machineconfiguration.openshift.io",
            false,
        ),
    ),
    (
        &["clusterserviceversion", "clusterserviceversions", "csv"],
        k(
            "clusterserviceversion",
            "ClusterServiceVersion",
            "operators.coreos.com",
            true,
        ),
    ),
    (
        &["subscription", "subscriptions", "sub", "subs"],
        k("subscription", "Subscription", "operators.coreos.com", true),
    ),
    (
        &["deploymentconfig", "deploymentconfigs", "dc"],
        k("deploymentconfig", "DeploymentConfig", "apps.openshift.io", true),
    ),
    (
        &["imagestream", "imagestreams", "is"],
        k("imagestream", "ImageStream", "image.openshift.io", true),
    ),
    (
        &["route", "routes"],
        k("route", "Route", "route.openshift.io", true),
    ),
    (
        &["virtualmachine", "virtualmachines", "vm", "vms"],
        k("virtualmachine", "VirtualMachine", "kubevirt.io", true),
    ),
    (
        &["datavolume", "datavolumes", "dv", "dvs"],
        k("datavolume", "DataVolume", "cdi.kubevirt.io", true),
    ),
    (
        &["hyperconverged", "hyperconvergeds", "hco"],
        k("hyperconverged", "HyperConverged", "hco.kubevirt.io", true),
    ),
    (
        &["cephcluster", "cephclusters"],
        k("cephcluster", "CephCluster", "ceph.rook.io", true),
    ),
    (
        &["certificate", "certificates", "cert", "certs"],
        k("certificate", "Certificate", "cert-manager.io", true),
    ),
    // A Helm 3 release: found through the Secrets Helm keeps (`owner=helm`), metadata only.
    (
        &["helmrelease", "release"],
        k("helmrelease", "HelmRelease", "", true),
    ),
];

/// Kinds that are never references (`kubectl get all`, `kubectl api-resources`).
const NOT_KINDS: &[&str] = &["all", "api-resources", "api-versions", "events.k8s.io"];

/// What vigie knows about a Kubernetes kind a page names.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KubeKind {
    /// Canonical key.
    pub key: String,
    /// API group when known (from the word itself or the built-in table).
    pub group: Option<String>,
    pub known: Option<&'static KnownKind>,
}

impl KubeKind {
    pub fn ephemeral(&self) -> bool {
        self.known.is_some_and(|k| k.ephemeral)
    }

    /// True for kinds known to live outside namespaces (nodes, namespaces, PVs).
    pub fn cluster_scoped(&self) -> bool {
        self.known.is_some_and(|k| !k.namespaced)
    }
}

/// The built-in entry of canonical key `key`.
pub fn known_kind(key: &str) -> Option<&'static KnownKind> {
    KUBE_KINDS.iter().find(|(_, k)| k.key == key).map(|(_, k)| k)
}

/// Interprets a Kubernetes resource type as written on a command line
/// (`deploy`, `Deployment`, `deployments.apps`, `console.v1.operator.openshift.io`).
/// `None` when the word cannot be a kind (a placeholder, a variable).
pub fn kube_kind(word: &str) -> Option<KubeKind> {
    let w = word.trim();
    if w.is_empty()
        || !w.chars().next()?.is_ascii_alphabetic()
        || !w
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '.' || c == '-')
    {
        return None;
    }
    let lower = w.to_ascii_lowercase();
    if NOT_KINDS.contains(&lower.as_str()) {
        return None;
    }
    // `storageclusters.ocs.openshift.io`, `console.v1.operator.openshift.io`, `deployments.v1.apps`
    let (base, group) = match lower.split_once('.') {
        Some((b, rest)) => {
            let rest = rest
                .split_once('.')
                .filter(|(v, _)| is_version(v))
                .map(|(_, g)| g)
                .unwrap_or(rest);
            (b.to_string(), Some(rest.to_string()).filter(|g| !is_version(g)))
        }
        None => (lower, None),
    };
    if let Some((_, known)) = KUBE_KINDS
        .iter()
        .find(|(aliases, _)| aliases.contains(&base.as_str()))
    {
        return Some(KubeKind {
            key: known.key.to_string(),
            group: group.or_else(|| Some(known.group.to_string())),
            known: Some(known),
        });
    }
    if base.contains('-') {
        return None;
    }
    Some(KubeKind {
        key: singular(&base),
        group,
        known: None,
    })
}

/// The built-in kind that `word`, which is not one, looks like a typo of
/// (`Deploymnet` → `Deployment`): one edit for short words, two from six
/// letters. Other words may be custom resources.
pub fn misspelt_kind(word: &str) -> Option<&'static str> {
    let w = word.trim().to_ascii_lowercase();
    if kube_kind(&w).is_some_and(|k| k.known.is_some()) {
        return None;
    }
    let max = if w.chars().count() < 6 { 1 } else { 2 };
    KUBE_KINDS
        .iter()
        .flat_map(|(aliases, k)| aliases.iter().filter(|a| a.len() >= 5).map(move |a| (a, k)))
        .filter_map(|(a, k)| crate::fuzzy::distance(&w, a, max).map(|d| (d, k.kind)))
        .min()
        .map(|(_, kind)| kind)
}

fn is_version(s: &str) -> bool {
    let mut c = s.chars();
    c.next() == Some('v') && c.next().is_some_and(|d| d.is_ascii_digit())
}

/// `storageclusters` → `storagecluster`, `policies` → `policy`, `ingresses` → `ingress`.
pub fn singular(plural: &str) -> String {
    if let Some(s) = plural.strip_suffix("ies") {
        format!("{s}y")
    } else if let Some(s) = plural.strip_suffix("sses") {
        format!("{s}ss")
    } else if let Some(s) = plural.strip_suffix("ses").filter(|s| s.ends_with('s')) {
        s.to_string()
    } else if plural.ends_with("ss") || plural.ends_with("us") {
        plural.to_string()
    } else if let Some(s) = plural.strip_suffix('s') {
        s.to_string()
    } else {
        plural.to_string()
    }
}

/// OpenStack object types vigie checks, as the `openstack` client names them.
pub const OPENSTACK_KINDS: &[(&str, &str)] = &[
    ("server", "server"),
    ("flavor", "flavor"),
    ("network", "network"),
    ("subnet", "subnet"),
    ("router", "router"),
    ("volume", "volume"),
    ("image", "image"),
    ("security group", "security_group"),
    ("security-group", "security_group"),
    ("security_group", "security_group"),
    ("securitygroup", "security_group"),
];

/// Canonical key of an OpenStack object type (`Flavor`, `security group`) or `None`.
pub fn openstack_kind(word: &str) -> Option<&'static str> {
    let w = word.trim().to_ascii_lowercase();
    let w = w.strip_suffix('s').filter(|s| *s != "statu").unwrap_or(&w);
    OPENSTACK_KINDS
        .iter()
        .find(|(name, _)| *name == w)
        .map(|(_, key)| *key)
}

/// A Kubernetes object name: a DNS-1123 subdomain (lower case, digits, `-`, `.`),
/// and not an obvious placeholder (`pod-name`, `my-app`, `example`).
pub fn is_kube_name(s: &str) -> bool {
    is_dns_name(s) && !is_placeholder_word(s)
}

/// A DNS-1123 subdomain: what Kubernetes accepts as a name.
pub fn is_dns_name(s: &str) -> bool {
    !s.is_empty()
        && s.len() <= 253
        && s.split('.').all(|label| {
            !label.is_empty()
                && label.starts_with(|c: char| c.is_ascii_lowercase() || c.is_ascii_digit())
                && label.ends_with(|c: char| c.is_ascii_lowercase() || c.is_ascii_digit())
                && label
                    .chars()
                    .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
        })
}

/// An OpenStack name or ID as written in a command: anything but a placeholder
/// (`<server>`, `SERVER_ID`, `$ID`, `{{ x }}`, `...`).
pub fn is_openstack_name(s: &str) -> bool {
    !s.is_empty()
        && !s.starts_with('-')
        && !s.contains(['<', '>', '$', '{', '}', '[', ']', '*', '`', '|', '(', ')'])
        && !s.contains("...")
        && !s.contains('…')
        && !(s.len() > 1
            && s.chars().any(|c| c.is_ascii_uppercase())
            && s.chars()
                .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit() || c == '_' || c == '-'))
        && !is_placeholder_word(&s.to_ascii_lowercase())
}

fn is_placeholder_word(s: &str) -> bool {
    const WORDS: &[&str] = &[
        "name",
        "example",
        "foo",
        "bar",
        "baz",
        "xxx",
        "xyz",
        "x",
        "id",
        "uuid",
        "changeme",
        "todo",
        "node",
        "pod",
        "namespace",
        "server",
        "resource",
        "value",
        "my",
        "your",
    ];
    WORDS.contains(&s)
        || s.ends_with("-name")
        || s.ends_with("_name")
        || s.ends_with("-id")
        || s.starts_with("my-")
        || s.starts_with("your-")
        || s.starts_with("example-")
        || s.starts_with("xxx")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kinds_from_what_people_write() {
        assert_eq!(kube_kind("deploy").unwrap().key, "deployment");
        assert_eq!(kube_kind("Deployment").unwrap().key, "deployment");
        assert_eq!(kube_kind("sts").unwrap().key, "statefulset");
        assert_eq!(
            kube_kind("deployments.apps").unwrap().group.as_deref(),
            Some("apps")
        );
        let sc = kube_kind("storageclusters.ocs.openshift.io").unwrap();
        assert_eq!(
            (sc.key.as_str(), sc.group.as_deref()),
            ("storagecluster", Some("ocs.openshift.io"))
        );
        let console = kube_kind("console.v1.operator.openshift.io").unwrap();
        assert_eq!(console.key, "console");
        assert_eq!(console.group.as_deref(), Some("operator.openshift.io"));
        assert_eq!(kube_kind("KubeDescheduler").unwrap().key, "kubedescheduler");
        assert_eq!(kube_kind("networkpolicies").unwrap().key, "networkpolicy");
        assert!(kube_kind("<resource>").is_none());
        assert!(kube_kind("$KIND").is_none());
        assert!(kube_kind("all").is_none());
        assert!(kube_kind("po").unwrap().ephemeral());
        assert!(kube_kind("nodes").unwrap().cluster_scoped());
    }

    #[test]
    fn names_and_placeholders() {
        assert!(is_kube_name("nova-api"));
        assert!(is_kube_name("cmp-01.par1"));
        for p in [
            "<pod>", "NAME", "$NS", "${X}", "pod-name", "my-app", "Nova", "-n", "x",
        ] {
            assert!(!is_kube_name(p), "{p}");
        }
        assert!(is_openstack_name("a2-ram4-disk20-perf1"));
        assert!(is_openstack_name("Ubuntu 24.04"));
        assert!(is_openstack_name("5f1c2e4a-9b1d-4c1e-8f00-0a0b0c0d0e0f"));
        for p in ["<server>", "SERVER_ID", "$ID", "NAME", "...", "{{ flavor }}"] {
            assert!(!is_openstack_name(p), "{p}");
        }
    }

    #[test]
    fn display_reads_like_a_claim() {
        let r = ResourceRef {
            platform: Platform::Kubernetes,
            scope: None,
            kind: "deployment".into(),
            namespace: Some("openstack".into()),
            name: "nova-api".into(),
        };
        assert_eq!(r.to_string(), "deployment/nova-api -n openstack");
        let f = ResourceRef {
            platform: Platform::OpenStack,
            scope: Some("nuage".into()),
            kind: "security_group".into(),
            namespace: None,
            name: "web".into(),
        };
        assert_eq!(f.to_string(), "openstack security-group/web @nuage");
    }
}
