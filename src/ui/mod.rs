//! The panels of the window. Functions that draw end in `_ui`; they read
//! state and emit intents, never editing the document directly.
//!
//! Invariant: `ui` imports from `app` only through `app::model` (checked
//! in `.ci/run`); the app calls [`window::window_ui`] once a frame.

pub mod agreement_window;
pub mod annotation_list;
pub mod article_view;
pub mod charts_panel;
pub mod codebook_panel;
pub mod compare_panel;
pub mod conflicts_panel;
pub mod corpus_search_panel;
pub mod document_list;
pub mod export_dialog;
pub mod filter_bar;
pub mod find_bar;
pub mod fonts;
pub mod menu_bar;
pub mod metadata_panel;
pub mod orphans_panel;
pub mod palette;
pub mod paste_dialog;
pub mod project_import_dialog;
pub mod recovery_dialog;
pub mod row_widgets;
pub mod segments_panel;
pub mod status_bar;
pub mod tag_all;
pub mod tag_popup;
pub mod window;
