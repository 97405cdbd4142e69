//! Parse-only vs full analysis on the same generated files (the ratio is the headline), and a
//! cold workspace check. Run: `cargo bench -p xtask --bench analysis`.
//!
//! The workload is a generated app (`xtask::gen_app`) of `CLERKGUARD_BENCH_FILES` source files
//! (default 500), seed `CLERKGUARD_BENCH_SEED` (default 1), written once under the system temp
//! directory and read into memory before timing. Single-threaded benches measure per-core
//! throughput; `*_2_threads` use a rayon pool of 2 like `clerkguard check` on this machine.

use std::hint::black_box;
use std::path::PathBuf;
use std::sync::OnceLock;

use clerkguard_linter::{BufferCache, Workspace};
use clerkguard_syntax::{SourceKind, parse_source};
use divan::Bencher;
use divan::counter::{BytesCount, ItemsCount};
use rayon::prelude::*;

// The shipped binary's allocator (crates/clerkguard/src/main.rs), for parse-only and full
// analysis alike.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() {
    let c = corpus();
    eprintln!("corpus: {} files, {} bytes, {}", c.files.len(), c.bytes, c.root.display());
    print_big_file_timings();
    print_corpus_timings();
    divan::main();
}

/// Where one keystroke's analysis of the 3,000-line file goes (warm workspace, 20 runs).
fn print_big_file_timings() {
    let c = corpus();
    let big = big_file();
    let workspace = Workspace::new(vec![c.root.clone()]);
    black_box(workspace.lint_text(&big.path, &big.text));
    let mut timings = clerkguard_linter::RuleTimings::default();
    for _ in 0..20 {
        black_box(workspace.lint_text_with_timings(&big.path, &big.text, &mut timings));
    }
    eprintln!("{} ({} bytes), warm, mean of 20 lints:", big.path.display(), big.text.len());
    for (name, time) in timings.sorted().iter().take(12) {
        eprintln!("  {name:<34} {:>8.3} ms", time.total.as_secs_f64() * 1e3 / time.runs.max(1) as f64);
    }
    eprintln!("  {:<34} {:>8.3} ms", "total", timings.total().as_secs_f64() * 1e3 / 20.0);
}

/// Where a warm lint of the whole corpus goes, per phase and rule (µs per file, one pass after
/// a warm-up pass): what separates full analysis from parse-only.
fn print_corpus_timings() {
    let c = corpus();
    let workspace = Workspace::new(vec![c.root.clone()]);
    for f in &c.files {
        black_box(workspace.lint_text(&f.path, &f.text));
    }
    let mut timings = clerkguard_linter::RuleTimings::default();
    for f in &c.files {
        black_box(workspace.lint_text_with_timings(&f.path, &f.text, &mut timings));
    }
    let per_file = |d: std::time::Duration| d.as_secs_f64() * 1e6 / c.files.len().max(1) as f64;
    eprintln!("whole corpus, warm, µs per file:");
    for (name, time) in timings.sorted().iter().take(14) {
        eprintln!("  {name:<34} {:>8.1} µs", per_file(time.total));
    }
    eprintln!("  {:<34} {:>8.1} µs", "total", per_file(timings.total()));
}

fn big_file() -> &'static SourceFile {
    let c = corpus();
    let path = c.root.join(xtask::gen_app::BIG_FILE);
    c.files.iter().find(|f| f.path == path).expect("the generated app has its large file")
}

struct SourceFile {
    path: PathBuf,
    text: String,
    kind: SourceKind,
}

struct Corpus {
    root: PathBuf,
    files: Vec<SourceFile>,
    bytes: usize,
}

fn env_number(name: &str, default: u64) -> u64 {
    std::env::var(name).ok().and_then(|v| v.parse().ok()).unwrap_or(default)
}

fn corpus() -> &'static Corpus {
    static CORPUS: OnceLock<Corpus> = OnceLock::new();
    CORPUS.get_or_init(|| {
        let files = env_number("CLERKGUARD_BENCH_FILES", 500) as usize;
        let seed = env_number("CLERKGUARD_BENCH_SEED", 1);
        let root = std::env::temp_dir().join(format!("clerkguard-bench-{files}-{seed}"));
        let summary = xtask::gen_app::generate(files, seed, &root).expect("generate the bench app");
        let workspace = Workspace::new(vec![summary.root.clone()]);
        let files: Vec<SourceFile> = workspace
            .source_files()
            .into_iter()
            .filter_map(|path| {
                let kind = SourceKind::from_path(&path)?;
                let text = std::fs::read_to_string(&path).ok()?;
                Some(SourceFile { path, text, kind })
            })
            .collect();
        let bytes = files.iter().map(|f| f.text.len()).sum();
        Corpus { root: summary.root, files, bytes }
    })
}

fn pool(threads: usize) -> rayon::ThreadPool {
    rayon::ThreadPoolBuilder::new().num_threads(threads).build().expect("rayon pool")
}

/// swc parse (with the recovery wrapper and comment collection clerkguard uses), every file.
#[divan::bench(sample_count = 20, sample_size = 1)]
fn parse_only(bencher: Bencher) {
    let c = corpus();
    bencher.counter(BytesCount::new(c.bytes)).counter(ItemsCount::new(c.files.len())).bench(|| {
        for f in &c.files {
            black_box(parse_source(&f.text, f.kind));
        }
    });
}

