//! The codebook panel: issues and actors as trees by parent (children
//! indented under their parent), each with colour swatch (click to
//! recolour), digit, name, kind marker and number of uses (a parent counts
//! its children's annotations too). Per tag: rename (annotations follow),
//! describe (shown as tooltip and in the tag popup), re-parent, merge into
//! another tag, delete (asks first when the tag is used; Undo restores).
//! Clicking a name focuses the tag: `N`/`P` then visit only its
//! annotations.
//!
//! Invariants: the rows (the flattened tree) and the counts come from the
//! derived state (`app::derived`), kept current by the app; only the
//! visible rows are built (`ScrollArea::show_rows`); every change is a
//! command pushed as an intent.

use crate::app::model::{
    CodebookPanelState, CodebookRow, Derived, DocIntent, Intent, ModalIntent, ViewIntent,
};
use crate::core::codebook::{Codebook, PALETTE, PALETTE_NAMES, Rgb, Tag, TagKind};
use crate::core::command::Command;
use crate::core::session::Session;

/// Draws the codebook panel.
pub fn codebook_panel_ui(
    ui: &mut egui::Ui,
    session: &Session,
    derived: &Derived,
    state: &mut CodebookPanelState,
    focused: Option<&(TagKind, String)>,
    intents: &mut Vec<Intent>,
) {
    let cb = &session.set.codebook;
    let rows = derived.rows();
    ui.heading("Codebook");
    let row_h = ui.spacing().interact_size.y;
    let indent = ui.spacing().indent;
    egui::ScrollArea::vertical()
        .id_salt("codebook_scroll")
        .max_height(ui.available_height() * 0.4)
        .auto_shrink([false, true])
        .show_rows(ui, row_h, rows.len(), |ui, range| {
            for row in &rows[range] {
                match *row {
                    CodebookRow::Heading(kind) => {
                        ui.label(
                            egui::RichText::new(match kind {
                                TagKind::Issue => "Issues (underlined in the text)",
                                TagKind::Actor => "Actors (boxed in the text)",
                            })
                            .strong(),
                        );
                    }
                    CodebookRow::Empty(kind) => {
                        ui.weak(format!("no {kind}s yet"));
                    }
                    CodebookRow::Tag { idx, depth } => {
                        let Some(tag) = cb.tags().get(idx) else {
                            continue;
                        };
                        // Unknown until the first count of this codebook ends.
                        let count = derived.count(idx);
                        tag_row_ui(
                            ui,
                            cb,
                            tag,
                            (depth as f32 * indent, count),
                            state,
                            focused,
                            intents,
                        );
                    }
                }
            }
        });
    // Wraps rather than widening the side panel (a panel that grows to fit
    // its content changes width between the first frames, and every
    // wrapped label is laid out again).
    ui.horizontal_wrapped(|ui| {
        let label = ui.label("New tag:");
        let resp = ui
            .add(
                egui::TextEdit::singleline(&mut state.new_name)
                    .hint_text("name")
                    .desired_width(120.0),
            )
            .labelled_by(label.id);
        egui::ComboBox::new("new_tag_kind", "kind")
            .selected_text(state.new_kind.as_str())
            .width(70.0)
            .show_ui(ui, |ui| {
                ui.selectable_value(&mut state.new_kind, TagKind::Issue, "issue");
                ui.selectable_value(&mut state.new_kind, TagKind::Actor, "actor");
            });
        let enter = resp.lost_focus() && ui.input(|i| i.key_pressed(egui::Key::Enter));
        if (ui.button("Add tag").clicked() || enter) && !state.new_name.trim().is_empty() {
            let tag = cb.new_tag(state.new_kind, state.new_name.trim());
            intents.push(DocIntent::Execute(Command::CreateTag(tag)).into());
            state.new_name.clear();
        }
    });
}

