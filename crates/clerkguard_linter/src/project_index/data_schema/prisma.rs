//! A small reader for the Prisma schema language: `model` blocks, their fields, `@map`,
//! `@@map` and `@relation(fields: [...])`. Enums, datasources and generators are skipped.

use super::{Field, Model, SchemaSource};

/// The models of one `.prisma` file.
pub fn parse(text: &str) -> Vec<Model> {
    let mut models = Vec::new();
    let mut current: Option<Model> = None;
    let mut depth = 0usize;
    for raw_line in text.lines() {
        let line = strip_comment(raw_line).trim();
        if line.is_empty() {
            continue;
        }
        if current.is_none() {
            if depth == 0
                && let Some(rest) = line.strip_prefix("model ").or_else(|| line.strip_prefix("view "))
            {
                let name = rest.trim_end_matches('{').trim();
                if !name.is_empty() && line.ends_with('{') {
                    current = Some(Model::new(name.to_string(), SchemaSource::Prisma));
                    continue;
                }
            }
            depth += line.matches('{').count();
            depth = depth.saturating_sub(line.matches('}').count());
            continue;
        }
        if line.starts_with('}') {
            models.extend(current.take());
            continue;
        }
        let Some(model) = current.as_mut() else { continue };
        if let Some(attr) = line.strip_prefix("@@map(") {
            model.table = first_string(attr);
            continue;
        }
        if line.starts_with("@@") {
            continue;
        }
        if let Some(field) = parse_field(line) {
            model.fields.push(field);
        }
    }
    models
}

fn strip_comment(line: &str) -> &str {
    let mut in_string = false;
    let bytes = line.as_bytes();
    for i in 0..bytes.len() {
        match bytes[i] {
            b'"' => in_string = !in_string,
            b'/' if !in_string && bytes.get(i + 1) == Some(&b'/') => return &line[..i],
            _ => {}
        }
    }
    line
}

fn first_string(text: &str) -> Option<String> {
    let start = text.find('"')? + 1;
    let end = start + text[start..].find('"')?;
    Some(text[start..end].to_string())
}

fn parse_field(line: &str) -> Option<Field> {
    let (name, rest) = line.split_once(char::is_whitespace)?;
    let rest = rest.trim_start();
    let (ty, attrs) = rest.split_once(char::is_whitespace).unwrap_or((rest, ""));
    let (name, ty, attrs) = (name.trim(), ty.trim(), attrs.trim());
    if name.is_empty() || ty.is_empty() || !name.chars().all(|c| c.is_alphanumeric() || c == '_') {
        return None;
    }
    let list = ty.ends_with("[]");
    let base = ty.trim_end_matches("[]").trim_end_matches('?').to_string();
    let column = attrs.find("@map(").and_then(|i| first_string(&attrs[i..]));
    let mut field =
        Field { name: name.to_string(), column, ty: base, list, relation_fields: Vec::new(), references: None };
    if let Some(i) = attrs.find("@relation(") {
        let rel = &attrs[i..];
        if let Some(f) = rel.find("fields:") {
            let after = &rel[f + "fields:".len()..];
            if let (Some(open), Some(close)) = (after.find('['), after.find(']'))
                && open < close
            {
                field.relation_fields =
                    after[open + 1..close].split(',').map(|s| s.trim().to_string()).filter(|s| !s.is_empty()).collect();
            }
        }
    }
    Some(field)
}

#[cfg(test)]
mod tests {
    use super::*;

    const SCHEMA: &str = r#"
datasource db {
  provider = "postgresql"
  url      = env("DATABASE_URL") // a comment with { braces }
}

enum Role {
  ADMIN
  MEMBER
}

model Project {
  id             String   @id @default(cuid())
  name           String
  organizationId String   @map("organization_id")
  organization   Organization @relation(fields: [organizationId], references: [id], onDelete: Cascade)
  members        Member[]
  createdById    String?  // the Clerk user id

  @@index([organizationId])
  @@map("projects")
}

model Organization {
  id       String    @id
  projects Project[]
}
"#;

    #[test]
    fn reads_models_fields_maps_and_relations() {
        let models = parse(SCHEMA);
        assert_eq!(models.iter().map(|m| m.name.as_str()).collect::<Vec<_>>(), ["Project", "Organization"]);
        let project = &models[0];
        assert_eq!(project.table.as_deref(), Some("projects"));
        let org = project.fields.iter().find(|f| f.name == "organizationId").expect("field");
        assert_eq!(org.column.as_deref(), Some("organization_id"));
        let relation = project.fields.iter().find(|f| f.name == "organization").expect("relation");
        assert_eq!(relation.ty, "Organization");
        assert_eq!(relation.relation_fields, ["organizationId"]);
        let members = project.fields.iter().find(|f| f.name == "members").expect("list");
        assert!(members.list);
        assert!(project.fields.iter().any(|f| f.name == "createdById" && f.ty == "String"));
    }

    #[test]
    fn ignores_comments_and_non_model_blocks() {
        let models = parse("// model Fake {\nenum X {\n  A\n}\nmodel Real {\n  id Int @id // model Nope {\n}\n");
        assert_eq!(models.len(), 1);
        assert_eq!(models[0].name, "Real");
        assert_eq!(models[0].fields.len(), 1);
    }
}
