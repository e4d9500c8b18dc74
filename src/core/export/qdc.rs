//! REFI-QDA codebook exchange (`.qdc`, the codebook format of NVivo,
//! MAXQDA, ATLAS.ti, QualCoder, Taguette) and our own `*.codebook.ron`.
//!
//! `.qdc` written here:
//! ```xml
//! <CodeBook xmlns="urn:QDA-XML:codebook:1.0" origin="Marginalia …">
//!   <Codes>
//!     <Code guid="…" name="Security" isCodable="true" color="#e69f00">
//!       <Description>…</Description>
//!       <Code guid="…" name="Drones" …/>   (children: tags whose parent it is)
//!     </Code>
//!   </Codes>
//!   <Sets>
//!     <Set guid="…" name="Issues"><MemberCode guid="…"/>…</Set>
//!     <Set guid="…" name="Actors">…</Set>
//!   </Sets>
//! </CodeBook>
//! ```
//! Invariants and choices:
//! - The tag kind is stored as membership of the `Issues` / `Actors` sets
//!   (REFI-QDA has no code kinds). On import, a code in the `Actors` set
//!   (name compared case-insensitively) is an actor; every other code is an
//!   issue.
//! - GUIDs are derived from the SHA-256 of `kind:name`, so the same
//!   codebook always gives the same file.
//! - A tag whose parent is missing, of another kind, or part of a parent
//!   cycle is written at the top level.
//! - Digit bindings are not part of REFI-QDA; import gives none.
//! - The file validates against the REFI codebook schema
//!   (`tests/fixtures/refi-qda/Codebook-mrt2019.xsd`): inside a codebook's
//!   `Set`, `MemberCode` names its code with `guid` (the project schema's
//!   `targetGUID` is read too: earlier Marginalia versions wrote it), and
//!   `Codes` holds at least one `Code`, so an empty codebook is refused.

use crate::core::codebook::{Codebook, PALETTE, Rgb, Tag, TagKind};
use crate::core::text::sha256_hex;
use quick_xml::events::Event;
use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write;

/// The REFI-QDA codebook namespace.
pub const NAMESPACE: &str = "urn:QDA-XML:codebook:1.0";

/// A deterministic GUID for `key`: the first 128 bits of its SHA-256 in
/// the 8-4-4-4-12 form, with the version (5) and variant bits of a name-based
/// UUID, so the same key always gives the same GUID.
pub fn guid(key: &str) -> String {
    let h = sha256_hex(key);
    let variant = u8::from_str_radix(&h[16..17], 16).unwrap_or(0) & 0x3 | 0x8;
    format!(
        "{}-{}-5{}-{variant:x}{}-{}",
        &h[0..8],
        &h[8..12],
        &h[13..16],
        &h[17..20],
        &h[20..32]
    )
}

/// The GUID of a tag: the same in every file for the same kind and name.
pub(crate) fn tag_guid(t: &Tag) -> String {
    code_guid(t.kind, &t.name)
}

/// The GUID of the tag `(kind, name)` (see [`tag_guid`]).
pub(crate) fn code_guid(kind: TagKind, name: &str) -> String {
    guid(&format!("marginalia:{kind}:{name}"))
}

/// `s` escaped for an XML attribute or element (line breaks and tabs as
/// character references, so attribute values keep them; characters XML
/// 1.0 cannot hold are dropped).
pub(crate) fn esc(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            '\n' => out.push_str("&#10;"),
            '\r' => out.push_str("&#13;"),
            '\t' => out.push_str("&#9;"),
            c if (c as u32) < 0x20 || c == '\u{fffe}' || c == '\u{ffff}' => {}
            c => out.push(c),
        }
    }
    out
}

/// The parent a tag is written under, if it is a valid, acyclic parent of
/// the same kind.
fn effective_parent<'a>(cb: &'a Codebook, t: &'a Tag) -> Option<&'a Tag> {
    let parent = cb.get(t.kind, t.parent.as_deref()?)?;
    let mut seen = BTreeSet::new();
    seen.insert(t.name.as_str());
    let mut cur = Some(parent);
    while let Some(p) = cur {
        if !seen.insert(p.name.as_str()) {
            return None;
        }
        cur = p.parent.as_deref().and_then(|n| cb.get(t.kind, n));
    }
    Some(parent)
}

