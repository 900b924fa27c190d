//! Turns the bytes of a text export into text, whatever encoding the tool that wrote it chose.
//!
//! Planners' exports arrive as UTF-8 (with or without a byte-order mark), as Excel's
//! "Unicode text" (UTF-16LE with a BOM), now and then as UTF-16 without one, and from older
//! Windows tools as Windows-1252. Windows-1252 is the last resort because every byte sequence
//! decodes under it, so it can never fail; anything that is valid UTF-8 is taken as UTF-8.

/// How a file's bytes were decoded (for the review).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Encoding {
    /// UTF-8 without a byte-order mark.
    Utf8,
    /// UTF-8 behind a byte-order mark (what Excel writes for "CSV UTF-8").
    Utf8Bom,
    /// UTF-16, little-endian (Excel's "Unicode text").
    Utf16Le,
    /// UTF-16, big-endian.
    Utf16Be,
    /// Windows-1252, the Western European code page of older Windows tools.
    Windows1252,
}

impl Encoding {
    /// The name a planner knows the encoding by.
    #[must_use]
    pub fn label(self) -> &'static str {
        match self {
            Self::Utf8 => "UTF-8",
            Self::Utf8Bom => "UTF-8 with BOM",
            Self::Utf16Le => "UTF-16LE",
            Self::Utf16Be => "UTF-16BE",
            Self::Windows1252 => "Windows-1252",
        }
    }
}

/// How many leading bytes are looked at to recognise UTF-16 without a BOM.
const SNIFF_BYTES: usize = 4096;

/// Decodes a text export: BOM first (UTF-8, UTF-16LE/BE); UTF-16 without BOM detected by NUL bytes in alternate positions; valid UTF-8; otherwise Windows-1252.
#[must_use]
pub fn decode(bytes: &[u8]) -> (String, Encoding) {
    if let Some(rest) = bytes.strip_prefix(&[0xEF, 0xBB, 0xBF]) {
        let (text, _) = encoding_rs::UTF_8.decode_without_bom_handling(rest);
        return (text.into_owned(), Encoding::Utf8Bom);
    }
    if let Some(rest) = bytes.strip_prefix(&[0xFF, 0xFE]) {
        return (utf16(rest, Encoding::Utf16Le), Encoding::Utf16Le);
    }
    if let Some(rest) = bytes.strip_prefix(&[0xFE, 0xFF]) {
        return (utf16(rest, Encoding::Utf16Be), Encoding::Utf16Be);
    }
    if let Some(encoding) = utf16_without_bom(bytes) {
        return (utf16(bytes, encoding), encoding);
    }
    match std::str::from_utf8(bytes) {
        Ok(text) => (text.to_owned(), Encoding::Utf8),
        Err(_) => {
            let (text, _) = encoding_rs::WINDOWS_1252.decode_without_bom_handling(bytes);
            (text.into_owned(), Encoding::Windows1252)
        }
    }
}

/// The same as [`decode`] for bytes already owned: valid UTF-8 (the usual case) becomes the
/// text without a copy.
#[must_use]
pub fn decode_owned(bytes: Vec<u8>) -> (String, Encoding) {
    if bytes.starts_with(&[0xEF, 0xBB, 0xBF])
        || bytes.starts_with(&[0xFF, 0xFE])
        || bytes.starts_with(&[0xFE, 0xFF])
        || utf16_without_bom(&bytes).is_some()
    {
        return decode(&bytes);
    }
    match String::from_utf8(bytes) {
        Ok(text) => (text, Encoding::Utf8),
        Err(e) => decode(e.as_bytes()),
    }
}

fn utf16(bytes: &[u8], encoding: Encoding) -> String {
    let codec = if encoding == Encoding::Utf16Be {
        encoding_rs::UTF_16BE
    } else {
        encoding_rs::UTF_16LE
    };
    // A stray odd byte or lone surrogate becomes U+FFFD rather than losing the whole file.
    let (text, _) = codec.decode_without_bom_handling(bytes);
    text.into_owned()
}

