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
    let fail = |e: std::io::Error| {
        Diagnostic::error("io", format!("cannot write `{}`: {e}", path.display()))
            .hint("check that the directory exists and is writable")
    };
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
        .map_err(fail)?;
    tmp.write_all(bytes).map_err(fail)?;
    // A temporary file is private (0600); a plan or report is meant to be shared, so give it
    // the permissions of the file it replaces, or the usual 0644 for a new one.
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let perms = std::fs::metadata(path)
            .map(|m| m.permissions())
            .unwrap_or_else(|_| std::fs::Permissions::from_mode(0o644));
        tmp.as_file().set_permissions(perms).map_err(fail)?;
    }
    tmp.as_file().sync_all().map_err(fail)?;
    tmp.persist(path).map_err(|e| fail(e.error))?;
    Ok(())
}
