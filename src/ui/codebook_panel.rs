//! The codebook panel: issues and actors as trees by parent (children
//! indented under their parent), each with colour swatch (click to
//! recolour), digit, name, kind marker and number of uses (a parent counts
//! its children's annotations too). Per tag: rename (annotations follow),
//! describe (shown as tooltip and in the tag popup), re-parent, merge into
//! another tag, delete (asks first when the tag is used; Undo restores).
//! Clicking a name focuses the tag: `N`/`P` then visit only its
//! annotations.
//!
//! Invariants: the flattened tree (rows with depth) and the counts (same
//! semantics as `core::filter::counts_with_children`: one pass, tags looked
//! up by hash, no allocation per annotation) are rebuilt only when the
//! document generation changes, never per frame. A changed codebook is
//! recounted at once; an edit of annotations alone is recounted over the
//! next frames, at most [`COUNT_BUDGET`] of CPU per frame (checked every
//! [`COUNT_CHUNK`] annotations), the previous counts showing meanwhile (so
//! one edit never costs a whole pass in one frame).
//! Only the visible rows are built (`ScrollArea::show_rows`); every change
//! is a command pushed as an intent.

use crate::app::Intent;
use crate::app::workflow::WorkflowIntent;
use crate::core::codebook::{Codebook, PALETTE, PALETTE_NAMES, Rgb, Tag, TagKind};
use crate::core::command::Command;
use crate::core::session::Session;
use crate::core::set::AnnotationSet;
use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};

fn kind_slot(kind: TagKind) -> usize {
    match kind {
        TagKind::Issue => 0,
        TagKind::Actor => 1,
    }
}

/// FxHash (rustc's hasher): a multiply-rotate per word, for short tag
/// names looked up in a hot loop. Not DoS-resistant; only for lookups of
/// names already in the codebook.
#[derive(Default)]
struct FxHasher(u64);

impl Hasher for FxHasher {
    fn write(&mut self, bytes: &[u8]) {
        const K: u64 = 0x51_7c_c1_b7_27_22_0a_95;
        let mut chunks = bytes.chunks_exact(8);
        for c in &mut chunks {
            let mut w = [0u8; 8];
            w.copy_from_slice(c);
            self.0 = (self.0.rotate_left(5) ^ u64::from_le_bytes(w)).wrapping_mul(K);
        }
        for &b in chunks.remainder() {
            self.0 = (self.0.rotate_left(5) ^ u64::from(b)).wrapping_mul(K);
        }
    }

    fn finish(&self) -> u64 {
        self.0
    }
}

/// One row of the flattened codebook tree.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Row {
    /// The heading of a kind.
    Heading(TagKind),
    /// "no issues yet" under an empty kind.
    Empty(TagKind),
    /// A tag: index into `codebook.tags()`, depth in the tree.
    Tag { idx: usize, depth: usize },
}

/// Annotations counted between two looks at the clock when counts are
/// refreshed after an edit.
const COUNT_CHUNK: usize = 256;

/// Sets up to this many annotations are counted at once when the codebook
/// changes or the set is new; larger ones are counted over the next frames
/// like an edit's recount, the counts showing "…" until then.
const COUNT_AT_ONCE: usize = 5_000;

/// Time spent recounting per frame after an edit: a time budget rather
/// than a number of annotations, as the cost per annotation varies widely
/// with the machine and the cache (4,000 annotations took 1 to 8 ms).
const COUNT_BUDGET: std::time::Duration = std::time::Duration::from_micros(1_000);

/// Tag index by (kind, name), with a fast non-cryptographic hash.
type NameIndex<'a> = [HashMap<&'a str, usize, BuildHasherDefault<FxHasher>>; 2];

/// A recount in progress, annotation by annotation.
#[derive(Debug)]
struct Recount {
    generation: u64,
    /// Next annotation to count.
    next: usize,
    counts: Vec<usize>,
    /// Last annotation that counted each tag (stops double counts and
    /// parent cycles).
    stamp: Vec<usize>,
}

