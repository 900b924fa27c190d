//! waveplan plans the migration of a data centre's services to a cloud in waves.
//!
//! Data flows one way: [`load`] reads and validates the files into [`model`] types,
//! [`graph`] analyses dependencies, [`schedule`] builds a plan, [`verify`] re-checks any plan
//! independently, and [`cli`] drives them and is the only part that prints.

pub mod cli;
#[doc(hidden)]
pub mod fuzzing;
pub mod graph;
pub mod import;
pub mod load;
pub mod model;
pub mod report;
pub mod risk;
pub mod scenario;
pub mod schedule;
pub mod verify;
