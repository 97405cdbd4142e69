use clerkguard_linter::{BufferCache, Workspace};
#[test]
fn typing() {
    let root = std::path::PathBuf::from("/tmp/clerkguard-bench-apps/app-5000");
    let path = root.join("src/app/admin/console/actions.ts");
    let text = std::fs::read_to_string(&path).unwrap();
    let ws = Workspace::new(vec![root.clone()]);
    let mid = text.len() / 2;
    let body = mid + text[mid..].find("{\n").unwrap() + 2;
    let mut cache = BufferCache::new();
    let mut cur = text.clone();
    ws.set_overlay_cached(&path, Some(&cur), &mut cache);
    ws.lint_text_reparsing(&path, &cur, &mut cache);
    let typed = "  const note = [\"audit\", id, Date.now()].join(\":\");\n";
    for (i, ch) in typed.chars().enumerate() {
        cur.insert(body + i, ch);
        let t = std::time::Instant::now();
        ws.set_overlay_cached(&path, Some(&cur), &mut cache);
        let r = ws.lint_text_reparsing(&path, &cur, &mut cache);
        let el = t.elapsed();
        eprintln!(
            "{:?} {:>6.2}ms reuse {:?} parse {:?} syntax_error {} n={}",
            ch,
            el.as_secs_f64() * 1000.0,
            cache.last_reuse(),
            cache.last_parse(),
            r.syntax_error,
            r.diagnostics.len()
        );
    }
}
