use super::boilerplate::{return_from_catch_fix, verification_fix};
use super::handler::for_each_handler;
use crate::{Diagnostic, FileContext, RelatedInfo, Rule, RuleMeta, declare_rule};

declare_rule! {
    /// ## What it does
    ///
    /// Finds Clerk webhook handlers (route handlers that read `svix-*` headers, import svix,
    /// standardwebhooks, `verifyWebhook` or `WebhookEvent`, switch on Clerk event types, or live
    /// in a Clerk `webhooks` folder) that act on the payload — write to a database, call Clerk
    /// or another service with it — on a path where its signature was not verified first. A
    /// `catch` that logs the verification error and carries on counts as no verification, and so
    /// does a `verifyWebhook(req)` whose promise is not awaited.
    ///
    /// Handlers of other providers (Stripe, GitHub, LiveKit, ...) verify in their own way and are
    /// not reported.
    ///
    /// ## Why is this bad?
    ///
    /// A webhook URL is public: anyone can post `{"type": "user.created", ...}` to it. Without the
    /// Svix signature check (HMAC over `svix-id.svix-timestamp.body` with your signing secret),
    /// the handler creates, updates or deletes users and organizations on a stranger's say-so.
    ///
    /// ## Example
    ///
    /// ```ts
    /// export async function POST(req: Request) {
    ///   const evt = await req.json();
    ///   if (evt.type === "user.deleted") await db.user.delete({ where: { clerkId: evt.data.id } });
    ///   return new Response("ok");
    /// }
    /// ```
    ///
    /// ## Use instead
    ///
    /// ```ts
    /// import { verifyWebhook } from "@clerk/nextjs/webhooks";
    ///
    /// export async function POST(req: Request) {
    ///   let evt;
    ///   try {
    ///     evt = await verifyWebhook(req);
    ///   } catch (err) {
    ///     return new Response("Webhook verification failed", { status: 400 });
    ///   }
    ///   if (evt.type === "user.deleted") await db.user.delete({ where: { clerkId: evt.data.id } });
    ///   return new Response("ok");
    /// }
    /// ```
    ///
    /// Before `@clerk/nextjs` 6.13.0, verify with svix:
    /// `new Webhook(process.env.CLERK_WEBHOOK_SIGNING_SECRET).verify(await req.text(), { "svix-id", "svix-timestamp", "svix-signature" })`.
    ///
    /// ## Fix safety
    ///
    /// The fix inserts the verification for the installed version — `verifyWebhook` on 6.13.0 and
    /// later, svix's `Webhook` before — over the raw body, answers 400 on failure, and makes the
    /// payload reads (`await req.json()`, or `req.body` in the Pages Router) use the verified
    /// event. Pages Router handlers also get a raw-body reader and
    /// `export const config = { api: { bodyParser: false } }`. It is unsafe: the signing secret
    /// must be set (`CLERK_WEBHOOK_SIGNING_SECRET`), and svix must be installed on older
    /// versions. For a swallowing `catch`, the (safe) fix returns 400 from it.
    pub WebhookUnverified {
        id: "webhook-unverified",
        category: Webhooks,
        severity: Error,
        fix: Mixed,
        summary: "A Clerk webhook handler acts on the payload without verifying its signature first",
    }
}

impl Rule for WebhookUnverified {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check_file(&self, ctx: &FileContext<'_>, out: &mut Vec<Diagnostic>) {
        for_each_handler(ctx, |handler| {
            let Some(use_range) = handler.flow.unverified_use else { return };
            let related = RelatedInfo {
                path: ctx.path.to_path_buf(),
                range: use_range,
                message: "the payload is used here".into(),
            };
            if handler.flow.verify_calls.is_empty() {
                out.push(
                    ctx.diagnostic(
                        &Self::META,
                        handler.report_range,
                        format!("Webhook handler `{}` acts on the payload without verifying its signature", handler.name),
                    )
                    .with_help("Verify the Svix signature over the raw body first (`verifyWebhook(req)` or svix `Webhook.verify`) and answer 400 when it fails")
                    .with_related(related)
                    .with_fix(verification_fix(ctx, handler)),
                );
            } else if let Some(catch) = handler.flow.swallowing_catch {
                out.push(
                    ctx.diagnostic(
                        &Self::META,
                        catch,
                        "This `catch` swallows the webhook verification error and the handler goes on with an unverified payload",
                    )
                    .with_help("Return a 400 response from the `catch` block")
                    .with_related(related)
                    .with_fix(return_from_catch_fix(ctx, handler, catch.start)),
                );
            } else {
                out.push(
                    ctx.diagnostic(
                        &Self::META,
                        use_range,
                        "The webhook payload is used on a path where its signature was not verified",
                    )
                    .with_help("Verify the signature at the top of the handler, before any use of the payload"),
                );
            }
        });
    }
}
