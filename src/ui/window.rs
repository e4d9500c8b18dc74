//! The whole window, drawn from a [`Window`]: the menu bar, the status
//! bar, the corpus's document list, banners, the side panel (metadata, codebook, filter, annotations),
//! the find bar, the article, the orphans panel, the open modal and the
//! loading overlay. The app calls [`window_ui`] once a frame.
//!
//! Invariant: drawing never edits the document; every panel pushes
//! intents into `w.intents`.

use super::{
    annotation_list, article_view, codebook_panel, document_list, export_dialog, filter_bar,
    find_bar, menu_bar, metadata_panel, orphans_panel, palette, paste_dialog, recovery_dialog,
    segments_panel, status_bar, tag_all, tag_popup,
};
use crate::app::model::{
    Modal, SIDE_PANEL_MAX_SHARE, SIDE_PANEL_MIN, ViewIntent, Window, Workspace,
};

/// Draws one frame of the window.
pub fn window_ui(ui: &mut egui::Ui, w: Window<'_>) {
    let Window {
        prefs,
        status,
        mut workspace,
        corpus,
        modal,
        loading,
        agreement,
        compare,
        article_keys: _,
        intents,
    } = w;
    menu_bar::menu_bar_ui(ui, workspace.as_deref(), prefs, intents);
    // While curating, the curator is who codes.
    let curator = compare
        .as_deref()
        .filter(|v| v.curating())
        .and_then(|v| v.setup.as_ref())
        .and_then(|s| s.curate.as_ref())
        .map(|(_, c)| c.as_str());
    status_bar::status_bar_ui(
        ui,
        workspace.as_deref(),
        status,
        curator.or(prefs.coder.as_deref()),
        prefs.blind,
        intents,
    );
    let mut corpus = corpus;
    if let Some(c) = corpus.as_deref_mut() {
        egui::Panel::left("document_list")
            .resizable(true)
            .default_size(300.0)
            .size_range(200.0..=(ui.available_width() * 0.4).max(200.0))
            .show(ui, |ui| document_list::document_list_ui(ui, c, intents));
    }
    if let Some(c) = corpus.as_deref_mut()
        && c.search.is_some()
    {
        egui::Panel::bottom("corpus_search_panel")
            .resizable(true)
            .default_size(220.0)
            .show(ui, |ui| {
                super::corpus_search_panel::corpus_search_ui(ui, c, intents)
            });
    }
    if let Some(c) = corpus.as_deref_mut()
        && c.segments.is_some()
    {
        egui::Panel::bottom("segments_panel")
            .resizable(true)
            .default_size(220.0)
            .show(ui, |ui| segments_panel::segments_panel_ui(ui, c, intents));
    }
    if let Some(c) = corpus.as_deref_mut() {
        let ctx = ui.ctx().clone();
        super::charts_panel::charts_ui(&ctx, c, intents);
    }
    if let Some(v) = compare {
        let text = workspace.as_deref().map(|w| &w.session.text);
        super::compare_panel::compare_panel_ui(ui, v, text, intents);
    }
    if let Some(ws) = workspace.as_deref_mut() {
        let defs = corpus
            .as_deref()
            .map(|c| c.corpus.file.attributes.as_slice());
        document_ui(ui, ws, defs, prefs, intents);
    } else {
        egui::CentralPanel::default().show(ui, |ui| {
            ui.vertical_centered(|ui| {
                ui.add_space(80.0);
                ui.heading("No article open");
                ui.label("Drop a .txt file here, or use File › Open article… (Ctrl+O).");
            });
        });
    }
    let ctx = ui.ctx().clone();
    if let Some(v) = agreement {
        super::agreement_window::agreement_ui(&ctx, v, corpus.is_some(), intents);
    }
    if let Some(m) = modal {
        if let Some(c) = corpus.as_mut() {
            match m {
                Modal::CorpusReview => super::corpus_search_panel::review_ui(&ctx, c, intents),
                Modal::CorpusPlanning => document_list::planning_ui(&ctx, c, intents),
                _ => {}
            }
        }
        modal_ui(&ctx, m, workspace, &prefs.recent, intents);
    }
    if let Some(l) = loading {
        recovery_dialog::loading_overlay_ui(&ctx, l, intents);
    }
}

