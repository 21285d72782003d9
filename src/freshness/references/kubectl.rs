//! `kubectl` and `oc` commands: the objects their verbs name (`get deploy x`,
//! `logs deploy/x`, `drain node-1`), the namespace and context they run in,
//! and what earlier commands of the block set (`oc project`, `kubectl config
//! set-context --namespace`, namespaces created).

use std::collections::HashSet;

use super::{Origin, Reference, long_flag};
use crate::freshness::resource::{Platform, ResourceRef, is_kube_name, kube_kind};

const KUBECTL_VALUE_FLAGS: &[&str] = &[
    "namespace",
    "context",
    "cluster",
    "kubeconfig",
    "user",
    "server",
    "token",
    "as",
    "as-group",
    "selector",
    "output",
    "container",
    "filename",
    "kustomize",
    "field-selector",
    "sort-by",
    "tail",
    "since",
    "since-time",
    "template",
    "type",
    "patch",
    "for",
    "timeout",
    "replicas",
    "current-replicas",
    "image",
    "label-columns",
    "limit",
    "chunk-size",
    "subresource",
    "to-revision",
    "revision",
    "grace-period",
    "resource-version",
    "max-log-requests",
    "pod-running-timeout",
    "target",
    "profile",
    "port",
    "target-port",
    "name",
    "min",
    "max",
    "cpu-percent",
    "field-manager",
    "local-port",
    "address",
    "request-timeout",
    "log-flush-frequency",
    "v",
];

/// Verbs whose arguments are `TYPE NAME…` or `TYPE/NAME…`.
const TYPED_VERBS: &[&str] = &[
    "get",
    "describe",
    "delete",
    "edit",
    "label",
    "annotate",
    "patch",
    "scale",
    "autoscale",
    "expose",
    "wait",
];

struct KubeArgs {
    positional: Vec<String>,
    namespace: Option<String>,
    all_namespaces: bool,
    context: Option<String>,
}

fn kubectl_args(args: &[String]) -> KubeArgs {
    let mut a = KubeArgs {
        positional: Vec::new(),
        namespace: None,
        all_namespaces: false,
        context: None,
    };
    let mut i = 0;
    while i < args.len() {
        let w = &args[i];
        i += 1;
        if w == "--" {
            break;
        }
        let verb = a.positional.first().map(String::as_str).unwrap_or("");
        if let Some(long) = w.strip_prefix("--") {
            let (name, value) = long_flag(long, args, &mut i, |n| KUBECTL_VALUE_FLAGS.contains(&n));
            match name {
                "namespace" => a.namespace = value,
                "all-namespaces" => a.all_namespaces = true,
                "context" => a.context = value,
                _ => {}
            }
        } else if w.len() > 1 && w.starts_with('-') {
            let flag = &w[1..];
            let c = flag.chars().next().unwrap_or(' ');
            let takes = match c {
                'n' | 'l' | 'o' | 'L' | 'k' | 's' => true,
                'c' => matches!(verb, "logs" | "exec" | "attach" | "debug" | "cp" | "rsh" | ""),
                'f' => !matches!(verb, "logs" | "attach"),
                'p' => verb == "patch",
                _ => false,
            };
            if takes {
                let value = if flag.len() > 1 {
                    Some(flag[1..].trim_start_matches('=').to_string())
                } else {
                    i += 1;
                    args.get(i - 1).cloned()
                };
                if c == 'n' {
                    a.namespace = value;
                }
            } else if flag == "A" {
                a.all_namespaces = true;
            }
        } else {
            a.positional.push(w.clone());
        }
    }
    a
}

/// What earlier commands of a block set: the namespace they switched to
/// (`oc project`, `oc new-project`, `kubectl config set-context --namespace`)
/// and the namespaces they created.
#[derive(Default)]
pub(super) struct Session {
    namespace: Option<String>,
    created_namespaces: HashSet<String>,
}

