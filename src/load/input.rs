//! Input files held in memory, each under the path diagnostics name: what loading works on,
//! whether the CLI read them from disk or a test or fuzz target built them.
//!
//! Only the disk entry points (`load`, `load_with`) read files; [`super::load_from`] never
//! touches the file system, so a fuzz target needs no temporary directory.

use std::path::{Component, Path, PathBuf};

use super::diag::Diagnostic;
use super::inventory::{decode, read_text};

/// One named file's bytes.
#[derive(Debug, Clone)]
pub struct InputFile {
    /// The path diagnostics name, as given.
    pub path: PathBuf,
    /// The file's bytes (a BOM, if any, is removed when it is read as text).
    pub bytes: Vec<u8>,
}

/// The files one load reads: the inventory's department files, the scenario and any file
/// its `extends` chain names, each under its path.
#[derive(Debug, Clone, Default)]
pub struct InputFiles {
    /// Department files; loaded in SPEC order (by file name), whatever order they came in.
    pub(super) inventory: Vec<InputFile>,
    /// The scenario's path, when there is one; its bytes are among `others`.
    pub(super) scenario: Option<PathBuf>,
    /// The scenario and the files its `extends` chain may name.
    pub(super) others: Vec<InputFile>,
}

impl InputFiles {
    /// No files: an inventory with no department, and no scenario (the defaults).
    #[must_use]
    pub fn new() -> Self {
        Self::default()
    }

    /// Adds a department file of the inventory.
    #[must_use]
    pub fn inventory(mut self, path: impl Into<PathBuf>, bytes: impl Into<Vec<u8>>) -> Self {
        self.inventory.push(InputFile {
            path: path.into(),
            bytes: bytes.into(),
        });
        self
    }

    /// Sets the scenario file (replacing any scenario set before).
    #[must_use]
    pub fn scenario(mut self, path: impl Into<PathBuf>, bytes: impl Into<Vec<u8>>) -> Self {
        let path = path.into();
        self.scenario = Some(path.clone());
        self.file(path, bytes)
    }

    /// Adds a file an `extends` may name, under the path `extends` resolves to (relative to
    /// the directory of the scenario that names it).
    #[must_use]
    pub fn file(mut self, path: impl Into<PathBuf>, bytes: impl Into<Vec<u8>>) -> Self {
        self.others.push(InputFile {
            path: path.into(),
            bytes: bytes.into(),
        });
        self
    }

    /// Moves out the bytes of the non-inventory file at `path` (compared as [`lexical`]
    /// paths), so they are held once, as the text they become.
    fn take(&mut self, path: &Path) -> Option<Vec<u8>> {
        let key = lexical(path);
        let i = self.others.iter().position(|f| lexical(&f.path) == key)?;
        Some(self.others.swap_remove(i).bytes)
    }
}

/// Where the scenario chain's files come from: the in-memory set first, then, for the disk
/// entry points only, the file system.
pub(super) struct ChainFiles {
    /// The files not yet read.
    pub files: InputFiles,
    /// Whether a file missing from `files` is read from disk.
    pub disk: bool,
}

impl ChainFiles {
    /// The text of `path` and whether it began with a BOM.
    ///
    /// # Errors
    /// A diagnostic naming `path`: unreadable, not UTF-8, or (in memory) not given.
    pub fn text(&mut self, path: &Path) -> Result<(String, bool), Diagnostic> {
        match self.files.take(path) {
            Some(bytes) => decode(path, bytes),
            None if self.disk => read_text(path),
            None => Err(Diagnostic::error(
                "io",
                format!(
                    "cannot read `{}`: it is not among the input files",
                    path.display()
                ),
            )
            .in_file(path)),
        }
    }

    /// What two paths must share to be the same file, for cycle detection: on disk the
    /// canonical path (symlinks resolved), in memory the [`lexical`] path.
    pub fn identity(&self, path: &Path) -> PathBuf {
        if self.disk {
            std::fs::canonicalize(path).unwrap_or_else(|_| path.to_path_buf())
        } else {
            lexical(path)
        }
    }
}

/// `path` with `.` dropped and each `..` cancelling the name before it, without asking the
/// file system: in memory there are no symlinks, so this is the file's identity.
#[must_use]
pub fn lexical(path: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for c in path.components() {
        match c {
            Component::CurDir => {}
            Component::ParentDir => match out.components().next_back() {
                Some(Component::Normal(_)) => {
                    out.pop();
                }
                // The parent of the root is the root.
                Some(Component::RootDir | Component::Prefix(_)) => {}
                _ => out.push(".."),
            },
            other => out.push(other),
        }
    }
    out
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
mod tests {
    use super::*;

    #[test]
    fn lexical_paths_drop_dots_and_cancel_parents() {
        assert_eq!(lexical(Path::new("a/./b/../c.yaml")), Path::new("a/c.yaml"));
        assert_eq!(lexical(Path::new("../a/../../b")), Path::new("../../b"));
        assert_eq!(lexical(Path::new("/x/../y")), Path::new("/y"));
    }

    #[test]
    fn a_file_missing_from_memory_is_never_read_from_disk() {
        let mut chain = ChainFiles {
            files: InputFiles::new().file("p/base.yaml", "a: 1\n"),
            disk: false,
        };
        assert_eq!(chain.text(Path::new("p/./base.yaml")).unwrap().0, "a: 1\n");
        // Taken once: the bytes are not kept twice.
        let d = chain.text(Path::new("p/base.yaml")).unwrap_err();
        assert!(d.message.contains("not among the input files"), "{d}");
        assert!(chain.text(Path::new("/dev/zero")).is_err());
    }
}
