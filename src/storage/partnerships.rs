//! Partnerships: a tenant's grant of scopes to a vendor (SPEC §2).

use crate::domain::listing::{Filter, FilterKind, ListSpec};
use crate::domain::scopes::Scope;
use crate::error::ApiResult;
use crate::i18n::Noun;
use crate::storage::db::{self, Database};
use crate::storage::resource::Table;

pub static PARTNERSHIPS: Table = Table {
    list: ListSpec {
        table: "partnerships",
        scope: "tenant_id",
        json: "json_object('id', id, 'harvest_id', harvest_id, 'vendor_id', vendor_id, 'scopes', json(scopes), \
               'status', 'active', 'created_at', created_at, 'updated_at', updated_at)",
        filters: &[Filter { param: "vendor_id", column: "vendor_id", kind: FilterKind::Ids("ven") }],
        date_column: None,
    },
    noun: Noun::Partnership,
    unique_field: "vendor_id",
    created_event: None,
    updated_event: None,
    referenced_by: &[],
};

/// The scopes `tenant` grants `vendor` through a live partnership, if any.
pub async fn granted_scopes(db: &impl Database, tenant: &str, vendor: &str) -> ApiResult<Option<Vec<Scope>>> {
    let sql = "SELECT scopes FROM partnerships WHERE tenant_id = ? AND vendor_id = ? AND deleted_at IS NULL";
    let Some(text) = db::first_text(db, sql, &[tenant.into(), vendor.into()]).await? else { return Ok(None) };
    Ok(Some(serde_json::from_str(&text)?))
}
