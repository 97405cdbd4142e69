//! The project's import graph and its client closure: every module that ends up in the browser
//! bundle because a `"use client"` module imports it, directly or through other modules.
//!
//! - The walk starts at the `"use client"` modules (found by a cheap scan of each file's
//!   directive prologue, so files nobody imports from the client are never parsed).
//! - A `"use server"` module stops the walk: a client module importing it gets references to
//!   its Server Functions, not its code.
//! - A module importing `server-only` stops the walk too: it cannot be bundled for the client
//!   (the build fails), so it leaks nothing.
//! - Type-only imports bundle nothing.
//!
//! Nodes are parsed on demand, in parallel per breadth-first layer, and kept; an edit
//! ([`ModuleGraph::note_change`]) re-reads one node and recomputes the closure over the cached
//! edges, reporting the files whose client/server status changed.

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, RwLock};

use rustc_hash::{FxHashMap as HashMap, FxHashSet as HashSet};

use clerkguard_project::{Resolution, Resolver};
use clerkguard_syntax::ast::{CallExpr, Callee, Expr, Lit, ModuleDecl, ModuleItem};
use clerkguard_syntax::visit::{Visit, VisitWith};
use clerkguard_syntax::{Directive, ParsedFile, SourceKind, TextRange, module_directives, parse_source};
use rayon::prelude::*;

use super::ProjectIndex;
use crate::locks::{lock, read, write};

/// One import of a module (static, re-export, dynamic `import()` or `require`).
#[derive(Clone, Debug)]
pub struct ImportEdge {
    pub specifier: String,
    /// The project file it resolves to, if any.
    pub target: Option<PathBuf>,
    pub type_only: bool,
    /// The specifier string's range in the importing file.
    pub range: TextRange,
}

/// What the graph knows about one module.
#[derive(Clone, Debug, Default)]
pub struct ModuleNode {
    pub use_client: bool,
    pub use_server: bool,
    pub imports: Vec<ImportEdge>,
    /// `import "server-only"`: the module can never be part of a client bundle.
    pub imports_server_only: bool,
}

#[derive(Default)]
struct GraphState {
    /// Cheap prologue scan of every source file: (use client, use server).
    directives: HashMap<PathBuf, (bool, bool)>,
    nodes: HashMap<PathBuf, Arc<ModuleNode>>,
    /// Client modules → the client module that first pulled them in (`None` for the
    /// `"use client"` modules themselves).
    client: HashMap<PathBuf, Option<PathBuf>>,
}

pub struct ModuleGraph {
    resolver: Resolver,
    /// The workspace's texts (open buffers first), shared with the index.
    sources: Arc<crate::sources::Sources>,
    state: RwLock<GraphState>,
    /// With [`build_keeping_parses`]: the parses made while building, with the text each was
    /// made from, for a batch lint to take instead of parsing those files again.
    kept: Option<Mutex<KeptParses>>,
    /// Source bytes of the parses kept so far (at most [`MAX_KEPT_SOURCE_BYTES`]).
    kept_bytes: AtomicUsize,
}

/// How much source the kept parses may cover. A syntax tree takes several times its source's
/// size, and kept trees live until their file's lint: on the 5,000-file benchmark app the
/// client closure is 1,012 files (all kept); on the 20,000-file app keeping its 4,000 added
/// 100 MB of peak memory. Past the budget a file is parsed again by its lint.
const MAX_KEPT_SOURCE_BYTES: usize = 2 * 1024 * 1024;

/// A parse kept for the lint, by file, with the text it was made from.
type KeptParses = HashMap<PathBuf, (Arc<str>, ParsedFile)>;

impl std::fmt::Debug for ModuleGraph {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let state = read(&self.state);
        f.debug_struct("ModuleGraph")
            .field("files", &state.directives.len())
            .field("parsed", &state.nodes.len())
            .field("client", &state.client.len())
            .finish()
    }
}

pub fn build(index: &ProjectIndex) -> ModuleGraph {
    build_with(index, false)
}

