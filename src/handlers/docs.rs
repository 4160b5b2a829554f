//! `GET /openapi.json` (the OpenAPI 3.1 document, kept beside the code in `openapi.json`)
//! and `GET /docs` (Swagger UI over it). Neither needs a key.

use crate::pipeline::envelope::Reply;

pub const OPENAPI: &str = include_str!("../../openapi.json");

pub fn openapi() -> Reply {
    Reply::raw("application/json; charset=utf-8", OPENAPI.to_string())
}

pub fn swagger_ui() -> Reply {
    Reply::raw(
        "text/html; charset=utf-8",
        r##"<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>edgeclock API reference</title>
<link rel="stylesheet" href="https://unpkg.com/swagger-ui-dist@5/swagger-ui.css">
</head>
<body>
<div id="ui"></div>
<script src="https://unpkg.com/swagger-ui-dist@5/swagger-ui-bundle.js"></script>
<script>SwaggerUIBundle({ url: "/openapi.json", dom_id: "#ui" });</script>
</body>
</html>
"##
        .to_string(),
    )
}

#[cfg(test)]
mod tests {
    use super::OPENAPI;
    use crate::pipeline::router::ROUTES;

    #[test]
    fn every_routed_path_and_method_is_documented() {
        let doc: serde_json::Value = serde_json::from_str(OPENAPI).expect("openapi.json is JSON");
        assert!(doc["openapi"].as_str().unwrap_or("").starts_with("3.1"));
        for r in ROUTES {
            let op = &doc["paths"][r.pattern][r.method.as_str().to_ascii_lowercase()];
            assert!(op.is_object(), "{} {} is missing from openapi.json", r.method.as_str(), r.pattern);
        }
    }

    #[test]
    fn documents_no_route_that_does_not_exist() {
        let doc: serde_json::Value = serde_json::from_str(OPENAPI).unwrap();
        for (path, ops) in doc["paths"].as_object().unwrap() {
            for method in ops.as_object().unwrap().keys().filter(|k| *k != "parameters") {
                let routed = ROUTES.iter().any(|r| r.pattern == path && r.method.as_str().eq_ignore_ascii_case(method));
                assert!(routed, "openapi.json documents {method} {path}, which is not routed");
            }
        }
    }
}
