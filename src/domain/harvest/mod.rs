//! The Harvest-compatible `/v2` wire (SPEC §9) as pure functions: numbered pages and the list
//! body ([`paging`]), and the small conversions Harvest's formats need ([`wire`]): names split
//! into first and last, money as decimals, `"HH:MM"` and `"9:30am"` clock times, `YYYYMMDD`
//! dates, and the placeholder for an empty reference. The rules themselves (overlap, approval
//! locks, one running entry) are `/v1`'s; nothing here decides what may be stored.

pub mod entries;
pub mod expenses;
pub mod invoice_body;
pub mod invoices;
pub mod paging;
pub mod wire;

pub use super::listing::Query;

use crate::error::{ApiError, FieldError};
use crate::i18n::FieldCode;

/// The 422 Harvest answers for an unacceptable parameter or field `name`.
pub fn unprocessable(name: &str) -> ApiError {
    ApiError::validation(vec![FieldError::new(name, FieldCode::Invalid)])
}