/// Writes the `<Code>` elements of `cb`'s tags (of `kind` only, when
/// given), each under its effective parent, at indentation `depth`. The
/// element is the same in the codebook and the project schema.
pub(crate) fn write_codes(out: &mut String, cb: &Codebook, kind: Option<TagKind>, depth: usize) {
    let mut children: BTreeMap<(TagKind, &str), Vec<&Tag>> = BTreeMap::new();
    let mut roots = Vec::new();
    for t in cb
        .tags()
        .iter()
        .filter(|t| kind.is_none_or(|k| t.kind == k))
    {
        match effective_parent(cb, t) {
            Some(p) => children
                .entry((p.kind, p.name.as_str()))
                .or_default()
                .push(t),
            None => roots.push(t),
        }
    }
    fn code(out: &mut String, t: &Tag, kids: &BTreeMap<(TagKind, &str), Vec<&Tag>>, depth: usize) {
        let pad = "  ".repeat(depth);
        let _ = write!(
            out,
            "{pad}<Code guid=\"{}\" name=\"{}\" isCodable=\"true\" color=\"{}\"",
            tag_guid(t),
            esc(&t.name),
            t.color.to_hex()
        );
        let list = kids.get(&(t.kind, t.name.as_str()));
        if t.description.is_none() && list.is_none() {
            out.push_str("/>\n");
            return;
        }
        out.push_str(">\n");
        if let Some(d) = &t.description {
            let _ = writeln!(out, "{pad}  <Description>{}</Description>", esc(d));
        }
        for k in list.into_iter().flatten() {
            code(out, k, kids, depth + 1);
        }
        let _ = writeln!(out, "{pad}</Code>");
    }
    for t in roots {
        code(out, t, &children, depth);
    }
}

/// The message for a codebook with no tag, which REFI-QDA cannot hold.
pub const EMPTY_CODEBOOK: &str =
    "the codebook has no tags, and a REFI-QDA codebook needs at least one code";

/// The codebook as REFI-QDA `.qdc` XML; an error when it has no tag (the
/// schema's `Codes` needs at least one `Code`).
pub fn to_qdc(cb: &Codebook) -> Result<String, String> {
    if cb.is_empty() {
        return Err(EMPTY_CODEBOOK.to_owned());
    }
    let mut out = String::from("<?xml version=\"1.0\" encoding=\"utf-8\"?>\n");
    let _ = writeln!(
        out,
        "<CodeBook xmlns=\"{NAMESPACE}\" origin=\"Marginalia {}\">",
        env!("CARGO_PKG_VERSION")
    );
    out.push_str("  <Codes>\n");
    write_codes(&mut out, cb, None, 2);
    out.push_str("  </Codes>\n  <Sets>\n");
    for (kind, name) in [(TagKind::Issue, "Issues"), (TagKind::Actor, "Actors")] {
        let _ = write!(
            out,
            "    <Set guid=\"{}\" name=\"{name}\"",
            guid(&format!("marginalia:set:{kind}"))
        );
        let members: Vec<&Tag> = cb.of_kind(kind).collect();
        if members.is_empty() {
            out.push_str("/>\n");
            continue;
        }
        out.push_str(">\n");
        for t in members {
            let _ = writeln!(out, "      <MemberCode guid=\"{}\"/>", tag_guid(t));
        }
        out.push_str("    </Set>\n");
    }
    out.push_str("  </Sets>\n</CodeBook>\n");
    Ok(out)
}

/// The character an XML reference stands for: one of the five predefined
/// entities or a character reference; `None` for any other entity, which
/// is never expanded.
pub(crate) fn reference_char(r: &quick_xml::events::BytesRef) -> Option<char> {
    match r.as_ref() {
        "amp" => Some('&'),
        "lt" => Some('<'),
        "gt" => Some('>'),
        "quot" => Some('"'),
        "apos" => Some('\''),
        _ => r.resolve_char_ref().ok().flatten(),
    }
}

struct Parsed {
    guid: String,
    name: String,
    color: Option<Rgb>,
    description: Option<String>,
    parent: Option<usize>,
}

