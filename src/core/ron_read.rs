//! A fast reader for the RON this program writes: a serde deserializer
//! for the subset of RON that [`super::store::to_ron`] produces (unnamed
//! structs, lists, maps, strings, unsigned and signed integers, `true` and
//! `false`, `Some(…)`/`None`, unit enum variants), so opening a corpus
//! does not spend most of its time in the general RON parser.
//!
//! Invariants:
//! - Whatever this reader accepts, the `ron` crate reads to the same value
//!   (property-tested against it). Anything outside the subset (comments,
//!   struct names, raw strings, floats, byte escapes, extensions, data
//!   enum variants …) is an error here, and the caller then reads the text
//!   with `ron`, which also gives the message with its line and column.
//! - Errors from this reader are never shown to a user.

use serde::de::{self, DeserializeSeed, IntoDeserializer, Visitor};
use std::borrow::Cow;
use std::fmt;

/// Why the fast reader declined a text (the caller falls back to `ron`).
#[derive(Debug)]
pub struct Declined(String);

impl fmt::Display for Declined {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for Declined {}

impl de::Error for Declined {
    fn custom<T: fmt::Display>(msg: T) -> Self {
        Declined(msg.to_string())
    }
}

type Result<T> = std::result::Result<T, Declined>;

fn declined<T>(what: &str) -> Result<T> {
    Err(Declined(what.to_owned()))
}

/// Reads `text` (the whole of it, one value) as a `T`, or declines.
pub fn from_str<'de, T: de::Deserialize<'de>>(text: &'de str) -> Result<T> {
    let mut r = Reader {
        src: text,
        bytes: text.as_bytes(),
        pos: 0,
    };
    let v = T::deserialize(&mut r)?;
    r.ws();
    if r.pos != r.bytes.len() {
        return declined("trailing characters");
    }
    Ok(v)
}

/// The cursor over the text.
struct Reader<'de> {
    src: &'de str,
    bytes: &'de [u8],
    pos: usize,
}

impl<'de> Reader<'de> {
    /// Skips spaces, tabs and line breaks (a comment is not skipped: the
    /// next token then fails and the text goes to `ron`).
    fn ws(&mut self) {
        while let Some(b' ' | b'\n' | b'\r' | b'\t') = self.bytes.get(self.pos) {
            self.pos += 1;
        }
    }

    fn peek(&mut self) -> Option<u8> {
        self.ws();
        self.bytes.get(self.pos).copied()
    }

    fn expect(&mut self, b: u8) -> Result<()> {
        if self.peek() == Some(b) {
            self.pos += 1;
            Ok(())
        } else {
            Err(Declined(format!("expected {:?}", b as char)))
        }
    }

