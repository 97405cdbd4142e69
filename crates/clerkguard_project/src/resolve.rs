//! Module resolution as TypeScript's `bundler` mode and Next.js see it: relative paths with
//! extension and index probing, tsconfig `paths`/`baseUrl`, package `imports` (`#x`), and
//! workspace packages through their `exports`/`main`, preferring source over build output.
//! Anything else bare is an external package.

use rustc_hash::FxHashMap as HashMap;
use std::ffi::OsString;
use std::path::{Path, PathBuf};
use std::sync::{Arc, OnceLock, PoisonError, RwLock};

use crate::ProjectInfo;
use crate::package_exports::map_targets;
use crate::tsconfig::{TsConfig, normalize};
use crate::workspace::{WorkspacePackage, workspace_packages};

/// Extensions probed after the exact path, in order (Next.js / TypeScript bundler order).
pub const SOURCE_EXTENSIONS: [&str; 8] = ["ts", "tsx", "js", "jsx", "mjs", "cjs", "mts", "cts"];

/// Leading directories of build output that mirror `src` in a package.
const BUILD_DIRS: [&str; 9] = ["dist", "build", "lib", "out", "esm", "cjs", "es", "module", "types"];

/// What a specifier refers to.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum Resolution {
    /// A source file of the workspace (canonicalized).
    File(PathBuf),
    /// An installed package, by name (`@clerk/nextjs/server` → `@clerk/nextjs`).
    External(String),
    /// A relative or aliased path that names no file.
    Unresolved,
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum EntryKind {
    File,
    Dir,
}

/// A directory's entries (empty when it does not exist), symlinks followed.
type Listing = HashMap<OsString, EntryKind>;

/// What resolution needs of the package a file belongs to.
struct PackageContext {
    tsconfig: Option<TsConfig>,
    manifest: Option<WorkspacePackage>,
}

/// Resolves import specifiers for one project. Caches directory listings, per-package tsconfig
/// and results; share it across threads (it is `Send + Sync`) and drop it (or call
/// [`Resolver::invalidate`]) when files are added or removed.
pub struct Resolver {
    project_root: PathBuf,
    workspace_root: Option<PathBuf>,
    project: Arc<PackageContext>,
    workspace: OnceLock<Vec<WorkspacePackage>>,
    packages: RwLock<HashMap<PathBuf, Arc<PackageContext>>>,
    listings: RwLock<HashMap<PathBuf, Arc<Listing>>>,
    /// By importing directory and specifier (see [`Self::resolve`]).
    results: RwLock<HashMap<OsString, Resolution>>,
    /// Resolved paths → their canonical form (many specifiers name the same file).
    canonical: RwLock<HashMap<PathBuf, PathBuf>>,
}

impl Resolver {
    pub fn new(project: &ProjectInfo) -> Self {
        let project_root = std::fs::canonicalize(&project.root).unwrap_or_else(|_| project.root.clone());
        let context = PackageContext {
            tsconfig: TsConfig::load(&project_root),
            manifest: WorkspacePackage::load_unnamed(&project_root),
        };
        Self {
            workspace_root: project.workspace_root.clone(),
            project_root,
            project: Arc::new(context),
            workspace: OnceLock::new(),
            packages: RwLock::default(),
            listings: RwLock::default(),
            results: RwLock::default(),
            canonical: RwLock::default(),
        }
    }

    /// The project's tsconfig.json / jsconfig.json, when it has one.
    pub fn tsconfig(&self) -> Option<&TsConfig> {
        self.project.tsconfig.as_ref()
    }

    /// The packages of the project's workspace (empty outside a monorepo).
    pub fn workspace_packages(&self) -> &[WorkspacePackage] {
        self.workspace.get_or_init(|| self.workspace_root.as_deref().map(workspace_packages).unwrap_or_default())
    }

    /// Forgets cached listings and results (after files were created, deleted or renamed).
    pub fn invalidate(&self) {
        write(&self.listings).clear();
        write(&self.results).clear();
        write(&self.canonical).clear();
        write(&self.packages).clear();
    }

