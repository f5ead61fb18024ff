//! `cargo xtask fuzz [TARGET...] [--seconds N]`: runs the fuzz targets in `app/fuzz`
//! (cargo-fuzz, libFuzzer) for N seconds each (default 600), seeded with the test fixtures.
//! Installs cargo-fuzz into the tools directory when missing. Not part of `test`: fuzzing is
//! open-ended; the property tests in CI cover the same parsers on generated input.

use std::path::PathBuf;
use std::process::{Command, ExitCode};

use crate::paths::Paths;
use crate::say;
use crate::toolchain::Rust;
use crate::util::{heading, output_of, run, Error, Result};

/// Each target and the fixture folders its corpus starts from.
const TARGETS: [(&str, &[&str]); 2] = [
    ("gift_import", &["app/src/domain/gift/fixtures"]),
    ("meeting_report", &["app/src/domain/attendance/fixtures"]),
];

pub fn run_fuzz(rest: &[String]) -> Result<ExitCode> {
    let mut seconds: u64 = 600;
    let mut chosen = Vec::new();
    let mut args = rest.iter();
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "--seconds" => {
                seconds = args
                    .next()
                    .and_then(|s| s.parse().ok())
                    .ok_or_else(|| Error::new("--seconds takes a number"))?;
            }
            name if TARGETS.iter().any(|(t, _)| *t == name) => chosen.push(name.to_owned()),
            other => {
                let names: Vec<&str> = TARGETS.iter().map(|(t, _)| *t).collect();
                return Err(Error::new(format!(
                    "unknown fuzz argument `{other}` (targets: {})",
                    names.join(", ")
                )));
            }
        }
    }
    let paths = Paths::discover()?;
    let native = Rust::native()?;
    let cargo_fuzz = install_cargo_fuzz(&native, &paths)?;
    // Its own target directory: everything is built with coverage instrumentation.
    let target = paths.target.join("fuzz");
    for (name, seeds) in TARGETS {
        if !chosen.is_empty() && !chosen.iter().any(|c| c == name) {
            continue;
        }
        heading(&format!("Fuzzing {name} for {seconds} s"));
        let corpus = paths.repo.join("app/fuzz/corpus").join(name);
        std::fs::create_dir_all(&corpus)?;
        let mut cmd = Command::new(&cargo_fuzz);
        cmd.current_dir(&paths.repo)
            .env("CARGO_TARGET_DIR", &target)
            .env("RUSTC", &native.rustc)
            // cargo-fuzz passes nightly flags (-Zsanitizer); stable rustc accepts them so.
            .env("RUSTC_BOOTSTRAP", "1")
            .args(["fuzz", "run", "--fuzz-dir", "app/fuzz", "-O", name])
            .arg(&corpus)
            .args(seeds.iter().map(|s| paths.repo.join(s)))
            .arg("--")
            .arg(format!("-max_total_time={seconds}"))
            .arg("-max_len=65536");
        run(&mut cmd)?;
    }
    Ok(ExitCode::SUCCESS)
}

/// `<tools>/bin/cargo-fuzz`, installed with cargo when missing.
fn install_cargo_fuzz(native: &Rust, paths: &Paths) -> Result<PathBuf> {
    let bin = paths.tools.join("bin").join("cargo-fuzz");
    if output_of(Command::new(&bin).arg("--version")).is_some() {
        return Ok(bin);
    }
    say!(
        "installing cargo-fuzz into {} (it builds and runs the fuzz targets); about 2 minutes, once",
        paths.tools.display()
    );
    std::fs::create_dir_all(&paths.tools)?;
    let mut cmd = Command::new(&native.cargo);
    cmd.current_dir(&paths.tools)
        .env("RUSTC", &native.rustc)
        .env_remove("CARGO_TARGET_DIR")
        .args(["install", "cargo-fuzz", "--locked", "--root"])
        .arg(&paths.tools);
    run(&mut cmd)?;
    Ok(bin)
}
