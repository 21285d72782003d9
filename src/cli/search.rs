//! `vigie search QUERY [--root ROOT] [--limit N] [--kind K] [--tag T] [--format text|json]`

use std::io::IsTerminal;
use std::path::PathBuf;

use super::{CLEAN, LIST_FORMATS, one_of, print, root_arg};
use crate::config::Config;
use crate::error::{Error, Result};
use crate::report::Format;
use crate::search::{Request, render_text, to_json};

#[derive(clap::Args, Debug)]
pub struct SearchArgs {
    /// What to look for (French or English; typos and missing accents are fine).
    /// `kind:runbook` and `tag:nova` in the query filter like --kind and --tag.
    query: String,
    /// Knowledge-base root (default: the current folder).
    #[arg(long)]
    pub(super) root: Option<PathBuf>,
    /// Number of results (1 to 1000).
    #[arg(long, default_value_t = 10, value_parser = clap::value_parser!(u16).range(1..=1000))]
    limit: u16,
    /// Only pages of this kind.
    #[arg(long, value_parser = ["runbook", "architecture", "training", "guide"])]
    kind: Option<String>,
    /// Only pages with this tag.
    #[arg(long)]
    tag: Option<String>,
    #[arg(long, value_parser = one_of(LIST_FORMATS), default_value = "text")]
    format: Format,
}

pub fn run(args: SearchArgs) -> Result<i32> {
    if args.query.trim().is_empty() {
        return Err(Error::Usage(
            "vigie search: give the words to look for, e.g. vigie search \"redemarrer nova\"".into(),
        ));
    }
    let config = Config::load(&root_arg(args.root))?;
    let request = Request {
        text: args.query,
        limit: usize::from(args.limit),
        kind: args.kind,
        tag: args.tag,
    };
    let hits = crate::search::index::search(&config, &request, true)?;
    let text = match args.format {
        Format::Json => to_json(&hits, true) + "\n",
        _ => render_text(
            &hits,
            std::io::stdout().is_terminal() && std::env::var_os("NO_COLOR").is_none(),
        ),
    };
    if hits.is_empty() && args.format == Format::Text {
        eprintln!("no results for {:?}", request.text);
    }
    print(&text);
    Ok(CLEAN)
}
