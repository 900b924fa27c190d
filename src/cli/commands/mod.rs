//! One file per subcommand.

pub mod completions;
pub mod diff;
pub mod explain;
pub mod graph;
pub mod import;
pub mod init;
pub mod man;
pub mod plan;
pub mod report;
pub mod risk;
pub mod schema;
pub mod validate;
pub mod verify;
pub mod whatif;
