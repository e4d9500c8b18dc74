//! The coded-segments panel (bottom, while a corpus is open): the query
//! (tags, children, coder, dates, text), the export buttons, and every
//! matching excerpt with its left and right context and its document.
//!
//! Invariants: only visible rows are built (`ScrollArea::show_rows`); the
//! panel types into its buffers and pushes `SegmentIntent`s; `Enter` in a
//! query field searches, or opens the selected segment when the query is
//! the one searched; `Up` / `Down` there move the selection.

use crate::app::model::{CorpusState, Intent, SegmentIntent, SegmentsView};
use crate::core::export::ExportFormat;
use egui::{Key, RichText};

/// How much context is shown on each side, in characters.
const CONTEXT: usize = 40;

/// Draws the panel.
pub fn segments_panel_ui(ui: &mut egui::Ui, c: &mut CorpusState, intents: &mut Vec<Intent>) {
    let titles: Vec<String> = match &c.segments {
        Some(v) => v
            .result
            .found
            .iter()
            .map(|s| c.summary(s.doc).title.clone())
            .collect(),
        None => return,
    };
    let Some(v) = &mut c.segments else { return };
    query_ui(ui, v, intents);
    let n = v.result.found.len();
    if v.searched.is_some() {
        ui.weak(match n {
            1 => "1 segment".to_owned(),
            n => format!("{n} segments"),
        });
    }
    rows_ui(ui, v, &titles, intents);
}

/// The query fields, the search and export buttons, and their keys.
fn query_ui(ui: &mut egui::Ui, v: &mut SegmentsView, intents: &mut Vec<Intent>) {
    ui.horizontal_wrapped(|ui| {
        ui.strong("Coded segments");
        let mut fields: Vec<egui::Response> = Vec::new();
        for (label, buf, width) in [
            ("Tags:", &mut v.tags, 150.0),
            ("Coder:", &mut v.coder, 70.0),
            ("From:", &mut v.date_from, 80.0),
            ("To:", &mut v.date_to, 80.0),
            ("Text:", &mut v.text, 120.0),
            ("Attribute:", &mut v.attribute, 110.0),
        ] {
            let l = ui.label(label);
            let r = ui
                .add(egui::TextEdit::singleline(buf).desired_width(width))
                .labelled_by(l.id);
            fields.push(r);
        }
        ui.checkbox(&mut v.with_children, "with children");
        filters_ui(ui, v);
        if ui.button("Search").clicked() {
            intents.push(SegmentIntent::Search.into());
        }
        for (name, f) in [
            ("CSV", ExportFormat::Csv),
            ("JSON", ExportFormat::Json),
            ("Markdown", ExportFormat::Markdown),
            ("HTML", ExportFormat::Html),
        ] {
            if ui
                .small_button(name)
                .on_hover_text(format!("Export these segments as {name}"))
                .clicked()
            {
                intents.push(SegmentIntent::Export(f).into());
            }
        }
        let focused = fields.iter().any(|r| r.has_focus());
        let entered = fields
            .iter()
            .any(|r| r.lost_focus() && ui.input(|i| i.key_pressed(Key::Enter)));
        if entered {
            intents.push(SegmentIntent::EnterPressed.into());
            // Keep the keyboard in the field for the next Enter.
            if let Some(r) = fields.iter().find(|r| r.lost_focus()) {
                r.request_focus();
            }
        }
        if !v.all_tags.is_empty() || v.stance.is_some() {
            let mut picked: Vec<String> = v
                .all_tags
                .iter()
                .map(|(k, n)| format!("{} {n}", k.as_str()))
                .collect();
            if let Some(s) = v.stance {
                picked.push(format!("stance {}", s.as_str()));
            }
            ui.label(format!("Picked in a chart: {}", picked.join(", ")));
            if ui
                .small_button("Clear pick")
                .on_hover_text("Drop the chart's pick and search again")
                .clicked()
            {
                intents.push(SegmentIntent::ClearPick.into());
            }
        }
        if focused {
            for (key, down) in [(Key::ArrowDown, true), (Key::ArrowUp, false)] {
                if ui.input_mut(|i| i.consume_key(egui::Modifiers::NONE, key)) {
                    intents.push(SegmentIntent::Move(down).into());
                }
            }
        }
    });
}

/// The stance and document-status pickers.
fn filters_ui(ui: &mut egui::Ui, v: &mut SegmentsView) {
    use crate::core::annotation::Stance;
    use crate::core::set::DocStatus;
    let stance = |s: Option<Stance>| s.map_or("any stance", Stance::as_str);
    egui::ComboBox::from_id_salt("segments_stance")
        .selected_text(stance(v.stance))
        .show_ui(ui, |ui| {
            for s in [
                None,
                Some(Stance::Support),
                Some(Stance::Oppose),
                Some(Stance::Neutral),
            ] {
                ui.selectable_value(&mut v.stance, s, stance(s));
            }
        });
    let status = |s: Option<DocStatus>| s.map_or("any status", DocStatus::label);
    egui::ComboBox::from_id_salt("segments_status")
        .selected_text(status(v.status))
        .show_ui(ui, |ui| {
            for s in std::iter::once(None).chain(DocStatus::ALL.map(Some)) {
                ui.selectable_value(&mut v.status, s, status(s));
            }
        });
}

/// The result, one virtualised row per segment.
fn rows_ui(ui: &mut egui::Ui, v: &mut SegmentsView, titles: &[String], intents: &mut Vec<Intent>) {
    let n = v.result.found.len();
    let row_h = ui.text_style_height(&egui::TextStyle::Body) + 6.0;
    let spacing = ui.spacing().item_spacing.y;
    let mut area = egui::ScrollArea::vertical()
        .id_salt("segments_list")
        .auto_shrink(false);
    if std::mem::take(&mut v.reveal) {
        area = area.vertical_scroll_offset(((row_h + spacing) * v.selected as f32 - 40.0).max(0.0));
    }
    area.show_rows(ui, row_h, n, |ui, range| {
        for row in range {
            let Some(s) = v.result.found.get(row) else {
                continue;
            };
            let left: String = {
                let chars: Vec<char> = s.left.chars().collect();
                let from = chars.len().saturating_sub(CONTEXT);
                chars[from..]
                    .iter()
                    .map(|&c| if c.is_control() { ' ' } else { c })
                    .collect()
            };
            let right = crate::app::model::excerpt(&s.right, CONTEXT);
            let quote = crate::app::model::excerpt(&s.quote, 80);
            let title = titles.get(row).map_or("", String::as_str);
            let mut job = egui::text::LayoutJob::default();
            let style = ui.style().clone();
            let weak = ui.visuals().weak_text_color();
            for (text, strong) in [
                (left.as_str(), false),
                (quote.as_str(), true),
                (right.as_str(), false),
            ] {
                let t = if strong {
                    RichText::new(text).strong()
                } else {
                    RichText::new(text).color(weak)
                };
                t.append_to(
                    &mut job,
                    &style,
                    egui::FontSelection::Default,
                    egui::Align::Center,
                );
            }
            RichText::new(format!("   — {title}")).small().append_to(
                &mut job,
                &style,
                egui::FontSelection::Default,
                egui::Align::Center,
            );
            let r = super::row_widgets::row_button(ui, row == v.selected, job)
                .on_hover_text(s.quote.clone());
            if r.clicked() {
                intents.push(SegmentIntent::Open(row).into());
            }
        }
    });
}
