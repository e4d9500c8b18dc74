//! The "Import project" dialog (File › Import project…): what a REFI-QDA
//! project holds, its code tree with a tick per code that names actors
//! (the code and everything beneath it; `marginalia import-qdpx
//! --actors`), what cannot be carried over, and the new corpus folder.

use crate::app::model::{FileIntent, ImportProjectDialog, Intent, ModalIntent};

/// Draws the dialog.
pub fn project_import_ui(
    ctx: &egui::Context,
    d: &mut ImportProjectDialog,
    intents: &mut Vec<Intent>,
) {
    let modal = egui::Modal::new(egui::Id::unique("project_import")).show(ctx, |ui| {
        ui.set_width(600.0);
        ui.heading(format!("Import project “{}”", d.name));
        // Codes that become tags (not the roots and stance codes).
        let tags = d.codes.iter().filter(|c| c.tag.is_some()).count();
        ui.label(format!(
            "{}: {} text source{}, {} selection{}, {} code{}",
            d.file.display(),
            d.sources,
            plural(d.sources),
            d.selections,
            plural(d.selections),
            tags,
            plural(tags)
        ));
        positions_ui(ui, d);
        ui.separator();
        ui.strong("Which codes name actors (people, organisations)?");
        ui.weak("A ticked code and the codes beneath it become actors; the others are issues.");
        code_tree_ui(ui, d);
        if !d.losses.is_empty() {
            ui.separator();
            ui.strong("Not imported, as a corpus cannot hold it");
            egui::ScrollArea::vertical()
                .max_height(90.0)
                .id_salt("project_import_losses")
                .show(ui, |ui| {
                    for l in &d.losses {
                        ui.label(format!("• {l}"));
                    }
                });
        }
        ui.separator();
        ui.horizontal(|ui| {
            let l = ui.label("New corpus folder:");
            ui.add(egui::TextEdit::singleline(&mut d.dest).desired_width(400.0))
                .labelled_by(l.id);
        });
        if let Some(e) = &d.error {
            ui.colored_label(ui.visuals().error_fg_color, e);
        }
        ui.horizontal(|ui| {
            if ui.button("Import").clicked() {
                intents.push(FileIntent::RunImportProject.into());
            }
            if ui.button("Cancel").clicked() {
                intents.push(ModalIntent::Close.into());
            }
        });
    });
    if modal.should_close() {
        intents.push(ModalIntent::Close.into());
    }
}

/// What the selections' positions count: by the tool that wrote the
/// project (NVivo counts UTF-16 units), or as chosen.
fn positions_ui(ui: &mut egui::Ui, d: &mut ImportProjectDialog) {
    use crate::core::export::qdpx::Positions;
    let by_origin = Positions::of_origin(&d.origin);
    let origin = if d.origin.is_empty() {
        "unknown tool".to_owned()
    } else {
        d.origin.clone()
    };
    let auto = match by_origin {
        Positions::Utf16 => format!("As {origin} counts (UTF-16 units)"),
        Positions::CodePoints => format!("As {origin} counts (characters)"),
    };
    ui.horizontal_wrapped(|ui| {
        ui.label("Positions:");
        ui.radio_value(&mut d.positions, None, auto);
        ui.radio_value(
            &mut d.positions,
            Some(Positions::CodePoints),
            "Characters (the standard)",
        );
        ui.radio_value(
            &mut d.positions,
            Some(Positions::Utf16),
            "UTF-16 units (NVivo)",
        );
    });
}

fn plural(n: usize) -> &'static str {
    if n == 1 { "" } else { "s" }
}

/// The codes, indented by depth: a recognised root (`Issues`, `Actors`,
/// `Stance`) and the stance codes as text, every other code with a tick.
/// A code below a ticked one (or below `Actors`) shows ticked and cannot
/// be unticked alone.
fn code_tree_ui(ui: &mut egui::Ui, d: &mut ImportProjectDialog) {
    let rows = d.actor_rows();
    let row_h = ui.spacing().interact_size.y;
    egui::ScrollArea::vertical()
        .max_height(260.0)
        .auto_shrink([false, true])
        .id_salt("project_import_codes")
        .show_rows(ui, row_h, d.codes.len(), |ui, range| {
            for i in range {
                let (actor, fixed) = rows[i];
                let c = &d.codes[i];
                ui.horizontal(|ui| {
                    ui.add_space(18.0 * c.depth as f32);
                    let Some((_, tag)) = &c.tag else {
                        ui.weak(&c.name);
                        return;
                    };
                    let label = if tag == &c.name {
                        c.name.clone()
                    } else {
                        format!("{} (as “{tag}”)", c.name)
                    };
                    let mut ticked = actor;
                    let r = ui.add_enabled(!fixed, egui::Checkbox::new(&mut ticked, label));
                    if r.clicked() {
                        let guid = c.guid.clone();
                        if !d.actor_codes.remove(&guid) {
                            d.actor_codes.insert(guid);
                        }
                    }
                });
            }
        });
}
