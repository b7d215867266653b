//! Import of the corpus format (one JSON line per document version, plain or gzip) and of
//! registry exports. Real data is messy: a line that cannot be read is reported with its number
//! and skipped. Each document goes in in one transaction, and a second import of the same file
//! adds nothing.

use std::collections::{HashMap, HashSet};
use std::io::{BufRead, BufReader};
use std::path::Path;

use anyhow::Context;
use chrono::{NaiveDate, Utc};
use sea_orm::DatabaseConnection;
use sea_orm::{ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QuerySelect, Set};
use serde::Deserialize;

use crate::domain::{self, ChangeKind, DocumentKind, DocumentStatus, Language, Lines, VersionLabel, VersionState};
use crate::entities::{document, version, withdrawal};
use crate::services::{audit, changes, editing, export, users::sha256_hex};

/// The reason recorded for documents that their source deleted.
pub const REMOVED_REASON: &str = "Fjernet fra kilden";

/// Longest line an import reads: a body at the API's limit with room for JSON escaping and the
/// other fields. The rest of a longer line is skipped unread, so no line is held whole.
pub const MAX_LINE_BYTES: usize = 4 * domain::MAX_BODY_BYTES + 64 * 1024;

/// The lines of an import file, numbered from 1: the text, or why the line cannot be read.
pub type NumberedLines = Vec<(usize, Result<String, String>)>;

/// One line of the corpus format, as read.
#[derive(Debug, Deserialize)]
struct RawCorpusLine {
    doc: String,
    #[serde(default)]
    status: Option<String>,
    /// Read wide so that a number too large for a label is reported, not a parse failure.
    n: u64,
    date: NaiveDate,
    #[serde(default)]
    subject: Option<String>,
    #[serde(default)]
    title: Option<String>,
    #[serde(default)]
    lang: Option<String>,
    text: String,
}

/// What the corpus says happened to a document at a version.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum CorpusStatus {
    Current,
    Removed,
}

