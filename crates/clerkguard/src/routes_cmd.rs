//! `clerkguard routes [PATH]`: every route of each Next.js app with what protects it — the
//! middleware (and the matcher entry or pattern that decided), or the route's own check.

use std::path::{Path, PathBuf};

use anyhow::Context;
use clerkguard_linter::Workspace;
use clerkguard_linter::project_index::routing::RouteProtection;
use clerkguard_linter::rules::routing::route_guards_itself;
use clerkguard_project::{RouteKind, find_project_roots};
use serde::Serialize;

use crate::cli::{RoutesArgs, RoutesFormat};

/// One row of the table.
#[derive(Debug, Serialize)]
pub struct RouteRow {
    pub url: String,
    pub kind: &'static str,
    /// The route file, relative to the app.
    pub file: String,
    /// `outside-matcher`, `public`, `protected-by-middleware`, ...
    pub middleware: &'static str,
    /// Whether the route checks the caller itself (`null`: no entry point to tell).
    pub guards_itself: Option<bool>,
    /// What decided `middleware`, e.g. `'/dashboard(.*)' in isProtectedRoute`.
    pub decided_by: Option<String>,
    /// `file:line` of what decided.
    pub decided_at: Option<String>,
}

/// One app's table.
#[derive(Debug, Serialize)]
pub struct AppRoutes {
    /// The app root, relative to the current directory.
    pub app: String,
    /// The middleware file Next.js loads, relative to the app.
    pub middleware: Option<String>,
    pub routes: Vec<RouteRow>,
}

pub fn run(args: &RoutesArgs) -> anyhow::Result<u8> {
    let base =
        std::env::current_dir().and_then(|d| d.canonicalize()).context("cannot determine the current directory")?;
    let path = args.path.canonicalize().with_context(|| format!("cannot read {}", args.path.display()))?;
    let apps = collect(&path, &base);
    if apps.is_empty() {
        return Err(crate::UsageError(format!("no Next.js app found in {}", args.path.display())).into());
    }
    let text = match args.format {
        RoutesFormat::Table => render_table(&apps),
        RoutesFormat::Markdown => render_markdown(&apps),
        RoutesFormat::Json => format!("{}\n", serde_json::to_string_pretty(&apps)?),
    };
    crate::write_stdout(&text)?;
    Ok(0)
}

/// The route tables of every app under `path`, with paths shown relative to `base`.
pub fn collect(path: &Path, base: &Path) -> Vec<AppRoutes> {
    let roots = find_project_roots([path]);
    let workspace = Workspace::new(vec![path.to_path_buf()]);
    roots
        .iter()
        .map(|root| {
            let anchor = root.join("package.json");
            let index = workspace.index_for(&anchor);
            let routing = index.routing();
            let rel = |p: &Path| p.strip_prefix(root).unwrap_or(p).display().to_string();
            let routes = routing.routes.iter().map(|r| row(&workspace, r, root)).collect();
            AppRoutes { app: display(root, base), middleware: routing.location.loaded.as_deref().map(rel), routes }
        })
        .collect()
}

fn display(path: &Path, base: &Path) -> String {
    match path.strip_prefix(base) {
        Ok(rel) if rel.as_os_str().is_empty() => ".".to_string(),
        Ok(rel) => rel.display().to_string(),
        Err(_) => path.display().to_string(),
    }
}

fn row(workspace: &Workspace, route: &RouteProtection, root: &Path) -> RouteRow {
    let rel = |p: &PathBuf| p.strip_prefix(root).unwrap_or(p).display().to_string();
    let decided_at = route.decided_by.as_ref().and_then(|d| {
        let text = std::fs::read_to_string(&d.file).ok()?;
        let line = clerkguard_linter::LineIndex::new(&text).line_of(d.range.start) + 1;
        Some(format!("{}:{line}", rel(&d.file)))
    });
    RouteRow {
        url: route.route.url_pattern.clone(),
        kind: match route.route.kind {
            RouteKind::Page => "page",
            RouteKind::RouteHandler => "route-handler",
            RouteKind::PagesApi => "pages-api",
            RouteKind::PagesPage => "pages-page",
        },
        file: rel(&route.route.file),
        middleware: route.status.as_str(),
        guards_itself: route_guards_itself(workspace, &route.route.file),
        decided_by: route.decided_by.as_ref().map(|d| d.text.clone()),
        decided_at,
    }
}

/// The protection of a row: what the middleware does, and whether the route checks itself.
fn protection(row: &RouteRow) -> String {
    if row.guards_itself == Some(true) {
        format!("{} + guards-itself", row.middleware)
    } else {
        row.middleware.to_string()
    }
}

fn render_table(apps: &[AppRoutes]) -> String {
    let mut out = String::new();
    for app in apps {
        out.push_str(&format!("{} (middleware: {})\n", app.app, app.middleware.as_deref().unwrap_or("none loaded")));
        let rows: Vec<[String; 4]> = app
            .routes
            .iter()
            .map(|r| {
                let decided = match (&r.decided_by, &r.decided_at) {
                    (Some(by), Some(at)) => format!("{by} ({at})"),
                    (Some(by), None) => by.clone(),
                    _ => String::new(),
                };
                [r.url.clone(), r.file.clone(), protection(r), decided]
            })
            .collect();
        let header = ["ROUTE", "FILE", "PROTECTION", "DECIDED BY"].map(String::from);
        let mut widths = header.clone().map(|h| h.chars().count());
        for row in &rows {
            for (w, cell) in widths.iter_mut().zip(row) {
                *w = (*w).max(cell.chars().count());
            }
        }
        for row in std::iter::once(&header).chain(&rows) {
            let cells: Vec<String> = row.iter().zip(widths).map(|(c, w)| format!("{c:<w$}")).collect();
            out.push_str(&format!("  {}\n", cells.join("  ").trim_end()));
        }
        out.push('\n');
    }
    out
}

fn render_markdown(apps: &[AppRoutes]) -> String {
    let mut out = String::new();
    for app in apps {
        out.push_str(&format!(
            "## `{}`\n\nMiddleware: {}\n\n| Route | File | Protection | Decided by |\n|---|---|---|---|\n",
            app.app,
            app.middleware.as_deref().map_or("none loaded".to_string(), |m| format!("`{m}`"))
        ));
        for r in &app.routes {
            let decided = match (&r.decided_by, &r.decided_at) {
                (Some(by), Some(at)) => format!("{} (`{at}`)", by.replace('|', "\\|")),
                (Some(by), None) => by.replace('|', "\\|"),
                _ => String::new(),
            };
            out.push_str(&format!("| `{}` | `{}` | {} | {} |\n", r.url, r.file, protection(r), decided));
        }
        out.push('\n');
    }
    out
}
