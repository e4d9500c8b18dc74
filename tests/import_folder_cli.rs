//! `marginalia import-folder` run as a real binary: the preview writes
//! nothing, `--yes` writes one set per file with the pattern's fields, a
//! bad pattern is refused with a clear message.

mod cli_support;
use cli_support::run;

#[test]
fn the_preview_writes_nothing_and_yes_writes_the_sets() {
    let d = tempfile::tempdir().unwrap();
    let r = d.path();
    std::fs::write(r.join("2012-07-04_dawn_truce.md"), "# Truce\n\nHeld.\n").unwrap();
    std::fs::write(
        r.join("20120705_the-nation_drones.txt"),
        "\u{feff}Drones\r\n\r\nStrikes.\r\n",
    )
    .unwrap();
    let dir = r.to_str().unwrap();
    let (code, out, _) = run(&["import-folder", dir, "--pattern", "{date}_{outlet}_{title}"]);
    assert_eq!(code, 0);
    assert!(
        out.contains("2012-07-04_dawn_truce.md\t2012-07-04\tdawn\ttruce\n"),
        "{out}"
    );
    assert!(
        out.contains("20120705_the-nation_drones.txt\t2012-07-05\tthe nation\tdrones\n"),
        "{out}"
    );
    assert!(
        out.ends_with("2 of 2 files would be imported; run again with --yes to write their sets\n")
    );
    assert!(!r.join("2012-07-04_dawn_truce.annotations.ron").exists());
    let (code, out, err) = run(&[
        "import-folder",
        dir,
        "--pattern",
        "{date}_{outlet}_{title}",
        "--yes",
    ]);
    assert_eq!(code, 0, "{err}");
    assert!(out.ends_with("2 sets written\n"), "{out}");
    let set =
        marginalia::core::store::load(&r.join("2012-07-04_dawn_truce.annotations.ron")).unwrap();
    assert_eq!(set.metadata.title.as_deref(), Some("truce"));
    assert!(r.join("2012-07-04_dawn_truce.text.txt").is_file());
    // Again: both have sets now and are left alone.
    let (_, out, _) = run(&["import-folder", dir, "--pattern", "{date}_{outlet}_{title}"]);
    assert!(out.contains("(already has a set: left as it is)"), "{out}");
    assert!(
        out.ends_with("0 of 2 files would be imported; run again with --yes to write their sets\n")
    );
    let (code, _, err) = run(&["import-folder", dir, "--pattern", "{author}"]);
    assert_eq!(code, 2);
    assert!(err.contains("unknown field {author}"), "{err}");
}
