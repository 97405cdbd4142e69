//! Developer tasks for clerkguard (see `main.rs`); a library so the benchmarks can generate
//! their workload in-process.

pub mod gen_app;
pub mod lsp_bench;
pub mod lsp_client;
pub mod rng;
