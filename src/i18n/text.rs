//! The sentences of every error message, in each supported language.

use super::{Lang, Msg, Noun};
use crate::domain::attendance::Presence;

/// How a worker's state reads in a sentence (the same words in every language).
fn presence_words(p: Presence) -> &'static str {
    match p {
        Presence::Off => "off",
        Presence::Working => "working",
        Presence::OnBreak => "on a break",
    }
}

fn noun(n: Noun, lang: Lang) -> &'static str {
    use Lang::*;
    use Noun::*;
    match (n, lang) {
        (Worker, En) => "Worker",
        (Worker, Es) => "Trabajador",
        (Worker, Fr) => "Employé",
        (Worker, De) => "Mitarbeiter",
        (Tenant, En) => "Tenant",
        (Tenant, Es) => "Cliente",
        (Tenant, Fr) => "Locataire",
        (Tenant, De) => "Mandant",
        (ApiKey, En) => "API key",
        (ApiKey, Es) => "Clave de API",
        (ApiKey, Fr) => "Clé d'API",
        (ApiKey, De) => "API-Schlüssel",
        (Division, En) => "Division",
        (Division, Es) => "División",
        (Division, Fr) => "Division",
        (Division, De) => "Abteilung",
        (Vendor, En) => "Vendor",
        (Vendor, Es) => "Proveedor",
        (Vendor, Fr) => "Fournisseur",
        (Vendor, De) => "Anbieter",
        (Partnership, En) => "Partnership",
        (Partnership, Es) => "Asociación",
        (Partnership, Fr) => "Partenariat",
        (Partnership, De) => "Partnerschaft",
        (Site, En) => "Site",
        (Site, Es) => "Sitio",
        (Site, Fr) => "Site",
        (Site, De) => "Standort",
        (Department, En) => "Department",
        (Department, Es) => "Departamento",
        (Department, Fr) => "Service",
        (Department, De) => "Abteilung",
        (CostCode, En) => "Cost code",
        (CostCode, Es) => "Código de coste",
        (CostCode, Fr) => "Code de coût",
        (CostCode, De) => "Kostenstelle",
        (Task, En) => "Task",
        (Task, Es) => "Tarea",
        (Task, Fr) => "Tâche",
        (Task, De) => "Aufgabe",
        (Customer, En) => "Customer",
        (Customer, Es) => "Cliente",
        (Customer, Fr) => "Client",
        (Customer, De) => "Kunde",
        (Contact, En) => "Contact",
        (Contact, Es) => "Contacto",
        (Contact, Fr) => "Contact",
        (Contact, De) => "Kontakt",
        (Expense, En) => "Expense",
        (Expense, Es) => "Gasto",
        (Expense, Fr) => "Dépense",
        (Expense, De) => "Ausgabe",
        (Invoice, En) => "Invoice",
        (Invoice, Es) => "Factura",
        (Invoice, Fr) => "Facture",
        (Invoice, De) => "Rechnung",
        (Job, En) => "Job",
        (Job, Es) => "Trabajo",
        (Job, Fr) => "Chantier",
        (Job, De) => "Auftrag",
        (Shift, En) => "Shift",
        (Shift, Es) => "Turno",
        (Shift, Fr) => "Poste",
        (Shift, De) => "Schicht",
        (TimeEntry, En) => "Time entry",
        (TimeEntry, Es) => "Registro de tiempo",
        (TimeEntry, Fr) => "Saisie de temps",
        (TimeEntry, De) => "Zeiteintrag",
        (Webhook, En) => "Webhook",
        (Webhook, Es) => "Webhook",
        (Webhook, Fr) => "Webhook",
        (Webhook, De) => "Webhook",
        (WebhookDelivery, En) => "Webhook delivery",
        (WebhookDelivery, Es) => "Entrega de webhook",
        (WebhookDelivery, Fr) => "Livraison de webhook",
        (WebhookDelivery, De) => "Webhook-Zustellung",
        (Export, En) => "Export",
        (Export, Es) => "Exportación",
        (Export, Fr) => "Export",
        (Export, De) => "Export",
        (Object, En) => "Object",
        (Object, Es) => "Objeto",
        (Object, Fr) => "Objet",
        (Object, De) => "Objekt",
    }
}

