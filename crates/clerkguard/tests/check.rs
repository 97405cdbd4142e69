//! `clerkguard check` end to end: the built binary on temp-dir Next.js projects.

mod common;

use common::{Project, SECRET, STALE_SUPPRESSION};

const CLEAN_ACTION: &str = r#""use server";

import { auth } from "@clerk/nextjs/server";

export async function whoAmI() {
  const { userId } = await auth();
  return userId;
}
"#;

fn clean_project() -> Project {
    let project = Project::new();
    project.write("app/actions.ts", CLEAN_ACTION);
    project
}

#[test]
fn clean_project_exits_zero() {
    let run = clean_project().run(&["check"]);
    run.assert_code(0);
    // app/actions.ts and package.json (rules report on dependency lines too).
    assert!(run.stdout.contains("No issues found (2 files checked)"), "{}", run.stdout);
}

#[test]
fn warnings_alone_exit_zero() {
    let project = clean_project();
    project.write("lib/version.ts", STALE_SUPPRESSION);
    let run = project.run(&["check"]);
    run.assert_code(0);
    assert!(run.stdout.contains("warning[suppression-unused]"), "{}", run.stdout);
}

#[test]
fn error_severity_findings_exit_one() {
    let project = clean_project();
    project.write("lib/version.ts", STALE_SUPPRESSION);
    project.write("clerkguard.json", r#"{ "rules": { "suppression-unused": "error" } }"#);
    let run = project.run(&["check"]);
    run.assert_code(1);
    assert!(run.stdout.contains("error[suppression-unused]"), "{}", run.stdout);
}

#[test]
fn usage_errors_exit_two() {
    let project = clean_project();
    let missing = project.run(&["check", "no/such/dir"]);
    missing.assert_code(2);
    assert!(missing.stderr.contains("cannot check no/such/dir"), "{}", missing.stderr);

    let unknown = project.run(&["check", "--rule", "suppresion-unused"]);
    unknown.assert_code(2);
    assert!(unknown.stderr.contains("did you mean `suppression-unused`?"), "{}", unknown.stderr);

    project.run(&["check", "--format", "xml"]).assert_code(2);
    project.run(&["check", "--unsafe-fixes"]).assert_code(2);
    project.run(&["check", "--config", "missing.json"]).assert_code(2);

    project.write("bad.json", "{ \"rules\": { \"parse-error\": \"loud\" } }");
    let bad = project.run(&["check", "--config", "bad.json"]);
    bad.assert_code(2);
    assert!(bad.stderr.contains("unknown level `loud`"), "{}", bad.stderr);

    project.write("clerkguard.json", "{ not json");
    let broken = project.run(&["check"]);
    broken.assert_code(2);
    assert!(broken.stderr.contains("invalid configuration"), "{}", broken.stderr);
}

#[test]
fn explicit_config_replaces_the_project_config() {
    let project = clean_project();
    project.write("lib/version.ts", STALE_SUPPRESSION);
    project.write("strict.json", r#"{ "rules": { "suppression-unused": "error" } }"#);
    project.run(&["check"]).assert_code(0);
    project.run(&["check", "--config", "strict.json"]).assert_code(1);
}

#[test]
fn rule_filter_turns_other_rules_off() {
    let project = clean_project();
    project.write("lib/version.ts", STALE_SUPPRESSION);
    project.write("lib/broken.ts", "export const = ;\n");
    let all = project.run(&["check", "--format", "json"]).assert_code(0).json();
    let rules: Vec<&str> = all.as_array().unwrap().iter().map(|d| d["rule"].as_str().unwrap()).collect();
    assert!(rules.contains(&"parse-error") && rules.contains(&"suppression-unused"), "{rules:?}");

    let only = project.run(&["check", "--format", "json", "--rule", "parse-error"]).assert_code(0).json();
    let rules: Vec<&str> = only.as_array().unwrap().iter().map(|d| d["rule"].as_str().unwrap()).collect();
    assert_eq!(rules, ["parse-error"]);
}

#[test]
fn paths_may_be_files_or_directories() {
    let project = clean_project();
    project.write("lib/version.ts", STALE_SUPPRESSION);
    let file = project.run(&["check", "--format", "json", "app/actions.ts"]).assert_code(0).json();
    assert_eq!(file.as_array().unwrap().len(), 0);
    let dir = project.run(&["check", "--format", "json", "lib"]).assert_code(0).json();
    assert_eq!(dir[0]["path"], "lib/version.ts");
    let other = project.run(&["check", "README.md", "app"]);
    assert_eq!(other.code, 2, "README.md does not exist yet");
    project.write("README.md", "# app\n");
    let other = project.run(&["check", "README.md", "app"]);
    other.assert_code(0);
    assert!(other.stderr.contains("note: skipped README.md: not a JavaScript or TypeScript file"), "{}", other.stderr);
}

#[test]
fn json_output_has_a_stable_shape() {
    let project = clean_project();
    project.write("lib/version.ts", format!("const s = \"日本\";\n{STALE_SUPPRESSION}"));
    let json = project.run(&["check", "--format", "json"]).assert_code(0).json();
    let findings = json.as_array().expect("an array");
    assert_eq!(findings.len(), 1, "{json:#}");
    let d = &findings[0];
    assert_eq!(d["rule"], "suppression-unused");
    assert_eq!(d["severity"], "warning");
    assert_eq!(d["path"], "lib/version.ts");
    assert_eq!(d["range"]["start"], serde_json::json!({ "line": 2, "column": 1 }));
    assert_eq!(d["range"]["end"]["line"], 2);
    let start = "const s = \"日本\";\n".len();
    assert_eq!(d["byteRange"]["start"], start);
    assert!(d["message"].as_str().unwrap().contains("foo"));
    assert!(d["help"].is_null());
    assert_eq!(d["url"], "https://github.com/clerkguard/clerkguard/blob/main/docs/rules/suppression-unused.md");
    assert_eq!(d["fix"]["applicability"], "safe");
    let edit = &d["fix"]["edits"][0];
    assert_eq!(edit["path"], "lib/version.ts");
    assert_eq!(edit["newText"], "");
    assert_eq!(edit["range"]["start"], serde_json::json!({ "line": 2, "column": 1 }));
    assert_eq!(edit["range"]["end"], serde_json::json!({ "line": 3, "column": 1 }));
    assert_eq!(d["related"], serde_json::json!([]));
}

#[test]
fn json_columns_count_utf16_code_units() {
    let project = Project::new();
    // The comment starts after `🚀` (2 UTF-16 units) and `;` and a space on its line.
    project.write("lib/a.ts", "const r = \"🚀\"; // clerkguard-ignore-line foo -- why\n");
    let json = project.run(&["check", "--format", "json"]).assert_code(0).json();
    let d = &json[0];
    assert_eq!(d["range"]["start"]["column"], 17, "{json:#}");
    assert_eq!(d["byteRange"]["start"], "const r = \"🚀\"; ".len());
}

#[test]
fn github_format_escapes_workflow_commands() {
    let project = Project::new();
    project.write("lib/a,b.ts", "// clerkguard-ignore-next-line 100% -- why\nexport const x = 1;\n");
    let run = project.run(&["check", "--format", "github"]);
    run.assert_code(0);
    let line = run.stdout.lines().next().expect("one annotation");
    assert!(
        line.starts_with("::warning file=lib/a%2Cb.ts,line=1,endLine=1,col=1,endColumn=43,title=suppression-unused::"),
        "{line}"
    );
    assert!(line.ends_with("Unknown rule id in suppression: 100%25"), "{line}");
    assert_eq!(run.stdout.lines().count(), 1);
}

#[test]
fn github_format_puts_help_on_an_escaped_second_line_and_maps_levels() {
    let project = Project::new();
    project.write("lib/a.ts", "// clerkguard-ignore-next-line foo\nexport const x = 1;\n");
    project.write("clerkguard.json", r#"{ "rules": { "suppression-without-reason": "hint" } }"#);
    let run = project.run(&["check", "--format", "github"]);
    let notice = run.stdout.lines().find(|l| l.starts_with("::notice")).expect("a notice for the hint");
    assert!(notice.contains("title=suppression-without-reason::This suppression gives no reason%0Ahelp: "), "{notice}");
}

#[test]
fn skipped_files_get_a_note_and_no_crash() {
    let project = clean_project();
    project.write("lib/blob.ts", b"export const x = 1;\0\0\0binary".as_slice());
    project.write("lib/latin1.ts", b"export const caf\xe9 = 1;\n".as_slice());
    project.write("lib/huge.ts", "// padding\n".repeat(250_000));
    let run = project.run(&["check"]);
    run.assert_code(0);
    assert!(run.stderr.contains("note: skipped lib/blob.ts: file looks binary"), "{}", run.stderr);
    assert!(run.stderr.contains("note: skipped lib/latin1.ts: file is not valid UTF-8"), "{}", run.stderr);
    assert!(run.stderr.contains("note: skipped lib/huge.ts: file is too large"), "{}", run.stderr);
    assert!(run.stdout.contains("(2 files checked)"), "{}", run.stdout);
}

#[test]
fn stats_go_to_stderr() {
    let run = clean_project().run(&["check", "--stats", "--format", "json"]);
    run.assert_code(0);
    assert!(run.stderr.contains("stats: 2 files,"), "{}", run.stderr);
    assert!(run.stderr.contains("files/s") && run.stderr.contains("MB/s"), "{}", run.stderr);
    assert_eq!(run.json(), serde_json::json!([]));
}

#[test]
fn fix_removes_the_stale_suppression_and_relints_clean() {
    let project = clean_project();
    project.write("lib/version.ts", STALE_SUPPRESSION);
    project.write("lib/other.ts", format!("export const a = 1;\n{STALE_SUPPRESSION}"));
    let run = project.run(&["check", "--fix"]);
    run.assert_code(0);
    assert!(run.stdout.contains("Fixed 2 issues in 2 files"), "{}", run.stdout);
    assert!(!run.stdout.contains("suppression-unused"), "remaining findings are reported: {}", run.stdout);
    assert_eq!(project.read("lib/version.ts"), "export const VERSION = 3;\n");
    assert_eq!(project.read("lib/other.ts"), "export const a = 1;\nexport const VERSION = 3;\n");

    let again = project.run(&["check", "--format", "json", "--rule", "suppression-unused"]);
    again.assert_code(0);
    assert_eq!(again.json(), serde_json::json!([]));
}

#[test]
fn fix_in_machine_formats_keeps_stdout_parseable() {
    let project = clean_project();
    project.write("lib/version.ts", STALE_SUPPRESSION);
    let run = project.run(&["check", "--fix", "--format", "json"]);
    run.assert_code(0);
    assert_eq!(run.json(), serde_json::json!([]));
    assert!(run.stderr.contains("Fixed 1 issue in 1 file"), "{}", run.stderr);
}

#[test]
fn fix_leaves_files_without_fixes_untouched() {
    let project = clean_project();
    project.write("lib/x.ts", "// clerkguard-ignore-next-line foo\nexport const x = 1;\n");
    project.write("clerkguard.json", r#"{ "rules": { "suppression-unused": "off" } }"#);
    let run = project.run(&["check", "--fix"]);
    run.assert_code(0);
    assert!(run.stdout.contains("Fixed 0 issues in 0 files"), "{}", run.stdout);
    assert_eq!(project.read("lib/x.ts"), "// clerkguard-ignore-next-line foo\nexport const x = 1;\n");
}

#[test]
fn secrets_are_masked_in_every_format() {
    let project = Project::new();
    // An unknown "rule id" that is a secret key ends up in the message and the code frame.
    project.write("lib/keys.ts", format!("// clerkguard-ignore-next-line {SECRET} -- why\nexport const x = 1;\n"));
    for format in ["pretty", "json", "sarif", "github"] {
        let run = project.run(&["check", "--format", format]);
        run.assert_code(0);
        assert!(
            !run.stdout.contains(SECRET) && !run.stderr.contains(SECRET),
            "{format} leaks the secret:\n{}",
            run.stdout
        );
        assert!(run.stdout.contains("sk_live_…9f2c"), "{format} does not show the masked key:\n{}", run.stdout);
    }
}

#[test]
fn hardcoded_secret_findings_are_masked_in_every_format() {
    let project = Project::new();
    project.write("lib/clerk.ts", format!("export const secretKey = \"{SECRET}\";\n"));
    project.write(".env", format!("CLERK_SECRET_KEY={SECRET}\n"));
    for format in ["pretty", "json", "sarif", "github"] {
        let run = project.run(&["check", "--format", format]);
        run.assert_code(1);
        assert!(
            !run.stdout.contains(SECRET) && !run.stderr.contains(SECRET),
            "{format} leaks the secret:\n{}",
            run.stdout
        );
        assert!(run.stdout.contains("hardcoded-clerk-secret"), "{format} misses the finding:\n{}", run.stdout);
        assert!(run.stdout.contains("sk_live_…9f2c"), "{format} does not show the masked key:\n{}", run.stdout);
        assert!(run.stdout.contains(".env"), "{format} does not report the env file:\n{}", run.stdout);
    }
    // The fix swaps the literal for the env read; the secret leaves the source file.
    project.run(&["check", "--fix", "--unsafe-fixes", "--rule", "hardcoded-clerk-secret"]);
    assert_eq!(project.read("lib/clerk.ts"), "export const secretKey = process.env.CLERK_SECRET_KEY;\n");
}

#[test]
fn colour_only_when_asked_or_on_a_terminal() {
    let project = clean_project();
    project.write("lib/version.ts", STALE_SUPPRESSION);
    assert!(!project.run(&["check"]).stdout.contains('\x1b'));
    assert!(project.run(&["check", "--color", "always"]).stdout.contains("\x1b[1;33m"));
}

const UNGUARDED_ACTION: &str = r#""use server";
import { db } from "@/lib/db";

export async function deletePost(id: string) {
  await db.post.delete({ where: { id } });
}
"#;

#[test]
fn real_rule_error_exits_one_and_unsafe_fix_converges() {
    let project = Project::new();
    project.write("app/actions.ts", UNGUARDED_ACTION);
    let json = project.run(&["check", "--format", "json"]).assert_code(1).json();
    let finding = json.as_array().unwrap().iter().find(|d| d["rule"] == "server-action-missing-auth").expect("found");
    assert_eq!(finding["severity"], "error");

    // The fix is unsafe: `--fix` alone leaves the file alone.
    project.run(&["check", "--fix"]).assert_code(1);
    assert_eq!(project.read("app/actions.ts"), UNGUARDED_ACTION);

    let fixed = project.run(&["check", "--fix", "--unsafe-fixes", "--format", "json"]);
    fixed.assert_code(0);
    assert_eq!(fixed.json(), serde_json::json!([]), "{}", project.read("app/actions.ts"));
    assert!(project.read("app/actions.ts").contains("await auth()"));
}
