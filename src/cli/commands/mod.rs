//! One file per subcommand.

pub mod graph;
pub mod plan;
pub mod report;
pub mod validate;
pub mod verify;
