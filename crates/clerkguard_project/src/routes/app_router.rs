//! App Router files (`app/**/page.*`, `route.*`, `layout.*`) to URLs.

use std::path::{Path, PathBuf};

use super::{LayoutEntry, RouteKind, RouteOptions, RouteTable, components_below, route};

/// How a folder name contributes to the URL.
#[derive(Debug, PartialEq, Eq)]
enum Segment<'a> {
    /// A URL segment (static or dynamic); `%5F` at the start stands for a literal `_`.
    Url(String),
    /// `(group)`: not in the URL.
    Group,
    /// `@slot`: a parallel route, not in the URL.
    Slot(&'a str),
    /// `_private`: the folder and everything below it are not routes.
    Private,
    /// `(.)x`, `(..)x`, `(..)(..)x`, `(...)x`: levels up (`None` = from the root), then `x`.
    Intercept { up: Option<usize>, rest: &'a str },
}

fn classify(name: &str) -> Segment<'_> {
    if name.starts_with('_') {
        return Segment::Private;
    }
    if let Some(rest) = name.strip_prefix("%5F").or_else(|| name.strip_prefix("%5f")) {
        return Segment::Url(format!("_{rest}"));
    }
    if let Some(slot) = name.strip_prefix('@') {
        return Segment::Slot(slot);
    }
    for (marker, up) in [("(...)", None), ("(..)(..)", Some(2)), ("(..)", Some(1)), ("(.)", Some(0))] {
        if let Some(rest) = name.strip_prefix(marker) {
            return Segment::Intercept { up, rest };
        }
    }
    if name.starts_with('(') && name.ends_with(')') {
        return Segment::Group;
    }
    Segment::Url(name.to_string())
}

/// Where a folder path leads: its URL segments, slots, and whether it intercepts.
#[derive(Debug, Default)]
struct Location {
    segments: Vec<String>,
    slots: Vec<String>,
    intercepting: bool,
}

/// Walks the folder names below `app/`; `None` inside a private folder.
fn locate(dirs: &[String]) -> Option<Location> {
    let mut location = Location::default();
    for dir in dirs {
        match classify(dir) {
            Segment::Private => return None,
            Segment::Group => {}
            Segment::Slot(slot) => location.slots.push(slot.to_string()),
            Segment::Url(segment) => location.segments.push(segment),
            Segment::Intercept { up, rest } => {
                location.intercepting = true;
                match up {
                    None => location.segments.clear(),
                    Some(n) => {
                        let keep = location.segments.len().saturating_sub(n);
                        location.segments.truncate(keep);
                    }
                }
                if !rest.is_empty() && !matches!(classify(rest), Segment::Group) {
                    location.segments.push(rest.to_string());
                }
            }
        }
    }
    Some(location)
}

enum AppFile {
    Page,
    RouteHandler,
    Layout,
}

fn app_file(name: &str, options: &RouteOptions) -> Option<AppFile> {
    let (stem, _) = options.split_page_file(name)?;
    match stem {
        "page" => Some(AppFile::Page),
        "route" => Some(AppFile::RouteHandler),
        "layout" | "template" => Some(AppFile::Layout),
        _ => None,
    }
}

pub(super) fn collect(app_dir: &Path, files: &[PathBuf], options: &RouteOptions, table: &mut RouteTable) {
    let mut layouts: Vec<(PathBuf, PathBuf)> = Vec::new(); // (folder, file)
    let first_route = table.routes.len();
    for file in files {
        let Some(mut parts) = components_below(app_dir, file) else { continue };
        let Some(name) = parts.pop() else { continue };
        let Some(kind) = app_file(&name, options) else { continue };
        let Some(location) = locate(&parts) else { continue };
        let kind = match kind {
            AppFile::Page => RouteKind::Page,
            AppFile::RouteHandler => RouteKind::RouteHandler,
            AppFile::Layout => {
                let url_prefix = format!("/{}", location.segments.join("/"));
                table.layouts.push(LayoutEntry { url_prefix, file: file.clone() });
                if let Some(folder) = file.parent() {
                    layouts.push((folder.to_path_buf(), file.clone()));
                }
                continue;
            }
        };
        let mut entry = route(kind, &location.segments, file);
        entry.intercepting = location.intercepting;
        entry.slots = location.slots;
        table.routes.push(entry);
    }
    // Attach the layouts of every enclosing folder, outermost first.
    layouts.sort_by_key(|(folder, _)| folder.components().count());
    for entry in &mut table.routes[first_route..] {
        let Some(dir) = entry.file.parent() else { continue };
        entry.layouts =
            layouts.iter().filter(|(folder, _)| dir.starts_with(folder)).map(|(_, file)| file.clone()).collect();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn url(dirs: &[&str]) -> Option<(String, bool)> {
        let dirs: Vec<String> = dirs.iter().map(|d| d.to_string()).collect();
        locate(&dirs).map(|l| (format!("/{}", l.segments.join("/")), l.intercepting))
    }

    #[test]
    fn folder_names_to_urls() {
        assert_eq!(url(&[]), Some(("/".into(), false)));
        assert_eq!(url(&["(shop)", "cart"]), Some(("/cart".into(), false)));
        assert_eq!(url(&["dashboard", "@team", "settings"]), Some(("/dashboard/settings".into(), false)));
        assert_eq!(url(&["dashboard", "_lib"]), None);
        assert_eq!(url(&["%5Fhidden"]), Some(("/_hidden".into(), false)));
        assert_eq!(url(&["feed", "(.)photo", "[id]"]), Some(("/feed/photo/[id]".into(), true)));
        assert_eq!(url(&["feed", "@modal", "(..)photo", "[id]"]), Some(("/photo/[id]".into(), true)));
        assert_eq!(url(&["a", "b", "(..)(..)c"]), Some(("/c".into(), true)));
        assert_eq!(url(&["a", "b", "(...)login"]), Some(("/login".into(), true)));
    }
}
