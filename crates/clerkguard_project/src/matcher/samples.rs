//! Concrete paths standing in for a route's URL pattern, so matchers can be tested on routes.
//!
//! A route like `/users/[id]` is itself a pattern. Matchers are tested on a few concrete paths
//! per route: each dynamic segment becomes a placeholder (`__id__`), a catch-all gets one and
//! two segments, and an optional catch-all also zero. Samples are representative, not
//! exhaustive: a matcher that only lists `/users/admin` covers `/users/[id]` partly, and the
//! samples do not see it.

/// The placeholder segment used for "some segment below this path".
pub const SAMPLE_SUBPATH: &str = "__sub__";

/// Sample concrete paths for a Next.js route URL pattern (`/shop/[[...slug]]`).
pub fn route_samples(url_pattern: &str) -> Vec<String> {
    let mut samples: Vec<Vec<String>> = vec![Vec::new()];
    for segment in url_pattern.split('/').filter(|s| !s.is_empty()) {
        let variants = segment_variants(segment);
        samples = samples
            .iter()
            .flat_map(|prefix| {
                variants.iter().map(move |variant| {
                    let mut path = prefix.clone();
                    path.extend(variant.iter().cloned());
                    path
                })
            })
            .collect();
    }
    samples.into_iter().map(|segments| format!("/{}", segments.join("/"))).collect()
}

/// The segment lists one URL segment can stand for.
fn segment_variants(segment: &str) -> Vec<Vec<String>> {
    let placeholder = |name: &str| format!("__{name}__");
    if let Some(name) = segment.strip_prefix("[[...").and_then(|s| s.strip_suffix("]]")) {
        let one = placeholder(name);
        return vec![Vec::new(), vec![one.clone()], vec![one, placeholder(&format!("{name}_2"))]];
    }
    if let Some(name) = segment.strip_prefix("[...").and_then(|s| s.strip_suffix(']')) {
        let one = placeholder(name);
        return vec![vec![one.clone()], vec![one, placeholder(&format!("{name}_2"))]];
    }
    if let Some(name) = segment.strip_prefix('[').and_then(|s| s.strip_suffix(']')) {
        return vec![vec![placeholder(name)]];
    }
    vec![vec![segment.to_string()]]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn samples_dynamic_segments() {
        assert_eq!(route_samples("/"), ["/"]);
        assert_eq!(route_samples("/users/[id]"), ["/users/__id__"]);
        assert_eq!(route_samples("/docs/[...slug]"), ["/docs/__slug__", "/docs/__slug__/__slug_2__"]);
        assert_eq!(route_samples("/shop/[[...slug]]"), ["/shop", "/shop/__slug__", "/shop/__slug__/__slug_2__"]);
        assert_eq!(route_samples("/[[...all]]"), ["/", "/__all__", "/__all__/__all_2__"]);
    }
}