    /// What `specifier`, imported from `from_file`, refers to.
    pub fn resolve(&self, from_file: &Path, specifier: &str) -> Resolution {
        let from_dir = from_file.parent().unwrap_or(Path::new(""));
        // A bare or aliased specifier means the same from every directory of the project (its
        // tsconfig, manifest and packages decide), so it is resolved once per project, not
        // once per importing directory.
        let key_dir = if !is_path_like(specifier) && normalize(from_dir).starts_with(&self.project_root) {
            self.project_root.clone()
        } else {
            from_dir.to_path_buf()
        };
        // One byte string (directory, NUL, specifier): hashing a `Path` walks its components.
        let mut key = key_dir.into_os_string();
        key.push("\0");
        key.push(specifier);
        if let Some(hit) = read(&self.results).get(&key) {
            return hit.clone();
        }
        let resolution = self.resolve_uncached(from_dir, specifier);
        write(&self.results).insert(key, resolution.clone());
        resolution
    }

    fn resolve_uncached(&self, from_dir: &Path, specifier: &str) -> Resolution {
        // Query strings and fragments (`./x.svg?url`) do not name files.
        let specifier = specifier.split(['?']).next().unwrap_or(specifier);
        if specifier.is_empty() {
            return Resolution::Unresolved;
        }
        if is_path_like(specifier) {
            let path = from_dir.join(specifier);
            // `.`, `..` and `dir/` name a directory: only its index counts, not `dir.ts`.
            let directory_only = specifier == "." || specifier == ".." || specifier.ends_with(['/', '.']);
            let found = if directory_only { self.resolve_index(&normalize(&path)) } else { self.resolve_path(&path) };
            return self.file_or_unresolved(found);
        }
        let context = self.context_for(from_dir);
        if specifier.starts_with('#') {
            let found = context.manifest.as_ref().and_then(|pkg| {
                let imports = pkg.imports.as_ref()?;
                self.resolve_targets(&pkg.dir, &map_targets(imports, specifier))
            });
            return self.file_or_unresolved(found);
        }
        if let Some(tsconfig) = &context.tsconfig {
            for candidate in tsconfig.alias_candidates(specifier) {
                if let Some(found) = self.resolve_path(&candidate) {
                    return self.file(found);
                }
            }
            if let Some(base_url) = &tsconfig.base_url
                && let Some(found) = self.resolve_path(&base_url.join(specifier))
            {
                return self.file(found);
            }
        }
        let (name, subpath) = split_package_specifier(specifier);
        if let Some(package) = self.workspace_packages().iter().find(|p| p.name == name) {
            return self.file_or_unresolved(self.resolve_in_package(package, subpath));
        }
        Resolution::External(name.to_string())
    }

    fn file(&self, path: PathBuf) -> Resolution {
        if let Some(known) = read(&self.canonical).get(&path) {
            return Resolution::File(known.clone());
        }
        let canonical = std::fs::canonicalize(&path).unwrap_or_else(|_| path.clone());
        write(&self.canonical).insert(path, canonical.clone());
        Resolution::File(canonical)
    }

    fn file_or_unresolved(&self, path: Option<PathBuf>) -> Resolution {
        path.map_or(Resolution::Unresolved, |p| self.file(p))
    }

    /// A file at `base`: exact, with a TS extension instead of a JS one, with an extension
    /// added, or the directory's index. Declaration files are never results.
    fn resolve_path(&self, base: &Path) -> Option<PathBuf> {
        let base = normalize(base);
        if self.is_file(&base) && !is_declaration(&base) {
            return Some(base);
        }
        if let Some(ext) = base.extension().and_then(|e| e.to_str()) {
            let replacements: &[&str] = match ext {
                "js" => &["ts", "tsx"],
                "jsx" => &["tsx"],
                "mjs" => &["mts"],
                "cjs" => &["cts"],
                _ => &[],
            };
            for replacement in replacements {
                let candidate = base.with_extension(replacement);
                if self.is_file(&candidate) {
                    return Some(candidate);
                }
            }
        }
        for ext in SOURCE_EXTENSIONS {
            let candidate = with_added_extension(&base, ext);
            if self.is_file(&candidate) {
                return Some(candidate);
            }
        }
        self.resolve_index(&base)
    }

