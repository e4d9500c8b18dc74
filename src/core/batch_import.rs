//! Batch import: a folder of HTML, Markdown, DOCX, PDF and text files
//! becomes corpus documents. Each file goes through the usual importer
//! (its text extracted and stored beside its set as now, its metadata
//! detected as now), and a file-name pattern such as
//! `{date}_{outlet}_{title}` fills in the date, the outlet and the title.
//! A preview comes first; nothing is written until it is applied.
//!
//! Invariants:
//! - The pattern's fields are `{date}`, `{outlet}`, `{title}` and `{_}`
//!   (a part to skip); everything else is matched literally against the
//!   file name without its extension. Fields match as little as they can,
//!   the last one the rest. In `{outlet}` and `{title}`, `_` and `-` read
//!   as spaces; `{date}` is read by `metadata::parse_date` (and
//!   `YYYYMMDD`). A value from the file name wins over a detected one.
//! - The outlet goes to the metadata's `publication` and to the `outlet`
//!   attribute.
//! - A file that already has a set is listed and left alone; a file that
//!   cannot be imported is listed with why; neither stops the others.

use super::corpus::Corpus;
use super::metadata::parse_date;
use super::session::{OpenOptions, Session};
use super::set::Metadata;
use std::path::{Path, PathBuf};

/// A compiled file-name pattern.
#[derive(Debug, Clone)]
pub struct NamePattern {
    regex: regex::Regex,
    fields: Vec<String>,
}

impl NamePattern {
    /// Compiles `pattern` (empty: no fields from file names).
    pub fn new(pattern: &str) -> Result<NamePattern, String> {
        let mut re = String::from("^");
        let mut fields = Vec::new();
        let mut rest = pattern;
        while let Some(open) = rest.find('{') {
            re.push_str(&regex::escape(&rest[..open]));
            let Some(close) = rest[open..].find('}') else {
                return Err(format!("“{pattern}”: a “{{” without its “}}”"));
            };
            let name = &rest[open + 1..open + close];
            match name {
                "date" | "outlet" | "title" | "_" => {}
                other => {
                    return Err(format!(
                        "“{pattern}”: unknown field {{{other}}} (use {{date}}, {{outlet}}, {{title}} or {{_}})"
                    ));
                }
            }
            fields.push(name.to_owned());
            rest = &rest[open + close + 1..];
            re.push_str(if rest.contains('{') { "(.+?)" } else { "(.+)" });
        }
        re.push_str(&regex::escape(rest));
        re.push('$');
        let regex = regex::Regex::new(&re).map_err(|e| format!("“{pattern}”: {e}"))?;
        Ok(NamePattern { regex, fields })
    }

    /// The fields read from a file stem, by name (empty when it does not
    /// match).
    pub fn read(&self, stem: &str) -> Vec<(String, String)> {
        let Some(caps) = self.regex.captures(stem) else {
            return Vec::new();
        };
        self.fields
            .iter()
            .enumerate()
            .filter(|(_, f)| f.as_str() != "_")
            .filter_map(|(i, f)| Some((f.clone(), caps.get(i + 1)?.as_str().to_owned())))
            .collect()
    }
}

/// One file of the preview.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ImportItem {
    /// The file, relative to the folder.
    pub rel: String,
    /// What will be written (`None`: skipped, see `note`).
    pub metadata: Option<Metadata>,
    /// Why it is skipped, or what the pattern did not match.
    pub note: Option<String>,
}

/// The preview of a batch import.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ImportPreview {
    /// The folder.
    pub root: PathBuf,
    /// Every supported file, in path order.
    pub items: Vec<ImportItem>,
}

impl ImportPreview {
    /// Files that will get a set.
    pub fn to_import(&self) -> usize {
        self.items.iter().filter(|i| i.metadata.is_some()).count()
    }
}

