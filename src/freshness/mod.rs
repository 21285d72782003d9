//! Freshness: is a page reviewed recently enough, and does what it says about
//! the platform still hold? This module owns review intervals and due dates.

pub mod cli;
pub mod review;
