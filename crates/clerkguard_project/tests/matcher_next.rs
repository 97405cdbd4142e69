//! Next.js `config.matcher` semantics: reference/clerk-nextjs.md §8.2 and §9.

use semver::Version;

use clerkguard_project::matcher::{
    ConditionKind, Flavour, I18nConfig, Match, NextMatcher, NextMatcherEntry, NextOptions, Pattern, RouteCondition,
};

/// Clerk's current recommended matcher (JavaScript string values, not source text).
const CLERK_DEFAULT: [&str; 3] = [
    r"/((?!_next|[^?]*\.(?:html?|css|js(?!on)|jpe?g|webp|png|gif|svg|ttf|woff2?|ico|csv|docx?|xlsx?|zip|webmanifest)).*)",
    "/(api|trpc)(.*)",
    "/__clerk/(.*)",
];
const CLERK_OLD_DEFAULT: [&str; 3] = [r"/((?!.*\..*|_next).*)", "/", "/(api|trpc)(.*)"];
const CLERK_V4_DEFAULT: [&str; 3] = [r"/((?!.+\.[\w]+$|_next).*)", "/", "/(api|trpc)(.*)"];

const RUNS_ON: [&str; 10] = [
    "/",
    "/dashboard",
    "/dashboard/settings",
    "/api/data.json",
    "/api/users",
    "/trpc/post.list",
    "/data.json",
    "/sign-in",
    "/users/john.doe",
    "/report.pdf",
];
const SKIPS: [&str; 9] = [
    "/_next/static/x.js",
    "/_next/image",
    "/favicon.ico",
    "/styles/site.css",
    "/app.js",
    "/manifest.webmanifest",
    "/docs/file.docx",
    "/font.woff2",
    "/page.html",
];

/// The versions the reference checked, by major.
fn options(next_major: u64) -> NextOptions {
    let version = match next_major {
        14 => Version::new(14, 2, 35),
        15 => Version::new(15, 5, 15),
        _ => Version::new(16, 4, 6),
    };
    NextOptions::new(version)
}

fn next(sources: &[&str], next_major: u64) -> NextMatcher {
    let entries: Vec<NextMatcherEntry> = sources.iter().map(|s| NextMatcherEntry::new(*s)).collect();
    NextMatcher::compile(&entries, &options(next_major)).expect("valid matcher")
}

#[test]
fn clerk_default_matcher() {
    for major in [14, 15, 16] {
        let matcher = next(&CLERK_DEFAULT, major);
        for path in RUNS_ON {
            assert_eq!(matcher.matches(path), Match::Yes, "next {major}: {path} should run");
        }
        for path in SKIPS {
            assert_eq!(matcher.matches(path), Match::No, "next {major}: {path} should be skipped");
        }
        assert_eq!(matcher.matches("/search?q=a.css"), Match::Yes);
        assert_eq!(matcher.matches("/__clerk/v1/client"), Match::Yes);
    }
}

#[test]
fn older_default_skips_any_dotted_path() {
    let matcher = next(&CLERK_OLD_DEFAULT, 15);
    for path in ["/", "/dashboard", "/dashboard/settings", "/api/data.json", "/trpc/post.list", "/sign-in"] {
        assert_eq!(matcher.matches(path), Match::Yes, "{path}");
    }
    for path in ["/users/john.doe", "/data.json", "/report.pdf", "/favicon.ico", "/_next/static/x.js", "/a.b/c"] {
        assert_eq!(matcher.matches(path), Match::No, "{path}");
    }
}

#[test]
fn v4_default_skips_paths_ending_in_an_extension() {
    let matcher = next(&CLERK_V4_DEFAULT, 14);
    for path in ["/", "/dashboard", "/a.b/c", "/api/data.json", "/trpc/post.list"] {
        assert_eq!(matcher.matches(path), Match::Yes, "{path}");
    }
    for path in ["/users/john.doe", "/report.pdf", "/favicon.ico", "/_next/static/x.js", "/data.json"] {
        assert_eq!(matcher.matches(path), Match::No, "{path}");
    }
}

#[test]
fn api_and_trpc() {
    let matcher = next(&["/(api|trpc)(.*)"], 15);
    for path in ["/api", "/api/users", "/trpc/post.list", "/apix"] {
        assert_eq!(matcher.matches(path), Match::Yes, "{path}");
    }
    assert_eq!(matcher.matches("/API/users"), Match::No);
    assert_eq!(matcher.matches("/dashboard"), Match::No);
}

#[test]
fn wraps_sources_like_next() {
    let p = |major| Pattern::compile("/dashboard", Flavour::Next { options: options(major), locale: true }).unwrap();
    assert_eq!(p(15).js_regex_source(), r"^(?:\/(_next\/data\/[^/]{1,}))?\/dashboard(\.json)?[\/#\?]?$");
    assert_eq!(
        p(16).js_regex_source(),
        r"^(?:\/(_next\/data\/[^/]{1,}))?\/dashboard(\.json|\.rsc|\.segments\/.+\.segment\.rsc)?[\/#\?]?$"
    );
    assert_eq!(p(15).js_flags(), "");
}

