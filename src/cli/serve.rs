//! `vigie serve [ROOT] [--port P] [--bind 127.0.0.1]`

use std::path::PathBuf;

use super::{CLEAN, root_arg};
use crate::error::Result;

#[derive(clap::Args, Debug)]
pub struct ServeArgs {
    /// Knowledge-base root (default: the current folder).
    pub(super) root: Option<PathBuf>,
    #[arg(long, default_value_t = 3000)]
    port: u16,
    /// Address to listen on: loopback unless you say otherwise.
    #[arg(long, default_value = "127.0.0.1")]
    bind: String,
}

pub fn run(args: ServeArgs) -> Result<i32> {
    crate::serve::run(&root_arg(args.root), &args.bind, args.port)?;
    Ok(CLEAN)
}