/// The flattened tree and the uses per tag (with children), rebuilt when
/// the document generation changes.
#[derive(Debug, Default)]
struct Tree {
    generation: u64,
    /// The codebook the rows and counts were built for.
    tags: Vec<Tag>,
    /// Parent index per tag (None for roots, missing or self parents).
    parent: Vec<Option<usize>>,
    rows: Vec<Row>,
    /// Uses per tag, parallel to `codebook.tags()`.
    counts: Vec<usize>,
    /// A recount started by an edit, finished over the next frames.
    pending: Option<Recount>,
}

fn name_index(tags: &[Tag]) -> NameIndex<'_> {
    let mut by_name: NameIndex<'_> = Default::default();
    for (i, t) in tags.iter().enumerate() {
        by_name[kind_slot(t.kind)].insert(t.name.as_str(), i);
    }
    by_name
}

impl Tree {
    /// Rows and parents for a codebook (counts left empty).
    fn structure(cb: &Codebook, generation: u64) -> Tree {
        let tags = cb.tags();
        let by_name = name_index(tags);
        let parent: Vec<Option<usize>> = tags
            .iter()
            .enumerate()
            .map(|(i, t)| {
                t.parent
                    .as_deref()
                    .and_then(|p| by_name[kind_slot(t.kind)].get(p).copied())
                    .filter(|&p| p != i)
            })
            .collect();
        let mut children: Vec<Vec<usize>> = vec![Vec::new(); tags.len()];
        for (i, p) in parent.iter().enumerate() {
            if let Some(p) = p {
                children[*p].push(i);
            }
        }
        let mut rows = Vec::with_capacity(tags.len() + 4);
        for kind in [TagKind::Issue, TagKind::Actor] {
            rows.push(Row::Heading(kind));
            let before = rows.len();
            let mut stack: Vec<(usize, usize)> = tags
                .iter()
                .enumerate()
                .rev()
                .filter(|(i, t)| t.kind == kind && parent[*i].is_none())
                .map(|(i, _)| (i, 0))
                .collect();
            while let Some((idx, depth)) = stack.pop() {
                rows.push(Row::Tag { idx, depth });
                if depth < 16 {
                    stack.extend(children[idx].iter().rev().map(|&c| (c, depth + 1)));
                }
            }
            if rows.len() == before {
                rows.push(Row::Empty(kind));
            }
        }
        Tree {
            generation,
            tags: tags.to_vec(),
            parent,
            rows,
            counts: Vec::new(),
            pending: None,
        }
    }

    /// Brings the tree up to `generation`: a changed codebook is rebuilt
    /// and counted (at once up to [`COUNT_AT_ONCE`] annotations); an edit of
    /// annotations alone starts a recount spread over frames.
    fn refresh(tree: Option<Tree>, set: &AnnotationSet, generation: u64) -> Tree {
        let cb = &set.codebook;
        match tree {
            Some(t) if t.generation == generation && t.tags.len() == cb.len() => t,
            Some(mut t) if t.tags.as_slice() == cb.tags() => {
                t.generation = generation;
                t.pending = Some(Recount {
                    generation,
                    next: 0,
                    counts: vec![0; t.tags.len()],
                    stamp: vec![usize::MAX; t.tags.len()],
                });
                t
            }
            _ => {
                let mut t = Tree::structure(cb, generation);
                t.pending = Some(Recount {
                    generation,
                    next: 0,
                    counts: vec![0; t.tags.len()],
                    stamp: vec![usize::MAX; t.tags.len()],
                });
                if set.annotations.len() <= COUNT_AT_ONCE {
                    t.count(set, usize::MAX);
                }
                t
            }
        }
    }

    /// Counts more annotations of the pending recount, chunk by chunk,
    /// until done or `deadline` passed; true when it is still unfinished.
    fn count_until(&mut self, set: &AnnotationSet, deadline: std::time::Instant) -> bool {
        loop {
            if !self.count(set, COUNT_CHUNK) {
                return false;
            }
            if std::time::Instant::now() >= deadline {
                return true;
            }
        }
    }