/// Everything of an open document: banners, panels, the article.
fn document_ui(
    ui: &mut egui::Ui,
    ws: &mut Workspace,
    defs: Option<&[crate::core::corpus::AttributeDef]>,
    prefs: &crate::app::model::Prefs,
    intents: &mut Vec<crate::app::model::Intent>,
) {
    if let Some(text) = &ws.anchor_banner {
        recovery_dialog::anchor_banner_ui(ui, text, intents);
    }
    if !ws.session.set.orphans.is_empty() {
        orphans_panel::orphans_panel_ui(ui, &ws.session, &ws.view, intents);
    }
    if ws
        .session
        .set
        .annotations()
        .iter()
        .any(|a| a.conflict_of.is_some())
    {
        super::conflicts_panel::conflicts_panel_ui(ui, &ws.session, intents);
    }
    if !prefs.side_panel_hidden {
        side_panel_ui(ui, ws, defs, prefs.side_panel_width, intents);
    }
    if ws.panels.find.open {
        egui::Panel::top("find_bar").show(ui, |ui| {
            find_bar::find_bar_ui(ui, &mut ws.panels.find, &ws.view, intents);
        });
    }
    egui::CentralPanel::default().show(ui, |ui| {
        if let Some(why) = &ws.session.protected {
            status_bar::warning_banner_ui(
                ui,
                &format!(
                    "The annotation set could not be read safely and will not be overwritten: {why}. Use File › Save as…"
                ),
            );
        }
        article_view::article_view_ui(ui, ws, prefs, intents);
    });
}

/// The side panel: metadata, codebook, filter bar, annotations. It
/// shrinks with the window (between [`SIDE_PANEL_MIN`] and a share of the
/// window) and keeps its width while its fields are typed in.
fn side_panel_ui(
    ui: &mut egui::Ui,
    ws: &mut Workspace,
    defs: Option<&[crate::core::corpus::AttributeDef]>,
    width: f32,
    intents: &mut Vec<crate::app::model::Intent>,
) {
    let max = (ui.available_width() * SIDE_PANEL_MAX_SHARE).max(SIDE_PANEL_MIN);
    let r = egui::Panel::right("side_panel")
        .resizable(true)
        .default_size(width.clamp(SIDE_PANEL_MIN, max))
        .size_range(SIDE_PANEL_MIN..=max)
        .show(ui, |ui| {
            metadata_panel::metadata_panel_ui(
                ui,
                &ws.session,
                defs,
                &mut ws.panels.metadata,
                intents,
            );
            codebook_panel::codebook_panel_ui(
                ui,
                &ws.session,
                &ws.derived,
                &mut ws.panels.codebook,
                ws.view.focused_tag.as_ref(),
                intents,
            );
            ui.separator();
            filter_bar::filter_bar_ui(ui, &ws.session, &mut ws.panels.filter, intents);
            annotation_list::annotation_list_ui(
                ui,
                &ws.session,
                &ws.view,
                &ws.derived,
                &mut ws.panels.list,
                intents,
            );
        });
    let new = r.response.rect.width();
    if (new - width).abs() > 0.5 {
        intents.push(ViewIntent::SidePanelWidth(new).into());
    }
}

/// The open modal.
fn modal_ui(
    ctx: &egui::Context,
    modal: &mut Modal,
    ws: Option<&mut Workspace>,
    recent: &[std::path::PathBuf],
    intents: &mut Vec<crate::app::model::Intent>,
) {
    match modal {
        Modal::UnsavedChanges(p) => menu_bar::unsaved_changes_ui(ctx, p, intents),
        Modal::Recovery(p) => recovery_dialog::recovery_dialog_ui(ctx, p, intents),
        Modal::Notice(n) => recovery_dialog::notice_ui(ctx, n, intents),
        Modal::TypedPath(t) => menu_bar::typed_path_ui(ctx, t, recent, intents),
        Modal::Paste(p) => paste_dialog::paste_dialog_ui(ctx, p, intents),
        Modal::CoderName(name) => status_bar::coder_name_ui(ctx, name, intents),
        Modal::Palette(p) => palette::palette_ui(ctx, p, intents),
        Modal::CorpusChange(p) => document_list::corpus_change_ui(ctx, p, intents),
        Modal::BatchImport(d) => document_list::batch_import_ui(ctx, d, intents),
        Modal::ImportProject(d) => super::project_import_dialog::project_import_ui(ctx, d, intents),
        // Drawn with the corpus search panel's state (see `window_ui`).
        Modal::CorpusReview | Modal::CorpusPlanning => {}
        Modal::ConfirmDeleteTag { kind, name, uses } => {
            codebook_panel::confirm_delete_ui(ctx, *kind, name, *uses, intents);
        }
        Modal::Export(d) => {
            if let Some(ws) = ws {
                let stem = ws.export_stem();
                export_dialog::export_dialog_ui(ctx, d, &ws.session, &stem, intents);
            }
        }
        Modal::TagPopup(p) => {
            if let Some(ws) = ws {
                let anchor = ws.article.selection_anchor;
                tag_popup::tag_popup_ui(ctx, &ws.session, p, anchor, intents);
            }
        }
        Modal::TagAll(t) => {
            if let Some(ws) = ws {
                tag_all::tag_all_ui(ctx, &ws.session, t, intents);
            }
        }
    }
}
