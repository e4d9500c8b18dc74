//! Turning an article file's bytes into text, with a clear error for bytes
//! that are not a readable text.
//!
//! Invariants: a leading byte-order mark is dropped and recorded in
//! [`Encoding`]; line endings are never changed; nothing here panics on any
//! input.

use std::fmt;

/// Files larger than this are refused with a message instead of opened.
pub const MAX_ARTICLE_BYTES: usize = 200 * 1024 * 1024;

/// How the bytes of an article were decoded.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Encoding {
    /// UTF-8 without a byte-order mark.
    Utf8,
    /// UTF-8 with a leading byte-order mark (dropped).
    Utf8Bom,
    /// UTF-16 little endian, detected by its byte-order mark.
    Utf16Le,
    /// UTF-16 big endian, detected by its byte-order mark.
    Utf16Be,
    /// Windows-1252 (a superset of Latin-1), chosen by the user for a file
    /// that is not valid UTF-8.
    Windows1252,
}

impl Encoding {
    /// A short human name for the status bar.
    pub fn label(self) -> &'static str {
        match self {
            Encoding::Utf8 => "UTF-8",
            Encoding::Utf8Bom => "UTF-8 (BOM)",
            Encoding::Utf16Le => "UTF-16 LE",
            Encoding::Utf16Be => "UTF-16 BE",
            Encoding::Windows1252 => "Windows-1252",
        }
    }
}

/// Why bytes could not be decoded as an article.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DecodeError {
    /// The file has no bytes (or only a byte-order mark).
    Empty,
    /// The file holds NUL bytes outside UTF-16: it is not a text file.
    Binary,
    /// Not valid UTF-8; `offset` is the first bad byte. The caller may offer
    /// [`decode_legacy`].
    InvalidUtf8 {
        /// Byte offset of the first invalid sequence.
        offset: usize,
    },
    /// A UTF-16 file with unpaired surrogates.
    InvalidUtf16,
    /// Larger than [`MAX_ARTICLE_BYTES`].
    TooLarge {
        /// The file's size in bytes.
        bytes: usize,
    },
}

impl fmt::Display for DecodeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            DecodeError::Empty => write!(f, "the file is empty"),
            DecodeError::Binary => write!(f, "the file holds binary data (NUL bytes), not text"),
            DecodeError::InvalidUtf8 { offset } => write!(
                f,
                "the file is not valid UTF-8 (first bad byte at offset {offset}); it may be in a legacy encoding such as Windows-1252"
            ),
            DecodeError::InvalidUtf16 => write!(f, "the UTF-16 file has broken surrogate pairs"),
            DecodeError::TooLarge { bytes } => write!(
                f,
                "the file is too large to open ({} MB; the limit is {} MB)",
                bytes / (1024 * 1024),
                MAX_ARTICLE_BYTES / (1024 * 1024)
            ),
        }
    }
}

impl std::error::Error for DecodeError {}

/// Decodes UTF-8 (with or without BOM) or UTF-16 with a BOM.
pub fn decode(bytes: &[u8]) -> Result<(String, Encoding), DecodeError> {
    if bytes.len() > MAX_ARTICLE_BYTES {
        return Err(DecodeError::TooLarge { bytes: bytes.len() });
    }
    let (text, enc) = if let Some(rest) = bytes.strip_prefix(&[0xEF, 0xBB, 0xBF]) {
        (utf8(rest, 3)?, Encoding::Utf8Bom)
    } else if let Some(rest) = bytes.strip_prefix(&[0xFF, 0xFE]) {
        (utf16(rest, u16::from_le_bytes)?, Encoding::Utf16Le)
    } else if let Some(rest) = bytes.strip_prefix(&[0xFE, 0xFF]) {
        (utf16(rest, u16::from_be_bytes)?, Encoding::Utf16Be)
    } else {
        (utf8(bytes, 0)?, Encoding::Utf8)
    };
    if text.is_empty() {
        return Err(DecodeError::Empty);
    }
    if text.contains('\0') {
        return Err(DecodeError::Binary);
    }
    Ok((text, enc))
}

/// Decodes bytes as Windows-1252 (never fails on content; still refuses
/// empty, binary and huge files).
pub fn decode_legacy(bytes: &[u8]) -> Result<(String, Encoding), DecodeError> {
    if bytes.len() > MAX_ARTICLE_BYTES {
        return Err(DecodeError::TooLarge { bytes: bytes.len() });
    }
    if bytes.is_empty() {
        return Err(DecodeError::Empty);
    }
    if bytes.contains(&0) {
        return Err(DecodeError::Binary);
    }
    let (text, _, _) = encoding_rs::WINDOWS_1252.decode(bytes);
    Ok((text.into_owned(), Encoding::Windows1252))
}

fn utf8(bytes: &[u8], skipped: usize) -> Result<String, DecodeError> {
    if bytes.contains(&0) {
        return Err(DecodeError::Binary);
    }
    match std::str::from_utf8(bytes) {
        Ok(s) => Ok(s.to_owned()),
        Err(e) => Err(DecodeError::InvalidUtf8 {
            offset: skipped + e.valid_up_to(),
        }),
    }
}

fn utf16(bytes: &[u8], read: fn([u8; 2]) -> u16) -> Result<String, DecodeError> {
    let units = bytes.chunks_exact(2).map(|c| read([c[0], c[1]]));
    let mut out = String::with_capacity(bytes.len() / 2);
    for ch in char::decode_utf16(units) {
        out.push(ch.map_err(|_| DecodeError::InvalidUtf16)?);
    }
    if bytes.len() % 2 == 1 {
        return Err(DecodeError::InvalidUtf16);
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn utf8_with_and_without_bom() {
        assert_eq!(decode(b"abc").unwrap(), ("abc".into(), Encoding::Utf8));
        assert_eq!(
            decode(b"\xEF\xBB\xBFabc").unwrap(),
            ("abc".into(), Encoding::Utf8Bom)
        );
    }

    #[test]
    fn utf16_by_bom() {
        let le: Vec<u8> = [0xFF, 0xFE]
            .into_iter()
            .chain("hé😀".encode_utf16().flat_map(|u| u.to_le_bytes()))
            .collect();
        assert_eq!(decode(&le).unwrap(), ("hé😀".into(), Encoding::Utf16Le));
        let be: Vec<u8> = [0xFE, 0xFF]
            .into_iter()
            .chain("hé".encode_utf16().flat_map(|u| u.to_be_bytes()))
            .collect();
        assert_eq!(decode(&be).unwrap(), ("hé".into(), Encoding::Utf16Be));
    }

    #[test]
    fn bad_inputs_get_errors() {
        assert_eq!(decode(b""), Err(DecodeError::Empty));
        assert_eq!(decode(b"\xEF\xBB\xBF"), Err(DecodeError::Empty));
        assert_eq!(decode(b"ab\0cd"), Err(DecodeError::Binary));
        assert_eq!(
            decode(b"caf\xe9 au lait"),
            Err(DecodeError::InvalidUtf8 { offset: 3 })
        );
        assert_eq!(decode_legacy(b"caf\xe9 \x93q\x94").unwrap().0, "café “q”");
    }
}
