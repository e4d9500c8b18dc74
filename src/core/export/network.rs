//! The actor–issue network (DNA's two-mode network) and one-mode
//! co-occurrence networks, as GraphML and as a CSV edge list.
//!
//! Invariants:
//! - Nodes are tags used by at least one exported annotation, identified
//!   as `actor:<name>` / `issue:<name>` (GraphML ids `n0`, `n1`, … in that
//!   sorted order); attributes `label`, `kind` and `count` (annotations
//!   carrying the tag).
//! - Two-mode: an edge actor → issue for every pair coded in the same
//!   annotation; `weight` = number of such annotations across all
//!   documents; `support`/`oppose`/`neutral` count those annotations by
//!   stance. One-mode: an undirected edge between two tags of the same kind
//!   coded in the same annotation, counted the same way.
//! - GraphML declares the stance keys only when some annotation has a
//!   stance; the CSV always has the columns `source,target,weight,support,
//!   oppose,neutral` (names, not ids).
//! - Document attributes (a corpus's `outlet`, `country` …) become node
//!   attributes in GraphML: for each attribute name used, a string key
//!   (named `attribute_<name>` when it would clash with `label`, `kind` or
//!   `count`) whose value on a node is the sorted, `; `-joined set of values
//!   of the documents where the node's tag is coded; absent when none of
//!   them has the attribute.
//! - Everything is sorted, so output is deterministic.

use super::{ExportDoc, ExportError, Filter, NetworkMode};
use crate::core::annotation::Stance;
use crate::core::codebook::TagKind;
use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write;

/// A node: the tag's kind and name.
pub type NodeKey = (TagKind, String);

/// Weight and stance counts of one edge.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct EdgeCounts {
    /// Annotations shared by the two nodes.
    pub weight: usize,
    /// Of those, with stance support.
    pub support: usize,
    /// Of those, with stance oppose.
    pub oppose: usize,
    /// Of those, with stance neutral.
    pub neutral: usize,
}

/// A network ready to be written.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Network {
    /// Which network this is.
    pub mode: NetworkMode,
    /// Nodes `(kind, name)` → number of annotations carrying the tag.
    pub nodes: BTreeMap<(TagKind, String), usize>,
    /// Edges `(source, target)` → counts. Two-mode: source actor, target
    /// issue. One-mode: source < target.
    pub edges: BTreeMap<(NodeKey, NodeKey), EdgeCounts>,
    /// True when some exported annotation has a stance.
    pub has_stance: bool,
    /// Every document attribute name used by the exported documents.
    pub attribute_names: Vec<String>,
    /// Per node, per attribute name, the values of the documents where
    /// the node's tag is coded.
    pub node_attributes: BTreeMap<NodeKey, BTreeMap<String, BTreeSet<String>>>,
}

impl Network {
    /// Builds the network of the filtered annotations of all documents.
    pub fn build(docs: &[ExportDoc], filter: &Filter, mode: NetworkMode) -> Network {
        let mut net = Network {
            mode,
            attribute_names: super::attribute_names(docs),
            ..Default::default()
        };
        for d in docs {
            let touched = net.count_document(d, filter, mode);
            if d.set.metadata.attributes.is_empty() {
                continue;
            }
            for key in touched {
                let slot = net.node_attributes.entry(key).or_default();
                for (k, v) in &d.set.metadata.attributes {
                    slot.entry(k.clone()).or_default().insert(v.clone());
                }
            }
        }
        net
    }

