//! The document metadata panel (title, author, publication, date, URL,
//! notes), collapsible at the top of the side panel. A field is committed
//! when it loses focus, as one `SetMetadata` step; a date must be one that
//! `core::metadata::parse_date` understands (stored as ISO `YYYY-MM-DD`),
//! otherwise a message says so and the date is not changed.
//!
//! Invariant: the buffers show the document's values whenever no field is
//! being edited and no unreadable date is waiting to be corrected (that
//! text is kept, with a message naming the forms understood).

use crate::app::model::{DocIntent, Intent, MetadataPanelState, Status, ViewIntent};
use crate::core::command::Command;
use crate::core::metadata::{DATE_FORMS_HINT, parse_date};
use crate::core::session::Session;
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
        },
        err,
    )
}

/// Draws the panel.
pub fn metadata_panel_ui(
    ui: &mut egui::Ui,
    session: &Session,
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
        if !state.loaded || !same {
            state.bufs = fields(current);
            state.loaded = true;
        }
    }
    let title = match &current.title {
        // Cut short: a long title must not widen the side panel.
        Some(t) => format!("Document: {}", crate::app::model::excerpt(t, 40)),
        None => "Document metadata".to_owned(),
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
