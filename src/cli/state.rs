//! `vigie state dump [--root ROOT] [--kube-context CTX] [--os-cloud NAME] -o FILE`

use std::io::Write;
use std::path::PathBuf;

use super::{CLEAN, root_arg};
use crate::config::Config;
use crate::error::{Error, Result};
use crate::freshness::StateSpec;

#[derive(clap::Args, Debug)]
pub struct DumpArgs {
    /// Knowledge-base root whose pages say what to record (default: the current folder).
    #[arg(long)]
    pub(super) root: Option<PathBuf>,
    /// Live Kubernetes context to record (`current`, `in-cluster`; `NAME=CTX` names the
    /// cluster). Repeatable.
    #[arg(long, value_name = "CTX")]
    kube_context: Vec<String>,
    /// Live OpenStack cloud to record (clouds.yaml entry or OS_* variables). Repeatable.
    #[arg(long, value_name = "NAME")]
    os_cloud: Vec<String>,
    /// Where to write the snapshot.
    #[arg(short, long)]
    out: PathBuf,
}

/// Lists, on the live sources, what the pages of the knowledge base name,
/// and writes it as a snapshot (whole or not at all).
pub fn run(args: DumpArgs) -> Result<i32> {
    let config = Config::load(&root_arg(args.root))?;
    let spec = StateSpec {
        states: Vec::new(),
        kube_context: args.kube_context,
        os_cloud: args.os_cloud,
    };
    let now = chrono::Utc::now().format("%Y-%m-%dT%H:%M:%SZ").to_string();
    let recorded = crate::freshness::record::record(config, &spec, now)?;
    for note in &recorded.notes {
        eprintln!("note: {}", crate::redact::redact(note));
    }
    let out = &args.out;
    let json =
        serde_json::to_string_pretty(&recorded.snapshot).map_err(|e| Error::write(out, e.into()))? + "\n";
    let dir = out
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(std::path::Path::new("."));
    let mut tmp = tempfile::NamedTempFile::new_in(dir).map_err(|e| Error::write(out, e))?;
    tmp.write_all(json.as_bytes()).map_err(|e| Error::write(out, e))?;
    tmp.persist(out).map_err(|e| Error::write(out, e.error))?;
    eprintln!(
        "recorded {} objects in {} lists from {} → {}",
        recorded.objects,
        recorded.lists,
        recorded.sources.join("; "),
        out.display()
    );
    Ok(CLEAN)
}
