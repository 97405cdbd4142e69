//! `--format sarif` output validates against the vendored OASIS SARIF 2.1.0 schema.

mod common;

use common::{Project, STALE_SUPPRESSION};

fn sarif_validator() -> jsonschema::Validator {
    let schema: serde_json::Value =
        serde_json::from_str(include_str!("schemas/sarif-2.1.0.json")).expect("the vendored schema is JSON");
    jsonschema::options().should_validate_formats(true).build(&schema).expect("the vendored schema compiles")
}

fn assert_valid(sarif: &serde_json::Value) {
    let validator = sarif_validator();
    let errors: Vec<String> = validator.iter_errors(sarif).map(|e| format!("{} at {}", e, e.instance_path)).collect();
    assert!(errors.is_empty(), "SARIF does not validate:\n{}\n{sarif:#}", errors.join("\n"));
}

#[test]
fn sarif_with_findings_and_fixes_validates() {
    let project = Project::new();
    project.write("app/(auth)/[id]/page.tsx", format!("const s = \"🚀\";\n{STALE_SUPPRESSION}"));
    project.write("lib/broken.ts", "export const = ;\n");
    project.write("lib/blob.ts", b"\0\0binary".as_slice());
    let run = project.run(&["check", "--format", "sarif"]);
    run.assert_code(0);
    let sarif = run.json();
    assert_valid(&sarif);

    assert_eq!(sarif["version"], "2.1.0");
    assert_eq!(sarif["$schema"], "https://json.schemastore.org/sarif-2.1.0.json");
    let run0 = &sarif["runs"][0];
    let driver = &run0["tool"]["driver"];
    assert_eq!(driver["name"], "clerkguard");
    let rules = driver["rules"].as_array().unwrap();
    let unused_index = rules.iter().position(|r| r["id"] == "suppression-unused").expect("rule listed");
    let unused = &rules[unused_index];
    assert_eq!(unused["name"], "SuppressionUnused");
    assert_eq!(
        unused["helpUri"],
        "https://github.com/clerkguard/clerkguard/blob/main/docs/rules/suppression-unused.md"
    );
    assert_eq!(unused["defaultConfiguration"]["level"], "warning");

    let base = run0["originalUriBaseIds"]["%SRCROOT%"]["uri"].as_str().unwrap();
    assert!(base.starts_with("file:///") && base.ends_with('/'), "{base}");

    let notification = &run0["invocations"][0]["toolExecutionNotifications"][0];
    assert_eq!(notification["message"]["text"], "Skipped: file looks binary");
    assert_eq!(notification["locations"][0]["physicalLocation"]["artifactLocation"]["uri"], "lib/blob.ts");

    let results = run0["results"].as_array().unwrap();
    assert_eq!(results.len(), 2, "{results:#?}");
    let result = results.iter().find(|r| r["ruleId"] == "suppression-unused").unwrap();
    assert_eq!(result["ruleIndex"], unused_index);
    assert_eq!(result["level"], "warning");
    let location = &result["locations"][0]["physicalLocation"];
    assert_eq!(location["artifactLocation"]["uri"], "app/(auth)/%5Bid%5D/page.tsx");
    assert_eq!(location["artifactLocation"]["uriBaseId"], "%SRCROOT%");
    assert_eq!(location["region"]["startLine"], 2);
    assert_eq!(location["region"]["startColumn"], 1);
    let replacement = &result["fixes"][0]["artifactChanges"][0]["replacements"][0];
    assert_eq!(replacement["deletedRegion"]["startLine"], 2);
    assert_eq!(replacement["deletedRegion"]["endLine"], 3);
    assert_eq!(replacement["insertedContent"]["text"], "");
}

#[test]
fn sarif_without_findings_validates() {
    let project = Project::new();
    project.write("app/page.tsx", "export default function Page() { return <main />; }\n");
    let sarif = project.run(&["check", "--format", "sarif"]).assert_code(0).json();
    assert_valid(&sarif);
    assert_eq!(sarif["runs"][0]["results"], serde_json::json!([]));
}

#[test]
fn the_validator_rejects_broken_sarif() {
    let broken = serde_json::json!({ "version": "2.1.0", "runs": [{ "tool": { "driver": {} } }] });
    assert!(!sarif_validator().is_valid(&broken));
}
