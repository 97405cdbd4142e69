//! Module resolution on fixture trees: relative imports, extensions, index files, TS's `.js`
//! convention, tsconfig/jsconfig aliases with `extends`, package `imports`, externals.

use std::path::{Path, PathBuf};

use clerkguard_project::{Resolution, Resolver, TsConfig, load_project};

mod support;

use support::tree;

fn file(path: PathBuf) -> Resolution {
    Resolution::File(path)
}

fn external(name: &str) -> Resolution {
    Resolution::External(name.to_string())
}

const APP: &str = r#"{ "name": "web", "dependencies": { "next": "15.2.4", "@clerk/nextjs": "^6.0.0" } }"#;

fn resolver_at(root: &Path) -> Resolver {
    Resolver::new(&load_project(root))
}

#[test]
fn relative_imports_extensions_and_index_files() {
    let (_dir, root) = tree(&[
        ("package.json", APP),
        ("app/actions.ts", ""),
        ("lib/auth.ts", ""),
        ("lib/auth.d.ts", ""),
        ("lib/only-types.d.ts", ""),
        ("lib/db/index.tsx", ""),
        ("lib/button.jsx", ""),
        ("lib/esm.js", ""),
        ("lib/esm.ts", ""),
        ("lib/server.mts", ""),
        ("lib/styles.css", ""),
        ("lib/config.ts", ""),
        ("lib/config/index.ts", ""),
        ("lib/both.ts", ""),
        ("lib/both.tsx", ""),
    ]);
    let resolver = resolver_at(&root);
    let from = root.join("app/actions.ts");
    assert_eq!(resolver.resolve(&from, "../lib/auth"), file(root.join("lib/auth.ts")));
    assert_eq!(resolver.resolve(&from, "../lib/db"), file(root.join("lib/db/index.tsx")));
    assert_eq!(resolver.resolve(&from, "../lib/db/"), file(root.join("lib/db/index.tsx")));
    assert_eq!(resolver.resolve(&from, "../lib/button"), file(root.join("lib/button.jsx")));
    assert_eq!(resolver.resolve(&from, "../lib/both"), file(root.join("lib/both.ts")));
    assert_eq!(resolver.resolve(&from, "../lib/server.mjs"), file(root.join("lib/server.mts")));
    assert_eq!(resolver.resolve(&from, "../lib/styles.css"), file(root.join("lib/styles.css")));
    assert_eq!(resolver.resolve(&from, "../lib/styles.css?inline"), file(root.join("lib/styles.css")));
    // A file wins over a directory of the same name, as in TypeScript.
    assert_eq!(resolver.resolve(&from, "../lib/config"), file(root.join("lib/config.ts")));
    assert_eq!(resolver.resolve(&root.join("lib/config/x.ts"), "."), file(root.join("lib/config/index.ts")));
    assert_eq!(resolver.resolve(&from, "./actions"), file(root.join("app/actions.ts")));
    assert_eq!(resolver.resolve(&from, "/lib/auth"), Resolution::Unresolved);
    assert_eq!(resolver.resolve(&from, &format!("{}/lib/auth", root.display())), file(root.join("lib/auth.ts")));
    // The exact file first, then the TS source a `.js` specifier stands for.
    assert_eq!(resolver.resolve(&from, "../lib/esm.js"), file(root.join("lib/esm.js")));
    assert_eq!(resolver.resolve(&from, "../lib/auth.js"), file(root.join("lib/auth.ts")));
    assert_eq!(resolver.resolve(&from, "../lib/db/index.js"), file(root.join("lib/db/index.tsx")));
    // Declaration files are never results.
    assert_eq!(resolver.resolve(&from, "../lib/only-types"), Resolution::Unresolved);
    assert_eq!(resolver.resolve(&from, "../lib/missing"), Resolution::Unresolved);
    assert_eq!(resolver.resolve(&from, ""), Resolution::Unresolved);
}

#[test]
fn bare_specifiers_are_external_packages() {
    let (_dir, root) = tree(&[("package.json", APP), ("app/page.tsx", "")]);
    let resolver = resolver_at(&root);
    let from = root.join("app/page.tsx");
    assert!(resolver.tsconfig().is_none());
    assert_eq!(resolver.resolve(&from, "@clerk/nextjs/server"), external("@clerk/nextjs"));
    assert_eq!(resolver.resolve(&from, "@clerk/nextjs"), external("@clerk/nextjs"));
    assert_eq!(resolver.resolve(&from, "next/headers"), external("next"));
    assert_eq!(resolver.resolve(&from, "server-only"), external("server-only"));
    assert_eq!(resolver.resolve(&from, "node:crypto"), external("node:crypto"));
}

