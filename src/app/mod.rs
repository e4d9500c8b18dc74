//! The eframe application: owns the open [`Session`](crate::core::Session)
//! and applies every user intent in one place.

use crate::core::session::Session;

/// Opens the main window; returns the process exit code.
pub fn run_window(path: Option<std::path::PathBuf>, legacy_encoding: bool) -> i32 {
    let path = path.unwrap_or_else(crate::cli::default_article);
    let session = match crate::cli::open_for_cli(&path, legacy_encoding) {
        Ok(s) => s,
        Err(e) => {
            eprintln!("marginalia: error: {e}");
            return 1;
        }
    };
    let options = eframe::NativeOptions::default();
    let result = eframe::run_native(
        "Marginalia",
        options,
        Box::new(move |_cc| Ok(Box::new(MarginaliaApp { session }))),
    );
    match result {
        Ok(()) => 0,
        Err(e) => {
            eprintln!("marginalia: error: {e}");
            1
        }
    }
}

/// The application state.
pub struct MarginaliaApp {
    session: Session,
}

impl eframe::App for MarginaliaApp {
    fn ui(&mut self, ui: &mut egui::Ui, _frame: &mut eframe::Frame) {
        egui::ScrollArea::vertical().show(ui, |ui| {
            ui.label(self.session.text.as_str());
        });
    }
}
