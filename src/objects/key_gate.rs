//! `KeyGate`: one Durable Object per API key, the strongly consistent home of that key's
//! rate-limit windows and revocation state (SPEC §2, §3).

use worker::{durable_object, DurableObject, Env, Request, Response, Result, State};

#[durable_object]
pub struct KeyGate {
    #[allow(dead_code)]
    state: State,
}

impl DurableObject for KeyGate {
    fn new(state: State, _env: Env) -> Self {
        KeyGate { state }
    }

    async fn fetch(&self, _req: Request) -> Result<Response> {
        Ok(Response::ok("{}")?.with_status(404))
    }
}
