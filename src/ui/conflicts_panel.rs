//! The merge conflicts panel: annotations a merge kept as the other
//! side's version of one of ours (or changed here and deleted there),
//! listed until each is resolved — keep ours, theirs or both (keep or
//! delete) — each one undoable step.

use crate::app::model::{DocIntent, Intent, excerpt};
use crate::core::merge::Resolution;
use crate::core::session::Session;

const QUOTE_CHARS: usize = 120;

/// Draws the panel (only call it when the set has kept conflicts).
pub fn conflicts_panel_ui(ui: &mut egui::Ui, session: &Session, intents: &mut Vec<Intent>) {
    let set = &session.set;
    let kept: Vec<_> = set
        .annotations()
        .iter()
        .filter(|a| a.conflict_of.is_some())
        .collect();
    egui::Panel::left("conflicts_panel")
        .resizable(true)
        .default_size(280.0)
        .show(ui, |ui| {
            ui.heading(format!("Merge conflicts ({})", kept.len()));
            ui.label("A merge kept both versions where two coders changed the same thing differently. Resolve each one:");
            ui.separator();
            egui::ScrollArea::vertical().show(ui, |ui| {
                for a in kept {
                    let Some(of) = a.conflict_of.as_deref() else { continue };
                    ui.push_id(&a.id, |ui| {
                        let choices: &[(&str, Resolution)] = if of == a.id {
                            ui.label(format!("{}: changed here, deleted on the other side", a.id));
                            &[("Keep it", Resolution::Keep), ("Delete it", Resolution::Delete)]
                        } else {
                            let ours = set.get(of);
                            ui.label(format!("{of} (ours) and {} (theirs)", a.id));
                            if let Some(o) = ours {
                                ui.small(format!("ours: “{}” {}", excerpt(&o.quote, QUOTE_CHARS), summary(o)));
                            }
                            ui.small(format!("theirs: “{}” {}", excerpt(&a.quote, QUOTE_CHARS), summary(a)));
                            &[
                                ("Keep ours", Resolution::KeepOurs),
                                ("Keep theirs", Resolution::KeepTheirs),
                                ("Keep both", Resolution::KeepBoth),
                            ]
                        };
                        ui.horizontal(|ui| {
                            for (label, how) in choices {
                                if ui.button(*label).clicked() {
                                    intents.push(
                                        DocIntent::ResolveConflict {
                                            id: a.id.clone(),
                                            how: *how,
                                        }
                                        .into(),
                                    );
                                }
                            }
                        });
                        ui.separator();
                    });
                }
            });
        });
}

/// Tags, stance and note in a few words.
fn summary(a: &crate::core::annotation::Annotation) -> String {
    let mut parts: Vec<String> = a.issues.iter().chain(&a.actors).cloned().collect();
    if let Some(s) = a.stance {
        parts.push(s.as_str().to_owned());
    }
    if let Some(n) = &a.note {
        parts.push(format!("note: {}", excerpt(n, 60)));
    }
    parts.join(" · ")
}