/// "Delete the tag?" for a tag annotations use: Delete tag (`Enter`) or
/// Cancel (`Esc`).
pub fn confirm_delete_ui(
    ctx: &egui::Context,
    kind: TagKind,
    name: &str,
    uses: Option<usize>,
    intents: &mut Vec<Intent>,
) {
    let modal = egui::Modal::new(egui::Id::unique("confirm_delete_tag")).show(ctx, |ui| {
        ui.heading(format!("Delete {kind} “{name}”?"));
        ui.label(match uses {
            Some(n) => format!(
                "It is used by {n} annotation{}; the tag will be removed from them (Undo restores it).",
                if n == 1 { "" } else { "s" }
            ),
            None => "It may be used by annotations (still counting); the tag will be removed from them (Undo restores it).".to_owned(),
        });
        ui.horizontal(|ui| {
            if ui.button("Delete tag").clicked() {
                let cmd = Command::DeleteTag {
                    kind,
                    name: name.to_owned(),
                };
                intents.push(ModalIntent::Close.into());
                intents.push(DocIntent::Execute(cmd).into());
            }
            if ui.button("Cancel").clicked() {
                intents.push(ModalIntent::Close.into());
            }
        });
    });
    // A click on the dimmed backdrop cancels (Esc was handled before).
    if modal.should_close() {
        intents.push(ModalIntent::Close.into());
    }
}

fn update(tag: &Tag, f: impl FnOnce(&mut Tag)) -> Intent {
    let mut t = tag.clone();
    f(&mut t);
    DocIntent::Execute(Command::UpdateTag {
        kind: tag.kind,
        name: tag.name.clone(),
        tag: t,
    })
    .into()
}

/// A tag row's tooltip and accessible description: kind, description,
/// digit, count, what clicks do.
fn row_tip(tag: &Tag, count: Option<usize>) -> String {
    let mut tip = match &tag.description {
        Some(d) => format!("{}: {d}", tag.kind),
        None => tag.kind.to_string(),
    };
    if let Some(d) = tag.digit {
        tip.push_str(&format!(
            "\nDigit {d}: press it with a selection to apply the tag"
        ));
    }
    match count {
        Some(n) => tip.push_str(&format!(
            "\n{n} annotation{} with this tag or its children",
            if n == 1 { "" } else { "s" }
        )),
        None => tip.push_str("\nCounting its annotations…"),
    }
    tip.push_str("\nClick to focus (N / P), double-click to rename");
    tip
}

/// Width kept for a tag row's count (right-aligned).
const COUNT_WIDTH: f32 = 40.0;

/// A colour swatch that opens a colour picker when clicked (or activated
/// with the keyboard); returns the swatch's response, `rgb` holds the
/// picked colour. Cheaper than egui's colour button, which this row draws
/// once per tag per frame.
fn color_swatch_ui(ui: &mut egui::Ui, rgb: &mut [u8; 3]) -> egui::Response {
    let size = egui::vec2(
        ui.spacing().interact_size.y * 1.4,
        ui.spacing().interact_size.y,
    );
    let (rect, resp) = ui.allocate_exact_size(size, egui::Sense::click());
    let popup_id = resp.id.with("picker");
    let open = egui::Popup::is_id_open(ui.ctx(), popup_id);
    if ui.is_rect_visible(rect) {
        let visuals = ui.style().interact_selectable(&resp, open);
        let rect = rect.shrink(2.0);
        ui.painter()
            .rect_filled(rect, 2.0, egui::Color32::from_rgb(rgb[0], rgb[1], rgb[2]));
        ui.painter()
            .rect_stroke(rect, 2.0, visuals.fg_stroke, egui::StrokeKind::Outside);
    }
    let resp = resp.on_hover_text("Change colour");
    if open || resp.clicked() {
        let mut color = egui::Color32::from_rgb(rgb[0], rgb[1], rgb[2]);
        egui::Popup::menu(&resp)
            .id(popup_id)
            .close_behavior(egui::PopupCloseBehavior::CloseOnClickOutside)
            .show(|ui| {
                egui::color_picker::color_picker_color32(
                    ui,
                    &mut color,
                    egui::color_picker::Alpha::Opaque,
                );
            });
        *rgb = [color.r(), color.g(), color.b()];
    }
    resp
}

