//! Pages Router files (`pages/**`) to URLs.

use std::path::{Path, PathBuf};

use super::{RouteKind, RouteOptions, RouteTable, components_below, route};

/// Top-level files that are not routes.
const SPECIAL_FILES: [&str; 4] = ["_app", "_document", "_error", "_middleware"];

pub(super) fn collect(pages_dir: &Path, files: &[PathBuf], options: &RouteOptions, table: &mut RouteTable) {
    for file in files {
        let Some(mut segments) = components_below(pages_dir, file) else { continue };
        let Some(name) = segments.pop() else { continue };
        if name.ends_with(".d.ts") {
            continue;
        }
        let Some((stem, _)) = options.split_page_file(&name) else { continue };
        if segments.is_empty() && SPECIAL_FILES.contains(&stem) {
            continue;
        }
        if stem != "index" {
            segments.push(stem.to_string());
        }
        // Next.js treats the page path `/api` and everything below it as API routes.
        let kind =
            if segments.first().is_some_and(|s| s == "api") { RouteKind::PagesApi } else { RouteKind::PagesPage };
        table.routes.push(route(kind, &segments, file));
    }
}