    /// An identifier `[A-Za-z_][A-Za-z0-9_]*` (no raw identifiers).
    fn ident(&mut self) -> Result<&'de str> {
        self.ws();
        let start = self.pos;
        match self.bytes.get(start) {
            Some(b) if b.is_ascii_alphabetic() || *b == b'_' => {}
            _ => return declined("expected an identifier"),
        }
        let mut end = start + 1;
        while let Some(b) = self.bytes.get(end) {
            if b.is_ascii_alphanumeric() || *b == b'_' {
                end += 1;
            } else {
                break;
            }
        }
        // `r#name` and `r"…"` are raw forms this reader leaves to `ron`.
        if matches!(self.bytes.get(end), Some(b'#' | b'"')) {
            return declined("raw identifier or string");
        }
        self.pos = end;
        Ok(&self.src[start..end])
    }

    /// A double-quoted string with the escapes `\" \' \\ \n \r \t \0` and
    /// `\u{1–6 hex digits}`; borrowed when it has none.
    fn string(&mut self) -> Result<Cow<'de, str>> {
        self.expect(b'"')?;
        let start = self.pos;
        let rest = &self.bytes[start..];
        let Some(stop) = rest.iter().position(|b| *b == b'"' || *b == b'\\') else {
            return declined("unterminated string");
        };
        if rest[stop] == b'"' {
            self.pos = start + stop + 1;
            return Ok(Cow::Borrowed(&self.src[start..start + stop]));
        }
        let mut out = String::with_capacity(stop + 16);
        let mut i = start;
        loop {
            let rest = &self.bytes[i..];
            let Some(stop) = rest.iter().position(|b| *b == b'"' || *b == b'\\') else {
                return declined("unterminated string");
            };
            out.push_str(&self.src[i..i + stop]);
            i += stop;
            if self.bytes[i] == b'"' {
                self.pos = i + 1;
                return Ok(Cow::Owned(out));
            }
            // A backslash: one escape.
            let Some(&e) = self.bytes.get(i + 1) else {
                return declined("unterminated escape");
            };
            i += 2;
            match e {
                b'"' => out.push('"'),
                b'\'' => out.push('\''),
                b'\\' => out.push('\\'),
                b'n' => out.push('\n'),
                b'r' => out.push('\r'),
                b't' => out.push('\t'),
                b'0' => out.push('\0'),
                b'u' => {
                    if self.bytes.get(i) != Some(&b'{') {
                        return declined("unicode escape without {");
                    }
                    i += 1;
                    let mut v: u32 = 0;
                    let mut digits = 0;
                    loop {
                        match self.bytes.get(i) {
                            Some(b'}') => break,
                            Some(b) if digits < 6 => {
                                let d = (*b as char).to_digit(16);
                                let Some(d) = d else {
                                    return declined("bad hex digit");
                                };
                                v = (v << 4) | d;
                                digits += 1;
                                i += 1;
                            }
                            _ => return declined("bad unicode escape"),
                        }
                    }
                    i += 1;
                    if digits == 0 {
                        return declined("empty unicode escape");
                    }
                    match char::from_u32(v) {
                        Some(c) => out.push(c),
                        None => return declined("not a character"),
                    }
                }
                _ => return declined("escape left to ron"),
            }
        }
    }

    /// An integer: an optional `-` (when `signed`), then decimal digits not
    /// followed by anything that would make it another kind of number.
    fn integer(&mut self, signed: bool) -> Result<i128> {
        self.ws();
        let start = self.pos;
        let neg = signed && self.bytes.get(start) == Some(&b'-');
        let digits_at = start + usize::from(neg);
        let mut end = digits_at;
        while let Some(b) = self.bytes.get(end) {
            if b.is_ascii_digit() {
                end += 1;
            } else {
                break;
            }
        }
        if end == digits_at || end - digits_at > 30 {
            return declined("expected an integer");
        }
        if let Some(b) = self.bytes.get(end)
            && (b.is_ascii_alphanumeric() || matches!(b, b'_' | b'.'))
        {
            return declined("number left to ron");
        }
        self.pos = end;
        let v: i128 = self.src[digits_at..end]
            .parse()
            .map_err(|_| Declined("integer".into()))?;
        Ok(if neg { -v } else { v })
    }

    /// Skips one value of any kind (an unknown field's).
    fn skip_value(&mut self, depth: usize) -> Result<()> {
        if depth > 64 {
            return declined("too deep");
        }
        match self.peek() {
            Some(b'"') => self.string().map(drop),
            Some(b'(' | b'[' | b'{') => self.skip_group(depth),
            Some(b'-' | b'0'..=b'9') => self.integer(true).map(drop),
            Some(b) if b.is_ascii_alphabetic() || b == b'_' => {
                self.ident()?;
                if self.peek() == Some(b'(') {
                    self.skip_group(depth)?;
                }
                Ok(())
            }
            _ => declined("value left to ron"),
        }
    }

    /// Skips a bracketed group: values separated by commas (and colons in
    /// maps and structs), with a trailing comma allowed.
    fn skip_group(&mut self, depth: usize) -> Result<()> {
        let close = match self.peek() {
            Some(b'(') => b')',
            Some(b'[') => b']',
            Some(b'{') => b'}',
            _ => return declined("expected a group"),
        };
        self.pos += 1;
        loop {
            if self.peek() == Some(close) {
                self.pos += 1;
                return Ok(());
            }
            self.skip_value(depth + 1)?;
            if self.peek() == Some(b':') {
                self.pos += 1;
                self.skip_value(depth + 1)?;
            }
            match self.peek() {
                Some(b',') => self.pos += 1,
                Some(b) if b == close => {}
                _ => return declined("bad group"),
            }
        }
    }

    /// After an element: a comma, or the closing bracket (left unread).
    fn after_element(&mut self, close: u8) -> Result<()> {
        match self.peek() {
            Some(b',') => {
                self.pos += 1;
                Ok(())
            }
            Some(b) if b == close => Ok(()),
            _ => declined("expected a comma"),
        }
    }
}

