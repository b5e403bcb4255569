//! Messages in mailboxes, Exchange-style item and folder ids, and benign inbox rules.

use chrono::{DateTime, Duration, Utc};
use serde_json::{json, Value};

use crate::catalog::names::{EXTERNAL_SENDERS, INTERNAL_SUBJECTS};
use crate::rng::Gen;
use crate::time::ms;
use crate::world::{Person, World};

impl World {
    /// An Exchange item id (`AAMkA...`) of the person's mailbox.
    pub(crate) fn item_id(&mut self, person: &Person) -> String {
        format!("AAMkA{}{}", mailbox_stem(person), self.ids.base64url(100))
    }

    /// An Exchange folder id of the person's mailbox.
    pub(crate) fn folder_id(&mut self, person: &Person) -> String {
        format!(
            "AAMkA{}AuAAAAAA{}",
            mailbox_stem(person),
            self.ids.base64url(62)
        )
    }

    /// An Exchange Online internet message id.
    pub(crate) fn internet_message_id(&mut self) -> String {
        let server = format!(
            "{}PR{:02}MB{}",
            ["SJ0", "MN2", "CH3", "BL1", "IA1", "DM6"][self.ids.below(6)],
            self.ids.range(10, 20),
            self.ids.range(1000, 9999)
        );
        format!(
            "<{server}{}@{server}.namprd{:02}.prod.outlook.com>",
            self.ids.hex_upper(32),
            self.ids.range(10, 20)
        )
    }

    /// A message as `GET /users/{id}/messages` lists it.
    #[allow(clippy::too_many_arguments)]
    pub(crate) fn message_json(
        &mut self,
        owner: &Person,
        received: DateTime<Utc>,
        from: (&str, &str),
        to: &[(&str, &str)],
        subject: &str,
        folder: &str,
        internet_message_id: &str,
    ) -> Value {
        let recipients: Vec<Value> = to
            .iter()
            .map(|(name, address)| json!({"emailAddress": {"name": name, "address": address}}))
            .collect();
        json!({
            "id": self.item_id(owner),
            "createdDateTime": ms(received),
            "receivedDateTime": ms(received),
            "sentDateTime": ms(received - Duration::seconds(8)),
            "hasAttachments": false,
            "internetMessageId": internet_message_id,
            "subject": subject,
            "importance": "normal",
            "parentFolderId": folder,
            "isRead": true,
            "from": {"emailAddress": {"name": from.0, "address": from.1}},
            "toRecipients": recipients,
        })
    }
}

/// An inbox rule id as Graph returns it: the base64 of Exchange's 8-byte rule id, whose first
/// four bytes are `01 00 00 00` (`AQAAA...=`).
pub(crate) fn rule_id(gen: &mut Gen) -> String {
    use base64::Engine as _;
    let mut bytes = vec![1u8, 0, 0, 0];
    bytes.extend((0..4).map(|_| gen.below(256) as u8));
    base64::engine::general_purpose::STANDARD.encode(bytes)
}

/// The base64 of the mailbox GUID that starts every item id of that mailbox.
fn mailbox_stem(person: &Person) -> String {
    use base64::Engine as _;
    base64::engine::general_purpose::URL_SAFE_NO_PAD
        .encode(person.mailbox_guid.as_bytes())
        .chars()
        .skip(1)
        .take(46)
        .collect()
}

/// Recent everyday mail: newsletters, notifications and colleagues.
pub(crate) fn add_inbox_mail(world: &mut World) {
    let mut gen = Gen::new(world.spec.seed, "mail");
    let staff: Vec<usize> = (0..world.people.len())
        .filter(|&i| world.people[i].is_staff())
        .collect();
    for &index in &staff {
        let owner = world.people[index].clone();
        let count = gen.poisson(7.0);
        for _ in 0..count {
            let day = world.days() - 1 - gen.range(0, 29.min(world.days() - 1));
            let hour = 7.0 + gen.unit() * 11.0;
            let received = world.local_time(&mut gen, day, hour).min(world.end);
            if received < owner.created {
                continue;
            }
            let folder = [
                "inbox",
                "inbox",
                "inbox",
                "inbox",
                "deleteditems",
                "archive",
            ][gen.below(6)];
            let message = if gen.chance(0.45) {
                let colleague = world.people[*gen.pick(&staff)].clone();
                let subject = *gen.pick(INTERNAL_SUBJECTS);
                let message_id = world.internet_message_id();
                world.message_json(
                    &owner,
                    received,
                    (&colleague.display, &colleague.upn),
                    &[(&owner.display, &owner.upn)],
                    subject,
                    folder,
                    &message_id,
                )
            } else {
                let (name, address, subjects) = *gen.pick(EXTERNAL_SENDERS);
                let subject = *gen.pick(subjects);
                let domain = address.split('@').nth(1).unwrap_or("example.com");
                let message_id = format!(
                    "<{}.{}@{domain}>",
                    gen.hex_upper(16).to_lowercase(),
                    gen.hex_upper(8).to_lowercase()
                );
                world.message_json(
                    &owner,
                    received,
                    (name, address),
                    &[(&owner.display, &owner.upn)],
                    subject,
                    folder,
                    &message_id,
                )
            };
            world.push_message(&owner.id, received, message);
        }
    }
}

/// A couple of everyday rules: receipts and notifications sorted into folders.
pub(crate) fn add_benign_rules(world: &mut World) {
    let mut gen = Gen::new(world.spec.seed, "rules");
    let candidates: Vec<usize> = (0..world.people.len())
        .filter(|&i| world.people[i].is_staff())
        .collect();
    let count = (candidates.len() / 8).max(2);
    for _ in 0..count {
        let index = *gen.pick(&candidates);
        if world.cast.contains(&index) {
            continue;
        }
        let person = world.people[index].clone();
        let (name, sender) = *gen.pick(&[
            ("Receipts", "no-reply@amazon.com"),
            ("Teams notifications", "noreply@email.teams.microsoft.com"),
            ("LinkedIn", "messages-noreply@linkedin.com"),
            ("Deliveries", "mcinfo@ups.com"),
        ]);
        let rules = world.message_rules.entry(person.id.clone()).or_default();
        if rules.iter().any(|r| r["displayName"] == name) {
            continue;
        }
        let sequence = rules.len() as i64 * 2 + 2;
        let folder = format!(
            "AAMkA{}AuAAAAAA{}",
            mailbox_stem(&person),
            gen.base64url(62)
        );
        let rule_id = rule_id(&mut gen);
        world
            .message_rules
            .entry(person.id.clone())
            .or_default()
            .push(json!({
                "id": rule_id,
                "displayName": name,
                "sequence": sequence,
                "isEnabled": true,
                "hasError": false,
                "isReadOnly": false,
                "conditions": {"senderContains": [sender]},
                "actions": {"moveToFolder": folder, "stopProcessingRules": true},
            }));
    }
}

#[cfg(test)]
mod tests {
    use super::rule_id;
    use crate::rng::Gen;

    #[test]
    fn rule_ids_decode_to_eight_bytes_starting_01000000() {
        use base64::Engine as _;
        let mut gen = Gen::new(1, "rules");
        for _ in 0..50 {
            let id = rule_id(&mut gen);
            assert!(
                id.starts_with("AQAAA") && id.ends_with('=') && id.len() == 12,
                "{id}"
            );
            let bytes = base64::engine::general_purpose::STANDARD
                .decode(&id)
                .unwrap();
            assert_eq!(&bytes[..4], &[1, 0, 0, 0]);
        }
    }
}
