//! The tag popup: opened with `Enter` or `T` on a selection. A focused
//! search field filters the codebook; `Up`/`Down` move the highlight;
//! `Enter` applies the highlighted tag or creates a new one from the typed
//! name; `Tab` switches the new tag's kind; `Esc` closes.
//!
//! Invariant: the popup only pushes intents; the app decides whether the
//! tag goes onto a new annotation or an existing one.

use crate::app::model::{DocIntent, Intent, ModalIntent, Status, TagPopupState, ViewIntent};
use crate::core::codebook::{Tag, TagKind};
use crate::core::session::Session;
use egui::{Color32, Key, Modifiers, Pos2};

/// One row of the popup.
#[derive(Debug, Clone, PartialEq)]
pub enum PopupRow<'a> {
    /// An existing tag.
    Existing(&'a Tag),
    /// Create a tag named by the query.
    Create(TagKind, String),
}

/// The rows for a query: matching tags (issues, then actors), then
/// "create" when no tag of the chosen kind has exactly this name.
pub fn popup_rows<'a>(session: &'a Session, query: &str, new_kind: TagKind) -> Vec<PopupRow<'a>> {
    let q = query.trim().to_lowercase();
    let mut rows: Vec<PopupRow<'a>> = session
        .set
        .codebook
        .tags()
        .iter()
        .filter(|t| q.is_empty() || t.name.to_lowercase().contains(&q))
        .map(PopupRow::Existing)
        .collect();
    let exact = session
        .set
        .codebook
        .of_kind(new_kind)
        .any(|t| t.name.to_lowercase() == q);
    if !q.is_empty() && !exact {
        rows.push(PopupRow::Create(new_kind, query.trim().to_owned()));
    }
    rows
}

fn swatch(ui: &mut egui::Ui, color: Color32) {
    let (r, _) = ui.allocate_exact_size(egui::vec2(12.0, 12.0), egui::Sense::hover());
    ui.painter().rect_filled(r, 2.0, color);
}

/// Draws the popup anchored at `anchor` (screen position below the
/// selection) or at the centre of the screen.
pub fn tag_popup_ui(
    ctx: &egui::Context,
    session: &Session,
    popup: &mut TagPopupState,
    anchor: Option<Pos2>,
    intents: &mut Vec<Intent>,
) {
    // Keys first, so the text field never sees them.
    let stance = ctx.input_mut(|i| i.consume_key(Modifiers::ALT, Key::S));
    if stance {
        intents.push(DocIntent::CycleStance.into());
    }
    let (up, down, enter, tab) = ctx.input_mut(|i| {
        (
            i.consume_key(Modifiers::NONE, Key::ArrowUp),
            i.consume_key(Modifiers::NONE, Key::ArrowDown),
            i.consume_key(Modifiers::NONE, Key::Enter),
            i.consume_key(Modifiers::NONE, Key::Tab),
        )
    });
    if tab {
        popup.new_kind = popup.new_kind.toggled();
    }
    let rows = popup_rows(session, &popup.query, popup.new_kind);
    if rows.is_empty() {
        popup.highlighted = 0;
    } else {
        if down {
            popup.highlighted = (popup.highlighted + 1) % rows.len();
        }
        if up {
            popup.highlighted = (popup.highlighted + rows.len() - 1) % rows.len();
        }
        popup.highlighted = popup.highlighted.min(rows.len() - 1);
    }
    if enter {
        match rows.get(popup.highlighted) {
            Some(row) => intents.push(apply_intent(row)),
            None => intents.push(
                ViewIntent::Status(Status::info("Type a tag name, or pick one with Up/Down"))
                    .into(),
            ),
        }
        return;
    }

    let mut area = egui::Area::new(egui::Id::unique("tag_popup"))
        .order(egui::Order::Foreground)
        .constrain(true);
    area = match anchor {
        Some(p) => area.fixed_pos(p + egui::vec2(0.0, 4.0)),
        None => area.anchor(egui::Align2::CENTER_CENTER, egui::Vec2::ZERO),
    };
    let mut clicked: Option<usize> = None;
    let mut close = false;
    area.show(ctx, |ui| {
        egui::Frame::popup(ui.style()).show(ui, |ui| {
            ui.set_width(320.0);
            ui.horizontal(|ui| {
                let label = ui.label("Tag:");
                let resp = ui
                    .add(
                        egui::TextEdit::singleline(&mut popup.query)
                            .hint_text("filter or new tag name")
                            .lock_focus(true)
                            .desired_width(200.0),
                    )
                    .labelled_by(label.id);
                if !popup.focused_once || !resp.has_focus() {
                    resp.request_focus();
                    popup.focused_once = true;
                }
                if resp.changed() {
                    popup.highlighted = 0;
                }
                if ui.small_button("×").on_hover_text("Close (Esc)").clicked() {
                    close = true;
                }
            });
            ui.label(
                egui::RichText::new(format!(
                    "New tags: {} (Tab switches) · Enter applies · Alt+S stance · Esc closes",
                    popup.new_kind
                ))
                .small()
                .weak(),
            );
            ui.separator();
            if let Some(i) = rows_ui(ui, &rows, popup.highlighted) {
                clicked = Some(i);
            }
        });
    });
    if close {
        intents.push(ModalIntent::Close.into());
    }
    if let Some(row) = clicked.and_then(|i| rows.get(i)) {
        intents.push(apply_intent(row));
    }
}