    /// Counts up to `budget` more annotations of the pending recount;
    /// true when a recount is still unfinished.
    fn count(&mut self, set: &AnnotationSet, budget: usize) -> bool {
        let Some(mut r) = self.pending.take() else {
            return false;
        };
        if r.generation != self.generation || r.counts.len() != self.tags.len() {
            return false;
        }
        let by_name = name_index(&self.tags);
        let end = r.next.saturating_add(budget).min(set.annotations.len());
        for n in r.next..end {
            for (kind, name) in set.annotations[n].all_tags() {
                let mut cur = by_name[kind_slot(kind)].get(name).copied();
                // climb to the root; `stamp` also stops parent cycles
                while let Some(i) = cur {
                    if r.stamp[i] == n {
                        break;
                    }
                    r.stamp[i] = n;
                    r.counts[i] += 1;
                    cur = self.parent[i];
                }
            }
        }
        r.next = end;
        if end >= set.annotations.len() {
            self.counts = r.counts;
            false
        } else {
            self.pending = Some(r);
            true
        }
    }
}

/// The panel's state.
#[derive(Debug)]
pub struct CodebookPanelState {
    tree: Option<Tree>,
    renaming: Option<(TagKind, String, String)>,
    describing: Option<(TagKind, String, String)>,
    describe_focus: bool,
    recolor: Option<(TagKind, String, [u8; 3])>,
    confirm_delete: Option<(TagKind, String, Option<usize>)>,
    new_name: String,
    new_kind: TagKind,
}

impl Default for CodebookPanelState {
    fn default() -> Self {
        CodebookPanelState {
            tree: None,
            renaming: None,
            describing: None,
            describe_focus: false,
            recolor: None,
            confirm_delete: None,
            new_name: String::new(),
            new_kind: TagKind::Issue,
        }
    }
}

/// Draws the codebook panel.
pub fn codebook_panel_ui(
    ui: &mut egui::Ui,
    session: &Session,
    doc_gen: u64,
    state: &mut CodebookPanelState,
    focused: Option<&(TagKind, String)>,
    intents: &mut Vec<Intent>,
) {
    let cb = &session.set.codebook;
    let mut tree = Tree::refresh(state.tree.take(), &session.set, doc_gen);
    if tree.count_until(&session.set, std::time::Instant::now() + COUNT_BUDGET) {
        ui.ctx().request_repaint();
    }
    ui.heading("Codebook");
    let row_h = ui.spacing().interact_size.y;
    let indent = ui.spacing().indent;
    egui::ScrollArea::vertical()
        .id_salt("codebook_scroll")
        .max_height(ui.available_height() * 0.4)
        .auto_shrink([false, true])
        .show_rows(ui, row_h, tree.rows.len(), |ui, range| {
            for row in &tree.rows[range] {
                match *row {
                    Row::Heading(kind) => {
                        ui.label(
                            egui::RichText::new(match kind {
                                TagKind::Issue => "Issues (underlined in the text)",
                                TagKind::Actor => "Actors (boxed in the text)",
                            })
                            .strong(),
                        );
                    }
                    Row::Empty(kind) => {
                        ui.weak(format!("no {kind}s yet"));
                    }
                    Row::Tag { idx, depth } => {
                        let Some(tag) = cb.tags().get(idx) else {
                            continue;
                        };
                        // Unknown until the first count of this codebook ends.
                        let count = tree.counts.get(idx).copied();
                        tag_row_ui(
                            ui,
                            cb,
                            tag,
                            (depth as f32 * indent, count),
                            state,
                            focused,
                            intents,
                        );
                    }
                }
            }
        });
    state.tree = Some(tree);
    // Wraps rather than widening the side panel (a panel that grows to fit
    // its content changes width between the first frames, and every
    // wrapped label is laid out again).
    ui.horizontal_wrapped(|ui| {
        let label = ui.label("New tag:");
        let resp = ui
            .add(
                egui::TextEdit::singleline(&mut state.new_name)
                    .hint_text("name")
                    .desired_width(120.0),
            )
            .labelled_by(label.id);
        egui::ComboBox::new("new_tag_kind", "kind")
            .selected_text(state.new_kind.as_str())
            .width(70.0)
            .show_ui(ui, |ui| {
                ui.selectable_value(&mut state.new_kind, TagKind::Issue, "issue");
                ui.selectable_value(&mut state.new_kind, TagKind::Actor, "actor");
            });
        let enter = resp.lost_focus() && ui.input(|i| i.key_pressed(egui::Key::Enter));
        if (ui.button("Add tag").clicked() || enter) && !state.new_name.trim().is_empty() {
            let tag = cb.new_tag(state.new_kind, state.new_name.trim());
            intents.push(Intent::Execute(Command::CreateTag(tag)));
            state.new_name.clear();
        }
    });
    if let Some((kind, name, n)) = state.confirm_delete.clone() {
        let modal = egui::Modal::new(egui::Id::unique("confirm_delete_tag")).show(ui.ctx(), |ui| {
            ui.heading(format!("Delete {kind} “{name}”?"));
            ui.label(match n {
                Some(n) => format!(
                    "It is used by {n} annotation{}; the tag will be removed from them (Undo restores it).",
                    if n == 1 { "" } else { "s" }
                ),
                None => "It may be used by annotations (still counting); the tag will be removed from them (Undo restores it).".to_owned(),
            });
            ui.horizontal(|ui| {
                if ui.button("Delete tag").clicked() {
                    intents.push(Intent::Execute(Command::DeleteTag {
                        kind,
                        name: name.clone(),
                    }));
                    state.confirm_delete = None;
                }
                if ui.button("Cancel").clicked() {
                    state.confirm_delete = None;
                }
            });
        });
        if modal.should_close() {
            state.confirm_delete = None;
        }
    }
}