/// The sentence for an error code when no more specific message applies.
pub fn default_message(code: crate::error::ErrorCode, lang: Lang) -> &'static str {
    use crate::error::ErrorCode::*;
    use Lang::*;
    match (code, lang) {
        (BadRequest, En) => "The request is malformed.",
        (BadRequest, Es) => "La solicitud está mal formada.",
        (BadRequest, Fr) => "La requête est mal formée.",
        (BadRequest, De) => "Die Anfrage ist fehlerhaft.",
        (Unauthorized, En) => "A valid API key is required.",
        (Unauthorized, Es) => "Se requiere una clave de API válida.",
        (Unauthorized, Fr) => "Une clé d'API valide est requise.",
        (Unauthorized, De) => "Ein gültiger API-Schlüssel ist erforderlich.",
        (Forbidden, En) => "This key is not allowed to do that.",
        (Forbidden, Es) => "Esta clave no tiene permiso para hacer eso.",
        (Forbidden, Fr) => "Cette clé n'est pas autorisée à faire cela.",
        (Forbidden, De) => "Dieser Schlüssel darf das nicht.",
        (PlanRequired, En) => "The tenant's plan does not include this feature.",
        (PlanRequired, Es) => "El plan del cliente no incluye esta función.",
        (PlanRequired, Fr) => "L'offre du client n'inclut pas cette fonction.",
        (PlanRequired, De) => "Der Tarif des Mandanten enthält diese Funktion nicht.",
        (NotFound, En) => "Not found.",
        (NotFound, Es) => "No encontrado.",
        (NotFound, Fr) => "Introuvable.",
        (NotFound, De) => "Nicht gefunden.",
        (MethodNotAllowed, En) => "This method is not allowed on this route.",
        (MethodNotAllowed, Es) => "Este método no está permitido en esta ruta.",
        (MethodNotAllowed, Fr) => "Cette méthode n'est pas autorisée sur cette route.",
        (MethodNotAllowed, De) => "Diese Methode ist für diese Route nicht erlaubt.",
        (Conflict, En) => "The request conflicts with the current state.",
        (Conflict, Es) => "La solicitud entra en conflicto con el estado actual.",
        (Conflict, Fr) => "La requête est en conflit avec l'état actuel.",
        (Conflict, De) => "Die Anfrage steht im Konflikt mit dem aktuellen Zustand.",
        (PayloadTooLarge, En) => "The request body is larger than 1 MiB.",
        (PayloadTooLarge, Es) => "El cuerpo de la solicitud supera 1 MiB.",
        (PayloadTooLarge, Fr) => "Le corps de la requête dépasse 1 Mio.",
        (PayloadTooLarge, De) => "Der Anfragetext ist größer als 1 MiB.",
        (UnsupportedMediaType, En) => "Request bodies must be application/json.",
        (UnsupportedMediaType, Es) => "El cuerpo de la solicitud debe ser application/json.",
        (UnsupportedMediaType, Fr) => "Le corps de la requête doit être application/json.",
        (UnsupportedMediaType, De) => "Anfragetexte müssen application/json sein.",
        (ValidationFailed, En) => "Some fields are invalid.",
        (ValidationFailed, Es) => "Algunos campos no son válidos.",
        (ValidationFailed, Fr) => "Certains champs ne sont pas valides.",
        (ValidationFailed, De) => "Einige Felder sind ungültig.",
        (IdempotencyKeyReused, En) => "This Idempotency-Key was used with a different request.",
        (IdempotencyKeyReused, Es) => "Esta Idempotency-Key se usó con otra solicitud.",
        (IdempotencyKeyReused, Fr) => "Cette Idempotency-Key a été utilisée pour une autre requête.",
        (IdempotencyKeyReused, De) => "Dieser Idempotency-Key wurde für eine andere Anfrage verwendet.",
        (RateLimited, En) => "Rate limit exceeded. Retry after the time in Retry-After.",
        (RateLimited, Es) => "Límite de solicitudes superado. Reintente tras el tiempo de Retry-After.",
        (RateLimited, Fr) => "Limite de requêtes atteinte. Réessayez après le délai de Retry-After.",
        (RateLimited, De) => "Anfragelimit überschritten. Nach der Zeit in Retry-After erneut versuchen.",
        (Internal, En) => "Something went wrong on our side.",
        (Internal, Es) => "Algo salió mal de nuestro lado.",
        (Internal, Fr) => "Une erreur s'est produite de notre côté.",
        (Internal, De) => "Auf unserer Seite ist ein Fehler aufgetreten.",
    }
}

