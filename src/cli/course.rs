//! `vigie course list [ROOT] [--now YYYY-MM-DD] [--format text|json]`

use std::path::PathBuf;

use serde::Serialize;

use super::{CLEAN, LIST_FORMATS, one_of, parse_now, print, root_arg};
use crate::config::Config;
use crate::content::Site;
use crate::course::list::{Listed, list};
use crate::error::{Error, Result};
use crate::report::Format;

#[derive(clap::Args, Debug)]
pub struct CourseListArgs {
    /// Knowledge-base root (default: the current folder).
    pub(super) root: Option<PathBuf>,
    /// The day to judge review dates on (YYYY-MM-DD, default today).
    #[arg(long)]
    now: Option<String>,
    #[arg(long, value_parser = one_of(LIST_FORMATS), default_value = "text")]
    format: Format,
}

pub fn run(args: CourseListArgs) -> Result<i32> {
    let today = parse_now(args.now.as_deref())?;
    let config = Config::load(&root_arg(args.root))?;
    let site = Site::load(config)?;
    let listed = list(&site, today)?;
    let text = match args.format {
        Format::Json => {
            #[derive(Serialize)]
            struct Out<'a> {
                courses: &'a [Listed],
            }
            let json = serde_json::to_string_pretty(&Out { courses: &listed })
                .map_err(|e| Error::Usage(format!("courses as JSON: {e}")))?;
            json + "\n"
        }
        _ => table(&listed),
    };
    print(&text);
    Ok(CLEAN)
}

fn table(listed: &[Listed]) -> String {
    if listed.is_empty() {
        return "no course found (define one with `course:` in a section's _index.md, or a course.toml)\n"
            .into();
    }
    let head = ["COURSE", "MODULES", "DURATION", "FRESHNESS", "FILE"];
    let rows: Vec<[String; 5]> = listed
        .iter()
        .map(|c| {
            [
                c.title.clone(),
                c.modules.to_string(),
                c.duration.clone(),
                c.freshness.to_string(),
                c.file.clone(),
            ]
        })
        .collect();
    let width = |i: usize| {
        rows.iter()
            .map(|r| r[i].chars().count())
            .chain([head[i].len()])
            .max()
            .unwrap_or(0)
    };
    let widths: Vec<usize> = (0..5).map(width).collect();
    let line = |cells: [&str; 5]| {
        let mut s = String::new();
        for (i, cell) in cells.iter().enumerate() {
            let pad = widths[i].saturating_sub(cell.chars().count());
            if i == 1 || i == 2 {
                s.push_str(&" ".repeat(pad));
                s.push_str(cell);
            } else {
                s.push_str(cell);
                if i < 4 {
                    s.push_str(&" ".repeat(pad));
                }
            }
            if i < 4 {
                s.push_str("  ");
            }
        }
        s.push('\n');
        s
    };
    let mut out = line(head);
    for (row, c) in rows.iter().zip(listed) {
        out.push_str(&line([&row[0], &row[1], &row[2], &row[3], &row[4]]));
        for m in &c.stale_modules {
            out.push_str(&format!("  stale module: {m}\n"));
        }
    }
    out
}
