//! `--format sarif`: SARIF 2.1.0 (the OASIS standard GitHub code scanning reads).
//!
//! One run; `tool.driver.rules` lists every rule in the registry (so `ruleIndex` is stable for a
//! given version). Artifact URIs are relative to `%SRCROOT%`, which `originalUriBaseIds` maps to
//! the current directory; files outside it get absolute `file://` URIs. Regions are 1-based with
//! columns in UTF-16 code units, SARIF's default `columnKind`, which the run also states.
//! Only the subset of the object model clerkguard fills is modelled here.

use std::path::Path;

use clerkguard_linter::{Category, Diagnostic, RuleMeta, Severity, TextRange, registry};
use serde::Serialize;

use super::{Position, RenderInput, Sources, docs_url, edit_target};
use crate::mask::masked;

const SCHEMA_URI: &str = "https://json.schemastore.org/sarif-2.1.0.json";
const SRCROOT: &str = "%SRCROOT%";
const INFORMATION_URI: &str = "https://github.com/clerkguard/clerkguard";

#[derive(Serialize)]
struct Log {
    #[serde(rename = "$schema")]
    schema: &'static str,
    version: &'static str,
    runs: Vec<Run>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Run {
    tool: Tool,
    original_uri_base_ids: std::collections::BTreeMap<&'static str, ArtifactLocation>,
    column_kind: &'static str,
    invocations: Vec<Invocation>,
    results: Vec<SarifResult>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Invocation {
    execution_successful: bool,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    tool_execution_notifications: Vec<Notification>,
}

/// A file that was not analysed, or a rule that crashed on one.
#[derive(Serialize)]
struct Notification {
    level: &'static str,
    message: Message,
    locations: Vec<NotificationLocation>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct NotificationLocation {
    physical_location: ArtifactOnly,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct ArtifactOnly {
    artifact_location: ArtifactLocation,
}

#[derive(Serialize)]
struct Tool {
    driver: Driver,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Driver {
    name: &'static str,
    information_uri: &'static str,
    version: &'static str,
    semantic_version: &'static str,
    rules: Vec<ReportingDescriptor>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct ReportingDescriptor {
    id: &'static str,
    name: String,
    short_description: Message,
    full_description: Message,
    help: MultiformatMessage,
    help_uri: String,
    default_configuration: ReportingConfiguration,
    properties: RuleProperties,
}

#[derive(Serialize)]
struct RuleProperties {
    tags: Vec<&'static str>,
}

#[derive(Serialize)]
struct ReportingConfiguration {
    enabled: bool,
    level: &'static str,
}

#[derive(Serialize)]
struct Message {
    text: String,
}

#[derive(Serialize)]
struct MultiformatMessage {
    text: String,
    markdown: String,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct SarifResult {
    rule_id: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    rule_index: Option<usize>,
    level: &'static str,
    message: Message,
    locations: Vec<Location>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    related_locations: Vec<Location>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    fixes: Vec<SarifFix>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Location {
    #[serde(skip_serializing_if = "Option::is_none")]
    id: Option<usize>,
    physical_location: PhysicalLocation,
    #[serde(skip_serializing_if = "Option::is_none")]
    message: Option<Message>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct PhysicalLocation {
    artifact_location: ArtifactLocation,
    region: Region,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct ArtifactLocation {
    uri: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    uri_base_id: Option<&'static str>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Region {
    start_line: u32,
    start_column: u32,
    end_line: u32,
    end_column: u32,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct SarifFix {
    description: Message,
    artifact_changes: Vec<ArtifactChange>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct ArtifactChange {
    artifact_location: ArtifactLocation,
    replacements: Vec<Replacement>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Replacement {
    deleted_region: Region,
    inserted_content: ArtifactContent,
}

#[derive(Serialize)]
struct ArtifactContent {
    text: String,
}

pub fn render(input: &RenderInput<'_>) -> anyhow::Result<String> {
    let metas: Vec<&'static RuleMeta> = registry().metas().collect();
    let rules = metas.iter().map(|m| descriptor(m)).collect();
    let mut sources = input.sources();
    let results = input.findings().map(|(file, d)| result(input, &mut sources, &metas, &file.path, d)).collect();
    let mut original_uri_base_ids = std::collections::BTreeMap::new();
    original_uri_base_ids.insert(SRCROOT, ArtifactLocation { uri: directory_uri(input.base), uri_base_id: None });
    let log = Log {
        schema: SCHEMA_URI,
        version: "2.1.0",
        runs: vec![Run {
            tool: Tool {
                driver: Driver {
                    name: "clerkguard",
                    information_uri: INFORMATION_URI,
                    version: env!("CARGO_PKG_VERSION"),
                    semantic_version: env!("CARGO_PKG_VERSION"),
                    rules,
                },
            },
            original_uri_base_ids,
            column_kind: "utf16CodeUnits",
            invocations: vec![Invocation {
                execution_successful: true,
                tool_execution_notifications: notifications(input),
            }],
            results,
        }],
    };
    let mut out = serde_json::to_string_pretty(&log)?;
    out.push('\n');
    Ok(out)
}

fn notifications(input: &RenderInput<'_>) -> Vec<Notification> {
    let mut out = Vec::new();
    for file in input.files {
        let at = || {
            vec![NotificationLocation {
                physical_location: ArtifactOnly { artifact_location: artifact_location(input, &file.path) },
            }]
        };
        if let Some(reason) = &file.report.skipped {
            out.push(Notification {
                level: "note",
                message: Message { text: format!("Skipped: {reason}") },
                locations: at(),
            });
        }
        for rule in &file.report.panicked_rules {
            out.push(Notification {
                level: "warning",
                message: Message { text: format!("Rule `{rule}` crashed on this file; its findings were dropped") },
                locations: at(),
            });
        }
    }
    out
}

fn level(severity: Severity) -> &'static str {
    match severity {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Hint => "note",
    }
}

fn descriptor(meta: &RuleMeta) -> ReportingDescriptor {
    ReportingDescriptor {
        id: meta.id,
        name: pascal_case(meta.id),
        short_description: Message { text: meta.summary.to_string() },
        full_description: Message { text: first_paragraph(meta.docs).unwrap_or(meta.summary).to_string() },
        help: MultiformatMessage {
            text: format!("{} See {}", meta.summary, docs_url(meta.id)),
            markdown: meta.docs.to_string(),
        },
        help_uri: docs_url(meta.id),
        default_configuration: ReportingConfiguration {
            enabled: meta.default_enabled,
            level: level(meta.default_severity),
        },
        properties: RuleProperties { tags: vec!["security", category_tag(meta.category)] },
    }
}

fn category_tag(category: Category) -> &'static str {
    category.as_str()
}

/// `server-action-missing-auth` → `ServerActionMissingAuth`.
pub fn pascal_case(id: &str) -> String {
    id.split(['-', '_'])
        .filter(|w| !w.is_empty())
        .map(|w| {
            let mut chars = w.chars();
            chars.next().map(|c| c.to_uppercase().chain(chars).collect::<String>()).unwrap_or_default()
        })
        .collect()
}

/// The first prose paragraph of a docs page (skipping headings).
fn first_paragraph(docs: &str) -> Option<&str> {
    docs.split("\n\n").map(str::trim).find(|p| !p.is_empty() && !p.starts_with('#'))
}

fn result(
    input: &RenderInput<'_>,
    sources: &mut Sources<'_>,
    metas: &[&'static RuleMeta],
    path: &Path,
    d: &Diagnostic,
) -> SarifResult {
    let mut text = masked(&d.message);
    if let Some(help) = &d.help {
        text.push_str("\nhelp: ");
        text.push_str(&masked(help));
    }
    let related_locations = d
        .related
        .iter()
        .enumerate()
        .map(|(i, r)| Location {
            id: Some(i),
            physical_location: physical(input, sources, &r.path, r.range),
            message: Some(Message { text: masked(&r.message) }),
        })
        .collect();
    let fixes =
        d.fix
            .iter()
            .map(|fix| {
                let mut changes: Vec<ArtifactChange> = Vec::new();
                for edit in &fix.edits {
                    let target = edit_target(edit, path);
                    let source = sources.get(&target);
                    let replacement = Replacement {
                        deleted_region: region(source.as_ref(), edit.range),
                        inserted_content: ArtifactContent { text: masked(&edit.new_text) },
                    };
                    let location = artifact_location(input, &target);
                    match changes.iter_mut().find(|c| c.artifact_location.uri == location.uri) {
                        Some(change) => change.replacements.push(replacement),
                        None => changes
                            .push(ArtifactChange { artifact_location: location, replacements: vec![replacement] }),
                    }
                }
                SarifFix { description: Message { text: masked(&fix.title) }, artifact_changes: changes }
            })
            .filter(|fix| !fix.artifact_changes.is_empty())
            .collect();
    SarifResult {
        rule_id: d.rule.clone(),
        rule_index: metas.iter().position(|m| m.id == d.rule),
        level: level(d.severity),
        message: Message { text },
        locations: vec![Location {
            id: None,
            physical_location: physical(input, sources, path, d.range),
            message: None,
        }],
        related_locations,
        fixes,
    }
}

fn physical(input: &RenderInput<'_>, sources: &mut Sources<'_>, path: &Path, range: TextRange) -> PhysicalLocation {
    let source = sources.get(path);
    PhysicalLocation { artifact_location: artifact_location(input, path), region: region(source.as_ref(), range) }
}

fn region(source: Option<&super::SourceFile<'_>>, range: TextRange) -> Region {
    let start = Position::of(source, range.start);
    let end = Position::of(source, range.end);
    Region {
        start_line: start.line,
        start_column: start.column_utf16,
        end_line: end.line,
        end_column: end.column_utf16,
    }
}

fn artifact_location(input: &RenderInput<'_>, path: &Path) -> ArtifactLocation {
    match path.strip_prefix(input.base) {
        Ok(rel) if !rel.as_os_str().is_empty() => {
            ArtifactLocation { uri: encode_uri_path(&super::slash_path(rel)), uri_base_id: Some(SRCROOT) }
        }
        _ => ArtifactLocation { uri: file_uri(path), uri_base_id: None },
    }
}

fn file_uri(path: &Path) -> String {
    let slashed = path.to_string_lossy().replace('\\', "/");
    let slashed = if slashed.starts_with('/') { slashed } else { format!("/{slashed}") };
    format!("file://{}", encode_uri_path(&slashed))
}

fn directory_uri(path: &Path) -> String {
    let mut uri = file_uri(path);
    if !uri.ends_with('/') {
        uri.push('/');
    }
    uri
}

/// Percent-encodes what may not stand in a URI path (RFC 3986 `pchar` and `/` stay): spaces,
/// `[id]` brackets, `%`, `#`, `?` and non-ASCII bytes. Route groups like `(auth)` stay readable.
fn encode_uri_path(path: &str) -> String {
    let mut out = String::with_capacity(path.len());
    for b in path.bytes() {
        if b.is_ascii_alphanumeric() || b"-._~/!$&'()*+,;=:@".contains(&b) {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rule_names_are_pascal_case() {
        assert_eq!(pascal_case("server-action-missing-auth"), "ServerActionMissingAuth");
        assert_eq!(pascal_case("parse-error"), "ParseError");
    }

    #[test]
    fn uris_are_percent_encoded() {
        assert_eq!(encode_uri_path("app/(auth)/[id]/sign in/page.tsx"), "app/(auth)/%5Bid%5D/sign%20in/page.tsx");
        assert_eq!(directory_uri(Path::new("/repo dir")), "file:///repo%20dir/");
    }
}
