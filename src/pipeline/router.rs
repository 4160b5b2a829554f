//! The route table: every path the API serves, who may call it, and matching.
//!
//! One static table drives dispatch, the `Allow` header of a 405, scope derivation and the
//! OpenAPI completeness test, so a route cannot exist in one place and be missing in another.

/// HTTP methods the API routes on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Method {
    Get,
    Post,
    Put,
    Patch,
    Delete,
}

impl Method {
    pub fn parse(m: &str) -> Option<Method> {
        match m {
            "GET" | "HEAD" => Some(Method::Get),
            "POST" => Some(Method::Post),
            "PUT" => Some(Method::Put),
            "PATCH" => Some(Method::Patch),
            "DELETE" => Some(Method::Delete),
            _ => None,
        }
    }
    pub fn as_str(self) -> &'static str {
        match self {
            Method::Get => "GET",
            Method::Post => "POST",
            Method::Put => "PUT",
            Method::Patch => "PATCH",
            Method::Delete => "DELETE",
        }
    }
    /// Whether the method changes state (and so needs a `write:` scope and may carry a body).
    pub fn is_write(self) -> bool {
        !matches!(self, Method::Get)
    }
}

/// Who may call a route.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Access {
    /// No credentials (docs).
    Public,
    /// The platform operator's token.
    Operator,
    /// A tenant, division or vendor API key.
    Key,
}

/// Resources served entirely by the shared CRUD handlers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Res {
    Sites,
    Departments,
    CostCodes,
    Tasks,
    Customers,
}

/// The CRUD operations a route can ask of a resource.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Op {
    List,
    Create,
    Get,
    Update,
    Delete,
}

/// Every handler the API has.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Route {
    Crud(Res, Op),
    JobList,
    JobCreate,
    JobGet,
    JobUpdate,
    JobDelete,
    ShiftList,
    ShiftCreate,
    ShiftGet,
    ShiftUpdate,
    ShiftDelete,
    ShiftPublish,
    TimeEntryList,
    TimeEntryCreate,
    TimeEntryBatch,
    TimeEntryGet,
    TimeEntryUpdate,
    TimeEntryDelete,
    TimeEntryStop,
    TimeEntryApprove,
    TimeEntryReject,
    TimeEntryUnapprove,
    ClockIn,
    ClockOut,
    BreakStart,
    BreakEnd,
    AttendanceDaily,
    AttendanceRange,
    AttendanceWorker,
    AttendanceSummary,
    AttendanceToday,
    OpenApi,
    Docs,
    OperatorTenantCreate,
    OperatorTenantList,
    OperatorTenantGet,
    OperatorTenantUpdate,
    OperatorTenantKeyCreate,
    OperatorVendorCreate,
    OperatorVendorList,
    OperatorVendorKeyCreate,
    OperatorAuditList,
    Me,
    ApiKeyCreate,
    ApiKeyList,
    ApiKeyGet,
    ApiKeyRevoke,
    DivisionCreate,
    DivisionList,
    DivisionGet,
    DivisionKeyCreate,
    PartnershipCreate,
    PartnershipList,
    PartnershipGet,
    PartnershipRevoke,
    AuditList,
    WorkerList,
    WorkerCreate,
    WorkerGet,
    WorkerUpdate,
    WorkerDelete,
    WorkerSetStatus,
}

#[derive(Debug, PartialEq)]
pub struct RouteDef {
    pub method: Method,
    /// Path pattern in OpenAPI syntax: `{name}` matches one non-empty segment.
    pub pattern: &'static str,
    pub route: Route,
    pub access: Access,
}

const fn r(method: Method, pattern: &'static str, route: Route, access: Access) -> RouteDef {
    RouteDef { method, pattern, route, access }
}

use Access::*;
use Method::*;

