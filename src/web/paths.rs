//! Every URL the HTML side links to or routes, built in one place so a link and its route
//! cannot drift apart: the public document paths by kind, and the editors' workspace.

use crate::domain::{DocumentKind, Language};

/// URL prefixes of the document kinds (see `domain::public_path`).
pub const KIND_PATHS: [(&str, DocumentKind); 5] = [
    ("faktaark", DocumentKind::FactSheet),
    ("veileder", DocumentKind::Guide),
    ("normen", DocumentKind::Norm),
    ("mal", DocumentKind::Template),
    ("dokument", DocumentKind::Other),
];

/// Which documents follow the current Normen (public; the workspace has its own).
pub const ALIGNMENT: &str = "/oppdateringsstatus";
pub const WORKSPACE_ALIGNMENT: &str = "/redaksjon/oppdateringsstatus";

/// The registry as of a date (`/per/2024-06-30`); `?dato=` on it leads there.
pub const AS_OF: &str = "/per";

/// The registry as it stood on a date.
pub fn as_of(date: chrono::NaiveDate) -> String {
    format!("{AS_OF}/{date}")
}

/// The date form's address of a document page (`/faktaark/37/per`), whose answer leads to
/// [`document_as_of`].
pub fn document_as_of_form(base: &str) -> String {
    format!("{base}{AS_OF}")
}

/// A document as it stood on a date (`/faktaark/37/per/2024-06-30`), from its public page.
pub fn document_as_of(base: &str, date: chrono::NaiveDate) -> String {
    format!("{base}{AS_OF}/{date}")
}

/// The workspace's dashboard.
pub const WORKSPACE: &str = "/redaksjon";
/// Sign-in and sign-out.
pub const SIGN_IN: &str = "/redaksjon/logg-inn";
pub const SIGN_OUT: &str = "/redaksjon/logg-ut";
/// The signed-in user's password form.
pub const PASSWORD: &str = "/redaksjon/passord";
/// Users (admins).
pub const USERS: &str = "/redaksjon/brukere";
/// Every document, drafts included.
pub const DOCUMENTS: &str = "/redaksjon/dokumenter";
/// A new document.
pub const NEW_DOCUMENT: &str = "/redaksjon/dokumenter/ny";
/// Decisions, and a new one.
pub const DECISIONS: &str = "/redaksjon/vedtak";
pub const NEW_DECISION: &str = "/redaksjon/vedtak/ny";
/// Revision needs.
pub const NEEDS: &str = "/redaksjon/revisjonsbehov";
/// Documents due for review.
pub const REVIEWS: &str = "/redaksjon/vurderinger";
/// The action plan's periods.
pub const PLAN: &str = "/redaksjon/plan";
/// The audit log (admins).
pub const AUDIT: &str = "/redaksjon/logg";
/// The steering group's meetings in the workspace, a new one, and the page that sends a
/// proposal to the next meeting.
pub const MEETINGS: &str = "/redaksjon/moter";
pub const NEW_MEETING: &str = "/redaksjon/moter/ny";
pub const PROPOSE: &str = "/redaksjon/foreslag";
/// The public list of meetings.
pub const PUBLIC_MEETINGS: &str = "/moter";

/// A meeting's working page, and its parts.
pub fn meeting(id: i32) -> String {
    format!("{MEETINGS}/{id}")
}

pub fn new_item(id: i32) -> String {
    format!("{MEETINGS}/{id}/saker/ny")
}

pub fn item_outcome(id: i32, item: i32) -> String {
    format!("{MEETINGS}/{id}/saker/{item}/utfall")
}

pub fn meeting_state(id: i32) -> String {
    format!("{MEETINGS}/{id}/status")
}

pub fn meeting_call(id: i32) -> String {
    format!("{MEETINGS}/{id}/innkalling")
}

pub fn meeting_minutes(id: i32) -> String {
    format!("{MEETINGS}/{id}/referat")
}

/// A meeting's public page.
pub fn public_meeting(id: i32) -> String {
    format!("{PUBLIC_MEETINGS}/{id}")
}

/// Proposing a revision need on the next meeting.
pub fn propose_need(need: i32) -> String {
    format!("{PROPOSE}?behov={need}")
}

