//! Data models and their tenant/owner columns.
//!
//! Read from `prisma/schema.prisma` (or the `prisma.schema` path in package.json, or a
//! `prisma/schema/` folder) and from Drizzle table definitions in the project's files. Models no
//! schema declares are inferred from how the code filters them: a model queried with
//! `orgId: <session orgId>` somewhere has an org column. Supabase tables with row-level security
//! enabled in `supabase/migrations/*.sql` are recorded: the database scopes those itself.

mod drizzle;
mod prisma;

use std::path::{Path, PathBuf};

use rustc_hash::{FxHashMap as HashMap, FxHashSet as HashSet};

use clerkguard_syntax::ast::Module;
use clerkguard_syntax::{SourceKind, parse_source};

use rayon::prelude::*;
use smallvec::SmallVec;

use super::ProjectIndex;
use crate::analysis::FileSemantics;
use crate::analysis::queries::{self, ValueSource};

/// How many project files inference and Drizzle discovery parse at most.
const MAX_SCANNED_FILES: usize = 4000;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SchemaSource {
    Prisma,
    Drizzle,
    /// Not declared anywhere the tool reads; columns seen in the code's filters.
    Inferred,
}

/// What a model is in a multi-tenant app.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ModelKind {
    /// The tenant itself (`Organization`): its own id is the scope.
    Tenant,
    /// Links users to tenants (`Membership`, `OrgMember`): queried across tenants on purpose.
    Membership,
    Data,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Field {
    pub name: String,
    /// The database column when it differs (`@map("org_id")`, `text("org_id")`).
    pub column: Option<String>,
    /// The Prisma type or Drizzle builder (`String`, `Organization`, `text`).
    pub ty: String,
    pub list: bool,
    /// Prisma `@relation(fields: [...])`: the scalar fields holding the foreign key.
    pub relation_fields: Vec<String>,
    /// Drizzle `.references(() => table.id)`: the referenced table variable.
    pub references: Option<String>,
}

#[derive(Clone, Debug)]
pub struct Model {
    /// The Prisma model name or the Drizzle table variable.
    pub name: String,
    pub table: Option<String>,
    pub source: SchemaSource,
    pub fields: Vec<Field>,
    pub kind: ModelKind,
    /// The tenant column as the code names it (`orgId`, `organizationId`, `org_id`).
    pub org_column: Option<String>,
    /// Columns naming the owning user (`userId`, `authorId`, ...).
    pub owner_columns: Vec<String>,
}

impl Model {
    pub fn new(name: String, source: SchemaSource) -> Self {
        Self {
            name,
            table: None,
            source,
            fields: Vec::new(),
            kind: ModelKind::Data,
            org_column: None,
            owner_columns: Vec::new(),
        }
    }

    /// Whether `column` (as a filter names it: field or database name) is the tenant column.
    pub fn is_org_column(&self, column: &str) -> bool {
        self.org_column.as_deref().is_some_and(|c| self.same_column(c, column))
    }

    pub fn is_owner_column(&self, column: &str) -> bool {
        self.owner_columns.iter().any(|c| self.same_column(c, column))
    }

    /// The name a filter should use for `field`: the database column for raw and Supabase
    /// queries, the field name otherwise.
    pub fn column_for(&self, field: &str, database_name: bool) -> String {
        if !database_name {
            return field.to_string();
        }
        self.fields.iter().find(|f| f.name == field).and_then(|f| f.column.clone()).unwrap_or_else(|| field.to_string())
    }

    fn same_column(&self, known: &str, column: &str) -> bool {
        if Normalized::new(known).as_str() == Normalized::new(column).as_str() {
            return true;
        }
        self.fields.iter().any(|f| {
            (f.name == known || f.column.as_deref() == Some(known))
                && (f.name == column || f.column.as_deref() == Some(column))
        })
    }

    fn field_named(&self, names: &[&str]) -> Option<&Field> {
        self.fields.iter().find(|f| {
            names.contains(&Normalized::new(&f.name).as_str())
                || f.column.as_deref().is_some_and(|c| names.contains(&Normalized::new(c).as_str()))
        })
    }
}

