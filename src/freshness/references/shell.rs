//! Shell text read as simple commands: `$ ` prompts, `\` continuation lines,
//! here-documents, pipes and chains, quotes, comments and redirections, and
//! the variables a block assigns (`NS=openstack`) substituted in the commands
//! after the assignment.

use std::collections::HashMap;

use super::is_ignore_marker;
use crate::markdown::CodeBlock;

/// One simple command: the program it runs (its directory dropped) and its
/// arguments, quotes removed and variables substituted.
pub(super) struct Command {
    /// 1-based line in the page's source file (the first of a continued line).
    pub(super) line: usize,
    pub(super) program: String,
    pub(super) args: Vec<String>,
}

/// The commands of a shell block, in order. Lines carrying `vigie: ignore`,
/// here-document bodies and, when the block has `$ ` prompts, output lines
/// are skipped; assignments are remembered, not returned.
pub(super) fn commands(block: &CodeBlock) -> Vec<Command> {
    let lines: Vec<&str> = block.text.lines().collect();
    let prompted = lines.iter().any(|l| l.trim_start().starts_with("$ "));
    let mut vars = HashMap::new();
    let mut out = Vec::new();
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
        for raw in cmds {
            let words: Vec<String> = raw.iter().map(|w| substitute(w, &vars)).collect();
            if !assign(&words, &raw, &mut vars) {
                out.extend(program(line, words));
            }
        }
    }
    out
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

/// When `words` only assign (`NS=x`, `export NS=x`), remembers their values
/// and returns true. A computed value (`$(…)`, a backtick, an unknown
/// variable) or an empty one forgets the variable instead. `raw` are the
/// words as written, before substitution.
fn assign(words: &[String], raw: &[String], vars: &mut HashMap<String, String>) -> bool {
    let assigns_only = words
        .iter()
        .skip_while(|w| *w == "export")
        .all(|w| is_assignment(w).is_some());
    if !assigns_only {
        return false;
    }
    for (w, r) in words.iter().zip(raw).filter(|(w, _)| *w != "export") {
        if let Some((name, value)) = is_assignment(w) {
            let computed = r.contains("$(") || r.contains('`') || value.contains('$');
            if computed || value.is_empty() {
                vars.remove(name);
            } else {
                vars.insert(name.to_string(), value.to_string());
            }
        }
    }
    true
}

/// The program `words` run, past an environment prefix (`NS=x kubectl …`)
/// and wrappers (`sudo`, `env`, `watch -n 5`, …).
fn program(line: usize, words: Vec<String>) -> Option<Command> {
    let mut rest = &words[..];
    while let Some(first) = rest.first() {
        let f = first.as_str();
        if is_assignment(f).is_some() || matches!(f, "sudo" | "time" | "env" | "command" | "exec" | "nohup") {
            rest = &rest[1..];
        } else if f == "watch" {
            rest = &rest[1..];
            while rest.first().is_some_and(|w| w.starts_with('-')) {
                let takes = matches!(rest[0].as_str(), "-n" | "--interval");
                rest = &rest[if takes { 2 } else { 1 }.min(rest.len())..];
            }
        } else {
            break;
        }
    }
    let skipped = words.len() - rest.len();
    let mut words = words.into_iter().skip(skipped);
    let program = words.next()?;
    Some(Command {
        line,
        program: match program.rsplit_once('/') {
            Some((_, name)) => name.to_string(),
            None => program,
        },
        args: words.collect(),
    })
}

#[cfg(test)]
mod tests {
    use crate::freshness::references::tests::{names, refs};

    #[test]
    fn variables_assigned_earlier_in_the_block_are_resolved() {
        let text = "NS=openstack\nexport DEPLOY=nova-api\nkubectl -n \"$NS\" rollout status deploy/${DEPLOY}\nPOD=$(kubectl get pod -o name)\nkubectl logs $POD\n";
        assert_eq!(
            names("bash", text),
            vec!["deployment/nova-api -n openstack", "namespace/openstack"]
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
}
