//! Demo content for a first start: the real facts about Normen's fact sheets, guides and
//! steering-group cases from `demo/catalogue.json`. No fact-sheet text exists here, so every
//! body says plainly that it is demonstration content and lists only the known facts. The
//! content goes in through the same services editors use, so it obeys the same rules.

use std::collections::HashMap;

use chrono::{NaiveDate, Utc};
use sea_orm::DatabaseConnection;

use serde::Deserialize;

use crate::domain::Caller;
use crate::domain::{
    ChangeKind, DocumentKind, DocumentStatus, MeetingState, PlanItemKind, PlanPeriodState, RevisionKind,
    RevisionOrigin, Role,
};
use crate::error::AppResult;
use crate::services::Store;
use crate::services::editing::{self, NewDocument, NewTranslation, Publish, Withdraw};
use crate::services::meetings::{self, NewAgendaItem, NewLinks, NewMeeting, NewOutcome};
use crate::services::plans::{self, NewPlanItem, PeriodStateChange};
use crate::services::revision_needs::{self, NewRevisionNeed};

const CATALOGUE: &str = include_str!("../../demo/catalogue.json");
const MEETINGS: &str = include_str!("../../demo/meetings.json");

#[derive(Deserialize)]
struct DemoMeetings {
    meetings: Vec<DemoMeeting>,
}

#[derive(Deserialize)]
struct DemoMeeting {
    date: NaiveDate,
    starts_at: Option<String>,
    ends_at: Option<String>,
    place: String,
    title: String,
    items: Vec<DemoAgendaItem>,
}

#[derive(Deserialize)]
struct DemoAgendaItem {
    case: String,
    kind: String,
    title: String,
    #[serde(default)]
    background: String,
    #[serde(default)]
    proposal: String,
    starts_at: Option<String>,
    presenter: Option<String>,
    /// The outcome the demo records (the papers are calls, not minutes).
    outcome: Option<String>,
    /// Whether the outcome's text is the catalogue's `utfall` of the case (else the proposal).
    #[serde(default)]
    catalogue: bool,
    /// Fact sheets the case is about, by number.
    #[serde(default)]
    documents: Vec<String>,
}

#[derive(Deserialize)]
struct Catalogue {
    fact_sheets: Vec<FactSheet>,
    guides: Vec<Guide>,
    norm: Vec<NormVersion>,
    steering_group_cases: Vec<Case>,
}

#[derive(Deserialize)]
struct FactSheet {
    number: Option<String>,
    title: String,
    lang: Option<String>,
    status: String,
    /// The catalogue's note (English, read for what the demo records) …
    note: Option<String>,
    /// … and the same in bokmål, which the pages show.
    merknad: Option<String>,
    replaced_by: Option<String>,
    last_substantive_change: Option<NaiveDate>,
}

#[derive(Deserialize)]
struct Guide {
    id: String,
    title: String,
    #[serde(default)]
    replaces: Vec<String>,
    #[serde(default)]
    translations: Vec<String>,
    first_version: Option<FirstVersion>,
    note: Option<String>,
    merknad: Option<String>,
}

#[derive(Deserialize)]
struct FirstVersion {
    version: String,
    date: NaiveDate,
    note: String,
}

#[derive(Deserialize)]
struct NormVersion {
    version: String,
    #[serde(default)]
    translations: Vec<String>,
    merknad: Option<String>,
}

#[derive(Deserialize)]
#[expect(clippy::struct_field_names, reason = "the catalogue's own field names")]
struct Case {
    case: String,
    meeting: NaiveDate,
    /// The outcome in bokmål.
    utfall: String,
}

const NOTICE: &str = "> **Demonstrasjonsinnhold.** Dette er ikke teksten i Normens veiledningsmateriell. \
Registeret har bare faktaopplysningene nedenfor om dokumentet; selve teksten finnes på normen.no.";

fn body(facts: &[(&str, String)]) -> String {
    let mut out = format!("{NOTICE}\n\n## Kjente fakta\n\n");
    for (k, v) in facts {
        out.push_str(&format!("- **{k}:** {v}\n"));
    }
    out
}

