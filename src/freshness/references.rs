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

use std::collections::{HashMap, HashSet};

use serde_json::{Map, Value};

use super::resource::{Platform, ResourceRef, is_kube_name, is_openstack_name, kube_kind, openstack_kind};
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
            manifests(block, &mut out);
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

// ---------------------------------------------------------------- shell ----

/// State that lives for one code block: variables, `oc project`, namespaces it creates.
#[derive(Default)]
struct BlockCtx {
    vars: HashMap<String, String>,
    namespace: Option<String>,
    created_namespaces: HashSet<String>,
}

/// One simple command: its words (quotes removed, variables substituted) and its line.
struct Command {
    line: usize,
    words: Vec<String>,
}

fn commands(block: &CodeBlock, out: &mut Vec<Reference>) {
    let lines: Vec<&str> = block.text.lines().collect();
    let prompted = lines.iter().any(|l| l.trim_start().starts_with("$ "));
    let mut ctx = BlockCtx::default();
    let mut i = 0;
    let mut heredoc: Option<String> = None;
    while i < lines.len() {
        let start = i;
        let raw = lines[i];
        i += 1;
        if let Some(end) = &heredoc {
            if raw.trim() == end {
                heredoc = None;
            }
            continue;
        }
        let mut text = raw.trim_start();
        if prompted {
            match text.strip_prefix("$ ") {
                Some(t) => text = t,
                None => continue,
            }
        }
        let mut logical = text.to_string();
        while logical.ends_with('\\') && i < lines.len() {
            logical.pop();
            logical.push(' ');
            let next = lines[i].trim_start();
            logical.push_str(next.strip_prefix("> ").unwrap_or(next));
            i += 1;
        }
        if is_ignore_marker(&logical) {
            continue;
        }
        let line = block.line + 1 + start;
        let (cmds, doc_end) = split_commands(&logical);
        heredoc = doc_end;
        for words in cmds {
            let cmd = Command {
                line,
                words: words.iter().map(|w| substitute(w, &ctx.vars)).collect(),
            };
            run_command(&cmd, &words, &mut ctx, out);
        }
    }
}

/// Splits a logical line into simple commands (on `|`, `;`, `&&`, `||`, `&`),
/// removing quotes and comments. Words keep `$…` and `$(…)` as written. Also
/// returns the end marker of a here-document the line opens.
fn split_commands(line: &str) -> (Vec<Vec<String>>, Option<String>) {
    let mut cmds = Vec::new();
    let mut words: Vec<String> = Vec::new();
    let mut word = String::new();
    let mut in_word = false;
    let mut chars = line.chars().peekable();
    let mut single = false;
    let mut double = false;
    let mut depth = 0usize;
    let mut heredoc = None;
    let end_word = |word: &mut String, in_word: &mut bool, words: &mut Vec<String>| {
        if *in_word {
            words.push(std::mem::take(word));
            *in_word = false;
        }
    };
    while let Some(c) = chars.next() {
        if single {
            if c == '\'' {
                single = false;
            } else {
                word.push(c);
            }
            continue;
        }
        if c == '`' {
            // command substitution: kept whole in the word, which is then no name
            word.push(c);
            for n in chars.by_ref() {
                word.push(n);
                if n == '`' {
                    break;
                }
            }
            in_word = true;
            continue;
        }
        if c == '\\' {
            if let Some(n) = chars.next() {
                word.push(n);
                in_word = true;
            }
            continue;
        }
        if double {
            if c == '"' && depth == 0 {
                double = false;
            } else {
                if c == '$' && chars.peek() == Some(&'(') {
                    depth += 1;
                } else if c == ')' && depth > 0 {
                    depth -= 1;
                }
                word.push(c);
            }
            continue;
        }
        if depth > 0 {
            if c == '(' {
                depth += 1;
            } else if c == ')' {
                depth -= 1;
            }
            word.push(c);
            continue;
        }
        match c {
            '\'' => {
                single = true;
                in_word = true;
            }
            '"' => {
                double = true;
                in_word = true;
            }
            '$' if chars.peek() == Some(&'(') => {
                word.push(c);
                in_word = true;
                depth += 1;
                word.push(chars.next().unwrap_or('('));
            }
            ' ' | '\t' => end_word(&mut word, &mut in_word, &mut words),
            '#' if !in_word => break,
            '|' | ';' | '&' => {
                end_word(&mut word, &mut in_word, &mut words);
                if c == '&' && words.last().is_some_and(|w| w.ends_with('>')) {
                    continue;
                }
                if !words.is_empty() {
                    cmds.push(std::mem::take(&mut words));
                }
                if matches!(chars.peek(), Some('|' | '&')) {
                    chars.next();
                }
            }
            '<' if !in_word && chars.peek() == Some(&'<') => {
                // here-document: `<<EOF`, `<<-'EOF'`
                let rest: String = chars.by_ref().collect();
                let marker = rest
                    .trim_start_matches(['<', '-'])
                    .trim()
                    .trim_matches(['\'', '"'])
                    .split_whitespace()
                    .next()
                    .unwrap_or("")
                    .to_string();
                if !marker.is_empty() {
                    heredoc = Some(marker);
                }
                break;
            }
            _ => {
                word.push(c);
                in_word = true;
            }
        }
    }
    end_word(&mut word, &mut in_word, &mut words);
    if !words.is_empty() {
        cmds.push(words);
    }
    for cmd in &mut cmds {
        drop_redirections(cmd);
    }
    (cmds, heredoc)
}