/// The rows: existing tags by kind (swatch, digit, name; the highlighted
/// one shows its description), then "create"; returns the row clicked.
fn rows_ui(ui: &mut egui::Ui, rows: &[PopupRow<'_>], highlighted: usize) -> Option<usize> {
    let mut clicked = None;
    egui::ScrollArea::vertical()
        .max_height(260.0)
        .show(ui, |ui| {
            let mut last_kind = None;
            for (i, row) in rows.iter().enumerate() {
                let selected = i == highlighted;
                match row {
                    PopupRow::Existing(t) => {
                        if last_kind != Some(t.kind) {
                            ui.label(
                                egui::RichText::new(match t.kind {
                                    TagKind::Issue => "Issues",
                                    TagKind::Actor => "Actors",
                                })
                                .small()
                                .strong(),
                            );
                            last_kind = Some(t.kind);
                        }
                        let resp = ui
                            .horizontal(|ui| {
                                swatch(
                                    ui,
                                    Color32::from_rgb(t.color.0[0], t.color.0[1], t.color.0[2]),
                                );
                                let digit = t.digit.map(|d| format!("{d} ")).unwrap_or_default();
                                ui.selectable_label(selected, format!("{digit}{}", t.name))
                            })
                            .inner;
                        let resp = match &t.description {
                            Some(d) => resp.on_hover_text(d),
                            None => resp,
                        };
                        if selected && let Some(d) = &t.description {
                            ui.label(egui::RichText::new(d).small().weak());
                        }
                        if selected {
                            resp.scroll_to_me(None);
                        }
                        if resp.clicked() {
                            clicked = Some(i);
                        }
                    }
                    PopupRow::Create(kind, name) => {
                        ui.separator();
                        let resp =
                            ui.selectable_label(selected, format!("+ Create {kind} “{name}”"));
                        if resp.clicked() {
                            clicked = Some(i);
                        }
                    }
                }
            }
            if rows.is_empty() {
                ui.weak("The codebook is empty: type a name to create a tag.");
            }
        });
    clicked
}

/// The intent a chosen row stands for.
fn apply_intent(row: &PopupRow<'_>) -> Intent {
    match row {
        PopupRow::Existing(t) => DocIntent::ApplyTag {
            kind: t.kind,
            name: t.name.clone(),
            create: false,
        }
        .into(),
        PopupRow::Create(kind, name) => DocIntent::ApplyTag {
            kind: *kind,
            name: name.clone(),
            create: true,
        }
        .into(),
    }
}
