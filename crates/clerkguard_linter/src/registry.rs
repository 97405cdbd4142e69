use std::sync::OnceLock;

use crate::{Rule, RuleMeta, rules};

/// Every rule clerkguard knows, in catalogue order.
pub struct Registry {
    rules: Vec<Box<dyn Rule>>,
}

impl Registry {
    pub fn rules(&self) -> impl Iterator<Item = &dyn Rule> {
        self.rules.iter().map(|r| r.as_ref())
    }

    pub fn metas(&self) -> impl Iterator<Item = &'static RuleMeta> + '_ {
        self.rules.iter().map(|r| r.meta()).chain(rules::meta::META_RULES.iter().copied())
    }

    pub fn find(&self, id: &str) -> Option<&'static RuleMeta> {
        self.metas().find(|m| m.id == id)
    }
}

/// The process-wide registry.
pub fn registry() -> &'static Registry {
    static REGISTRY: OnceLock<Registry> = OnceLock::new();
    REGISTRY.get_or_init(|| Registry { rules: rules::all() })
}
