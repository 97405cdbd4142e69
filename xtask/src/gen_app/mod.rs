//! `cargo xtask gen-app`: writes a realistic, deterministic Next.js + Clerk app of N source
//! files (App Router pages and route handlers, Server Action modules, Pages Router pages and API
//! routes, webhook and cron handlers, "use client" components, Prisma-style query modules and
//! guard helpers behind `@/` aliases, a middleware), mixing correct code with the mistakes
//! clerkguard reports. It always includes one ~3,000-line Server Action module for the LSP
//! harness.

mod templates;

use std::collections::BTreeMap;
use std::io;
use std::path::{Path, PathBuf};

use crate::rng::Rng;
use templates::*;

/// Where the large file for the LSP harness goes, relative to the app root.
pub const BIG_FILE: &str = "src/app/admin/console/actions.ts";
/// The summary written next to the generated app (not a source file).
pub const MANIFEST: &str = "bench-manifest.json";
/// Lines of the large file.
pub const BIG_FILE_LINES: usize = 3_000;
/// Files per directory bucket (`m0`, `m1`, ...), so no directory gets huge.
const BUCKET: usize = 50;

pub struct Entity {
    pub name: &'static str,
}

impl Entity {
    pub fn cap(&self) -> String {
        let mut chars = self.name.chars();
        chars.next().map(|c| c.to_ascii_uppercase().to_string() + chars.as_str()).unwrap_or_default()
    }
}

static ENTITIES: [Entity; 24] = [
    Entity { name: "post" },
    Entity { name: "project" },
    Entity { name: "invoice" },
    Entity { name: "comment" },
    Entity { name: "team" },
    Entity { name: "order" },
    Entity { name: "ticket" },
    Entity { name: "note" },
    Entity { name: "document" },
    Entity { name: "task" },
    Entity { name: "customer" },
    Entity { name: "report" },
    Entity { name: "event" },
    Entity { name: "asset" },
    Entity { name: "review" },
    Entity { name: "message" },
    Entity { name: "subscription" },
    Entity { name: "board" },
    Entity { name: "label" },
    Entity { name: "payout" },
    Entity { name: "coupon" },
    Entity { name: "webinar" },
    Entity { name: "playlist" },
    Entity { name: "shipment" },
];

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
enum Kind {
    Page,
    Actions,
    RouteHandler,
    PagesApi,
    PagesPage,
    Webhook,
    Component,
    LibQueries,
    LibGuards,
    LibUtils,
}

const KINDS: [(Kind, usize); 10] = [
    (Kind::Page, 20),
    (Kind::Actions, 14),
    (Kind::RouteHandler, 12),
    (Kind::PagesApi, 6),
    (Kind::PagesPage, 4),
    (Kind::Webhook, 2),
    (Kind::Component, 20),
    (Kind::LibQueries, 12),
    (Kind::LibGuards, 3),
    (Kind::LibUtils, 7),
];

impl Kind {
    fn name(self) -> &'static str {
        match self {
            Kind::Page => "app-page",
            Kind::Actions => "server-actions",
            Kind::RouteHandler => "route-handler",
            Kind::PagesApi => "pages-api",
            Kind::PagesPage => "pages-page",
            Kind::Webhook => "webhook-or-cron",
            Kind::Component => "client-component",
            Kind::LibQueries => "lib-queries",
            Kind::LibGuards => "lib-guards",
            Kind::LibUtils => "lib-utils",
        }
    }
}

/// The fixed source files every app has (middleware, db, auth helpers, the big file).
const FIXED_SOURCE_FILES: usize = 5;

#[derive(Debug)]
pub struct Summary {
    pub root: PathBuf,
    pub files: usize,
    pub bytes: u64,
    pub lines: usize,
    pub by_kind: BTreeMap<&'static str, usize>,
    pub planted_mistakes: usize,
    pub big_file: PathBuf,
    pub big_file_lines: usize,
}

