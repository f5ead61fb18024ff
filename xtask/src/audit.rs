//! Checks: clippy with warnings denied, and the advisory check of `Cargo.lock` (cargo-audit
//! against the RustSec database).

use std::path::PathBuf;
use std::process::Command;

use crate::paths::Paths;
use crate::say;
use crate::toolchain::Rust;
use crate::util::{output_of, run, Error, Result};

/// The cargo-audit release installed into the tools directory.
const CARGO_AUDIT: &str = "0.22.2";

/// `cargo clippy` over every native crate and target, warnings as errors. (The client crate
/// is left out: it turns on `app`'s `hydrate` feature, which must never unify with `ssr`.)
pub fn clippy(native: &Rust, paths: &Paths) -> Result<()> {
    run(native.cargo(paths).args([
        "clippy",
        "--workspace",
        "--exclude",
        "frontend",
        "--all-targets",
        "--",
        "-D",
        "warnings",
    ]))
}

/// cargo-audit over `Cargo.lock`. Ignored advisories, each with its reason, are in
/// `.cargo/audit.toml`; warnings (unmaintained, unsound, yanked) fail the check too.
pub fn advisories(native: &Rust, paths: &Paths) -> Result<()> {
    let bin = install(native, paths)?;
    let db = database(paths)?;
    run(Command::new(&bin)
        .current_dir(&paths.repo)
        .args([
            "audit",
            "--no-fetch",
            "--stale",
            "--deny",
            "warnings",
            "--db",
        ])
        .arg(&db))
}

/// `<tools>/bin/cargo-audit`, installed with cargo when missing or of another version.
fn install(native: &Rust, paths: &Paths) -> Result<PathBuf> {
    let bin = paths.tools.join("bin").join("cargo-audit");
    let wanted = format!("cargo-audit-audit {CARGO_AUDIT}");
    let installed = output_of(Command::new(&bin).args(["audit", "--version"]));
    if installed.as_deref() == Some(wanted.as_str()) {
        return Ok(bin);
    }
    say!(
        "installing cargo-audit {CARGO_AUDIT} into {} (it checks Cargo.lock against the RustSec \
         advisories); this compiles it from crates.io, about 4 minutes, once",
        paths.tools.display()
    );
    std::fs::create_dir_all(&paths.tools)?;
    let mut cmd = Command::new(&native.cargo);
    cmd.current_dir(&paths.tools)
        .env("RUSTC", &native.rustc)
        .env_remove("CARGO_TARGET_DIR")
        .args([
            "install",
            "cargo-audit",
            "--locked",
            "--version",
            CARGO_AUDIT,
            "--root",
        ])
        .arg(&paths.tools);
    run(&mut cmd)?;
    if output_of(Command::new(&bin).args(["audit", "--version"])).is_none() {
        return Err(Error::new(format!(
            "{} does not run after installing",
            bin.display()
        )));
    }
    Ok(bin)
}

/// The advisory database: a fresh shallow clone when GitHub answers within a few seconds,
/// else the snapshot in `.ci/advisory-db` (this machine may reach only package registries).
fn database(paths: &Paths) -> Result<PathBuf> {
    let fresh = paths.tools.join("advisory-db");
    let _ = std::fs::remove_dir_all(&fresh);
    let cloned = Command::new("timeout")
        .args(["20", "git", "clone", "--quiet", "--depth", "1"])
        .arg("https://github.com/rustsec/advisory-db.git")
        .arg(&fresh)
        .env("GIT_TERMINAL_PROMPT", "0")
        .status()
        .is_ok_and(|s| s.success());
    if cloned {
        say!("advisories: the current RustSec database, fetched from GitHub");
        return Ok(fresh);
    }
    let snapshot = paths.repo.join(".ci").join("advisory-db");
    say!(
        "advisories: GitHub is out of reach; using the snapshot in {} (its SNAPSHOT.md gives \
         the date)",
        snapshot.display()
    );
    Ok(snapshot)
}
