//! The OpenAPI 3.1 document (SPEC §8), generated natively from the declarations the router and
//! the validators use — routes ([`crate::pipeline::router`]), their documentation blocks, field
//! declarations ([`crate::domain::model`]), list and query declarations — so that it cannot
//! drift from what the API does. Built with utoipa's builders; none of it is in the wasm.
//!
//! The document is committed as `openapi.json` at the root of the repository and served as a
//! static asset. A test fails when the committed file differs from what the code generates;
//! `make openapi` writes it anew.

mod cursor;
mod dsl;
mod fields;
mod info;
mod operations;
mod params;
mod patterns;
mod responses;
mod schemas;

use utoipa::openapi::{ComponentsBuilder, OpenApi, OpenApiBuilder};

/// The document as the code declares it.
pub fn document() -> OpenApi {
    let mut reg = schemas::Registry::new();
    let paths = operations::paths(&mut reg);
    reg.add_response("MethodNotAllowed", responses::method_not_allowed());
    let mut tags: Vec<&str> = Vec::new();
    for def in operations::documented() {
        if !tags.contains(&def.doc.tag) {
            tags.push(def.doc.tag);
        }
    }
    let (schemas, responses) = reg.into_parts();
    let mut components = ComponentsBuilder::new();
    for (name, schema) in schemas {
        components = components.schema(name, schema);
    }
    for (name, response) in responses {
        components = components.response(name, response);
    }
    for (name, scheme) in info::security_schemes() {
        components = components.security_scheme(name, scheme);
    }
    OpenApiBuilder::new()
        .info(info::info())
        .servers(Some(info::servers()))
        .tags(Some(info::tags(&tags)))
        .paths(paths)
        .components(Some(components.build()))
        .build()
}

/// The document as committed: pretty JSON with a final newline.
pub fn render() -> String {
    let mut text = document().to_pretty_json().expect("the document serialises"); // ok: native-only generator, fails the openapi test
    text.push('\n');
    text
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::pipeline::router::{self, Access};

    const COMMITTED: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/openapi.json");

    /// Set to write the generated document over the committed one (what `make openapi` does).
    const WRITE: &str = "EDGECLOCK_WRITE_OPENAPI";

    #[test]
    fn committed_document_is_current() {
        let generated = render();
        if std::env::var_os(WRITE).is_some() {
            std::fs::write(COMMITTED, &generated).expect("openapi.json is writable");
            return;
        }
        let committed = std::fs::read_to_string(COMMITTED).unwrap_or_default();
        assert!(
            committed == generated,
            "openapi.json differs from what the route and field declarations generate: run `make openapi` \
             (or `{WRITE}=1 cargo test --lib openapi::tests::committed_document_is_current`) and commit it"
        );
    }

    fn parsed() -> serde_json::Value {
        serde_json::from_str(&render()).expect("the document is JSON")
    }

    #[test]
    fn every_routed_path_and_method_is_documented() {
        let doc = parsed();
        assert_eq!(doc["openapi"], "3.1.0");
        for r in router::routes().filter(|r| r.access != Access::Public) {
            let op = &doc["paths"][r.pattern][r.method.as_str().to_ascii_lowercase()];
            assert!(op.is_object(), "{} {} is missing from the document", r.method.as_str(), r.pattern);
        }
    }

    #[test]
    fn documents_no_route_that_does_not_exist() {
        let doc = parsed();
        for (path, ops) in doc["paths"].as_object().expect("paths") {
            for method in ops.as_object().expect("a path item").keys().filter(|k| *k != "parameters") {
                let routed = router::routes().any(|r| {
                    r.access != Access::Public && r.pattern == path && r.method.as_str().eq_ignore_ascii_case(method)
                });
                assert!(routed, "the document has {method} {path}, which is not routed");
            }
        }
    }

    /// Every `$ref` names a component that exists.
    #[test]
    fn every_reference_resolves() {
        let doc = parsed();
        fn walk(v: &serde_json::Value, doc: &serde_json::Value) {
            match v {
                serde_json::Value::Object(m) => {
                    if let Some(serde_json::Value::String(r)) = m.get("$ref") {
                        let target = r.trim_start_matches("#/").split('/').fold(doc, |at, k| &at[k]);
                        assert!(!target.is_null(), "{r} resolves to nothing");
                    }
                    m.values().for_each(|x| walk(x, doc));
                }
                serde_json::Value::Array(a) => a.iter().for_each(|x| walk(x, doc)),
                _ => {}
            }
        }
        walk(&doc, &doc);
    }

    #[test]
    fn operation_ids_are_unique() {
        let mut ids: Vec<&str> = operations::documented().map(|r| r.doc.id).collect();
        let n = ids.len();
        ids.sort();
        ids.dedup();
        assert_eq!(ids.len(), n);
    }
}
