//! Writing output files whole or not at all: a temporary file in the same directory, then
//! a rename, so a crash or a concurrent run never leaves a half-written plan.

use std::io::Write;
use std::path::Path;

use crate::load::Diagnostic;

/// Atomically replaces `path` with `bytes`.
///
/// # Errors
/// A diagnostic naming the file when the directory cannot be written.
pub fn write_atomic(path: &Path, bytes: &[u8]) -> Result<(), Diagnostic> {
    let tmp = stage(path, bytes)?;
    persist(path, tmp)
}

/// Writes several files, each whole or not at all: every file is staged before any is
/// renamed into place, so a full disk or a bad directory leaves every file as it was.
///
/// # Errors
/// A diagnostic naming the first file that could not be written.
pub fn write_all_atomic(files: &[(std::path::PathBuf, Vec<u8>)]) -> Result<(), Diagnostic> {
    let staged = files
        .iter()
        .map(|(p, b)| stage(p, b))
        .collect::<Result<Vec<_>, _>>()?;
    for ((path, _), tmp) in files.iter().zip(staged) {
        persist(path, tmp)?;
    }
    Ok(())
}

fn failure(path: &Path) -> impl Fn(std::io::Error) -> Diagnostic + '_ {
    move |e| {
        Diagnostic::error("io", format!("cannot write `{}`: {e}", path.display()))
            .hint("check that the directory exists and is writable")
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
    tmp.persist(path).map_err(|e| failure(path)(e.error))?;
    Ok(())
}