impl Summary {
    pub fn to_json(&self, seed: u64) -> serde_json::Value {
        serde_json::json!({
            "seed": seed,
            "files": self.files,
            "bytes": self.bytes,
            "lines": self.lines,
            "by_kind": self.by_kind,
            "planted_mistakes": self.planted_mistakes,
            "big_file": BIG_FILE,
            "big_file_lines": self.big_file_lines,
        })
    }
}

struct Writer {
    root: PathBuf,
    summary: Summary,
}

impl Writer {
    fn write(&mut self, rel: &str, text: &str, kind: Option<Kind>) -> io::Result<()> {
        let path = self.root.join(rel);
        if let Some(dir) = path.parent() {
            std::fs::create_dir_all(dir)?;
        }
        std::fs::write(&path, text)?;
        let is_source = rel.ends_with(".ts") || rel.ends_with(".tsx");
        if is_source {
            self.summary.files += 1;
            self.summary.bytes += text.len() as u64;
            self.summary.lines += text.lines().count();
        }
        if let Some(kind) = kind {
            *self.summary.by_kind.entry(kind.name()).or_default() += 1;
        }
        Ok(())
    }
}

/// Generates the app into `out`. `out` must not exist, be empty, or hold an earlier generated
/// app (recognised by its manifest), which is replaced.
pub fn generate(files: usize, seed: u64, out: &Path) -> io::Result<Summary> {
    if files < FIXED_SOURCE_FILES + 1 {
        return Err(io::Error::new(
            io::ErrorKind::InvalidInput,
            format!("--files must be at least {}", FIXED_SOURCE_FILES + 1),
        ));
    }
    if out.exists() {
        let empty = std::fs::read_dir(out)?.next().is_none();
        if !empty && !out.join(MANIFEST).is_file() {
            return Err(io::Error::new(
                io::ErrorKind::AlreadyExists,
                format!("{} exists and is not a generated app (no {MANIFEST}); refusing to overwrite", out.display()),
            ));
        }
        if !empty {
            std::fs::remove_dir_all(out)?;
        }
    }
    std::fs::create_dir_all(out)?;
    let root = out.canonicalize()?;
    let mut w = Writer {
        root: root.clone(),
        summary: Summary {
            root,
            files: 0,
            bytes: 0,
            lines: 0,
            by_kind: BTreeMap::new(),
            planted_mistakes: 0,
            big_file: PathBuf::new(),
            big_file_lines: 0,
        },
    };
    let mut rng = Rng::new(seed);

    w.write("package.json", &package_json(seed), None)?;
    w.write("tsconfig.json", TSCONFIG, None)?;
    w.write("src/middleware.ts", MIDDLEWARE, None)?;
    w.write("src/lib/db.ts", LIB_DB, None)?;
    w.write("src/lib/auth/guards.ts", LIB_AUTH_GUARDS, None)?;
    w.write("src/lib/auth/index.ts", LIB_AUTH_INDEX, None)?;
    let (big, mistakes) = big_actions_file(&mut rng);
    w.summary.planted_mistakes += mistakes;
    w.summary.big_file_lines = big.lines().count();
    w.summary.big_file = w.root.join(BIG_FILE);
    w.write(BIG_FILE, &big, Some(Kind::Actions))?;

    // Query modules written so far: (import specifier, entity), for cross-module imports.
    let mut libs: Vec<(String, &'static Entity)> = Vec::new();
    let weights: Vec<usize> = KINDS.iter().map(|(_, w)| *w).collect();

    for i in 0..files - FIXED_SOURCE_FILES {
        let kind = KINDS[rng.weighted(&weights)].0;
        let e = rng.pick(&ENTITIES);
        let b = i / BUCKET;
        let (rel, text, mistakes) = match kind {
            Kind::Page => {
                let (text, m) = page(&mut rng, e, i);
                (format!("src/app/m{b}/{}s-{i}/page.tsx", e.name), text, m)
            }
            Kind::Actions => {
                let lib = if libs.is_empty() || rng.chance(40) { None } else { Some(rng.pick(&libs)) };
                let (text, m) = actions_file(&mut rng, e, i, lib.map(|(spec, ent)| (spec.as_str(), *ent)));
                (format!("src/app/m{b}/{}s-{i}/actions.ts", e.name), text, m)
            }
            Kind::RouteHandler => {
                let (text, m) = route_handler(&mut rng, e, i);
                (format!("src/app/api/m{b}/{}s-{i}/route.ts", e.name), text, m)
            }
            Kind::PagesApi => {
                let mistake = rng.chance(25);
                let text = fill(PAGES_API[usize::from(mistake)], e, i, &[]);
                (format!("src/pages/api/legacy/m{b}/{}s-{i}.ts", e.name), text, usize::from(mistake))
            }
            Kind::PagesPage => (format!("src/pages/legacy/m{b}/{}s-{i}.tsx", e.name), fill(PAGES_PAGE, e, i, &[]), 0),
            Kind::Webhook => {
                let text = fill(WEBHOOKS[rng.below(2)], e, i, &[]);
                (format!("src/app/api/webhooks/m{b}/{}-{i}/route.ts", e.name), text, 0)
            }
            Kind::Component => (format!("src/components/m{b}/{}Card{i}.tsx", e.cap()), fill(COMPONENT, e, i, &[]), 0),
            Kind::LibQueries => {
                let rel = format!("src/lib/m{b}/{}-queries-{i}.ts", e.name);
                libs.push((format!("@/lib/m{b}/{}-queries-{i}", e.name), e));
                (rel, fill(LIB_QUERIES, e, i, &[]), 0)
            }
            Kind::LibGuards => (format!("src/lib/m{b}/guards-{i}.ts"), fill(LIB_GUARDS, e, i, &[]), 0),
            Kind::LibUtils => (format!("src/lib/m{b}/utils-{i}.ts"), fill(LIB_UTILS, e, i, &[]), 0),
        };
        w.summary.planted_mistakes += mistakes;
        w.write(&rel, &text, Some(kind))?;
    }
    let seed_summary = w.summary.to_json(seed);
    w.write(MANIFEST, &serde_json::to_string_pretty(&seed_summary).unwrap_or_default(), None)?;
    Ok(w.summary)
}

fn package_json(seed: u64) -> String {
    format!(
        r#"{{
  "name": "generated-app-{seed}",
  "private": true,
  "scripts": {{ "dev": "next dev", "build": "next build" }},
  "dependencies": {{
    "@clerk/nextjs": "^6.12.0",
    "@prisma/client": "6.4.1",
    "next": "15.2.4",
    "react": "19.0.0",
    "react-dom": "19.0.0",
    "svix": "1.45.1",
    "zod": "3.24.2"
  }}
}}
"#
    )
}