macro_rules! declined_methods {
    ($($name:ident),*) => {
        $(fn $name<V: Visitor<'de>>(self, _v: V) -> Result<V::Value> {
            declined(stringify!($name))
        })*
    };
}

macro_rules! integer_methods {
    ($($name:ident: $t:ty => $visit:ident, $signed:expr);* $(;)?) => {
        $(fn $name<V: Visitor<'de>>(self, v: V) -> Result<V::Value> {
            let n = self.integer($signed)?;
            match <$t>::try_from(n) {
                Ok(n) => v.$visit(n),
                Err(_) => declined("integer out of range"),
            }
        })*
    };
}

impl<'de> de::Deserializer<'de> for &mut Reader<'de> {
    type Error = Declined;

    fn deserialize_any<V: Visitor<'de>>(self, v: V) -> Result<V::Value> {
        match self.peek() {
            Some(b'"') => self.deserialize_str(v),
            Some(b'[') => self.deserialize_seq(v),
            Some(b'{') => self.deserialize_map(v),
            Some(b'-') => self.deserialize_i64(v),
            Some(b'0'..=b'9') => self.deserialize_u64(v),
            _ => declined("any left to ron"),
        }
    }

    integer_methods! {
        deserialize_u8: u8 => visit_u8, false;
        deserialize_u16: u16 => visit_u16, false;
        deserialize_u32: u32 => visit_u32, false;
        deserialize_u64: u64 => visit_u64, false;
        deserialize_i8: i8 => visit_i8, true;
        deserialize_i16: i16 => visit_i16, true;
        deserialize_i32: i32 => visit_i32, true;
        deserialize_i64: i64 => visit_i64, true;
    }

    declined_methods!(
        deserialize_f32,
        deserialize_f64,
        deserialize_char,
        deserialize_bytes,
        deserialize_byte_buf,
        deserialize_unit
    );

    fn deserialize_bool<V: Visitor<'de>>(self, v: V) -> Result<V::Value> {
        match self.ident()? {
            "true" => v.visit_bool(true),
            "false" => v.visit_bool(false),
            _ => declined("expected a bool"),
        }
    }

    fn deserialize_str<V: Visitor<'de>>(self, v: V) -> Result<V::Value> {
        match self.string()? {
            Cow::Borrowed(s) => v.visit_borrowed_str(s),
            Cow::Owned(s) => v.visit_string(s),
        }
    }

    fn deserialize_string<V: Visitor<'de>>(self, v: V) -> Result<V::Value> {
        self.deserialize_str(v)
    }

    fn deserialize_option<V: Visitor<'de>>(self, v: V) -> Result<V::Value> {
        match self.ident()? {
            "None" => v.visit_none(),
            "Some" => {
                self.expect(b'(')?;
                let value = v.visit_some(&mut *self)?;
                // `Some(x,)` is RON too.
                if self.peek() == Some(b',') {
                    self.pos += 1;
                }
                self.expect(b')')?;
                Ok(value)
            }
            _ => declined("expected an option"),
        }
    }

    fn deserialize_unit_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        _v: V,
    ) -> Result<V::Value> {
        declined("unit struct")
    }

    fn deserialize_newtype_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        _v: V,
    ) -> Result<V::Value> {
        declined("newtype struct")
    }

    fn deserialize_seq<V: Visitor<'de>>(self, v: V) -> Result<V::Value> {
        self.expect(b'[')?;
        let value = v.visit_seq(Elements {
            r: &mut *self,
            close: b']',
        })?;
        self.expect(b']')?;
        Ok(value)
    }

    fn deserialize_tuple<V: Visitor<'de>>(self, _len: usize, _v: V) -> Result<V::Value> {
        declined("tuple")
    }

    fn deserialize_tuple_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        _len: usize,
        _v: V,
    ) -> Result<V::Value> {
        declined("tuple struct")
    }

    fn deserialize_map<V: Visitor<'de>>(self, v: V) -> Result<V::Value> {
        self.expect(b'{')?;
        let value = v.visit_map(Entries {
            r: &mut *self,
            close: b'}',
            keys_are_fields: false,
        })?;
        self.expect(b'}')?;
        Ok(value)
    }

    fn deserialize_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        _fields: &'static [&'static str],
        v: V,
    ) -> Result<V::Value> {
        // Unnamed structs only: a named one is checked by `ron`.
        self.expect(b'(')?;
        let value = v.visit_map(Entries {
            r: &mut *self,
            close: b')',
            keys_are_fields: true,
        })?;
        self.expect(b')')?;
        Ok(value)
    }

    fn deserialize_enum<V: Visitor<'de>>(
        self,
        _name: &'static str,
        _variants: &'static [&'static str],
        v: V,
    ) -> Result<V::Value> {
        let name = self.ident()?;
        if self.peek() == Some(b'(') {
            return declined("data variant");
        }
        v.visit_enum(UnitVariant(name))
    }

    fn deserialize_identifier<V: Visitor<'de>>(self, v: V) -> Result<V::Value> {
        v.visit_borrowed_str(self.ident()?)
    }

    fn deserialize_ignored_any<V: Visitor<'de>>(self, v: V) -> Result<V::Value> {
        self.skip_value(0)?;
        v.visit_unit()
    }
}

