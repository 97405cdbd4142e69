//! Allocator and page settings per command. `check` is one batch: it keeps all memory it frees
//! and lets the kernel back it with huge pages. The language server answers keystrokes: it keeps
//! freed memory through a burst of typing and uses small pages only, because faulting in one
//! fresh 2 MiB page (the kernel zero-fills it) cost a keystroke 7–8 ms on the benchmark machine
//! and set its p99 latency (BENCHMARKS.md).
//!
//! Variables in the environment (`MIMALLOC_PURGE_DELAY`, `MIMALLOC_ALLOW_THP`) win over these.

/// How long the language server keeps memory it freed before handing it back to the OS: a
/// keystroke's analysis frees what the next one (tens of milliseconds later) allocates again.
const EDITOR_PURGE_DELAY_MS: i64 = 2_000;

// Option numbers of mimalloc.h (v2); libmimalloc-sys names neither constant.
const MI_OPTION_PURGE_DELAY: libmimalloc_sys::mi_option_t = 15;
const MI_OPTION_ALLOW_THP: libmimalloc_sys::mi_option_t = 37;

/// `check`: freed memory is kept for good (the kernel zero-fills every page handed back on its
/// next use; on the 5,000-file benchmark app this cuts page faults to a third).
pub fn tune_for_batch() {
    let _ = set_option_unless_env(MI_OPTION_PURGE_DELAY, "MIMALLOC_PURGE_DELAY", -1);
}

/// `lsp`: freed memory is kept for 2 s, and the process uses small pages only.
pub fn tune_for_editor() {
    let _ = set_option_unless_env(MI_OPTION_PURGE_DELAY, "MIMALLOC_PURGE_DELAY", EDITOR_PURGE_DELAY_MS);
    if set_option_unless_env(MI_OPTION_ALLOW_THP, "MIMALLOC_ALLOW_THP", 0) {
        disable_transparent_huge_pages();
    }
}

/// Sets a mimalloc option unless the environment sets it; returns whether it did.
fn set_option_unless_env(option: libmimalloc_sys::mi_option_t, env: &str, value: i64) -> bool {
    if std::env::var_os(env).is_some() {
        return false;
    }
    // SAFETY: stores an integer option of the allocator this binary links; mimalloc reads
    // options on use and allows setting them at any time.
    unsafe { libmimalloc_sys::mi_option_set(option, value as std::ffi::c_long) };
    true
}

/// mimalloc reads its huge-page option when it starts, before `main`; the option set above only
/// stops it asking for huge pages from now on. This tells the kernel not to use them for this
/// process at all (also when the system setting is `always`).
#[cfg(target_os = "linux")]
fn disable_transparent_huge_pages() {
    // SAFETY: PR_SET_THP_DISABLE takes plain integer arguments and changes only a flag of this
    // process; a kernel that does not know it returns an error, which changes nothing.
    let _ = unsafe { libc::prctl(libc::PR_SET_THP_DISABLE, 1, 0, 0, 0) };
}

#[cfg(not(target_os = "linux"))]
fn disable_transparent_huge_pages() {}
