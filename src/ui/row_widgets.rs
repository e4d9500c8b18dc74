//! Light widgets for rows drawn on every frame (the codebook's tag rows and
//! the annotation list): a painted, selectable text button. egui's own
//! buttons lay out a small tree of "atoms" each; a side panel with dozens
//! of rows pays for that on every frame.
//!
//! Invariants: a [`row_button`] behaves like `Ui::selectable_label` for
//! people and screen readers: it takes keyboard focus (Tab), Enter or Space
//! clicks it, it has the Button role, its text as label and its selected
//! state, and a focus ring when focused.

use egui::{Response, Sense, Stroke, StrokeKind, TextStyle, WidgetInfo, WidgetText};

/// The colour of tag `(kind, name)` in the codebook, when it has one.
pub fn tag_color(
    cb: &crate::core::codebook::Codebook,
    kind: crate::core::codebook::TagKind,
    name: &str,
) -> Option<egui::Color32> {
    let t = cb.get(kind, name)?;
    Some(egui::Color32::from_rgb(
        t.color.0[0],
        t.color.0[1],
        t.color.0[2],
    ))
}

/// A selectable text button painted in one go; `text` may carry colours
/// and underline (a `RichText`). Returns its response (clicks, hover).
pub fn row_button(ui: &mut egui::Ui, selected: bool, text: impl Into<WidgetText>) -> Response {
    let width = ui.available_width();
    row_button_within(ui, selected, text, width)
}

/// [`row_button`] at most `width` wide (its text truncated with "…"), so
/// that what follows on the row keeps its place.
pub fn row_button_within(
    ui: &mut egui::Ui,
    selected: bool,
    text: impl Into<WidgetText>,
    width: f32,
) -> Response {
    let text: WidgetText = text.into();
    let label = text.text().to_owned();
    let padding = ui.spacing().button_padding;
    let wrap = egui::TextWrapMode::Truncate;
    let available = (width.min(ui.available_width()) - 2.0 * padding.x).max(0.0);
    let galley = text.into_galley(ui, Some(wrap), available, TextStyle::Button);
    let size = egui::vec2(
        galley.size().x + 2.0 * padding.x,
        (galley.size().y + 2.0 * padding.y).max(ui.spacing().interact_size.y),
    );
    let (rect, resp) = ui.allocate_exact_size(size, Sense::click());
    resp.widget_info(|| {
        WidgetInfo::selected(egui::Role::Button, ui.is_enabled(), selected, &label)
    });
    if ui.is_rect_visible(rect) {
        let visuals = ui.style().interact_selectable(&resp, selected);
        if selected || resp.hovered() || resp.has_focus() {
            paint_frame(ui, rect, &visuals);
        }
        if resp.has_focus() {
            ui.painter().rect_stroke(
                rect,
                visuals.corner_radius,
                Stroke::new(1.0, ui.visuals().selection.stroke.color),
                StrokeKind::Outside,
            );
        }
        let pos = egui::pos2(
            rect.min.x + padding.x,
            rect.center().y - galley.size().y / 2.0,
        );
        let color = if selected {
            visuals.text_color()
        } else {
            ui.visuals().text_color()
        };
        ui.painter().galley(pos, galley, color);
    }
    resp
}

/// A small "…" button painted in one go (opens a menu), labelled `label`
/// for screen readers.
pub fn more_button(ui: &mut egui::Ui, open: bool, label: &str) -> Response {
    let size = egui::vec2(
        ui.spacing().interact_size.y * 1.4,
        ui.spacing().interact_size.y,
    );
    let (rect, resp) = ui.allocate_exact_size(size, Sense::click());
    resp.widget_info(|| WidgetInfo::labeled(egui::Role::Button, ui.is_enabled(), label));
    if ui.is_rect_visible(rect) {
        let visuals = ui.style().interact_selectable(&resp, open);
        paint_frame(ui, rect, &visuals);
        let c = rect.center();
        let dot = visuals.text_color();
        for dx in [-5.0, 0.0, 5.0] {
            ui.painter()
                .circle_filled(c + egui::vec2(dx, 0.0), 1.5, dot);
        }
    }
    resp
}

/// A button's background and border in the widget's current visuals.
fn paint_frame(ui: &egui::Ui, rect: egui::Rect, visuals: &egui::style::WidgetVisuals) {
    ui.painter().rect(
        rect,
        visuals.corner_radius,
        visuals.weak_bg_fill,
        visuals.bg_stroke,
        StrokeKind::Inside,
    );
}