/// Removes `> file`, `2>&1`, `< input` from a command's words.
fn drop_redirections(words: &mut Vec<String>) {
    let mut out = Vec::with_capacity(words.len());
    let mut skip_next = false;
    for w in words.drain(..) {
        if skip_next {
            skip_next = false;
            continue;
        }
        let bare = w.trim_start_matches(|c: char| c.is_ascii_digit() || c == '&');
        if bare.starts_with('>') || (bare.starts_with('<') && !bare.ends_with('>')) {
            skip_next = bare.trim_start_matches(['>', '<', '&']).is_empty() && !bare.contains('&');
            continue;
        }
        out.push(w);
    }
    *words = out;
}

/// Replaces `$NAME` and `${NAME}` by the values assigned earlier in the block.
/// Unknown variables stay as written, so the word is no name.
fn substitute(word: &str, vars: &HashMap<String, String>) -> String {
    if !word.contains('$') || vars.is_empty() {
        return word.to_string();
    }
    let mut out = String::with_capacity(word.len());
    let mut rest = word;
    while let Some(at) = rest.find('$') {
        out.push_str(&rest[..at]);
        let after = &rest[at + 1..];
        let (name, len) = if let Some(inner) = after.strip_prefix('{') {
            match inner.find('}') {
                Some(end) => (&inner[..end], end + 2),
                None => ("", 0),
            }
        } else {
            let end = after
                .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
                .unwrap_or(after.len());
            (&after[..end], end)
        };
        match vars.get(name) {
            Some(v) if len > 0 => {
                out.push_str(v);
                rest = &after[len..];
            }
            _ => {
                out.push('$');
                rest = after;
            }
        }
    }
    out.push_str(rest);
    out
}