fn tag_row_ui(
    ui: &mut egui::Ui,
    cb: &Codebook,
    tag: &Tag,
    (indent, count): (f32, Option<usize>),
    state: &mut CodebookPanelState,
    focused: Option<&(TagKind, String)>,
    intents: &mut Vec<Intent>,
) {
    ui.push_id((tag.kind, &tag.name), |ui| {
        ui.horizontal(|ui| {
            if indent > 0.0 {
                ui.add_space(indent);
            }
            swatch_part_ui(ui, tag, state, intents);
            digit_part_ui(ui, tag);
            let renaming = state
                .renaming
                .as_ref()
                .is_some_and(|(k, n, _)| *k == tag.kind && n == &tag.name);
            if renaming {
                rename_field_ui(ui, tag, state, intents);
            } else {
                name_button_ui(ui, tag, count, state, focused, intents);
            }
            tail_ui(ui, cb, tag, count, state, intents);
        });
        let describing = state
            .describing
            .as_ref()
            .is_some_and(|(k, n, _)| *k == tag.kind && n == &tag.name);
        if describing {
            description_editor_ui(ui, tag, state, intents);
        }
    });
}

/// The colour swatch: edits coalesce until the pointer is released.
fn swatch_part_ui(
    ui: &mut egui::Ui,
    tag: &Tag,
    state: &mut CodebookPanelState,
    intents: &mut Vec<Intent>,
) {
    let kind = tag.kind;
    let editing = state
        .recolor
        .as_ref()
        .is_some_and(|(k, n, _)| *k == kind && n == &tag.name);
    let mut rgb = match &state.recolor {
        Some((_, _, c)) if editing => *c,
        _ => tag.color.0,
    };
    let resp = color_swatch_ui(ui, &mut rgb);
    resp.widget_info(|| {
        egui::WidgetInfo::labeled(
            egui::Role::Button,
            true,
            format!("Colour of {kind} {}", tag.name),
        )
    });
    if rgb != tag.color.0 {
        state.recolor = Some((kind, tag.name.clone(), rgb));
    }
    let pointer_down = ui.input(|i| i.pointer.any_down());
    if editing && !pointer_down && rgb != tag.color.0 {
        intents.push(update(tag, |t| t.color = Rgb(rgb)));
        state.recolor = None;
    } else if editing && rgb == tag.color.0 && !pointer_down {
        state.recolor = None;
    }
}

/// The digit, painted (the name's tooltip and accessible description
/// carry it too).
fn digit_part_ui(ui: &mut egui::Ui, tag: &Tag) {
    let mono = egui::TextStyle::Monospace.resolve(ui.style());
    let (digit_rect, _) = ui.allocate_exact_size(
        egui::vec2(mono.size * 0.7, ui.spacing().interact_size.y),
        egui::Sense::hover(),
    );
    if let Some(d) = tag.digit {
        ui.painter().text(
            digit_rect.center(),
            egui::Align2::CENTER_CENTER,
            d.to_string(),
            mono,
            ui.visuals().text_color(),
        );
    }
}

/// The rename field: Enter or leaving it commits, Esc cancels.
fn rename_field_ui(
    ui: &mut egui::Ui,
    tag: &Tag,
    state: &mut CodebookPanelState,
    intents: &mut Vec<Intent>,
) {
    let mut commit = false;
    let mut cancel = false;
    if let Some((_, _, buf)) = &mut state.renaming {
        let r = ui.add(egui::TextEdit::singleline(buf).desired_width(140.0));
        if !r.has_focus() && !r.lost_focus() {
            r.request_focus();
        }
        if r.lost_focus() {
            if ui.input(|i| i.key_pressed(egui::Key::Escape)) {
                cancel = true;
            } else {
                commit = true;
            }
        }
    }
    if commit || cancel {
        ui.memory_mut(|m| m.stop_text_input());
    }
    if commit
        && let Some((_, _, buf)) = state.renaming.take()
        && buf.trim() != tag.name
        && !buf.trim().is_empty()
    {
        intents.push(update(tag, |t| t.name = buf.trim().to_owned()));
    }
    if cancel {
        state.renaming = None;
    }
}

