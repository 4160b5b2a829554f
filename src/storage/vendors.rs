//! Vendors: platform integrators created by the operator, each with its own keys.

use crate::domain::listing::ListSpec;

pub const VENDOR_JSON: &str = "json_object('id', id, 'name', name, 'tier', tier, 'limits', json(limits), \
     'created_at', created_at, 'updated_at', updated_at)";

pub static VENDOR_LIST: ListSpec =
    ListSpec { table: "vendors", scope: "id", json: VENDOR_JSON, filters: &[], date_column: None };