fn update(tag: &Tag, f: impl FnOnce(&mut Tag)) -> Intent {
    let mut t = tag.clone();
    f(&mut t);
    Intent::Execute(Command::UpdateTag {
        kind: tag.kind,
        name: tag.name.clone(),
        tag: t,
    })
}

/// A tag row's tooltip and accessible description: kind, description,
/// digit, count, what clicks do.
fn row_tip(tag: &Tag, count: Option<usize>) -> String {
    let mut tip = match &tag.description {
        Some(d) => format!("{}: {d}", tag.kind),
        None => tag.kind.to_string(),
    };
    if let Some(d) = tag.digit {
        tip.push_str(&format!(
            "\nDigit {d}: press it with a selection to apply the tag"
        ));
    }
    match count {
        Some(n) => tip.push_str(&format!(
            "\n{n} annotation{} with this tag or its children",
            if n == 1 { "" } else { "s" }
        )),
        None => tip.push_str("\nCounting its annotations…"),
    }
    tip.push_str("\nClick to focus (N / P), double-click to rename");
    tip
}

/// Width kept for a tag row's count (right-aligned).
const COUNT_WIDTH: f32 = 40.0;

/// A colour swatch that opens a colour picker when clicked (or activated
/// with the keyboard); returns the swatch's response, `rgb` holds the
/// picked colour. Cheaper than egui's colour button, which this row draws
/// once per tag per frame.
fn color_swatch_ui(ui: &mut egui::Ui, rgb: &mut [u8; 3]) -> egui::Response {
    let size = egui::vec2(
        ui.spacing().interact_size.y * 1.4,
        ui.spacing().interact_size.y,
    );
    let (rect, resp) = ui.allocate_exact_size(size, egui::Sense::click());
    let popup_id = resp.id.with("picker");
    let open = egui::Popup::is_id_open(ui.ctx(), popup_id);
    if ui.is_rect_visible(rect) {
        let visuals = ui.style().interact_selectable(&resp, open);
        let rect = rect.shrink(2.0);
        ui.painter()
            .rect_filled(rect, 2.0, egui::Color32::from_rgb(rgb[0], rgb[1], rgb[2]));
        ui.painter()
            .rect_stroke(rect, 2.0, visuals.fg_stroke, egui::StrokeKind::Outside);
    }
    let resp = resp.on_hover_text("Change colour");
    if open || resp.clicked() {
        let mut color = egui::Color32::from_rgb(rgb[0], rgb[1], rgb[2]);
        egui::Popup::menu(&resp)
            .id(popup_id)
            .close_behavior(egui::PopupCloseBehavior::CloseOnClickOutside)
            .show(|ui| {
                egui::color_picker::color_picker_color32(
                    ui,
                    &mut color,
                    egui::color_picker::Alpha::Opaque,
                );
            });
        *rgb = [color.r(), color.g(), color.b()];
    }
    resp
}