const TSCONFIG: &str = r#"{
  "compilerOptions": {
    "target": "ES2022",
    "strict": true,
    "jsx": "preserve",
    "moduleResolution": "bundler",
    "baseUrl": ".",
    "paths": { "@/*": ["./src/*"] }
  },
  "include": ["src"]
}
"#;

fn actions_file(rng: &mut Rng, e: &Entity, n: usize, lib: Option<(&str, &Entity)>) -> (String, usize) {
    let mut text = ACTIONS_HEADER.to_string();
    if let Some((spec, lib_entity)) = lib {
        text.push_str(&format!("import {{ list{}sForOwner }} from \"{spec}\";\n", lib_entity.cap()));
    }
    text.push_str(SETTINGS_SCHEMA);
    let mut mistakes = 0;
    for k in 0..rng.range(3, 9) {
        let (code, mistake) = server_action(rng, e, n * 16 + k, lib.map(|(_, le)| le));
        mistakes += usize::from(mistake);
        text.push_str(&code);
    }
    (text, mistakes)
}

fn page(rng: &mut Rng, e: &Entity, n: usize) -> (String, usize) {
    let mut mistakes = 0;
    let mut text = fill(PAGE_HEADER, e, n, &[]);
    let guard = rng.weighted(&[50, 20, 20, 10]);
    mistakes += usize::from(guard == 3);
    text.push_str(PAGE_GUARDS[guard]);
    text.push_str(&fill(PAGE_BODY, e, n, &[]));
    let inline = rng.chance(35);
    if inline {
        let missing = rng.chance(20);
        mistakes += usize::from(missing);
        text.push_str(&fill(PAGE_INLINE_ACTIONS[usize::from(missing)], e, n, &[]));
    }
    text.push_str(&fill(PAGE_JSX, e, n, &[("%FORM%", if inline { PAGE_FORM } else { "" })]));
    (text, mistakes)
}

