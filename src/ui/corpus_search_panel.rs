//! The corpus search panel (bottom, while a corpus is open): the query and
//! its options, progress while the texts are searched, every match in
//! context with its document, and the review of "Tag all matches…" across
//! documents (a dialog: `Y` accept, `N` skip, `Backspace` back, `Enter`
//! tags the accepted ones).
//!
//! Invariants: only visible rows are built; the panel types into its
//! buffers and pushes `CorpusSearchIntent`s; `Enter` in the query searches,
//! `Up` / `Down` there move the selection.

use crate::app::model::{CorpusSearchIntent, CorpusSearchView, CorpusState, Intent, ModalIntent};
use crate::core::codebook::TagKind;
use egui::{Key, RichText};

/// Draws the panel.
pub fn corpus_search_ui(ui: &mut egui::Ui, c: &mut CorpusState, intents: &mut Vec<Intent>) {
    let titles: Vec<String> = match &c.search {
        Some(v) => v
            .result
            .matches
            .iter()
            .map(|m| c.summary(m.doc).title.clone())
            .collect(),
        None => return,
    };
    let Some(v) = &mut c.search else { return };
    query_ui(ui, v, intents);
    if v.searched.is_some() && v.running.is_none() {
        ui.horizontal_wrapped(|ui| {
            ui.weak(format!(
                "{} matches, {} accepted",
                v.result.matches.len(),
                v.accepted_count()
            ));
            if ui.small_button("Accept all").clicked() {
                intents.push(CorpusSearchIntent::AcceptAll(true).into());
            }
            if ui.small_button("Skip all").clicked() {
                intents.push(CorpusSearchIntent::AcceptAll(false).into());
            }
            if ui
                .button("Tag all matches…")
                .on_hover_text("Review the matches (Y accept, N skip), then tag the accepted ones in every document as one step")
                .clicked()
            {
                intents.push(ModalIntent::OpenCorpusReview.into());
            }
        });
    }
    rows_ui(ui, v, &titles, intents);
}

fn query_ui(ui: &mut egui::Ui, v: &mut CorpusSearchView, intents: &mut Vec<Intent>) {
    ui.horizontal_wrapped(|ui| {
        ui.strong("Search the corpus");
        let l = ui.label("Find in corpus:");
        let r = ui
            .add(egui::TextEdit::singleline(&mut v.query).desired_width(220.0))
            .labelled_by(l.id);
        if std::mem::take(&mut v.focus_query) {
            r.request_focus();
        }
        ui.checkbox(&mut v.options.case_sensitive, "match case");
        ui.checkbox(&mut v.options.whole_word, "whole word");
        ui.checkbox(&mut v.options.regex, "regex");
        let clicked = ui.button("Search").clicked();
        let entered = r.lost_focus() && ui.input(|i| i.key_pressed(Key::Enter));
        if clicked || entered {
            intents.push(CorpusSearchIntent::Search.into());
            if entered {
                r.request_focus();
            }
        }
        if r.has_focus() {
            for (key, down) in [(Key::ArrowDown, true), (Key::ArrowUp, false)] {
                if ui.input_mut(|i| i.consume_key(egui::Modifiers::NONE, key)) {
                    intents.push(CorpusSearchIntent::Move(down).into());
                }
            }
        }
        if let Some(run) = &v.running {
            let done = run.done.load(std::sync::atomic::Ordering::Relaxed);
            ui.add(
                egui::ProgressBar::new(done as f32 / run.total.max(1) as f32)
                    .desired_width(160.0)
                    .text(format!("{done} of {} documents", run.total)),
            );
        }
    });
}

/// One KWIC line: left context, the match in bold, right context.
fn kwic(left: &str, text: &str, right: &str, doc: &str) -> egui::text::LayoutJob {
    let mut job = egui::text::LayoutJob::default();
    let plain = egui::TextFormat::default();
    let strong = egui::TextFormat {
        color: egui::Color32::from_rgb(0xd5, 0x5e, 0x00),
        ..Default::default()
    };
    job.append(left, 0.0, plain.clone());
    job.append(text, 0.0, strong);
    job.append(right, 0.0, plain.clone());
    job.append(&format!("  — {doc}"), 0.0, plain);
    job
}

