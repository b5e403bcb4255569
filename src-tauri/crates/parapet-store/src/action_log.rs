use crate::{Store, StoreError};

impl Store {
    /// Appends one sealed action record (JSON) to an incident's log. The sequence must be the
    /// next one: a gap or a repeat is refused, so two writers cannot fork the chain.
    pub fn append_action(
        &self,
        incident_id: &str,
        sequence: u64,
        record: &str,
    ) -> Result<(), StoreError> {
        let transaction = self.connection().unchecked_transaction()?;
        let last: Option<i64> = transaction.query_row(
            "SELECT MAX(sequence) FROM action_log WHERE incident_id = ?1",
            [incident_id],
            |row| row.get(0),
        )?;
        let expected = last.map_or(1, |n| n + 1);
        let sequence = i64::try_from(sequence).unwrap_or(i64::MAX);
        if sequence != expected {
            return Err(StoreError::OutOfSequence {
                incident_id: incident_id.to_string(),
                expected: expected.unsigned_abs(),
                found: sequence.unsigned_abs(),
            });
        }
        transaction.execute(
            "INSERT INTO action_log (incident_id, sequence, record) VALUES (?1, ?2, ?3)",
            rusqlite::params![incident_id, sequence, record],
        )?;
        transaction.commit()?;
        Ok(())
    }

    /// An incident's action records (JSON), in order.
    pub fn actions(&self, incident_id: &str) -> Result<Vec<String>, StoreError> {
        let mut statement = self
            .connection()
            .prepare("SELECT record FROM action_log WHERE incident_id = ?1 ORDER BY sequence")?;
        let rows = statement.query_map([incident_id], |row| row.get(0))?;
        Ok(rows.collect::<Result<_, _>>()?)
    }
}
