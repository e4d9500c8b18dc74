//! The corpus charts window: a tab per chart (tag frequencies, actor ×
//! issue heat map, timeline, coders), the filter they follow, a button
//! that copies the chart's data as CSV, and the plots (egui_plot).
//!
//! Invariants: the window only reads `ChartsView` (its data is computed by
//! the app) and pushes `ChartIntent`s; a click on a bar, cell or point
//! pushes `ChartIntent::Open` with what lies under the pointer. Plots have
//! fixed bounds (no zoom or drag), so a row or cell is always where it was
//! drawn.

use crate::app::model::{ChartIntent, ChartPick, ChartTab, ChartsView, CorpusState, Intent};
use crate::core::annotation::Stance;
use crate::core::codebook::TagKind;
use egui_plot::{Bar, BarChart, Heatmap, Legend, Line, Plot, PlotPoint, PlotPoints};

/// Bars shown per kind in the frequencies chart (the CSV has them all).
const TOP_TAGS: usize = 25;
/// Rows and columns of the heat map (the CSV has them all).
const TOP_CELLS: usize = 20;
/// Tags drawn in the timeline (the CSV has them all).
const TOP_SERIES: usize = 8;

/// Draws the charts window, when shown.
pub fn charts_ui(ctx: &egui::Context, c: &mut CorpusState, intents: &mut Vec<Intent>) {
    let reading = c.pending_reads;
    let Some(v) = &mut c.charts else { return };
    let mut open = true;
    egui::Window::new("Corpus charts")
        .open(&mut open)
        .default_size([720.0, 460.0])
        .resizable(true)
        .show(ctx, |ui| {
            ui.horizontal(|ui| {
                for tab in ChartTab::ALL {
                    if ui.selectable_label(v.tab == tab, tab.label()).clicked() {
                        intents.push(ChartIntent::Tab(tab).into());
                    }
                }
                ui.separator();
                if ui
                    .button("Copy CSV")
                    .on_hover_text("Copy this chart's data (every row) as CSV")
                    .clicked()
                {
                    let csv = v.csv();
                    let rows = csv.lines().count().saturating_sub(1);
                    ui.ctx().copy_text(csv);
                    intents.push(ChartIntent::Copied(rows).into());
                }
            });
            let mut note = format!("Filter: {} (the coded-segments query)", v.filter);
            if reading > 0 {
                note.push_str(&format!("; {reading} documents still being read"));
            }
            ui.weak(note);
            match v.tab {
                ChartTab::Frequencies => frequencies_ui(ui, v, intents),
                ChartTab::Heatmap => heatmap_ui(ui, v, intents),
                ChartTab::Timeline => timeline_ui(ui, v, intents),
                ChartTab::Coders => coders_ui(ui, v, intents),
            }
        });
    if !open {
        intents.push(ChartIntent::Toggle.into());
    }
}

/// A plot with fixed bounds and no pan or zoom, named for AccessKit.
fn fixed_plot(id: &str) -> Plot<'static> {
    Plot::new(id.to_owned())
        .allow_zoom(false)
        .allow_drag(false)
        .allow_scroll(false)
        .allow_boxed_zoom(false)
        .allow_double_click_reset(false)
        .set_margin_fraction(egui::Vec2::ZERO)
        .show_grid(false)
        .show_x(false)
        .show_y(false)
}

/// Plot bounds from x and y ranges.
fn bounds(x: [f64; 2], y: [f64; 2]) -> egui_plot::PlotBounds {
    egui_plot::PlotBounds::from_min_max([x[0], y[0]], [x[1], y[1]])
}

/// Labels the plot's response for AccessKit (tests find it by this name).
fn name_plot(r: &egui::Response, name: &str) {
    let name = name.to_owned();
    r.widget_info(|| egui::WidgetInfo::labeled(egui::Role::Image, true, &name));
}

/// The row (0 = top) under a click at plot `y`, in a chart of `n` rows
/// drawn at `y = n - 1 - row`.
fn row_at(y: f64, n: usize) -> Option<usize> {
    let r = (n as f64 - 1.0 - y).round();
    (r >= 0.0 && r < n as f64).then_some(r as usize)
}

