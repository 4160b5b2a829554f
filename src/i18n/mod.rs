//! Error messages in the client's language (SPEC §1: en, es, fr, de; default en).
//!
//! `Accept-Language` is negotiated with quality values; the chosen language is echoed in
//! `Content-Language`. Only `error.message` and `details[].message` change: codes never do.
//! The sentences themselves live in [`text`].

/// A supported language.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Lang {
    En,
    Es,
    Fr,
    De,
}

impl Lang {
    pub fn tag(self) -> &'static str {
        match self {
            Lang::En => "en",
            Lang::Es => "es",
            Lang::Fr => "fr",
            Lang::De => "de",
        }
    }

    fn from_primary(tag: &str) -> Option<Lang> {
        let primary = tag.split(['-', '_']).next().unwrap_or("");
        match primary.to_ascii_lowercase().as_str() {
            "en" => Some(Lang::En),
            "es" => Some(Lang::Es),
            "fr" => Some(Lang::Fr),
            "de" => Some(Lang::De),
            _ => None,
        }
    }

    /// Picks the supported language with the highest quality value in an `Accept-Language`
    /// header (ties keep header order; `q=0` excludes; `*` means English). Falls back to English.
    pub fn negotiate(header: Option<&str>) -> Lang {
        let Some(header) = header else { return Lang::En };
        let mut best: Option<(f32, Lang)> = None;
        for item in header.split(',') {
            let mut parts = item.split(';');
            let tag = parts.next().unwrap_or("").trim();
            let mut q = 1.0f32;
            for p in parts {
                if let Some(v) = p.trim().strip_prefix("q=") {
                    q = v.trim().parse().unwrap_or(0.0);
                }
            }
            let lang = if tag == "*" { Some(Lang::En) } else { Lang::from_primary(tag) };
            if let Some(lang) = lang {
                if q > 0.0 && best.is_none_or(|(bq, _)| q > bq) {
                    best = Some((q, lang));
                }
            }
        }
        best.map(|(_, l)| l).unwrap_or(Lang::En)
    }
}

/// Names of objects, for "X not found" messages.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Noun {
    Worker,
    Tenant,
    ApiKey,
    Division,
    Vendor,
    Partnership,
    Site,
    Department,
    CostCode,
    Task,
    Customer,
    Contact,
    Job,
    Shift,
    TimeEntry,
    Webhook,
    WebhookDelivery,
    Export,
    Expense,
    Invoice,
    Object,
}

/// What an error message says, before it is put into words.
#[derive(Debug, Clone, PartialEq)]
pub enum Msg {
    /// The generic sentence for the error code.
    Default,
    RouteNotFound,
    NotFound(Noun),
    BadCredentials,
    BadOperatorToken,
    InvalidJson,
    InvalidCursor,
    /// A query parameter with a value the API does not accept.
    InvalidQuery(String),
    /// A value that must be unique already exists (field name).
    Duplicate(String),
    MissingScope(String),
    /// A vendor key named no tenant in `Edgeclock-Tenant-Id`.
    TenantHeaderRequired,
    /// The named tenant has no active partnership with this vendor.
    NoPartnership,
    /// A tenant key named an account (`Harvest-Account-Id`) that is not its own, or none.
    OtherAccount,
    /// A key, grant or division asked for a scope its creator does not hold.
    ScopeEscalation(String),
    /// An `Idempotency-Key` header that is not 1–255 visible ASCII characters.
    InvalidIdempotencyKey,
    /// The first request with this idempotency key is still running.
    IdempotencyInFlight,
    /// A delete of something other objects still point at.
    StillReferenced,
    /// A vendor key tried to manage keys, divisions, partnerships or webhooks.
    VendorGovernance,
    /// An approved time entry is locked until un-approved.
    EntryLocked,
    /// Stop asked of an entry that is not running.
    NotRunning,
    /// Attendance: the worker's state does not allow this (names what it is).
    AttendanceState(crate::domain::attendance::Presence),
    /// A change its current state does not allow (job status, shift overlap, …).
    InvalidTransition(&'static str, &'static str),
    /// A time span that overlaps another of the same worker (names the other).
    Overlaps(String),
    /// A download link whose signature does not match, or that has expired.
    LinkInvalid,
    /// A feature only the enterprise plan has.
    EnterpriseOnly,
    /// An approved expense is locked until un-approved.
    ExpenseLocked,
    /// A time entry or expense on an invoice cannot change (delete the draft invoice first).
    Invoiced,
    /// Only a draft invoice may be edited or deleted.
    InvoiceNotDraft,
    /// An invoice import found nothing left to bill.
    NothingToInvoice,
}