/// One line of the corpus format, checked: every text clean (see `domain::text`), the version
/// number a label the registry can read, the status known.
#[derive(Debug)]
struct CorpusLine {
    doc: String,
    status: CorpusStatus,
    n: u32,
    date: NaiveDate,
    subject: Option<String>,
    title: Option<String>,
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

/// Reads one line of at most `cap` bytes into `buf` (without its newline). Returns `None` at the
/// end of the input, else whether the line was longer than `cap` (its rest is read and dropped).
fn next_line(r: &mut impl BufRead, cap: usize, buf: &mut Vec<u8>) -> std::io::Result<Option<bool>> {
    buf.clear();
    let mut seen_any = false;
    let mut overflow = false;
    loop {
        let chunk = r.fill_buf()?;
        if chunk.is_empty() {
            return Ok(seen_any.then_some(overflow));
        }
        seen_any = true;
        let (part, done) = match chunk.iter().position(|&b| b == b'\n') {
            Some(i) => (&chunk[..i], Some(i + 1)),
            None => (chunk, None),
        };
        if !overflow {
            let room = cap - buf.len();
            if part.len() > room {
                overflow = true;
                buf.clear();
            } else {
                buf.extend_from_slice(part);
            }
        }
        let used = done.unwrap_or(chunk.len());
        r.consume(used);
        if done.is_some() {
            if buf.last() == Some(&b'\r') {
                buf.pop();
            }
            return Ok(Some(overflow));
        }
    }
}

/// Reads a file line by line, gunzipping it when it starts with the gzip magic bytes. Each
/// line is at most [`MAX_LINE_BYTES`] and valid UTF-8, or it comes with the reason it is not.
pub fn read_lines(path: &Path) -> anyhow::Result<NumberedLines> {
    let file = std::fs::File::open(path).with_context(|| format!("cannot read {}", path.display()))?;
    let mut file = BufReader::new(file);
    let gz = file
        .fill_buf()
        .with_context(|| format!("cannot read {}", path.display()))?
        .starts_with(&[0x1f, 0x8b]);
    let mut reader: Box<dyn BufRead> = if gz {
        Box::new(BufReader::new(flate2::bufread::MultiGzDecoder::new(file)))
    } else {
        Box::new(file)
    };
    let mut out = Vec::new();
    let mut buf = Vec::new();
    let mut no = 0;
    while let Some(overflow) = next_line(&mut reader, MAX_LINE_BYTES, &mut buf)
        .with_context(|| format!("{} cannot be read (a broken gzip file?)", path.display()))?
    {
        no += 1;
        let line = if overflow {
            Err(format!("the line is longer than {MAX_LINE_BYTES} bytes"))
        } else {
            match std::str::from_utf8(&buf) {
                Ok(s) => Ok(s.to_string()),
                Err(e) => Err(format!("the line is not valid UTF-8 (at byte {})", e.valid_up_to() + 1)),
            }
        };
        out.push((no, line));
    }
    Ok(out)
}

/// Numbers the lines of a text already in memory.
pub fn number_lines(text: &str) -> NumberedLines {
    text.lines()
        .enumerate()
        .map(|(i, l)| (i + 1, Ok(l.to_string())))
        .collect()
}

/// Imports a corpus file or a registry export.
pub async fn import_file(
    db: &DatabaseConnection,
    path: &Path,
    progress: Progress<'_>,
) -> anyhow::Result<ImportSummary> {
    let lines = read_lines(path)?;
    let first = lines
        .iter()
        .find_map(|(_, l)| l.as_ref().ok().filter(|l| !l.trim().is_empty()))
        .map(String::as_str)
        .unwrap_or("");
    if export::is_export_header(first) {
        let total = lines.len();
        let counts = export::import_export(db, lines).await?;
        return Ok(ImportSummary {
            lines: total,
            documents_added: counts.documents,
            versions_added: counts.versions,
            export: Some(counts),
            ..Default::default()
        });
    }
    import_corpus_lines(db, lines, progress).await
}

/// Imports corpus lines from a text in memory (see [`import_corpus_lines`]).
pub async fn import_corpus(
    db: &DatabaseConnection,
    text: &str,
    progress: Progress<'_>,
) -> anyhow::Result<ImportSummary> {
    import_corpus_lines(db, number_lines(text), progress).await
}

/// Checks one corpus line against the rules every text entering the registry obeys.
fn check_corpus_line(raw: &str) -> Result<CorpusLine, String> {
    let line: RawCorpusLine = serde_json::from_str(raw).map_err(|e| format!("not a corpus line: {e}"))?;
    let doc = domain::clean_text("doc", line.doc.trim(), Lines::One, 1000).map_err(|e| e.to_string())?;
    if doc.is_empty() {
        return Err("empty doc".into());
    }
    let max = u64::from(VersionLabel::MAX_PART);
    let n = match u32::try_from(line.n) {
        Ok(n) if (1..=max).contains(&line.n) => n,
        _ => return Err(format!("version number {} is outside 1 to {max}", line.n)),
    };
    let status = match line.status.as_deref() {
        None | Some("current") => CorpusStatus::Current,
        Some("removed") => CorpusStatus::Removed,
        Some(other) => return Err(format!("unknown status {other:?}; expected current or removed")),
    };
    let text = domain::clean_body("text", &line.text).map_err(|e| e.to_string())?;
    domain::body::check_body_structure(&text).map_err(|e| format!("text: {e}"))?;
    // Titles come from front matter and may wrap: whitespace runs become one space first.
    let title = match line.title.as_deref() {
        Some(t) => {
            let t = t.split_whitespace().collect::<Vec<_>>().join(" ");
            let t = domain::clean_text("title", &t, Lines::One, usize::MAX).map_err(|e| e.to_string())?;
            let t: String = t.chars().take(domain::MAX_TITLE_CHARS).collect();
            (!t.is_empty()).then_some(t)
        }
        None => None,
    };
    let subject = line
        .subject
        .as_deref()
        .map(|s| domain::clean_text("subject", s.trim(), Lines::Many, usize::MAX))
        .transpose()
        .map_err(|e| e.to_string())?;
    Ok(CorpusLine {
        doc,
        status,
        n,
        date: line.date,
        subject,
        title,
        lang: line.lang,
        text,
    })
}

/// Imports corpus lines, grouped by document in the order documents first appear.
pub async fn import_corpus_lines(
    db: &DatabaseConnection,
    lines: NumberedLines,
    progress: Progress<'_>,
) -> anyhow::Result<ImportSummary> {
    let mut summary = ImportSummary::default();
    let mut order: Vec<String> = Vec::new();
    let mut groups: HashMap<String, Vec<(usize, CorpusLine)>> = HashMap::new();
    for (no, raw) in lines {
        let raw = match raw {
            Ok(r) => r,
            Err(why) => {
                summary.lines += 1;
                summary.skipped.push((no, why));
                continue;
            }
        };
        if raw.trim().is_empty() {
            continue;
        }
        summary.lines += 1;
        let line = match check_corpus_line(&raw) {
            Ok(l) => l,
            Err(why) => {
                summary.skipped.push((no, why));
                continue;
            }
        };
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
    let title: String = name
        .replace(['_', '-'], " ")
        .trim()
        .chars()
        .take(domain::MAX_TITLE_CHARS)
        .collect();
    if title.is_empty() {
        doc.chars().take(domain::MAX_TITLE_CHARS).collect()
    } else {
        title
    }
}

async fn import_document(
    db: &DatabaseConnection,
    key: &str,
    lines: &[(usize, CorpusLine)],
    summary: &mut ImportSummary,
) -> anyhow::Result<()> {
    let Some((_, last)) = lines.last() else { return Ok(()) };
    let removed = last.status == CorpusStatus::Removed;
    let existing = document::Entity::find()
        .filter(document::Column::ExternalId.eq(key))
        .one(db)
        .await?;
    // The import publishes; it never turns an editor's draft into a published document.
    if let Some(d) = existing.as_ref().filter(|d| d.status == DocumentStatus::Draft.as_str()) {
        for (no, _) in lines {
            summary.skipped.push((
                *no,
                format!(
                    "{key} is a draft in the registry (document {}); the import does not publish drafts",
                    d.id
                ),
            ));
        }
        return Ok(());
    }
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
    // A withdrawn document takes no new versions until an editor reinstates it.
    if let Some(d) = &existing
        && !missing.is_empty()
        && let Err(e) = d
            .status
            .parse()
            .map_err(|e: domain::RuleError| e)
            .and_then(domain::check_accepts_new_version)
    {
        for (no, _) in &missing {
            summary.skipped.push((*no, format!("{key}: {e}")));
        }
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
    let (doc, created) = if let Some(d) = existing {
        (editing::lock_document(&txn, d.id, None).await?, false)
    } else {
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
    };

    let mut title_so_far = fallback_title(key);
    let mut rows = Vec::with_capacity(missing.len());
    for (_, l) in lines {
        if let Some(t) = &l.title {
            title_so_far = t.clone();
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
            state: Set(VersionState::Published.as_str().into()),
            label: Set(Some(format!("{}.0", l.n))),
            label_major: Set(Some(i32::try_from(l.n)?)), // at most MAX_PART, checked per line
            label_minor: Set(Some(0)),
            title: Set(title_so_far.clone()),
            summary: Set(String::new()),
            body: Set(l.text.clone()),
            change_note: Set(note.chars().take(5000).collect()),
            change_kind: Set(Some(ChangeKind::Substantive.as_str().into())),
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
            withdrawn_on: Set(Some(last.date)),
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
    changes::record(&txn, &[doc.id]).await?;
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
    }

    fn line(fields: &serde_json::Value) -> String {
        let mut base = serde_json::json!({"doc": "_docs/a.md", "n": 1, "date": "2020-01-01", "text": "tekst"});
        for (k, v) in fields.as_object().unwrap() {
            base[k] = v.clone();
        }
        base.to_string()
    }

    #[test]
    fn corpus_lines_are_checked_like_api_input() {
        let ok = check_corpus_line(&line(
            &serde_json::json!({"title": "  Om \n ID-porten ", "status": "current"}),
        ))
        .unwrap();
        assert_eq!(ok.title.as_deref(), Some("Om ID-porten"));
        assert!(
            check_corpus_line(&line(&serde_json::json!({"title": "   "})))
                .unwrap()
                .title
                .is_none()
        );
        let composed = check_corpus_line(&line(&serde_json::json!({"text": "Bla\u{030A}fjell\r\n"}))).unwrap();
        assert_eq!(composed.text, "Blåfjell\n");
        for (fields, why) in [
            (serde_json::json!({"n": 2_147_483_648_u64}), "outside 1 to 999999"),
            (serde_json::json!({"n": 0}), "outside"),
            (serde_json::json!({"status": "archived"}), "unknown status"),
            (serde_json::json!({"text": "a\u{0}b"}), "control"),
            (serde_json::json!({"text": "a\u{7}b"}), "control"),
            (serde_json::json!({"subject": "a\u{1b}[31mb"}), "subject"),
            (serde_json::json!({"title": "a\u{FFFE}b"}), "non-character"),
            (serde_json::json!({"doc": " "}), "empty doc"),
        ] {
            let err = check_corpus_line(&line(&fields)).unwrap_err();
            assert!(err.contains(why), "{fields}: {err}");
        }
    }

    #[test]
    fn over_long_lines_are_cut_off_without_holding_them() {
        let text = format!("kort\n{}\nnok en\r\nsiste", "x".repeat(100));
        let mut r = std::io::Cursor::new(text.into_bytes());
        let mut buf = Vec::new();
        assert_eq!(next_line(&mut r, 10, &mut buf).unwrap(), Some(false));
        assert_eq!(buf, b"kort");
        assert_eq!(next_line(&mut r, 10, &mut buf).unwrap(), Some(true));
        assert!(buf.len() <= 10);
        assert_eq!(next_line(&mut r, 10, &mut buf).unwrap(), Some(false));
        assert_eq!(buf, b"nok en");
        assert_eq!(next_line(&mut r, 10, &mut buf).unwrap(), Some(false));
        assert_eq!(buf, b"siste");
        assert_eq!(next_line(&mut r, 10, &mut buf).unwrap(), None);
    }
}
