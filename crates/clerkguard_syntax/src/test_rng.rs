//! The deterministic generator of the workspace's random-edit and fuzz tests (xorshift64), so a
//! failure reproduces from its seed. For tests only; the workload generator has its own
//! (`xtask/src/rng.rs`, whose output must not change).

/// A small xorshift64 generator.
pub struct TestRng(u64);

impl TestRng {
    /// A generator from `seed` (a zero seed, which xorshift never leaves, is replaced).
    pub fn new(seed: u64) -> Self {
        Self(if seed == 0 { 0x9E37_79B9_7F4A_7C15 } else { seed })
    }

    pub fn next_u64(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }

    /// A number in `0..n` (`0` when `n` is 0).
    pub fn below(&mut self, n: usize) -> usize {
        (self.next_u64() % n.max(1) as u64) as usize
    }

    /// A char boundary of `text` (its end included), each equally likely.
    pub fn char_boundary(&mut self, text: &str) -> usize {
        let boundaries: Vec<usize> = (0..=text.len()).filter(|&i| text.is_char_boundary(i)).collect();
        boundaries[self.below(boundaries.len())]
    }
}