#[test]
fn tsconfig_paths_inherited_through_extends_are_relative_to_their_config() {
    let (_dir, root) = tree(&[
        ("package.json", APP),
        (
            "tsconfig.json",
            "{\n  // the app's config\n  \"extends\": \"./config/tsconfig.base\",\n  \"compilerOptions\": { \"strict\": true, },\n}",
        ),
        (
            "config/tsconfig.base.json",
            r#"{ "compilerOptions": { "paths": {
                "@/*": ["../src/*"],
                "~/lib/*": ["../generated/*", "../src/lib/*"],
                "@auth": ["../src/lib/auth.ts"],
                "@/components/*": ["../ui/*"]
            } } }"#,
        ),
        ("src/lib/auth.ts", ""),
        ("src/lib/guards/index.ts", ""),
        ("src/components/nav.tsx", ""),
        ("ui/button.tsx", ""),
        ("generated/client.ts", ""),
        ("app/page.tsx", ""),
    ]);
    let config = TsConfig::load(&root).unwrap();
    assert_eq!(config.files, [root.join("tsconfig.json"), root.join("config/tsconfig.base.json")]);
    assert_eq!(config.base_url, None);
    let resolver = resolver_at(&root);
    let from = root.join("app/page.tsx");
    assert_eq!(resolver.resolve(&from, "@/lib/auth"), file(root.join("src/lib/auth.ts")));
    assert_eq!(resolver.resolve(&from, "@/lib/guards"), file(root.join("src/lib/guards/index.ts")));
    // Targets are tried in order.
    assert_eq!(resolver.resolve(&from, "~/lib/client"), file(root.join("generated/client.ts")));
    assert_eq!(resolver.resolve(&from, "~/lib/auth"), file(root.join("src/lib/auth.ts")));
    // Exact patterns, and the longest matching prefix among wildcards.
    assert_eq!(resolver.resolve(&from, "@auth"), file(root.join("src/lib/auth.ts")));
    assert_eq!(resolver.resolve(&from, "@/components/button"), file(root.join("ui/button.tsx")));
    // A matching alias that names no file falls through to packages (TypeScript does the same).
    assert_eq!(resolver.resolve(&from, "@/lib/missing"), external("@/lib"));
    // Without baseUrl, bare paths are packages.
    assert_eq!(resolver.resolve(&from, "src/lib/auth"), external("src"));
}

