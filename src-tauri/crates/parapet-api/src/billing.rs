//! Billable users and volume tiers.
//!
//! A billable user is an enabled member with at least one paid licence, whose mailbox is not a
//! shared, room or equipment mailbox (those are often licensed for storage, not people). Free
//! and viral SKUs do not make a user billable. Microsoft does not document this rule; it follows
//! how MSP tools price per protected person (see ../shared/reference/microsoft-apis.md §4.4).

use parapet_snapshot::model::{Mailbox, SubscribedSku, User};
use std::collections::HashSet;

/// SKU part numbers that are free, trial-only or self-service "viral" licences.
const FREE_SKU_PART_NUMBERS: &[&str] = &[
    "FLOW_FREE",
    "POWER_BI_STANDARD",
    "TEAMS_EXPLORATORY",
    "WINDOWS_STORE",
    "CCIBOTS_PRIVPREV_VIRAL",
    "POWERAPPS_VIRAL",
    "POWERAPPS_DEV",
    "STREAM",
    "MICROSOFT_BUSINESS_CENTER",
    "RIGHTSMANAGEMENT_ADHOC",
    "TEAMS_FREE",
    "FORMS_PRO",
    "POWER_BI_INDIVIDUAL_USER",
];

const NON_PERSON_MAILBOXES: &[&str] = &["SharedMailbox", "RoomMailbox", "EquipmentMailbox"];

/// Counts the tenant's billable users.
pub fn billable_users(users: &[User], skus: &[SubscribedSku], mailboxes: &[Mailbox]) -> usize {
    let paid: HashSet<&str> = skus
        .iter()
        .filter(|sku| {
            let part = sku.sku_part_number.as_deref().unwrap_or_default();
            !FREE_SKU_PART_NUMBERS
                .iter()
                .any(|free| free.eq_ignore_ascii_case(part))
        })
        .map(|sku| sku.sku_id.as_str())
        .collect();
    let not_people: HashSet<&str> = mailboxes
        .iter()
        .filter(|mailbox| {
            mailbox
                .recipient_type_details
                .as_deref()
                .is_some_and(|kind| NON_PERSON_MAILBOXES.contains(&kind))
        })
        .map(|mailbox| mailbox.user_id.as_str())
        .collect();
    users
        .iter()
        .filter(|user| user.account_enabled == Some(true))
        .filter(|user| {
            user.user_type
                .as_deref()
                .is_none_or(|kind| kind.eq_ignore_ascii_case("Member"))
        })
        .filter(|user| !not_people.contains(user.id.as_str()))
        .filter(|user| {
            user.assigned_licenses.iter().flatten().any(|licence| {
                licence
                    .sku_id
                    .as_deref()
                    .is_some_and(|sku| paid.contains(sku))
            })
        })
        .count()
}

/// The volume tier (1-based) a total falls into, given ascending inclusive upper bounds; one
/// past the last bound when the total exceeds them all.
pub fn volume_tier(total: usize, bounds: &[u32]) -> usize {
    bounds
        .iter()
        .position(|&bound| total <= bound as usize)
        .map_or(bounds.len() + 1, |index| index + 1)
}

#[cfg(test)]
mod tests;