/// Renders a message in `lang`; `code` supplies the sentence for [`Msg::Default`].
pub fn render(msg: &Msg, code: crate::error::ErrorCode, lang: Lang) -> String {
    use Lang::*;
    match msg {
        Msg::Default => default_message(code, lang).to_string(),
        Msg::RouteNotFound => match lang {
            En => "No such route.",
            Es => "No existe esa ruta.",
            Fr => "Cette route n'existe pas.",
            De => "Diese Route gibt es nicht.",
        }
        .to_string(),
        Msg::NotFound(n) => match lang {
            En => format!("{} not found.", noun(*n, lang)),
            Es => format!("{} no encontrado.", noun(*n, lang)),
            Fr => format!("{} introuvable.", noun(*n, lang)),
            De => format!("{} nicht gefunden.", noun(*n, lang)),
        },
        Msg::BadCredentials => match lang {
            En => "The API key is missing, malformed, unknown, revoked or expired.",
            Es => "La clave de API falta, es inválida, desconocida, revocada o caducada.",
            Fr => "La clé d'API est absente, mal formée, inconnue, révoquée ou expirée.",
            De => "Der API-Schlüssel fehlt, ist fehlerhaft, unbekannt, widerrufen oder abgelaufen.",
        }
        .to_string(),
        Msg::BadOperatorToken => match lang {
            En => "A valid operator token is required.",
            Es => "Se requiere un token de operador válido.",
            Fr => "Un jeton d'opérateur valide est requis.",
            De => "Ein gültiges Betreiber-Token ist erforderlich.",
        }
        .to_string(),
        Msg::InvalidJson => match lang {
            En => "The request body is not valid JSON.",
            Es => "El cuerpo de la solicitud no es JSON válido.",
            Fr => "Le corps de la requête n'est pas un JSON valide.",
            De => "Der Anfragetext ist kein gültiges JSON.",
        }
        .to_string(),
        Msg::InvalidCursor => match lang {
            En => "The cursor is not valid.",
            Es => "El cursor no es válido.",
            Fr => "Le curseur n'est pas valide.",
            De => "Der Cursor ist ungültig.",
        }
        .to_string(),
        Msg::InvalidQuery(p) => match lang {
            En => format!("Invalid value for query parameter '{p}'."),
            Es => format!("Valor no válido para el parámetro '{p}'."),
            Fr => format!("Valeur non valide pour le paramètre '{p}'."),
            De => format!("Ungültiger Wert für den Parameter '{p}'."),
        },
        Msg::Duplicate(f) => match lang {
            En => format!("Another object already has this {f}."),
            Es => format!("Otro objeto ya tiene este valor de {f}."),
            Fr => format!("Un autre objet a déjà cette valeur de {f}."),
            De => format!("Ein anderes Objekt hat bereits diesen Wert für {f}."),
        },
        Msg::TenantHeaderRequired => match lang {
            En => "Vendor keys must name a tenant in the Edgeclock-Tenant-Id header.",
            Es => "Las claves de proveedor deben indicar un cliente en la cabecera Edgeclock-Tenant-Id.",
            Fr => "Les clés de fournisseur doivent indiquer un locataire dans l'en-tête Edgeclock-Tenant-Id.",
            De => "Anbieterschlüssel müssen im Header Edgeclock-Tenant-Id einen Mandanten angeben.",
        }
        .to_string(),
        Msg::OtherAccount => match lang {
            En => "This key cannot act for that account.",
            Es => "Esta clave no puede actuar en nombre de esa cuenta.",
            Fr => "Cette clé ne peut pas agir pour ce compte.",
            De => "Dieser Schlüssel kann nicht für dieses Konto handeln.",
        }
        .to_string(),
        Msg::NoPartnership => match lang {
            En => "This tenant has not granted this vendor access.",
            Es => "Este cliente no ha concedido acceso a este proveedor.",
            Fr => "Ce locataire n'a pas accordé d'accès à ce fournisseur.",
            De => "Dieser Mandant hat diesem Anbieter keinen Zugriff gewährt.",
        }
        .to_string(),
        Msg::ScopeEscalation(s) => match lang {
            En => format!("A key cannot grant the scope '{s}', which it does not hold."),
            Es => format!("Una clave no puede conceder el permiso '{s}', que no tiene."),
            Fr => format!("Une clé ne peut pas accorder la portée '{s}', qu'elle ne possède pas."),
            De => format!("Ein Schlüssel kann den Scope '{s}' nicht vergeben, den er selbst nicht hat."),
        },
        Msg::InvalidIdempotencyKey => match lang {
            En => "Idempotency-Key must be 1 to 255 visible ASCII characters.",
            Es => "Idempotency-Key debe tener de 1 a 255 caracteres ASCII visibles.",
            Fr => "Idempotency-Key doit compter de 1 à 255 caractères ASCII visibles.",
            De => "Idempotency-Key muss aus 1 bis 255 sichtbaren ASCII-Zeichen bestehen.",
        }
        .to_string(),
        Msg::IdempotencyInFlight => match lang {
            En => "A request with this Idempotency-Key is still in progress; retry shortly.",
            Es => "Una solicitud con esta Idempotency-Key sigue en curso; reintente en breve.",
            Fr => "Une requête avec cette Idempotency-Key est en cours ; réessayez bientôt.",
            De => "Eine Anfrage mit diesem Idempotency-Key läuft noch; bitte gleich erneut versuchen.",
        }
        .to_string(),
        Msg::EntryLocked => match lang {
            En => "This time entry is approved and locked; un-approve it first.",
            Es => "Este registro está aprobado y bloqueado; anule la aprobación primero.",
            Fr => "Cette saisie est approuvée et verrouillée ; annulez d'abord l'approbation.",
            De => "Dieser Zeiteintrag ist genehmigt und gesperrt; zuerst die Genehmigung aufheben.",
        }
        .to_string(),
        Msg::NotRunning => match lang {
            En => "This time entry is not running.",
            Es => "Este registro no está en curso.",
            Fr => "Cette saisie n'est pas en cours.",
            De => "Dieser Zeiteintrag läuft nicht.",
        }
        .to_string(),
        Msg::AttendanceState(presence) => {
            let state = presence_words(*presence);
            match lang {
                En => format!("Not allowed while the worker is {state}."),
                Es => format!("No permitido mientras el trabajador está {state}."),
                Fr => format!("Impossible tant que l'employé est {state}."),
                De => format!("Nicht möglich, solange der Mitarbeiter {state} ist."),
            }
        }
        Msg::VendorGovernance => match lang {
            En => "Vendor keys cannot manage API keys, divisions, partnerships or webhooks.",
            Es => "Las claves de proveedor no pueden gestionar claves, divisiones, asociaciones ni webhooks.",
            Fr => "Les clés de fournisseur ne peuvent pas gérer les clés, divisions, partenariats ou webhooks.",
            De => "Anbieterschlüssel dürfen keine Schlüssel, Abteilungen, Partnerschaften oder Webhooks verwalten.",
        }
        .to_string(),
        Msg::StillReferenced => match lang {
            En => "Other objects still refer to this one; remove or reassign them first.",
            Es => "Otros objetos aún hacen referencia a este; elimínelos o reasígnelos primero.",
            Fr => "D'autres objets y font encore référence ; supprimez-les ou réaffectez-les d'abord.",
            De => "Andere Objekte verweisen noch hierauf; zuerst entfernen oder neu zuordnen.",
        }
        .to_string(),
        Msg::InvalidTransition(from, to) => match lang {
            En => format!("Cannot change status from '{from}' to '{to}'."),
            Es => format!("No se puede cambiar el estado de '{from}' a '{to}'."),
            Fr => format!("Impossible de passer le statut de '{from}' à '{to}'."),
            De => format!("Der Status kann nicht von '{from}' zu '{to}' wechseln."),
        },
        Msg::ExpenseLocked => match lang {
            En => "This expense is approved and locked; un-approve it first.",
            Es => "Este gasto está aprobado y bloqueado; anule la aprobación primero.",
            Fr => "Cette dépense est approuvée et verrouillée ; annulez d'abord l'approbation.",
            De => "Diese Ausgabe ist genehmigt und gesperrt; zuerst die Genehmigung aufheben.",
        }
        .to_string(),
        Msg::Invoiced => match lang {
            En => "This is on an invoice and locked; delete the draft invoice first to free it.",
            Es => "Esto figura en una factura y está bloqueado; elimine primero el borrador de la factura.",
            Fr => "Ceci figure sur une facture et est verrouillé ; supprimez d'abord le brouillon de facture.",
            De => "Dies steht auf einer Rechnung und ist gesperrt; zuerst den Rechnungsentwurf löschen.",
        }
        .to_string(),
        Msg::InvoiceNotDraft => match lang {
            En => "Only a draft invoice can be edited or deleted.",
            Es => "Solo se puede editar o eliminar una factura en borrador.",
            Fr => "Seule une facture en brouillon peut être modifiée ou supprimée.",
            De => "Nur ein Rechnungsentwurf kann bearbeitet oder gelöscht werden.",
        }
        .to_string(),
        Msg::NothingToInvoice => match lang {
            En => "Nothing is left to invoice: no approved, billable, not yet invoiced time or expenses of this customer in the range.",
            Es => "No queda nada por facturar: ningún tiempo o gasto aprobado, facturable y sin facturar de este cliente en el rango.",
            Fr => "Rien à facturer : aucun temps ni dépense approuvé, facturable et non encore facturé de ce client sur la période.",
            De => "Nichts mehr abzurechnen: keine genehmigte, abrechenbare, noch nicht berechnete Zeit oder Ausgabe dieses Kunden im Zeitraum.",
        }
        .to_string(),
        Msg::EnterpriseOnly => match lang {
            En => "Live positions and embed tokens are part of the enterprise plan.",
            Es => "Las posiciones en vivo y los tokens de inserción forman parte del plan enterprise.",
            Fr => "Les positions en direct et les jetons d'intégration font partie de l'offre enterprise.",
            De => "Live-Positionen und Einbettungs-Token gehören zum Enterprise-Tarif.",
        }
        .to_string(),
        Msg::LinkInvalid => match lang {
            En => "This download link is not valid or has expired; get the export again for a fresh one.",
            Es => "Este enlace de descarga no es válido o ha caducado; vuelva a obtener la exportación para uno nuevo.",
            Fr => {
                "Ce lien de téléchargement n'est pas valide ou a expiré ; relisez l'export pour en obtenir un nouveau."
            }
            De => "Dieser Download-Link ist ungültig oder abgelaufen; den Export erneut abrufen für einen neuen.",
        }
        .to_string(),
        Msg::Overlaps(other) => match lang {
            En => format!("This overlaps {other} of the same worker."),
            Es => format!("Esto se solapa con {other} del mismo trabajador."),
            Fr => format!("Ceci chevauche {other} du même employé."),
            De => format!("Dies überschneidet sich mit {other} desselben Mitarbeiters."),
        },
        Msg::MissingScope(s) => match lang {
            En => format!("This key lacks the scope '{s}'."),
            Es => format!("Esta clave no tiene el permiso '{s}'."),
            Fr => format!("Cette clé n'a pas la portée '{s}'."),
            De => format!("Diesem Schlüssel fehlt der Scope '{s}'."),
        },
    }
}
