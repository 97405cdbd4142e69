//! Function summaries: what calling a function guarantees about the caller's session.

/// What a function returns about the signed-in user.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub enum ReturnsSession {
    /// Nothing known.
    #[default]
    Nothing,
    /// The user / userId / auth object, `null` (or a falsy value) when signed out: a caller that
    /// checks the result is guarded.
    Nullable,
    /// The auth object as `auth()` returns it: `userId` inside may be null.
    AuthObject,
    /// A boolean that is truthy only for a signed-in (and authorised) caller, e.g.
    /// `isAdmin()` returning `has({ role: "org:admin" })`: `if (!(await isAdmin())) throw` guards.
    SignedInPredicate,
}

/// The facts about one function that callers rely on.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub struct FunctionSummary {
    /// Every normal return happens with a signed-in user (it throws, redirects or never returns
    /// otherwise): calling it guards the caller.
    pub ensures_signed_in: bool,
    pub returns: ReturnsSession,
    /// Reads or writes data (database, `fetch`, Clerk backend, file system).
    pub performs_effect: bool,
    /// Performs a mutating effect (create/update/delete/insert, Clerk backend writes).
    pub performs_mutation: bool,
    /// Always throws or redirects (`throwUnauthorized()`): a call to it ends the path.
    pub never_returns: bool,
}

/// Summaries of functions in other modules, as seen from the file being linted.
pub trait SummaryLookup {
    /// The summary of `export_name` ("default" for the default export) of the module that
    /// `specifier` resolves to from the file being linted.
    fn imported(&self, specifier: &str, export_name: &str) -> Option<FunctionSummary>;
}

/// For single-file analysis (tests, files outside any project).
pub struct NoSummaries;

impl SummaryLookup for NoSummaries {
    fn imported(&self, _specifier: &str, _export_name: &str) -> Option<FunctionSummary> {
        None
    }
}
