//! The decoded article text with fast conversion between code-point and
//! byte offsets.
//!
//! Invariants:
//! - Offsets handed in and out of [`Text`] are code points, end excluded,
//!   unless a method name says `byte`.
//! - The content never starts with a byte-order mark (decoding drops it).
//! - Line endings are kept exactly as in the file; a CRLF is two code points.
//! - Conversions clamp out-of-range offsets to the text's end instead of
//!   panicking, so a stale offset from a file never crashes the app.

use sha2::{Digest, Sha256};

/// Number of code points between two checkpoints of the char→byte table.
const STRIDE: usize = 64;

/// An article's decoded text plus the indexes every other module needs:
/// its SHA-256, its length in code points, a char↔byte table and line starts.
#[derive(Debug, Clone)]
pub struct Text {
    content: String,
    sha256: String,
    char_len: usize,
    /// `checkpoints[k]` is the byte offset of code point `k * STRIDE`.
    /// Empty when the text is pure ASCII (offsets are then identical).
    checkpoints: Vec<usize>,
    /// Code-point offset of the first character of every line.
    line_starts: Vec<usize>,
}

impl Text {
    /// Builds the text and its indexes (one linear pass plus the hash).
    pub fn new(content: String) -> Text {
        let content = match content.strip_prefix('\u{feff}') {
            Some(rest) => rest.to_owned(),
            None => content,
        };
        let sha256 = sha256_hex(&content);
        let ascii = content.is_ascii();
        let mut checkpoints = Vec::new();
        let mut line_starts = vec![0];
        let mut char_len = 0;
        if ascii {
            char_len = content.len();
            for (i, b) in content.bytes().enumerate() {
                if b == b'\n' {
                    line_starts.push(i + 1);
                }
            }
        } else {
            checkpoints.reserve(content.len() / STRIDE + 1);
            for (byte, ch) in content.char_indices() {
                if char_len % STRIDE == 0 {
                    checkpoints.push(byte);
                }
                char_len += 1;
                if ch == '\n' {
                    line_starts.push(char_len);
                }
            }
        }
        Text {
            content,
            sha256,
            char_len,
            checkpoints,
            line_starts,
        }
    }

    /// The whole text.
    pub fn as_str(&self) -> &str {
        &self.content
    }

    /// Lowercase hex SHA-256 of the text's UTF-8 bytes (after BOM removal).
    pub fn sha256(&self) -> &str {
        &self.sha256
    }

    /// Length in code points.
    pub fn len_chars(&self) -> usize {
        self.char_len
    }

    /// True when the text has no characters.
    pub fn is_empty(&self) -> bool {
        self.char_len == 0
    }

    /// Byte offset of code point `c` (clamped to the end).
    pub fn char_to_byte(&self, c: usize) -> usize {
        if c >= self.char_len {
            return self.content.len();
        }
        if self.checkpoints.is_empty() {
            return c;
        }
        let k = c / STRIDE;
        let base = self.checkpoints[k];
        let skip = c - k * STRIDE;
        match self.content[base..].char_indices().nth(skip) {
            Some((b, _)) => base + b,
            None => self.content.len(),
        }
    }

    /// Code-point offset of byte `b` (clamped; a byte inside a character
    /// counts as that character's start).
    pub fn byte_to_char(&self, b: usize) -> usize {
        if b >= self.content.len() {
            return self.char_len;
        }
        if self.checkpoints.is_empty() {
            return b;
        }
        let k = match self.checkpoints.binary_search(&b) {
            Ok(k) => return k * STRIDE,
            Err(k) => k - 1,
        };
        let base = self.checkpoints[k];
        let mut chars = k * STRIDE;
        for (off, _) in self.content[base..].char_indices() {
            if base + off >= b {
                if base + off > b {
                    chars -= 1;
                }
                return chars;
            }
            chars += 1;
        }
        self.char_len
    }

    /// The code points `start..end` (clamped, reordered if reversed).
    pub fn slice(&self, start: usize, end: usize) -> &str {
        let (s, e) = if start <= end {
            (start, end)
        } else {
            (end, start)
        };
        let bs = self.char_to_byte(s);
        let be = self.char_to_byte(e);
        &self.content[bs..be]
    }

