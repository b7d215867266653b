//! Import of the corpus format (one JSON line per document version, plain or gzip) and of
//! registry exports. Real data is messy: a line that cannot be read is reported with its number
//! and skipped. Each document goes in in one transaction, and a second import of the same file
//! adds nothing.

use std::collections::{HashMap, HashSet};
use std::io::Read;
use std::path::Path;

use anyhow::Context;
use chrono::{NaiveDate, Utc};
use sea_orm::DatabaseConnection;
use sea_orm::{ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QuerySelect, Set};
use serde::Deserialize;

use crate::domain::{self, DocumentKind, DocumentStatus, Language};
use crate::entities::{document, version, withdrawal};
use crate::services::{audit, editing, export, users::sha256_hex};

/// The reason recorded for documents that their source deleted.
pub const REMOVED_REASON: &str = "Fjernet fra kilden";

/// One line of the corpus format.
#[derive(Debug, Deserialize)]
struct CorpusLine {
    doc: String,
    #[serde(default)]
    status: Option<String>,
    n: u32,
    date: NaiveDate,
    #[serde(default)]
    subject: Option<String>,
    #[serde(default)]
    title: Option<String>,
    #[serde(default)]
    lang: Option<String>,
    text: String,
}

/// What an import did.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct ImportSummary {
    pub lines: usize,
    pub documents_added: usize,
    pub documents_extended: usize,
    pub versions_added: usize,
    pub withdrawn: usize,
    pub unchanged_documents: usize,
    /// (line number, why) for every line that was not taken.
    pub skipped: Vec<(usize, String)>,
    /// Set when the file was a registry export.
    pub export: Option<export::ExportCounts>,
}

/// Reports progress: (documents done, documents in all).
pub type Progress<'a> = &'a mut dyn FnMut(usize, usize);

/// Reads a file, gunzipping it when it starts with the gzip magic bytes.
pub fn read_text(path: &Path) -> anyhow::Result<String> {
    let raw = std::fs::read(path).with_context(|| format!("cannot read {}", path.display()))?;
    let bytes = if raw.starts_with(&[0x1f, 0x8b]) {
        let mut out = Vec::new();
        flate2::read::MultiGzDecoder::new(&raw[..])
            .read_to_end(&mut out)
            .with_context(|| format!("{} is not a valid gzip file", path.display()))?;
        out
    } else {
        raw
    };
    // Invalid UTF-8 is replaced rather than refused: the lines it touches then fail to parse
    // and are reported one by one.
    Ok(String::from_utf8_lossy(&bytes).into_owned())
}

/// Imports a corpus file or a registry export.
pub async fn import_file(
    db: &DatabaseConnection,
    path: &Path,
    progress: Progress<'_>,
) -> anyhow::Result<ImportSummary> {
    let text = read_text(path)?;
    let first = text.lines().find(|l| !l.trim().is_empty()).unwrap_or("");
    if export::is_export_header(first) {
        let counts = export::import_export(db, text.lines().enumerate().map(|(i, l)| (i + 1, l))).await?;
        return Ok(ImportSummary {
            lines: text.lines().count(),
            documents_added: counts.documents,
            versions_added: counts.versions,
            export: Some(counts),
            ..Default::default()
        });
    }
    import_corpus(db, &text, progress).await
}

