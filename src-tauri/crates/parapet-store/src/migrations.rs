use crate::StoreError;

/// Every migration, in order. A migration is never edited once released: add a new file.
const MIGRATIONS: &[(&str, &str)] = &[
    (
        "0001_initial.sql",
        include_str!("../migrations/0001_initial.sql"),
    ),
    (
        "0002_evidence.sql",
        include_str!("../migrations/0002_evidence.sql"),
    ),
];

pub(crate) fn apply(connection: &mut rusqlite::Connection) -> Result<(), StoreError> {
    let found = current_version(connection)?;
    let supported = latest_version();
    if found > supported {
        return Err(StoreError::TooNew { found, supported });
    }
    for (index, (name, sql)) in MIGRATIONS.iter().enumerate().skip(found as usize) {
        let number = index_to_version(index);
        let failed = |source| StoreError::Migration {
            number,
            name,
            source,
        };
        let transaction = connection.transaction().map_err(failed)?;
        transaction.execute_batch(sql).map_err(failed)?;
        transaction
            .pragma_update(None, "user_version", number)
            .map_err(failed)?;
        transaction.commit().map_err(failed)?;
    }
    Ok(())
}

pub(crate) fn current_version(connection: &rusqlite::Connection) -> Result<u32, StoreError> {
    Ok(connection.query_row("PRAGMA user_version", [], |row| row.get(0))?)
}

pub(crate) fn latest_version() -> u32 {
    index_to_version(MIGRATIONS.len().saturating_sub(1))
}

fn index_to_version(index: usize) -> u32 {
    u32::try_from(index + 1).unwrap_or(u32::MAX)
}

#[cfg(test)]
mod tests {
    #[test]
    fn migration_files_are_numbered_in_order() {
        for (index, (name, _)) in super::MIGRATIONS.iter().enumerate() {
            let expected = format!("{:04}_", index + 1);
            assert!(
                name.starts_with(&expected),
                "{name} should start with {expected}"
            );
        }
    }
}
