//! The document metadata panel (title, author, publication, date, URL,
//! notes, the coding status and, in a corpus, the document attributes),
//! collapsible at the top of the side panel. The status is one
//! `SetMetadata` step when picked; an attribute with allowed values is
//! picked from them, any other is typed and committed like a field. A field is committed
//! when it loses focus, as one `SetMetadata` step; a date must be one that
//! `core::metadata::parse_date` understands (stored as ISO `YYYY-MM-DD`),
//! otherwise a message says so and the date is not changed.
//!
//! Invariant: the buffers show the document's values whenever no field is
//! being edited and no unreadable date is waiting to be corrected (that
//! text is kept, with a message naming the forms understood).

use crate::app::model::{CorpusIntent, DocIntent, Intent, MetadataPanelState, Status, ViewIntent};
use crate::core::command::Command;
use crate::core::corpus::AttributeDef;
use crate::core::metadata::{DATE_FORMS_HINT, parse_date};
use crate::core::session::Session;
use crate::core::set::DocStatus;
use crate::core::set::Metadata;

/// Field labels, in order.
const FIELDS: [&str; 6] = ["Title", "Author", "Publication", "Date", "URL", "Notes"];

fn fields(m: &Metadata) -> [String; 6] {
    m.fields().map(|(_, _, v)| v.unwrap_or_default().to_owned())
}

fn opt(s: &str) -> Option<String> {
    let t = s.trim();
    (!t.is_empty()).then(|| t.to_owned())
}

/// The metadata the buffers describe, or a message when the date is not
/// a date (then the current date is kept).
pub fn metadata_from(bufs: &[String; 6], current: &Metadata) -> (Metadata, Option<String>) {
    let (date, err) = match opt(&bufs[3]) {
        None => (None, None),
        Some(d) => match parse_date(&d) {
            Some(iso) => (Some(iso), None),
            None => (
                current.date.clone(),
                Some(format!(
                    "“{d}” is not a date the panel can read: {DATE_FORMS_HINT}"
                )),
            ),
        },
    };
    (
        Metadata {
            title: opt(&bufs[0]),
            author: opt(&bufs[1]),
            publication: opt(&bufs[2]),
            date,
            url: opt(&bufs[4]),
            notes: opt(&bufs[5]),
            // Fields the text boxes do not show are kept as they are.
            status: current.status,
            attributes: current.attributes.clone(),
            curation: current.curation.clone(),
        },
        err,
    )
}

/// `current` with attribute `name` set to `value` (removed when empty).
pub fn with_attribute(current: &Metadata, name: &str, value: &str) -> Metadata {
    let mut m = current.clone();
    match value.trim() {
        "" => m.attributes.remove(name),
        v => m.attributes.insert(name.to_owned(), v.to_owned()),
    };
    m
}

/// The attributes the panel shows: the corpus's definitions, then any
/// other the document carries (from another corpus, say; any text).
fn shown_attributes(defs: &[AttributeDef], current: &Metadata) -> Vec<AttributeDef> {
    let mut out = defs.to_vec();
    for k in current.attributes.keys() {
        if !out.iter().any(|d| &d.name == k) {
            out.push(AttributeDef {
                name: k.clone(),
                values: Vec::new(),
            });
        }
    }
    out
}

/// Draws the panel. `defs` are the corpus's attributes (`None` outside a
/// corpus).
pub fn metadata_panel_ui(
    ui: &mut egui::Ui,
    session: &Session,
    defs: Option<&[AttributeDef]>,
    state: &mut MetadataPanelState,
    intents: &mut Vec<Intent>,
) {
    let current = &session.set.metadata;
    if !state.editing && state.date_error.is_none() {
        let same = state
            .bufs
            .iter()
            .zip(current.fields())
            .all(|(b, (_, _, v))| b == v.unwrap_or_default());
        let typed = state.attribute_bufs.iter().filter(|(_, v)| !v.is_empty());
        let same_attributes = typed.eq(current.attributes.iter());
        if !state.loaded || !same || !same_attributes {
            state.bufs = fields(current);
            state.attribute_bufs = current.attributes.clone();
            state.loaded = true;
        }
    }
    let title = match &current.title {
        // Cut short: a long title must not widen the side panel.
        Some(t) => format!(
            "Document: {} · {}",
            crate::app::model::excerpt(t, 40),
            current.status.label()
        ),
        None => format!("Document metadata · {}", current.status.label()),
    };
    egui::CollapsingHeader::new(title)
        .id_salt("metadata_panel")
        .default_open(false)
        .show(ui, |ui| {
            let mut commit = false;
            let mut editing = false;
            egui::Grid::new("metadata_grid")
                .num_columns(2)
                .show(ui, |ui| {
                    for (i, name) in FIELDS.iter().enumerate() {
                        let label = ui.label(*name);
                        let edit = if i == 5 {
                            egui::TextEdit::multiline(&mut state.bufs[i]).desired_rows(2)
                        } else {
                            egui::TextEdit::singleline(&mut state.bufs[i])
                        };
                        let hint = if i == 3 { "2012-07-04" } else { "" };
                        let r = ui
                            .add(edit.hint_text(hint).desired_width(f32::INFINITY))
                            .labelled_by(label.id);
                        editing |= r.has_focus();
                        commit |= r.lost_focus();
                        ui.end_row();
                    }
                    status_row_ui(ui, current, intents);
                    for def in shown_attributes(defs.unwrap_or_default(), current) {
                        editing |= attribute_row_ui(ui, &def, current, state, intents);
                    }
                });
            state.editing = editing;
            if commit {
                let (m, err) = metadata_from(&state.bufs, current);
                if let Some(e) = &err {
                    intents.push(ViewIntent::Status(Status::error(e.clone())).into());
                } else if let Some(d) = &m.date {
                    state.bufs[3] = d.clone();
                }
                state.date_error = err;
                if m != *current {
                    intents.push(DocIntent::Execute(Command::SetMetadata(m)).into());
                }
            }
            if let Some(e) = &state.date_error {
                ui.colored_label(ui.visuals().error_fg_color, e);
            }
            if defs.is_some() {
                new_attribute_ui(ui, state, intents);
            }
        });
}