/// Reads a REFI-QDA `.qdc` (or the `<CodeBook>` part of a `.qde` project's
/// codes) into a codebook. Errors name the byte position.
pub fn from_qdc(xml: &str) -> Result<Codebook, String> {
    let mut reader = quick_xml::Reader::from_str(xml.trim_start_matches('\u{feff}'));
    let mut codes: Vec<Parsed> = Vec::new();
    let mut stack: Vec<usize> = Vec::new();
    let mut in_description: Option<usize> = None;
    let mut current_set: Option<String> = None;
    let mut actor_guids = BTreeSet::new();
    let mut saw_codebook = false;
    let attr = |e: &quick_xml::events::BytesStart, key: &str| -> Result<Option<String>, String> {
        for a in e.attributes() {
            let a = a.map_err(|err| err.to_string())?;
            if a.key.local_name().as_ref() == key {
                let v = a
                    .normalized_value(quick_xml::XmlVersion::Implicit1_0)
                    .map_err(|err| err.to_string())?
                    .into_owned();
                return Ok(Some(v));
            }
        }
        Ok(None)
    };
    loop {
        let ev = reader
            .read_event()
            .map_err(|e| format!("at byte {}: {e}", reader.error_position()))?;
        match ev {
            Event::Start(ref e) | Event::Empty(ref e) => {
                let empty = matches!(ev, Event::Empty(_));
                match e.local_name().as_ref() {
                    "CodeBook" | "Project" => saw_codebook = true,
                    "Code" => {
                        let name = attr(e, "name")?.unwrap_or_default();
                        let idx = codes.len();
                        codes.push(Parsed {
                            guid: attr(e, "guid")?.unwrap_or_default(),
                            name: name.trim().to_owned(),
                            color: attr(e, "color")?.and_then(|c| Rgb::from_hex(&c)),
                            description: None,
                            parent: stack.last().copied(),
                        });
                        if !empty {
                            stack.push(idx);
                        }
                    }
                    "Description" if !empty && current_set.is_none() => {
                        in_description = stack.last().copied();
                    }
                    "Set" if !empty => {
                        current_set = Some(attr(e, "name")?.unwrap_or_default());
                    }
                    "MemberCode"
                        if current_set
                            .as_deref()
                            .is_some_and(|s| s.trim().eq_ignore_ascii_case("actors")) =>
                    {
                        if let Some(g) = attr(e, "guid")?.or(attr(e, "targetGUID")?) {
                            actor_guids.insert(g);
                        }
                    }
                    _ => {}
                }
            }
            Event::Text(t) => {
                if let Some(i) = in_description {
                    let s = t.xml10_content();
                    codes[i]
                        .description
                        .get_or_insert_with(String::new)
                        .push_str(&s);
                }
            }
            Event::GeneralRef(r) => {
                if let Some(i) = in_description
                    && let Some(c) = reference_char(&r)
                {
                    codes[i].description.get_or_insert_with(String::new).push(c);
                }
            }
            Event::End(e) => match e.local_name().as_ref() {
                "Code" => {
                    stack.pop();
                }
                "Description" => in_description = None,
                "Set" => current_set = None,
                _ => {}
            },
            Event::Eof => break,
            _ => {}
        }
    }
    if !saw_codebook {
        return Err("not a REFI-QDA codebook (no <CodeBook> element)".into());
    }
    let mut tags = Vec::new();
    for (i, c) in codes.iter().enumerate() {
        if c.name.is_empty() {
            continue;
        }
        let kind = if actor_guids.contains(&c.guid) {
            TagKind::Actor
        } else {
            TagKind::Issue
        };
        let mut t = Tag::new(kind, &c.name, c.color.unwrap_or(PALETTE[i % PALETTE.len()]));
        t.description = c.description.clone().filter(|d| !d.trim().is_empty());
        t.parent = c.parent.and_then(|p| {
            let parent = &codes[p];
            let pkind = if actor_guids.contains(&parent.guid) {
                TagKind::Actor
            } else {
                TagKind::Issue
            };
            (pkind == kind && !parent.name.is_empty()).then(|| parent.name.clone())
        });
        tags.push(t);
    }
    Ok(Codebook::from_tags(tags))
}

/// The codebook as `*.codebook.ron` (the same RON as in a set file).
pub fn to_ron(cb: &Codebook) -> Result<String, String> {
    let config = ron::ser::PrettyConfig::new()
        .depth_limit(2)
        .indentor("  ".to_owned())
        .new_line("\n".to_owned())
        .struct_names(false);
    let mut s = ron::ser::to_string_pretty(cb, config).map_err(|e| e.to_string())?;
    s.push('\n');
    Ok(s)
}

/// Reads a `*.codebook.ron`.
pub fn from_ron(s: &str) -> Result<Codebook, String> {
    let tags: Vec<Tag> = ron::from_str(s.trim_start_matches('\u{feff}'))
        .map_err(|e| format!("{}:{}: {}", e.span.start.line, e.span.start.col, e.code))?;
    Ok(Codebook::from_tags(tags))
}