fn is_assignment(w: &str) -> Option<(&str, &str)> {
    let (name, value) = w.split_once('=')?;
    (!name.is_empty()
        && name.starts_with(|c: char| c.is_ascii_alphabetic() || c == '_')
        && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_'))
    .then_some((name, value))
}

fn run_command(cmd: &Command, raw: &[String], ctx: &mut BlockCtx, out: &mut Vec<Reference>) {
    let mut words: &[String] = &cmd.words;
    // `export NS=x`, `NS=x`: remember; `NS=x kubectl …`: an environment prefix.
    let assigns_only = words
        .iter()
        .skip_while(|w| *w == "export")
        .all(|w| is_assignment(w).is_some());
    if assigns_only {
        for (w, r) in words.iter().zip(raw).filter(|(w, _)| *w != "export") {
            if let Some((name, value)) = is_assignment(w) {
                let computed = r.contains("$(") || r.contains('`') || value.contains('$');
                if computed || value.is_empty() {
                    ctx.vars.remove(name);
                } else {
                    ctx.vars.insert(name.to_string(), value.to_string());
                }
            }
        }
        return;
    }
    while let Some(first) = words.first() {
        let f = first.as_str();
        if is_assignment(f).is_some() || matches!(f, "sudo" | "time" | "env" | "command" | "exec" | "nohup") {
            words = &words[1..];
        } else if f == "watch" {
            words = &words[1..];
            while words.first().is_some_and(|w| w.starts_with('-')) {
                let takes = matches!(words[0].as_str(), "-n" | "--interval");
                words = &words[if takes { 2 } else { 1 }.min(words.len())..];
            }
        } else {
            break;
        }
    }
    let Some(tool) = words.first() else { return };
    let tool = tool.rsplit('/').next().unwrap_or(tool);
    let args = &words[1..];
    match tool {
        "kubectl" | "oc" | "k" => kubectl(tool, args, cmd.line, ctx, out),
        "helm" => helm(args, cmd.line, out),
        "openstack" => openstack(args, cmd.line, out),
        _ => {}
    }
}

// --------------------------------------------------------------- kubectl ---

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

fn kubectl(tool: &str, args: &[String], line: usize, ctx: &mut BlockCtx, out: &mut Vec<Reference>) {
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
        ns_written.clone().or_else(|| ctx.namespace.clone())
    };
    let created = ctx.created_namespaces.clone();
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
                ctx.namespace = Some(ns.clone());
                emit("namespace", ns, out);
            }
            return;
        }
        "new-project" => {
            if let Some(ns) = rest.first() {
                ctx.created_namespaces.insert(ns.clone());
                ctx.namespace = Some(ns.clone());
            }
            return;
        }
        "create"
            if rest
                .first()
                .is_some_and(|k| kube_kind(k).is_some_and(|k| k.key == "namespace")) =>
        {
            if let Some(ns) = rest.get(1) {
                ctx.created_namespaces.insert(ns.clone());
            }
            creates_namespace = true;
        }
        "config" => {
            if rest.first().is_some_and(|s| s == "set-context")
                && let Some(ns) = ns_written.as_ref().filter(|n| is_kube_name(n))
            {
                ctx.namespace = Some(ns.clone());
            }
            return;
        }
        _ => {}
    }
    if !creates_namespace
        && !a.all_namespaces
        && let Some(ns) = ns_written.filter(|n| is_kube_name(n) && !ctx.created_namespaces.contains(n))
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

// ------------------------------------------------------------------ helm ---

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

