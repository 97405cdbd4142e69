//! The app's route table: which files answer which URLs, for the App Router and Pages Router.
//!
//! URL patterns are Next.js style (`/users/[id]`) and relative to the app: without `basePath`
//! and without a locale prefix. The matchers in [`crate::matcher`] add those when they test a
//! route's [`Route::samples`].

mod app_router;
mod next_config;
mod pages_router;

use std::path::{Path, PathBuf};

use semver::Version;

pub use next_config::NextConfig;

use crate::matcher::{I18nConfig, NextOptions, route_samples};

/// What kind of entry point a route file is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum RouteKind {
    /// App Router `page.*`.
    Page,
    /// App Router `route.*` (exports HTTP method handlers).
    RouteHandler,
    /// Pages Router `pages/api/**`.
    PagesApi,
    /// Pages Router page.
    PagesPage,
}

/// One route file and the URL it serves.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Route {
    pub kind: RouteKind,
    /// Next.js-style pattern: `/`, `/users/[id]`, `/docs/[...slug]`, `/shop/[[...slug]]`.
    pub url_pattern: String,
    pub file: PathBuf,
    /// Concrete app paths standing for the pattern (see [`route_samples`]).
    pub samples: Vec<String>,
    /// App Router `layout.*` / `template.*` files wrapping the route, outermost first.
    pub layouts: Vec<PathBuf>,
    /// An intercepting route (`(.)x`, `(..)x`, `(...)x`): it renders on client-side navigation to
    /// `url_pattern` (the intercepted URL) and has no URL of its own.
    pub intercepting: bool,
    /// Parallel-route slots (`@team`) on the route's path, outermost first.
    pub slots: Vec<String>,
}

/// An App Router layout or template and the URL prefix it wraps.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LayoutEntry {
    pub url_prefix: String,
    pub file: PathBuf,
}

/// The next.config settings that decide which files are routes and what the URLs look like.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RouteOptions {
    /// `pageExtensions`; default `tsx, ts, jsx, js`.
    pub page_extensions: Vec<String>,
    /// `basePath` (`""` when unset).
    pub base_path: String,
    /// `i18n.locales` (empty without i18n).
    pub i18n_locales: Vec<String>,
    /// `i18n.defaultLocale`.
    pub i18n_default_locale: Option<String>,
}

impl Default for RouteOptions {
    fn default() -> Self {
        Self {
            page_extensions: crate::file_role::DEFAULT_PAGE_EXTENSIONS.iter().map(|e| e.to_string()).collect(),
            base_path: String::new(),
            i18n_locales: Vec::new(),
            i18n_default_locale: None,
        }
    }
}

impl RouteOptions {
    /// The options a next.config yields (defaults for what it does not set or sets dynamically).
    pub fn from_next_config(config: &NextConfig) -> Self {
        let mut options = Self::default();
        if let Some(extensions) = &config.page_extensions {
            options.page_extensions = extensions.clone();
        }
        if let Some(base_path) = &config.base_path {
            options.base_path = base_path.clone();
        }
        if let Some(i18n) = &config.i18n {
            options.i18n_locales = i18n.locales.clone();
            options.i18n_default_locale = i18n.default_locale.clone();
        }
        options
    }

    /// The matcher options for this app on a given `next` version.
    pub fn next_options(&self, next_version: &Version) -> NextOptions {
        let i18n = (!self.i18n_locales.is_empty()).then(|| I18nConfig {
            locales: self.i18n_locales.clone(),
            default_locale: self.i18n_default_locale.clone(),
        });
        NextOptions { next_version: next_version.clone(), base_path: self.base_path.clone(), i18n }
    }

    /// Splits `name` into (stem, extension) when it ends in one of the page extensions,
    /// preferring the longest (`page.tsx` over `tsx`).
    fn split_page_file<'a>(&self, name: &'a str) -> Option<(&'a str, &'a str)> {
        self.page_extensions
            .iter()
            .filter_map(|ext| {
                let stem = name.strip_suffix(ext.as_str())?.strip_suffix('.')?;
                (!stem.is_empty()).then(|| (stem, &name[stem.len() + 1..]))
            })
            .max_by_key(|(_, ext)| ext.len())
    }
}

/// Every route of one Next.js app.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct RouteTable {
    /// Sorted by URL pattern, then file.
    pub routes: Vec<Route>,
    pub layouts: Vec<LayoutEntry>,
    /// The App Router directory in use (`app` or `src/app`), if any.
    pub app_dir: Option<PathBuf>,
    /// The Pages Router directory in use (`pages` or `src/pages`), if any.
    pub pages_dir: Option<PathBuf>,
}

impl RouteTable {
    /// Builds the table from the project's files (absolute, or relative to `project_root`).
    /// `app/` and `pages/` at the root win over `src/app` and `src/pages`, each on its own, as in
    /// Next.js; a directory counts when it exists on disk or holds one of `files`.
    pub fn build(project_root: &Path, files: &[PathBuf], options: &RouteOptions) -> RouteTable {
        let files: Vec<PathBuf> =
            files.iter().map(|f| if f.is_absolute() { f.clone() } else { project_root.join(f) }).collect();
        let app_dir = router_dir(project_root, &files, "app");
        let pages_dir = router_dir(project_root, &files, "pages");
        let mut table = RouteTable { app_dir: app_dir.clone(), pages_dir: pages_dir.clone(), ..Default::default() };
        if let Some(app_dir) = &app_dir {
            app_router::collect(app_dir, &files, options, &mut table);
        }
        if let Some(pages_dir) = &pages_dir {
            pages_router::collect(pages_dir, &files, options, &mut table);
        }
        table.routes.sort_by(|a, b| (&a.url_pattern, &a.file).cmp(&(&b.url_pattern, &b.file)));
        table.layouts.sort_by(|a, b| (&a.url_prefix, &a.file).cmp(&(&b.url_prefix, &b.file)));
        table
    }

    /// The route a file defines, if it is a route file.
    pub fn route_for_file(&self, file: &Path) -> Option<&Route> {
        self.routes.iter().find(|r| r.file == file)
    }

    /// Routes whose URL pattern is `prefix` or lies below it (`/dashboard` → `/dashboard/x`).
    pub fn routes_under<'a>(&'a self, prefix: &'a str) -> impl Iterator<Item = &'a Route> + 'a {
        let prefix = prefix.trim_end_matches('/');
        self.routes.iter().filter(move |r| {
            prefix.is_empty()
                || r.url_pattern == prefix
                || r.url_pattern.strip_prefix(prefix).is_some_and(|rest| rest.starts_with('/'))
        })
    }
}

fn router_dir(root: &Path, files: &[PathBuf], name: &str) -> Option<PathBuf> {
    [root.join(name), root.join("src").join(name)]
        .into_iter()
        .find(|dir| dir.is_dir() || files.iter().any(|f| f.starts_with(dir)))
}

/// Builds a route with samples from its URL segments.
fn route(kind: RouteKind, segments: &[String], file: &Path) -> Route {
    let url_pattern = format!("/{}", segments.join("/"));
    Route {
        kind,
        samples: route_samples(&url_pattern),
        url_pattern,
        file: file.to_path_buf(),
        layouts: Vec::new(),
        intercepting: false,
        slots: Vec::new(),
    }
}

/// The path components of `file` below `dir`, as strings (`None` for non-UTF-8 names).
fn components_below(dir: &Path, file: &Path) -> Option<Vec<String>> {
    let rel = file.strip_prefix(dir).ok()?;
    rel.components().map(|c| c.as_os_str().to_str().map(str::to_string)).collect()
}
