use super::handler::for_each_handler;
use crate::{Diagnostic, FileContext, Rule, RuleMeta, declare_rule};

declare_rule! {
    /// ## What it does
    ///
    /// Finds verified Clerk webhook handlers with side effects that never use the `svix-id`
    /// header (beyond passing it to the verification).
    ///
    /// ## Why is this bad?
    ///
    /// Svix retries failed deliveries and the Dashboard can replay messages; a captured delivery
    /// can also be replayed within the 5-minute timestamp tolerance. `svix-id` is the same for
    /// every retry of a message: recording it makes the handler process each event once.
    /// `verifyWebhook` does not return it, so it must be read from the request headers.
    ///
    /// ## Example
    ///
    /// ```ts
    /// const evt = await verifyWebhook(req);
    /// await db.credit.create({ data: { userId: evt.data.id, amount: 100 } });
    /// ```
    ///
    /// ## Use instead
    ///
    /// ```ts
    /// const evt = await verifyWebhook(req);
    /// const messageId = req.headers.get("svix-id")!;
    /// await db.webhookEvent.create({ data: { id: messageId } }); // unique: throws on a replay
    /// await db.credit.create({ data: { userId: evt.data.id, amount: 100 } });
    /// ```
    ///
    /// ## Fix safety
    ///
    /// No fix: how to record processed messages depends on the data store.
    pub WebhookWithoutIdempotency {
        id: "webhook-without-idempotency",
        category: Webhooks,
        severity: Hint,
        enabled: false,
        fix: None,
        summary: "A verified webhook handler with side effects never records svix-id, so retries and replays run twice",
    }
}

impl Rule for WebhookWithoutIdempotency {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check_file(&self, ctx: &FileContext<'_>, out: &mut Vec<Diagnostic>) {
        for_each_handler(ctx, |handler| {
            let flow = &handler.flow;
            if flow.verify_calls.is_empty()
                || flow.unverified_use.is_some()
                || flow.verified_effects.is_empty()
                || flow.uses_message_id
            {
                return;
            }
            out.push(
                ctx.diagnostic(&Self::META, handler.report_range, format!("Webhook handler `{}` has side effects but never records `svix-id`: retried or replayed deliveries run twice", handler.name))
                    .with_help("Store the `svix-id` header of each processed message and skip messages already seen"),
            );
        });
    }
}
