//! Reading an input file: regular files only, never more than a limit, whatever the file
//! system reports (a FIFO would block, `/dev/zero` never ends, `/proc` files report size 0).

use std::io::Read;
use std::path::Path;

/// Why a file could not be read.
#[derive(Debug)]
pub enum ReadFailure {
    /// The path is not a regular file; the text names what it is ("a FIFO", "a directory").
    NotRegular(&'static str),
    /// The file holds more than the limit: its size when the file system reported it, or
    /// `None` when only reading found out (a device, a `/proc` file).
    TooLarge(Option<u64>),
    /// The file system refused (missing, no permission, dangling symlink); the text says why.
    Io(String),
}

impl ReadFailure {
    /// The failure as a sentence about `path`.
    pub fn describe(&self, path: &Path, limit: u64) -> String {
        match self {
            Self::NotRegular(what) => {
                format!("`{}` is {what}, not a regular file", path.display())
            }
            // Exact bytes as well as MiB: a file a few KiB over would otherwise read
            // "64 MiB; the limit is 64 MiB".
            Self::TooLarge(Some(size)) => format!(
                "`{}` is {size} bytes ({}); the limit is {limit} bytes ({})",
                path.display(),
                mib(*size),
                mib(limit)
            ),
            Self::TooLarge(None) => format!(
                "`{}` holds more than the limit of {limit} bytes ({})",
                path.display(),
                mib(limit)
            ),
            Self::Io(why) => format!("cannot read `{}`: {why}", path.display()),
        }
    }
}

/// A size in MiB with one decimal, rounded down so a size over the limit never prints as it.
pub fn mib(bytes: u64) -> String {
    let tenths = bytes.saturating_mul(10) >> 20;
    format!("{}.{} MiB", tenths / 10, tenths % 10)
}

/// What kind of non-regular file `meta` describes, or `None` for a regular file.
fn not_regular(meta: &std::fs::Metadata) -> Option<&'static str> {
    let ty = meta.file_type();
    if ty.is_file() {
        return None;
    }
    if ty.is_dir() {
        return Some("a directory");
    }
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt;
        if ty.is_fifo() {
            return Some("a FIFO");
        }
        if ty.is_char_device() {
            return Some("a character device");
        }
        if ty.is_block_device() {
            return Some("a block device");
        }
        if ty.is_socket() {
            return Some("a socket");
        }
    }
    Some("a special file")
}

/// Reads the regular file at `path` (symlinks followed), at most `limit` bytes.
///
/// The type is checked before opening, because opening a FIFO for reading blocks until a
/// writer appears; the read is bounded by `take`, because the reported size of a device or
/// a `/proc` file says nothing about how much it yields.
///
/// # Errors
/// When the path is not a regular file, holds more than `limit` bytes, or cannot be read.
pub fn read_regular(path: &Path, limit: u64) -> Result<Vec<u8>, ReadFailure> {
    let meta = std::fs::metadata(path).map_err(|e| {
        // `metadata` follows symlinks, so a dangling one looks like a missing file: say so.
        match std::fs::read_link(path) {
            Ok(target) if e.kind() == std::io::ErrorKind::NotFound => ReadFailure::Io(format!(
                "it is a symbolic link to `{}`, which does not exist",
                target.display()
            )),
            _ => ReadFailure::Io(e.to_string()),
        }
    })?;
    if let Some(what) = not_regular(&meta) {
        return Err(ReadFailure::NotRegular(what));
    }
    // A regular file that says it is too large is refused without reading it.
    if meta.len() > limit {
        return Err(ReadFailure::TooLarge(Some(meta.len())));
    }
    let file = std::fs::File::open(path).map_err(|e| ReadFailure::Io(e.to_string()))?;
    // The path may have been replaced between the check and the open.
    let opened = file
        .metadata()
        .map_err(|e| ReadFailure::Io(e.to_string()))?;
    if let Some(what) = not_regular(&opened) {
        return Err(ReadFailure::NotRegular(what));
    }
    // Sized from the metadata so the buffer does not grow by doubling: the text is kept for
    // the whole run, and spare capacity would be kept with it.
    let expected = usize::try_from(opened.len().min(limit)).unwrap_or(0);
    let mut bytes = Vec::with_capacity(expected.saturating_add(1));
    file.take(limit.saturating_add(1))
        .read_to_end(&mut bytes)
        .map_err(|e| ReadFailure::Io(e.to_string()))?;
    if !u64::try_from(bytes.len()).is_ok_and(|n| n <= limit) {
        return Err(ReadFailure::TooLarge(None));
    }
    Ok(bytes)
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
mod tests {
    use super::*;

    #[test]
    fn reads_at_most_the_limit() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("a.yaml");
        std::fs::write(&p, b"12345").unwrap();
        assert_eq!(read_regular(&p, 5).unwrap(), b"12345");
        assert!(matches!(read_regular(&p, 4), Err(ReadFailure::TooLarge(_))));
        assert!(matches!(
            read_regular(dir.path(), 4),
            Err(ReadFailure::NotRegular("a directory"))
        ));
    }

    #[cfg(unix)]
    #[test]
    fn refuses_devices_and_reads_dev_zero_boundedly() {
        assert!(matches!(
            read_regular(Path::new("/dev/zero"), 4),
            Err(ReadFailure::NotRegular("a character device"))
        ));
    }
}
