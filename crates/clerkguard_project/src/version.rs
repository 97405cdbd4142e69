//! Version questions rules ask: "is the installed `@clerk/nextjs` at least 6.0.0?"

/// A requirement over an installed version, answered conservatively when only a range is known.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct VersionReq {
    pub major: u64,
    pub minor: u64,
    pub patch: u64,
}

impl VersionReq {
    pub const fn at_least(major: u64, minor: u64, patch: u64) -> Self {
        Self { major, minor, patch }
    }

    pub fn version(self) -> semver::Version {
        semver::Version::new(self.major, self.minor, self.patch)
    }
}