/// `Workspace::lint_text` on every file with a warm workspace (projects, index and cross-module
/// summaries cached by an earlier pass): the steady-state cost per file.
#[divan::bench(sample_count = 20, sample_size = 1)]
fn full_analysis_warm(bencher: Bencher) {
    let c = corpus();
    let workspace = Workspace::new(vec![c.root.clone()]);
    for f in &c.files {
        black_box(workspace.lint_text(&f.path, &f.text));
    }
    bencher.counter(BytesCount::new(c.bytes)).counter(ItemsCount::new(c.files.len())).bench(|| {
        for f in &c.files {
            black_box(workspace.lint_text(&f.path, &f.text));
        }
    });
}

/// A fresh workspace per iteration, texts already in memory: project loading, the project
/// index, and every cross-module summary computed once, then every file linted.
#[divan::bench(sample_count = 10, sample_size = 1)]
fn full_analysis_cold(bencher: Bencher) {
    let c = corpus();
    bencher.counter(BytesCount::new(c.bytes)).counter(ItemsCount::new(c.files.len())).bench(|| {
        let workspace = Workspace::new(vec![c.root.clone()]);
        for f in &c.files {
            black_box(workspace.lint_text(&f.path, &f.text));
        }
    });
}

/// The 3,000-line Server Action module: parse alone vs a warm `lint_text` (what the language
/// server does per keystroke, before positions and JSON).
#[divan::bench(sample_count = 30, sample_size = 1)]
fn big_file_parse(bencher: Bencher) {
    let f = big_file();
    bencher.counter(BytesCount::new(f.text.len())).bench(|| black_box(parse_source(&f.text, f.kind)));
}

#[divan::bench(sample_count = 30, sample_size = 1)]
fn big_file_lint_warm(bencher: Bencher) {
    let c = corpus();
    let f = big_file();
    let workspace = Workspace::new(vec![c.root.clone()]);
    black_box(workspace.lint_text(&f.path, &f.text));
    bencher.counter(BytesCount::new(f.text.len())).bench(|| black_box(workspace.lint_text(&f.path, &f.text)));
}

/// One keystroke in the 3,000-line file through the editor path (`lint_text_reparsing` with the
/// buffer's kept tree, analyses and text facts), with 32 MB of memory touched before each (what
/// the pauses between keystrokes and the language server's other threads do to the CPU
/// caches): the lint part of the LSP's keystroke latency. The keystrokes type a statement into
/// a function in the middle of the file, one character at a time, then start again from the
/// original text.
#[divan::bench(sample_count = 60, sample_size = 1)]
fn big_file_keystroke_cold(bencher: Bencher) {
    let c = corpus();
    let f = big_file();
    let workspace = Workspace::new(vec![c.root.clone()]);
    let mut cache = BufferCache::new();
    workspace.set_overlay_cached(&f.path, Some(&f.text), &mut cache);
    black_box(workspace.lint_text_reparsing(&f.path, &f.text, &mut cache));
    let middle = f.text.len() / 2;
    let body = middle + f.text[middle..].find("{\n").map_or(0, |i| i + 2);
    let typed: Vec<char> = "  const note = [\"audit\", id, Date.now()].join(\":\");\n".chars().collect();
    let mut current = f.text.clone();
    let mut next = 0;
    let mut evict = vec![0u8; 32 << 20];
    bencher
        .counter(BytesCount::new(f.text.len()))
        .with_inputs(|| {
            if next == typed.len() {
                current = f.text.clone();
                next = 0;
            }
            let at = body + typed[..next].iter().map(|c| c.len_utf8()).sum::<usize>();
            current.insert(at, typed[next]);
            next += 1;
            for i in (0..evict.len()).step_by(64) {
                evict[i] = evict[i].wrapping_add(1);
            }
            black_box(&evict);
            current.clone()
        })
        .bench_local_refs(|text| {
            workspace.set_overlay_cached(&f.path, Some(text), &mut cache);
            black_box(workspace.lint_text_reparsing(&f.path, text, &mut cache))
        });
    workspace.set_overlay(&f.path, None);
}

#[divan::bench(sample_count = 20, sample_size = 1)]
fn parse_only_2_threads(bencher: Bencher) {
    let c = corpus();
    let pool = pool(2);
    bencher.counter(BytesCount::new(c.bytes)).counter(ItemsCount::new(c.files.len())).bench(|| {
        pool.install(|| {
            c.files.par_iter().for_each(|f| {
                black_box(parse_source(&f.text, f.kind));
            })
        })
    });
}

/// What `clerkguard check` does after option parsing: scan the directory, build the project
/// models, read and lint every file in parallel with a fresh workspace (one parse per file).
#[divan::bench(sample_count = 10, sample_size = 1)]
fn check_cold_2_threads(bencher: Bencher) {
    let c = corpus();
    let pool = pool(2);
    bencher.counter(BytesCount::new(c.bytes)).counter(ItemsCount::new(c.files.len())).bench(|| {
        pool.install(|| {
            let workspace = Workspace::new(vec![c.root.clone()]);
            let files = workspace.source_files();
            workspace.prepare(&files);
            black_box(workspace.lint_batch(&files, None));
        })
    });
}
