use std::path::Path;

use swc_ecma_parser::{EsSyntax, Syntax, TsSyntax};

/// The language dialect of a source file, decided by its extension.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum SourceKind {
    TypeScript,
    Tsx,
    JavaScript,
}

impl SourceKind {
    /// Extensions clerkguard analyses, in the order module resolution tries them.
    pub const EXTENSIONS: [&'static str; 8] = ["ts", "tsx", "js", "jsx", "mjs", "cjs", "mts", "cts"];

    /// `None` for files that are not JavaScript or TypeScript, and for `.d.ts` declarations.
    pub fn from_path(path: &Path) -> Option<Self> {
        let name = path.file_name()?.to_str()?;
        if name.ends_with(".d.ts") || name.ends_with(".d.mts") || name.ends_with(".d.cts") {
            return None;
        }
        // The extension from the name at hand (`Path::extension` would split the path again).
        let (stem, extension) = name.rsplit_once('.')?;
        if stem.is_empty() {
            return None; // `.ts` is a hidden file without an extension
        }
        match extension {
            "ts" | "mts" | "cts" => Some(Self::TypeScript),
            "tsx" => Some(Self::Tsx),
            // Next.js compiles JSX in `.js` files, so every JavaScript flavour gets JSX.
            "js" | "jsx" | "mjs" | "cjs" => Some(Self::JavaScript),
            _ => None,
        }
    }

    pub(crate) fn syntax(self) -> Syntax {
        match self {
            Self::TypeScript => Syntax::Typescript(TsSyntax { tsx: false, decorators: true, ..Default::default() }),
            Self::Tsx => Syntax::Typescript(TsSyntax { tsx: true, decorators: true, ..Default::default() }),
            Self::JavaScript => Syntax::Es(EsSyntax { jsx: true, decorators: true, ..Default::default() }),
        }
    }
}