/// [`build`], keeping the parse of every module the walk parsed (the client closure) until
/// [`ModuleGraph::take_parse`] takes it: a batch lint of the whole project then parses those
/// files once. (Not for the language server, which lints a few files at a time.)
pub fn build_keeping_parses(index: &ProjectIndex) -> ModuleGraph {
    build_with(index, true)
}

fn build_with(index: &ProjectIndex, keep_parses: bool) -> ModuleGraph {
    let graph = ModuleGraph {
        resolver: Resolver::new(&index.project),
        sources: index.sources.clone(),
        state: RwLock::default(),
        kept: keep_parses.then(Mutex::default),
        kept_bytes: AtomicUsize::new(0),
    };
    let sources: Vec<&PathBuf> = index.files.iter().filter(|f| SourceKind::from_path(f).is_some()).collect();
    let directives: HashMap<PathBuf, (bool, bool)> = sources
        .par_iter()
        .map(|path| {
            let scan = graph.text_of(path).map(|t| prologue_directives(&t)).unwrap_or_default();
            ((*path).clone(), scan)
        })
        .collect();
    write(&graph.state).directives = directives;
    graph.recompute_closure();
    graph
}

impl ModuleGraph {
    /// Whether the module is bundled for the browser (a `"use client"` module or reachable from
    /// one).
    pub fn is_client(&self, path: &Path) -> bool {
        read(&self.state).client.contains_key(path)
    }

    /// The import chain from a `"use client"` module to `path` (both included); empty when the
    /// module is not in the client closure.
    pub fn client_chain(&self, path: &Path) -> Vec<PathBuf> {
        let state = read(&self.state);
        let mut chain = Vec::new();
        let mut current = Some(path.to_path_buf());
        while let Some(p) = current {
            let Some(parent) = state.client.get(&p) else { break };
            if chain.contains(&p) {
                break;
            }
            chain.push(p);
            current = parent.clone();
        }
        chain.reverse();
        chain
    }

    /// Every module in the client closure.
    pub fn client_modules(&self) -> Vec<PathBuf> {
        let mut out: Vec<PathBuf> = read(&self.state).client.keys().cloned().collect();
        out.sort();
        out
    }

    /// The parsed node of a module (parsed now if it was not yet).
    pub fn node(&self, path: &Path) -> Option<Arc<ModuleNode>> {
        if let Some(node) = read(&self.state).nodes.get(path) {
            return Some(node.clone());
        }
        let node = Arc::new(self.parse_node(path)?);
        write(&self.state).nodes.insert(path.to_path_buf(), node.clone());
        Some(node)
    }

    /// Called when a source file changed without a structural change; returns other files whose
    /// findings may change (modules that entered or left the client closure).
    pub fn note_change(&self, path: &Path) -> Vec<PathBuf> {
        if SourceKind::from_path(path).is_none() {
            return Vec::new();
        }
        let scan = self.text_of(path).map(|t| prologue_directives(&t)).unwrap_or_default();
        let (was_client, same_directives) = {
            let mut state = write(&self.state);
            state.nodes.remove(path);
            let same = state.directives.get(path).is_none_or(|known| *known == scan);
            if state.directives.contains_key(path) {
                state.directives.insert(path.to_path_buf(), scan);
            }
            (state.client.contains_key(path), same)
        };
        // A module outside the client bundle that did not become a `"use client"` root cannot
        // change the bundle (its imports only matter once the client reaches it): no walk.
        // This is every keystroke in server code.
        if same_directives && !was_client {
            return Vec::new();
        }
        let before: HashSet<PathBuf> = read(&self.state).client.keys().cloned().collect();
        self.recompute_closure();
        let after: HashSet<PathBuf> = read(&self.state).client.keys().cloned().collect();
        let mut changed: Vec<PathBuf> =
            before.symmetric_difference(&after).filter(|p| p.as_path() != path).cloned().collect();
        changed.sort();
        changed
    }

