//! Section G: findings about the analysis itself, emitted by the lint driver.

use crate::{Category, FixAvailability, RuleMeta, Severity};

pub static PARSE_ERROR: RuleMeta = RuleMeta {
    id: "parse-error",
    category: Category::Meta,
    default_severity: Severity::Warning,
    default_enabled: true,
    fix: FixAvailability::None,
    summary: "A file (or part of one) the parser could not read",
    docs: "## What it does\n\nReports the first syntax error of a file. clerkguard keeps analysing the rest of the file: the top-level statement that holds the error is skipped and every other statement still gets the rules.\n\n## Why is this bad?\n\nCode the parser cannot read is code clerkguard cannot check. While you type this is expected and the finding goes away when the code parses again; in CI it usually means a file uses syntax clerkguard does not support yet.\n\n## Fix safety\n\nNo fix is offered.\n",
};

pub static SUPPRESSION_UNUSED: RuleMeta = RuleMeta {
    id: "suppression-unused",
    category: Category::Meta,
    default_severity: Severity::Warning,
    default_enabled: true,
    fix: FixAvailability::Safe,
    summary: "A clerkguard-ignore comment that suppresses nothing, or names an unknown rule",
    docs: "## What it does\n\nReports `clerkguard-ignore-next-line`, `clerkguard-ignore-line` and `clerkguard-ignore-file` comments that suppress no diagnostic, or name a rule id clerkguard does not know.\n\n## Why is this bad?\n\nA stale waiver hides the next real finding on that line, and a misspelt rule id suppresses nothing while looking like it does.\n\n## Example\n\n```ts\n// clerkguard-ignore-next-line server-action-missing-auth -- public newsletter form\nexport const VERSION = 3;\n```\n\n## Fix safety\n\nThe fix removes the comment (the whole line when the comment stands alone). It is safe.\n",
};

pub static SUPPRESSION_WITHOUT_REASON: RuleMeta = RuleMeta {
    id: "suppression-without-reason",
    category: Category::Meta,
    default_severity: Severity::Warning,
    default_enabled: true,
    fix: FixAvailability::None,
    summary: "A suppression comment without `-- reason`",
    docs: "## What it does\n\nReports suppression comments that do not say why the finding is safe to ignore.\n\n## Why is this bad?\n\nThis is a security tool: every waiver should carry its reason so a reviewer can judge it later.\n\n## Example\n\n```ts\n// clerkguard-ignore-next-line server-action-missing-auth\n```\n\n## Use instead\n\n```ts\n// clerkguard-ignore-next-line server-action-missing-auth -- public newsletter sign-up, rate limited\n```\n\n## Fix safety\n\nNo fix: only you know the reason.\n",
};

pub static CONFIG_ERROR: RuleMeta = RuleMeta {
    id: "config-error",
    category: Category::Meta,
    default_severity: Severity::Warning,
    default_enabled: true,
    fix: FixAvailability::None,
    summary: "clerkguard.json could not be read; the project runs with the default configuration",
    docs: "## What it does\n\nReports a `clerkguard.json` that is not valid JSON (comments and trailing commas are fine), has unknown keys, names an unknown severity, or has an invalid ignore glob. The finding is shown at the top of every file of the project in the editor; the CLI stops with exit code 2 instead.\n\n## Why is this bad?\n\nA broken configuration is ignored as a whole: rules you turned off come back, ignore globs stop working, and extra guard names are forgotten.\n\n## Fix safety\n\nNo fix is offered: the message says what to correct.\n",
};

pub static META_RULES: [&RuleMeta; 4] = [&PARSE_ERROR, &SUPPRESSION_UNUSED, &SUPPRESSION_WITHOUT_REASON, &CONFIG_ERROR];