fn demo_caller() -> Caller {
    Caller {
        user_id: 0,
        name: "demo".into(),
        role: Role::Admin,
    }
}

/// Loads the demo catalogue into an empty registry.
pub async fn load(db: &DatabaseConnection) -> AppResult<usize> {
    let catalogue: Catalogue =
        serde_json::from_str(CATALOGUE).map_err(|e| anyhow::anyhow!("demo catalogue is invalid: {e}"))?;
    let caller = demo_caller();
    let today = Utc::now().date_naive();
    let mut count = 0;

    // The meetings first: their decided cases are the decisions the documents below cite.
    let links = load_meetings(db, &caller, &catalogue).await?;

    let publish = |note: &str, date: Option<NaiveDate>, label: Option<&str>, language: Option<&str>| Publish {
        language: language.map(str::to_string),
        change_note: note.to_string(),
        change_kind: ChangeKind::Substantive.as_str().into(),
        label: label.map(str::to_string),
        decision: None,
        published_on: date.or(Some(today)),
        normen_version: None,
        // The demo stands for material published before the registry asked for approval.
        force_reason: Some("Demoinnhold lastet ved første oppstart".into()),
    };

    // Guides first, so withdrawn fact sheets can name them as successors.
    let mut guide_ids: HashMap<String, i32> = HashMap::new();
    for g in &catalogue.guides {
        let mut facts = vec![("Tittel", g.title.clone()), ("Type", "veileder".into())];
        if !g.replaces.is_empty() {
            facts.push(("Erstatter faktaark", g.replaces.join(", ")));
        }
        if let Some(n) = &g.merknad {
            facts.push(("Merknad", n.clone()));
        }
        let kind = if g.id.starts_with("mal-") {
            DocumentKind::Template
        } else {
            DocumentKind::Guide
        }
        .as_str();
        let id = editing::create_document(
            Store::without_index(db),
            &caller,
            NewDocument {
                kind: kind.into(),
                number: None,
                slug: Some(g.id.clone()),
                language: "nb".into(),
                title: g.title.clone(),
                summary: String::new(),
                body: body(&facts),
                normen_version: None,
                external_id: None,
            },
        )
        .await?
        .document_id;
        // The integrity guide is still being written (case 21/25): it stays a draft.
        if g.note.as_deref().is_some_and(|n| n.contains("21/25")) {
            guide_ids.insert(g.id.clone(), id);
            count += 1;
            continue;
        }
        let (note, date, label) = match &g.first_version {
            Some(f) => (f.note.as_str(), Some(f.date), Some(f.version.as_str())),
            None => ("Første versjon i registeret (demonstrasjonsinnhold)", None, None),
        };
        editing::publish(
            Store::without_index(db),
            &caller,
            id,
            None,
            publish(note, date, label, None),
        )
        .await?;
        for t in &g.translations {
            if let Some(title) = t.strip_prefix("en: ") {
                let source = label.unwrap_or("1.0");
                editing::add_translation(
                    Store::without_index(db),
                    &caller,
                    id,
                    None,
                    NewTranslation {
                        language: "en".into(),
                        source_label: source.into(),
                        title: title.into(),
                        summary: String::new(),
                        body: format!(
                            "> **Demonstration content.** This is not the text of Normen's guidance; \
                             the registry holds only these facts.\n\n- **Title:** {title}\n- **Translation of:** {}\n",
                            g.title
                        ),
                    },
                )
                .await?;
                editing::publish(
                    Store::without_index(db),
                    &caller,
                    id,
                    None,
                    publish(
                        "English translation (demonstration content)",
                        None,
                        Some(source),
                        Some("en"),
                    ),
                )
                .await?;
            }
        }
        guide_ids.insert(g.id.clone(), id);
        count += 1;
    }

    // Normen itself: one document whose versions are 6.0 and 6.1.
    let norm_title = "Norm for informasjonssikkerhet og personvern i helse- og omsorgssektoren";
    let published: Vec<&NormVersion> = catalogue.norm.iter().filter(|v| v.version != "7.0").collect();
    let norm_id = editing::create_document(
        Store::without_index(db),
        &caller,
        NewDocument {
            kind: "norm".into(),
            number: None,
            slug: Some("normen".into()),
            language: "nb".into(),
            title: norm_title.into(),
            summary: String::new(),
            body: body(&[("Tittel", norm_title.into()), ("Versjon", "6.0".into())]),
            normen_version: Some("6.0".into()),
            external_id: None,
        },
    )
    .await?
    .document_id;
    count += 1;
    for (i, v) in published.iter().enumerate() {
        if i > 0 {
            editing::add_draft(
                Store::without_index(db),
                &caller,
                norm_id,
                None,
                editing::NewDraft {
                    language: None,
                    title: None,
                    summary: None,
                    body: body(&[
                        ("Tittel", norm_title.into()),
                        ("Versjon", v.version.clone()),
                        ("Merknad", v.merknad.clone().unwrap_or_default()),
                    ]),
                },
            )
            .await?;
        }
        editing::publish(
            Store::without_index(db),
            &caller,
            norm_id,
            None,
            // Each version of Normen follows itself: its page says so, not "6.0" for ever.
            Publish {
                normen_version: Some(v.version.clone()),
                ..publish(&format!("Normen versjon {}", v.version), None, Some(&v.version), None)
            },
        )
        .await?;
        for t in &v.translations {
            if let Some(title) = t.strip_prefix("en: ") {
                editing::add_translation(
                    Store::without_index(db),
                    &caller,
                    norm_id,
                    None,
                    NewTranslation {
                        language: "en".into(),
                        source_label: v.version.clone(),
                        title: title.into(),
                        summary: String::new(),
                        body: "> **Demonstration content.** The registry holds only the fact that this \
                               English translation exists.\n"
                            .into(),
                    },
                )
                .await?;
                editing::publish(
                    Store::without_index(db),
                    &caller,
                    norm_id,
                    None,
                    publish("English translation", None, Some(&v.version), Some("en")),
                )
                .await?;
            }
        }
    }

    // Normen 7.0 is being written (case 27/25 refers to its chapter 5.9): an open draft.
    if let Some(v) = catalogue.norm.iter().find(|v| v.version == "7.0") {
        editing::add_draft(
            Store::without_index(db),
            &caller,
            norm_id,
            None,
            editing::NewDraft {
                language: None,
                title: None,
                summary: None,
                body: body(&[
                    ("Tittel", norm_title.into()),
                    ("Versjon", "7.0 (under arbeid)".into()),
                    ("Merknad", v.merknad.clone().unwrap_or_default()),
                ]),
            },
        )
        .await?;
    }

    // Fact sheets by number, or by title where they have none.
    let mut sheet_ids: HashMap<String, i32> = HashMap::new();
    for fs in &catalogue.fact_sheets {
        let mut facts = vec![("Tittel", fs.title.clone())];
        if let Some(n) = &fs.number {
            facts.insert(0, ("Nummer", format!("Faktaark {n}")));
        }
        let status: DocumentStatus = fs.status.parse()?;
        facts.push(("Status", status_name(status).into()));
        if let Some(n) = &fs.merknad {
            facts.push(("Merknad", n.clone()));
        }
        if let Some(d) = fs.last_substantive_change {
            facts.push(("Siste faglige endring", d.to_string()));
        }
        let id = editing::create_document(
            Store::without_index(db),
            &caller,
            NewDocument {
                kind: DocumentKind::FactSheet.as_str().into(),
                number: fs.number.clone(),
                slug: None,
                language: fs.lang.clone().unwrap_or_else(|| "nb".into()),
                title: fs.title.clone(),
                summary: String::new(),
                body: body(&facts),
                normen_version: None,
                external_id: None,
            },
        )
        .await?
        .document_id;
        sheet_ids.insert(fs.number.clone().unwrap_or_else(|| fs.title.clone()), id);
        count += 1;
        if status == DocumentStatus::Draft {
            continue;
        }
        editing::publish(
            Store::without_index(db),
            &caller,
            id,
            None,
            publish(
                "Første versjon i registeret (demonstrasjonsinnhold)",
                fs.last_substantive_change,
                None,
                None,
            ),
        )
        .await?;
        // The need a case raised comes first, so that the withdrawal the case decided resolves it.
        if let Some(need) = fs
            .note
            .as_deref()
            .and_then(|n| revision_need_for(n, fs.merknad.as_deref().unwrap_or(n)))
        {
            revision_needs::register(db, &caller, id, need).await?;
        }
        if status == DocumentStatus::Withdrawn {
            let case = fs
                .note
                .as_deref()
                .and_then(|n| ["23/25", "24/25"].into_iter().find(|c| n.contains(c)));
            let successor = fs.replaced_by.as_ref().and_then(|g| guide_ids.get(g)).copied();
            let successor_title = fs
                .replaced_by
                .as_ref()
                .and_then(|g| catalogue.guides.iter().find(|x| &x.id == g))
                .map(|g| g.title.clone());
            editing::withdraw(
                Store::without_index(db),
                &caller,
                id,
                None,
                Withdraw {
                    resolves: Vec::new(),
                    external_successors: Vec::new(),
                    reason: match successor_title {
                        Some(t) => format!("Innholdet er flyttet til {t}"),
                        None => "Utgått".into(),
                    },
                    // A case's withdrawal is dated by its meeting; for the rest nobody
                    // recorded when they went, so the pages say "dato ukjent".
                    withdrawn_on: case.and_then(|c| {
                        catalogue
                            .steering_group_cases
                            .iter()
                            .find(|x| x.case == c)
                            .map(|x| x.meeting)
                    }),
                    date_unknown: case.is_none(),
                    decision: case.map(str::to_string),
                    successors: successor.into_iter().collect(),
                },
            )
            .await?;
        }
    }
    for ((meeting_id, item_id), numbers) in links {
        let documents = numbers.iter().filter_map(|n| sheet_ids.get(n)).copied().collect();
        meetings::add_links(
            db,
            &caller,
            meeting_id,
            item_id,
            NewLinks {
                documents,
                revision_needs: Vec::new(),
                plan_items: Vec::new(),
            },
        )
        .await?;
    }
    load_plan(db, &caller, &sheet_ids, &guide_ids).await?;
    Ok(count)
}

