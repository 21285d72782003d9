//! vigie: a documentation-as-code knowledge base generator.
//!
//! The pipeline, visible in the types:
//! `Config::load(root)` → `Site::load(config)` → `markdown::render` (per page, in
//! parallel) → `links::check_internal` → `theme` + `output` write the site.
//! See ARCHITECTURE.md for one section per module.

pub mod alerts;
pub mod build;
pub mod cli;
pub mod config;
pub mod confine;
pub mod content;
pub mod course;
pub mod error;
pub mod freshness;
pub mod fuzzy;
pub mod i18n;
pub mod links;
pub mod markdown;
pub mod output;
pub mod redact;
pub mod report;
pub mod search;
pub mod serve;
pub mod theme;

pub use config::Config;
pub use content::Site;
pub use error::{Error, Result};
pub use report::{Finding, Report, Severity};
