//! One module per subcommand.

pub mod backup;
pub mod demo;
pub mod migrate;
pub mod seed;
pub mod serve;
pub mod user_add;
