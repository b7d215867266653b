//! Fact-sheet numbers are unique by their normal form ("037" = "37", "1" = "01", "20A" = "20a"):
//! a `number_key` column beside the number as typed, filled for existing rows, with a unique
//! index per kind.

use sea_orm_migration::sea_orm::{ConnectionTrait, Statement};
use sea_orm_migration::{prelude::*, schema::string_null};

pub struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &'static str {
        "m20261201_000003_number_key"
    }
}

/// The normal form of a stored number; the same rule as `domain::number_key` in the main crate
/// (which depends on this one, so the rule is repeated here for the rows that exist already).
fn number_key(number: &str) -> String {
    let n = number.trim().to_lowercase().replace(' ', "");
    let digits = n.trim_end_matches(|c: char| c.is_ascii_lowercase());
    let letters = &n[digits.len()..];
    let stripped = digits.trim_start_matches('0');
    let stripped = if stripped.is_empty() && !digits.is_empty() {
        "0"
    } else {
        stripped
    };
    format!("{stripped}{letters}")
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .alter_table(
                Table::alter()
                    .table("document")
                    .add_column(string_null("number_key"))
                    .to_owned(),
            )
            .await?;
        let db = manager.get_connection();
        let backend = db.get_database_backend();
        let rows = db
            .query_all_raw(Statement::from_string(
                backend,
                "SELECT id, kind, number FROM document WHERE number IS NOT NULL ORDER BY id",
            ))
            .await?;
        let mut taken = std::collections::HashSet::new();
        for row in rows {
            let id: i32 = row.try_get("", "id")?;
            let kind: String = row.try_get("", "kind")?;
            let number: String = row.try_get("", "number")?;
            let key = number_key(&number);
            // Numbers that already clash keep working under the number as typed: the oldest
            // document gets the key, the later ones none (an editor renumbers them).
            if !taken.insert((kind, key.clone())) {
                continue;
            }
            let sql = match backend {
                sea_orm_migration::sea_orm::DbBackend::Postgres => "UPDATE document SET number_key = $1 WHERE id = $2",
                _ => "UPDATE document SET number_key = ? WHERE id = ?",
            };
            db.execute_raw(Statement::from_sql_and_values(backend, sql, [key.into(), id.into()]))
                .await?;
        }
        manager
            .create_index(
                Index::create()
                    .name("ux_document_kind_number_key")
                    .table("document")
                    .col("kind")
                    .col("number_key")
                    .unique()
                    .to_owned(),
            )
            .await?;
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_index(
                Index::drop()
                    .name("ux_document_kind_number_key")
                    .table("document")
                    .to_owned(),
            )
            .await?;
        manager
            .alter_table(Table::alter().table("document").drop_column("number_key").to_owned())
            .await?;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::number_key;

    #[test]
    fn keys_match_the_domain_rule() {
        assert_eq!(number_key("037"), "37");
        assert_eq!(number_key("01"), "1");
        assert_eq!(number_key("0"), "0");
        assert_eq!(number_key("20A"), "20a");
    }
}
