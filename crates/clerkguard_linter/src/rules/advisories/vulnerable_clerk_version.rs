use std::path::Path;

use clerkguard_project::{minimum_of_range, range_matches};
use clerkguard_syntax::{SourceKind, TextRange, parse_source};
use rayon::prelude::*;

use super::auth_option_drops_check::find_mixed;
use super::table::{Advisory, advisories, fixed_for, is_affected};
use crate::analysis::FileSemantics;
use crate::{Diagnostic, Edit, Fix, ProjectFileContext, ProjectFileKind, ProjectIndex, Rule, RuleMeta, declare_rule};

declare_rule! {
    /// ## What it does
    ///
    /// Reports the `@clerk/nextjs` line of package.json when the installed version (from the
    /// lockfile, else the lowest version the range allows) is affected by a published Clerk
    /// advisory that applies to the project:
    ///
    /// | advisory | affected | applies when |
    /// |---|---|---|
    /// | CVE-2024-22206 | 4.7.0 – 4.29.2 | always |
    /// | GHSA-vqx2-fgx2-5wq9 | 5.0.0 – 5.7.5, 6.0.0 – 6.39.1, 7.0.0 – 7.2.0 | `createRouteMatcher` is used |
    /// | GHSA-w24r-5266-9c3c | 6.0.0 – 6.39.2, 7.0.0 – 7.2.3 | `auth.protect()` / `has()` mix role checks with options or other dimensions |
    /// | GHSA-9mp4-77wg-rwx9 | 6.13.0 – 6.23.2 | `verifyWebhook` is used |
    ///
    /// Versions are compared with semver ordering, prereleases included (`7.2.1-canary.0` is
    /// still affected; `7.2.1` is not). The table lives in
    /// `crates/clerkguard_linter/src/rules/advisories/advisories.json`.
    ///
    /// ## Why is this bad?
    ///
    /// These advisories let requests past route protection or role checks, or forged webhooks
    /// through verification.
    ///
    /// ## Example
    ///
    /// ```json
    /// { "dependencies": { "@clerk/nextjs": "^6.12.0" } }
    /// ```
    ///
    /// ## Use instead
    ///
    /// ```json
    /// { "dependencies": { "@clerk/nextjs": "^6.39.3" } }
    /// ```
    ///
    /// ## Fix safety
    ///
    /// The fix raises the version in package.json to the first fixed release of the same major
    /// line (keeping `^`/`~`). It is safe within a major line; run the package manager to update
    /// the lockfile.
    pub VulnerableClerkVersion {
        id: "vulnerable-clerk-version",
        category: Advisories,
        severity: Error,
        fix: Safe,
        summary: "@clerk/nextjs is installed at a version with a published security advisory that applies to this project",
    }
}