/// Reads a date from a file name part: the forms `parse_date` knows, or
/// `YYYYMMDD`.
fn name_date(s: &str) -> Option<String> {
    parse_date(s).or_else(|| {
        let d: String = s.chars().filter(char::is_ascii_digit).collect();
        (d.len() == 8 && d.len() == s.len())
            .then(|| format!("{}-{}-{}", &d[..4], &d[4..6], &d[6..]))
            .and_then(|iso| parse_date(&iso))
    })
}

fn words(s: &str) -> String {
    s.replace(['_', '-'], " ").trim().to_owned()
}

/// Applies the fields read from a file name to detected metadata; returns
/// a note for a date that could not be read.
fn apply_fields(m: &mut Metadata, fields: &[(String, String)]) -> Option<String> {
    let mut note = None;
    for (f, v) in fields {
        match f.as_str() {
            "date" => match name_date(v) {
                Some(d) => m.date = Some(d),
                None => note = Some(format!("“{v}” is not a date")),
            },
            "outlet" => {
                let o = words(v);
                m.publication = Some(o.clone());
                m.attributes.insert("outlet".into(), o);
            }
            "title" => m.title = Some(words(v)),
            _ => {}
        }
    }
    note
}

/// Opens every supported file of `root` (as a corpus scan finds them) and
/// says what importing would write. Nothing is written.
pub fn preview(root: &Path, pattern: &NamePattern, legacy: bool) -> Result<ImportPreview, String> {
    let corpus = Corpus::open(root).map_err(|e| e.to_string())?;
    let opts = OpenOptions {
        saves_dir: None,
        legacy_encoding: legacy,
    };
    let mut out = ImportPreview {
        root: corpus.root.clone(),
        items: Vec::new(),
    };
    for d in corpus.docs.iter().filter(|d| !d.set_only) {
        let mut item = ImportItem {
            rel: d.rel.clone(),
            metadata: None,
            note: None,
        };
        if d.set_path.is_file() {
            item.note = Some("already has a set: left as it is".into());
        } else {
            match Session::open(&d.path, &opts) {
                Ok((s, _)) => {
                    let mut m = s.set.metadata.clone();
                    let stem = d.path.file_stem().unwrap_or_default().to_string_lossy();
                    let fields = pattern.read(&stem);
                    item.note = apply_fields(&mut m, &fields);
                    if fields.is_empty() && !pattern.fields.is_empty() {
                        item.note = Some("the file name does not match the pattern".into());
                    }
                    item.metadata = Some(m);
                }
                Err(e) => item.note = Some(format!("not imported: {e}")),
            }
        }
        out.items.push(item);
    }
    Ok(out)
}

