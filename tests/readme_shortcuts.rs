//! The README's shortcut table is generated from the action list
//! (`marginalia::app::actions::markdown_table`): this test fails when the
//! two differ. To update the README, run
//! `UPDATE_README=1 cargo test --test readme_shortcuts`.
#![cfg(feature = "gui")]

use std::path::Path;

const START: &str = "<!-- shortcuts:start -->";
const END: &str = "<!-- shortcuts:end -->";

#[test]
fn readme_table_equals_the_action_list() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("README.md");
    let readme = std::fs::read_to_string(&path).expect("README.md");
    let s = readme.find(START).expect("start marker in README.md") + START.len();
    let e = readme.find(END).expect("end marker in README.md");
    assert!(s <= e, "markers out of order");
    let expected = format!("\n{}", marginalia::app::actions::markdown_table());
    if std::env::var_os("UPDATE_README").is_some() && readme[s..e] != expected {
        let updated = format!("{}{}{}", &readme[..s], expected, &readme[e..]);
        std::fs::write(&path, updated).expect("write README.md");
        return;
    }
    assert_eq!(
        readme[s..e],
        expected,
        "README shortcut table is stale: UPDATE_README=1 cargo test --test readme_shortcuts"
    );
}