/// The tag's name: click to focus it (N / P), double-click to rename.
fn name_button_ui(
    ui: &mut egui::Ui,
    tag: &Tag,
    count: Option<usize>,
    state: &mut CodebookPanelState,
    focused: Option<&(TagKind, String)>,
    intents: &mut Vec<Intent>,
) {
    let kind = tag.kind;
    let is_focused = focused.is_some_and(|(k, n)| *k == kind && n == &tag.name);
    let text = egui::RichText::new(&tag.name);
    let text = if kind == TagKind::Issue {
        text.underline()
    } else {
        text
    };
    // The name leaves room for the count and menu (a long name is
    // truncated, its tooltip has it whole), so the row never widens the
    // panel.
    let width = ui.available_width() - tail_width(ui) - ui.spacing().item_spacing.x;
    let r = super::row_widgets::row_button_within(ui, is_focused, text, width).on_hover_ui(|ui| {
        ui.label(row_tip(tag, count));
    });
    // Screen readers get the tooltip as the description (built only when
    // AccessKit is on).
    ui.ctx().accesskit_node_builder(r.id, |node| {
        node.set_description(row_tip(tag, count));
    });
    if r.double_clicked() {
        state.renaming = Some((kind, tag.name.clone(), tag.name.clone()));
    } else if r.clicked() {
        let focus = (!is_focused).then(|| (kind, tag.name.clone()));
        intents.push(ViewIntent::FocusTag(focus).into());
    }
}

/// The width of a row's count and menu.
fn tail_width(ui: &egui::Ui) -> f32 {
    COUNT_WIDTH + ui.spacing().item_spacing.x * 2.0 + ui.spacing().interact_size.x
}

/// Count and menu at the right edge (a fixed-width tail rather than a
/// right-to-left child layout: this row is drawn for every tag on every
/// frame). The "…" button is at least `interact_size.x` wide.
fn tail_ui(
    ui: &mut egui::Ui,
    cb: &Codebook,
    tag: &Tag,
    count: Option<usize>,
    state: &mut CodebookPanelState,
    intents: &mut Vec<Intent>,
) {
    let tail = tail_width(ui);
    ui.add_space((ui.available_width() - tail).max(0.0));
    let (count_rect, _) = ui.allocate_exact_size(
        egui::vec2(COUNT_WIDTH, ui.spacing().interact_size.y),
        egui::Sense::hover(),
    );
    ui.painter().text(
        count_rect.right_center(),
        egui::Align2::RIGHT_CENTER,
        count.map_or_else(|| "…".to_owned(), |n| n.to_string()),
        egui::TextStyle::Body.resolve(ui.style()),
        ui.visuals().weak_text_color(),
    );
    let menu_id = ui.scope_id().with("actions");
    let open = egui::Popup::is_id_open(ui.ctx(), menu_id);
    let label = format!("Actions for {} {}", tag.kind, tag.name);
    let more = super::row_widgets::more_button(ui, open, &label);
    if open || more.clicked() {
        egui::Popup::menu(&more).id(menu_id).show(|ui| {
            tag_menu_ui(ui, cb, tag, state, intents);
        });
    }
}

/// The description editor under a tag's row.
fn description_editor_ui(
    ui: &mut egui::Ui,
    tag: &Tag,
    state: &mut CodebookPanelState,
    intents: &mut Vec<Intent>,
) {
    let mut done = None;
    if let Some((_, _, buf)) = &mut state.describing {
        let label = ui.label(format!("Description of “{}”:", tag.name));
        let r = ui
            .add(
                egui::TextEdit::multiline(buf)
                    .desired_rows(2)
                    .desired_width(f32::INFINITY),
            )
            .labelled_by(label.id);
        if state.describe_focus {
            r.request_focus();
            state.describe_focus = false;
        }
        ui.horizontal(|ui| {
            if ui.button("Save description").clicked() {
                done = Some(true);
            }
            if ui.button("Cancel").clicked() {
                done = Some(false);
            }
        });
    }
    if done.is_some() {
        ui.memory_mut(|m| m.stop_text_input());
    }
    if let Some(save) = done
        && let Some((_, _, buf)) = state.describing.take()
        && save
    {
        let d = Some(buf.trim().to_owned()).filter(|d| !d.is_empty());
        if d != tag.description {
            intents.push(update(tag, |t| t.description = d));
        }
    }
}

