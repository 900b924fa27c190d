//! Writing output files whole or not at all: a temporary file in the same directory, then
//! a rename, so a crash or a concurrent run never leaves a half-written plan. Before any of
//! that, [`Inputs::check`] refuses an output that would replace one of the run's inputs or
//! another output of the same run.

use std::io::Write;
use std::path::{Path, PathBuf};

use crate::load::Diagnostic;

/// The one device an output may name: writing to it discards the output, as shells expect.
const DEV_NULL: &str = "/dev/null";

/// The files a command reads, which none of its outputs may replace.
#[derive(Debug, Default)]
pub struct Inputs(Vec<(PathBuf, &'static str)>);

/// One output of a run: its path, what it holds ("the plan") and the flag that named it.
pub type Output<'a> = (&'a Path, &'a str, &'a str);

impl Inputs {
    /// Records `path`, described as `what` ("inventory file") in a refusal.
    pub fn add(&mut self, path: &Path, what: &'static str) {
        self.0.push((identity(path), what));
    }

    /// Records the inventory files and the scenario chain of a load.
    pub fn add_loaded(&mut self, loaded: &crate::load::Loaded) {
        for f in &loaded.inventory.files {
            self.add(f, "inventory file");
        }
        for f in &loaded.scenario_files {
            self.add(f, "scenario file");
        }
    }

    /// Refuses, before anything is written, an output that is one of the inputs, the same
    /// file as another output, or an existing target that is not a regular file.
    ///
    /// # Errors
    /// A diagnostic naming the output, what it would replace and the flag to change.
    pub fn check(&self, outputs: &[Output<'_>]) -> Result<(), Diagnostic> {
        let mut seen: Vec<(PathBuf, &str)> = Vec::new();
        for &(path, what, flag) in outputs {
            if resolve(path)?.is_none() {
                continue;
            }
            let id = identity(path);
            if let Some((_, kind)) = self.0.iter().find(|(p, _)| *p == id) {
                return Err(Diagnostic::error(
                    "output-is-input",
                    format!(
                        "refusing to write {what} to `{}`: it is one of this command's inputs ({kind}); give another {flag}",
                        path.display()
                    ),
                ));
            }
            if let Some((_, other)) = seen.iter().find(|(p, _)| *p == id) {
                return Err(Diagnostic::error(
                    "output-twice",
                    format!(
                        "refusing to write {what} to `{}`: {other} is written there too; give another {flag}",
                        path.display()
                    ),
                ));
            }
            seen.push((id, what));
        }
        Ok(())
    }
}

/// The file a path names, for comparing paths: canonical when it exists, else its
/// canonical directory plus its name (an output often does not exist yet).
fn identity(path: &Path) -> PathBuf {
    if let Ok(c) = std::fs::canonicalize(path) {
        return c;
    }
    let dir = match path.parent() {
        Some(d) if !d.as_os_str().is_empty() => d,
        _ => Path::new("."),
    };
    match (std::fs::canonicalize(dir), path.file_name()) {
        (Ok(d), Some(name)) => d.join(name),
        _ => path.to_path_buf(),
    }
}

/// Where to write `path`: itself, or through a symlink the file it points to (the link is
/// kept); `None` for `/dev/null` (discard).
///
/// # Errors
/// An existing target that is not a regular file (device, FIFO, directory) or a dangling
/// symlink: renaming over it would replace it with a regular file.
fn resolve(path: &Path) -> Result<Option<PathBuf>, Diagnostic> {
    let refuse = |why: &str| {
        Diagnostic::error(
            "bad-output",
            format!("refusing to write `{}`: {why}", path.display()),
        )
        .hint("give the path of a regular file, or of one to create")
    };
    let Ok(meta) = std::fs::symlink_metadata(path) else {
        return Ok(Some(path.to_path_buf()));
    };
    let target = if meta.file_type().is_symlink() {
        std::fs::canonicalize(path)
            .map_err(|_| refuse("it is a symlink to a file that does not exist"))?
    } else {
        path.to_path_buf()
    };
    if target == Path::new(DEV_NULL) {
        return Ok(None);
    }
    match std::fs::metadata(&target) {
        Ok(m) if m.is_file() => Ok(Some(target)),
        Ok(m) if m.is_dir() => Err(refuse("it is a directory")),
        Ok(_) => Err(refuse(
            "it is not a regular file (a device, FIFO or socket)",
        )),
        Err(_) => Ok(Some(target)),
    }
}

/// Atomically replaces `path` with `bytes`.
///
/// # Errors
/// A diagnostic naming the file when the directory cannot be written or the target is not
/// a regular file.
pub fn write_atomic(path: &Path, bytes: &[u8]) -> Result<(), Diagnostic> {
    let Some(target) = resolve(path)? else {
        return Ok(());
    };
    let tmp = stage(&target, bytes)?;
    persist(&target, tmp)
}

/// Writes several files, each whole or not at all: every file is staged before any is
/// renamed into place, so a full disk or a bad directory leaves every file as it was.
///
/// # Errors
/// A diagnostic naming the first file that could not be written.
pub fn write_all_atomic(files: &[(std::path::PathBuf, Vec<u8>)]) -> Result<(), Diagnostic> {
    let mut targets = Vec::new();
    for (p, b) in files {
        if let Some(t) = resolve(p)? {
            targets.push((t, b));
        }
    }
    // A staged file is removed when dropped, so an error here or in a later rename leaves
    // no temporary file behind.
    let staged = targets
        .iter()
        .map(|(p, b)| stage(p, b))
        .collect::<Result<Vec<_>, _>>()?;
    for (i, ((path, _), tmp)) in targets.iter().zip(staged).enumerate() {
        if let Err(d) = persist(path, tmp) {
            // Exit codes must say what was written: name the files already renamed.
            let done: Vec<String> = targets[..i]
                .iter()
                .map(|(p, _)| format!("`{}`", p.display()))
                .collect();
            return Err(if done.is_empty() {
                d
            } else {
                d.hint(format!("already written: {}", done.join(", ")))
            });
        }
    }
    Ok(())
}

/// The error for a file that could not be written, naming the file the user gave: the
/// temporary file's name in the I/O error means nothing to them.
fn failure(path: &Path) -> impl Fn(std::io::Error) -> Diagnostic + '_ {
    move |e| {
        let dir = match path.parent() {
            Some(d) if !d.as_os_str().is_empty() => d,
            _ => Path::new("."),
        };
        let (why, hint) = match e.kind() {
            std::io::ErrorKind::NotFound => (
                format!("the directory `{}` does not exist", dir.display()),
                "create it, or choose another path".to_owned(),
            ),
            std::io::ErrorKind::PermissionDenied => (
                format!("permission denied in `{}`", dir.display()),
                "choose a directory you can write to".to_owned(),
            ),
            kind => (
                // The OS's own words without the path tempfile appends to them.
                e.raw_os_error().map_or_else(
                    || std::io::Error::from(kind).to_string(),
                    |code| std::io::Error::from_raw_os_error(code).to_string(),
                ),
                "check that the directory exists, is writable and has room".to_owned(),
            ),
        };
        Diagnostic::error("io", format!("cannot write `{}`: {why}", path.display())).hint(hint)
    }
}

fn stage(path: &Path, bytes: &[u8]) -> Result<tempfile::NamedTempFile, Diagnostic> {
    let fail = failure(path);
    let dir = match path.parent() {
        Some(d) if !d.as_os_str().is_empty() => d,
        _ => Path::new("."),
    };
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let mut tmp = tempfile::Builder::new()
        .prefix(&format!(".{name}."))
        .suffix(".tmp")
        .tempfile_in(dir)
        .map_err(&fail)?;
    tmp.write_all(bytes).map_err(&fail)?;
    // A temporary file is private (0600); a plan or report is meant to be shared, so give it
    // the permissions of the file it replaces, or the usual 0644 for a new one.
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let perms = std::fs::metadata(path)
            .map(|m| m.permissions())
            .unwrap_or_else(|_| std::fs::Permissions::from_mode(0o644));
        tmp.as_file().set_permissions(perms).map_err(&fail)?;
    }
    tmp.as_file().sync_all().map_err(&fail)?;
    Ok(tmp)
}

fn persist(path: &Path, tmp: tempfile::NamedTempFile) -> Result<(), Diagnostic> {
    // On failure the error owns the temporary file and removes it when dropped.
    tmp.persist(path).map_err(|e| failure(path)(e.error))?;
    Ok(())
}
