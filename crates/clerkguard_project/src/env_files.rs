//! `.env*` files: their entries with byte ranges (for diagnostics and edits), suppression
//! comments, and whether git tracks them (a committed secret is a leaked secret).
//!
//! Parsing follows dotenv as Next.js loads it (`@next/env` → dotenv + dotenv-expand): `KEY=value`,
//! optional `export `, single/double/backtick quotes (double-quoted values may span lines),
//! `#` comments on their own line or after an unquoted value.

use std::path::{Path, PathBuf};

/// Env files are small; anything larger is not read.
const MAX_ENV_BYTES: u64 = 1024 * 1024;

/// One `KEY=value` line.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct EnvEntry {
    pub key: String,
    /// The value with quotes removed (escapes in double quotes are kept as written).
    pub value: String,
    /// 0-based line of the key.
    pub line: u32,
    /// Byte range of the key.
    pub key_range: (u32, u32),
    /// Byte range of the value's text inside its quotes (empty range for `KEY=`).
    pub value_range: (u32, u32),
}

/// `# clerkguard-ignore-next-line rule[, rule] -- reason` in an env file.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct EnvSuppression {
    /// The 0-based line it suppresses.
    pub target_line: u32,
    pub rules: Vec<String>,
    pub reason: Option<String>,
}

#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct EnvFile {
    pub entries: Vec<EnvEntry>,
    pub suppressions: Vec<EnvSuppression>,
}

impl EnvFile {
    pub fn parse(text: &str) -> Self {
        let mut file = EnvFile::default();
        let bytes = text.as_bytes();
        let mut offset = 0usize;
        let mut line_no = 0u32;
        while offset < text.len() {
            let line_end = text[offset..].find('\n').map_or(text.len(), |i| offset + i);
            let line = &text[offset..line_end];
            let trimmed = line.trim_start();
            let indent = line.len() - trimmed.len();
            let mut next = line_end + 1;
            let mut lines_used = 1;
            if let Some(comment) = trimmed.strip_prefix('#') {
                if let Some(s) = parse_suppression(comment.trim(), line_no + 1) {
                    file.suppressions.push(s);
                }
            } else if !trimmed.trim().is_empty() {
                let body = trimmed.strip_prefix("export ").map_or(trimmed, str::trim_start);
                let key_start = offset + indent + (trimmed.len() - body.len());
                let key_len = body.find(|c: char| !(c.is_ascii_alphanumeric() || c == '_' || c == '.' || c == '-'));
                if let Some(key_len) = key_len.filter(|&n| n > 0) {
                    let after_key = &body[key_len..];
                    let after_ws = after_key.trim_start_matches([' ', '\t']);
                    if let Some(raw) = after_ws.strip_prefix('=').or_else(|| after_ws.strip_prefix(':')) {
                        let raw_trimmed = raw.trim_start_matches([' ', '\t']);
                        let value_start = line_end - raw.len() + (raw.len() - raw_trimmed.len());
                        let value_start = value_start.min(line_end);
                        let (value_range, value, consumed_to) = read_value(text, bytes, value_start, line_end);
                        if consumed_to > line_end {
                            lines_used += text[line_end..consumed_to].matches('\n').count() as u32;
                            next = text[consumed_to..].find('\n').map_or(text.len(), |i| consumed_to + i) + 1;
                        }
                        file.entries.push(EnvEntry {
                            key: body[..key_len].to_string(),
                            value,
                            line: line_no,
                            key_range: (key_start as u32, (key_start + key_len) as u32),
                            value_range: (value_range.0 as u32, value_range.1 as u32),
                        });
                    }
                }
            }
            line_no += lines_used;
            offset = next;
        }
        file
    }

    pub fn get(&self, key: &str) -> Option<&EnvEntry> {
        self.entries.iter().find(|e| e.key == key)
    }

    pub fn defines(&self, key: &str) -> bool {
        self.get(key).is_some()
    }

    /// Whether a `clerkguard-ignore-next-line` comment waives `rule` on `line` (0-based).
    pub fn is_suppressed(&self, line: u32, rule: &str) -> bool {
        self.suppressions.iter().any(|s| s.target_line == line && s.rules.iter().any(|r| r == rule))
    }
}

fn parse_suppression(comment: &str, target_line: u32) -> Option<EnvSuppression> {
    let rest = comment.strip_prefix("clerkguard-ignore-next-line")?;
    if !rest.is_empty() && !rest.starts_with(char::is_whitespace) {
        return None;
    }
    let (names, reason) = match rest.split_once("--") {
        Some((names, reason)) => (names, Some(reason.trim().to_string()).filter(|r| !r.is_empty())),
        None => (rest, None),
    };
    let rules = names.split([',', ' ', '\t']).map(str::trim).filter(|s| !s.is_empty()).map(String::from).collect();
    Some(EnvSuppression { target_line, rules, reason })
}

