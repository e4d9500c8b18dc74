//! The article view: the text, wrapped, with every annotation highlighted,
//! virtualised so only visible blocks are laid out. This module runs one
//! frame of it: the layout and its caches live in `app::article`
//! (`ArticleView`), painting in [`paint`], the pointer in [`input`].
//!
//! Invariants: offsets are code points of the whole text, end excluded;
//! finding the annotations of a block, a click or the pointer goes through
//! the derived span index (O(log n + k)); drawing pushes intents and never
//! edits the document.

pub mod input;
pub mod paint;

use crate::app::model::{Intent, LayoutKey, Prefs, SelectionIntent, Workspace};

/// Draws the article view of `ws` and pushes the pointer's intents.
pub fn article_view_ui(
    ui: &mut egui::Ui,
    ws: &mut Workspace,
    prefs: &Prefs,
    intents: &mut Vec<Intent>,
) {
    let ctx = ui.ctx().clone();
    let text = &ws.session.text;
    let view = &mut ws.article;
    let font_size = prefs.article_font_size();
    let wrap = (ui.available_width() - 2.0 * crate::app::model::MARGIN - 12.0)
        .max(80.0)
        .round();
    let color = ui.visuals().text_color();
    view.begin_frame(
        &ctx,
        LayoutKey {
            wrap,
            font_size,
            color,
        },
    );
    let mut area = egui::ScrollArea::vertical()
        .id_salt("article_scroll")
        .auto_shrink(false);
    if let Some(y) = view.take_scroll(&ctx, text) {
        area = area.vertical_scroll_offset(y);
    }
    let caret = ws
        .view
        .caret
        .or(ws.view.selection.map(|s| s.head))
        .unwrap_or(0);
    if let Some((y, cp)) = view.take_page(&ctx, text, caret) {
        area = area.vertical_scroll_offset(y);
        intents.push(
            SelectionIntent::Set {
                anchor: cp,
                head: cp,
            }
            .into(),
        );
    }
    area.show_viewport(ui, |ui, viewport| {
        let text = &ws.session.text;
        let view = &mut ws.article;
        view.viewport_h = viewport.height();
        view.scroll_y = viewport.min.y;
        view.content_min = ui.max_rect().min;
        let range = view
            .layout()
            .layout_range(&ctx, text, viewport.min.y, viewport.max.y);
        let total = view.layout().total_height();
        let (_, response) = ui.allocate_exact_size(
            egui::vec2(ui.available_width(), total.max(viewport.height())),
            egui::Sense::click_and_drag(),
        );
        view.screen_rect = Some(ui.clip_rect());
        paint::paint_ui(ui, ws, font_size, range);
        input::pointer_ui(ui, ws, &response, intents);
    });
    ws.article.end_frame();
}
