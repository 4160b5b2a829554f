//! `LiveFeed`: one Durable Object per tenant that fans recorded positions out to live
//! subscribers after the configured delay (SPEC §6 positions).

use worker::{durable_object, DurableObject, Env, Request, Response, Result, State};

#[durable_object]
pub struct LiveFeed {
    #[allow(dead_code)]
    state: State,
}

impl DurableObject for LiveFeed {
    fn new(state: State, _env: Env) -> Self {
        LiveFeed { state }
    }

    async fn fetch(&self, _req: Request) -> Result<Response> {
        Ok(Response::ok("{}")?.with_status(404))
    }
}
