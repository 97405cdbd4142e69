//! Facts about a whole project that cross-file rules need: its source files, next.config, the
//! route table, and (computed on first use) the models later rules build on. Built once per
//! project by the [`crate::Workspace`] and rebuilt when a structural file changes (middleware,
//! next.config, env files, package.json, a file created or deleted).

use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use clerkguard_project::{NextConfig, RouteOptions, RouteTable, find_project_root};

/// What changing a file means for the project index.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ChangeImpact {
    /// Only the file (and importers of it) are affected.
    FileOnly,
    /// The index must be rebuilt and every file of the project re-linted.
    Structural,
}

pub struct ProjectIndex {
    pub root: PathBuf,
    /// Source files that belong to this project (not to a nested project).
    pub files: Vec<PathBuf>,
    pub next_config: NextConfig,
    pub route_options: RouteOptions,
    pub routes: RouteTable,
    /// Reserved for models computed on first use by the rules that need them.
    #[allow(dead_code)]
    lazy: OnceLock<()>,
}

impl std::fmt::Debug for ProjectIndex {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ProjectIndex").field("root", &self.root).field("files", &self.files.len()).finish()
    }
}

impl ProjectIndex {
    /// Builds the index of the project at `root` from the workspace's file list.
    pub fn build(root: &Path, workspace_files: &[PathBuf]) -> Self {
        let files: Vec<PathBuf> = workspace_files
            .iter()
            .filter(|f| f.starts_with(root) && find_project_root(f).as_deref() == Some(root))
            .cloned()
            .collect();
        let next_config = NextConfig::load(root);
        let route_options = RouteOptions::from_next_config(&next_config);
        let routes = RouteTable::build(root, &files, &route_options);
        Self { root: root.to_path_buf(), files, next_config, route_options, routes, lazy: OnceLock::new() }
    }

    /// An empty index (for a file outside any known project, or in unit tests).
    pub fn empty(root: &Path) -> Self {
        Self {
            root: root.to_path_buf(),
            files: Vec::new(),
            next_config: NextConfig::default(),
            route_options: RouteOptions::default(),
            routes: RouteTable::default(),
            lazy: OnceLock::new(),
        }
    }

    /// How a change to `path` affects this index.
    pub fn impact_of(&self, path: &Path) -> ChangeImpact {
        let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("");
        let stem = name.split('.').next().unwrap_or("");
        let at_root_or_src = path.parent().is_some_and(|p| p == self.root || p == self.root.join("src"));
        let structural = (at_root_or_src && matches!(stem, "middleware" | "proxy"))
            || name.starts_with("next.config.")
            || name.starts_with(".env")
            || name == "schema.prisma"
            || !self.files.iter().any(|f| f == path) && crate::Workspace::is_analyzable(path)
            || !path.exists();
        if structural { ChangeImpact::Structural } else { ChangeImpact::FileOnly }
    }
}

impl Default for ProjectIndex {
    fn default() -> Self {
        Self::empty(Path::new(""))
    }
}