fn rows_ui(
    ui: &mut egui::Ui,
    v: &mut CorpusSearchView,
    titles: &[String],
    intents: &mut Vec<Intent>,
) {
    let n = v.result.matches.len();
    let row_h = ui.text_style_height(&egui::TextStyle::Body) + 6.0;
    let spacing = ui.spacing().item_spacing.y;
    let mut area = egui::ScrollArea::vertical()
        .id_salt("corpus_search_list")
        .auto_shrink(false);
    if std::mem::take(&mut v.reveal) {
        area = area.vertical_scroll_offset(((row_h + spacing) * v.selected as f32 - 40.0).max(0.0));
    }
    area.show_rows(ui, row_h, n, |ui, range| {
        for row in range {
            let Some(m) = v.result.matches.get(row) else {
                continue;
            };
            ui.horizontal(|ui| {
                let mut yes = v.accepted.get(row).copied().unwrap_or(false);
                if ui
                    .checkbox(&mut yes, "")
                    .on_hover_text("Accepted for Tag all matches")
                    .changed()
                {
                    intents.push(CorpusSearchIntent::Flip(row).into());
                }
                let title = titles.get(row).map_or("", String::as_str);
                let job = kwic(&m.left, &m.text, &m.right, title);
                let r = ui.add(egui::Button::selectable(row == v.selected, job).truncate());
                if r.clicked() {
                    intents.push(CorpusSearchIntent::Open(row).into());
                }
            });
        }
    });
}

/// The review dialog of "Tag all matches…" across the corpus.
pub fn review_ui(ctx: &egui::Context, c: &mut CorpusState, intents: &mut Vec<Intent>) {
    let titles: Vec<String> = c
        .search
        .as_ref()
        .map(|v| {
            v.result
                .matches
                .get(v.selected)
                .map(|m| c.summary(m.doc).title.clone())
                .into_iter()
                .collect()
        })
        .unwrap_or_default();
    let Some(v) = &mut c.search else { return };
    egui::Modal::new(egui::Id::unique("corpus_review")).show(ctx, |ui| {
        ui.set_width(560.0);
        ui.heading("Tag all matches in the corpus");
        let n = v.result.matches.len();
        if let Some(m) = v.result.matches.get(v.selected) {
            let yes = v.accepted.get(v.selected).copied().unwrap_or(false);
            ui.label(format!(
                "Match {} of {n} · {} · {}",
                v.selected + 1,
                titles.first().map_or("", String::as_str),
                if yes { "accepted" } else { "skipped" }
            ));
            ui.label(kwic(&m.left, &m.text, &m.right, ""));
        }
        ui.label(RichText::new("Y accept · N skip · Backspace back").weak());
        ui.horizontal(|ui| {
            let l = ui.label("Tag:");
            let r = ui
                .add(egui::TextEdit::singleline(&mut v.tag_name).desired_width(200.0))
                .labelled_by(l.id);
            ui.radio_value(&mut v.tag_kind, TagKind::Issue, "issue");
            ui.radio_value(&mut v.tag_kind, TagKind::Actor, "actor");
            if !r.has_focus() {
                review_keys(ui, intents);
            }
        });
        ui.horizontal(|ui| {
            let label = format!("Tag {} accepted", v.accepted_count());
            if ui.button(label).clicked() {
                intents.push(CorpusSearchIntent::TagAccepted.into());
            }
            if ui.button("Cancel").clicked() {
                intents.push(ModalIntent::Close.into());
            }
        });
    });
}

fn review_keys(ui: &mut egui::Ui, intents: &mut Vec<Intent>) {
    let none = egui::Modifiers::NONE;
    let mut push = |i: CorpusSearchIntent| intents.push(i.into());
    ui.input_mut(|inp| {
        if inp.consume_key(none, Key::Y) {
            push(CorpusSearchIntent::Review(true));
        }
        if inp.consume_key(none, Key::N) {
            push(CorpusSearchIntent::Review(false));
        }
        if inp.consume_key(none, Key::Backspace) {
            push(CorpusSearchIntent::Move(false));
        }
    });
}
