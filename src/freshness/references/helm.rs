//! `helm` commands: the release a command acts on (`helm upgrade nova …`,
//! `helm history nova`) and the namespace it runs in, unless the command
//! creates them.

use super::{Origin, Reference, long_flag};
use crate::freshness::resource::{Platform, ResourceRef, is_kube_name};

const HELM_VALUE_FLAGS: &[&str] = &[
    "namespace",
    "kube-context",
    "kubeconfig",
    "kube-apiserver",
    "kube-token",
    "kube-as-user",
    "values",
    "set",
    "set-string",
    "set-file",
    "set-json",
    "version",
    "timeout",
    "output",
    "revision",
    "max",
    "description",
    "repo",
    "post-renderer",
    "username",
    "password",
    "ca-file",
    "cert-file",
    "key-file",
    "history-max",
];

/// The references of a `helm` command with `args`.
pub(super) fn extract(args: &[String], line: usize, out: &mut Vec<Reference>) {
    let mut pos = Vec::new();
    let mut ns = None;
    let mut install = false;
    let mut create_ns = false;
    let mut context = None;
    let mut i = 0;
    while i < args.len() {
        let w = &args[i];
        i += 1;
        if let Some(long) = w.strip_prefix("--") {
            let (name, value) = long_flag(long, args, &mut i, |n| HELM_VALUE_FLAGS.contains(&n));
            match name {
                "namespace" => ns = value,
                "install" => install = true,
                "create-namespace" => create_ns = true,
                "kube-context" => context = value,
                _ => {}
            }
        } else if w.len() > 1 && w.starts_with('-') {
            match &w[1..2] {
                "n" => {
                    ns = if w.len() > 2 {
                        Some(w[2..].to_string())
                    } else {
                        i += 1;
                        args.get(i - 1).cloned()
                    }
                }
                "f" | "o" if w.len() == 2 => i += 1,
                "i" if w.len() == 2 => install = true,
                _ => {}
            }
        } else {
            pos.push(w.as_str());
        }
    }
    let release = match pos.as_slice() {
        ["upgrade", r, ..] if !install => Some(*r),
        [
            "status" | "history" | "hist" | "rollback" | "uninstall" | "delete" | "del" | "un" | "test",
            r,
            ..,
        ] => Some(*r),
        ["get", _, r, ..] => Some(*r),
        _ => None,
    };
    let ns = ns.filter(|n| is_kube_name(n));
    let mut push = |kind: &str, name: &str, namespace: Option<String>| {
        out.push(Reference::found(
            ResourceRef {
                platform: Platform::Kubernetes,
                scope: context.clone(),
                kind: kind.into(),
                namespace,
                name: name.into(),
            },
            line,
            Origin::Command,
        ))
    };
    if let Some(r) = release.filter(|r| is_kube_name(r)) {
        push("helmrelease", r, ns.clone());
    }
    let creates = create_ns && matches!(pos.first(), Some(&"install") | Some(&"upgrade"));
    if let Some(n) = ns.filter(|_| !creates && !pos.is_empty()) {
        push("namespace", &n, None);
    }
}

#[cfg(test)]
mod tests {
    use crate::freshness::references::tests::names;

    #[test]
    fn helm_releases() {
        assert_eq!(
            names(
                "bash",
                "helm upgrade nova openstack-helm/nova -n openstack -f values.yaml"
            ),
            vec!["helmrelease/nova -n openstack", "namespace/openstack"]
        );
        assert_eq!(
            names("bash", "helm history rook-ceph --namespace rook-ceph --max 5").len(),
            2
        );
        assert!(names("bash", "helm upgrade --install x ./chart -n y --create-namespace").is_empty());
        assert!(
            names(
                "bash",
                "helm repo add openstack-helm https://tarballs.opendev.org"
            )
            .is_empty()
        );
    }
}