/// One demo plan item: title, kind, priority, description, document, case.
type DemoItem<'a> = (&'a str, PlanItemKind, i32, &'a str, Option<i32>, Option<&'a str>);

/// The action plan: the 2024 plan's items of priority 2 and 3 as the paper of case 27/23 lists
/// them (with its status remarks, in its words), discussed on 27.09.2023; and 2026-H1 from the
/// cases of 16.09.2025 that asked for work on guidance material (priorities there are not in
/// the papers: all stand at 2 until the steering group sets them).
async fn load_plan(
    db: &DatabaseConnection,
    caller: &Caller,
    sheets: &HashMap<String, i32>,
    guides: &HashMap<String, i32>,
) -> AppResult<()> {
    use PlanItemKind::{NewDocument, Project, Revision, Translation};
    let y2024: [DemoItem<'_>; 7] = [
        (
            "Se på muligheter for hvordan Normen kan bidra med informasjon og veiledning om og på problemstillinger innen personvern og informasjonssikkerhet på ny teknologi, inkludert løsning for deling av DPIA og ROS",
            Project,
            2,
            "ikke jobbet videre med 2023",
            None,
            Some("27/23"),
        ),
        (
            "FA 20 a,b,c (Sikkerhets- og samhandlingsarkitektur)",
            Revision,
            2,
            "revisjonsbehov kartlegges 2023",
            sheets.get("20a").copied(),
            Some("27/23"),
        ),
        (
            "Revisjon FA Bytte EPJ",
            Revision,
            2,
            "revisjonsbehov kartlegges 2023",
            None,
            Some("27/23"),
        ),
        (
            "Diverse oppdateringer i gamle FA (mobilt utstyr, ondsinnet kode, bærbart utstyr, håndtering av lagringsmedia)",
            Revision,
            3,
            "ny vurdering av om disse skal oppdateres høst 2023 om kapasitet",
            None,
            Some("27/23"),
        ),
        (
            "Utrede behov for og alternativer til hvordan kan Normen bidra til god og tilpasset sikkerhetskultur i helse- og omsorgssektoren",
            Project,
            3,
            "kommer ikke til å gjennomføres 2023",
            None,
            Some("27/23"),
        ),
        (
            "Utrede behov for og alternativer til oppfølging av etterlevelse av Normen",
            Project,
            3,
            "foreslås overført til 2024",
            None,
            Some("27/23"),
        ),
        (
            "Revisjon av FA revisjon med tilhørende mal",
            Revision,
            3,
            "ses i sammenheng med punktet om etterlevelse",
            None,
            Some("27/23"),
        ),
    ];
    let h1: [DemoItem<'_>; 6] = [
        (
            "Faktaark om KI",
            NewDocument,
            2,
            "nytt faktaark om KI",
            None,
            Some("22/25"),
        ),
        (
            "Faktaark Integritet omarbeides til et kort faktaark",
            Revision,
            2,
            "kort faktaark som definerer integritet, datakvalitet og korrekt",
            sheets.get("Faktaark Integritet").copied(),
            Some("21/25"),
        ),
        (
            "Ny veileder om helseopplysningenes integritet og datakvalitet",
            NewDocument,
            2,
            "veilederen som overtar innhold fra Faktaark Integritet",
            guides.get("veileder-integritet").copied(),
            Some("21/25"),
        ),
        (
            "Faktaark for beredskap og kapittel 5.9 Beredskap",
            Revision,
            2,
            "kapittelet og faktaarket revideres parallelt",
            sheets.get("Faktaark for beredskap").copied(),
            Some("27/25"),
        ),
        (
            "Arbeidsgruppe for veiledningsmateriell om signering",
            Project,
            2,
            "arbeidsgruppe for veiledning om signering (AES/QES) under EHDS",
            None,
            Some("26/25"),
        ),
        (
            "Normen og veiledningsmateriell på engelsk",
            Translation,
            2,
            "om senere versjoner av Normen og utvalgt veiledningsmateriell skal oversettes til engelsk",
            None,
            Some("20/25"),
        ),
    ];
    for (period, items) in [("2024", &y2024[..]), ("2026-H1", &h1[..])] {
        for (title, kind, priority, description, document_id, case) in items {
            plans::add_item(
                db,
                caller,
                period,
                NewPlanItem {
                    title: (*title).into(),
                    kind: kind.as_str().into(),
                    priority: *priority,
                    description: Some((*description).into()),
                    document_id: *document_id,
                    revision_need_id: None,
                    case: case.map(str::to_string),
                    state: None,
                },
            )
            .await?;
        }
    }
    // Case 27/23: the proposal for 2024 was discussed on 27.09.2023, to be adopted in November.
    plans::change_period_state(
        db,
        caller,
        "2024",
        PeriodStateChange {
            state: PlanPeriodState::Discussed.as_str().into(),
            decision: None,
        },
    )
    .await?;
    Ok(())
}