/// Text exports are mostly ASCII, so UTF-16 shows as a NUL in every other byte: the odd
/// positions for little-endian, the even ones for big-endian. A few NULs on the other side
/// are tolerated (CJK text has them), but a file with NULs on both sides is not UTF-16.
fn utf16_without_bom(bytes: &[u8]) -> Option<Encoding> {
    let sample = &bytes[..bytes.len().min(SNIFF_BYTES) & !1];
    let pairs = sample.len() / 2;
    if pairs < 2 {
        return None;
    }
    let (mut even, mut odd) = (0usize, 0usize);
    for pair in sample.chunks_exact(2) {
        even += usize::from(pair[0] == 0);
        odd += usize::from(pair[1] == 0);
    }
    let many = |n: usize| n * 10 >= pairs * 3;
    let few = |n: usize| n * 10 < pairs;
    if many(odd) && few(even) {
        Some(Encoding::Utf16Le)
    } else if many(even) && few(odd) {
        Some(Encoding::Utf16Be)
    } else {
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn utf16le(text: &str) -> Vec<u8> {
        text.encode_utf16().flat_map(u16::to_le_bytes).collect()
    }

    fn utf16be(text: &str) -> Vec<u8> {
        text.encode_utf16().flat_map(u16::to_be_bytes).collect()
    }

    #[test]
    fn plain_utf8() {
        let (text, enc) = decode("name,ram\nnaïve,4\n".as_bytes());
        assert_eq!(text, "name,ram\nnaïve,4\n");
        assert_eq!(enc, Encoding::Utf8);
    }

    #[test]
    fn utf8_bom_is_stripped() {
        let mut bytes = vec![0xEF, 0xBB, 0xBF];
        bytes.extend_from_slice("Name;RAM\n".as_bytes());
        let (text, enc) = decode(&bytes);
        assert_eq!(text, "Name;RAM\n");
        assert_eq!(enc, Encoding::Utf8Bom);
    }

    #[test]
    fn utf16le_with_bom_like_excel_unicode_text() {
        let mut bytes = vec![0xFF, 0xFE];
        bytes.extend(utf16le("VM\tMemory\r\nweb-ü1\t4096\r\n"));
        let (text, enc) = decode(&bytes);
        assert_eq!(text, "VM\tMemory\r\nweb-ü1\t4096\r\n");
        assert_eq!(enc, Encoding::Utf16Le);
    }

    #[test]
    fn utf16be_with_bom() {
        let mut bytes = vec![0xFE, 0xFF];
        bytes.extend(utf16be("a,b\nx,é\n"));
        assert_eq!(decode(&bytes), ("a,b\nx,é\n".to_owned(), Encoding::Utf16Be));
    }

    #[test]
    fn utf16_without_bom_is_recognised_both_ways() {
        let text = "host,cpu\nsrv01,8\n";
        assert_eq!(decode(&utf16le(text)), (text.to_owned(), Encoding::Utf16Le));
        assert_eq!(decode(&utf16be(text)), (text.to_owned(), Encoding::Utf16Be));
    }

    #[test]
    fn windows_1252_when_not_utf8() {
        // "Zürich,Séverine" as Windows-1252: ü = 0xFC, é = 0xE9, and 0x80 is the euro sign.
        let bytes = b"owner,site\nS\xE9verine,Z\xFCrich \x80\n";
        let (text, enc) = decode(bytes);
        assert_eq!(text, "owner,site\nSéverine,Zürich €\n");
        assert_eq!(enc, Encoding::Windows1252);
    }

    #[test]
    fn nul_bytes_on_both_sides_are_not_utf16() {
        let bytes = b"\0a\0b\0\0cd\0\0";
        assert_eq!(decode(bytes).1, Encoding::Utf8);
    }

    #[test]
    fn owned_bytes_decode_the_same() {
        let inputs: [&[u8]; 4] = [
            b"a,b\n",
            b"\xEF\xBB\xBFa,b\n",
            b"\xFF\xFEa\0,\0b\0",
            b"S\xE9verine\n",
        ];
        for bytes in inputs {
            assert_eq!(decode_owned(bytes.to_vec()), decode(bytes), "{bytes:?}");
        }
    }

    #[test]
    fn empty_input() {
        assert_eq!(decode(b""), (String::new(), Encoding::Utf8));
    }

    #[test]
    fn labels() {
        let all = [
            (Encoding::Utf8, "UTF-8"),
            (Encoding::Utf8Bom, "UTF-8 with BOM"),
            (Encoding::Utf16Le, "UTF-16LE"),
            (Encoding::Utf16Be, "UTF-16BE"),
            (Encoding::Windows1252, "Windows-1252"),
        ];
        for (enc, label) in all {
            assert_eq!(enc.label(), label);
        }
    }
}