pub static ROUTES: &[RouteDef] = &[
    r(Get, "/openapi.json", Route::OpenApi, Public),
    r(Get, "/docs", Route::Docs, Public),
    r(Post, "/v1/operator/tenants", Route::OperatorTenantCreate, Operator),
    r(Get, "/v1/operator/tenants", Route::OperatorTenantList, Operator),
    r(Get, "/v1/operator/tenants/{tenant_id}", Route::OperatorTenantGet, Operator),
    r(Patch, "/v1/operator/tenants/{tenant_id}", Route::OperatorTenantUpdate, Operator),
    r(Post, "/v1/operator/tenants/{tenant_id}/api-keys", Route::OperatorTenantKeyCreate, Operator),
    r(Post, "/v1/operator/vendors", Route::OperatorVendorCreate, Operator),
    r(Get, "/v1/operator/vendors", Route::OperatorVendorList, Operator),
    r(Post, "/v1/operator/vendors/{vendor_id}/api-keys", Route::OperatorVendorKeyCreate, Operator),
    r(Get, "/v1/operator/audit-log", Route::OperatorAuditList, Operator),
    r(Get, "/v1/me", Route::Me, Key),
    r(Post, "/v1/api-keys", Route::ApiKeyCreate, Key),
    r(Get, "/v1/api-keys", Route::ApiKeyList, Key),
    r(Get, "/v1/api-keys/{key_id}", Route::ApiKeyGet, Key),
    r(Delete, "/v1/api-keys/{key_id}", Route::ApiKeyRevoke, Key),
    r(Post, "/v1/divisions", Route::DivisionCreate, Key),
    r(Get, "/v1/divisions", Route::DivisionList, Key),
    r(Get, "/v1/divisions/{division_id}", Route::DivisionGet, Key),
    r(Post, "/v1/divisions/{division_id}/api-keys", Route::DivisionKeyCreate, Key),
    r(Post, "/v1/partnerships", Route::PartnershipCreate, Key),
    r(Get, "/v1/partnerships", Route::PartnershipList, Key),
    r(Get, "/v1/partnerships/{partnership_id}", Route::PartnershipGet, Key),
    r(Delete, "/v1/partnerships/{partnership_id}", Route::PartnershipRevoke, Key),
    r(Get, "/v1/audit-log", Route::AuditList, Key),
    r(Get, "/v1/workers", Route::WorkerList, Key),
    r(Post, "/v1/workers", Route::WorkerCreate, Key),
    r(Get, "/v1/workers/{worker_id}", Route::WorkerGet, Key),
    r(Patch, "/v1/workers/{worker_id}", Route::WorkerUpdate, Key),
    r(Delete, "/v1/workers/{worker_id}", Route::WorkerDelete, Key),
    r(Patch, "/v1/workers/{worker_id}/status", Route::WorkerSetStatus, Key),
    r(Get, "/v1/sites", Route::Crud(Res::Sites, Op::List), Key),
    r(Post, "/v1/sites", Route::Crud(Res::Sites, Op::Create), Key),
    r(Get, "/v1/sites/{site_id}", Route::Crud(Res::Sites, Op::Get), Key),
    r(Patch, "/v1/sites/{site_id}", Route::Crud(Res::Sites, Op::Update), Key),
    r(Delete, "/v1/sites/{site_id}", Route::Crud(Res::Sites, Op::Delete), Key),
    r(Get, "/v1/departments", Route::Crud(Res::Departments, Op::List), Key),
    r(Post, "/v1/departments", Route::Crud(Res::Departments, Op::Create), Key),
    r(Get, "/v1/departments/{department_id}", Route::Crud(Res::Departments, Op::Get), Key),
    r(Patch, "/v1/departments/{department_id}", Route::Crud(Res::Departments, Op::Update), Key),
    r(Delete, "/v1/departments/{department_id}", Route::Crud(Res::Departments, Op::Delete), Key),
    r(Get, "/v1/cost-codes", Route::Crud(Res::CostCodes, Op::List), Key),
    r(Post, "/v1/cost-codes", Route::Crud(Res::CostCodes, Op::Create), Key),
    r(Get, "/v1/cost-codes/{cost_code_id}", Route::Crud(Res::CostCodes, Op::Get), Key),
    r(Patch, "/v1/cost-codes/{cost_code_id}", Route::Crud(Res::CostCodes, Op::Update), Key),
    r(Delete, "/v1/cost-codes/{cost_code_id}", Route::Crud(Res::CostCodes, Op::Delete), Key),
    r(Get, "/v1/tasks", Route::Crud(Res::Tasks, Op::List), Key),
    r(Post, "/v1/tasks", Route::Crud(Res::Tasks, Op::Create), Key),
    r(Get, "/v1/tasks/{task_id}", Route::Crud(Res::Tasks, Op::Get), Key),
    r(Patch, "/v1/tasks/{task_id}", Route::Crud(Res::Tasks, Op::Update), Key),
    r(Delete, "/v1/tasks/{task_id}", Route::Crud(Res::Tasks, Op::Delete), Key),
    r(Get, "/v1/customers", Route::Crud(Res::Customers, Op::List), Key),
    r(Post, "/v1/customers", Route::Crud(Res::Customers, Op::Create), Key),
    r(Get, "/v1/customers/{customer_id}", Route::Crud(Res::Customers, Op::Get), Key),
    r(Patch, "/v1/customers/{customer_id}", Route::Crud(Res::Customers, Op::Update), Key),
    r(Delete, "/v1/customers/{customer_id}", Route::Crud(Res::Customers, Op::Delete), Key),
    r(Get, "/v1/jobs", Route::JobList, Key),
    r(Post, "/v1/jobs", Route::JobCreate, Key),
    r(Get, "/v1/jobs/{job_id}", Route::JobGet, Key),
    r(Patch, "/v1/jobs/{job_id}", Route::JobUpdate, Key),
    r(Delete, "/v1/jobs/{job_id}", Route::JobDelete, Key),
    r(Post, "/v1/shifts/publish", Route::ShiftPublish, Key),
    r(Get, "/v1/shifts", Route::ShiftList, Key),
    r(Post, "/v1/shifts", Route::ShiftCreate, Key),
    r(Get, "/v1/shifts/{shift_id}", Route::ShiftGet, Key),
    r(Patch, "/v1/shifts/{shift_id}", Route::ShiftUpdate, Key),
    r(Delete, "/v1/shifts/{shift_id}", Route::ShiftDelete, Key),
    r(Get, "/v1/time-entries", Route::TimeEntryList, Key),
    r(Post, "/v1/time-entries", Route::TimeEntryCreate, Key),
    r(Post, "/v1/time-entries/batch", Route::TimeEntryBatch, Key),
    r(Get, "/v1/time-entries/{time_entry_id}", Route::TimeEntryGet, Key),
    r(Patch, "/v1/time-entries/{time_entry_id}", Route::TimeEntryUpdate, Key),
    r(Delete, "/v1/time-entries/{time_entry_id}", Route::TimeEntryDelete, Key),
    r(Post, "/v1/time-entries/{time_entry_id}/stop", Route::TimeEntryStop, Key),
    r(Post, "/v1/time-entries/{time_entry_id}/approve", Route::TimeEntryApprove, Key),
    r(Post, "/v1/time-entries/{time_entry_id}/reject", Route::TimeEntryReject, Key),
    r(Post, "/v1/time-entries/{time_entry_id}/unapprove", Route::TimeEntryUnapprove, Key),
    r(Post, "/v1/attendance/clock-in", Route::ClockIn, Key),
    r(Post, "/v1/attendance/clock-out", Route::ClockOut, Key),
    r(Post, "/v1/attendance/break-start", Route::BreakStart, Key),
    r(Post, "/v1/attendance/break-end", Route::BreakEnd, Key),
    r(Get, "/v1/attendance/daily", Route::AttendanceDaily, Key),
    r(Get, "/v1/attendance/range", Route::AttendanceRange, Key),
    r(Get, "/v1/attendance/workers/{worker_id}", Route::AttendanceWorker, Key),
    r(Get, "/v1/attendance/summary", Route::AttendanceSummary, Key),
    r(Get, "/v1/attendance/today", Route::AttendanceToday, Key),
];

