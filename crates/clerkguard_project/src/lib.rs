//! Facts about a Next.js project that do not come from one file's syntax tree: where projects
//! are, which versions of `@clerk/nextjs` and `next` they use, and how their files map to routes.

mod discovery;
pub mod env_files;
mod file_role;
mod manifest;
pub mod matcher;
pub mod middleware;
mod routes;
mod version;

// Project facts: lockfiles, workspaces, tsconfig and module resolution.
mod json_spans;
mod jsonc;
pub mod lockfile;
mod package_exports;
mod resolve;
mod tsconfig;
mod workspace;
mod yaml_lines;

pub use discovery::find_project_roots;
pub use discovery::{find_project_root, is_ignored_dir, path_order, walk_source_files};
pub use file_role::{FileRole, RouterKind, classify_path};
pub use jsonc::{parse_jsonc, strip_jsonc};
pub use manifest::{DependencyKind, minimum_of_range};
pub use manifest::{DependencyVersion, ProjectInfo, load_project};
pub use resolve::{Resolution, Resolver, SOURCE_EXTENSIONS, split_package_specifier};
pub use routes::{LayoutEntry, NextConfig, Route, RouteKind, RouteOptions, RouteTable};
pub use tsconfig::{PathAlias, TsConfig};
pub use version::VersionReq;
pub use version::{parse_loose_version, range_matches};
pub use workspace::{WorkspacePackage, find_workspace_root, workspace_globs, workspace_packages};
