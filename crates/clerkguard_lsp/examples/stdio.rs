//! Runs the server on stdin/stdout, as `clerkguard lsp` will: `cargo run -p clerkguard_lsp
//! --example stdio`.

fn main() {
    std::process::exit(clerkguard_lsp::run_stdio_blocking(clerkguard_lsp::ServerOptions::default()));
}