/// Column names that hold the tenant (normalized: lowercase, no `_`).
const ORG_NAMES: [&str; 6] =
    ["orgid", "organizationid", "organisationid", "clerkorgid", "clerkorganizationid", "tenantid"];
/// Tenant-ish names that are the tenant only when their own model is not scoped by an org.
const SUB_TENANT_NAMES: [&str; 2] = ["workspaceid", "teamid"];
const OWNER_NAMES: [&str; 10] = [
    "userid",
    "authorid",
    "ownerid",
    "createdbyid",
    "createdby",
    "creatorid",
    "clerkid",
    "clerkuserid",
    "ownerclerkid",
    "authorclerkid",
];
const TENANT_MODELS: [&str; 4] = ["organization", "organisation", "org", "tenant"];

pub fn is_org_column_name(name: &str) -> bool {
    ORG_NAMES.contains(&Normalized::new(name).as_str())
}

pub fn is_owner_column_name(name: &str) -> bool {
    OWNER_NAMES.contains(&Normalized::new(name).as_str())
}

/// Lowercase without `_`: `org_id`, `orgId` and `OrgID` are the same column name.
pub fn normalize(name: &str) -> String {
    Normalized::new(name).as_str().to_string()
}

/// A name in its [`normalize`]d form, on the stack up to 64 bytes: for lookups and
/// comparisons, which the rules make for every query, column and model of an entry point.
pub struct Normalized(SmallVec<[u8; 64]>);

impl Normalized {
    pub fn new(name: &str) -> Self {
        if name.is_ascii() {
            return Self(name.bytes().filter(|b| *b != b'_').map(|b| b.to_ascii_lowercase()).collect());
        }
        let mut bytes = SmallVec::new();
        let mut buf = [0u8; 4];
        for c in name.chars().filter(|c| *c != '_').flat_map(char::to_lowercase) {
            bytes.extend_from_slice(c.encode_utf8(&mut buf).as_bytes());
        }
        Self(bytes)
    }

    pub fn as_str(&self) -> &str {
        // Whole characters were written, so this is always UTF-8.
        std::str::from_utf8(&self.0).unwrap_or_default()
    }
}

fn singular(name: &str) -> String {
    let n = normalize(name);
    n.strip_suffix('s').filter(|s| !s.is_empty()).map(str::to_string).unwrap_or(n)
}

#[derive(Debug, Default)]
pub struct DataSchema {
    models: Vec<Model>,
    /// Normalized model, accessor, table and variable names → model.
    keys: HashMap<String, usize>,
    /// Supabase tables with row-level security enabled (normalized).
    rls_tables: HashSet<String>,
}

impl DataSchema {
    /// A schema from declared models (their columns classified here).
    pub fn from_models(models: Vec<Model>) -> Self {
        let mut schema = DataSchema { models, ..Default::default() };
        schema.classify();
        schema.index_keys();
        schema
    }

    /// The model a query names: Prisma accessor (`post`), model name, Drizzle table variable,
    /// table name, Mongoose model.
    pub fn model(&self, name: &str) -> Option<&Model> {
        self.model_index(name).map(|i| &self.models[i])
    }

    /// Where [`Self::model`]'s answer is in [`Self::models`].
    pub fn model_index(&self, name: &str) -> Option<usize> {
        self.keys.get(Normalized::new(name).as_str()).copied()
    }

    pub fn models(&self) -> &[Model] {
        &self.models
    }

    /// Whether the database applies row-level security to this table (Supabase).
    pub fn has_row_level_security(&self, table: &str) -> bool {
        self.rls_tables.contains(Normalized::new(table).as_str())
    }

    fn index_keys(&mut self) {
        self.keys.clear();
        for (i, model) in self.models.iter().enumerate() {
            for key in [Some(&model.name), model.table.as_ref()].into_iter().flatten() {
                self.keys.entry(normalize(key)).or_insert(i);
            }
        }
    }

