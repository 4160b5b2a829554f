//! API errors: the status/code pairs of SPEC §1, carried from any layer up to the envelope.
//!
//! An [`ApiError`] holds *what* went wrong, never a rendered sentence: the message is
//! produced in the client's language by [`crate::i18n`] when the envelope is written.

use crate::i18n::{FieldCode, Msg};

/// The error codes of SPEC §1. Codes never change with language.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ErrorCode {
    BadRequest,
    Unauthorized,
    Forbidden,
    /// A feature of a higher plan (SPEC §1: `403`, `plan_required`).
    PlanRequired,
    NotFound,
    MethodNotAllowed,
    Conflict,
    PayloadTooLarge,
    UnsupportedMediaType,
    ValidationFailed,
    IdempotencyKeyReused,
    RateLimited,
    Internal,
}

impl ErrorCode {
    pub fn status(self) -> u16 {
        match self {
            ErrorCode::BadRequest => 400,
            ErrorCode::Unauthorized => 401,
            ErrorCode::Forbidden | ErrorCode::PlanRequired => 403,
            ErrorCode::NotFound => 404,
            ErrorCode::MethodNotAllowed => 405,
            ErrorCode::Conflict => 409,
            ErrorCode::PayloadTooLarge => 413,
            ErrorCode::UnsupportedMediaType => 415,
            ErrorCode::ValidationFailed | ErrorCode::IdempotencyKeyReused => 422,
            ErrorCode::RateLimited => 429,
            ErrorCode::Internal => 500,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            ErrorCode::BadRequest => "bad_request",
            ErrorCode::Unauthorized => "unauthorized",
            ErrorCode::Forbidden => "forbidden",
            ErrorCode::PlanRequired => "plan_required",
            ErrorCode::NotFound => "not_found",
            ErrorCode::MethodNotAllowed => "method_not_allowed",
            ErrorCode::Conflict => "conflict",
            ErrorCode::PayloadTooLarge => "payload_too_large",
            ErrorCode::UnsupportedMediaType => "unsupported_media_type",
            ErrorCode::ValidationFailed => "validation_failed",
            ErrorCode::IdempotencyKeyReused => "idempotency_key_reused",
            ErrorCode::RateLimited => "rate_limited",
            ErrorCode::Internal => "internal",
        }
    }
}

/// One invalid field of a 422 (`details[]` in the envelope).
#[derive(Debug, Clone, PartialEq)]
pub struct FieldError {
    pub field: String,
    pub code: FieldCode,
}

impl FieldError {
    pub fn new(field: impl Into<String>, code: FieldCode) -> Self {
        FieldError { field: field.into(), code }
    }
}

/// An error on its way to the client.
#[derive(Debug, Clone, PartialEq)]
pub struct ApiError {
    pub code: ErrorCode,
    pub msg: Msg,
    pub details: Vec<FieldError>,
    /// `Allow` header of a 405.
    pub allow: Option<String>,
    /// `Retry-After` header (seconds) of a 429 or a retryable 409.
    pub retry_after: Option<u64>,
}

pub type ApiResult<T> = Result<T, ApiError>;

impl ApiError {
    pub fn new(code: ErrorCode, msg: Msg) -> Self {
        ApiError { code, msg, details: Vec::new(), allow: None, retry_after: None }
    }
    pub fn bad_request(msg: Msg) -> Self {
        Self::new(ErrorCode::BadRequest, msg)
    }
    pub fn unauthorized() -> Self {
        Self::new(ErrorCode::Unauthorized, Msg::BadCredentials)
    }
    pub fn forbidden(msg: Msg) -> Self {
        Self::new(ErrorCode::Forbidden, msg)
    }
    pub fn not_found(msg: Msg) -> Self {
        Self::new(ErrorCode::NotFound, msg)
    }
    pub fn conflict(msg: Msg) -> Self {
        Self::new(ErrorCode::Conflict, msg)
    }
    pub fn internal() -> Self {
        Self::new(ErrorCode::Internal, Msg::Default)
    }
    pub fn method_not_allowed(allow: String) -> Self {
        ApiError { allow: Some(allow), ..Self::new(ErrorCode::MethodNotAllowed, Msg::Default) }
    }
    /// A 422 listing the fields that broke a rule; `details` must not be empty.
    pub fn validation(details: Vec<FieldError>) -> Self {
        ApiError { details, ..Self::new(ErrorCode::ValidationFailed, Msg::Default) }
    }
    pub fn invalid_field(field: impl Into<String>, code: FieldCode) -> Self {
        Self::validation(vec![FieldError::new(field, code)])
    }
    pub fn status(&self) -> u16 {
        self.code.status()
    }
}

/// Storage and runtime failures become a bare 500: the cause is logged, never sent.
impl From<worker::Error> for ApiError {
    fn from(e: worker::Error) -> Self {
        worker::console_error!("internal error: {e}");
        ApiError::internal()
    }
}

impl From<worker::KvError> for ApiError {
    fn from(e: worker::KvError) -> Self {
        worker::console_error!("kv error: {e}");
        ApiError::internal()
    }
}

impl From<serde_json::Error> for ApiError {
    fn from(e: serde_json::Error) -> Self {
        worker::console_error!("serialization error: {e}");
        ApiError::internal()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn statuses_match_the_spec_table() {
        assert_eq!(ErrorCode::ValidationFailed.status(), 422);
        assert_eq!(ErrorCode::IdempotencyKeyReused.status(), 422);
        assert_eq!(ErrorCode::UnsupportedMediaType.status(), 415);
        assert_eq!(ErrorCode::RateLimited.as_str(), "rate_limited");
    }
}