/// A period's board of the action plan.
pub fn plan_board(period: &str) -> String {
    format!("{PLAN}/{period}")
}

/// A new item of a period.
pub fn new_plan_item(period: &str) -> String {
    format!("{PLAN}/{period}/nytt-punkt")
}

/// A period's state (discussed, adopted).
pub fn plan_period_state(period: &str) -> String {
    format!("{PLAN}/{period}/status")
}

/// Moving an item to another period.
pub fn move_plan_item(id: i32) -> String {
    format!("{PLAN}/punkt/{id}/flytt")
}

/// An item's state.
pub fn plan_item_state(id: i32) -> String {
    format!("{PLAN}/punkt/{id}/status")
}

/// A document's working page.
pub fn document(id: i32) -> String {
    format!("{DOCUMENTS}/{id}")
}

/// A document's form for a new draft in its primary language.
pub fn new_draft(id: i32) -> String {
    format!("{DOCUMENTS}/{id}/utkast")
}

/// The open draft in a language.
pub fn draft(id: i32, language: Language) -> String {
    format!("{DOCUMENTS}/{id}/utkast/{language}")
}

/// Throwing the open draft in a language away.
pub fn discard_draft(id: i32, language: Language) -> String {
    format!("{DOCUMENTS}/{id}/utkast/{language}/forkast")
}

/// Publishing, withdrawing, reinstating and translating a document.
pub fn publish(id: i32) -> String {
    format!("{DOCUMENTS}/{id}/publiser")
}

pub fn withdraw(id: i32) -> String {
    format!("{DOCUMENTS}/{id}/trekk-tilbake")
}

pub fn reinstate(id: i32) -> String {
    format!("{DOCUMENTS}/{id}/gjeninnsett")
}

pub fn translation(id: i32) -> String {
    format!("{DOCUMENTS}/{id}/oversettelse")
}

/// A new revision need of a document.
pub fn new_need(id: i32) -> String {
    format!("{DOCUMENTS}/{id}/revisjonsbehov/ny")
}

/// The staff compare page of a document.
pub fn compare(id: i32) -> String {
    format!("{DOCUMENTS}/{id}/sammenlign")
}

/// Correcting a document's number, slug, Normen version or review interval.
pub fn change_document(id: i32) -> String {
    format!("{DOCUMENTS}/{id}/rediger")
}

/// Recording a review of a document.
pub fn new_review(id: i32) -> String {
    format!("{DOCUMENTS}/{id}/vurdering")
}

/// A revision need's page.
pub fn need(id: i32) -> String {
    format!("{NEEDS}/{id}")
}

/// The approval page of the open draft in a language.
pub fn approval(id: i32, language: Language) -> String {
    format!("{DOCUMENTS}/{id}/utkast/{language}/godkjenning")
}

/// Correcting a decision.
pub fn change_decision(id: i32) -> String {
    format!("{DECISIONS}/{id}/rediger")
}

/// Correcting a revision need.
pub fn change_need(id: i32) -> String {
    format!("{NEEDS}/{id}/rediger")
}

/// Which kinds need approval before publishing (admins).
pub const APPROVAL_RULES: &str = "/redaksjon/godkjenningsregler";

/// Recording a law change or outside report that affects several documents.
pub const NEW_SOURCE: &str = "/redaksjon/kilder/ny";

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn workspace_paths() {
        assert_eq!(document(3), "/redaksjon/dokumenter/3");
        assert_eq!(draft(3, Language::En), "/redaksjon/dokumenter/3/utkast/en");
        assert_eq!(need(7), "/redaksjon/revisjonsbehov/7");
    }

    #[test]
    fn as_of_paths() {
        let d = chrono::NaiveDate::from_ymd_opt(2024, 6, 30).unwrap();
        assert_eq!(as_of(d), "/per/2024-06-30");
        assert_eq!(document_as_of("/faktaark/37", d), "/faktaark/37/per/2024-06-30");
        assert_eq!(document_as_of_form("/faktaark/37"), "/faktaark/37/per");
    }

    #[test]
    fn every_kind_has_one_prefix() {
        for kind in DocumentKind::ALL {
            assert_eq!(KIND_PATHS.iter().filter(|(_, k)| k == kind).count(), 1, "{kind}");
        }
    }
}