fn route_handler(rng: &mut Rng, e: &Entity, n: usize) -> (String, usize) {
    let mut text = fill(ROUTE_HEADER, e, n, &[]);
    let mut mistakes = 0;
    let mut used = [false; 4];
    for _ in 0..rng.range(1, 2) {
        let v = rng.weighted(&[45, 35, 12, 8]);
        if std::mem::replace(&mut used[v], true) {
            continue; // one handler per method
        }
        mistakes += usize::from(v >= 2);
        text.push_str(&fill(ROUTE_MUTATIONS[v], e, n, &[]));
    }
    (text, mistakes)
}

/// A long Server Action module (an admin console that grew for years): at least
/// [`BIG_FILE_LINES`] lines.
fn big_actions_file(rng: &mut Rng) -> (String, usize) {
    let mut text = ACTIONS_HEADER.to_string();
    text.push_str(SETTINGS_SCHEMA);
    let mut mistakes = 0;
    let mut k = 0;
    while text.lines().count() < BIG_FILE_LINES {
        let e = &ENTITIES[k % ENTITIES.len()];
        let (code, mistake) = server_action(rng, e, 900_000 + k, None);
        mistakes += usize::from(mistake);
        text.push_str(&code);
        k += 1;
    }
    (text, mistakes)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn deterministic_and_parses() {
        let a = tempdir("a");
        let b = tempdir("b");
        let sa = generate(60, 42, &a).unwrap();
        let sb = generate(60, 42, &b).unwrap();
        assert_eq!(sa.files, 60);
        assert_eq!((sa.bytes, sa.lines, sa.planted_mistakes), (sb.bytes, sb.lines, sb.planted_mistakes));
        assert!(sa.big_file_lines >= BIG_FILE_LINES);
        for entry in walk(&a) {
            let text = std::fs::read_to_string(&entry).unwrap();
            let twin = std::fs::read_to_string(b.join(entry.strip_prefix(&a).unwrap())).unwrap();
            assert_eq!(text, twin, "{}", entry.display());
            if let Some(kind) = clerkguard_syntax::SourceKind::from_path(&entry) {
                let parsed = clerkguard_syntax::parse_source(&text, kind);
                assert!(parsed.errors.is_empty(), "{}: {:?}", entry.display(), parsed.errors);
            }
        }
        // Regenerating over an earlier app replaces it.
        assert_eq!(generate(60, 43, &a).unwrap().files, 60);
        std::fs::remove_dir_all(&a).unwrap();
        std::fs::remove_dir_all(&b).unwrap();
    }

    #[test]
    fn refuses_foreign_directories() {
        let dir = tempdir("foreign");
        std::fs::create_dir_all(&dir).unwrap();
        std::fs::write(dir.join("keep.txt"), "mine").unwrap();
        assert!(generate(60, 1, &dir).is_err());
        assert!(dir.join("keep.txt").is_file());
        std::fs::remove_dir_all(&dir).unwrap();
    }

    fn tempdir(name: &str) -> PathBuf {
        let dir = std::env::temp_dir().join(format!("xtask-gen-{}-{name}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        dir
    }

    fn walk(dir: &Path) -> Vec<PathBuf> {
        let mut out = Vec::new();
        for entry in std::fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                out.extend(walk(&path));
            } else {
                out.push(path);
            }
        }
        out
    }
}