/// Loads the two seed meetings with their agenda as the calls give it, and the outcomes the
/// catalogue records. Returns the fact sheets (by number) each case is about, to link once
/// they exist.
async fn load_meetings(
    db: &DatabaseConnection,
    caller: &Caller,
    catalogue: &Catalogue,
) -> AppResult<Vec<((i32, i32), Vec<String>)>> {
    let demo: DemoMeetings =
        serde_json::from_str(MEETINGS).map_err(|e| anyhow::anyhow!("demo meetings are invalid: {e}"))?;
    let mut links = Vec::new();
    for m in demo.meetings {
        let meeting = meetings::create(
            db,
            caller,
            NewMeeting {
                date: m.date,
                title: m.title,
                place: m.place,
                starts_at: m.starts_at,
                ends_at: m.ends_at,
                state: Some(MeetingState::Held.as_str().into()),
            },
        )
        .await?;
        for i in m.items {
            let item = meetings::add_item(
                db,
                caller,
                meeting.id,
                NewAgendaItem {
                    case: Some(i.case.clone()),
                    kind: i.kind,
                    title: i.title,
                    background: i.background,
                    proposal: i.proposal.clone(),
                    presenter: i.presenter,
                    starts_at: i.starts_at,
                    documents: Vec::new(),
                    revision_needs: Vec::new(),
                    plan_items: Vec::new(),
                },
            )
            .await?;
            if let Some(status) = i.outcome {
                let utfall = catalogue
                    .steering_group_cases
                    .iter()
                    .find(|c| c.case == i.case && c.meeting == m.date)
                    .map(|c| c.utfall.clone());
                let text = match utfall {
                    Some(u) if i.catalogue && i.proposal.is_empty() => sentence(&u),
                    _ => String::new(),
                };
                meetings::record_outcome(db, caller, meeting.id, item.id, NewOutcome { status, text }).await?;
            }
            if !i.documents.is_empty() {
                links.push(((meeting.id, item.id), i.documents));
            }
        }
    }
    Ok(links)
}