    /// The character at code point `c`, if any.
    pub fn char_at(&self, c: usize) -> Option<char> {
        if c >= self.char_len {
            return None;
        }
        self.content[self.char_to_byte(c)..].chars().next()
    }

    /// Number of lines (a final line without newline counts; an empty text
    /// has one empty line).
    pub fn line_count(&self) -> usize {
        self.line_starts.len()
    }

    /// Code-point offset where line `line` (0-based) starts (clamped).
    pub fn line_start(&self, line: usize) -> usize {
        self.line_starts.get(line).copied().unwrap_or(self.char_len)
    }

    /// Code-point offset just past line `line`'s content, before its `\n`
    /// (and before a `\r` preceding that `\n`).
    pub fn line_end(&self, line: usize) -> usize {
        let next = self.line_start(line + 1);
        if line + 1 >= self.line_starts.len() {
            return self.char_len;
        }
        let mut end = next - 1; // the '\n'
        if end > self.line_start(line) && self.char_at(end - 1) == Some('\r') {
            end -= 1;
        }
        end
    }

    /// The 0-based line holding code point `c`.
    pub fn line_of_char(&self, c: usize) -> usize {
        match self.line_starts.binary_search(&c) {
            Ok(l) => l,
            Err(l) => l - 1,
        }
    }
}

/// Lowercase hex SHA-256 of a string's UTF-8 bytes.
pub fn sha256_hex(s: &str) -> String {
    let digest = Sha256::digest(s.as_bytes());
    let mut out = String::with_capacity(64);
    for b in digest.iter() {
        out.push_str(&format!("{b:02x}"));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check_roundtrip(s: &str) {
        let t = Text::new(s.to_owned());
        let chars: Vec<(usize, char)> = t.as_str().char_indices().collect();
        assert_eq!(t.len_chars(), chars.len());
        for (ci, (bi, _)) in chars.iter().enumerate() {
            assert_eq!(t.char_to_byte(ci), *bi, "char {ci} of {s:?}");
            assert_eq!(t.byte_to_char(*bi), ci, "byte {bi} of {s:?}");
        }
        assert_eq!(t.char_to_byte(chars.len()), t.as_str().len());
        assert_eq!(t.byte_to_char(t.as_str().len()), chars.len());
    }

    #[test]
    fn ascii_offsets_are_identity() {
        check_roundtrip("hello world\nsecond line");
    }

    #[test]
    fn multibyte_offsets_count_code_points() {
        let s = "Pakistan’s “frenemies” — اردو زبان 中文 😀 end";
        check_roundtrip(s);
        let long: String = s.repeat(40);
        check_roundtrip(&long);
        let t = Text::new(s.to_owned());
        // the curly apostrophe is one code point but three bytes
        assert_eq!(t.slice(8, 10), "’s");
        assert_eq!(t.slice(38, 39), "😀");
    }

    #[test]
    fn bom_is_dropped_and_not_counted() {
        let t = Text::new("\u{feff}abc".to_owned());
        assert_eq!(t.as_str(), "abc");
        assert_eq!(t.len_chars(), 3);
        assert_eq!(t.sha256(), sha256_hex("abc"));
    }

    #[test]
    fn crlf_counts_two_and_lines_split_on_lf() {
        let t = Text::new("ab\r\ncd\r\n\r\nef".to_owned());
        assert_eq!(t.len_chars(), 12);
        assert_eq!(t.line_count(), 4);
        assert_eq!(t.line_start(1), 4);
        assert_eq!(t.line_end(0), 2);
        assert_eq!(t.line_end(2), 8);
        assert_eq!(t.line_end(3), 12);
        assert_eq!(t.line_of_char(5), 1);
        assert_eq!(t.slice(4, 6), "cd");
    }

    #[test]
    fn out_of_range_offsets_clamp() {
        let t = Text::new("äöü".to_owned());
        assert_eq!(t.slice(1, 99), "öü");
        assert_eq!(t.slice(2, 1), "ö");
        assert_eq!(t.char_to_byte(99), 6);
        assert_eq!(t.byte_to_char(1), 0);
        assert_eq!(t.char_at(3), None);
    }

    #[test]
    fn sha256_matches_known_vector() {
        assert_eq!(
            sha256_hex("abc"),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
    }
}