/// The elements of a list.
struct Elements<'a, 'de> {
    r: &'a mut Reader<'de>,
    close: u8,
}

impl<'de> de::SeqAccess<'de> for Elements<'_, 'de> {
    type Error = Declined;

    fn next_element_seed<T: DeserializeSeed<'de>>(&mut self, seed: T) -> Result<Option<T::Value>> {
        if self.r.peek() == Some(self.close) {
            return Ok(None);
        }
        let v = seed.deserialize(&mut *self.r)?;
        self.r.after_element(self.close)?;
        Ok(Some(v))
    }
}

/// The fields of a struct (`name: value`) or the entries of a map
/// (`key: value`).
struct Entries<'a, 'de> {
    r: &'a mut Reader<'de>,
    close: u8,
    keys_are_fields: bool,
}

impl<'de> de::MapAccess<'de> for Entries<'_, 'de> {
    type Error = Declined;

    fn next_key_seed<K: DeserializeSeed<'de>>(&mut self, seed: K) -> Result<Option<K::Value>> {
        if self.r.peek() == Some(self.close) {
            return Ok(None);
        }
        let key = if self.keys_are_fields {
            let name = self.r.ident()?;
            seed.deserialize(de::value::BorrowedStrDeserializer::<Declined>::new(name))?
        } else {
            seed.deserialize(&mut *self.r)?
        };
        self.r.expect(b':')?;
        Ok(Some(key))
    }

    fn next_value_seed<V: DeserializeSeed<'de>>(&mut self, seed: V) -> Result<V::Value> {
        let v = seed.deserialize(&mut *self.r)?;
        self.r.after_element(self.close)?;
        Ok(v)
    }
}