impl Rule for VulnerableClerkVersion {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check_file(&self, _ctx: &crate::FileContext<'_>, _out: &mut Vec<Diagnostic>) {}

    fn check_project_file(&self, ctx: &ProjectFileContext<'_>, out: &mut Vec<Diagnostic>) {
        if ctx.kind != ProjectFileKind::PackageJson {
            return;
        }
        // Read from the text (an edited buffer, or the fixed file), not the loaded project.
        let Some((range_text, range)) = dependency_range(ctx.text, "@clerk/nextjs") else { return };
        let locked = ctx.project.clerk.as_ref().and_then(|c| c.resolved.clone());
        let version = match locked {
            Some(v) if range_matches(&range_text, &v) == Some(true) => v,
            _ => match minimum_of_range(&range_text) {
                Some(v) => v,
                None => return,
            },
        };
        let applicable: Vec<&Advisory> = advisories()
            .iter()
            .filter(|a| a.package == "@clerk/nextjs" && is_affected(a, &version))
            .filter(|a| condition_holds(&a.condition, ctx.index, &ctx.project.root))
            .collect();
        if applicable.is_empty() {
            return;
        }
        let target = applicable.iter().filter_map(|a| fixed_for(a, &version)).max();
        let ids: Vec<String> = applicable.iter().map(|a| format!("{} ({})", a.id, a.summary)).collect();
        let fix = target.as_ref().map(|target| {
            let prefix: String = range_text.chars().take_while(|c| matches!(c, '^' | '~' | '=' | '>' | 'v')).collect();
            let prefix = if prefix.starts_with('>') { ">=".to_string() } else { prefix };
            Fix::safe(
                format!("Upgrade @clerk/nextjs to {target}"),
                vec![Edit::replace(range, format!("{prefix}{target}"))],
            )
        });
        let help = match &target {
            Some(t) => format!(
                "Upgrade to {t} or later ({})",
                applicable.iter().map(|a| a.url.as_str()).collect::<Vec<_>>().join(", ")
            ),
            None => "Upgrade to a fixed release".to_string(),
        };
        out.push(
            Diagnostic::new(
                Self::META.id,
                Self::META.default_severity,
                range,
                format!("@clerk/nextjs {version} is affected by {}", ids.join("; ")),
            )
            .with_help(help)
            .with_fix(fix),
        );
    }
}

/// The range string of `name` in package.json text (the first dependency section naming it)
/// and the byte range of its contents.
fn dependency_range(text: &str, name: &str) -> Option<(String, TextRange)> {
    let value: serde_json::Value = serde_json::from_str(text.strip_prefix('\u{feff}').unwrap_or(text)).ok()?;
    let declared = ["dependencies", "devDependencies", "peerDependencies", "optionalDependencies"]
        .iter()
        .find_map(|section| value.get(section)?.get(name)?.as_str().map(String::from))?;
    let needle = format!("\"{name}\"");
    let mut from = 0;
    while let Some(i) = text[from..].find(&needle) {
        let after = from + i + needle.len();
        let rest = text[after..].trim_start();
        if let Some(rest) = rest.strip_prefix(':') {
            let rest_trimmed = rest.trim_start();
            if let Some(body) = rest_trimmed.strip_prefix('"') {
                let start = text.len() - body.len();
                let end = start + body.find('"')?;
                if text[start..end] == declared {
                    return Some((declared, TextRange::new(start as u32, end as u32)));
                }
            }
        }
        from = after;
    }
    None
}

/// Whether the project uses what an advisory's condition names.
fn condition_holds(condition: &str, index: &ProjectIndex, _root: &Path) -> bool {
    let Some(feature) = condition.strip_prefix("uses:") else { return condition == "always" };
    let sources: Vec<&std::path::PathBuf> = index.files.iter().filter(|f| SourceKind::from_path(f).is_some()).collect();
    sources.par_iter().any(|path| {
        let Some(text) = index.read(path) else { return false };
        match feature {
            "createRouteMatcher" => text.contains("createRouteMatcher") && text.contains("@clerk/"),
            "verifyWebhook" => text.contains("verifyWebhook"),
            "combined-auth-params" => {
                // Mixed dimensions need an option key or a second dimension in the same call:
                // a cheap text filter first, the parse only for candidates.
                let mixes = ["unauthorizedUrl", "unauthenticatedUrl", "token", "reverification", "feature", "plan"];
                if !(text.contains("protect") || text.contains("has(")) || !mixes.iter().any(|k| text.contains(k)) {
                    return false;
                }
                let Some(kind) = SourceKind::from_path(path) else { return false };
                let parsed = parse_source(&text, kind);
                parsed.module.as_ref().is_some_and(|m| !find_mixed(m, &FileSemantics::build(m, &text)).is_empty())
            }
            _ => false,
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_the_dependency_range() {
        let text = "{\n  \"name\": \"@clerk/nextjs\",\n  \"dependencies\": { \"@clerk/nextjs\" : \"^6.12.0\" }\n}";
        let (range, at) = dependency_range(text, "@clerk/nextjs").unwrap();
        assert_eq!(range, "^6.12.0");
        assert_eq!(&text[at.as_usize_range()], "^6.12.0");
    }
}
