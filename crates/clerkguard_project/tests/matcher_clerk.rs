//! `createRouteMatcher` semantics: reference/clerk-nextjs.md §1.7.

use clerkguard_project::matcher::{
    ClerkMatcherOptions, ClerkRouteMatcher, Flavour, Match, Pattern, PatternError, RouteMatcherParam,
};

const PATHS: [&str; 7] = [
    "/dashboard",
    "/dashboard/",
    "/dashboard/settings",
    "/Dashboard/settings",
    "/dashboardxyz",
    "//dashboard/settings",
    "/%64ashboard/settings",
];

fn clerk(patterns: &[&str]) -> ClerkRouteMatcher {
    let params: Vec<_> = patterns.iter().map(|p| RouteMatcherParam::Path(p.to_string())).collect();
    ClerkRouteMatcher::new(&params, ClerkMatcherOptions::default()).expect("valid patterns")
}

/// One row of the §1.7 table: `Y`/`n` per path in `PATHS` order.
fn row(pattern: &str) -> String {
    let matcher = clerk(&[pattern]);
    PATHS.iter().map(|p| if matcher.matches(p) == Match::Yes { 'Y' } else { 'n' }).collect()
}

#[test]
fn reference_table_rows() {
    assert_eq!(row("/dashboard"), "YYnnnnn");
    assert_eq!(row("/dashboard(.*)"), "YYYYYYY");
    assert_eq!(row("/dashboard/:path*"), "YYYYnYY");
    assert_eq!(row("/dashboard/(.*)"), "nYYYnYY");
}

#[test]
fn compiles_to_the_regex_clerk_builds() {
    let p = Pattern::compile("/dashboard", Flavour::Clerk).unwrap();
    assert_eq!(p.js_regex_source(), r"^\/dashboard[\/#\?]?$");
    assert_eq!(p.js_flags(), "i");
}

#[test]
fn is_case_insensitive() {
    let matcher = clerk(&["/dashboard"]);
    assert_eq!(matcher.matches("/DASHBOARD"), Match::Yes);
    assert_eq!(matcher.matches("/Dashboard/"), Match::Yes);
}

#[test]
fn without_normalization_before_the_patches() {
    let params = [RouteMatcherParam::Path("/dashboard(.*)".into())];
    let old =
        ClerkRouteMatcher::new(&params, ClerkMatcherOptions { normalize_paths: false, ..Default::default() }).unwrap();
    assert_eq!(old.matches("//dashboard/settings"), Match::No);
    assert_eq!(old.matches("/%64ashboard/settings"), Match::No);
    assert_eq!(old.matches("/dashboard/settings"), Match::Yes);
}

#[test]
fn malformed_paths_do_not_match() {
    assert_eq!(clerk(&["/(.*)"]).matches("/%zz"), Match::No);
}

#[test]
fn subpath_helper() {
    let sub = |p: &str| Pattern::compile(p, Flavour::Clerk).unwrap().matches_subpaths("/dashboard");
    assert!(!sub("/dashboard"));
    assert!(sub("/dashboard(.*)"));
    assert!(sub("/dashboard/:path*"));
    assert!(sub("/dashboard/(.*)"));
    assert!(!sub("/dashboard/:id"));
}

#[test]
fn invalid_globs_are_errors() {
    for glob in ["/admin/*", "/admin*", "**"] {
        let err = Pattern::compile(glob, Flavour::Clerk).unwrap_err();
        assert!(matches!(err, PatternError::InvalidPath { .. }), "{glob}: {err}");
        assert!(err.to_string().starts_with(&format!("Invalid path: {glob}.")), "{err}");
        let params = [RouteMatcherParam::Path("/ok".into()), RouteMatcherParam::Path(glob.into())];
        let err = ClerkRouteMatcher::new(&params, ClerkMatcherOptions::default()).unwrap_err();
        assert_eq!(err.index, 1);
    }
}

#[test]
fn regexp_literals_are_tested_unanchored() {
    let params = [RouteMatcherParam::RegExp { source: r"\/admin".into(), flags: String::new() }];
    let matcher = ClerkRouteMatcher::new(&params, ClerkMatcherOptions::default()).unwrap();
    assert_eq!(matcher.matches("/admin"), Match::Yes);
    assert_eq!(matcher.matches("/org/admin/users"), Match::Yes);
    assert_eq!(matcher.matches("/ADMIN"), Match::No);

    let params = [RouteMatcherParam::RegExp { source: r"^\/admin(\/.*)?$".into(), flags: "gi".into() }];
    let matcher = ClerkRouteMatcher::new(&params, ClerkMatcherOptions::default()).unwrap();
    assert_eq!(matcher.matches("/ADMIN/x"), Match::Yes);
    assert_eq!(matcher.matches("/administrator"), Match::No);
    let notes: Vec<_> = matcher.patterns().flat_map(|(_, p)| p.notes().to_vec()).collect();
    assert_eq!(notes.len(), 1, "the g flag is noted");
}

#[test]
fn functions_are_unknown_and_empty_strings_dropped() {
    let params = [RouteMatcherParam::Function];
    let matcher = ClerkRouteMatcher::new(&params, ClerkMatcherOptions::default()).unwrap();
    assert_eq!(matcher.matches("/anything"), Match::Unknown);

    let params = [RouteMatcherParam::Path(String::new()), RouteMatcherParam::Path("/a".into())];
    let matcher = ClerkRouteMatcher::new(&params, ClerkMatcherOptions::default()).unwrap();
    assert_eq!(matcher.matches("/"), Match::No);
    assert_eq!(matcher.matching_entries("/a"), [1]);
    assert_eq!(clerk(&[]).matches("/"), Match::No);
}

#[test]
fn api_patterns() {
    let matcher = clerk(&["/(api|trpc)(.*)"]);
    for path in ["/api", "/api/users", "/trpc/post.list", "/API/x", "/apix"] {
        assert_eq!(matcher.matches(path), Match::Yes, "{path}");
    }
    assert_eq!(matcher.matches("/dashboard/api"), Match::No);
    let params = clerk(&["/org/:slug/settings(.*)", "/sign-in(.*)"]);
    assert_eq!(params.matching_entries("/org/acme/settings/members"), [0]);
    assert_eq!(params.matches("/org/acme/billing"), Match::No);
}

#[test]
fn clerk_5_uses_path_to_regexp_6_2() {
    let v5 = ClerkMatcherOptions::for_version(&semver::Version::new(5, 7, 6));
    assert_eq!(v5.dialect, clerkguard_project::matcher::Dialect::Legacy);
    let params = [RouteMatcherParam::Path("/:a:b".into())];
    assert!(ClerkRouteMatcher::new(&params, v5).is_ok());
    assert!(ClerkRouteMatcher::new(&params, ClerkMatcherOptions::default()).is_err());
}