/// A unit enum variant, by name.
struct UnitVariant<'de>(&'de str);

impl<'de> de::EnumAccess<'de> for UnitVariant<'de> {
    type Error = Declined;
    type Variant = Self;

    fn variant_seed<V: DeserializeSeed<'de>>(self, seed: V) -> Result<(V::Value, Self)> {
        let v = seed.deserialize(self.0.into_deserializer())?;
        Ok((v, self))
    }
}

impl<'de> de::VariantAccess<'de> for UnitVariant<'de> {
    type Error = Declined;

    fn unit_variant(self) -> Result<()> {
        Ok(())
    }

    fn newtype_variant_seed<T: DeserializeSeed<'de>>(self, _seed: T) -> Result<T::Value> {
        declined("newtype variant")
    }

    fn tuple_variant<V: Visitor<'de>>(self, _len: usize, _v: V) -> Result<V::Value> {
        declined("tuple variant")
    }

    fn struct_variant<V: Visitor<'de>>(
        self,
        _fields: &'static [&'static str],
        _v: V,
    ) -> Result<V::Value> {
        declined("struct variant")
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::set::AnnotationSet;
    use std::collections::BTreeMap;

    fn both<T>(text: &str) -> (Option<T>, Option<T>)
    where
        T: serde::de::DeserializeOwned,
    {
        (from_str::<T>(text).ok(), ron::from_str::<T>(text).ok())
    }

    #[test]
    fn reads_the_subset_like_ron() {
        let (fast, slow) = both::<Vec<Option<String>>>(
            r#"[ Some("a\"b\\c\n\t\r\0\u{1F600}\u{e9}'\''"), None, Some( "اردو" ,) , ]"#,
        );
        assert!(fast.is_some());
        assert_eq!(fast, slow);
        let (fast, slow) = both::<BTreeMap<String, u8>>(r#"{"x": 1, "y":255,}"#);
        assert_eq!(
            fast,
            Some(BTreeMap::from([("x".into(), 1), ("y".into(), 255)]))
        );
        assert_eq!(fast, slow);
    }

    #[test]
    fn declines_what_it_does_not_read_and_ron_still_does() {
        // Each of these is RON that `ron` reads and this reader leaves to it.
        for text in ["// a comment\n[1]", "[1 /* inline */]", "[0x10]", "[1_000]"] {
            assert!(from_str::<Vec<u32>>(text).is_err(), "{text}");
            assert!(ron::from_str::<Vec<u32>>(text).is_ok(), "{text}");
        }
        assert!(from_str::<Vec<String>>(r##"[r#"raw"#]"##).is_err());
        assert!(ron::from_str::<Vec<String>>(r##"[r#"raw"#]"##).is_ok());
        assert!(from_str::<Vec<String>>(r#"["\x41"]"#).is_err());
        assert!(from_str::<Vec<u8>>("[256]").is_err());
        assert!(from_str::<Vec<u8>>("[1] x").is_err());
        assert!(from_str::<Vec<String>>(r#"["open]"#).is_err());
    }

    #[test]
    fn a_named_struct_and_unknown_fields() {
        let text = "(version: 2, source: (path: \"a.txt\", sha256: \"00\", length: 3, future: [(x: Some(\"y\"), z: {\"k\": [1, -2]})]))";
        let (fast, slow) = both::<AnnotationSet>(text);
        assert!(
            fast.is_some(),
            "unknown fields are skipped as ron skips them"
        );
        assert_eq!(fast, slow);
        let named =
            "AnnotationSet(version: 2, source: (path: \"a.txt\", sha256: \"00\", length: 3))";
        assert!(from_str::<AnnotationSet>(named).is_err());
        assert!(ron::from_str::<AnnotationSet>(named).is_ok());
    }
}