/// "faktaark 37 saneres" as a sentence: "Faktaark 37 saneres."
fn sentence(s: &str) -> String {
    let mut out = crate::domain::text::capitalised(s.trim());
    if !out.ends_with('.') {
        out.push('.');
    }
    out
}

/// A fact sheet's status as its demo text says it.
fn status_name(status: DocumentStatus) -> &'static str {
    match status {
        DocumentStatus::Draft => "utkast",
        DocumentStatus::Published => "publisert",
        DocumentStatus::Withdrawn => "utgått",
    }
}

/// Turns the catalogue's notes into the revision needs they describe (`note` says which, the
/// bokmål `merknad` is what the need says).
fn revision_need_for(note: &str, merknad: &str) -> Option<NewRevisionNeed> {
    let base = |title: &str, origin: RevisionOrigin, kind: RevisionKind, priority: i32| NewRevisionNeed {
        title: title.into(),
        description: merknad.into(),
        origin: origin.as_str().into(),
        origin_body: None,
        origin_reference: None,
        period: None,
        decision: None,
        kind: kind.as_str().into(),
        priority,
        version_label: Some("1.0".into()),
        section: None,
        public: true,
    };
    if note.contains("Bufdir") {
        Some(NewRevisionNeed {
            origin_reference: Some("Brev fra Bufdir".into()),
            origin_body: Some("Feil meldt i brev fra Bufdir".into()),
            decision: Some("25/25".into()),
            ..base(
                "Feil meldt av Bufdir",
                RevisionOrigin::ExternalReport,
                RevisionKind::Error,
                1,
            )
        })
    } else if note.contains("action plan 2023 priority 2") {
        Some(NewRevisionNeed {
            period: Some("2023-H2".into()),
            ..base(
                "Revisjonsbehov kartlegges (handlingsplan 2023)",
                RevisionOrigin::ActionPlan,
                RevisionKind::Substantive,
                2,
            )
        })
    } else if note.contains("action plan 2023 priority 3") {
        Some(NewRevisionNeed {
            period: Some("2023-H2".into()),
            ..base(
                "Vurdere oppdatering av gammelt faktaark (handlingsplan 2023)",
                RevisionOrigin::ActionPlan,
                RevisionKind::Substantive,
                3,
            )
        })
    } else if let Some(case) = ["23/25", "24/25", "27/25"].into_iter().find(|c| note.contains(c)) {
        let title = if case == "27/25" {
            "Videreutvikles sammen med kapittel 5.9 Beredskap"
        } else {
            "Foreslått sanert (utgått)"
        };
        Some(NewRevisionNeed {
            decision: Some(case.into()),
            ..base(title, RevisionOrigin::Decision, RevisionKind::Substantive, 1)
        })
    } else {
        None
    }
}
