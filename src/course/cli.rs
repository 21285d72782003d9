//! `vigie course list [ROOT] [--now YYYY-MM-DD] [--format text|json]`: every
//! course with its module count, total duration and freshness.

use std::io::Write;
use std::path::PathBuf;

use chrono::NaiveDate;
use serde::Serialize;

use super::Courses;
use super::duration::format_compact;
use super::status::{course_freshness, review_statuses};
use crate::config::Config;
use crate::content::Site;
use crate::error::{Error, Result};

/// `vigie course list [ROOT]`
#[derive(clap::Args, Debug)]
pub struct CourseListArgs {
    /// Knowledge-base root (default: the current folder).
    pub root: Option<PathBuf>,
    /// The day to judge review dates on (YYYY-MM-DD, default today).
    #[arg(long)]
    pub now: Option<String>,
    #[arg(long, value_enum, default_value_t = ListFormat::Text)]
    pub format: ListFormat,
}

#[derive(clap::ValueEnum, Debug, Clone, Copy, PartialEq, Eq)]
pub enum ListFormat {
    Text,
    Json,
}

#[derive(Serialize)]
struct Listed {
    title: String,
    /// The file that defines the course.
    file: String,
    key: String,
    modules: usize,
    minutes: u32,
    duration: String,
    freshness: &'static str,
    /// Source files of the stale modules.
    stale_modules: Vec<String>,
    prerequisites: Vec<String>,
}

pub fn run_list(args: CourseListArgs) -> Result<i32> {
    let today = match &args.now {
        Some(s) => NaiveDate::parse_from_str(s, "%Y-%m-%d")
            .map_err(|_| Error::Usage(format!("--now {s:?}: write the date as YYYY-MM-DD")))?,
        None => chrono::Local::now().date_naive(),
    };
    let config = Config::load(&crate::cli::root_arg(args.root))?;
    let site = Site::load(config)?;
    let courses = Courses::load(&site)?;
    let statuses = review_statuses(&site, today)?;
    let listed: Vec<Listed> = courses
        .list
        .iter()
        .map(|c| {
            let f = course_freshness(c, |id| statuses[id]);
            Listed {
                title: c.title.clone(),
                file: c.file.clone(),
                key: c.key.clone(),
                modules: c.modules.len(),
                minutes: c.minutes(),
                duration: format_compact(c.minutes()),
                freshness: f.status.as_str(),
                stale_modules: f
                    .stale
                    .iter()
                    .map(|&i| site.page(c.modules[i].page).shown.clone())
                    .collect(),
                prerequisites: c
                    .prerequisites
                    .iter()
                    .map(|&p| courses.list[p].title.clone())
                    .collect(),
            }
        })
        .collect();
    let text = match args.format {
        ListFormat::Json => {
            #[derive(Serialize)]
            struct Out<'a> {
                courses: &'a [Listed],
            }
            let mut s = serde_json::to_string_pretty(&Out { courses: &listed })
                .map_err(|e| Error::Other(e.to_string()))?;
            s.push('\n');
            s
        }
        ListFormat::Text => table(&listed),
    };
    let mut out = std::io::stdout().lock();
    // A closed pipe (`| head`) is not an error.
    let _ = out.write_all(text.as_bytes());
    Ok(crate::cli::CLEAN)
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