fn tag_menu_ui(
    ui: &mut egui::Ui,
    cb: &Codebook,
    tag: &Tag,
    state: &mut CodebookPanelState,
    intents: &mut Vec<Intent>,
) {
    let kind = tag.kind;
    if ui.button("Rename").clicked() {
        state.renaming = Some((kind, tag.name.clone(), tag.name.clone()));
        ui.close();
    }
    if ui.button("Edit description…").clicked() {
        state.describing = Some((
            kind,
            tag.name.clone(),
            tag.description.clone().unwrap_or_default(),
        ));
        state.describe_focus = true;
        ui.close();
    }
    ui.menu_button("Colour", |ui| colour_menu_ui(ui, tag, intents));
    ui.menu_button("Parent", |ui| parent_menu_ui(ui, cb, tag, intents));
    ui.menu_button("Merge into", |ui| merge_menu_ui(ui, cb, tag, intents));
    ui.menu_button("Digit", |ui| digit_menu_ui(ui, cb, tag, intents));
    if ui.button("Delete").clicked() {
        let name = tag.name.clone();
        intents.push(ModalIntent::ConfirmDeleteTag { kind, name }.into());
        ui.close();
    }
}

/// Recolour from the palette by keyboard or mouse (the swatch left of the
/// name opens a full colour picker).
fn colour_menu_ui(ui: &mut egui::Ui, tag: &Tag, intents: &mut Vec<Intent>) {
    for (rgb, name) in PALETTE.iter().zip(PALETTE_NAMES) {
        let current = tag.color == *rgb;
        let r = ui
            .horizontal(|ui| {
                let (rect, _) =
                    ui.allocate_exact_size(egui::vec2(14.0, 14.0), egui::Sense::hover());
                let c = egui::Color32::from_rgb(rgb.0[0], rgb.0[1], rgb.0[2]);
                ui.painter().rect_filled(rect, 2.0, c);
                ui.add_enabled(!current, egui::Button::new(name))
            })
            .inner;
        if r.clicked() {
            intents.push(update(tag, |t| t.color = *rgb));
            ui.close();
        }
    }
}

/// Re-parent: the top level, or any tag of its kind but its descendants.
fn parent_menu_ui(ui: &mut egui::Ui, cb: &Codebook, tag: &Tag, intents: &mut Vec<Intent>) {
    let descendants = cb.with_descendants(tag.kind, &tag.name);
    if ui
        .add_enabled(tag.parent.is_some(), egui::Button::new("(top level)"))
        .clicked()
    {
        intents.push(update(tag, |t| t.parent = None));
        ui.close();
    }
    for p in cb
        .of_kind(tag.kind)
        .filter(|p| !descendants.contains(&p.name))
    {
        let current = tag.parent.as_deref() == Some(p.name.as_str());
        if ui
            .add_enabled(!current, egui::Button::new(&p.name))
            .clicked()
        {
            intents.push(update(tag, |t| t.parent = Some(p.name.clone())));
            ui.close();
        }
    }
}

/// Merge into another tag of the same kind.
fn merge_menu_ui(ui: &mut egui::Ui, cb: &Codebook, tag: &Tag, intents: &mut Vec<Intent>) {
    let kind = tag.kind;
    let mut any = false;
    for into in cb.of_kind(kind).filter(|t| t.name != tag.name) {
        any = true;
        if ui.button(&into.name).clicked() {
            let cmd = Command::MergeTags {
                kind,
                from: tag.name.clone(),
                into: into.name.clone(),
            };
            intents.push(DocIntent::Execute(cmd).into());
            ui.close();
        }
    }
    if !any {
        ui.weak(format!("no other {kind}"));
    }
}

/// Bind a digit 1–9 (taken from the tag that has it) or none.
fn digit_menu_ui(ui: &mut egui::Ui, cb: &Codebook, tag: &Tag, intents: &mut Vec<Intent>) {
    let kind = tag.kind;
    for d in (1..=9u8).map(Some).chain([None]) {
        let label = match d {
            Some(d) => match cb
                .by_digit(d)
                .filter(|o| o.kind != kind || o.name != tag.name)
            {
                Some(o) => format!("{d} (now “{}”)", o.name),
                None => d.to_string(),
            },
            None => "none".to_owned(),
        };
        if ui
            .add_enabled(tag.digit != d, egui::Button::new(label))
            .clicked()
        {
            let name = tag.name.clone();
            intents.push(
                DocIntent::SetTagDigit {
                    kind,
                    name,
                    digit: d,
                }
                .into(),
            );
            ui.close();
        }
    }
}