fn frequencies_ui(ui: &mut egui::Ui, v: &mut ChartsView, intents: &mut Vec<Intent>) {
    ui.horizontal(|ui| {
        ui.label("Count:");
        ui.radio_value(&mut v.by_documents, false, "excerpts");
        ui.radio_value(&mut v.by_documents, true, "documents");
    });
    if v.data.frequencies.is_empty() {
        ui.label("No annotation matches the filter.");
        return;
    }
    let by_docs = v.by_documents;
    ui.columns(2, |cols| {
        for (ui, kind) in cols.iter_mut().zip([TagKind::Issue, TagKind::Actor]) {
            let rows: Vec<(&str, usize)> = v
                .data
                .frequencies
                .iter()
                .filter(|f| f.kind == kind)
                .take(TOP_TAGS)
                .map(|f| {
                    let n = if by_docs { f.documents } else { f.excerpts };
                    (f.name.as_str(), n)
                })
                .collect();
            let title = match kind {
                TagKind::Issue => "Issues",
                TagKind::Actor => "Actors",
            };
            ui.strong(title);
            if rows.is_empty() {
                ui.weak("none under this filter");
                continue;
            }
            if let Some(pick) = bars_ui(ui, title, &rows, kind_color(kind)) {
                intents.push(ChartIntent::Open(ChartPick::Tag(kind, pick)).into());
            }
        }
    });
}

fn kind_color(kind: TagKind) -> egui::Color32 {
    match kind {
        TagKind::Issue => egui::Color32::from_rgb(0x00, 0x72, 0xb2),
        TagKind::Actor => egui::Color32::from_rgb(0xd5, 0x5e, 0x00),
    }
}

/// Horizontal bars, first row on top; returns the clicked row's name.
fn bars_ui(
    ui: &mut egui::Ui,
    id: &str,
    rows: &[(&str, usize)],
    color: egui::Color32,
) -> Option<String> {
    let n = rows.len();
    let max = rows.iter().map(|r| r.1).max().unwrap_or(1).max(1) as f64;
    let names: Vec<String> = rows.iter().map(|r| r.0.to_owned()).collect();
    let bars: Vec<Bar> = rows
        .iter()
        .enumerate()
        .map(|(i, (name, count))| {
            Bar::new((n - 1 - i) as f64, *count as f64)
                .name(name)
                .width(0.7)
        })
        .collect();
    let labels = names.clone();
    let resp = fixed_plot(id)
        .height(ui.available_height().max(120.0))
        .default_x_bounds(0.0, max * 1.05)
        .default_y_bounds(-0.5, n as f64 - 0.5)
        .y_axis_min_width(90.0)
        .y_axis_formatter(move |mark, _| axis_name(&labels, n, mark.value))
        .show(ui, |p| {
            // The bounds follow the data every frame (a plot remembers its
            // first bounds otherwise).
            p.set_plot_bounds(bounds([0.0, max * 1.05], [-0.5, n as f64 - 0.5]));
            p.bar_chart(BarChart::new(id.to_owned(), bars).horizontal().color(color));
            p.pointer_coordinate()
        });
    name_plot(&resp.response, &format!("{id} chart"));
    if !resp.response.clicked() {
        return None;
    }
    let at = resp.inner?;
    row_at(at.y, n).and_then(|r| names.get(r).cloned())
}

/// The name of the row drawn at `y` (integers only).
fn axis_name(names: &[String], n: usize, y: f64) -> String {
    if (y - y.round()).abs() > 1e-6 {
        return String::new();
    }
    row_at(y, n)
        .and_then(|r| names.get(r))
        .map(|s| short(s))
        .unwrap_or_default()
}

fn short(s: &str) -> String {
    const MAX: usize = 18;
    if s.chars().count() <= MAX {
        s.to_owned()
    } else {
        let mut t: String = s.chars().take(MAX - 1).collect();
        t.push('…');
        t
    }
}

