//! Facts about a whole project that cross-file rules need: its source files, next.config, the
//! route table, and (computed on first use) the models later rules build on. Built once per
//! project by the [`crate::Workspace`] and rebuilt when a structural file changes (middleware,
//! next.config, env files, package.json, a file created or deleted).

pub mod data_schema;
pub mod module_graph;
pub mod routing;

use std::path::{Path, PathBuf};
use std::sync::{Arc, OnceLock};

use clerkguard_project::{NextConfig, ProjectInfo, RouteOptions, RouteTable};

use crate::sources::Sources;

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
    /// The project's package versions and paths (set by the workspace; default in unit tests).
    pub project: ProjectInfo,
    /// The workspace's texts: open buffers first, then the disk (read once).
    pub(crate) sources: Arc<Sources>,
    routing: OnceLock<routing::RoutingModel>,
    module_graph: OnceLock<module_graph::ModuleGraph>,
    data_schema: OnceLock<data_schema::DataSchema>,
}

impl std::fmt::Debug for ProjectIndex {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ProjectIndex").field("root", &self.root).field("files", &self.files.len()).finish()
    }
}

impl ProjectIndex {
    /// Builds the index of the project at `root` from the workspace's file list and texts;
    /// `project_root_of` names the project a file belongs to (the workspace answers from a
    /// cache).
    pub fn build(
        root: &Path,
        workspace_files: &[PathBuf],
        sources: Arc<Sources>,
        project_root_of: impl Fn(&Path) -> Option<PathBuf>,
    ) -> Self {
        let files: Vec<PathBuf> = workspace_files
            .iter()
            .filter(|f| f.starts_with(root) && project_root_of(f).as_deref() == Some(root))
            .cloned()
            .collect();
        let next_config = NextConfig::load(root);
        let route_options = RouteOptions::from_next_config(&next_config);
        let routes = RouteTable::build(root, &files, &route_options);
        Self {
            root: root.to_path_buf(),
            files,
            next_config,
            route_options,
            routes,
            project: ProjectInfo { root: root.to_path_buf(), ..Default::default() },
            sources,
            routing: OnceLock::new(),
            module_graph: OnceLock::new(),
            data_schema: OnceLock::new(),
        }
    }

    /// Sets the project's package versions and paths (the module graph resolves with them).
    pub fn with_project(mut self, project: ProjectInfo) -> Self {
        self.project = project;
        self
    }

    /// A file's text: its editor buffer, else the disk.
    pub fn read(&self, path: &Path) -> Option<Arc<str>> {
        self.sources.text_if_any(path)
    }

    /// The middleware model evaluated against the route table (computed on first use).
    pub fn routing(&self) -> &routing::RoutingModel {
        self.routing.get_or_init(|| routing::build(self))
    }

    /// The import graph and client closure (computed on first use).
    pub fn module_graph(&self) -> &module_graph::ModuleGraph {
        self.module_graph.get_or_init(|| module_graph::build(self))
    }

    /// [`Self::module_graph`], built (if it was not yet) keeping the parses it makes for a
    /// batch lint to take ([`module_graph::ModuleGraph::take_parse`]).
    pub(crate) fn module_graph_keeping_parses(&self) -> &module_graph::ModuleGraph {
        self.module_graph.get_or_init(|| module_graph::build_keeping_parses(self))
    }

    /// The module graph, if something built it already.
    pub(crate) fn module_graph_if_built(&self) -> Option<&module_graph::ModuleGraph> {
        self.module_graph.get()
    }

    /// Tells the parts of the index that track file contents that `path` changed (not a
    /// structural change); returns other files whose findings may change.
    pub fn note_change(&self, path: &Path) -> Vec<PathBuf> {
        self.module_graph.get().map(|graph| graph.note_change(path)).unwrap_or_default()
    }

    /// Data models and their tenant/owner columns (computed on first use).
    pub fn data_schema(&self) -> &data_schema::DataSchema {
        self.data_schema.get_or_init(|| data_schema::build(self))
    }

    /// Whether the data schema is built (a batch lint builds it from the lint's own parses).
    pub fn data_schema_ready(&self) -> bool {
        self.data_schema.get().is_some()
    }

    /// Builds the data schema, with what `known` files teach already gathered.
    pub(crate) fn build_data_schema_with(&self, known: rustc_hash::FxHashMap<PathBuf, data_schema::FileObservation>) {
        if !self.data_schema_ready() {
            let _ = self.data_schema.set(data_schema::build_with(self, known));
        }
    }

    /// An empty index (for a file outside any known project, or in unit tests).
    pub fn empty(root: &Path) -> Self {
        Self {
            root: root.to_path_buf(),
            files: Vec::new(),
            next_config: NextConfig::default(),
            route_options: RouteOptions::default(),
            routes: RouteTable::default(),
            project: ProjectInfo { root: root.to_path_buf(), ..Default::default() },
            sources: Arc::default(),
            routing: OnceLock::new(),
            module_graph: OnceLock::new(),
            data_schema: OnceLock::new(),
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
            || name.ends_with(".prisma")
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