    /// The parse of `path` the build kept, if it was made from `text` (taken: asked twice, the
    /// second answer is `None`).
    pub fn take_parse(&self, path: &Path, text: &str) -> Option<ParsedFile> {
        let (parsed_text, parsed) = lock(self.kept.as_ref()?).remove(path)?;
        (*parsed_text == *text).then_some(parsed)
    }

    /// Drops the parses nobody took.
    pub fn drop_kept_parses(&self) {
        if let Some(kept) = &self.kept {
            *lock(kept) = HashMap::default();
        }
    }

    fn text_of(&self, path: &Path) -> Option<Arc<str>> {
        self.sources.text_if_any(path)
    }

    fn parse_node(&self, path: &Path) -> Option<ModuleNode> {
        let kind = SourceKind::from_path(path)?;
        let text = self.text_of(path)?;
        let parsed = parse_source(&text, kind);
        let node = self.node_of(path, &parsed)?;
        if let Some(kept) = &self.kept
            && self.kept_bytes.fetch_add(text.len(), Ordering::Relaxed) + text.len() <= MAX_KEPT_SOURCE_BYTES
        {
            lock(kept).insert(path.to_path_buf(), (text, parsed));
        }
        Some(node)
    }

    fn node_of(&self, path: &Path, parsed: &ParsedFile) -> Option<ModuleNode> {
        let module = parsed.module.as_ref()?;
        let directives = module_directives(module);
        let mut collector = ImportCollector::default();
        for item in &module.body {
            match item {
                ModuleItem::ModuleDecl(ModuleDecl::Import(import)) => {
                    let type_only = import.type_only
                        || (!import.specifiers.is_empty()
                            && import.specifiers.iter().all(
                                |s| matches!(s, clerkguard_syntax::ast::ImportSpecifier::Named(n) if n.is_type_only),
                            ));
                    collector.push(
                        &import.src.value.to_string_lossy(),
                        type_only,
                        TextRange::from_span(import.src.span),
                    );
                }
                ModuleItem::ModuleDecl(ModuleDecl::ExportAll(e)) => {
                    collector.push(&e.src.value.to_string_lossy(), e.type_only, TextRange::from_span(e.src.span));
                }
                ModuleItem::ModuleDecl(ModuleDecl::ExportNamed(e)) => {
                    if let Some(src) = &e.src {
                        collector.push(&src.value.to_string_lossy(), e.type_only, TextRange::from_span(src.span));
                    }
                }
                _ => {}
            }
        }
        module.visit_with(&mut collector);
        let mut node = ModuleNode {
            use_client: directives.contains(&Directive::UseClient),
            use_server: directives.contains(&Directive::UseServer),
            ..Default::default()
        };
        for (specifier, type_only, range) in collector.found {
            if specifier == "server-only" {
                node.imports_server_only = true;
            }
            let target = match self.resolver.resolve(path, &specifier) {
                Resolution::File(file) => Some(file),
                _ => None,
            };
            node.imports.push(ImportEdge { specifier, target, type_only, range });
        }
        Some(node)
    }