/// The outcome of matching a request line against [`ROUTES`].
#[derive(Debug, PartialEq)]
pub enum Match<'a> {
    Found {
        def: &'static RouteDef,
        params: Vec<&'a str>,
    },
    /// The path exists but not for this method: the value of the `Allow` header.
    MethodNotAllowed(String),
    NotFound,
}

fn captures<'a>(pattern: &str, path: &'a str) -> Option<Vec<&'a str>> {
    let mut params = Vec::new();
    let mut pat = pattern.split('/');
    let mut segs = path.split('/');
    loop {
        match (pat.next(), segs.next()) {
            (None, None) => return Some(params),
            (Some(p), Some(s)) if p.starts_with('{') => {
                if s.is_empty() {
                    return None;
                }
                params.push(s);
            }
            (Some(p), Some(s)) if p == s => {}
            _ => return None,
        }
    }
}

/// Finds the route for `method` (an HTTP method string) and `path`.
pub fn find<'a>(method: &str, path: &'a str) -> Match<'a> {
    let wanted = Method::parse(method);
    let mut allowed: Vec<&'static str> = Vec::new();
    for def in ROUTES {
        if let Some(params) = captures(def.pattern, path) {
            if Some(def.method) == wanted {
                return Match::Found { def, params };
            }
            allowed.push(def.method.as_str());
            if def.method == Get {
                allowed.push("HEAD");
            }
        }
    }
    if allowed.is_empty() {
        Match::NotFound
    } else {
        Match::MethodNotAllowed(allowed.join(", "))
    }
}

/// The resource a `/v1` path names (its first segment), from which scopes are derived.
pub fn resource_of(pattern: &str) -> &str {
    pattern.trim_start_matches("/v1/").split('/').next().unwrap_or("")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn matches_static_and_parameterised_paths() {
        match find("GET", "/v1/workers/wkr_1") {
            Match::Found { def, params } => {
                assert_eq!(def.route, Route::WorkerGet);
                assert_eq!(params, vec!["wkr_1"]);
            }
            other => panic!("{other:?}"),
        }
        assert!(matches!(find("HEAD", "/v1/workers"), Match::Found { .. }));
        assert_eq!(find("GET", "/v1/workers/"), Match::NotFound);
        assert_eq!(find("GET", "/v1/nope"), Match::NotFound);
        assert_eq!(find("GET", "/v1/workers/a/b"), Match::NotFound);
    }

    #[test]
    fn wrong_method_lists_the_allowed_ones() {
        assert_eq!(find("PUT", "/v1/workers"), Match::MethodNotAllowed("GET, HEAD, POST".into()));
        assert_eq!(find("POST", "/v1/workers/wkr_1"), Match::MethodNotAllowed("GET, HEAD, PATCH, DELETE".into()));
        assert_eq!(find("OPTIONS", "/v1/me"), Match::MethodNotAllowed("GET, HEAD".into()));
    }

    #[test]
    fn resource_is_first_segment_after_v1() {
        assert_eq!(resource_of("/v1/workers/{worker_id}/status"), "workers");
        assert_eq!(resource_of("/v1/me"), "me");
    }
}
