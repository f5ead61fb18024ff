//! Building the hydrated client into `target/site`.

use std::fs;
use std::io::{self, Write};
use std::path::{Path, PathBuf};
use std::process::Command;

use crate::lockfile;
use crate::paths::Paths;
use crate::say;
use crate::toolchain::{self, Rust};
use crate::util::{human_bytes, run, Context, Error, Result};

/// The name the server is compiled with (`LEPTOS_OUTPUT_NAME`, set in .cargo/config.toml):
/// the page loads `/pkg/cit-academy.js`, `.wasm` and `.css`.
pub const OUTPUT_NAME: &str = "cit-academy";

/// Extensions that get precompressed `.br` and `.gz` siblings.
const COMPRESSED: [&str; 3] = ["js", "wasm", "css"];

/// Sizes of one file as served.
#[derive(Debug, Clone, Copy)]
pub struct Sizes {
    pub raw: u64,
    pub gzip: u64,
    pub brotli: u64,
}

/// Compiles the client crate for wasm32 (release profile `wasm-release`) into `<target>/front`.
pub fn compile(wasm: &Rust, paths: &Paths) -> Result<()> {
    let mut cmd = wasm.cargo(paths);
    cmd.args([
        "build",
        "-p",
        "frontend",
        "--lib",
        "--target",
        "wasm32-unknown-unknown",
        "--profile",
        "wasm-release",
        "--target-dir",
    ])
    .arg(&paths.front);
    if wasm.build_std {
        cmd.arg("-Zbuild-std=std,panic_abort");
    }
    run(&mut cmd)
}

/// Turns the compiled client into the site: wasm-bindgen, stylesheet, public files,
/// precompressed siblings. Returns the sizes of the .wasm.
pub fn assemble(native: &Rust, paths: &Paths) -> Result<Sizes> {
    let lock = fs::read_to_string(paths.repo.join("Cargo.lock"))
        .context(|| "reading Cargo.lock".to_owned())?;
    let version = lockfile::single_version(&lock, "wasm-bindgen").map_err(Error::new)?;
    let wasm_bindgen = toolchain::wasm_bindgen(native, paths, &version)?;

    let input = paths.frontend_wasm();
    if !input.is_file() {
        return Err(Error::new(format!("{} was not built", input.display())));
    }
    let pkg = paths.site.join("pkg");
    // Generate beside the live pkg/, then swap, reusing compressed files whose source did not
    // change (brotli at quality 11 takes a while).
    let staging = paths.site.join("pkg.new");
    remove_dir_if_exists(&staging)?;
    fs::create_dir_all(&staging)?;

    let mut cmd = Command::new(&wasm_bindgen);
    cmd.args([
        "--target",
        "web",
        "--no-typescript",
        "--remove-name-section",
        "--out-name",
        OUTPUT_NAME,
        "--out-dir",
    ])
    .arg(&staging)
    .arg(&input);
    run(&mut cmd)?;
    fs::rename(
        staging.join(format!("{OUTPUT_NAME}_bg.wasm")),
        staging.join(format!("{OUTPUT_NAME}.wasm")),
    )
    .context(|| "renaming the wasm-bindgen output".to_owned())?;

    let css = paths.repo.join("style").join("main.css");
    if css.is_file() {
        fs::copy(&css, staging.join(format!("{OUTPUT_NAME}.css")))
            .context(|| format!("copying {}", css.display()))?;
    } else {
        say!(
            "warning: {} is missing; the site has no stylesheet",
            css.display()
        );
    }

    let started = std::time::Instant::now();
    precompress_tree(&staging, &pkg)?;
    say!(
        "client: .br and .gz siblings ready in {}",
        crate::util::human_duration(started.elapsed())
    );
    remove_dir_if_exists(&pkg)?;
    fs::rename(&staging, &pkg)?;

    let public = paths.repo.join("public");
    if public.is_dir() {
        copy_tree(&public, &paths.site)?;
    }
    sizes(&pkg.join(format!("{OUTPUT_NAME}.wasm")))
}

/// Prints where the client went and how big it is.
pub fn report(paths: &Paths, wasm: Sizes) {
    say!(
        "client: {}/pkg/{OUTPUT_NAME}.{{js,wasm,css}} (+ .br and .gz)",
        paths.site.display()
    );
    say!(
        "client: {OUTPUT_NAME}.wasm is {} raw, {} gzip, {} brotli",
        human_bytes(wasm.raw),
        human_bytes(wasm.gzip),
        human_bytes(wasm.brotli)
    );
}

fn sizes(file: &Path) -> Result<Sizes> {
    let len = |p: PathBuf| {
        fs::metadata(&p)
            .map(|m| m.len())
            .context(|| p.display().to_string())
    };
    Ok(Sizes {
        raw: len(file.to_path_buf())?,
        gzip: len(sibling(file, "gz"))?,
        brotli: len(sibling(file, "br"))?,
    })
}

/// `a/b.wasm` -> `a/b.wasm.br`.
fn sibling(file: &Path, ext: &str) -> PathBuf {
    let mut name = file.as_os_str().to_owned();
    name.push(".");
    name.push(ext);
    PathBuf::from(name)
}

fn wants_compression(path: &Path) -> bool {
    path.extension()
        .and_then(|e| e.to_str())
        .is_some_and(|e| COMPRESSED.contains(&e))
}