    fn classify(&mut self) {
        // Pass 1: direct org columns, owners, and what each model is.
        let tenant_models: HashSet<String> = self
            .models
            .iter()
            .filter(|m| TENANT_MODELS.contains(&singular(&m.name).as_str()))
            .map(|m| normalize(&m.name))
            .collect();
        for model in &mut self.models {
            let singular_name = singular(&model.name);
            model.kind = if TENANT_MODELS.contains(&singular_name.as_str()) {
                ModelKind::Tenant
            } else if singular_name.contains("member") || singular_name.contains("invit") {
                ModelKind::Membership
            } else {
                ModelKind::Data
            };
            if model.kind == ModelKind::Tenant {
                continue;
            }
            let by_name = model.field_named(&ORG_NAMES).map(|f| f.name.clone());
            let by_relation = model.fields.iter().find_map(|f| {
                if tenant_models.contains(&normalize(&f.ty)) {
                    f.relation_fields.first().cloned()
                } else {
                    f.references.as_ref().filter(|r| tenant_models.contains(&normalize(r))).map(|_| f.name.clone())
                }
            });
            model.org_column = model.org_column.take().or(by_name).or(by_relation);
            let mut owners: Vec<String> = model
                .fields
                .iter()
                .filter(|f| is_owner_column_name(&f.name) || f.column.as_deref().is_some_and(is_owner_column_name))
                .map(|f| f.name.clone())
                .collect();
            for f in &model.fields {
                if matches!(singular(&f.ty).as_str(), "user" | "profile") {
                    owners.extend(f.relation_fields.iter().cloned());
                }
            }
            for owner in owners {
                if !model.owner_columns.contains(&owner) {
                    model.owner_columns.push(owner);
                }
            }
        }
        // Pass 2: `workspaceId`/`teamId` are the tenant only when that model is not itself
        // scoped by an org (then it is a sub-resource of the tenant, not the tenant).
        let scoped: HashSet<String> =
            self.models.iter().filter(|m| m.org_column.is_some()).map(|m| singular(&m.name)).collect();
        for model in &mut self.models {
            if model.org_column.is_some() || model.kind == ModelKind::Tenant {
                continue;
            }
            if let Some(field) = model.field_named(&SUB_TENANT_NAMES) {
                let target = normalize(&field.name).trim_end_matches("id").to_string();
                if !scoped.contains(&target) {
                    model.org_column = Some(field.name.clone());
                }
            }
        }
        // A workspace or team model without an org column is the tenant itself.
        for model in &mut self.models {
            let s = singular(&model.name);
            if (s == "workspace" || s == "team") && model.org_column.is_none() && model.kind == ModelKind::Data {
                model.kind = ModelKind::Tenant;
            }
        }
    }
}

/// How one query filtered a model: (model, [(column, value source)]).
type Observed = (String, Vec<(String, ValueSource)>);

/// What one file teaches the schema: the Drizzle tables it defines and how its queries filter
/// models.
#[derive(Debug, Default)]
pub struct FileObservation {
    tables: Vec<Model>,
    observed: Vec<Observed>,
}

/// Drizzle tables defined in a file, and the filters its queries use.
fn scan_file(index: &ProjectIndex, path: &Path) -> Option<FileObservation> {
    let kind = SourceKind::from_path(path)?;
    let text = index.read(path)?;
    let contains = |word: &'static str| text.contains(word);
    if !defines_tables(&contains) && !may_query(&text, &contains) {
        return None;
    }
    let parsed = parse_source(&text, kind);
    let module = parsed.module.as_ref()?;
    Some(observe(&text, module, &FileSemantics::build(module, &text), &contains))
}