fn tag_row_ui(
    ui: &mut egui::Ui,
    cb: &Codebook,
    tag: &Tag,
    (indent, count): (f32, Option<usize>),
    state: &mut CodebookPanelState,
    focused: Option<&(TagKind, String)>,
    intents: &mut Vec<Intent>,
) {
    let kind = tag.kind;
    ui.push_id((kind, &tag.name), |ui| {
        ui.horizontal(|ui| {
            if indent > 0.0 {
                ui.add_space(indent);
            }
            // Colour: edits coalesce until the pointer is released.
            let editing = state
                .recolor
                .as_ref()
                .is_some_and(|(k, n, _)| *k == kind && n == &tag.name);
            let mut rgb = match &state.recolor {
                Some((_, _, c)) if editing => *c,
                _ => tag.color.0,
            };
            let resp = color_swatch_ui(ui, &mut rgb);
            resp.widget_info(|| {
                egui::WidgetInfo::labeled(
                    egui::Role::Button,
                    true,
                    format!("Colour of {kind} {}", tag.name),
                )
            });
            if rgb != tag.color.0 {
                state.recolor = Some((kind, tag.name.clone(), rgb));
            }
            let pointer_down = ui.input(|i| i.pointer.any_down());
            if editing && !pointer_down && rgb != tag.color.0 {
                intents.push(update(tag, |t| t.color = Rgb(rgb)));
                state.recolor = None;
            } else if editing && rgb == tag.color.0 && !pointer_down {
                state.recolor = None;
            }
            // The digit and (below) the count are painted, not widgets: the
            // name's tooltip and accessible description carry both.
            let mono = egui::TextStyle::Monospace.resolve(ui.style());
            let (digit_rect, _) = ui.allocate_exact_size(
                egui::vec2(mono.size * 0.7, ui.spacing().interact_size.y),
                egui::Sense::hover(),
            );
            if let Some(d) = tag.digit {
                ui.painter().text(
                    digit_rect.center(),
                    egui::Align2::CENTER_CENTER,
                    d.to_string(),
                    mono,
                    ui.visuals().text_color(),
                );
            }
            let renaming = state
                .renaming
                .as_ref()
                .is_some_and(|(k, n, _)| *k == kind && n == &tag.name);
            if renaming {
                let mut commit = false;
                let mut cancel = false;
                if let Some((_, _, buf)) = &mut state.renaming {
                    let r = ui.add(egui::TextEdit::singleline(buf).desired_width(140.0));
                    if !r.has_focus() && !r.lost_focus() {
                        r.request_focus();
                    }
                    if r.lost_focus() {
                        if ui.input(|i| i.key_pressed(egui::Key::Escape)) {
                            cancel = true;
                        } else {
                            commit = true;
                        }
                    }
                }
                if commit || cancel {
                    ui.memory_mut(|m| m.stop_text_input());
                }
                if commit
                    && let Some((_, _, buf)) = state.renaming.take()
                    && buf.trim() != tag.name
                    && !buf.trim().is_empty()
                {
                    intents.push(update(tag, |t| t.name = buf.trim().to_owned()));
                }
                if cancel {
                    state.renaming = None;
                }
            } else {
                let is_focused = focused.is_some_and(|(k, n)| *k == kind && n == &tag.name);
                let text = egui::RichText::new(&tag.name);
                let text = if kind == TagKind::Issue {
                    text.underline()
                } else {
                    text
                };
                let r = super::row_widgets::row_button(ui, is_focused, text).on_hover_ui(|ui| {
                    ui.label(row_tip(tag, count));
                });
                // Screen readers get the tooltip as the description (built
                // only when AccessKit is on).
                ui.ctx().accesskit_node_builder(r.id, |node| {
                    node.set_description(row_tip(tag, count));
                });
                if r.double_clicked() {
                    state.renaming = Some((kind, tag.name.clone(), tag.name.clone()));
                } else if r.clicked() {
                    intents.push(Intent::Workflow(WorkflowIntent::FocusTag(
                        (!is_focused).then(|| (kind, tag.name.clone())),
                    )));
                }
            }
            // Count and menu at the right edge (a fixed-width tail rather
            // than a right-to-left child layout: this row is drawn for every
            // tag on every frame).
            // The "…" button is at least `interact_size.x` wide.
            let tail =
                COUNT_WIDTH + ui.spacing().item_spacing.x * 2.0 + ui.spacing().interact_size.x;
            ui.add_space((ui.available_width() - tail).max(0.0));
            let (count_rect, _) = ui.allocate_exact_size(
                egui::vec2(COUNT_WIDTH, ui.spacing().interact_size.y),
                egui::Sense::hover(),
            );
            ui.painter().text(
                count_rect.right_center(),
                egui::Align2::RIGHT_CENTER,
                count.map_or_else(|| "…".to_owned(), |n| n.to_string()),
                egui::TextStyle::Body.resolve(ui.style()),
                ui.visuals().weak_text_color(),
            );
            let menu_id = ui.scope_id().with("actions");
            let open = egui::Popup::is_id_open(ui.ctx(), menu_id);
            let label = format!("Actions for {kind} {}", tag.name);
            let more = super::row_widgets::more_button(ui, open, &label);
            if open || more.clicked() {
                egui::Popup::menu(&more).id(menu_id).show(|ui| {
                    tag_menu_ui(ui, cb, tag, count, state, intents);
                });
            }
        });
        let describing = state
            .describing
            .as_ref()
            .is_some_and(|(k, n, _)| *k == kind && n == &tag.name);
        if describing {
            let mut done = None;
            if let Some((_, _, buf)) = &mut state.describing {
                let label = ui.label(format!("Description of “{}”:", tag.name));
                let r = ui
                    .add(
                        egui::TextEdit::multiline(buf)
                            .desired_rows(2)
                            .desired_width(f32::INFINITY),
                    )
                    .labelled_by(label.id);
                if state.describe_focus {
                    r.request_focus();
                    state.describe_focus = false;
                }
                ui.horizontal(|ui| {
                    if ui.button("Save description").clicked() {
                        done = Some(true);
                    }
                    if ui.button("Cancel").clicked() {
                        done = Some(false);
                    }
                });
            }
            if done.is_some() {
                ui.memory_mut(|m| m.stop_text_input());
            }
            if let Some(save) = done
                && let Some((_, _, buf)) = state.describing.take()
                && save
            {
                let d = Some(buf.trim().to_owned()).filter(|d| !d.is_empty());
                if d != tag.description {
                    intents.push(update(tag, |t| t.description = d));
                }
            }
        }
    });
}