fn heatmap_ui(ui: &mut egui::Ui, v: &mut ChartsView, intents: &mut Vec<Intent>) {
    ui.horizontal(|ui| {
        ui.label("Stance:");
        ui.radio_value(&mut v.stance, None, "all");
        ui.radio_value(&mut v.stance, Some(Some(Stance::Support)), "support");
        ui.radio_value(&mut v.stance, Some(Some(Stance::Oppose)), "oppose");
        ui.radio_value(&mut v.stance, Some(Some(Stance::Neutral)), "neutral");
        ui.radio_value(&mut v.stance, Some(None), "none");
    });
    let c = &v.data.cooccurrence;
    let rows = c.actors.len().min(TOP_CELLS);
    let cols = c.issues.len().min(TOP_CELLS);
    if rows == 0 || cols == 0 {
        ui.label("No annotation codes an actor and an issue together under this filter.");
        return;
    }
    let stance = v.stance;
    // Heatmap rows run bottom-up: the first actor is the top row.
    let mut values = Vec::with_capacity(rows * cols);
    for r in (0..rows).rev() {
        for col in 0..cols {
            let cell = c.cells[r][col];
            let n = match stance {
                None => cell.total(),
                Some(s) => cell.of(s),
            };
            values.push(n as f64);
        }
    }
    let max = values.iter().copied().fold(1.0, f64::max);
    let actors: Vec<String> = c.actors[..rows].to_vec();
    let issues: Vec<String> = c.issues[..cols].to_vec();
    let (a2, i2) = (actors.clone(), issues.clone());
    let resp = fixed_plot("Actor × issue")
        .height(ui.available_height().max(160.0))
        .default_x_bounds(0.0, cols as f64)
        .default_y_bounds(0.0, rows as f64)
        .y_axis_min_width(90.0)
        .x_axis_formatter(move |mark, _| cell_name(&i2, mark.value, false, cols))
        .y_axis_formatter(move |mark, _| cell_name(&a2, mark.value, true, rows))
        .show(ui, |p| {
            // The bounds follow the data every frame (a plot remembers its
            // first bounds otherwise).
            p.set_plot_bounds(bounds([0.0, cols as f64], [0.0, rows as f64]));
            p.add(
                Heatmap::new(values, cols)
                    .range(0.0, max)
                    .show_labels(rows * cols <= 100)
                    .formatter(Box::new(|v| format!("{v:.0}")))
                    .name("co-occurrence"),
            );
            p.pointer_coordinate()
        });
    name_plot(&resp.response, "Actor × issue chart");
    if resp.response.clicked()
        && let Some(at) = resp.inner
        && let Some((r, col)) = cell_at(at, rows, cols)
    {
        intents.push(
            ChartIntent::Open(ChartPick::Cell {
                actor: actors[r].clone(),
                issue: issues[col].clone(),
            })
            .into(),
        );
    }
}

/// The heat-map cell (row from the top, column) under a plot point.
fn cell_at(p: PlotPoint, rows: usize, cols: usize) -> Option<(usize, usize)> {
    if p.x < 0.0 || p.y < 0.0 {
        return None;
    }
    let (x, y) = (p.x.floor() as usize, p.y.floor() as usize);
    (x < cols && y < rows).then(|| (rows - 1 - y, x))
}

/// The name of the row or column whose centre is at `value`.
fn cell_name(names: &[String], value: f64, rows: bool, n: usize) -> String {
    let k = value - 0.5;
    if (k - k.round()).abs() > 1e-6 || k < 0.0 {
        return String::new();
    }
    let k = k.round() as usize;
    let i = if rows { n.checked_sub(1 + k) } else { Some(k) };
    i.and_then(|i| names.get(i))
        .map(|s| short(s))
        .unwrap_or_default()
}

fn timeline_ui(ui: &mut egui::Ui, v: &mut ChartsView, intents: &mut Vec<Intent>) {
    let t = &v.data.timeline;
    if t.months.is_empty() {
        ui.label("No dated document has a matching annotation.");
        return;
    }
    if t.undated > 0 {
        ui.weak(format!(
            "{} excerpts in undated documents are not shown",
            t.undated
        ));
    }
    let months = t.months.clone();
    let m2 = months.clone();
    let series: Vec<&(TagKind, String, Vec<usize>)> = t.series.iter().take(TOP_SERIES).collect();
    let max = series
        .iter()
        .flat_map(|s| s.2.iter())
        .copied()
        .max()
        .unwrap_or(1)
        .max(1) as f64;
    let resp = fixed_plot("Timeline")
        .height(ui.available_height().max(160.0))
        .legend(Legend::default())
        .default_x_bounds(-0.5, months.len() as f64 - 0.5)
        .default_y_bounds(0.0, max * 1.1)
        .x_axis_formatter(move |mark, _| {
            let i = mark.value.round();
            if (mark.value - i).abs() > 1e-6 || i < 0.0 {
                return String::new();
            }
            m2.get(i as usize).cloned().unwrap_or_default()
        })
        .show(ui, |p| {
            // The bounds follow the data every frame (a plot remembers its
            // first bounds otherwise).
            p.set_plot_bounds(bounds([-0.5, months.len() as f64 - 0.5], [0.0, max * 1.1]));
            for (kind, name, counts) in &series {
                let pts: PlotPoints = counts
                    .iter()
                    .enumerate()
                    .map(|(i, n)| [i as f64, *n as f64])
                    .collect();
                p.line(Line::new(format!("{name} ({})", kind.as_str()), pts));
            }
            p.pointer_coordinate()
        });
    name_plot(&resp.response, "Timeline chart");
    if resp.response.clicked()
        && let Some(at) = resp.inner
    {
        // The series whose point in the clicked month is nearest.
        let i = at.x.round();
        if i >= 0.0 && (i as usize) < months.len() {
            let m = i as usize;
            let best = series.iter().min_by(|a, b| {
                let d = |s: &&&(TagKind, String, Vec<usize>)| (s.2[m] as f64 - at.y).abs();
                d(a).total_cmp(&d(b))
            });
            if let Some((kind, name, _)) = best {
                intents.push(
                    ChartIntent::Open(ChartPick::Month(*kind, name.clone(), months[m].clone()))
                        .into(),
                );
            }
        }
    }
}

