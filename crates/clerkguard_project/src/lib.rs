//! Facts about a Next.js project that do not come from one file's syntax tree: where projects
//! are, which versions of `@clerk/nextjs` and `next` they use, and how their files map to routes.

mod discovery;
mod file_role;
mod manifest;
mod version;

pub use discovery::{find_project_root, is_ignored_dir, walk_source_files};
pub use file_role::{FileRole, RouterKind, classify_path};
pub use manifest::{DependencyVersion, ProjectInfo, load_project};
pub use version::VersionReq;