fn tag_menu_ui(
    ui: &mut egui::Ui,
    cb: &Codebook,
    tag: &Tag,
    count: Option<usize>,
    state: &mut CodebookPanelState,
    intents: &mut Vec<Intent>,
) {
    let kind = tag.kind;
    if ui.button("Rename").clicked() {
        state.renaming = Some((kind, tag.name.clone(), tag.name.clone()));
        ui.close();
    }
    if ui.button("Edit description…").clicked() {
        state.describing = Some((
            kind,
            tag.name.clone(),
            tag.description.clone().unwrap_or_default(),
        ));
        state.describe_focus = true;
        ui.close();
    }
    // Recolour from the palette by keyboard or mouse (the swatch left of
    // the name opens a full colour picker).
    ui.menu_button("Colour", |ui| {
        for (rgb, name) in PALETTE.iter().zip(PALETTE_NAMES) {
            let current = tag.color == *rgb;
            let r = ui
                .horizontal(|ui| {
                    let (rect, _) =
                        ui.allocate_exact_size(egui::vec2(14.0, 14.0), egui::Sense::hover());
                    ui.painter().rect_filled(
                        rect,
                        2.0,
                        egui::Color32::from_rgb(rgb.0[0], rgb.0[1], rgb.0[2]),
                    );
                    ui.add_enabled(!current, egui::Button::new(name))
                })
                .inner;
            if r.clicked() {
                intents.push(update(tag, |t| t.color = *rgb));
                ui.close();
            }
        }
    });
    let descendants = cb.with_descendants(kind, &tag.name);
    ui.menu_button("Parent", |ui| {
        if ui
            .add_enabled(tag.parent.is_some(), egui::Button::new("(top level)"))
            .clicked()
        {
            intents.push(update(tag, |t| t.parent = None));
            ui.close();
        }
        for p in cb.of_kind(kind).filter(|p| !descendants.contains(&p.name)) {
            let current = tag.parent.as_deref() == Some(p.name.as_str());
            if ui
                .add_enabled(!current, egui::Button::new(&p.name))
                .clicked()
            {
                intents.push(update(tag, |t| t.parent = Some(p.name.clone())));
                ui.close();
            }
        }
    });
    ui.menu_button("Merge into", |ui| {
        let mut any = false;
        for into in cb.of_kind(kind).filter(|t| t.name != tag.name) {
            any = true;
            if ui.button(&into.name).clicked() {
                intents.push(Intent::Execute(Command::MergeTags {
                    kind,
                    from: tag.name.clone(),
                    into: into.name.clone(),
                }));
                ui.close();
            }
        }
        if !any {
            ui.weak(format!("no other {kind}"));
        }
    });
    if ui.button("Delete").clicked() {
        if count != Some(0) {
            state.confirm_delete = Some((kind, tag.name.clone(), count));
        } else {
            intents.push(Intent::Execute(Command::DeleteTag {
                kind,
                name: tag.name.clone(),
            }));
        }
        ui.close();
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::annotation::Annotation;
    use crate::core::set::SourceRef;
    use crate::core::text::Text;

    fn set_with(n: usize) -> AnnotationSet {
        let text = Text::new("word ".repeat(2_000));
        let mut set = AnnotationSet::new(SourceRef::default());
        let tag = set.codebook.new_tag(TagKind::Issue, "Routes");
        set.codebook.insert(tag);
        for k in 0..n {
            let start = (k * 7) % 9_000;
            let mut a = Annotation::new(format!("a{k:06}"), &text, start, start + 4, "t");
            a.add_tag(TagKind::Issue, "Routes");
            set.annotations.push(a);
        }
        set.normalize();
        set
    }

    #[test]
    fn small_sets_are_counted_at_once_large_ones_over_frames() {
        let small = set_with(COUNT_AT_ONCE);
        let t = Tree::refresh(None, &small, 1);
        assert_eq!(t.counts, [COUNT_AT_ONCE]);
        assert!(t.pending.is_none());

        let large = set_with(COUNT_AT_ONCE + 1);
        let mut t = Tree::refresh(None, &large, 1);
        assert!(t.counts.is_empty(), "no count in the first frame");
        assert!(t.pending.is_some());
        // Chunk by chunk, as the frames do.
        let mut chunks = 0;
        while t.count(&large, COUNT_CHUNK) {
            chunks += 1;
        }
        assert!(chunks > 1);
        assert_eq!(t.counts, [COUNT_AT_ONCE + 1]);
    }
}
