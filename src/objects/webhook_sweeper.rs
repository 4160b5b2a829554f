//! `WebhookSweeper`: one Durable Object whose alarm runs the webhook sweeper
//! ([`crate::delivery::sweep`]) every `WEBHOOK_SWEEP_SECONDS`. Alarms persist with the
//! object's storage, so the sweeps resume after a restart or a deploy; `POST /arm` (sent by
//! fan-out and the queue consumer) sets the alarm when none is pending.

use worker::{durable_object, DurableObject, Env, Request, Response, Result, State};

use crate::delivery::{settings, sweep};

#[durable_object]
pub struct WebhookSweeper {
    state: State,
    env: Env,
}

impl DurableObject for WebhookSweeper {
    fn new(state: State, env: Env) -> Self {
        WebhookSweeper { state, env }
    }

    async fn fetch(&self, _req: Request) -> Result<Response> {
        let storage = self.state.storage();
        if storage.get_alarm().await?.is_none() {
            storage.set_alarm(settings::sweep_period_ms(&self.env)).await?;
        }
        Response::ok("armed")
    }

    async fn alarm(&self) -> Result<Response> {
        if sweep::run(&self.env, crate::pipeline::now_ms()).await.is_err() {
            worker::console_error!("webhook sweep failed; the next one retries");
        }
        self.state.storage().set_alarm(settings::sweep_period_ms(&self.env)).await?;
        Response::ok("swept")
    }
}
