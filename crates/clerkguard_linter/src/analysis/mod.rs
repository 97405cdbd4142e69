//! What rules reason about: imports and Clerk bindings of a file, its entry points, and
//! function summaries ("ensures a signed-in user", "returns the session user or null",
//! "performs a data effect") composed across functions and modules.

pub mod ast_util;
pub mod clerk_api;
mod conditions;
pub mod effects;
pub mod entry_points;
pub mod flow;
pub mod functions;
pub mod locals;
mod middleware_params;
mod module_cache;
pub mod queries;
mod semantics;
mod summary;

pub use module_cache::ModuleSummaryCache;
pub use semantics::{FileSemantics, ImportBinding, ImportedName};
pub use summary::{FunctionSummary, NoSummaries, ReturnsSession, SummaryLookup};