fn coders_ui(ui: &mut egui::Ui, v: &mut ChartsView, intents: &mut Vec<Intent>) {
    let rows = &v.data.coders;
    if rows.is_empty() {
        ui.label("No annotation matches the filter.");
        return;
    }
    ui.weak("Documents each coder coded in, by the document's status (hover for annotations)");
    let n = rows.len();
    let names: Vec<String> = rows
        .iter()
        .map(|r| {
            if r.coder.is_empty() {
                "(no coder)".to_owned()
            } else {
                r.coder.clone()
            }
        })
        .collect();
    let max = rows
        .iter()
        .map(|r| r.total_documents())
        .max()
        .unwrap_or(1)
        .max(1) as f64;
    let colors = [
        egui::Color32::from_rgb(0x00, 0x9e, 0x73),
        egui::Color32::from_rgb(0xe6, 0x9f, 0x00),
        egui::Color32::from_rgb(0x99, 0x99, 0x99),
    ];
    let mut charts: Vec<BarChart> = Vec::new();
    for (k, label) in ["done", "in progress", "to do"].into_iter().enumerate() {
        let bars: Vec<Bar> = rows
            .iter()
            .enumerate()
            .map(|(i, r)| {
                Bar::new((n - 1 - i) as f64, r.documents[k] as f64)
                    .name(format!("{} ({} annotations)", names[i], r.annotations))
                    .width(0.7)
            })
            .collect();
        let refs: Vec<&BarChart> = charts.iter().collect();
        let chart = BarChart::new(label.to_owned(), bars)
            .horizontal()
            .color(colors[k])
            .stack_on(&refs);
        charts.push(chart);
    }
    let labels = names.clone();
    let resp = fixed_plot("Coders")
        .height(ui.available_height().max(120.0))
        .legend(Legend::default())
        .default_x_bounds(0.0, max * 1.05)
        .default_y_bounds(-0.5, n as f64 - 0.5)
        .y_axis_min_width(90.0)
        .y_axis_formatter(move |mark, _| axis_name(&labels, n, mark.value))
        .show(ui, |p| {
            // The bounds follow the data every frame (a plot remembers its
            // first bounds otherwise).
            p.set_plot_bounds(bounds([0.0, max * 1.05], [-0.5, n as f64 - 0.5]));
            for c in charts {
                p.bar_chart(c);
            }
            p.pointer_coordinate()
        });
    name_plot(&resp.response, "Coders chart");
    if resp.response.clicked()
        && let Some(at) = resp.inner
        && let Some(r) = row_at(at.y, n)
    {
        intents.push(ChartIntent::Open(ChartPick::Coder(rows[r].coder.clone())).into());
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rows_and_cells_map_from_plot_points() {
        assert_eq!(row_at(2.0, 3), Some(0));
        assert_eq!(row_at(0.2, 3), Some(2));
        assert_eq!(row_at(-0.7, 3), None);
        assert_eq!(cell_at(PlotPoint::new(1.5, 0.2), 2, 3), Some((1, 1)));
        assert_eq!(cell_at(PlotPoint::new(0.1, 1.9), 2, 3), Some((0, 0)));
        assert_eq!(cell_at(PlotPoint::new(3.1, 0.5), 2, 3), None);
        let names = vec!["a".to_owned(), "b".to_owned()];
        assert_eq!(cell_name(&names, 1.5, true, 2), "a");
        assert_eq!(cell_name(&names, 1.5, false, 2), "b");
        assert_eq!(cell_name(&names, 1.0, false, 2), "");
    }
}