/// Writes `.br` and `.gz` for every file in `dir` that wants them; when `previous` holds the
/// same file with the same bytes and its compressed siblings, those are reused.
fn precompress_tree(dir: &Path, previous: &Path) -> Result<()> {
    for entry in fs::read_dir(dir)? {
        let path = entry?.path();
        let old = previous.join(path.file_name().unwrap_or_default());
        if path.is_dir() {
            precompress_tree(&path, &old)?;
        } else if wants_compression(&path) {
            let bytes = fs::read(&path)?;
            let reusable = fs::read(&old).is_ok_and(|o| o == bytes)
                && sibling(&old, "br").is_file()
                && sibling(&old, "gz").is_file();
            if reusable {
                fs::copy(sibling(&old, "br"), sibling(&path, "br"))?;
                fs::copy(sibling(&old, "gz"), sibling(&path, "gz"))?;
            } else {
                fs::write(sibling(&path, "br"), brotli(&bytes)?)?;
                fs::write(sibling(&path, "gz"), gzip(&bytes)?)?;
            }
        }
    }
    Ok(())
}

/// Brotli at its best quality: the files are compressed once and served many times.
pub fn brotli(bytes: &[u8]) -> io::Result<Vec<u8>> {
    let mut writer = brotli::CompressorWriter::new(Vec::new(), 64 * 1024, 11, 22);
    writer.write_all(bytes)?;
    writer.flush()?;
    Ok(writer.into_inner())
}

pub fn gzip(bytes: &[u8]) -> io::Result<Vec<u8>> {
    let mut encoder = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::best());
    encoder.write_all(bytes)?;
    encoder.finish()
}

fn copy_tree(from: &Path, to: &Path) -> Result<()> {
    fs::create_dir_all(to)?;
    for entry in fs::read_dir(from)? {
        let entry = entry?;
        let dest = to.join(entry.file_name());
        if entry.file_type()?.is_dir() {
            copy_tree(&entry.path(), &dest)?;
        } else {
            fs::copy(entry.path(), &dest)
                .context(|| format!("copying {}", entry.path().display()))?;
        }
    }
    Ok(())
}

fn remove_dir_if_exists(dir: &Path) -> Result<()> {
    match fs::remove_dir_all(dir) {
        Err(e) if e.kind() != io::ErrorKind::NotFound => {
            Err(Error::new(format!("removing {}: {e}", dir.display())))
        }
        _ => Ok(()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Read;

    fn scratch(name: &str) -> PathBuf {
        let dir = std::env::temp_dir().join(format!("xtask-test-{name}-{}", std::process::id()));
        let _ = fs::remove_dir_all(&dir);
        assert!(fs::create_dir_all(&dir).is_ok());
        dir
    }

    #[test]
    fn compressed_files_decompress_to_the_original() -> io::Result<()> {
        let original = "export function hydrate() {}\n".repeat(500).into_bytes();

        let br = brotli(&original)?;
        let mut back = Vec::new();
        brotli::Decompressor::new(br.as_slice(), 4096).read_to_end(&mut back)?;
        assert_eq!(back, original);
        assert!(br.len() < original.len() / 10);

        let gz = gzip(&original)?;
        let mut back = Vec::new();
        flate2::read::GzDecoder::new(gz.as_slice()).read_to_end(&mut back)?;
        assert_eq!(back, original);
        Ok(())
    }

    #[test]
    fn siblings_keep_the_full_name() {
        assert_eq!(
            sibling(Path::new("/s/pkg/cit-academy.wasm"), "br"),
            PathBuf::from("/s/pkg/cit-academy.wasm.br")
        );
    }

    #[test]
    fn only_js_wasm_and_css_are_compressed() -> Result<()> {
        let dir = scratch("precompress");
        fs::create_dir_all(dir.join("snippets"))?;
        fs::write(dir.join("a.js"), "let a = 1;")?;
        fs::write(dir.join("snippets/b.js"), "let b = 2;")?;
        fs::write(dir.join("c.png"), "png")?;
        precompress_tree(&dir, &dir.join("nothing-before"))?;
        assert!(dir.join("a.js.br").is_file() && dir.join("a.js.gz").is_file());
        assert!(dir.join("snippets/b.js.br").is_file());
        assert!(!dir.join("c.png.br").exists());
        fs::remove_dir_all(&dir)?;
        Ok(())
    }

    #[test]
    fn unchanged_files_reuse_their_compressed_siblings() -> Result<()> {
        let old = scratch("reuse-old");
        let new = scratch("reuse-new");
        fs::write(old.join("x.js"), "same")?;
        fs::write(old.join("x.js.br"), "old br")?;
        fs::write(old.join("x.js.gz"), "old gz")?;
        fs::write(old.join("y.js"), "before")?;
        fs::write(old.join("y.js.br"), "old br")?;
        fs::write(old.join("y.js.gz"), "old gz")?;
        fs::write(new.join("x.js"), "same")?;
        fs::write(new.join("y.js"), "after")?;
        precompress_tree(&new, &old)?;
        assert_eq!(fs::read_to_string(new.join("x.js.br"))?, "old br");
        assert_ne!(fs::read(new.join("y.js.br"))?, b"old br");
        fs::remove_dir_all(&old)?;
        fs::remove_dir_all(&new)?;
        Ok(())
    }
}