/// Imports corpus lines, grouped by document in the order documents first appear.
pub async fn import_corpus(
    db: &DatabaseConnection,
    text: &str,
    progress: Progress<'_>,
) -> anyhow::Result<ImportSummary> {
    let mut summary = ImportSummary::default();
    let mut order: Vec<String> = Vec::new();
    let mut groups: HashMap<String, Vec<(usize, CorpusLine)>> = HashMap::new();
    for (i, raw) in text.lines().enumerate() {
        let no = i + 1;
        if raw.trim().is_empty() {
            continue;
        }
        summary.lines += 1;
        let line: CorpusLine = match serde_json::from_str(raw) {
            Ok(l) => l,
            Err(e) => {
                summary.skipped.push((no, format!("not a corpus line: {e}")));
                continue;
            }
        };
        if line.doc.trim().is_empty() || line.n == 0 {
            summary.skipped.push((no, "empty doc or version number 0".into()));
            continue;
        }
        if line.text.contains('\0') {
            summary.skipped.push((no, "text holds a NUL character".into()));
            continue;
        }
        if !groups.contains_key(&line.doc) {
            order.push(line.doc.clone());
        }
        groups.entry(line.doc.clone()).or_default().push((no, line));
    }
    let total = order.len();
    for (done, key) in order.iter().enumerate() {
        let mut lines = groups.remove(key).unwrap_or_default();
        lines.sort_by_key(|(_, l)| l.n);
        let mut seen = HashSet::new();
        lines.retain(|(no, l)| {
            let fresh = seen.insert(l.n);
            if !fresh {
                summary
                    .skipped
                    .push((*no, format!("version {} of {} appears twice", l.n, l.doc)));
            }
            fresh
        });
        import_document(db, key, &lines, &mut summary)
            .await
            .with_context(|| format!("importing {key}"))?;
        progress(done + 1, total);
    }
    summary.skipped.sort();
    Ok(summary)
}

fn language_of(lines: &[(usize, CorpusLine)]) -> Language {
    lines
        .iter()
        .rev()
        .find_map(|(_, l)| l.lang.as_deref().and_then(|s| s.parse().ok()))
        .unwrap_or(Language::Nb)
}

fn fallback_title(doc: &str) -> String {
    let name = doc.rsplit('/').next().unwrap_or(doc);
    let name = name.rsplit_once('.').map(|(stem, _)| stem).unwrap_or(name);
    let title: String = name.replace(['_', '-'], " ").trim().chars().take(300).collect();
    if title.is_empty() {
        doc.chars().take(300).collect()
    } else {
        title
    }
}

fn clean_title(title: Option<&str>) -> Option<String> {
    let t: String = title?.split_whitespace().collect::<Vec<_>>().join(" ");
    let t: String = t.chars().filter(|c| !c.is_control()).take(300).collect();
    (!t.is_empty()).then_some(t)
}

