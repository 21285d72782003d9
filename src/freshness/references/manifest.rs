//! Kubernetes manifests in YAML code blocks: the object each `---` document
//! declares (`kind`, `metadata.name`, `metadata.namespace`).

use super::{Origin, Reference};
use crate::freshness::resource::{Platform, ResourceRef, is_kube_name, kube_kind};
use crate::markdown::CodeBlock;

/// Kubernetes objects in a YAML block: `kind` + `metadata.name` (+ `namespace`)
/// per `---` document. Templated values (`{{ … }}`) and non-objects are skipped.
pub(super) fn extract(block: &CodeBlock, out: &mut Vec<Reference>) {
    #[derive(Default)]
    struct Doc {
        api_version: Option<String>,
        kind: Option<String>,
        name: Option<(String, usize)>,
        namespace: Option<String>,
    }
    let mut docs = vec![Doc::default()];
    let mut in_metadata: Option<usize> = None;
    for (i, raw) in block.text.lines().enumerate() {
        let line = block.line + 1 + i;
        if raw.trim_end() == "---" {
            docs.push(Doc::default());
            in_metadata = None;
            continue;
        }
        let content = raw.split(" #").next().unwrap_or(raw).trim_end();
        if content.trim().is_empty() || content.trim_start().starts_with('#') {
            continue;
        }
        let indent = content.len() - content.trim_start().len();
        let doc = docs.last_mut().expect("one document at least");
        let Some((key, value)) = content.trim_start().split_once(':') else {
            continue;
        };
        let value = value.trim().trim_matches(['"', '\'']).to_string();
        if indent == 0 {
            in_metadata = None;
            match key {
                "apiVersion" => doc.api_version = Some(value),
                "kind" => doc.kind = Some(value),
                "metadata" => in_metadata = Some(usize::MAX),
                _ => {}
            }
        } else if let Some(level) = in_metadata {
            let level = if level == usize::MAX {
                in_metadata = Some(indent);
                indent
            } else {
                level
            };
            if indent == level {
                match key {
                    "name" => doc.name = Some((value, line)),
                    "namespace" => doc.namespace = Some(value),
                    _ => {}
                }
            }
        }
    }
    for doc in docs {
        let (Some(api), Some(kind), Some((name, line))) = (doc.api_version, doc.kind, doc.name) else {
            continue;
        };
        if kind.ends_with("List")
            || matches!(kind.as_str(), "Config" | "Kustomization" | "Component")
            || api.contains("kustomize")
            || api.contains("kubeadm")
            || api.contains("kubelet.config")
        {
            continue;
        }
        let Some(kk) = kube_kind(&kind) else { continue };
        if kk.ephemeral() || !is_kube_name(&name) {
            continue;
        }
        let namespace = doc.namespace.filter(|n| is_kube_name(n) && !kk.cluster_scoped());
        out.push(Reference::found(
            ResourceRef {
                platform: Platform::Kubernetes,
                scope: None,
                kind: kk.key,
                namespace,
                name,
            },
            line,
            Origin::Manifest,
        ));
    }
}

#[cfg(test)]
mod tests {
    use crate::freshness::references::tests::refs;

    #[test]
    fn yaml_manifests() {
        let text = "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: nova-api\n  namespace: openstack\n  labels:\n    name: not-this\nspec:\n  template:\n    metadata:\n      name: nor-this\n---\napiVersion: v1\nkind: Namespace\nmetadata:\n  name: \"ceph\"\n---\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: \"{{ .Values.name }}\"\n";
        assert_eq!(
            refs("yaml", text),
            vec![
                ("deployment/nova-api -n openstack".to_string(), 14),
                ("namespace/ceph".to_string(), 26)
            ]
        );
        assert!(refs("yaml", "replicas: 3\nimage: x\n").is_empty());
    }
}
