//! Freshness: a page is fresh when it was reviewed recently enough AND what it
//! says about the platform still holds.
//!
//! - [`review`]: review intervals; [`git`]: last-commit dates when a page has no
//!   `reviewed:`; [`owners`]: front matter, `OWNERS`, `CODEOWNERS`.
//! - [`claims`] (`applies_to`) and [`references`] (commands and manifests in
//!   code blocks) name [`resource::ResourceRef`]s.
//! - [`state`]: the [`state::StateSource`] seam and the index the rules read;
//!   [`sources`]: live Kubernetes, live OpenStack, snapshot files.
//! - [`rules`] judge a page; [`assess()`] runs the pipeline once for a site;
//!   [`status`]: what readers see; [`dashboard`]: the site's freshness page;
//!   [`record`]: live state kept as a snapshot (`vigie state dump`).
//! - Owners told: [`digest`] (one section per owner), [`notify`] (posted to a
//!   chat webhook, deduplicated); [`pages_api`]: `api/pages.json` of the site.

pub mod assess;
pub mod claims;
pub mod config;
pub mod dashboard;
pub mod digest;
pub mod expect;
pub mod git;
pub mod notify;
pub mod owners;
pub mod pages_api;
pub mod record;
pub mod references;
pub mod resource;
pub mod review;
pub mod rules;
pub mod sources;
pub mod state;
pub mod status;

pub use assess::{Assessment, assess};
pub use rules::PageFreshness;
pub use sources::StateSpec;
pub use status::{Reason, Status};