/// Reads a value starting at `start`: returns the byte range of its content, the value, and
/// the offset where it ends (past the closing quote for quoted values).
fn read_value(text: &str, bytes: &[u8], start: usize, line_end: usize) -> ((usize, usize), String, usize) {
    let quote = bytes.get(start).copied().filter(|b| matches!(b, b'"' | b'\'' | b'`')).filter(|_| start < line_end);
    if let Some(q) = quote {
        let content_start = start + 1;
        // Double quotes may span lines; the others end on their line.
        let limit = if q == b'"' { text.len() } else { line_end };
        let mut i = content_start;
        while i < limit {
            if bytes[i] == b'\\' && q == b'"' {
                i += 2;
                continue;
            }
            if bytes[i] == q {
                return ((content_start, i), text[content_start..i].to_string(), i + 1);
            }
            i += 1;
        }
        // No closing quote: dotenv keeps the text as an unquoted value.
    }
    let line = &text[start..line_end];
    let mut end = line.len();
    if let Some(hash) = line.find(" #").or_else(|| line.find("\t#")) {
        end = hash;
    } else if line.starts_with('#') {
        end = 0;
    }
    let value = line[..end].trim_end();
    ((start, start + value.len()), value.to_string(), line_end)
}

/// Env file names Next.js loads or projects commit, in the project root.
pub fn env_file_paths(root: &Path) -> Vec<PathBuf> {
    let Ok(entries) = std::fs::read_dir(root) else { return Vec::new() };
    let mut out: Vec<PathBuf> = entries
        .flatten()
        .filter(|e| e.file_type().is_ok_and(|t| t.is_file()))
        .map(|e| e.path())
        .filter(|p| p.file_name().and_then(|n| n.to_str()).is_some_and(is_env_file_name))
        .collect();
    out.sort();
    out
}

pub fn is_env_file_name(name: &str) -> bool {
    name == ".env" || name.starts_with(".env.")
}

/// `.env.production`, `.env.production.local`: loaded for `next build` / `next start`.
pub fn is_production_env_file(name: &str) -> bool {
    name == ".env.production" || name.starts_with(".env.production.")
}

/// Templates that document variables with placeholder values.
pub fn is_template_env_file(name: &str) -> bool {
    [".example", ".sample", ".template", ".dist", ".defaults"].iter().any(|s| name.ends_with(s))
}

/// Reads an env file from disk (small text files only).
pub fn read_env_file(path: &Path) -> Option<String> {
    let meta = std::fs::metadata(path).ok()?;
    if meta.len() > MAX_ENV_BYTES {
        return None;
    }
    String::from_utf8(std::fs::read(path).ok()?).ok()
}

/// Whether a file is (or is about to be) committed: listed in git's index, or not ignored by
/// the `.gitignore` files (and `.git/info/exclude`) that apply to it. Outside a repository only
/// the `.gitignore` files count.
pub fn is_committed_or_committable(path: &Path) -> bool {
    let repo = find_repository(path);
    if let Some((work_tree, git_dir)) = &repo
        && let Ok(rel) = path.strip_prefix(work_tree)
        && index_contains(&git_dir.join("index"), rel).unwrap_or(false)
    {
        return true;
    }
    let top = repo.as_ref().map(|(w, _)| w.clone());
    !is_gitignored(path, top.as_deref(), repo.as_ref().map(|(_, g)| g.as_path()))
}

/// The work tree and git directory containing `path` (`.git` directory or `gitdir:` file).
fn find_repository(path: &Path) -> Option<(PathBuf, PathBuf)> {
    for dir in path.ancestors().skip(1) {
        let dot_git = dir.join(".git");
        if dot_git.is_dir() {
            return Some((dir.to_path_buf(), dot_git));
        }
        if dot_git.is_file() {
            let text = std::fs::read_to_string(&dot_git).ok()?;
            let target = text.trim().strip_prefix("gitdir:")?.trim();
            let git_dir = dir.join(target);
            return Some((dir.to_path_buf(), git_dir));
        }
    }
    None
}

/// Whether the `.gitignore` files from the repository top (or the filesystem root) down to the
/// file's directory ignore it; the deepest file with a matching pattern decides.
fn is_gitignored(path: &Path, top: Option<&Path>, git_dir: Option<&Path>) -> bool {
    use ignore::gitignore::GitignoreBuilder;
    let Some(parent) = path.parent() else { return false };
    let mut dirs: Vec<&Path> =
        parent.ancestors().take_while(|d| top.is_none_or(|t| d.starts_with(t))).collect::<Vec<_>>();
    dirs.reverse();
    let mut ignored = false;
    let mut check = |root: &Path, file: &Path| {
        if !file.is_file() {
            return;
        }
        let mut builder = GitignoreBuilder::new(root);
        if builder.add(file).is_some() {
            return;
        }
        let Ok(matcher) = builder.build() else { return };
        let m = matcher.matched_path_or_any_parents(path, false);
        if m.is_ignore() {
            ignored = true;
        } else if m.is_whitelist() {
            ignored = false;
        }
    };
    if let (Some(top), Some(git_dir)) = (top, git_dir) {
        check(top, &git_dir.join("info").join("exclude"));
    }
    for dir in dirs {
        check(dir, &dir.join(".gitignore"));
    }
    ignored
}

