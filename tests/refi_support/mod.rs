//! Schema validation for the REFI-QDA tests: `xmllint --schema` against the
//! copies of the REFI schemas in tests/fixtures/refi-qda. A missing
//! `xmllint` fails the test (it is installed by .ci/run); it is never a
//! silent pass.
#![allow(dead_code)]

use std::io::Write;
use std::path::PathBuf;
use std::process::{Command, Stdio};

/// The REFI-QDA codebook schema (`.qdc`).
pub const CODEBOOK_XSD: &str = "Codebook-mrt2019.xsd";
/// The REFI-QDA project schema (`project.qde`).
pub const PROJECT_XSD: &str = "Project-mrt2019.xsd";

/// A schema file in tests/fixtures/refi-qda.
pub fn schema(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/refi-qda")
        .join(name)
}

/// Validates `xml` against the schema `xsd`; `Err` holds xmllint's
/// complaints. Panics when xmllint cannot be run.
pub fn validate(xsd: &str, xml: &[u8]) -> Result<(), String> {
    let mut child = Command::new("xmllint")
        .arg("--noout")
        .arg("--nonet")
        .arg("--schema")
        .arg(schema(xsd))
        .arg("-")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap_or_else(|e| {
            panic!(
                "xmllint is needed to validate against the REFI-QDA schemas \
                 (apt-get install -y libxml2-utils; .ci/run installs it): {e}"
            )
        });
    let mut stdin = child.stdin.take().expect("xmllint stdin");
    stdin.write_all(xml).expect("write to xmllint");
    drop(stdin);
    let out = child.wait_with_output().expect("xmllint ran");
    if out.status.success() {
        Ok(())
    } else {
        Err(String::from_utf8_lossy(&out.stderr).into_owned())
    }
}

/// Asserts that `xml` validates against `xsd`, showing xmllint's messages.
pub fn assert_valid(xsd: &str, xml: &[u8], what: &str) {
    if let Err(e) = validate(xsd, xml) {
        panic!("{what} does not validate against {xsd}:\n{e}");
    }
}