    /// `dir/index.<ext>`, in extension order.
    fn resolve_index(&self, dir: &Path) -> Option<PathBuf> {
        if !self.is_dir(dir) {
            return None;
        }
        SOURCE_EXTENSIONS.iter().map(|ext| dir.join(format!("index.{ext}"))).find(|candidate| self.is_file(candidate))
    }

    /// A workspace package's file for `subpath` (`""` for the package itself): through
    /// `exports` when it lists the subpath, else `module`/`main`/`types` and `index`, else the
    /// subpath as a path in the package or its `src`.
    fn resolve_in_package(&self, package: &WorkspacePackage, subpath: &str) -> Option<PathBuf> {
        if let Some(exports) = &package.exports {
            let key = if subpath.is_empty() { ".".to_string() } else { format!("./{subpath}") };
            if let Some(found) = self.resolve_targets(&package.dir, &map_targets(exports, &key)) {
                return Some(found);
            }
        }
        if subpath.is_empty() {
            let fields: Vec<String> =
                [&package.module, &package.main, &package.types].into_iter().flatten().cloned().collect();
            return self
                .resolve_targets(&package.dir, &fields)
                .or_else(|| self.resolve_path(&package.dir))
                .or_else(|| self.resolve_path(&package.dir.join("src")));
        }
        self.resolve_path(&package.dir.join(subpath))
            .or_else(|| self.resolve_path(&package.dir.join("src").join(subpath)))
    }

    /// The first of `targets` (package-relative, `./dist/x.js`) that names a file, trying for
    /// each the source it was built from (`./src/x.ts`) before the target itself; a target that
    /// reaches `src` wins over one that only reaches build output.
    fn resolve_targets(&self, package_dir: &Path, targets: &[String]) -> Option<PathBuf> {
        let src = package_dir.join("src");
        let mut fallback = None;
        for target in targets {
            for candidate in source_candidates(package_dir, target) {
                if let Some(found) = self.resolve_path(&candidate) {
                    if found.starts_with(&src) {
                        return Some(found);
                    }
                    fallback.get_or_insert(found);
                }
            }
        }
        fallback
    }

    /// The package (nearest package.json, within the workspace) whose tsconfig and `imports`
    /// apply to files in `dir`.
    fn context_for(&self, dir: &Path) -> Arc<PackageContext> {
        let dir = normalize(dir);
        if dir.starts_with(&self.project_root) {
            return self.project.clone();
        }
        let Some(package_dir) = dir.ancestors().find(|d| self.is_file(&d.join("package.json"))).map(Path::to_path_buf)
        else {
            return self.project.clone();
        };
        if package_dir == self.project_root {
            return self.project.clone();
        }
        if let Some(context) = read(&self.packages).get(&package_dir) {
            return context.clone();
        }
        let context = Arc::new(PackageContext {
            tsconfig: TsConfig::load(&package_dir),
            manifest: WorkspacePackage::load_unnamed(&package_dir),
        });
        write(&self.packages).insert(package_dir, context.clone());
        context
    }

    fn is_file(&self, path: &Path) -> bool {
        self.entry_kind(path) == Some(EntryKind::File)
    }

    fn is_dir(&self, path: &Path) -> bool {
        self.entry_kind(path) == Some(EntryKind::Dir)
    }

    fn entry_kind(&self, path: &Path) -> Option<EntryKind> {
        let (Some(parent), Some(name)) = (path.parent(), path.file_name()) else {
            return path.is_dir().then_some(EntryKind::Dir);
        };
        self.listing(parent).get(name).copied()
    }

    fn listing(&self, dir: &Path) -> Arc<Listing> {
        if let Some(listing) = read(&self.listings).get(dir) {
            return listing.clone();
        }
        let mut listing = Listing::default();
        if let Ok(entries) = std::fs::read_dir(dir) {
            for entry in entries.flatten() {
                let Ok(file_type) = entry.file_type() else { continue };
                let kind = if file_type.is_symlink() {
                    match std::fs::metadata(entry.path()) {
                        Ok(meta) if meta.is_dir() => EntryKind::Dir,
                        Ok(_) => EntryKind::File,
                        Err(_) => continue,
                    }
                } else if file_type.is_dir() {
                    EntryKind::Dir
                } else {
                    EntryKind::File
                };
                listing.insert(entry.file_name(), kind);
            }
        }
        let listing = Arc::new(listing);
        write(&self.listings).insert(dir.to_path_buf(), listing.clone());
        listing
    }
}

