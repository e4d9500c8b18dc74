//! The command palette (`Ctrl+Shift+P`): every action of the action list
//! with its shortcut, filtered by the typed words; `Up`/`Down` move the
//! highlight, `Enter` runs it, `Esc` closes.
//!
//! Invariant: the rows come from [`Action::ALL`], the same list as the
//! menus and the README table.

use crate::app::model::{Action, Intent, ModalIntent, PaletteState, Platform};
use egui::{Key, Modifiers};

/// The actions matching `query`: every word of the query appears in the
/// label, the id or the shortcut (any case). In menu order.
pub fn palette_rows(query: &str) -> Vec<Action> {
    let words: Vec<String> = query.split_whitespace().map(str::to_lowercase).collect();
    Action::ALL
        .iter()
        .copied()
        .filter(|a| {
            let hay = format!(
                "{} {} {} {} {}",
                a.label(),
                a.id(),
                a.shortcut_text_on(Platform::Other),
                a.shortcut_text_on(Platform::Mac),
                a.description()
            )
            .to_lowercase();
            words.iter().all(|w| hay.contains(w.as_str()))
        })
        .collect()
}

/// Draws the palette.
pub fn palette_ui(ctx: &egui::Context, state: &mut PaletteState, intents: &mut Vec<Intent>) {
    let (up, down, enter) = ctx.input_mut(|i| {
        (
            i.consume_key(Modifiers::NONE, Key::ArrowUp),
            i.consume_key(Modifiers::NONE, Key::ArrowDown),
            i.consume_key(Modifiers::NONE, Key::Enter),
        )
    });
    let rows = palette_rows(&state.query);
    if !rows.is_empty() {
        if down {
            state.highlighted = (state.highlighted + 1) % rows.len();
        }
        if up {
            state.highlighted = (state.highlighted + rows.len() - 1) % rows.len();
        }
        state.highlighted = state.highlighted.min(rows.len() - 1);
    }
    let run = |a: Action, intents: &mut Vec<Intent>| {
        intents.push(ModalIntent::Close.into());
        intents.push(a.intent());
    };
    if enter {
        if let Some(a) = rows.get(state.highlighted) {
            run(*a, intents);
        }
        return;
    }
    let mut clicked = None;
    egui::Area::new(egui::Id::unique("command_palette"))
        .order(egui::Order::Foreground)
        .anchor(egui::Align2::CENTER_TOP, egui::vec2(0.0, 60.0))
        .show(ctx, |ui| {
            egui::Frame::popup(ui.style()).show(ui, |ui| {
                ui.set_width(520.0);
                let label = ui.label("Command:");
                let resp = ui.add(
                    egui::TextEdit::singleline(&mut state.query)
                        .hint_text("type to filter actions")
                        .lock_focus(true)
                        .desired_width(f32::INFINITY),
                );
                resp.clone().labelled_by(label.id);
                if !resp.has_focus() {
                    resp.request_focus();
                }
                if resp.changed() {
                    state.highlighted = 0;
                }
                ui.separator();
                egui::ScrollArea::vertical()
                    .max_height(360.0)
                    .show(ui, |ui| {
                        for (i, a) in rows.iter().enumerate() {
                            let sel = i == state.highlighted;
                            let r = ui
                                .horizontal(|ui| {
                                    let r = ui.selectable_label(sel, a.label());
                                    ui.with_layout(
                                        egui::Layout::right_to_left(egui::Align::Center),
                                        |ui| ui.weak(a.shortcut_text()),
                                    );
                                    r
                                })
                                .inner;
                            let r = if a.description().is_empty() {
                                r
                            } else {
                                r.on_hover_text(a.description())
                            };
                            if sel {
                                r.scroll_to_me(None);
                            }
                            if r.clicked() {
                                clicked = Some(*a);
                            }
                        }
                        if rows.is_empty() {
                            ui.weak("No action matches.");
                        }
                    });
            });
        });
    if let Some(a) = clicked {
        run(a, intents);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rows_filter_by_every_word() {
        assert_eq!(palette_rows("").len(), Action::ALL.len());
        let r = palette_rows("save code");
        assert_eq!(r, [Action::SaveCodebook]);
        assert!(palette_rows("ctrl+shift+p").contains(&Action::CommandPalette));
        assert!(palette_rows("zzzz").is_empty());
    }
}