/// Why one field is invalid (`details[].code`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FieldCode {
    Required,
    Invalid,
    TooLong,
    OutOfRange,
    NotAllowed,
    UnknownField,
    WrongType,
    NotFound,
    Inactive,
}

impl FieldCode {
    pub fn as_str(self) -> &'static str {
        match self {
            FieldCode::Required => "required",
            FieldCode::Invalid => "invalid",
            FieldCode::TooLong => "too_long",
            FieldCode::OutOfRange => "out_of_range",
            FieldCode::NotAllowed => "not_allowed",
            FieldCode::UnknownField => "unknown_field",
            FieldCode::WrongType => "wrong_type",
            FieldCode::NotFound => "not_found",
            FieldCode::Inactive => "inactive",
        }
    }

    pub fn message(self, lang: Lang) -> &'static str {
        use FieldCode::*;
        use Lang::*;
        match (self, lang) {
            (Required, En) => "This field is required.",
            (Required, Es) => "Este campo es obligatorio.",
            (Required, Fr) => "Ce champ est obligatoire.",
            (Required, De) => "Dieses Feld ist erforderlich.",
            (Invalid, En) => "This value is not valid.",
            (Invalid, Es) => "Este valor no es válido.",
            (Invalid, Fr) => "Cette valeur n'est pas valide.",
            (Invalid, De) => "Dieser Wert ist ungültig.",
            (TooLong, En) => "This value is too long.",
            (TooLong, Es) => "Este valor es demasiado largo.",
            (TooLong, Fr) => "Cette valeur est trop longue.",
            (TooLong, De) => "Dieser Wert ist zu lang.",
            (OutOfRange, En) => "This value is out of range.",
            (OutOfRange, Es) => "Este valor está fuera de rango.",
            (OutOfRange, Fr) => "Cette valeur est hors limites.",
            (OutOfRange, De) => "Dieser Wert liegt außerhalb des zulässigen Bereichs.",
            (NotAllowed, En) => "This value is not one of the allowed values.",
            (NotAllowed, Es) => "Este valor no es uno de los permitidos.",
            (NotAllowed, Fr) => "Cette valeur ne fait pas partie des valeurs autorisées.",
            (NotAllowed, De) => "Dieser Wert gehört nicht zu den erlaubten Werten.",
            (UnknownField, En) => "This field is not recognised.",
            (UnknownField, Es) => "Este campo no es reconocido.",
            (UnknownField, Fr) => "Ce champ n'est pas reconnu.",
            (UnknownField, De) => "Dieses Feld ist unbekannt.",
            (WrongType, En) => "This value has the wrong type.",
            (WrongType, Es) => "Este valor tiene un tipo incorrecto.",
            (WrongType, Fr) => "Cette valeur a un type incorrect.",
            (WrongType, De) => "Dieser Wert hat den falschen Typ.",
            (NotFound, En) => "No such object exists in this tenant.",
            (NotFound, Es) => "No existe ese objeto en este cliente.",
            (NotFound, Fr) => "Cet objet n'existe pas chez ce locataire.",
            (NotFound, De) => "Dieses Objekt gibt es bei diesem Mandanten nicht.",
            (Inactive, En) => "This worker is inactive.",
            (Inactive, Es) => "Este trabajador está inactivo.",
            (Inactive, Fr) => "Cet employé est inactif.",
            (Inactive, De) => "Dieser Mitarbeiter ist inaktiv.",
        }
    }
}

mod text;

pub use text::{default_message, render};

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn negotiation_honours_quality_values() {
        assert_eq!(Lang::negotiate(None), Lang::En);
        assert_eq!(Lang::negotiate(Some("de-DE")), Lang::De);
        assert_eq!(Lang::negotiate(Some("it, fr;q=0.5, es;q=0.8")), Lang::Es);
        assert_eq!(Lang::negotiate(Some("fr;q=0, de;q=0.1")), Lang::De);
        assert_eq!(Lang::negotiate(Some("ja, zh")), Lang::En);
        assert_eq!(Lang::negotiate(Some("es;q=garbage")), Lang::En);
        assert_eq!(Lang::negotiate(Some("fr-CA;q=0.9, es;q=0.9")), Lang::Fr);
    }

    #[test]
    fn messages_differ_by_language() {
        let code = crate::error::ErrorCode::NotFound;
        let en = render(&Msg::NotFound(Noun::Worker), code, Lang::En);
        let de = render(&Msg::NotFound(Noun::Worker), code, Lang::De);
        assert_eq!(en, "Worker not found.");
        assert_ne!(en, de);
    }
}
