//! The command line of the `cit-academy` binary.

use clap::{Args, Parser, Subcommand};
use std::net::SocketAddr;

/// CIT Academy: training and certification for Crisis Intervention Team programs.
///
/// Configured by environment variables (and a `.env` file): DATABASE_URL, CIT_BIND,
/// CIT_DATA_DIR, CIT_PUBLIC_URL, CIT_TRUST_PROXY, CIT_SESSION_IDLE_MINUTES,
/// CIT_SESSION_MAX_HOURS, LEPTOS_SITE_ROOT, RUST_LOG. See the README.
#[derive(Debug, Parser)]
#[command(name = "cit-academy", version, about, long_about)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Migrate the database and serve the site.
    Serve(BindArgs),
    /// Apply database migrations and exit.
    Migrate,
    /// Load the course catalog: courses and topics (idempotent: safe to run again; never
    /// deletes, and leaves what administrators changed as it is).
    Seed(SeedArgs),
    /// Manage accounts.
    #[command(subcommand)]
    User(UserCommand),
    /// Demonstration mode: migrate, load the catalog and the demonstration data (classes,
    /// question bank, tests), create demo accounts, print fresh passwords for them here (also
    /// when started again on the same data, which is kept), and serve. Never use it for a
    /// real site.
    Demo(BindArgs),
    /// Print a new Ed25519 private key (PKCS#8 PEM) for signing the Open Badges credentials:
    /// put it in the file CIT_BADGE_SIGNING_KEY_FILE names (or in CIT_BADGE_SIGNING_KEY).
    BadgeKey,
    /// Copy the SQLite database (consistently, while the site runs) and the uploaded files
    /// into a new directory. PostgreSQL: use pg_dump (see the README).
    Backup(BackupArgs),
    /// Put a backup directory in place: its database and files. Stop every server first.
    Restore(RestoreArgs),
}

#[derive(Debug, Args)]
pub struct SeedArgs {
    /// Also load the demonstration data: three months of classes into an empty schedule and
    /// the demonstration question bank with a published test per course (never for a real
    /// site: that bank would be its live test).
    #[arg(long)]
    pub demo: bool,
}

#[derive(Debug, Args)]
pub struct BackupArgs {
    /// The directory to create (it must not exist, or be empty).
    #[arg(long)]
    pub to: std::path::PathBuf,
}

#[derive(Debug, Args)]
pub struct RestoreArgs {
    /// A directory that `cit-academy backup` wrote.
    #[arg(long)]
    pub from: std::path::PathBuf,
    /// Replace the database that is there now.
    #[arg(long)]
    pub force: bool,
}

#[derive(Debug, Args)]
pub struct BindArgs {
    /// Address to listen on [env: CIT_BIND, default 127.0.0.1:3000].
    #[arg(long)]
    pub bind: Option<SocketAddr>,
}

#[derive(Debug, Subcommand)]
pub enum UserCommand {
    /// Create an account. The password is read from standard input (one line), or asked for
    /// when standard input is a terminal.
    Add(UserAddArgs),
}

#[derive(Debug, Args)]
pub struct UserAddArgs {
    #[arg(long)]
    pub email: String,
    #[arg(long)]
    pub name: String,
    /// attendee, instructor or admin.
    #[arg(long, default_value = "attendee")]
    pub role: String,
    /// The person's agency.
    #[arg(long, default_value = "CIT Academy")]
    pub agency: String,
}
