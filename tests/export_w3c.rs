//! The W3C export against the W3C Web Annotation test suite's MUST
//! assertions (tests/fixtures/w3c, unchanged), as check_w3c.py does it:
//! every definitions/*.json in the registry, each assertion schema run on
//! each annotation, an "or" group passing when any of its schemas passes.

mod export_support;

use export_support::{multi, sample};
use marginalia::core::export::{ExportDoc, Filter, w3c};
use serde_json::Value;
use std::path::{Path, PathBuf};

const BASE: &str = "json-schema:///";

fn suite() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/w3c")
}

fn read(p: &Path) -> Value {
    serde_json::from_str(&std::fs::read_to_string(p).unwrap()).unwrap()
}

/// Assertion files of annotationMusts.test: one path, or an "or" group.
fn musts() -> Vec<Vec<PathBuf>> {
    let spec = read(&suite().join("annotations/annotationMusts.test"));
    spec["assertions"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| match e {
            Value::String(s) => vec![suite().join(s)],
            Value::Object(o) => o["assertions"]
                .as_array()
                .unwrap()
                .iter()
                .filter_map(Value::as_str)
                .map(|s| suite().join(s))
                .collect(),
            other => panic!("unexpected assertion entry {other}"),
        })
        .collect()
}

struct Checker {
    groups: Vec<Vec<(jsonschema::Validator, bool, String)>>,
}

impl Checker {
    fn new() -> Checker {
        let mut registry = jsonschema::Registry::new();
        for e in std::fs::read_dir(suite().join("definitions")).unwrap() {
            let p = e.unwrap().path();
            if p.extension().is_none_or(|x| x != "json") {
                continue;
            }
            let name = p.file_name().unwrap().to_string_lossy().into_owned();
            registry = registry.add(format!("{BASE}{name}"), read(&p)).unwrap();
        }
        let registry = Box::leak(Box::new(registry.prepare().unwrap()));
        let groups: Vec<Vec<_>> = musts()
            .into_iter()
            .map(|group| {
                group
                    .into_iter()
                    .map(|p| {
                        let schema = read(&p);
                        let expected = schema
                            .get("expectedResult")
                            .and_then(Value::as_str)
                            .unwrap_or("valid")
                            == "valid";
                        let msg = schema
                            .get("errorMessage")
                            .and_then(Value::as_str)
                            .unwrap_or_default()
                            .to_owned();
                        let v = jsonschema::options()
                            .with_draft(jsonschema::Draft::Draft4)
                            .with_base_uri(BASE)
                            .with_registry(registry)
                            .build(&schema)
                            .unwrap_or_else(|e| panic!("{}: {e}", p.display()));
                        (v, expected, msg)
                    })
                    .collect()
            })
            .collect();
        assert!(groups.len() > 40, "the MUST list was read");
        Checker { groups }
    }

    /// The failed MUST messages for one annotation.
    fn problems(&self, annotation: &Value) -> Vec<String> {
        self.groups
            .iter()
            .filter(|g| !g.iter().any(|(v, exp, _)| v.is_valid(annotation) == *exp))
            .map(|g| g[0].2.clone())
            .collect()
    }
}

#[test]
fn every_exported_annotation_passes_the_w3c_musts() {
    let checker = Checker::new();
    let (t1, s1) = sample();
    let (t2, s2) = multi();
    let docs = [
        ExportDoc {
            name: "us-pakistan-truce.txt",
            text: &t1,
            set: &s1,
        },
        ExportDoc {
            name: "multi.txt",
            text: &t2,
            set: &s2,
        },
    ];
    let v = w3c::to_value(&docs, &Filter::default());
    let items = v["first"]["items"].as_array().unwrap();
    assert_eq!(items.len(), s1.annotations().len() + s2.annotations().len());
    for item in items {
        let p = checker.problems(item);
        assert!(p.is_empty(), "{}: {p:?}", item["id"]);
    }
}

#[test]
fn the_checker_rejects_broken_annotations() {
    let checker = Checker::new();
    let (t, s) = multi();
    let d = ExportDoc {
        name: "multi.txt",
        text: &t,
        set: &s,
    };
    let good = w3c::annotation_value(&d, &s.annotations()[0]);
    assert!(checker.problems(&good).is_empty());
    let mut no_context = good.clone();
    no_context.as_object_mut().unwrap().remove("@context");
    assert!(!checker.problems(&no_context).is_empty());
    let mut bad_created = good.clone();
    bad_created["created"] = Value::String("yesterday".into());
    assert!(!checker.problems(&bad_created).is_empty());
    let mut bad_selector = good.clone();
    bad_selector["target"]["selector"][0]["exact"] = Value::Null;
    assert!(!checker.problems(&bad_selector).is_empty());
}
