//! `docs/rules/*.md` must match what the rule metadata generates.
//! Regenerate with `UPDATE_DOCS=1 cargo test -p clerkguard_linter --test docs_in_sync`.

use std::collections::BTreeMap;
use std::path::PathBuf;

use clerkguard_linter::docs::generate_rule_docs;

fn docs_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../docs/rules")
}

fn on_disk() -> BTreeMap<String, String> {
    let Ok(entries) = std::fs::read_dir(docs_dir()) else { return BTreeMap::new() };
    entries
        .flatten()
        .filter(|e| e.path().extension().is_some_and(|x| x == "md"))
        .filter_map(|e| Some((e.file_name().to_str()?.to_string(), std::fs::read_to_string(e.path()).ok()?)))
        .collect()
}

#[test]
fn rule_docs_are_in_sync() {
    let expected: BTreeMap<String, String> = generate_rule_docs().into_iter().collect();
    let actual = on_disk();

    if std::env::var_os("UPDATE_DOCS").is_some_and(|v| v == "1") {
        let dir = docs_dir();
        std::fs::create_dir_all(&dir).expect("create docs/rules");
        for (name, text) in &expected {
            if actual.get(name) != Some(text) {
                std::fs::write(dir.join(name), text).expect("write rule doc");
            }
        }
        for name in actual.keys().filter(|n| !expected.contains_key(*n)) {
            std::fs::remove_file(dir.join(name)).expect("remove stale rule doc");
        }
        return;
    }

    let missing: Vec<&String> = expected.keys().filter(|n| !actual.contains_key(*n)).collect();
    let extra: Vec<&String> = actual.keys().filter(|n| !expected.contains_key(*n)).collect();
    let stale: Vec<&String> =
        expected.iter().filter(|(n, text)| actual.get(*n).is_some_and(|a| a != *text)).map(|(n, _)| n).collect();
    assert!(
        missing.is_empty() && extra.is_empty() && stale.is_empty(),
        "docs/rules is out of date with the rule metadata.\n  missing: {missing:?}\n  extra (no such rule): {extra:?}\n  stale: {stale:?}\nRegenerate with: UPDATE_DOCS=1 cargo test -p clerkguard_linter --test docs_in_sync"
    );
}