    /// Adds one document's filtered annotations to the nodes and edges;
    /// returns the nodes it touched.
    fn count_document(
        &mut self,
        d: &ExportDoc,
        filter: &Filter,
        mode: NetworkMode,
    ) -> BTreeSet<NodeKey> {
        let net = self;
        let mut touched = BTreeSet::new();
        for a in d.excerpts(filter) {
            net.has_stance |= a.stance.is_some();
            let bump = |c: &mut EdgeCounts| {
                c.weight += 1;
                match a.stance {
                    Some(Stance::Support) => c.support += 1,
                    Some(Stance::Oppose) => c.oppose += 1,
                    Some(Stance::Neutral) => c.neutral += 1,
                    None => {}
                }
            };
            let node = |k: TagKind, n: &String| (k, n.clone());
            match mode {
                NetworkMode::TwoMode => {
                    for (k, n) in a.all_tags() {
                        *net.nodes.entry((k, n.to_owned())).or_default() += 1;
                        touched.insert((k, n.to_owned()));
                    }
                    for actor in &a.actors {
                        for issue in &a.issues {
                            let key = (node(TagKind::Actor, actor), node(TagKind::Issue, issue));
                            bump(net.edges.entry(key).or_default());
                        }
                    }
                }
                NetworkMode::Actors | NetworkMode::Issues => {
                    let kind = if mode == NetworkMode::Actors {
                        TagKind::Actor
                    } else {
                        TagKind::Issue
                    };
                    let tags = a.tags(kind);
                    for n in tags {
                        *net.nodes.entry(node(kind, n)).or_default() += 1;
                        touched.insert(node(kind, n));
                    }
                    // tags are sorted, so i < j gives source < target
                    for (i, s) in tags.iter().enumerate() {
                        for t in &tags[i + 1..] {
                            let key = (node(kind, s), node(kind, t));
                            bump(net.edges.entry(key).or_default());
                        }
                    }
                }
            }
        }
        touched
    }

    /// GraphML (loads in networkx and Gephi). Undirected for one-mode
    /// networks, and for two-mode too (actor–issue ties have no direction).
    pub fn to_graphml(&self) -> String {
        use super::html::escape;
        let mut out = String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
        out.push_str("<graphml xmlns=\"http://graphml.graphdrawing.org/xmlns\" xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\" xsi:schemaLocation=\"http://graphml.graphdrawing.org/xmlns http://graphml.graphdrawing.org/xmlns/1.0/graphml.xsd\">\n");
        out.push_str(
            "  <key id=\"label\" for=\"node\" attr.name=\"label\" attr.type=\"string\"/>\n",
        );
        out.push_str("  <key id=\"kind\" for=\"node\" attr.name=\"kind\" attr.type=\"string\"/>\n");
        out.push_str("  <key id=\"count\" for=\"node\" attr.name=\"count\" attr.type=\"int\"/>\n");
        for (i, name) in self.attribute_names.iter().enumerate() {
            let name = super::attribute_column(name, &["label", "kind", "count"]);
            let _ = writeln!(
                out,
                "  <key id=\"a{i}\" for=\"node\" attr.name=\"{}\" attr.type=\"string\"/>",
                escape(&name)
            );
        }
        out.push_str(
            "  <key id=\"weight\" for=\"edge\" attr.name=\"weight\" attr.type=\"double\"/>\n",
        );
        if self.has_stance {
            for s in ["support", "oppose", "neutral"] {
                let _ = writeln!(
                    out,
                    "  <key id=\"{s}\" for=\"edge\" attr.name=\"{s}\" attr.type=\"int\"/>"
                );
            }
        }
        let _ = writeln!(out, "  <graph id=\"G\" edgedefault=\"undirected\">");
        let mut ids = BTreeMap::new();
        for (i, ((kind, name), count)) in self.nodes.iter().enumerate() {
            let id = format!("n{i}");
            let _ = write!(
                out,
                "    <node id=\"{id}\"><data key=\"label\">{}</data><data key=\"kind\">{kind}</data><data key=\"count\">{count}</data>",
                escape(name)
            );
            if let Some(attrs) = self.node_attributes.get(&(*kind, name.clone())) {
                for (j, a) in self.attribute_names.iter().enumerate() {
                    if let Some(values) = attrs.get(a) {
                        let joined: Vec<&str> = values.iter().map(String::as_str).collect();
                        let _ = write!(
                            out,
                            "<data key=\"a{j}\">{}</data>",
                            escape(&joined.join(super::csv::JOIN))
                        );
                    }
                }
            }
            out.push_str("</node>\n");
            ids.insert((*kind, name.clone()), id);
        }
        for (i, ((s, t), c)) in self.edges.iter().enumerate() {
            let (Some(si), Some(ti)) = (ids.get(s), ids.get(t)) else {
                continue;
            };
            let _ = write!(
                out,
                "    <edge id=\"e{i}\" source=\"{si}\" target=\"{ti}\"><data key=\"weight\">{}</data>",
                c.weight
            );
            if self.has_stance {
                let _ = write!(
                    out,
                    "<data key=\"support\">{}</data><data key=\"oppose\">{}</data><data key=\"neutral\">{}</data>",
                    c.support, c.oppose, c.neutral
                );
            }
            out.push_str("</edge>\n");
        }
        out.push_str("  </graph>\n</graphml>\n");
        out
    }

