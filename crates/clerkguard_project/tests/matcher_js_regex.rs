//! RegExp literals in `createRouteMatcher`, translated to fancy-regex, against Node.js's
//! `new RegExp(source, flags).test(path)` (`g`/`y` dropped: each call as if it were the first).

use clerkguard_project::matcher::Pattern;

const PATHS: &[&str] = &[
    r#"/admin"#,
    r#"/ADMIN/x"#,
    r#"/org/admin"#,
    r#"/api/public"#,
    r#"/api/private"#,
    r#"/users/42"#,
    r#"/users/jo-hn"#,
    r#"/x.json"#,
    r#"/a-b.json"#,
    r#"a{,3}"#,
    r#"/xx"#,
    r#"/an api call"#,
    r#"/rapid"#,
    r#"/EN/x"#,
    r#"/de/y"#,
    r#"/"#,
    r#""#,
    r#"/café"#,
    r#"/A"#,
    r#"/[x"#,
    r#"/dash"#,
    r#"/a/a"#,
    r#"/a/b"#,
    r#"/:id"#,
    r#"/12.5"#,
    r#"/cafe"#,
];

/// (source, flags, `Y`/`n` per path in `PATHS`).
const CASES: &[(&str, &str, &str)] = &[
    (r#"^\/admin"#, "", "Ynnnnnnnnnnnnnnnnnnnnnnnnn"),
    (r#"\/admin"#, "i", "YYYnnnnnnnnnnnnnnnnnnnnnnn"),
    (r#"^\/api\/(?!public)"#, "", "nnnnYnnnnnnnnnnnnnnnnnnnnn"),
    (r#"\d+"#, "", "nnnnnYnnnYnnnnnnnnnnnnnnYn"),
    (r#"^\/users\/\w+$"#, "", "nnnnnYnnnnnnnnnnnnnnnnnnnn"),
    (r#"[\w-]+\.json$"#, "", "nnnnnnnYYnnnnnnnnnnnnnnnnn"),
    (r#"a{,3}"#, "", "nnnnnnnnnYnnnnnnnnnnnnnnnn"),
    (r#"^\/x{2}$"#, "", "nnnnnnnnnnYnnnnnnnnnnnnnnn"),
    (r#"\bapi\b"#, "", "nnnYYnnnnnnYnnnnnnnnnnnnnn"),
    (r#"^\/(?:en|de)\/"#, "i", "nnnnnnnnnnnnnYYnnnnnnnnnnn"),
    (r#"[^]"#, "", "YYYYYYYYYYYYYYYYnYYYYYYYYY"),
    (r#"\u00e9"#, "", "nnnnnnnnnnnnnnnnnYnnnnnnnn"),
    (r#"[\d.]+$"#, "", "nnnnnYnnnnnnnnnnnnnnnnnnYn"),
    (r#"\x41"#, "i", "YYYYYnnnYYnYYnnnnYYnYYYnnY"),
    (r#"^\/[[]"#, "", "nnnnnnnnnnnnnnnnnnnYnnnnnn"),
    (r#"(?<=\/)dash"#, "", "nnnnnnnnnnnnnnnnnnnnYnnnnn"),
    (r#"^\/(\w+)\/\1$"#, "", "nnnnnnnnnnnnnnnnnnnnnYnnnn"),
    (r#"\/\:id"#, "", "nnnnnnnnnnnnnnnnnnnnnnnYnn"),
    (r#"^\/caf\S$"#, "", "nnnnnnnnnnnnnnnnnYnnnnnnnY"),
    (r#"\."#, "gy", "nnnnnnnYYnnnnnnnnnnnnnnnYn"),
];

#[test]
fn agrees_with_javascript_regexp() {
    let mut failures = Vec::new();
    for &(source, flags, expected) in CASES {
        let actual: String = match Pattern::compile_regexp(source, flags) {
            Ok(p) => PATHS.iter().map(|x| if p.is_match_pathname(x) { 'Y' } else { 'n' }).collect(),
            Err(e) => format!("ERR {e}"),
        };
        if actual != expected {
            failures.push(format!("/{source}/{flags}\n  got    {actual}\n  expect {expected}"));
        }
    }
    assert!(failures.is_empty(), "{} of {} cases differ:\n{}", failures.len(), CASES.len(), failures.join("\n"));
}
