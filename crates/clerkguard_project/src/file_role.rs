//! What a file is to Next.js, decided by where it sits in the project.

use std::path::{Component, Path};

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum RouterKind {
    App,
    Pages,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum FileRole {
    /// `app/**/route.ts`: exports HTTP method handlers.
    RouteHandler,
    /// `app/**/page.tsx` or a Pages Router page.
    Page(RouterKind),
    /// `app/**/layout.tsx` (and `template.tsx`).
    Layout,
    /// `pages/api/**`: the default export is a request handler.
    PagesApi,
    /// `middleware.ts` / `proxy.ts` next to `app`/`pages` (root or `src/`).
    Middleware,
    /// Anything else: components, lib code, config.
    Other,
}

impl FileRole {
    pub fn is_entry_point(self) -> bool {
        matches!(self, Self::RouteHandler | Self::PagesApi)
    }
}

/// The extensions Next.js treats as routes by default (`pageExtensions`).
pub const DEFAULT_PAGE_EXTENSIONS: [&str; 4] = ["tsx", "ts", "jsx", "js"];

/// Classifies `path` relative to the project root `root`, using Next.js's default page extensions.
pub fn classify_path(root: &Path, path: &Path) -> FileRole {
    let Ok(rel) = path.strip_prefix(root) else { return FileRole::Other };
    let parts: Vec<&str> = rel
        .components()
        .filter_map(|c| match c {
            Component::Normal(s) => s.to_str(),
            _ => None,
        })
        .collect();
    let Some((file, dirs)) = parts.split_last() else { return FileRole::Other };
    let Some((stem, ext)) = file.rsplit_once('.') else { return FileRole::Other };
    if !DEFAULT_PAGE_EXTENSIONS.contains(&ext) {
        return FileRole::Other;
    }
    let dirs = if dirs.first() == Some(&"src") { &dirs[1..] } else { dirs };
    if dirs.is_empty() {
        return if matches!(stem, "middleware" | "proxy") { FileRole::Middleware } else { FileRole::Other };
    }
    match dirs[0] {
        "app" => {
            if dirs[1..].iter().any(|d| d.starts_with('_')) {
                return FileRole::Other; // private folder
            }
            match stem {
                "route" => FileRole::RouteHandler,
                "page" => FileRole::Page(RouterKind::App),
                "layout" | "template" => FileRole::Layout,
                _ => FileRole::Other,
            }
        }
        "pages" => {
            if dirs.get(1) == Some(&"api") {
                FileRole::PagesApi
            } else if dirs.len() == 1 && matches!(stem, "_app" | "_document" | "_error" | "_middleware") {
                FileRole::Other
            } else {
                FileRole::Page(RouterKind::Pages)
            }
        }
        _ => FileRole::Other,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn role(p: &str) -> FileRole {
        classify_path(Path::new("/r"), &Path::new("/r").join(p))
    }

    #[test]
    fn classifies_next_layouts() {
        assert_eq!(role("app/api/x/route.ts"), FileRole::RouteHandler);
        assert_eq!(role("src/app/(shop)/cart/page.tsx"), FileRole::Page(RouterKind::App));
        assert_eq!(role("app/layout.tsx"), FileRole::Layout);
        assert_eq!(role("app/_lib/route.ts"), FileRole::Other);
        assert_eq!(role("pages/api/admin/do-thing.ts"), FileRole::PagesApi);
        assert_eq!(role("src/pages/index.tsx"), FileRole::Page(RouterKind::Pages));
        assert_eq!(role("pages/_app.tsx"), FileRole::Other);
        assert_eq!(role("pages/_document.js"), FileRole::Other);
        assert_eq!(role("pages/_drafts.tsx"), FileRole::Page(RouterKind::Pages));
        assert_eq!(role("middleware.ts"), FileRole::Middleware);
        assert_eq!(role("src/proxy.ts"), FileRole::Middleware);
        assert_eq!(role("lib/actions.ts"), FileRole::Other);
        assert_eq!(role("app/page.mjs"), FileRole::Other);
    }
}
