//! The analysis core of clerkguard: rules, the facts and function summaries they rest on,
//! fixes, suppressions and configuration. No LSP types live here; the CLI and the language
//! server both drive [`Workspace`].

pub mod analysis;
mod batch;
mod buffer_cache;
mod config;
mod context;
mod diagnostic;
pub mod docs;
mod fix;
pub mod fixer;
mod lint;
mod locks;
mod mentions;
pub mod project_index;
mod registry;
mod relocate;
mod rule;
pub mod rules;
pub mod sources;
mod suppression;
mod workspace;

pub use buffer_cache::BufferCache;
pub use config::{CONFIG_FILE_NAME, Config, ConfigError, RuleLevel, strip_jsonc};
pub use context::{FileContext, FileInput, MiddlewareProtection};
pub use diagnostic::{Diagnostic, RelatedInfo, Severity};
pub use fix::{Applicability, ApplyError, Edit, Fix, apply_edits, apply_fixes, select_fixes};
pub use lint::{FileReport, PhaseTime, RuleTimings, SkipReason, lint_source, lint_source_with_timings};
pub use project_index::{ChangeImpact, ProjectIndex};
pub use registry::{Registry, registry};
pub use rule::{Category, FixAvailability, ProjectFileContext, ProjectFileKind, Rule, RuleMeta};
pub use workspace::{MAX_FILE_BYTES, ProjectState, Workspace, WorkspaceFile};

pub use clerkguard_syntax::{LineCol, LineIndex, PositionEncoding, TextRange};
