//! Vendors: platform integrators created by the operator, each with its own keys.

use serde::{Deserialize, Serialize};

use crate::domain::listing::ListSpec;
use crate::domain::tenants::{Limits, Tier};
use crate::error::{ApiError, ApiResult};
use crate::storage::db::{self, Database};

pub const VENDOR_JSON: &str = "json_object('id', id, 'harvest_id', harvest_id, 'name', name, 'tier', tier, \
     'limits', json(limits), 'created_at', created_at, 'updated_at', updated_at)";

pub static VENDOR_LIST: ListSpec =
    ListSpec { table: "vendors", scope: "id", json: VENDOR_JSON, filters: &[], date_column: None };

/// A stored vendor, read by column.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Vendor {
    pub id: String,
    /// The vendor's integer id (SPEC §9).
    pub harvest_id: i64,
    pub name: String,
    pub tier: Tier,
    #[serde(deserialize_with = "db::json_text")]
    pub limits: Limits,
    pub created_at: String,
    pub updated_at: String,
}

/// One vendor, read into its type (500 if it is not there: callers have just written it).
pub async fn find(db: &impl Database, id: &str) -> ApiResult<Vendor> {
    let sql = "SELECT id, harvest_id, name, tier, limits, created_at, updated_at FROM vendors WHERE id = ?";
    db.first(sql, &[id.into()]).await?.ok_or_else(ApiError::internal)
}