fn helm(args: &[String], line: usize, out: &mut Vec<Reference>) {
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

// ------------------------------------------------------------- openstack ---

const OS_VALUE_FLAGS: &[&str] = &[
    "format",
    "column",
    "max-width",
    "sort-column",
    "quote",
    "prefix",
    "flavor",
    "image",
    "network",
    "nic",
    "volume",
    "snapshot",
    "security-group",
    "key-name",
    "availability-zone",
    "host",
    "property",
    "description",
    "size",
    "type",
    "status",
    "state",
    "project",
    "project-domain",
    "user",
    "user-domain",
    "domain",
    "subnet",
    "port",
    "fixed-ip",
    "fixed-ip-address",
    "floating-ip-address",
    "external-gateway",
    "source",
    "disk-format",
    "container-format",
    "file",
    "min-disk",
    "min-ram",
    "ram",
    "disk",
    "vcpus",
    "ephemeral",
    "swap",
    "rxtx-factor",
    "id",
    "name",
    "tag",
    "tags",
    "limit",
    "marker",
    "sort",
    "service",
    "agent-type",
    "binary",
    "zone",
    "reason",
    "hint",
    "user-data",
    "config-drive",
    "min",
    "max",
    "block-device-mapping",
    "block-device",
    "boot-from-volume",
    "provider-network-type",
    "provider-physical-network",
    "provider-segment",
    "mtu",
    "dns-nameserver",
    "allocation-pool",
    "gateway",
    "subnet-range",
    "ip-version",
    "protocol",
    "dst-port",
    "remote-ip",
    "remote-group",
    "ethertype",
    "server",
    "device",
    "device-owner",
    "mac-address",
    "router",
    "qos-policy",
    "visibility",
    "public-key",
    "private-key",
    "password",
    "root-password",
    "admin-pass",
    "timeout",
    "interface",
    "region",
    "changes-since",
    "ip",
    "ip6",
    "instance-name",
    "image-property",
    "lock-reason",
    "route",
    "fixed-address",
    "address",
    "dns-domain",
    "dns-name",
    "storage-policy",
    "os-cloud",
    "hypervisor",
    "migration-type",
];

/// Objects of the `openstack` client that are not the checked kinds even
/// though their first word is (`server group`, `volume snapshot`, …).
const OS_SUB_OBJECTS: &[(&str, &[&str])] = &[
    (
        "server",
        &[
            "group",
            "event",
            "migration",
            "image",
            "backup",
            "volume",
            "dump",
            "console",
            "share",
        ],
    ),
    (
        "volume",
        &[
            "snapshot",
            "backup",
            "type",
            "transfer",
            "qos",
            "service",
            "host",
            "attachment",
            "group",
            "message",
            "summary",
            "backend",
            "revert",
        ],
    ),
    (
        "network",
        &[
            "agent", "qos", "segment", "rbac", "flavor", "meter", "trunk", "auto", "log", "service", "l3",
            "ip", "subport",
        ],
    ),
    ("image", &["member", "metadef", "task", "stage", "import"]),
    ("subnet", &["pool"]),
    ("router", &["ndp"]),
    ("flavor", &[]),
];

fn openstack(args: &[String], line: usize, out: &mut Vec<Reference>) {
    let mut pos: Vec<&str> = Vec::new();
    let mut cloud = None;
    let mut options: Vec<(&str, String)> = Vec::new();
    let mut i = 0;
    while i < args.len() {
        let w = &args[i];
        i += 1;
        if let Some(long) = w.strip_prefix("--") {
            let (name, value) = long_flag(long, args, &mut i, |n| {
                OS_VALUE_FLAGS.contains(&n) || n.starts_with("os-")
            });
            if let Some(v) = value {
                if name == "os-cloud" {
                    cloud = Some(v).filter(|c| is_openstack_name(c));
                } else {
                    options.push((name, v));
                }
            }
        } else if w.len() > 1 && w.starts_with('-') {
            if matches!(w.as_str(), "-f" | "-c") {
                i += 1;
            }
        } else {
            pos.push(w.as_str());
        }
    }
    let mut push = |kind: &str, name: &str| {
        if is_openstack_name(name) {
            out.push(Reference::found(
                ResourceRef {
                    platform: Platform::OpenStack,
                    scope: cloud.clone(),
                    kind: kind.into(),
                    namespace: None,
                    name: name.into(),
                },
                line,
                Origin::Command,
            ));
        }
    };
    for (name, value) in &options {
        match *name {
            "flavor" => push("flavor", value),
            "image" => push("image", value),
            "network" | "external-gateway" => push("network", value),
            "subnet" => push("subnet", value),
            "security-group" => push("security_group", value),
            "volume" => push("volume", value),
            "nic" => {
                for part in value.split(',') {
                    if let Some(id) = part
                        .strip_prefix("net-id=")
                        .or_else(|| part.strip_prefix("net-name="))
                    {
                        push("network", id);
                    }
                }
            }
            _ => {}
        }
    }
    // The object: `server`, `security group`, `floating ip`, …
    let (kind, rest) = match pos.as_slice() {
        ["security", "group", "rule", ..] => return,
        ["security", "group", rest @ ..] => ("security_group", rest),
        ["floating", "ip", "create", network, ..] => {
            push("network", network);
            return;
        }
        [first, rest @ ..] => match OS_SUB_OBJECTS.iter().find(|(o, _)| o == first) {
            Some((_, subs)) if rest.first().is_some_and(|s| subs.contains(s)) => return,
            Some(_) => match openstack_kind(first) {
                Some(k) => (k, rest),
                None => return,
            },
            None => return,
        },
        [] => return,
    };
    let Some((action, names)) = rest.split_first() else {
        return;
    };
    match *action {
        "list" | "create" => {}
        "add" | "remove" => {
            let (sub, args): (Option<&str>, &[&str]) = match names {
                ["security", "group", a @ ..] => (Some("security_group"), a),
                ["fixed", "ip", a @ ..] => (Some("network"), a),
                ["floating", "ip", a @ ..] => (None, a),
                ["volume", a @ ..] => (Some("volume"), a),
                ["network", a @ ..] => (Some("network"), a),
                ["subnet", a @ ..] => (Some("subnet"), a),
                [_, a @ ..] => (None, a),
                [] => return,
            };
            if let Some(main) = args.first() {
                push(kind, main);
            }
            if let (Some(sub), Some(name)) = (sub, args.get(1)) {
                push(sub, name);
            }
        }
        _ => {
            let names = match names.first() {
                Some(&("confirm" | "revert" | "abort" | "force")) => &names[1..],
                _ => names,
            };
            for n in names {
                push(kind, n);
            }
        }
    }
}

// ------------------------------------------------------------- manifests ---

/// Kubernetes objects in a YAML block: `kind` + `metadata.name` (+ `namespace`)
/// per `---` document. Templated values (`{{ … }}`) and non-objects are skipped.
fn manifests(block: &CodeBlock, out: &mut Vec<Reference>) {
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
    use super::*;

    fn block(lang: &str, text: &str) -> CodeBlock {
        CodeBlock {
            lang: lang.into(),
            text: text.into(),
            line: 10,
        }
    }

    /// `(reference, line)` pairs, as text.
    fn refs(lang: &str, text: &str) -> Vec<(String, usize)> {
        extract(&[block(lang, text)])
            .into_iter()
            .map(|r| (r.target.to_string(), r.line))
            .collect()
    }

    fn names(lang: &str, text: &str) -> Vec<String> {
        refs(lang, text).into_iter().map(|(r, _)| r).collect()
    }

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
    fn variables_assigned_earlier_in_the_block_are_resolved() {
        let text = "NS=openstack\nexport DEPLOY=nova-api\nkubectl -n \"$NS\" rollout status deploy/${DEPLOY}\nPOD=$(kubectl get pod -o name)\nkubectl logs $POD\n";
        assert_eq!(
            names("bash", text),
            vec!["deployment/nova-api -n openstack", "namespace/openstack"]
        );
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
    fn continuation_lines_keep_the_first_line() {
        let text = "# restart\nkubectl -n openstack \\\n  rollout restart \\\n  ds/nova-compute-default\n";
        assert_eq!(
            refs("bash", text),
            vec![
                ("daemonset/nova-compute-default -n openstack".to_string(), 12),
                ("namespace/openstack".to_string(), 12)
            ]
        );
    }

    #[test]
    fn backticks_are_substitutions_not_names() {
        assert_eq!(
            names(
                "console",
                "$ oc get storageclass `oc -n <ns> get pvc <pvc> -ojson | jq -r '.spec.storageClassName'`"
            ),
            Vec::<String>::new()
        );
    }

    #[test]
    fn pipes_and_chains_split_commands() {
        assert_eq!(
            names(
                "bash",
                "kubectl get pods -n ceph | grep osd && kubectl describe cm rook-config-override -n rook-ceph"
            ),
            vec![
                "namespace/ceph",
                "configmap/rook-config-override -n rook-ceph",
                "namespace/rook-ceph"
            ]
        );
    }

    #[test]
    fn created_namespaces_are_not_references() {
        let text = "kubectl create namespace tests\nkubectl -n tests get pods\n";
        assert!(names("bash", text).is_empty());
    }

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

    #[test]
    fn openstack_commands() {
        assert_eq!(
            names("bash", "openstack flavor show a2-ram4-disk20-perf1 -f json"),
            vec!["openstack flavor/a2-ram4-disk20-perf1"]
        );
        assert_eq!(
            names(
                "bash",
                "openstack server create --flavor a2-ram4 --image debian-12 --network provider-ext web1"
            ),
            vec![
                "openstack flavor/a2-ram4",
                "openstack image/debian-12",
                "openstack network/provider-ext"
            ]
        );
        assert_eq!(
            names(
                "bash",
                "openstack --os-cloud nuage router add subnet r-main sub-main"
            ),
            vec![
                "openstack router/r-main @nuage",
                "openstack subnet/sub-main @nuage"
            ]
        );
        assert_eq!(
            names("bash", "openstack security group show web"),
            vec!["openstack security-group/web"]
        );
        assert_eq!(
            names("bash", "openstack floating ip create provider-ext"),
            vec!["openstack network/provider-ext"]
        );
        for none in [
            "openstack server show <server>",
            "openstack server list --all-projects --status ERROR",
            "openstack volume snapshot show snap1",
            "openstack server group list",
            "openstack network agent list --host net-1",
            "openstack server show $SERVER_ID",
            "openstack compute service list --service nova-compute",
        ] {
            assert!(names("bash", none).is_empty(), "{none}");
        }
    }

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