/// Writes the sets of a preview: each file is opened again, given the
/// previewed metadata and saved (its extracted text beside it). Returns how
/// many were written and the files that failed, with why.
pub fn apply(preview: &ImportPreview, legacy: bool) -> (usize, Vec<(String, String)>) {
    let opts = OpenOptions {
        saves_dir: None,
        legacy_encoding: legacy,
    };
    let mut written = 0;
    let mut failed = Vec::new();
    for item in &preview.items {
        let Some(m) = &item.metadata else { continue };
        let path = preview.root.join(&item.rel);
        let result = Session::open(&path, &opts)
            .map_err(|e| e.to_string())
            .and_then(|(mut s, _)| {
                s.set.metadata = m.clone();
                s.save().map(|_| ()).map_err(|e| e.to_string())
            });
        match result {
            Ok(()) => written += 1,
            Err(e) => failed.push((item.rel.clone(), e)),
        }
    }
    (written, failed)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::store;

    #[test]
    fn a_pattern_reads_date_outlet_and_title_from_file_names() {
        let p = NamePattern::new("{date}_{outlet}_{title}").unwrap();
        assert_eq!(
            p.read("2012-07-04_the-nation_us_pakistan_truce"),
            [
                ("date".to_owned(), "2012-07-04".to_owned()),
                ("outlet".to_owned(), "the-nation".to_owned()),
                ("title".to_owned(), "us_pakistan_truce".to_owned()),
            ]
        );
        assert!(p.read("no-underscores").is_empty());
        let p = NamePattern::new("{_} - {title}").unwrap();
        assert_eq!(
            p.read("0042 - Drone strikes"),
            [("title".to_owned(), "Drone strikes".to_owned())]
        );
        assert!(
            NamePattern::new("{author}")
                .unwrap_err()
                .contains("unknown field {author}")
        );
        assert!(NamePattern::new("{date").unwrap_err().contains("without"));
        assert_eq!(name_date("20120704").as_deref(), Some("2012-07-04"));
        assert_eq!(name_date("20121304"), None);
        assert_eq!(name_date("4 July 2012").as_deref(), Some("2012-07-04"));
    }

    #[test]
    fn a_folder_is_previewed_then_imported_leaving_coded_and_broken_files_alone() {
        let d = tempfile::tempdir().unwrap();
        let r = d.path();
        std::fs::create_dir(r.join("dawn")).unwrap();
        std::fs::write(
            r.join("dawn/20120704_dawn_truce-reached.html"),
            "<html><head><title>Truce</title></head><body><p>The truce held.</p></body></html>",
        )
        .unwrap();
        std::fs::write(
            r.join("2012-07-05_nation_drones.md"),
            "# Drones\n\nStrikes resumed.\n",
        )
        .unwrap();
        std::fs::write(r.join("notes.txt"), "Just notes.\n").unwrap();
        std::fs::write(r.join("empty.txt"), "").unwrap();
        std::fs::write(r.join("coded.txt"), "Coded.\n").unwrap();
        let mut coded = crate::core::set::AnnotationSet::new(Default::default());
        coded.metadata.title = Some("Mine".into());
        store::save(&r.join("coded.annotations.ron"), &coded).unwrap();
        let before = std::fs::read(r.join("coded.annotations.ron")).unwrap();
        let p = NamePattern::new("{date}_{outlet}_{title}").unwrap();
        let pre = preview(r, &p, false).unwrap();
        let by = |rel: &str| pre.items.iter().find(|i| i.rel == rel).unwrap().clone();
        let html = by("dawn/20120704_dawn_truce-reached.html")
            .metadata
            .unwrap();
        assert_eq!(html.date.as_deref(), Some("2012-07-04"));
        assert_eq!(html.title.as_deref(), Some("truce reached"));
        assert_eq!(html.publication.as_deref(), Some("dawn"));
        assert_eq!(html.attributes["outlet"], "dawn");
        assert!(by("notes.txt").note.unwrap().contains("does not match"));
        assert!(by("notes.txt").metadata.is_some(), "still imported");
        assert!(by("empty.txt").note.unwrap().starts_with("not imported"));
        assert!(by("coded.txt").note.unwrap().contains("already has a set"));
        assert_eq!(pre.to_import(), 3);
        assert!(
            !r.join("notes.annotations.ron").exists(),
            "the preview writes nothing"
        );
        let (n, failed) = apply(&pre, false);
        assert_eq!((n, failed.len()), (3, 0), "{failed:?}");
        let set = store::load(&r.join("dawn/20120704_dawn_truce-reached.annotations.ron")).unwrap();
        assert_eq!(set.metadata, html);
        assert!(
            r.join("dawn/20120704_dawn_truce-reached.text.txt")
                .is_file()
        );
        assert_eq!(
            std::fs::read(r.join("coded.annotations.ron")).unwrap(),
            before
        );
        // The folder now opens as a corpus with the outlet attribute.
        let c = Corpus::open(r).unwrap();
        let i = c
            .docs
            .iter()
            .position(|x| x.rel == "2012-07-05_nation_drones.md")
            .unwrap();
        assert_eq!(c.docs[i].summarize().0.outlet, "nation");
    }
}
