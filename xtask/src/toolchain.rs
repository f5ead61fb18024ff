//! Finding, and where missing installing, what the build and the tests need.

use std::env;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Duration;

use crate::paths::Paths;
use crate::say;
use crate::util::{self, is_executable, output_of, run, which, Context, Error, Result, Timed};

const WASM_TARGET: &str = "wasm32-unknown-unknown";

/// A Rust toolchain: a cargo binary and the rustc it must use.
///
/// Both are always set explicitly on the commands we run: with two toolchains on a machine
/// (rustup's and Debian's), rustup's cargo would otherwise pick whichever `rustc` comes first
/// on PATH.
#[derive(Debug, Clone)]
pub struct Rust {
    pub cargo: PathBuf,
    pub rustc: PathBuf,
    /// Debian's toolchain has no prebuilt std for wasm32: build it from source.
    pub build_std: bool,
}

impl Rust {
    /// The toolchain that runs xtask (`cargo xtask` sets `CARGO` to the real cargo binary,
    /// e.g. `~/.rustup/toolchains/<name>/bin/cargo`), with the rustc beside it.
    pub fn native() -> Result<Self> {
        let cargo = env::var_os("CARGO")
            .map(PathBuf::from)
            .filter(|p| is_executable(p))
            .or_else(|| which("cargo"))
            .ok_or_else(|| Error::new("cannot find cargo"))?;
        let beside = cargo.with_file_name("rustc");
        let rustc = if is_executable(&beside) {
            beside
        } else {
            which("rustc").ok_or_else(|| Error::new("cannot find rustc"))?
        };
        Ok(Self {
            cargo,
            rustc,
            build_std: false,
        })
    }

    /// Debian's `rustc-web` / `cargo-web`.
    fn debian() -> Self {
        Self {
            cargo: PathBuf::from("/usr/bin/cargo"),
            rustc: PathBuf::from("/usr/bin/rustc"),
            build_std: true,
        }
    }

    /// A `cargo` command in the repository, with `RUSTC` pinned to this toolchain's rustc.
    pub fn cargo(&self, paths: &Paths) -> Command {
        let mut cmd = Command::new(&self.cargo);
        cmd.current_dir(&paths.repo).env("RUSTC", &self.rustc);
        if self.build_std {
            // Lets stable Debian cargo use -Zbuild-std.
            cmd.env("RUSTC_BOOTSTRAP", "1");
        }
        cmd
    }

    fn version(&self) -> String {
        output_of(Command::new(&self.rustc).arg("--version")).unwrap_or_else(|| "rustc ?".into())
    }

    fn has_wasm_std(&self) -> bool {
        output_of(Command::new(&self.rustc).args(["--print", "sysroot"]))
            .map(|sysroot| {
                Path::new(&sysroot)
                    .join("lib/rustlib")
                    .join(WASM_TARGET)
                    .join("lib")
                    .is_dir()
            })
            .unwrap_or(false)
    }
}

/// apt-get, run at most once per package set, with `apt-get update` run once first.
#[derive(Default)]
pub struct Apt {
    updated: bool,
}

impl Apt {
    /// Installs Debian packages, saying what and why; fails with advice when it cannot.
    pub fn install(&mut self, packages: &[&str], why: &str) -> Result<()> {
        let list = packages.join(" ");
        if which("apt-get").is_none() {
            return Err(Error::new(format!(
                "{why}, but this machine has no apt-get: install the equivalent of `{list}` yourself"
            )));
        }
        if !util::is_root() {
            return Err(Error::new(format!(
                "{why}, but xtask is not running as root, so it will not use apt-get: run\n    sudo apt-get update && sudo apt-get install -y {list}\nand try again"
            )));
        }
        say!("installing {list} with apt-get: {why}");
        if !self.updated {
            util::run(apt_command().arg("update"))?;
            self.updated = true;
        }
        util::run(apt_command().args(["install", "-y"]).args(packages))
    }
}

fn apt_command() -> Command {
    let mut cmd = Command::new("apt-get");
    cmd.env("DEBIAN_FRONTEND", "noninteractive").arg("-q");
    cmd
}

fn debian_packages_installed(packages: &[&str]) -> bool {
    packages.iter().all(|p| {
        output_of(Command::new("dpkg-query").args(["-W", "-f=${Status}", p]))
            .is_some_and(|s| s == "install ok installed")
    })
}

/// Chooses how to build for wasm32: rustup's prebuilt std if it can be had within a minute,
/// else Debian's toolchain building std from source.
///
/// `CIT_WASM_TOOLCHAIN=debian` skips rustup (to test the fallback, or where rustup misbehaves).
pub fn wasm_toolchain(native: &Rust, apt: &mut Apt) -> Result<Rust> {
    if env::var("CIT_WASM_TOOLCHAIN").is_ok_and(|v| v == "debian") {
        say!("wasm32: CIT_WASM_TOOLCHAIN=debian, so using Debian's toolchain");
        return debian_wasm_toolchain(apt);
    }
    if native.has_wasm_std() {
        say!(
            "wasm32: using {} ({}), whose {WASM_TARGET} std is installed",
            native.version(),
            native.cargo.display()
        );
        return Ok(native.clone());
    }
    if let Some(rustup) = which("rustup") {
        say!("wasm32: adding the {WASM_TARGET} target with rustup (the client is compiled to WebAssembly); giving it 60 s");
        let mut cmd = Command::new(rustup);
        cmd.args(["target", "add", WASM_TARGET]);
        match util::run_with_limit(&mut cmd, Duration::from_secs(60))? {
            Timed::Finished(status) if status.success() && native.has_wasm_std() => {
                return Ok(native.clone());
            }
            Timed::Finished(status) => {
                say!("wasm32: rustup could not add the target ({status}); falling back to Debian's toolchain");
            }
            Timed::TimedOut => {
                say!(
                    "wasm32: rustup did not finish within 60 s; falling back to Debian's toolchain"
                );
            }
        }
    } else {
        say!("wasm32: no rustup on this machine; using Debian's toolchain");
    }
    debian_wasm_toolchain(apt)
}