fn status_row_ui(ui: &mut egui::Ui, current: &Metadata, intents: &mut Vec<Intent>) {
    let label = ui.label("Status");
    let mut status = current.status;
    egui::ComboBox::from_id_salt("doc_status")
        .selected_text(status.label())
        .show_ui(ui, |ui| {
            for s in DocStatus::ALL {
                ui.selectable_value(&mut status, s, s.label());
            }
        })
        .response
        .labelled_by(label.id);
    if status != current.status {
        let m = Metadata {
            status,
            ..current.clone()
        };
        intents.push(DocIntent::Execute(Command::SetMetadata(m)).into());
    }
    ui.end_row();
}

/// One attribute's row; true while its text field has the keyboard.
fn attribute_row_ui(
    ui: &mut egui::Ui,
    def: &AttributeDef,
    current: &Metadata,
    state: &mut MetadataPanelState,
    intents: &mut Vec<Intent>,
) -> bool {
    let label = ui.label(&def.name);
    let now = current
        .attributes
        .get(&def.name)
        .cloned()
        .unwrap_or_default();
    let mut editing = false;
    if def.values.is_empty() {
        let buf = state.attribute_bufs.entry(def.name.clone()).or_default();
        let r = ui
            .add(egui::TextEdit::singleline(buf).desired_width(f32::INFINITY))
            .labelled_by(label.id);
        editing = r.has_focus();
        if r.lost_focus() && buf.trim() != now {
            let m = with_attribute(current, &def.name, buf);
            intents.push(DocIntent::Execute(Command::SetMetadata(m)).into());
        }
    } else {
        let mut picked = now.clone();
        let shown = if now.is_empty() { "—" } else { now.as_str() };
        egui::ComboBox::from_id_salt(("doc_attribute", &def.name))
            .selected_text(shown)
            .show_ui(ui, |ui| {
                ui.selectable_value(&mut picked, String::new(), "—");
                for v in &def.values {
                    ui.selectable_value(&mut picked, v.clone(), v);
                }
                // A value from before the definition changed stays visible.
                if !now.is_empty() && !def.values.contains(&now) {
                    ui.selectable_value(&mut picked, now.clone(), format!("{now} (not allowed)"));
                }
            })
            .response
            .labelled_by(label.id);
        if picked != now {
            let m = with_attribute(current, &def.name, &picked);
            intents.push(DocIntent::Execute(Command::SetMetadata(m)).into());
        }
    }
    ui.end_row();
    editing
}

fn new_attribute_ui(ui: &mut egui::Ui, state: &mut MetadataPanelState, intents: &mut Vec<Intent>) {
    ui.horizontal(|ui| {
        ui.add(
            egui::TextEdit::singleline(&mut state.new_attribute)
                .hint_text("new attribute")
                .desired_width(90.0),
        );
        ui.add(
            egui::TextEdit::singleline(&mut state.new_attribute_values)
                .hint_text("values, comma-separated (optional)")
                .desired_width(150.0),
        );
        let ok = !state.new_attribute.trim().is_empty();
        if ui
            .add_enabled(ok, egui::Button::new("Define"))
            .on_hover_text("Define this document attribute for the whole corpus")
            .clicked()
        {
            let name = std::mem::take(&mut state.new_attribute);
            let values = std::mem::take(&mut state.new_attribute_values)
                .split(',')
                .map(str::to_owned)
                .collect();
            intents.push(CorpusIntent::DefineAttribute { name, values }.into());
        }
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_are_validated_and_normalised() {
        let cur = Metadata {
            date: Some("2012-07-04".into()),
            ..Default::default()
        };
        let mut b: [String; 6] = Default::default();
        b[0] = " Truce ".into();
        b[3] = "July 5, 2012".into();
        let (m, e) = metadata_from(&b, &cur);
        assert_eq!(m.title.as_deref(), Some("Truce"));
        assert_eq!(m.date.as_deref(), Some("2012-07-05"));
        assert!(e.is_none());
        b[3] = "someday".into();
        let (m, e) = metadata_from(&b, &cur);
        assert_eq!(m.date.as_deref(), Some("2012-07-04"));
        assert!(e.unwrap().contains("not a date"));
    }

    #[test]
    fn editing_the_text_fields_keeps_status_and_attributes() {
        let mut cur = Metadata {
            status: crate::core::set::DocStatus::InProgress,
            ..Default::default()
        };
        cur.attributes.insert("outlet".into(), "Dawn".into());
        let mut b: [String; 6] = Default::default();
        b[0] = "New title".into();
        let (m, _) = metadata_from(&b, &cur);
        assert_eq!(m.title.as_deref(), Some("New title"));
        assert_eq!(m.status, cur.status);
        assert_eq!(m.attributes, cur.attributes);
    }
}
