//! Reading next.config settings statically.

use std::fs;

use clerkguard_project::{NextConfig, RouteOptions};
use clerkguard_syntax::SourceKind;

fn js(text: &str) -> NextConfig {
    NextConfig::parse(text, SourceKind::JavaScript)
}

#[test]
fn commonjs_object_literal() {
    let config = js(
        "/** @type {import('next').NextConfig} */\nmodule.exports = { reactStrictMode: true, pageExtensions: ['tsx', 'mdx'], basePath: '/docs' };\n",
    );
    assert!(config.is_statically_readable(), "{:?}", config.not_static);
    assert_eq!(config.page_extensions, Some(vec!["tsx".to_string(), "mdx".to_string()]));
    assert_eq!(config.base_path.as_deref(), Some("/docs"));
}

#[test]
fn exported_constant_wrapped_in_plugins() {
    let config = js(
        "import { withSentryConfig } from '@sentry/nextjs';\nconst base = `/shop`;\nconst nextConfig = { basePath: base, i18n: { locales: ['en', 'de'], defaultLocale: 'en' } };\nexport default withSentryConfig(withBundleAnalyzer({ enabled: true })(nextConfig), { org: 'x' });\n",
    );
    assert!(config.is_statically_readable(), "{:?}", config.not_static);
    assert_eq!(config.base_path.as_deref(), Some("/shop"));
    let i18n = config.i18n.as_ref().unwrap();
    assert_eq!(i18n.locales, ["en", "de"]);
    assert_eq!(i18n.default_locale.as_deref(), Some("en"));
    let options = RouteOptions::from_next_config(&config);
    assert_eq!(options.i18n_locales, ["en", "de"]);
    assert_eq!(options.page_extensions, ["tsx", "ts", "jsx", "js"]);
}

#[test]
fn typescript_config() {
    let config = NextConfig::parse(
        "import type { NextConfig } from 'next';\nconst nextConfig: NextConfig = { pageExtensions: ['page.tsx', 'page.ts'] } satisfies NextConfig;\nexport default nextConfig;\n",
        SourceKind::TypeScript,
    );
    assert!(config.is_statically_readable(), "{:?}", config.not_static);
    assert_eq!(config.page_extensions, Some(vec!["page.tsx".to_string(), "page.ts".to_string()]));
}

#[test]
fn dynamic_configs_fall_back_to_defaults() {
    let config = js("module.exports = (phase) => ({ basePath: '/x' });\n");
    assert!(!config.is_statically_readable());
    assert_eq!(config.base_path, None);

    let config = js("module.exports = { basePath: process.env.BASE_PATH, pageExtensions: ['tsx'] };\n");
    assert!(!config.is_statically_readable());
    assert_eq!(config.base_path, None);
    assert_eq!(config.page_extensions, Some(vec!["tsx".to_string()]));

    let config = js("const shared = require('./shared');\nmodule.exports = { ...shared, basePath: '/a' };\n");
    assert!(!config.is_statically_readable());
    assert_eq!(config.base_path.as_deref(), Some("/a"));

    let config = js("module.exports = makeConfig();\n");
    assert!(!config.is_statically_readable());
    let options = RouteOptions::from_next_config(&config);
    assert_eq!(options, RouteOptions::default());
}

#[test]
fn loads_the_file_next_uses() {
    let dir = tempfile::tempdir().unwrap();
    assert_eq!(NextConfig::load(dir.path()), NextConfig::default());
    fs::write(dir.path().join("next.config.mjs"), "export default { basePath: '/m' };\n").unwrap();
    let config = NextConfig::load(dir.path());
    assert_eq!(config.base_path.as_deref(), Some("/m"));
    assert_eq!(config.file, Some(dir.path().join("next.config.mjs")));
}