/// Whether git's index (format 2, 3 or 4) lists `rel`. `None` when the index is missing or not
/// understood.
fn index_contains(index: &Path, rel: &Path) -> Option<bool> {
    let wanted: String = rel.components().map(|c| c.as_os_str().to_string_lossy()).collect::<Vec<_>>().join("/");
    let data = std::fs::read(index).ok()?;
    if data.get(0..4)? != b"DIRC" {
        return None;
    }
    let version = u32::from_be_bytes(data.get(4..8)?.try_into().ok()?);
    let count = u32::from_be_bytes(data.get(8..12)?.try_into().ok()?);
    if !(2..=4).contains(&version) {
        return None;
    }
    let mut pos = 12usize;
    let mut previous: Vec<u8> = Vec::new();
    for _ in 0..count {
        let entry_start = pos;
        // ctime, mtime, dev, ino, mode, uid, gid, size (40 bytes) + sha1 (20) + flags (2).
        let flags = u16::from_be_bytes(data.get(pos + 60..pos + 62)?.try_into().ok()?);
        pos += 62;
        if version >= 3 && flags & 0x4000 != 0 {
            pos += 2;
        }
        let name: Vec<u8> = if version == 4 {
            let (strip, used) = read_varint(data.get(pos..)?)?;
            pos += used;
            let end = pos + data.get(pos..)?.iter().position(|&b| b == 0)?;
            let keep = previous.len().checked_sub(strip as usize)?;
            let mut name = previous[..keep].to_vec();
            name.extend_from_slice(&data[pos..end]);
            pos = end + 1;
            name
        } else {
            let end = pos + data.get(pos..)?.iter().position(|&b| b == 0)?;
            let name = data[pos..end].to_vec();
            // Entries are padded with 1-8 NULs to a multiple of 8 bytes.
            let len = end - entry_start;
            pos = entry_start + (len + 8) / 8 * 8;
            name
        };
        if name == wanted.as_bytes() {
            return Some(true);
        }
        previous = name;
    }
    Some(false)
}

/// Git's offset varint (used by index v4 path compression).
fn read_varint(data: &[u8]) -> Option<(u64, usize)> {
    let mut i = 0;
    let mut byte = *data.get(i)?;
    let mut value = u64::from(byte & 0x7f);
    while byte & 0x80 != 0 {
        i += 1;
        byte = *data.get(i)?;
        value = ((value + 1) << 7) | u64::from(byte & 0x7f);
    }
    Some((value, i + 1))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_entries_with_ranges() {
        let text = "# comment\nexport A=1\nB = \"two # not a comment\"\nC='x' # trailing\nD=plain # c\nE=\n";
        let file = EnvFile::parse(text);
        let keys: Vec<_> = file.entries.iter().map(|e| (e.key.as_str(), e.value.as_str(), e.line)).collect();
        assert_eq!(
            keys,
            vec![("A", "1", 1), ("B", "two # not a comment", 2), ("C", "x", 3), ("D", "plain", 4), ("E", "", 5)]
        );
        for e in &file.entries {
            assert_eq!(&text[e.key_range.0 as usize..e.key_range.1 as usize], e.key);
            assert_eq!(&text[e.value_range.0 as usize..e.value_range.1 as usize], e.value);
        }
    }

    #[test]
    fn multiline_values_keep_line_numbers() {
        let text = "KEY=\"line1\nline2\"\nNEXT=1\n";
        let file = EnvFile::parse(text);
        assert_eq!(file.entries[1].key, "NEXT");
        assert_eq!(file.entries[1].line, 2);
    }

    #[test]
    fn suppressions() {
        let file = EnvFile::parse("# clerkguard-ignore-next-line a, b -- test key\nX=1\n");
        assert!(file.is_suppressed(1, "a") && file.is_suppressed(1, "b") && !file.is_suppressed(0, "a"));
        assert_eq!(file.suppressions[0].reason.as_deref(), Some("test key"));
    }

    #[test]
    fn gitignore_and_index() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().canonicalize().unwrap();
        std::fs::write(root.join(".gitignore"), ".env*.local\n").unwrap();
        std::fs::write(root.join(".env"), "A=1\n").unwrap();
        std::fs::write(root.join(".env.local"), "A=1\n").unwrap();
        assert!(is_committed_or_committable(&root.join(".env")));
        assert!(!is_committed_or_committable(&root.join(".env.local")));
        // A git index (v2) listing `.env.local` makes it tracked despite the ignore rule.
        std::fs::create_dir(root.join(".git")).unwrap();
        let mut index = b"DIRC".to_vec();
        index.extend_from_slice(&2u32.to_be_bytes());
        index.extend_from_slice(&1u32.to_be_bytes());
        let name = b".env.local";
        let mut entry = vec![0u8; 60];
        entry.extend_from_slice(&(name.len() as u16).to_be_bytes());
        entry.extend_from_slice(name);
        let len = entry.len();
        entry.resize((len + 8) / 8 * 8, 0);
        index.extend_from_slice(&entry);
        std::fs::write(root.join(".git/index"), index).unwrap();
        assert!(is_committed_or_committable(&root.join(".env.local")));
    }
}