    /// The edge list `source,target,weight,support,oppose,neutral` (tag
    /// names; formula-like names neutralised unless `raw`).
    pub fn to_edges_csv(&self, raw: bool) -> Result<String, ExportError> {
        let cell = |s: &str| {
            if raw {
                s.to_owned()
            } else {
                super::csv::neutralize(s)
            }
        };
        let err = |e: csv::Error| ExportError::Format(e.to_string());
        let mut w = csv::WriterBuilder::new()
            .terminator(csv::Terminator::CRLF)
            .from_writer(Vec::new());
        w.write_record(["source", "target", "weight", "support", "oppose", "neutral"])
            .map_err(err)?;
        for ((s, t), c) in &self.edges {
            w.write_record([
                cell(&s.1),
                cell(&t.1),
                c.weight.to_string(),
                c.support.to_string(),
                c.oppose.to_string(),
                c.neutral.to_string(),
            ])
            .map_err(err)?;
        }
        let bytes = w
            .into_inner()
            .map_err(|e| ExportError::Format(e.to_string()))?;
        String::from_utf8(bytes).map_err(|e| ExportError::Format(e.to_string()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::annotation::Annotation;
    use crate::core::set::{AnnotationSet, SourceRef};
    use crate::core::text::Text;

    fn set(text: &Text, tags: &[(&str, &str)], attrs: &[(&str, &str)]) -> AnnotationSet {
        let mut s = AnnotationSet::new(SourceRef::default());
        let anns = tags
            .iter()
            .enumerate()
            .map(|(i, (actor, issue))| {
                let mut a = Annotation::new(format!("a{i}"), text, 0, 4, "t");
                a.actors = vec![(*actor).to_owned()];
                a.issues = vec![(*issue).to_owned()];
                a
            })
            .collect();
        s.set_annotations(anns);
        for (k, v) in attrs {
            s.metadata.attributes.insert((*k).into(), (*v).into());
        }
        s
    }

    #[test]
    fn document_attributes_become_node_attributes_of_the_documents_a_tag_is_coded_in() {
        let text = Text::new("ISI said so.".into());
        let a = set(
            &text,
            &[("ISI", "Drones")],
            &[("outlet", "Dawn"), ("label", "x")],
        );
        let b = set(&text, &[("ISI", "Trade")], &[("outlet", "The Nation")]);
        let c = set(&text, &[("Army", "Trade")], &[]);
        let docs = [
            ExportDoc {
                name: "a",
                text: &text,
                set: &a,
            },
            ExportDoc {
                name: "b",
                text: &text,
                set: &b,
            },
            ExportDoc {
                name: "c",
                text: &text,
                set: &c,
            },
        ];
        let net = Network::build(&docs, &Filter::default(), NetworkMode::TwoMode);
        let xml = net.to_graphml();
        assert!(xml.contains(
            "<key id=\"a0\" for=\"node\" attr.name=\"attribute_label\" attr.type=\"string\"/>"
        ));
        assert!(xml.contains("<key id=\"a1\" for=\"node\" attr.name=\"outlet\""));
        // ISI is coded in a (Dawn) and b (The Nation); Army only in c.
        let node = |label: &str| {
            let at = xml
                .find(&format!("<data key=\"label\">{label}</data>"))
                .unwrap();
            let end = at + xml[at..].find("</node>").unwrap();
            xml[at..end].to_owned()
        };
        assert!(
            node("ISI")
                .ends_with("<data key=\"a0\">x</data><data key=\"a1\">Dawn; The Nation</data>")
        );
        assert!(node("Trade").ends_with("<data key=\"a1\">The Nation</data>"));
        assert!(node("Army").ends_with("<data key=\"count\">1</data>"));
        // The same input gives the same bytes.
        assert_eq!(
            Network::build(&docs, &Filter::default(), NetworkMode::TwoMode).to_graphml(),
            xml
        );
    }
}
