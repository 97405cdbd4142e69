//! Snapshots of the pretty renderer (code frames, help, fix hints, summary).

mod common;

use common::{Project, STALE_SUPPRESSION};

#[test]
fn pretty_output_snapshot() {
    let project = Project::new();
    project.write("lib/version.ts", STALE_SUPPRESSION);
    project.write(
        "app/page.tsx",
        "export default function Page() {\n\tconst title = \"日本\"; // clerkguard-ignore-line foo\n\treturn <h1>{title}</h1>;\n}\n",
    );
    project.write("lib/broken.ts", "export const = ;\n");
    let run = project.run(&["check"]);
    run.assert_code(0);
    insta::assert_snapshot!(run.stdout);
}

#[test]
fn pretty_output_after_fix_snapshot() {
    let project = Project::new();
    project.write("lib/version.ts", STALE_SUPPRESSION);
    project.write("lib/broken.ts", "export const = ;\n");
    let run = project.run(&["check", "--fix"]);
    run.assert_code(0);
    insta::assert_snapshot!(run.stdout);
}