/// The references of a `kubectl` or `oc` command (`tool`) with `args`.
pub(super) fn extract(
    tool: &str,
    args: &[String],
    line: usize,
    session: &mut Session,
    out: &mut Vec<Reference>,
) {
    let a = kubectl_args(args);
    let mut pos: &[String] = &a.positional;
    if tool == "oc" && pos.first().is_some_and(|v| v == "adm") {
        pos = &pos[1..];
    }
    let Some(verb) = pos.first().map(String::as_str) else {
        return;
    };
    let rest = &pos[1..];
    let ns_written = a.namespace.clone();
    let scope = a.context.filter(|c| {
        is_kube_name(c)
            || c.chars()
                .all(|c| c.is_ascii_alphanumeric() || "-_.@:".contains(c))
    });
    let namespace = if a.all_namespaces {
        None
    } else {
        ns_written.clone().or_else(|| session.namespace.clone())
    };
    let created = session.created_namespaces.clone();
    let mut emit = |kind: &str, name: &str, out: &mut Vec<Reference>| {
        let Some(kk) = kube_kind(kind) else { return };
        if kk.ephemeral() || !is_kube_name(name) {
            return;
        }
        if kk.key == "namespace" && created.contains(name) {
            return;
        }
        let ns = if kk.cluster_scoped() {
            None
        } else {
            namespace.clone().filter(|n| is_kube_name(n))
        };
        out.push(Reference::found(
            ResourceRef {
                platform: Platform::Kubernetes,
                scope: scope.clone(),
                kind: kk.key,
                namespace: ns,
                name: name.to_string(),
            },
            line,
            Origin::Command,
        ));
    };
    let typed =
        |args: &[String], emit: &mut dyn FnMut(&str, &str, &mut Vec<Reference>), out: &mut Vec<Reference>| {
            let names: Vec<&String> = args
                .iter()
                .filter(|w| !(w.contains('=') || (w.ends_with('-') && w.len() > 1)))
                .collect();
            if names.first().is_some_and(|w| w.contains('/')) {
                for w in names {
                    if let Some((kind, name)) = w.split_once('/') {
                        emit(kind, name, out);
                    }
                }
            } else if let Some((kind, names)) = names.split_first() {
                if kind.contains(',') {
                    return;
                }
                for n in names {
                    emit(kind, n, out);
                }
            }
        };
    let mut creates_namespace = false;
    match verb {
        v if TYPED_VERBS.contains(&v) => typed(rest, &mut emit, out),
        "rollout" | "set" => typed(rest.get(1..).unwrap_or(&[]), &mut emit, out),
        "top" if rest.len() >= 2 => emit(&rest[0], &rest[1], out),
        "logs" | "exec" | "attach" | "port-forward" | "rsh" | "debug" => {
            if let Some(target) = rest.first() {
                match target.split_once('/') {
                    Some((kind, name)) => emit(kind, name, out),
                    None => emit("pod", target, out),
                }
            }
        }
        "cordon" | "uncordon" | "drain" => {
            for n in rest {
                emit("node", n, out);
            }
        }
        "project" if tool == "oc" => {
            if let Some(ns) = rest.first().filter(|n| is_kube_name(n)) {
                session.namespace = Some(ns.clone());
                emit("namespace", ns, out);
            }
            return;
        }
        "new-project" => {
            if let Some(ns) = rest.first() {
                session.created_namespaces.insert(ns.clone());
                session.namespace = Some(ns.clone());
            }
            return;
        }
        "create"
            if rest
                .first()
                .is_some_and(|k| kube_kind(k).is_some_and(|k| k.key == "namespace")) =>
        {
            if let Some(ns) = rest.get(1) {
                session.created_namespaces.insert(ns.clone());
            }
            creates_namespace = true;
        }
        "config" => {
            if rest.first().is_some_and(|s| s == "set-context")
                && let Some(ns) = ns_written.as_ref().filter(|n| is_kube_name(n))
            {
                session.namespace = Some(ns.clone());
            }
            return;
        }
        _ => {}
    }
    if !creates_namespace
        && !a.all_namespaces
        && let Some(ns) = ns_written.filter(|n| is_kube_name(n) && !session.created_namespaces.contains(n))
    {
        out.push(Reference::found(
            ResourceRef {
                platform: Platform::Kubernetes,
                scope,
                kind: "namespace".into(),
                namespace: None,
                name: ns,
            },
            line,
            Origin::Command,
        ));
    }
}

#[cfg(test)]
mod tests {
    use crate::freshness::references::tests::{names, refs};

    #[test]
    fn kubectl_forms() {
        assert_eq!(
            refs("bash", "kubectl -n openstack rollout restart deployment/nova-api"),
            vec![
                ("deployment/nova-api -n openstack".to_string(), 11),
                ("namespace/openstack".to_string(), 11)
            ]
        );
        assert_eq!(
            names(
                "bash",
                "kubectl get deploy nova-api nova-conductor --namespace=openstack -o yaml"
            ),
            vec![
                "deployment/nova-api -n openstack",
                "deployment/nova-conductor -n openstack",
                "namespace/openstack"
            ]
        );
        assert_eq!(
            names(
                "sh",
                "kubectl exec -it deploy/rook-ceph-tools -n rook-ceph -- ceph osd tree"
            ),
            vec!["deployment/rook-ceph-tools -n rook-ceph", "namespace/rook-ceph"]
        );
        assert_eq!(
            names("", "kubectl scale sts/galera --replicas=3 -nopenstack"),
            vec!["statefulset/galera -n openstack", "namespace/openstack"]
        );
        assert_eq!(
            names("bash", "kubectl drain cmp-03 --ignore-daemonsets"),
            vec!["node/cmp-03"]
        );
        assert_eq!(
            names("bash", "kubectl logs -f deploy/nova-api -c nova-api"),
            vec!["deployment/nova-api"]
        );
    }

    #[test]
    fn placeholders_variables_paths_and_selectors_are_not_references() {
        let text = "kubectl describe pod <pod> -n <namespace>\n\
                    kubectl get pods -n $NS\n\
                    kubectl logs ${POD} -n \"${NAMESPACE}\"\n\
                    kubectl apply -f deploy/examples/x.yaml\n\
                    kubectl delete pod -l app=nova-api\n\
                    kubectl get deploy NAME\n\
                    oc debug node/<node-name>\n\
                    kubectl logs nova-api-7d9f8c-x2x9z -n openstack\n";
        assert_eq!(names("bash", text), vec!["namespace/openstack"]);
    }

    #[test]
    fn oc_project_sets_the_namespace_and_prompts_are_stripped() {
        let text = "$ oc project openshift-monitoring\nNow using project\n$ oc get deployment prometheus-operator -o yaml\n$ oc adm cordon worker-1\n";
        assert_eq!(
            names("console", text),
            vec![
                "namespace/openshift-monitoring",
                "deployment/prometheus-operator -n openshift-monitoring",
                "node/worker-1"
            ]
        );
    }

    #[test]
    fn created_namespaces_are_not_references() {
        let text = "kubectl create namespace tests\nkubectl -n tests get pods\n";
        assert!(names("bash", text).is_empty());
    }
}