#[test]
fn is_case_sensitive_and_does_not_cover_subpaths() {
    let matcher = next(&["/dashboard"], 15);
    assert_eq!(matcher.matches("/dashboard"), Match::Yes);
    assert_eq!(matcher.matches("/dashboard/"), Match::Yes);
    assert_eq!(matcher.matches("/Dashboard"), Match::No);
    assert_eq!(matcher.matches("/dashboard/settings"), Match::No);
    let pattern = matcher.patterns().next().unwrap();
    assert!(!pattern.matches_subpaths("/dashboard"));
    assert!(next(&["/dashboard/:path*"], 15).patterns().all(|p| p.matches_subpaths("/dashboard")));
}

#[test]
fn data_routes_and_rsc_variants() {
    for major in [14, 15, 16] {
        let matcher = next(&["/dashboard"], major);
        assert_eq!(matcher.matches("/_next/data/build-id/dashboard.json"), Match::Yes, "next {major}");
        assert_eq!(matcher.matches("/dashboard.json"), Match::Yes, "next {major}");
        let rsc = if major >= 16 { Match::Yes } else { Match::No };
        assert_eq!(matcher.matches("/dashboard.rsc"), rsc, "next {major}");
        assert_eq!(matcher.matches("/dashboard.segments/x/y.segment.rsc"), rsc, "next {major}");
    }
    let root = next(&["/"], 15);
    for path in ["/", "/index", "/_next/data/b/index.json"] {
        assert_eq!(root.matches(path), Match::Yes, "{path}");
    }
    assert_eq!(root.matches("/x"), Match::No);
}

#[test]
fn no_matcher_means_every_path_and_empty_list_none() {
    let every = NextMatcher::every_path();
    for path in RUNS_ON.iter().chain(SKIPS.iter()) {
        assert_eq!(every.matches(path), Match::Yes);
    }
    assert_eq!(next(&[], 15).matches("/"), Match::No);
}

#[test]
fn has_and_missing_make_the_match_conditional() {
    let mut entry = NextMatcherEntry::new("/api/:path*");
    entry.missing.push(RouteCondition {
        kind: ConditionKind::Header,
        key: Some("next-router-prefetch".into()),
        value: None,
    });
    let matcher = NextMatcher::compile(&[entry, "/dashboard".into()], &options(15)).unwrap();
    assert_eq!(matcher.matches("/api/users"), Match::Conditional);
    assert_eq!(matcher.matches("/dashboard"), Match::Yes);
    assert_eq!(matcher.matches("/other"), Match::No);
    assert_eq!(matcher.matching_entries("/api/x"), [0]);
}

#[test]
fn base_path_and_locales() {
    let i18n = I18nConfig { locales: vec!["en".into(), "de".into()], default_locale: Some("en".into()) };
    let options = NextOptions { base_path: "/app".into(), i18n: Some(i18n), ..options(15) };
    let matcher = NextMatcher::compile(&["/dashboard".into()], &options).unwrap();
    assert_eq!(matcher.matches("/dashboard"), Match::Yes);
    assert_eq!(matcher.matches("/de/dashboard"), Match::Yes);
    assert_eq!(matcher.matches("/other"), Match::No);
    assert_eq!(matcher.matches_pathname("/app/en/dashboard"), Match::Yes);
    assert_eq!(matcher.matches_pathname("/dashboard"), Match::No);

    let root = NextMatcher::compile(&["/".into()], &options).unwrap();
    assert_eq!(root.matches("/"), Match::Yes);
    assert_eq!(root.matches("/de"), Match::Yes);
    assert_eq!(root.matches("/foo"), Match::No);

    let mut no_locale = NextMatcherEntry::new("/en/dashboard");
    no_locale.locale = false;
    let matcher = NextMatcher::compile(&[no_locale], &options).unwrap();
    assert_eq!(matcher.matches("/dashboard"), Match::Yes);
    assert_eq!(matcher.matches("/de/dashboard"), Match::No);
}

#[test]
fn invalid_sources_are_errors() {
    for source in ["/admin/*", "/admin*", "**", "dashboard", "/(.*"] {
        assert!(NextMatcher::compile(&[source.into()], &options(15)).is_err(), "{source}");
    }
}

#[test]
fn next_14_trailing_parameter_swallows_the_json_group() {
    // Next 14 appends `(.json)?`, which path-to-regexp reads as the pattern of a trailing `:id`.
    let next14 = next(&["/users/:id"], 14);
    assert_eq!(next14.matches("/users/42"), Match::No);
    assert_eq!(next14.matches("/users"), Match::Yes);
    let next15 = next(&["/users/:id"], 15);
    assert_eq!(next15.matches("/users/42"), Match::Yes);
}

#[test]
fn rsc_variants_follow_the_cve_fix_versions() {
    let rsc = |v: Version| {
        let matcher = NextMatcher::compile(&["/dashboard".into()], &NextOptions::new(v)).unwrap();
        matcher.matches("/dashboard.rsc") == Match::Yes
    };
    assert!(!rsc(Version::new(15, 5, 15)));
    assert!(rsc(Version::new(15, 5, 16)));
    assert!(!rsc(Version::new(16, 2, 4)));
    assert!(rsc(Version::new(16, 2, 5)));
    let root = NextMatcher::compile(&["/".into()], &options(16)).unwrap();
    assert_eq!(root.matches("/index.rsc"), Match::Yes);
}