    /// Breadth-first from the `"use client"` modules, parsing each layer's unparsed nodes in
    /// parallel.
    fn recompute_closure(&self) {
        let roots: Vec<PathBuf> = {
            let state = read(&self.state);
            let mut roots: Vec<PathBuf> =
                state.directives.iter().filter(|(_, (client, _))| *client).map(|(p, _)| p.clone()).collect();
            roots.sort_unstable_by(|a, b| clerkguard_project::path_order(a, b));
            roots
        };
        let mut client: HashMap<PathBuf, Option<PathBuf>> = roots.iter().map(|r| (r.clone(), None)).collect();
        let mut frontier = roots;
        while !frontier.is_empty() {
            let missing: Vec<PathBuf> = {
                let state = read(&self.state);
                frontier.iter().filter(|p| !state.nodes.contains_key(*p)).cloned().collect()
            };
            let parsed: Vec<(PathBuf, Arc<ModuleNode>)> =
                missing.par_iter().map(|p| (p.clone(), Arc::new(self.parse_node(p).unwrap_or_default()))).collect();
            let mut state = write(&self.state);
            state.nodes.extend(parsed);
            let mut next = Vec::new();
            for from in &frontier {
                let Some(node) = state.nodes.get(from) else { continue };
                for edge in &node.imports {
                    let Some(target) = &edge.target else { continue };
                    if edge.type_only || client.contains_key(target) {
                        continue;
                    }
                    // Server Function modules become references; server-only modules cannot be
                    // bundled. Either way nothing of theirs reaches the browser.
                    let (target_client, target_server) = state.directives.get(target).copied().unwrap_or_default();
                    if target_server && !target_client {
                        continue;
                    }
                    if let Some(target_node) = state.nodes.get(target)
                        && (target_node.use_server || target_node.imports_server_only)
                    {
                        continue;
                    }
                    client.insert(target.clone(), Some(from.clone()));
                    next.push(target.clone());
                }
            }
            drop(state);
            // Modules found to import `server-only` once parsed leave the closure again.
            let parsed_next: Vec<(PathBuf, Arc<ModuleNode>)> = {
                let state = read(&self.state);
                next.par_iter()
                    .filter(|p| !state.nodes.contains_key(*p))
                    .map(|p| (p.clone(), Arc::new(self.parse_node(p).unwrap_or_default())))
                    .collect()
            };
            let mut state = write(&self.state);
            state.nodes.extend(parsed_next);
            next.retain(|p| {
                let keep = state.nodes.get(p).is_none_or(|n| !n.imports_server_only && !n.use_server);
                if !keep {
                    client.remove(p);
                }
                keep
            });
            drop(state);
            frontier = next;
        }
        write(&self.state).client = client;
    }
}

#[derive(Default)]
struct ImportCollector {
    found: Vec<(String, bool, TextRange)>,
}

impl ImportCollector {
    fn push(&mut self, specifier: &str, type_only: bool, range: TextRange) {
        self.found.push((specifier.to_string(), type_only, range));
    }
}

impl Visit for ImportCollector {
    fn visit_call_expr(&mut self, call: &CallExpr) {
        let is_loader = match &call.callee {
            Callee::Import(_) => true,
            Callee::Expr(e) => matches!(&**e, Expr::Ident(id) if &*id.sym == "require"),
            Callee::Super(_) => false,
        };
        if is_loader
            && let Some(arg) = call.args.first()
            && let Expr::Lit(Lit::Str(s)) = &*arg.expr
        {
            self.push(&s.value.to_string_lossy(), false, TextRange::from_span(s.span));
        }
        call.visit_children_with(self);
    }
}

/// `"use client"` / `"use server"` in a file's directive prologue, found without parsing:
/// string-literal statements before anything else, comments and whitespace skipped.
pub fn prologue_directives(text: &str) -> (bool, bool) {
    let mut rest = text.strip_prefix('\u{feff}').unwrap_or(text);
    if rest.starts_with("#!") {
        rest = rest.find('\n').map_or("", |i| &rest[i..]);
    }
    let (mut client, mut server) = (false, false);
    loop {
        rest = skip_trivia(rest);
        let Some(quote) = rest.chars().next().filter(|c| *c == '"' || *c == '\'') else { break };
        let Some(end) = rest[1..].find([quote, '\n', '\\']) else { break };
        if rest.as_bytes().get(end + 1) != Some(&(quote as u8)) {
            break;
        }
        let value = &rest[1..1 + end];
        rest = skip_trivia(&rest[end + 2..]);
        // A string followed by anything but `;`, a line break or EOF is an expression, not a
        // directive (`"use client".length`).
        let terminated = rest.is_empty() || rest.starts_with(';') || text_had_newline_before(rest, text);
        if !terminated {
            break;
        }
        match value {
            "use client" => client = true,
            "use server" => server = true,
            _ => {}
        }
        rest = rest.strip_prefix(';').unwrap_or(rest);
    }
    (client, server)
}