#[test]
fn base_url_from_an_extended_package_config() {
    let (_dir, root) = tree(&[
        ("package.json", APP),
        (
            "tsconfig.json",
            r#"{ "extends": ["@acme/tsconfig/nextjs.json", "@acme/strict"], "compilerOptions": { "paths": { "@/*": ["src/*"] } } }"#,
        ),
        ("node_modules/@acme/tsconfig/nextjs.json", r#"{ "compilerOptions": { "baseUrl": "../../.." } }"#),
        ("node_modules/@acme/strict/package.json", r#"{ "name": "@acme/strict", "tsconfig": "base.json" }"#),
        ("node_modules/@acme/strict/base.json", r#"{ "compilerOptions": { "strict": true } }"#),
        ("src/utils.ts", ""),
        ("lib/guards/index.ts", ""),
        ("app/page.tsx", ""),
    ]);
    let config = TsConfig::load(&root).unwrap();
    assert_eq!(config.base_url.as_deref(), Some(root.as_path()));
    assert_eq!(config.files.len(), 3);
    let resolver = resolver_at(&root);
    let from = root.join("app/page.tsx");
    // `paths` targets resolve against the inherited baseUrl.
    assert_eq!(resolver.resolve(&from, "@/utils"), file(root.join("src/utils.ts")));
    // Non-relative specifiers go through baseUrl.
    assert_eq!(resolver.resolve(&from, "lib/guards"), file(root.join("lib/guards/index.ts")));
    assert_eq!(resolver.resolve(&from, "@clerk/nextjs/server"), external("@clerk/nextjs"));
}

#[test]
fn jsconfig_when_there_is_no_tsconfig() {
    let (_dir, root) = tree(&[
        ("package.json", APP),
        ("jsconfig.json", r#"{ "compilerOptions": { "baseUrl": ".", "paths": { "@/*": ["./*"] } } }"#),
        ("lib/auth.js", ""),
        ("pages/api/x.js", ""),
    ]);
    let resolver = resolver_at(&root);
    assert_eq!(resolver.tsconfig().unwrap().path, root.join("jsconfig.json"));
    let from = root.join("pages/api/x.js");
    assert_eq!(resolver.resolve(&from, "@/lib/auth"), file(root.join("lib/auth.js")));
    assert_eq!(resolver.resolve(&from, "lib/auth"), file(root.join("lib/auth.js")));
}

#[test]
fn extends_cycles_terminate() {
    let (_dir, root) = tree(&[
        ("package.json", APP),
        ("tsconfig.json", r#"{ "extends": "./a.json", "compilerOptions": {} }"#),
        (
            "a.json",
            r#"{ "extends": ["./b.json", "./a.json"], "compilerOptions": { "paths": { "@/*": ["./src/*"] } } }"#,
        ),
        ("b.json", r#"{ "extends": "./tsconfig.json", "compilerOptions": { "baseUrl": "." } }"#),
        ("self/tsconfig.json", r#"{ "extends": "./tsconfig.json" }"#),
        ("src/x.ts", ""),
    ]);
    let config = TsConfig::load(&root).unwrap();
    assert_eq!(config.base_url.as_deref(), Some(root.as_path()));
    assert_eq!(config.alias_candidates("@/x"), [root.join("src/x")]);
    assert!(TsConfig::load(&root.join("self")).unwrap().paths.is_empty());
}

#[test]
fn malformed_configs_still_resolve_relative_imports() {
    for text in [
        "{{{",
        "",
        "[]",
        r#"{"compilerOptions": {"paths": {"@/*": "not-a-list", "*": [1, 2], "a*b*": ["x"]}}}"#,
        r#"{"extends": 42}"#,
    ] {
        let (_dir, root) =
            tree(&[("package.json", "not json"), ("tsconfig.json", text), ("lib/a.ts", ""), ("b.ts", "")]);
        let resolver = resolver_at(&root);
        assert_eq!(resolver.resolve(&root.join("b.ts"), "./lib/a"), file(root.join("lib/a.ts")));
        assert_eq!(resolver.resolve(&root.join("b.ts"), "@/lib/a"), external("@/lib"));
    }
}

#[test]
fn package_imports_field() {
    let (_dir, root) = tree(&[
        (
            "package.json",
            r##"{ "name": "web", "imports": { "#lib/*": "./lib/*.ts", "#db": { "default": "./lib/db/index.ts" } } }"##,
        ),
        ("lib/auth.ts", ""),
        ("lib/db/index.ts", ""),
        ("app/page.tsx", ""),
    ]);
    let resolver = resolver_at(&root);
    let from = root.join("app/page.tsx");
    assert_eq!(resolver.resolve(&from, "#lib/auth"), file(root.join("lib/auth.ts")));
    assert_eq!(resolver.resolve(&from, "#db"), file(root.join("lib/db/index.ts")));
    assert_eq!(resolver.resolve(&from, "#missing"), Resolution::Unresolved);
}

#[cfg(unix)]
#[test]
fn symlinked_files_resolve_to_their_target() {
    let (_dir, root) = tree(&[("package.json", APP), ("shared/auth.ts", ""), ("app/page.tsx", "")]);
    std::os::unix::fs::symlink(root.join("shared"), root.join("lib")).unwrap();
    let resolver = resolver_at(&root);
    assert_eq!(resolver.resolve(&root.join("app/page.tsx"), "../lib/auth"), file(root.join("shared/auth.ts")));
}

#[test]
fn results_are_cached_and_invalidated() {
    let (_dir, root) = tree(&[("package.json", APP), ("app/page.tsx", "")]);
    let resolver = std::sync::Arc::new(resolver_at(&root));
    let from = root.join("app/page.tsx");
    assert_eq!(resolver.resolve(&from, "../lib/auth"), Resolution::Unresolved);
    std::fs::create_dir_all(root.join("lib")).unwrap();
    std::fs::write(root.join("lib/auth.ts"), "").unwrap();
    assert_eq!(resolver.resolve(&from, "../lib/auth"), Resolution::Unresolved, "cached until invalidated");
    resolver.invalidate();
    let threads: Vec<_> = (0..4)
        .map(|_| {
            let resolver = resolver.clone();
            let from = from.clone();
            std::thread::spawn(move || resolver.resolve(&from, "../lib/auth"))
        })
        .collect();
    for thread in threads {
        assert_eq!(thread.join().unwrap(), file(root.join("lib/auth.ts")));
    }
}
