//! Importing what planners already hold (RVTools, dependency flows, CMDB, plain tables)
//! into inventory files.

pub mod community;
pub mod decode;
pub mod quantity;
pub mod table;
