//! One file per subcommand.

pub mod diff;
pub mod explain;
pub mod graph;
pub mod plan;
pub mod validate;
pub mod verify;
pub mod whatif;
