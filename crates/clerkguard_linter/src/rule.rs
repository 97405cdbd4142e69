//! The rule interface and its self-documenting metadata.

use crate::{Diagnostic, FileContext, Severity};

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Category {
    EntryPoints,
    Routing,
    Webhooks,
    Tenancy,
    Metadata,
    Secrets,
    Advisories,
    StepUp,
    Meta,
}

impl Category {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::EntryPoints => "entry-points",
            Self::Routing => "routing",
            Self::Webhooks => "webhooks",
            Self::Tenancy => "tenancy",
            Self::Metadata => "metadata",
            Self::Secrets => "secrets",
            Self::Advisories => "advisories",
            Self::StepUp => "step-up",
            Self::Meta => "meta",
        }
    }
}

/// Whether a rule can offer fixes and how safe they are.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FixAvailability {
    None,
    Safe,
    Unsafe,
    /// Some diagnostics get a safe fix, others an unsafe one.
    Mixed,
}

impl FixAvailability {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::None => "none",
            Self::Safe => "safe",
            Self::Unsafe => "unsafe",
            Self::Mixed => "safe or unsafe, depending on the case",
        }
    }
}

/// Everything the docs page, `clerkguard rule` and SARIF need to know about a rule.
#[derive(Debug)]
pub struct RuleMeta {
    /// kebab-case id, e.g. `server-action-missing-auth`.
    pub id: &'static str,
    pub category: Category,
    pub default_severity: Severity,
    /// Off unless a user turns it on (hygiene hints in the CLI).
    pub default_enabled: bool,
    pub fix: FixAvailability,
    /// One line: what the rule finds.
    pub summary: &'static str,
    /// The Markdown docs: What it does / Why is this bad? / Example / Use instead / Fix safety.
    pub docs: &'static str,
}

pub trait Rule: Send + Sync + 'static {
    fn meta(&self) -> &'static RuleMeta;

    /// Checks one analysed JavaScript/TypeScript file.
    fn check_file(&self, ctx: &FileContext<'_>, out: &mut Vec<Diagnostic>);

    /// Whether the rule reads the project's data schema (`ProjectIndex::data_schema`), which is
    /// inferred from every file's queries. A batch lint runs such rules after the other rules of
    /// every file, on the facts it kept, once the schema is known (see `crate::batch`).
    fn reads_data_schema(&self) -> bool {
        false
    }

    /// Checks a non-code project file (package.json, `.env*`). Most rules have nothing to say.
    fn check_project_file(&self, _ctx: &ProjectFileContext<'_>, _out: &mut Vec<Diagnostic>) {}
}

/// Non-code files rules can report on.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ProjectFileKind {
    PackageJson,
    /// `.env`, `.env.local`, `.env.production`, ...
    Env,
}

impl ProjectFileKind {
    pub fn from_path(path: &std::path::Path) -> Option<Self> {
        let name = path.file_name()?.to_str()?;
        if name == "package.json" {
            Some(Self::PackageJson)
        } else if name == ".env" || name.starts_with(".env.") {
            Some(Self::Env)
        } else {
            None
        }
    }
}

/// What a rule sees of a non-code project file.
pub struct ProjectFileContext<'a> {
    pub path: &'a std::path::Path,
    pub text: &'a str,
    pub line_index: &'a clerkguard_syntax::LineIndex,
    pub project: &'a clerkguard_project::ProjectInfo,
    pub config: &'a crate::Config,
    pub index: &'a crate::ProjectIndex,
    pub kind: ProjectFileKind,
}

/// Declares a rule's metadata from its doc comment:
///
/// ```ignore
/// declare_rule! {
///     /// ## What it does
///     /// ...
///     pub ServerActionMissingAuth {
///         id: "server-action-missing-auth",
///         category: EntryPoints,
///         severity: Error,
///         fix: Safe,
///         summary: "...",
///     }
/// }
/// ```
#[macro_export]
macro_rules! declare_rule {
    (
        $(#[doc = $doc:expr])*
        $vis:vis $name:ident {
            id: $id:literal,
            category: $category:ident,
            severity: $severity:ident,
            $(enabled: $enabled:literal,)?
            fix: $fix:ident,
            summary: $summary:literal $(,)?
        }
    ) => {
        #[derive(Debug, Default, Clone, Copy)]
        $vis struct $name;

        impl $name {
            pub const META: $crate::RuleMeta = $crate::RuleMeta {
                id: $id,
                category: $crate::Category::$category,
                default_severity: $crate::Severity::$severity,
                default_enabled: $crate::declare_rule!(@enabled $($enabled)?),
                fix: $crate::FixAvailability::$fix,
                summary: $summary,
                docs: concat!($($doc, "\n"),*),
            };
        }
    };
    (@enabled) => { true };
    (@enabled $enabled:literal) => { $enabled };
}
