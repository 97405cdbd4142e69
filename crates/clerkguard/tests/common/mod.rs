//! A throwaway Next.js project on disk and a way to run the built binary in it.

#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

pub const PACKAGE_JSON: &str = r#"{"dependencies":{"@clerk/nextjs":"^6.30.0","next":"15.2.4"}}"#;

pub struct Project {
    dir: tempfile::TempDir,
}

impl Project {
    pub fn new() -> Self {
        let dir = tempfile::tempdir().expect("create temp dir");
        let project = Self { dir };
        project.write("package.json", PACKAGE_JSON);
        project
    }

    pub fn root(&self) -> PathBuf {
        self.dir.path().canonicalize().expect("canonical temp dir")
    }

    pub fn path(&self, rel: &str) -> PathBuf {
        self.root().join(rel)
    }

    pub fn write(&self, rel: &str, content: impl AsRef<[u8]>) -> &Self {
        let path = self.dir.path().join(rel);
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent).expect("create parent dirs");
        }
        std::fs::write(&path, content).expect("write file");
        self
    }

    pub fn read(&self, rel: &str) -> String {
        std::fs::read_to_string(self.dir.path().join(rel)).expect("read file")
    }

    /// Runs `clerkguard <args>` with the project root as the current directory.
    pub fn run(&self, args: &[&str]) -> Run {
        run_in(self.dir.path(), args)
    }
}

pub fn run_in(dir: &Path, args: &[&str]) -> Run {
    let output = Command::new(env!("CARGO_BIN_EXE_clerkguard"))
        .args(args)
        .current_dir(dir)
        .env_remove("NO_COLOR")
        .env("RAYON_NUM_THREADS", "2")
        .output()
        .expect("run clerkguard");
    Run::from(output)
}

#[derive(Debug)]
pub struct Run {
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
}

impl From<Output> for Run {
    fn from(output: Output) -> Self {
        Self {
            code: output.status.code().unwrap_or(-1),
            stdout: String::from_utf8_lossy(&output.stdout).into_owned(),
            stderr: String::from_utf8_lossy(&output.stderr).into_owned(),
        }
    }
}

impl Run {
    pub fn json(&self) -> serde_json::Value {
        serde_json::from_str(&self.stdout).unwrap_or_else(|e| panic!("stdout is not JSON ({e}):\n{}", self.stdout))
    }

    #[track_caller]
    pub fn assert_code(&self, code: i32) -> &Self {
        assert_eq!(self.code, code, "unexpected exit code\nstdout:\n{}\nstderr:\n{}", self.stdout, self.stderr);
        self
    }
}

/// A source file with one stale suppression (a `suppression-unused` warning with a safe fix
/// that deletes the comment line).
pub const STALE_SUPPRESSION: &str =
    "// clerkguard-ignore-next-line foo -- left over from a refactor\nexport const VERSION = 3;\n";

/// A full Clerk secret key (a made-up one) that must never appear in any output.
pub const SECRET: &str = "sk_live_4eC39HqLyjWDarjtT1zdp7dc9f2c";
