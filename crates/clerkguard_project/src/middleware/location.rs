//! Which middleware file Next.js loads, and middleware files it ignores.

use std::path::{Path, PathBuf};

use semver::Version;

use crate::RouteTable;

/// Why a middleware-looking file is not loaded.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum MisplacedReason {
    /// `app/middleware.ts`, `src/app/middleware.ts`.
    InsideAppDir,
    /// `middleware.ts` at the root while the app lives in `src/`.
    RootWhileSrc,
    /// `src/middleware.ts` while `app/` or `pages/` is at the root.
    SrcWhileRoot,
    /// `proxy.ts` on Next.js before 16 (only `middleware.*` is loaded there).
    ProxyBeforeNext16,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct MisplacedMiddleware {
    pub path: PathBuf,
    pub reason: MisplacedReason,
    /// Where Next.js would load it from.
    pub expected: PathBuf,
}

/// Where the middleware is, for one app.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct MiddlewareLocation {
    /// The directory Next.js looks in: the root, or `src/` when the app lives there.
    pub expected_dir: PathBuf,
    /// The file Next.js loads.
    pub loaded: Option<PathBuf>,
    /// Middleware-looking files Next.js does not load.
    pub misplaced: Vec<MisplacedMiddleware>,
    /// Both `middleware.*` and `proxy.*` on Next.js 16+: `next build` fails.
    pub conflict: Option<(PathBuf, PathBuf)>,
    /// Whether Next.js 16+ is installed (the file should be `proxy.*`).
    pub proxy_era: bool,
}

/// Finds the middleware of the app at `root`. Only files directly in the root, `src/`, `app/`
/// and `src/app/` are considered: a `middleware.ts` in `scripts/` or `examples/` is not a
/// candidate at all.
pub fn locate_middleware(
    root: &Path,
    files: &[PathBuf],
    table: &RouteTable,
    next_version: Option<&Version>,
    page_extensions: &[String],
) -> MiddlewareLocation {
    let src = root.join("src");
    let at_root = |dir: &Option<PathBuf>| dir.as_ref().is_some_and(|d| d.parent() == Some(root));
    let in_src = |dir: &Option<PathBuf>| dir.as_ref().is_some_and(|d| d.parent() == Some(src.as_path()));
    let expected_dir = if at_root(&table.app_dir) || at_root(&table.pages_dir) {
        root.to_path_buf()
    } else if in_src(&table.app_dir) || in_src(&table.pages_dir) {
        src.clone()
    } else {
        root.to_path_buf()
    };
    let proxy_era = next_version.is_some_and(|v| v.major >= 16);
    let proxy_unknown = next_version.is_none();
    let mut location = MiddlewareLocation { expected_dir: expected_dir.clone(), proxy_era, ..Default::default() };

    let mut candidates: Vec<(&PathBuf, &str)> = files
        .iter()
        .filter_map(|f| {
            let name = f.file_name()?.to_str()?;
            let (stem, ext) = name.rsplit_once('.')?;
            let dir = f.parent()?;
            let place_ok = dir == root
                || dir == src
                || table.app_dir.as_deref() == Some(dir)
                || dir == root.join("app")
                || dir == src.join("app");
            (matches!(stem, "middleware" | "proxy") && page_extensions.iter().any(|e| e == ext) && place_ok)
                .then_some((f, stem))
        })
        .collect();
    candidates.sort_by_key(|(f, _)| {
        let ext = f.extension().and_then(|e| e.to_str()).unwrap_or("");
        page_extensions.iter().position(|e| e == ext).unwrap_or(usize::MAX)
    });

    let expected = |stem: &str| -> PathBuf {
        let name = if stem == "proxy" || proxy_era { "proxy" } else { "middleware" };
        expected_dir.join(format!("{name}.ts"))
    };
    let mut middleware_file = None;
    let mut proxy_file = None;
    for (file, stem) in &candidates {
        let dir = file.parent().unwrap_or(root);
        let reason = if dir != root && dir != src {
            Some(MisplacedReason::InsideAppDir)
        } else if dir != expected_dir {
            Some(if dir == root { MisplacedReason::RootWhileSrc } else { MisplacedReason::SrcWhileRoot })
        } else if *stem == "proxy" && !proxy_era && !proxy_unknown {
            Some(MisplacedReason::ProxyBeforeNext16)
        } else {
            None
        };
        match reason {
            Some(reason) => {
                location.misplaced.push(MisplacedMiddleware { path: (*file).clone(), reason, expected: expected(stem) })
            }
            None if *stem == "proxy" => {
                proxy_file.get_or_insert((*file).clone());
            }
            None => {
                middleware_file.get_or_insert((*file).clone());
            }
        }
    }
    if proxy_era && let (Some(m), Some(p)) = (&middleware_file, &proxy_file) {
        location.conflict = Some((m.clone(), p.clone()));
    }
    location.loaded = proxy_file.or(middleware_file);
    location
}
