//! The filter bar above the annotation list: by tag(s) (a parent stands
//! for its children), kind, text (quote or note) and stance, and the
//! "show only" mode that dims every other highlight in the article.
//!
//! Invariant: the bar edits its own buffers and pushes the whole filter
//! as one intent when anything changed; the app compiles it once.

use crate::app::model::{FilterBarState, Intent, ViewIntent};
use crate::core::annotation::Stance;
use crate::core::codebook::TagKind;
use crate::core::filter::AnnotationFilter;
use crate::core::session::Session;

fn stance_text(s: Option<Option<Stance>>) -> &'static str {
    match s {
        None => "any stance",
        Some(None) => "no stance",
        Some(Some(x)) => x.as_str(),
    }
}

/// Draws the filter bar.
pub fn filter_bar_ui(
    ui: &mut egui::Ui,
    session: &Session,
    state: &mut FilterBarState,
    intents: &mut Vec<Intent>,
) {
    let before = (state.filter.clone(), state.show_only);
    let f = &mut state.filter;
    ui.horizontal_wrapped(|ui| {
        let label = ui.label("Filter:");
        ui.add(
            egui::TextEdit::singleline(&mut f.text)
                .hint_text("text in quote or note")
                .desired_width(130.0),
        )
        .labelled_by(label.id);
        egui::ComboBox::new("filter_kind", "kind")
            .selected_text(match f.kind {
                None => "any kind",
                Some(TagKind::Issue) => "issues",
                Some(TagKind::Actor) => "actors",
            })
            .show_ui(ui, |ui| {
                ui.selectable_value(&mut f.kind, None, "any kind");
                ui.selectable_value(&mut f.kind, Some(TagKind::Issue), "issues");
                ui.selectable_value(&mut f.kind, Some(TagKind::Actor), "actors");
            });
        egui::ComboBox::new("filter_stance", "stance")
            .selected_text(stance_text(f.stance))
            .show_ui(ui, |ui| {
                for s in [
                    None,
                    Some(None),
                    Some(Some(Stance::Support)),
                    Some(Some(Stance::Oppose)),
                    Some(Some(Stance::Neutral)),
                ] {
                    ui.selectable_value(&mut f.stance, s, stance_text(s));
                }
            });
        let n = f.tags.len();
        ui.menu_button(
            if n == 0 {
                "tags: any".to_owned()
            } else {
                format!("tags: {n}")
            },
            |ui| {
                for t in session.set.codebook.tags() {
                    let key = (t.kind, t.name.clone());
                    let mut on = f.tags.contains(&key);
                    if ui
                        .checkbox(&mut on, format!("{} ({})", t.name, t.kind))
                        .changed()
                    {
                        if on {
                            f.tags.push(key);
                            f.tags.sort();
                        } else {
                            f.tags.retain(|x| x != &key);
                        }
                    }
                }
                if session.set.codebook.is_empty() {
                    ui.weak("no tags yet");
                }
            },
        );
        ui.checkbox(&mut state.show_only, "show only")
            .on_hover_text("Dim every highlight the filter does not match");
        if f.is_active() && ui.button("Clear filter").clicked() {
            *f = AnnotationFilter::default();
        }
    });
    if (state.filter.clone(), state.show_only) != before {
        intents.push(
            ViewIntent::SetFilter {
                filter: state.filter.clone(),
                show_only: state.show_only,
            }
            .into(),
        );
    }
}