async fn import_document(
    db: &DatabaseConnection,
    key: &str,
    lines: &[(usize, CorpusLine)],
    summary: &mut ImportSummary,
) -> anyhow::Result<()> {
    let Some((_, last)) = lines.last() else { return Ok(()) };
    let removed = last.status.as_deref() == Some("removed");
    let existing = document::Entity::find()
        .filter(document::Column::ExternalId.eq(key))
        .one(db)
        .await?;
    let language = match &existing {
        Some(d) => d.language.clone(),
        None => language_of(lines).as_str().to_string(),
    };
    let have: HashSet<String> = match &existing {
        Some(d) => version::Entity::find()
            .select_only()
            .column(version::Column::Label)
            .filter(version::Column::DocumentId.eq(d.id))
            .filter(version::Column::Language.eq(language.as_str()))
            .into_tuple::<Option<String>>()
            .all(db)
            .await?
            .into_iter()
            .flatten()
            .collect(),
        None => HashSet::new(),
    };
    let missing: Vec<&(usize, CorpusLine)> = lines
        .iter()
        .filter(|(_, l)| !have.contains(&format!("{}.0", l.n)))
        .collect();
    let needs_withdrawal = removed
        && existing
            .as_ref()
            .is_none_or(|d| d.status != DocumentStatus::Withdrawn.as_str());
    if missing.is_empty() && !needs_withdrawal {
        summary.unchanged_documents += 1;
        return Ok(());
    }

    let txn = crate::db::begin_write(db).await?;
    // An import is re-runnable and adds nothing twice, so on PostgreSQL it need not wait for
    // each document's commit to reach the disk: a crash loses at most the last few documents,
    // which the next run adds again. Each document still commits whole or not at all.
    if txn.get_database_backend() == sea_orm::DbBackend::Postgres {
        txn.execute_unprepared("SET LOCAL synchronous_commit TO OFF").await?;
    }
    let now = Utc::now();
    let (doc, created) = match existing {
        Some(d) => (editing::lock_document(&txn, d.id, None).await?, false),
        None => {
            let slug_source = key.trim_start_matches("_docs/").trim_start_matches('/');
            let slug_source = slug_source.rsplit_once('.').map(|(s, _)| s).unwrap_or(slug_source);
            let slug = editing::free_slug(&txn, &domain::slugify(slug_source)).await?;
            let doc = document::ActiveModel {
                kind: Set(DocumentKind::Guide.as_str().into()),
                number: Set(None),
                number_key: Set(None),
                slug: Set(slug),
                language: Set(language.clone()),
                status: Set(DocumentStatus::Published.as_str().into()),
                external_id: Set(Some(key.to_string())),
                normen_version: Set(None),
                revision: Set(1),
                created_at: Set(now),
                updated_at: Set(now),
                ..Default::default()
            }
            .insert(&txn)
            .await?;
            (doc, true)
        }
    };

    let mut title_so_far = fallback_title(key);
    let mut rows = Vec::with_capacity(missing.len());
    for (_, l) in lines {
        if let Some(t) = clean_title(l.title.as_deref()) {
            title_so_far = t;
        }
        if have.contains(&format!("{}.0", l.n)) {
            continue;
        }
        let note = l
            .subject
            .as_deref()
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .unwrap_or("Importert");
        rows.push(version::ActiveModel {
            document_id: Set(doc.id),
            language: Set(language.clone()),
            state: Set("published".into()),
            label: Set(Some(format!("{}.0", l.n))),
            label_major: Set(Some(i32::try_from(l.n)?)),
            label_minor: Set(Some(0)),
            title: Set(title_so_far.clone()),
            summary: Set(String::new()),
            body: Set(l.text.clone()),
            change_note: Set(note.chars().take(5000).collect()),
            change_kind: Set(Some("substantive".into())),
            published_on: Set(Some(l.date)),
            decision_id: Set(None),
            source_version_id: Set(None),
            content_hash: Set(sha256_hex(&l.text)),
            created_at: Set(now),
            created_by: Set("import".into()),
            ..Default::default()
        });
    }
    let added = rows.len();
    // Batches keep each statement under the bind-parameter limits of SQLite and PostgreSQL.
    let mut rows = rows.into_iter().peekable();
    while rows.peek().is_some() {
        let batch: Vec<_> = rows.by_ref().take(200).collect();
        version::Entity::insert_many(batch).exec(&txn).await?;
    }
    if needs_withdrawal {
        withdrawal::ActiveModel {
            document_id: Set(doc.id),
            withdrawn_on: Set(last.date),
            reason: Set(REMOVED_REASON.into()),
            decision_id: Set(None),
            reinstated_at: Set(None),
            reinstate_reason: Set(None),
            created_at: Set(now),
            ..Default::default()
        }
        .insert(&txn)
        .await?;
        let mut d: document::ActiveModel = doc.clone().into();
        d.status = Set(DocumentStatus::Withdrawn.as_str().into());
        d.update(&txn).await?;
        summary.withdrawn += 1;
    }
    audit::record(
        &txn,
        "import",
        "document.import",
        "document",
        Some(doc.id),
        serde_json::json!({"external_id": key, "versions_added": added, "withdrawn": needs_withdrawal}),
    )
    .await?;
    editing::bump_generation(&txn).await?;
    txn.commit().await?;
    summary.versions_added += added;
    if created {
        summary.documents_added += 1;
    } else {
        summary.documents_extended += 1;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fallback_titles_come_from_the_path() {
        assert_eq!(
            fallback_title("_docs/ELMA/elma_getting_started.md"),
            "elma getting started"
        );
        assert_eq!(clean_title(Some("  Om \n ID-porten ")), Some("Om ID-porten".into()));
        assert_eq!(clean_title(Some("   ")), None);
    }
}
