//! Where things live.

use std::env;
use std::path::{Path, PathBuf};

use crate::util::{Error, Result};

/// The directories xtask reads and writes.
#[derive(Debug, Clone)]
pub struct Paths {
    /// The repository root (the workspace).
    pub repo: PathBuf,
    /// Cargo's target directory: `$CARGO_TARGET_DIR`, else `<repo>/target`.
    pub target: PathBuf,
    /// The target directory of the WebAssembly build, kept apart so that the native and the
    /// wasm builds never invalidate each other.
    pub front: PathBuf,
    /// What the server serves: always `<repo>/target/site` (it serves `target/site` relative
    /// to its working directory, the repository root), whatever `CARGO_TARGET_DIR` says.
    pub site: PathBuf,
    /// Tools xtask installs for this project (`wasm-bindgen-cli`), outside the repository so
    /// that a fresh clone reuses them: `$HOME/.cache/cit-academy/tools`.
    pub tools: PathBuf,
    /// The Playwright project.
    pub end2end: PathBuf,
}

impl Paths {
    pub fn discover() -> Result<Self> {
        let repo = repo_root()?;
        let target = match env::var_os("CARGO_TARGET_DIR").filter(|v| !v.is_empty()) {
            Some(dir) => absolute(Path::new(&dir))?,
            None => repo.join("target"),
        };
        let cache = match env::var_os("HOME").filter(|v| !v.is_empty()) {
            Some(home) => PathBuf::from(home).join(".cache").join("cit-academy"),
            None => target.join("cit-academy-cache"),
        };
        Ok(Self {
            front: target.join("front"),
            site: repo.join("target").join("site"),
            tools: cache.join("tools"),
            end2end: repo.join("end2end"),
            target,
            repo,
        })
    }

    /// The server binary cargo builds in `profile` (`release` or `debug`).
    pub fn server_binary(&self, profile: &str) -> PathBuf {
        self.target.join(profile).join("cit-academy")
    }

    /// The WebAssembly file of the client crate, before wasm-bindgen.
    pub fn frontend_wasm(&self) -> PathBuf {
        self.front
            .join("wasm32-unknown-unknown")
            .join("wasm-release")
            .join("frontend.wasm")
    }
}

/// xtask lives in `<repo>/xtask`; cargo tells us where at compile time.
fn repo_root() -> Result<PathBuf> {
    let manifest_dir = Path::new(env!("CARGO_MANIFEST_DIR"));
    // Canonicalise so that a symlinked checkout still finds the real repository.
    let manifest_dir = manifest_dir
        .canonicalize()
        .unwrap_or_else(|_| manifest_dir.to_path_buf());
    manifest_dir
        .parent()
        .map(Path::to_path_buf)
        .ok_or_else(|| Error::new("xtask's manifest directory has no parent"))
}

fn absolute(path: &Path) -> Result<PathBuf> {
    if path.is_absolute() {
        Ok(path.to_path_buf())
    } else {
        Ok(env::current_dir()?.join(path))
    }
}
