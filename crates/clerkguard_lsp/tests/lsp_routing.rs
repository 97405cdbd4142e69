//! Route protection in the editor: the code lens on a route file, and editing the middleware
//! re-lints route files (a structural change of the project index).

mod support;

use serde_json::{Value, json};
use support::*;

const MIDDLEWARE: &str = "import { clerkMiddleware } from \"@clerk/nextjs/server\";\n\nexport default clerkMiddleware();\n\nexport const config = { matcher: [\"/((?!_next|[^?]*\\\\.(?:html?|css|js(?!on)|jpe?g|webp|png|gif|svg|ttf|woff2?|ico|csv|docx?|xlsx?|zip|webmanifest)).*)\", \"/(api|trpc)(.*)\"] };\n";

const PROTECTING: &str = "import { clerkMiddleware, createRouteMatcher } from \"@clerk/nextjs/server\";\n\nconst isProtectedRoute = createRouteMatcher([\"/api/:path*\"]);\n\nexport default clerkMiddleware(async (auth, req) => {\n  if (isProtectedRoute(req)) await auth.protect();\n});\n\nexport const config = { matcher: [\"/((?!_next|[^?]*\\\\.(?:html?|css|js(?!on)|jpe?g|webp|png|gif|svg|ttf|woff2?|ico|csv|docx?|xlsx?|zip|webmanifest)).*)\", \"/(api|trpc)(.*)\"] };\n";

const ROUTE: &str = "import { db } from \"../../../lib/db\";\n\nexport async function POST(req: Request) {\n  const body = await req.json();\n  await db.order.deleteMany({ where: { status: body.status } });\n  return Response.json({ ok: true });\n}\n";

const DB: &str = "import { PrismaClient } from \"@prisma/client\";\n\nexport const db = new PrismaClient();\n";

async fn lens_title(client: &mut TestClient, uri: &str) -> String {
    let response = client.request("textDocument/codeLens", json!({ "textDocument": { "uri": uri } })).await;
    response["result"][0]["command"]["title"].as_str().unwrap_or_default().to_string()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn middleware_edit_relints_routes_and_updates_the_lens() {
    let (_dir, root) = project(&[("middleware.ts", MIDDLEWARE), ("app/api/orders/route.ts", ROUTE), ("lib/db.ts", DB)]);
    let route_uri = file_uri(&root.join("app/api/orders/route.ts"));
    let middleware_uri = file_uri(&root.join("middleware.ts"));
    let mut client = TestClient::start();
    let init = client.initialize(Some(&root), capabilities(false), Value::Null).await;
    assert_eq!(init["capabilities"]["codeLensProvider"]["resolveProvider"], false);

    let has_finding = |p: &Value| codes(p).contains(&"route-handler-missing-auth".to_string());
    client.diagnostics_where(&route_uri, has_finding).await;

    client.open(&route_uri, "typescript", 1, ROUTE).await;
    let before = lens_title(&mut client, &route_uri).await;
    assert!(before.contains("/api/orders: public in the middleware"), "{before}");

    // The middleware now protects /api: the closed-or-open route file is re-linted.
    client.open(&middleware_uri, "typescript", 1, MIDDLEWARE).await;
    client.change(&middleware_uri, 2, full_change(PROTECTING)).await;
    client.diagnostics_where(&route_uri, |p| !has_finding(p)).await;
    let after = lens_title(&mut client, &route_uri).await;
    assert!(after.contains("protected by the middleware"), "{after}");
    assert!(after.contains("'/api/:path*' in `isProtectedRoute`"), "{after}");
    assert_eq!(client.shutdown_and_exit().await, 0);
}
