//! `vigie serve`: live preview with live reload and the search API.

use std::path::PathBuf;

use crate::error::{Error, Result};

/// `vigie serve [ROOT] [--port P] [--bind 127.0.0.1]`
#[derive(clap::Args, Debug)]
pub struct ServeArgs {
    /// Knowledge-base root (default: the current folder).
    pub root: Option<PathBuf>,
    #[arg(long, default_value_t = 3000)]
    pub port: u16,
    /// Address to listen on: loopback unless you say otherwise.
    #[arg(long, default_value = "127.0.0.1")]
    pub bind: String,
}

pub fn run(_args: ServeArgs) -> Result<i32> {
    Err(Error::Usage("vigie serve is not available yet".into()))
}
