//! One file per subcommand.

pub mod graph;
pub mod plan;
pub mod validate;
pub mod verify;
