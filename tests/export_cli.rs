//! The export, import-brat and codebook subcommands, run as a user would.

use std::path::{Path, PathBuf};
use std::process::Command;

fn bin() -> Command {
    Command::new(env!("CARGO_BIN_EXE_marginalia"))
}

fn fixtures() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/export")
}

/// A copy of the sample article and its set in a temporary folder.
fn workspace() -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    for f in ["us-pakistan-truce.txt", "us-pakistan-truce.annotations.ron"] {
        std::fs::copy(fixtures().join(f), dir.path().join(f)).unwrap();
    }
    let set = dir.path().join("us-pakistan-truce.annotations.ron");
    (dir, set)
}

fn ok(cmd: &mut Command) -> String {
    let out = cmd.output().unwrap();
    assert!(
        out.status.success(),
        "{cmd:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

#[test]
fn every_format_exports_from_the_command_line() {
    let (dir, set) = workspace();
    for f in ["json", "csv", "md", "html", "w3c", "graphml", "edges"] {
        let out = dir.path().join(format!("out.{f}"));
        ok(bin()
            .arg("export")
            .arg(&set)
            .args(["--format", f, "--out"])
            .arg(&out));
        let s = std::fs::read_to_string(&out).unwrap();
        assert!(s.len() > 200, "{f}: {s}");
    }
    let csv = ok(bin()
        .arg("export")
        .arg(&set)
        .args(["-f", "csv", "--issue", "Drone strikes"]));
    let rows = csv.lines().count();
    assert!(rows > 1);
    let all = ok(bin().arg("export").arg(dir.path()).args(["-f", "csv"]));
    assert!(all.lines().count() > rows, "the folder holds every excerpt");
    let long = ok(bin().arg("export").arg(&set).args(["-f", "csv", "--long"]));
    assert!(long.starts_with("document,id,start,end,kind,tag,excerpt"));
    let net = ok(bin()
        .arg("export")
        .arg(&set)
        .args(["-f", "edges", "--network", "actors"]));
    assert!(net.starts_with("source,target,weight,support,oppose,neutral"));
}

#[test]
fn brat_export_then_import_gives_the_same_annotations() {
    let (dir, set) = workspace();
    let brat = dir.path().join("brat");
    ok(bin()
        .arg("export")
        .arg(&set)
        .args(["-f", "brat", "--out"])
        .arg(&brat));
    let ann = brat.join("us-pakistan-truce.ann");
    assert!(ann.is_file() && brat.join("annotation.conf").is_file());
    // brat needs a folder: standard output is refused
    let refused = bin()
        .arg("export")
        .arg(&set)
        .args(["-f", "brat"])
        .output()
        .unwrap();
    assert!(!refused.status.success());
    ok(bin().arg("import-brat").arg(&ann));
    let again = bin().arg("import-brat").arg(&ann).output().unwrap();
    assert!(
        !again.status.success(),
        "an existing set is not overwritten"
    );
    ok(bin().arg("import-brat").arg(&ann).arg("--force"));
    let a = ok(bin()
        .arg("export")
        .arg(&set)
        .args(["-f", "csv", "--long", "--raw"]));
    let b = ok(bin()
        .arg("export")
        .arg(brat.join("us-pakistan-truce.annotations.ron"))
        .args(["-f", "csv", "--long", "--raw"]));
    let key = |s: &str| -> Vec<String> {
        let mut r = csv::Reader::from_reader(s.as_bytes());
        let mut v: Vec<String> = r
            .records()
            .map(|r| {
                let r = r.unwrap();
                format!("{}|{}|{}|{}|{}", &r[2], &r[3], &r[4], &r[5], &r[6])
            })
            .collect();
        v.sort();
        v
    };
    assert_eq!(key(&a), key(&b));
}

#[test]
fn codebook_exports_and_imports_as_qdc_and_ron() {
    let (dir, set) = workspace();
    for ext in ["qdc", "codebook.ron"] {
        let file = dir.path().join(format!("cb.{ext}"));
        ok(bin()
            .args(["codebook", "export"])
            .arg(&set)
            .arg("--out")
            .arg(&file));
        let text = std::fs::read_to_string(&file).unwrap();
        assert!(text.contains("Hillary Clinton"));
        // import into a fresh article with no set
        let other = dir
            .path()
            .join(format!("other-{}.txt", ext.replace('.', "-")));
        std::fs::write(&other, "Some other article.\n").unwrap();
        ok(bin().args(["codebook", "import"]).arg(&file).arg(&other));
        let new_set = other.with_file_name(format!(
            "{}.annotations.ron",
            other.file_stem().unwrap().to_string_lossy()
        ));
        let saved = std::fs::read_to_string(Path::new(&new_set)).unwrap();
        assert!(
            saved.contains("(name: \"Hillary Clinton\", kind: Actor"),
            "{saved}"
        );
        assert!(saved.contains("(name: \"Drone strikes\", kind: Issue"));
    }
    let bad = dir.path().join("bad.qdc");
    std::fs::write(&bad, "<notxml").unwrap();
    let out = bin()
        .args(["codebook", "import"])
        .arg(&bad)
        .arg(&set)
        .output()
        .unwrap();
    assert!(!out.status.success());
}