fn debian_wasm_toolchain(apt: &mut Apt) -> Result<Rust> {
    const PACKAGES: [&str; 4] = ["rustc-web", "cargo-web", "rust-web-src", "lld-22"];
    let debian = Rust::debian();
    let ready = debian_packages_installed(&PACKAGES)
        && is_executable(&debian.cargo)
        && is_executable(&debian.rustc)
        && Path::new("/usr/bin/rust-lld").exists();
    if !ready {
        apt.install(
            &PACKAGES,
            "the client needs a Rust toolchain that can build for wasm32 (Debian's Rust 1.96 with \
             the std sources, and lld to link WebAssembly)",
        )?;
    }
    say!(
        "wasm32: using Debian's {} with -Zbuild-std",
        debian.version()
    );
    Ok(debian)
}

/// Makes sure `<tools>/bin/wasm-bindgen` is exactly `version` (that of the `wasm-bindgen`
/// library in Cargo.lock: the two must match), installing it with cargo if not.
pub fn wasm_bindgen(native: &Rust, paths: &Paths, version: &str) -> Result<PathBuf> {
    let bin = paths.tools.join("bin").join("wasm-bindgen");
    let wanted = format!("wasm-bindgen {version}");
    let installed = output_of(Command::new(&bin).arg("--version"));
    if installed.as_deref() == Some(wanted.as_str()) {
        return Ok(bin);
    }
    match &installed {
        Some(other) => say!(
            "{} is `{other}`, but Cargo.lock has wasm-bindgen {version}",
            bin.display()
        ),
        None => say!(
            "wasm-bindgen-cli {version} is not installed in {}",
            paths.tools.display()
        ),
    }
    say!(
        "installing wasm-bindgen-cli {version} into {} (it turns the compiled client into the \
         .js and .wasm files the browser loads, and must match the wasm-bindgen library in \
         Cargo.lock); this compiles it from crates.io, about 2 minutes, once",
        paths.tools.display()
    );
    fs::create_dir_all(&paths.tools)?;
    // Not --locked: with it, a dependency version missing from this registry fails the install.
    // Outside the repository, so that its config and target directory stay out of it.
    let mut cmd = Command::new(&native.cargo);
    cmd.current_dir(&paths.tools)
        .env("RUSTC", &native.rustc)
        .env_remove("CARGO_TARGET_DIR")
        .args([
            "install",
            "wasm-bindgen-cli",
            "--version",
            version,
            "--root",
        ])
        .arg(&paths.tools);
    run(&mut cmd)?;
    let now = output_of(Command::new(&bin).arg("--version"));
    if now.as_deref() == Some(wanted.as_str()) {
        Ok(bin)
    } else {
        Err(Error::new(format!(
            "after installing, `{} --version` says {now:?}, not `{wanted}`",
            bin.display()
        )))
    }
}

/// The Chromium the browser tests drive: `$CHROMIUM_PATH`, else Debian's `/usr/bin/chromium`
/// (installed if missing; Playwright's own browser download does not work here).
pub fn chromium(apt: &mut Apt) -> Result<PathBuf> {
    if let Some(path) = env::var_os("CHROMIUM_PATH").filter(|p| !p.is_empty()) {
        let path = PathBuf::from(path);
        if is_executable(&path) {
            return Ok(path);
        }
        return Err(Error::new(format!(
            "CHROMIUM_PATH={} is not an executable",
            path.display()
        )));
    }
    let debian = PathBuf::from("/usr/bin/chromium");
    if !is_executable(&debian) {
        apt.install(
            &["chromium"],
            "the browser tests drive Chromium and /usr/bin/chromium is missing",
        )?;
    }
    Ok(debian)
}

/// Node and npm, for Playwright.
pub fn node(apt: &mut Apt) -> Result<()> {
    if which("node").is_some() && which("npm").is_some() {
        return Ok(());
    }
    apt.install(
        &["nodejs", "npm"],
        "the browser tests run with Playwright, which needs Node.js and npm",
    )
}

/// `npm ci` in end2end/, only when node_modules is missing or the lock file changed.
pub fn node_modules(paths: &Paths) -> Result<()> {
    let lock = fs::read(paths.end2end.join("package-lock.json"))
        .context(|| "reading end2end/package-lock.json".to_owned())?;
    let stamp_path = paths.end2end.join("node_modules").join(".xtask-stamp");
    let stamp = format!("{:016x}\n", util::fnv1a(&lock));
    let playwright = paths.end2end.join("node_modules/.bin/playwright");
    if playwright.exists()
        && fs::read_to_string(&stamp_path).ok().as_deref() == Some(stamp.as_str())
    {
        return Ok(());
    }
    say!("installing the browser-test dependencies (npm ci in end2end/; Playwright's own browser download is skipped, Debian's Chromium is used)");
    let mut cmd = Command::new("npm");
    cmd.current_dir(&paths.end2end)
        .env("PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD", "1")
        .args(["ci", "--no-audit", "--no-fund"]);
    run(&mut cmd)?;
    fs::write(&stamp_path, stamp)?;
    Ok(())
}
