//! The README's lifecycle table is the one `lapor-local lifecycle` prints from the code.

use std::process::Command;

#[test]
fn the_readme_shows_the_lifecycle_the_code_enforces() {
    let printed = Command::new(env!("CARGO_BIN_EXE_lapor-local"))
        .arg("lifecycle")
        .output()
        .expect("lapor-local runs");
    assert!(printed.status.success());
    let printed = String::from_utf8(printed.stdout).expect("the table is text");
    let readme = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/../../README.md"))
        .expect("the README is readable");
    let start = "<!-- lifecycle:start -->\n";
    let shown = readme
        .split_once(start)
        .and_then(|(_, rest)| rest.split_once("<!-- lifecycle:end -->"))
        .map(|(table, _)| table)
        .expect("the README marks its lifecycle table");
    assert_eq!(
        shown, printed,
        "README.md's lifecycle table is out of date: paste `cargo run -p lapor-local -- lifecycle`"
    );
}