/// Candidates for one package target: the source it was built from, then the target itself.
fn source_candidates(package_dir: &Path, target: &str) -> Vec<PathBuf> {
    let rel = target.trim_start_matches("./");
    let stem = strip_output_extension(rel);
    let mut out = Vec::new();
    let components: Vec<&str> = stem.split('/').collect();
    let skipped = components.iter().take_while(|c| BUILD_DIRS.contains(c)).count();
    if skipped > 0 && skipped < components.len() {
        out.push(package_dir.join("src").join(components[skipped..].join("/")));
    }
    out.push(package_dir.join(rel));
    if stem != rel {
        out.push(package_dir.join(stem));
    }
    out
}

/// `dist/index.d.ts` → `dist/index`, `dist/index.mjs` → `dist/index`; other paths unchanged.
fn strip_output_extension(path: &str) -> &str {
    for ext in [".d.ts", ".d.mts", ".d.cts", ".js", ".mjs", ".cjs", ".jsx"] {
        if let Some(stem) = path.strip_suffix(ext) {
            return stem;
        }
    }
    path
}

fn is_path_like(specifier: &str) -> bool {
    specifier == "."
        || specifier == ".."
        || specifier.starts_with("./")
        || specifier.starts_with("../")
        || specifier.starts_with('/')
}

fn is_declaration(path: &Path) -> bool {
    let name = path.file_name().map(|n| n.to_string_lossy()).unwrap_or_default();
    name.ends_with(".d.ts") || name.ends_with(".d.mts") || name.ends_with(".d.cts")
}

fn with_added_extension(path: &Path, ext: &str) -> PathBuf {
    let mut name = path.as_os_str().to_owned();
    name.push(".");
    name.push(ext);
    PathBuf::from(name)
}

/// `@clerk/nextjs/server` → (`@clerk/nextjs`, `server`); `next` → (`next`, ``).
pub fn split_package_specifier(specifier: &str) -> (&str, &str) {
    let name_end = if specifier.starts_with('@') {
        specifier.match_indices('/').nth(1).map(|(i, _)| i)
    } else {
        specifier.find('/')
    };
    match name_end {
        Some(end) => (&specifier[..end], &specifier[end + 1..]),
        None => (specifier, ""),
    }
}

fn read<T>(lock: &RwLock<T>) -> std::sync::RwLockReadGuard<'_, T> {
    lock.read().unwrap_or_else(PoisonError::into_inner)
}

fn write<T>(lock: &RwLock<T>) -> std::sync::RwLockWriteGuard<'_, T> {
    lock.write().unwrap_or_else(PoisonError::into_inner)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn package_names() {
        assert_eq!(split_package_specifier("@clerk/nextjs/server"), ("@clerk/nextjs", "server"));
        assert_eq!(split_package_specifier("@clerk/nextjs"), ("@clerk/nextjs", ""));
        assert_eq!(split_package_specifier("next/headers"), ("next", "headers"));
        assert_eq!(split_package_specifier("svix"), ("svix", ""));
        assert_eq!(split_package_specifier("@scope"), ("@scope", ""));
    }

    #[test]
    fn resolver_is_send_and_sync() {
        fn assert_send_sync<T: Send + Sync>() {}
        assert_send_sync::<Resolver>();
    }

    #[test]
    fn output_paths_map_back_to_source() {
        let dir = Path::new("/p");
        assert_eq!(
            source_candidates(dir, "./dist/esm/auth.d.ts"),
            [PathBuf::from("/p/src/auth"), PathBuf::from("/p/dist/esm/auth.d.ts"), PathBuf::from("/p/dist/esm/auth")]
        );
        assert_eq!(source_candidates(dir, "./index.js"), [PathBuf::from("/p/index.js"), PathBuf::from("/p/index")]);
    }
}
