//! References found in a page's text: `kubectl`/`oc`, `helm` and `openstack`
//! commands and Kubernetes manifests in code blocks. A reference is checked
//! for existence only; what a page *claims* lives in [`super::claims`].
//!
//! Not references: placeholders (`<pod>`, `NAME`, `pod-name`), variables
//! (`$NS`, `${X}`) unless assigned earlier in the same block (`NS=openstack`),
//! file paths (`-f deploy/x.yaml`), label selectors (`-l app=x`), names a
//! command creates (`openstack server create web1`, `kubectl create ns x`),
//! and names that change all the time (pods, replica sets, jobs, events).
//! A block or a command line carrying `vigie: ignore` is skipped.
//!
//! This module owns [`Reference`] and [`extract`], which hands each block to
//! its reader: `manifest` for YAML, `shell` for the rest, whose commands go to
//! `kubectl`, `helm` or `openstack` by the program they run.

mod helm;
mod kubectl;
mod manifest;
mod openstack;
mod shell;

use std::collections::HashSet;

use serde_json::{Map, Value};

use super::resource::ResourceRef;
use crate::markdown::CodeBlock;

/// Where a reference comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Origin {
    /// An `applies_to` entry of the front matter.
    Claim,
    /// A command in a code block.
    Command,
    /// A Kubernetes manifest in a code block.
    Manifest,
}

/// Something a page names on the platform, with where it does so.
#[derive(Debug, Clone, PartialEq)]
pub struct Reference {
    pub target: ResourceRef,
    /// 1-based line in the page's source file.
    pub line: usize,
    pub origin: Origin,
    /// Expected fields (`replicas`, `image`, `vcpus`, …); empty for references found in text.
    pub expect: Map<String, Value>,
    /// The page says this resource must not exist.
    pub absent: bool,
}

impl Reference {
    fn found(target: ResourceRef, line: usize, origin: Origin) -> Reference {
        Reference {
            target,
            line,
            origin,
            expect: Map::new(),
            absent: false,
        }
    }
}

/// Every reference in `blocks` (the code blocks of one page, as rendered).
pub fn extract(blocks: &[CodeBlock]) -> Vec<Reference> {
    let mut out = Vec::new();
    for block in blocks {
        if block
            .text
            .lines()
            .any(|l| l.trim_start().starts_with('#') && is_ignore_marker(l))
        {
            continue;
        }
        let lang = block.lang.to_ascii_lowercase();
        let first = block
            .text
            .lines()
            .map(str::trim)
            .find(|l| !l.is_empty() && !l.starts_with('#'))
            .unwrap_or("");
        if matches!(lang.as_str(), "yaml" | "yml") || first.starts_with("apiVersion:") {
            manifest::extract(block, &mut out);
        } else if !matches!(
            lang.as_str(),
            "json" | "toml" | "ini" | "python" | "go" | "rust" | "promql"
        ) {
            commands(block, &mut out);
        }
    }
    let mut seen = HashSet::new();
    out.retain(|r| seen.insert((r.target.clone(), r.line)));
    out
}

fn is_ignore_marker(line: &str) -> bool {
    line.contains("vigie: ignore") || line.contains("vigie:ignore") || line.contains("vigie-ignore")
}

/// The references of a shell block's commands. What a `kubectl` or `oc`
/// command sets (`oc project`, a namespace it creates) holds until the block ends.
fn commands(block: &CodeBlock, out: &mut Vec<Reference>) {
    let mut session = kubectl::Session::default();
    for cmd in shell::commands(block) {
        match cmd.program.as_str() {
            "kubectl" | "oc" | "k" => kubectl::extract(&cmd.program, &cmd.args, cmd.line, &mut session, out),
            "helm" => helm::extract(&cmd.args, cmd.line, out),
            "openstack" => openstack::extract(&cmd.args, cmd.line, out),
            _ => {}
        }
    }
}

/// A long flag, `long` being what follows `--` in `args[*i - 1]`: its name
/// and value — written inline (`--namespace=x`) or, when `takes(name)`, the
/// next argument (then `*i` moves past it).
fn long_flag<'a>(
    long: &'a str,
    args: &[String],
    i: &mut usize,
    takes: impl Fn(&str) -> bool,
) -> (&'a str, Option<String>) {
    match long.split_once('=') {
        Some((name, value)) => (name, Some(value.to_string())),
        None if takes(long) => {
            *i += 1;
            (long, args.get(*i - 1).cloned())
        }
        None => (long, None),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn block(lang: &str, text: &str) -> CodeBlock {
        CodeBlock {
            lang: lang.into(),
            text: text.into(),
            line: 10,
        }
    }

    /// `(reference, line)` pairs, as text.
    pub(super) fn refs(lang: &str, text: &str) -> Vec<(String, usize)> {
        extract(&[block(lang, text)])
            .into_iter()
            .map(|r| (r.target.to_string(), r.line))
            .collect()
    }

    pub(super) fn names(lang: &str, text: &str) -> Vec<String> {
        refs(lang, text).into_iter().map(|(r, _)| r).collect()
    }

    #[test]
    fn ignore_markers() {
        assert!(names("bash", "# vigie: ignore\nkubectl get deploy old -n gone").is_empty());
        assert_eq!(
            names(
                "bash",
                "kubectl get deploy old -n gone # vigie: ignore\nkubectl get ns keep"
            ),
            vec!["namespace/keep"]
        );
    }
}