/// Whether the text may define tables (`contains` answers whether it contains a word).
fn defines_tables(contains: &dyn Fn(&'static str) -> bool) -> bool {
    // (`able(` first: both contain it.)
    contains("able(") && (contains("Table(") || contains(".table("))
}

/// Whether the text may filter a model by something inference learns from.
fn may_query(text: &str, contains: &dyn Fn(&'static str) -> bool) -> bool {
    (contains("where") || contains(".eq(") || contains(".find"))
        && (contains("@clerk/") || names_a_tenant_or_owner_column(text))
}

/// Whether inference reads `path` (it reads the project's first `MAX_SCANNED_FILES` files). The
/// answer only saves work: a file the lint did not observe is scanned by [`build_with`] itself.
pub fn reads_file(index: &ProjectIndex, path: &Path) -> bool {
    // The project's files are sorted (the workspace scan sorts them): the files read are those
    // up to the last one read.
    index.files.get(MAX_SCANNED_FILES - 1).is_none_or(|last| path <= last.as_path())
}

/// What a parsed file teaches the schema (often nothing). The lint calls this on its own
/// parse, so a check reads each file's syntax once. `contains` answers whether `text` contains
/// a word (the lint's context knows already).
pub fn observe(
    text: &str,
    module: &Module,
    sem: &FileSemantics,
    contains: &dyn Fn(&'static str) -> bool,
) -> FileObservation {
    let (defines_tables, may_query) = (defines_tables(contains), may_query(text, contains));
    if !defines_tables && !may_query {
        return FileObservation::default();
    }
    let tables = if defines_tables { drizzle::tables(module) } else { Vec::new() };
    let mut observed = Vec::new();
    if may_query {
        for query in queries::queries_in_module(module, sem) {
            let Some(model) = query.model else { continue };
            let columns = query.conditions.iter().map(|c| (c.column.clone(), c.value)).collect();
            observed.push((model, columns));
        }
    }
    FileObservation { tables, observed }
}

/// Whether the text may name an org or owner column (any case, any underscores). A filter
/// teaches inference something only through such a column name or a session value, and session
/// values need a Clerk import (the scan follows no helpers): a file with neither is not parsed.
fn names_a_tenant_or_owner_column(text: &str) -> bool {
    // ASCII text (most source) folds byte by byte; other text takes `normalize`, whose Unicode
    // lowercasing can turn a non-ASCII letter into an ASCII one (the Kelvin sign into `k`).
    let folded = if text.is_ascii() {
        text.bytes().filter(|b| *b != b'_').map(|b| b.to_ascii_lowercase()).collect::<Vec<u8>>()
    } else {
        normalize(text).into_bytes()
    };
    ORG_NAMES.iter().chain(&OWNER_NAMES).any(|name| memchr::memmem::find(&folded, name.as_bytes()).is_some())
}

pub fn build(index: &ProjectIndex) -> DataSchema {
    build_with(index, HashMap::default())
}

/// The schema, with what some files teach already known (from their lint's parse). The other
/// files are read and parsed here.
pub fn build_with(index: &ProjectIndex, mut known: HashMap<PathBuf, FileObservation>) -> DataSchema {
    let mut models = Vec::new();
    for path in prisma_schema_files(index) {
        if let Some(text) = index.read(&path) {
            models.extend(prisma::parse(&text));
        }
    }
    // Every file may define tables or show how a model is filtered: scanned in parallel (the
    // rest of the lint waits for this model).
    let scanned: Vec<Option<FileObservation>> = index
        .files
        .iter()
        .take(MAX_SCANNED_FILES)
        .collect::<Vec<_>>()
        .par_iter()
        .map(|path| if known.contains_key(*path) { None } else { scan_file(index, path) })
        .collect();
    let mut observed: Vec<Observed> = Vec::new();
    for (path, scan) in index.files.iter().zip(scanned) {
        let Some(file) = known.remove(path).or(scan) else { continue };
        models.extend(file.tables);
        observed.extend(file.observed);
    }
    let mut schema = DataSchema::from_models(models);
    schema.add_inferred(observed);
    schema.rls_tables = supabase_rls_tables(&index.root);
    schema
}

impl DataSchema {
    /// Adds models only the code's filters reveal (declared models are left as declared).
    pub fn add_inferred(&mut self, observed: Vec<(String, Vec<(String, ValueSource)>)>) {
        let mut inferred: Vec<Model> = Vec::new();
        // Normalized name → position in `inferred`.
        let mut positions: HashMap<String, usize> = HashMap::default();
        // The same few model and column names come back in every file: each is normalised
        // and classified once (this runs on one thread, between the two stages of a batch).
        let mut model_keys: HashMap<String, String> = HashMap::default();
        let mut column_kinds: HashMap<String, (bool, bool)> = HashMap::default();
        for (model_name, columns) in observed {
            let key = match model_keys.get(&model_name) {
                Some(key) => key.clone(),
                None => {
                    let key = normalize(&model_name);
                    model_keys.insert(model_name.clone(), key.clone());
                    key
                }
            };
            if self.keys.contains_key(&key) {
                continue;
            }
            let index = *positions.entry(key).or_insert_with(|| {
                inferred.push(Model::new(model_name.clone(), SchemaSource::Inferred));
                inferred.len() - 1
            });
            let model = &mut inferred[index];
            for (column, value) in columns {
                let (org_name, owner_name) = match column_kinds.get(&column) {
                    Some(kinds) => *kinds,
                    None => {
                        let kinds = (is_org_column_name(&column), is_owner_column_name(&column));
                        column_kinds.insert(column.clone(), kinds);
                        kinds
                    }
                };
                let is_org = org_name || value == ValueSource::SessionOrg;
                let is_owner = owner_name || value == ValueSource::SessionUser;
                if !model.fields.iter().any(|f| f.name == column) && (is_org || is_owner) {
                    model.fields.push(Field {
                        name: column.clone(),
                        column: None,
                        ty: String::new(),
                        list: false,
                        relation_fields: Vec::new(),
                        references: None,
                    });
                }
                if is_org && model.org_column.is_none() {
                    model.org_column = Some(column);
                } else if is_owner && !is_org && !model.owner_columns.contains(&column) {
                    model.owner_columns.push(column);
                }
            }
        }
        inferred.retain(|m| m.org_column.is_some() || !m.owner_columns.is_empty());
        if inferred.is_empty() {
            return;
        }
        self.models.extend(inferred);
        self.classify();
        self.index_keys();
    }
}

/// `prisma.schema` from package.json, else `prisma/schema.prisma`, else `prisma/schema/*.prisma`.
fn prisma_schema_files(index: &ProjectIndex) -> Vec<PathBuf> {
    let root = &index.root;
    let configured = index
        .read(&root.join("package.json"))
        .and_then(|text| serde_json::from_str::<serde_json::Value>(&text).ok())
        .and_then(|json| json.get("prisma")?.get("schema")?.as_str().map(|s| root.join(s)));
    let candidates = configured.into_iter().chain([
        root.join("prisma/schema.prisma"),
        root.join("prisma/schema"),
        root.join("schema.prisma"),
    ]);
    for candidate in candidates {
        if candidate.is_file() {
            return vec![candidate];
        }
        if candidate.is_dir() {
            let files = prisma_files_in(&candidate);
            if !files.is_empty() {
                return files;
            }
        }
    }
    Vec::new()
}

fn prisma_files_in(dir: &Path) -> Vec<PathBuf> {
    let Ok(entries) = std::fs::read_dir(dir) else { return Vec::new() };
    let mut files: Vec<PathBuf> =
        entries.flatten().map(|e| e.path()).filter(|p| p.extension().is_some_and(|x| x == "prisma")).collect();
    files.sort();
    files
}

/// Tables with `alter table <t> enable row level security` in Supabase migrations.
fn supabase_rls_tables(root: &Path) -> HashSet<String> {
    let mut tables = HashSet::default();
    let Ok(entries) = std::fs::read_dir(root.join("supabase/migrations")) else { return tables };
    for path in entries.flatten().map(|e| e.path()).filter(|p| p.extension().is_some_and(|x| x == "sql")) {
        let Ok(text) = std::fs::read_to_string(&path) else { continue };
        let lower = text.to_ascii_lowercase();
        for statement in lower.split(';') {
            let words: Vec<&str> = statement.split_whitespace().collect();
            if let Some(pos) = words.windows(4).position(|w| w == ["enable", "row", "level", "security"])
                && pos >= 1
            {
                let table = words[pos - 1].trim_matches('"');
                let table = table.rsplit('.').next().unwrap_or(table).trim_matches('"');
                tables.insert(normalize(table));
            }
        }
    }
    tables
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn normalized_names_drop_underscores_and_case() {
        for (name, want) in [("org_id", "orgid"), ("OrgID", "orgid"), ("__x__", "x"), ("", ""), ("Größe_ID", "größeid")]
        {
            assert_eq!(Normalized::new(name).as_str(), want, "{name}");
            assert_eq!(normalize(name), want, "{name}");
        }
        let long = "A_".repeat(100);
        assert_eq!(Normalized::new(&long).as_str(), "a".repeat(100));
    }

    fn field(name: &str, ty: &str) -> Field {
        Field {
            name: name.into(),
            column: None,
            ty: ty.into(),
            list: false,
            relation_fields: Vec::new(),
            references: None,
        }
    }

    #[test]
    fn classifies_tenant_owner_and_membership_models() {
        let text = r#"
model Organization { 
  id String @id
}
model Project {
  id String @id
  organizationId String
  organization Organization @relation(fields: [organizationId], references: [id])
  createdById String
}
model Membership {
  id String @id
  orgId String
  userId String
}
model Workspace {
  id String @id
  orgId String
}
model Board {
  id String @id
  workspaceId String
}
model Note {
  id String @id
  writer User @relation(fields: [writerId], references: [id])
  writerId String
}
"#;
        let schema = DataSchema::from_models(prisma::parse(text));
        let org = schema.model("organization").expect("org");
        assert_eq!(org.kind, ModelKind::Tenant);
        assert_eq!(org.org_column, None);
        let project = schema.model("project").expect("project");
        assert_eq!(project.org_column.as_deref(), Some("organizationId"));
        assert_eq!(project.owner_columns, ["createdById"]);
        assert_eq!(schema.model("membership").expect("m").kind, ModelKind::Membership);
        // Workspace has its own org column, so a board's workspaceId is not the tenant.
        assert_eq!(schema.model("workspace").expect("ws").org_column.as_deref(), Some("orgId"));
        assert_eq!(schema.model("board").expect("board").org_column, None);
        assert_eq!(schema.model("note").expect("note").owner_columns, ["writerId"]);
    }

    #[test]
    fn workspace_is_the_tenant_when_nothing_scopes_it() {
        let mut workspace = Model::new("Workspace".into(), SchemaSource::Prisma);
        workspace.fields.push(field("id", "String"));
        let mut doc = Model::new("Doc".into(), SchemaSource::Prisma);
        doc.fields.push(field("workspaceId", "String"));
        let schema = DataSchema::from_models(vec![workspace, doc]);
        assert_eq!(schema.model("workspace").expect("ws").kind, ModelKind::Tenant);
        assert_eq!(schema.model("doc").expect("doc").org_column.as_deref(), Some("workspaceId"));
    }

    #[test]
    fn lookup_by_accessor_table_and_database_column() {
        let mut model = Model::new("TeamNote".into(), SchemaSource::Prisma);
        model.table = Some("team_notes".into());
        model.fields.push(Field { column: Some("org_id".into()), ..field("orgId", "String") });
        let schema = DataSchema::from_models(vec![model]);
        let by_accessor = schema.model("teamNote").expect("accessor");
        assert!(schema.model("team_notes").is_some());
        assert!(by_accessor.is_org_column("org_id"));
        assert!(by_accessor.is_org_column("orgId"));
        assert_eq!(by_accessor.column_for("orgId", true), "org_id");
    }

    #[test]
    fn infers_columns_from_filters_but_keeps_declared_models() {
        let mut declared = Model::new("Post".into(), SchemaSource::Prisma);
        declared.fields.push(field("authorId", "String"));
        let mut schema = DataSchema::from_models(vec![declared]);
        schema.add_inferred(vec![
            ("post".into(), vec![("orgId".into(), ValueSource::SessionOrg)]),
            ("invoice".into(), vec![("id".into(), ValueSource::Input), ("tenant".into(), ValueSource::SessionOrg)]),
            ("comment".into(), vec![("clerkUserId".into(), ValueSource::SessionUser)]),
            ("tag".into(), vec![("name".into(), ValueSource::Literal)]),
        ]);
        assert_eq!(schema.model("post").expect("post").org_column, None);
        assert_eq!(schema.model("invoice").expect("invoice").org_column.as_deref(), Some("tenant"));
        assert_eq!(schema.model("comment").expect("comment").owner_columns, ["clerkUserId"]);
        assert!(schema.model("tag").is_none());
    }
}