/// Whether whitespace skipped right before `rest` (a suffix of `text`) contained a line break.
fn text_had_newline_before(rest: &str, text: &str) -> bool {
    let offset = text.len() - rest.len();
    text[..offset].chars().rev().take_while(|c| c.is_whitespace()).any(|c| c == '\n')
}

fn skip_trivia(mut rest: &str) -> &str {
    loop {
        let trimmed = rest.trim_start();
        if let Some(after) = trimmed.strip_prefix("//") {
            rest = after.find('\n').map_or("", |i| &after[i..]);
        } else if let Some(after) = trimmed.strip_prefix("/*") {
            rest = after.find("*/").map_or("", |i| &after[i + 2..]);
        } else {
            return trimmed;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn prologue_scan() {
        assert_eq!(prologue_directives("\"use client\";\nimport x from 'y'"), (true, false));
        assert_eq!(prologue_directives("// hi\n/* c */ 'use strict'\n'use server'\n"), (false, true));
        assert_eq!(prologue_directives("import x from 'y';\n'use client'"), (false, false));
        assert_eq!(prologue_directives("// \"use client\"\nexport {}"), (false, false));
        assert_eq!(prologue_directives("\"use client\".length"), (false, false));
        assert_eq!(prologue_directives("\u{feff}'use client'"), (true, false));
    }

    #[test]
    fn client_closure_and_incremental_changes() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().canonicalize().unwrap();
        let write = |rel: &str, text: &str| {
            let path = root.join(rel);
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            std::fs::write(&path, text).unwrap();
            path
        };
        write("package.json", r#"{"dependencies":{"next":"15.5.16"}}"#);
        let panel = write(
            "components/Panel.tsx",
            "'use client';\nimport { a } from '../lib/a';\nimport { act } from '../lib/actions';\nimport { s } from '../lib/guarded';\nimport type { T } from '../lib/types';\nconst lazy = () => import('../lib/lazy');\n",
        );
        let a = write("lib/a.ts", "export { b } from './b';\nexport const a = 1;\n");
        let b = write("lib/b.ts", "export const b = process.env.CLERK_SECRET_KEY;\n");
        let actions =
            write("lib/actions.ts", "'use server';\nimport { b } from './b';\nexport async function act() {}\n");
        let guarded = write("lib/guarded.ts", "import 'server-only';\nexport const s = 1;\n");
        let types = write("lib/types.ts", "export type T = string;\n");
        let lazy = write("lib/lazy.ts", "export default 1;\n");
        let files =
            vec![panel.clone(), a.clone(), b.clone(), actions.clone(), guarded.clone(), types.clone(), lazy.clone()];
        let project = clerkguard_project::load_project(&root);
        let sources = Arc::new(crate::sources::Sources::default());
        let index = ProjectIndex::build(&root, &files, sources.clone(), clerkguard_project::find_project_root)
            .with_project(project);
        let graph = index.module_graph();
        for (path, client) in [
            (&panel, true),
            (&a, true),
            (&b, true),
            (&lazy, true),
            (&actions, false),
            (&guarded, false),
            (&types, false),
        ] {
            assert_eq!(graph.is_client(path), client, "{}", path.display());
        }
        assert_eq!(graph.client_chain(&b), vec![panel.clone(), a.clone(), b.clone()]);
        // Dropping the import takes `a` and `b` out of the client bundle.
        sources.set_overlay(&panel, Some("'use client';\nexport const x = 1;\n"));
        let changed = graph.note_change(&panel);
        assert_eq!(changed, vec![a.clone(), b.clone(), lazy.clone()]);
        assert!(!graph.is_client(&b));
        // `"use client"` on `a` brings it (and `b`) back.
        sources.set_overlay(&a, Some("'use client';\nexport { b } from './b';\n"));
        let changed = graph.note_change(&a);
        assert_eq!(changed, vec![b.clone()]);
        assert!(graph.is_client(&a) && graph.is_client(&b));
    }
}
