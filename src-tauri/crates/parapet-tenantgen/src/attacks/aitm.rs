//! Adversary-in-the-middle phishing: the lure, the proxied sign-in and the replayed session,
//! then the classic aftermath: a hiding inbox rule and internal phishing.

use chrono::{DateTime, Duration, Utc};
use serde_json::json;

use crate::activity::signin::Proof;
use crate::catalog::apps;
use crate::catalog::networks::{Network, Place};
use crate::rng::Gen;
use crate::truth::{Artifact, CompromiseState, Compromised, GroundTruth};
use crate::world::{Spot, World};

use super::{attacker_refreshes, attacker_sign_in, ATTACKER_BROWSER_UA, WEB_SESSION_APPS};

pub(crate) type Rent<'a> = dyn FnMut(&mut Gen) -> (Network, Place) + 'a;

/// A stolen session: where the attacker replays it from and its session id.
pub(crate) struct Foothold {
    pub replay: Spot,
    pub session_id: String,
    pub time: DateTime<Utc>,
}

const LURES: &[(&str, &str, &str)] = &[
    (
        "DocuSign via Secure Share",
        "dse@docusign-securedelivery.net",
        "Please review and sign: Remittance Advice",
    ),
    (
        "SharePoint Online",
        "no-reply@sharepoint-filesafe.com",
        "A document has been shared with you: Q4 Payment Schedule.pdf",
    ),
    (
        "Voicemail Service",
        "voicemail@cloudvm-notify.com",
        "New voicemail from (617) 555-0148 (0:42)",
    ),
    (
        "Microsoft 365",
        "account-security@m365-verify-portal.com",
        "Action required: your password expires today",
    ),
];

/// The phishing mail, the proxied sign-in (password, then the victim approves the push) and
/// the attacker replaying the session cookie from their own server.
pub(crate) fn aitm_entry(
    world: &mut World,
    gen: &mut Gen,
    victim: usize,
    time: DateTime<Utc>,
    rent: &mut Rent<'_>,
) -> Foothold {
    let person = world.people[victim].clone();
    let (lure_name, lure_address, lure_subject) = *gen.pick(LURES);
    let message_id = format!(
        "<{}@{}>",
        gen.hex_upper(24).to_lowercase(),
        lure_address.split('@').nth(1).unwrap_or("mail.example")
    );
    let received = time - Duration::minutes(gen.range(3, 25));
    let message = world.message_json(
        &person,
        received,
        (lure_name, lure_address),
        &[(&person.display, &person.upn)],
        lure_subject,
        "inbox",
        &message_id,
    );
    world.push_message(&person.id, received, message);

    let (proxy_net, proxy_place) = rent(gen);
    let proxy = Spot::draw(gen, &proxy_net, proxy_place);
    let (replay_net, replay_place) = rent(gen);
    let replay = Spot::draw(gen, &replay_net, replay_place);
    let session_id = world.ids.guid();
    let risk = Some(("medium", "unfamiliarFeatures"));
    let browser = person.desktop.browser_ua;
    // The kit relays the victim's own browser, so its user agent appears from the proxy.
    attacker_sign_in(
        world,
        victim,
        time,
        apps::OFFICE_HOME,
        apps::OFFICE_HOME,
        &proxy,
        browser,
        true,
        50074,
        Proof::Password,
        &session_id,
        risk,
    );
    let approved = time + Duration::seconds(gen.range(8, 25)) + gen.ticks();
    attacker_sign_in(
        world,
        victim,
        approved,
        apps::OFFICE_HOME,
        apps::OFFICE_HOME,
        &proxy,
        browser,
        true,
        0,
        Proof::PasswordAndPush,
        &session_id,
        risk,
    );
    let mut at = approved + Duration::seconds(gen.range(20, 40));
    for _ in 0..gen.range(2, 3) {
        attacker_sign_in(
            world,
            victim,
            at,
            apps::OFFICE_HOME,
            apps::OFFICE_HOME,
            &replay,
            "axios/1.7.9",
            true,
            0,
            Proof::ClaimInToken,
            &session_id,
            Some(("high", "anomalousToken")),
        );
        at += Duration::seconds(gen.range(25, 50)) + gen.ticks();
    }
    at += Duration::minutes(gen.range(5, 25));
    attacker_sign_in(
        world,
        victim,
        at,
        apps::OUTLOOK_WEB,
        apps::EXCHANGE,
        &replay,
        ATTACKER_BROWSER_UA,
        true,
        0,
        Proof::ClaimInToken,
        &session_id,
        None,
    );
    Foothold {
        replay,
        session_id,
        time: at,
    }
}

/// Mail read from the attacker's address through the proxied OWA session.
pub(super) fn attacker_reads_mail(
    world: &mut World,
    gen: &mut Gen,
    victim: usize,
    foothold: &Foothold,
    time: DateTime<Utc>,
) {
    let person = world.people[victim].clone();
    let count = gen.range(10, 40);
    let mut items = Vec::new();
    for _ in 0..count {
        let message_id = world.internet_message_id();
        items.push(
            json!({"InternetMessageId": message_id, "SizeInBytes": gen.range(8_000, 2_000_000)}),
        );
    }
    let folder = world.folder_id(&person);
    let extra = json!({
        "OperationProperties": [{"Name": "MailAccessType", "Value": "Bind"}, {"Name": "IsThrottled", "Value": "False"}],
        "OperationCount": count,
        "Folders": [{"FolderItems": items, "Id": folder, "Path": "\\Inbox"}],
        "AppAccessContext": {"AADSessionId": foothold.session_id, "UniqueTokenId": world.ids.base64url(22)},
    });
    let session = world.ids.guid();
    world.push_mailbox_audit(
        "MailItemsAccessed",
        &person,
        time,
        &foothold.replay.ip,
        "Client=OWA;Action=ViaProxy",
        Some(apps::OUTLOOK_WEB.app_id),
        &session,
        extra,
    );
}

/// `New-InboxRule` from the attacker's session and the rule it leaves in `messageRules.json`.
pub(super) fn hiding_rule(
    world: &mut World,
    gen: &mut Gen,
    victim: usize,
    ip: &str,
    time: DateTime<Utc>,
) -> String {
    let person = world.people[victim].clone();
    let name = *gen.pick(&[".", "..", ",", "...", ";"]);
    let folder = *gen.pick(&[
        "RSS Feeds",
        "Conversation History",
        "Archive",
        "RSS Subscriptions",
    ]);
    const WORD_SETS: &[&[&str]] = &[
        &["invoice", "payment", "wire", "bank"],
        &["phish", "hacked", "suspicious", "password"],
        &["did you send", "spam", "virus", "compromised"],
    ];
    let words: &[&str] = WORD_SETS[gen.below(WORD_SETS.len())];
    let object_id = world.rule_object_id(&person, name);
    let joined = words.join(";");
    world.push_exchange_admin(
        "New-InboxRule",
        &person,
        time,
        ip,
        &object_id,
        &[
            ("AlwaysDeleteOutlookRulesBlob", "False"),
            ("Force", "False"),
            ("MoveToFolder", folder),
            ("Name", name),
            ("MarkAsRead", "True"),
            ("StopProcessingRules", "True"),
            ("SubjectOrBodyContainsWords", &joined),
        ],
        apps::EXCHANGE.app_id,
    );
    let rule_id = crate::activity::mail::rule_id(gen);
    let folder_id = world.folder_id(&person);
    world.message_rules.entry(person.id.clone()).or_default().insert(
        0,
        json!({
            "id": rule_id,
            "displayName": name,
            "sequence": 1,
            "isEnabled": true,
            "hasError": false,
            "isReadOnly": false,
            "conditions": {"bodyOrSubjectContains": words},
            "actions": {"moveToFolder": folder_id, "markAsRead": true, "stopProcessingRules": true},
        }),
    );
    rule_id
}

pub(crate) fn inbox_rule_phish(
    world: &mut World,
    gen: &mut Gen,
    victim: usize,
    rent: &mut Rent<'_>,
    truth: &mut GroundTruth,
) {
    let start = world.days_before_end(gen, 2, 12);
    let foothold = aitm_entry(world, gen, victim, start, rent);
    let rule_time = foothold.time + Duration::minutes(gen.range(15, 50));
    attacker_reads_mail(
        world,
        gen,
        victim,
        &foothold,
        foothold.time + Duration::minutes(4),
    );
    let rule_id = hiding_rule(world, gen, victim, &foothold.replay.ip, rule_time);
    let phish_time = rule_time + Duration::minutes(gen.range(20, 90));
    internal_phish(world, gen, victim, &foothold, phish_time);
    let end = world.end;
    attacker_refreshes(
        world,
        gen,
        victim,
        rule_time,
        end,
        &foothold.replay,
        ATTACKER_BROWSER_UA,
        &foothold.session_id,
        WEB_SESSION_APPS,
    );
    for day in 1..4 {
        let time = foothold.time + Duration::hours(day * 20 + gen.range(0, 6));
        if time < end {
            attacker_reads_mail(world, gen, victim, &foothold, time);
        }
    }
    truth.compromised.push(Compromised {
        user_principal_name: world.people[victim].upn.clone(),
        state: CompromiseState::Active,
        persistence: vec![Artifact {
            kind: "inbox_rule".into(),
            id: rule_id,
        }],
    });
}

/// The compromised mailbox mails a lure to colleagues, then deletes the replies.
fn internal_phish(
    world: &mut World,
    gen: &mut Gen,
    victim: usize,
    foothold: &Foothold,
    time: DateTime<Utc>,
) {
    let person = world.people[victim].clone();
    let subject = *gen.pick(&[
        "Updated payment details - please review",
        "Shared file: 2026 Bonus Structure.pdf",
        "Please review the attached invoice",
    ]);
    let colleagues: Vec<usize> = (0..world.people.len())
        .filter(|&i| {
            let person = &world.people[i];
            i != victim && person.is_staff() && person.left.is_none() && person.created < time
        })
        .collect();
    let count = colleagues.len().min(gen.range(8, 25) as usize);
    let message_id = world.internet_message_id();
    let mut recipients = Vec::new();
    for step in 0..count {
        let colleague = world.people[colleagues[(step * 7 + 3) % colleagues.len()]].clone();
        if recipients
            .iter()
            .any(|(_, upn): &(String, String)| *upn == colleague.upn)
        {
            continue;
        }
        let received = time + Duration::seconds(gen.range(2, 20));
        let message = world.message_json(
            &colleague,
            received,
            (&person.display, &person.upn),
            &[(&colleague.display, &colleague.upn)],
            subject,
            "inbox",
            &message_id,
        );
        world.push_message(&colleague.id, received, message);
        recipients.push((colleague.display.clone(), colleague.upn.clone()));
    }
    let item_id = world.item_id(&person);
    let sent_folder = world.folder_id(&person);
    let extra = json!({
        "Item": {"Id": item_id, "InternetMessageId": message_id, "ParentFolder": {"Id": sent_folder, "Path": "\\Sent Items"},
                 "SizeInBytes": gen.range(20_000, 90_000), "Subject": subject},
        "AppAccessContext": {"AADSessionId": foothold.session_id},
    });
    let session = world.ids.guid();
    world.push_mailbox_audit(
        "Send",
        &person,
        time,
        &foothold.replay.ip,
        "Client=OWA;Action=ViaProxy",
        Some(apps::OUTLOOK_WEB.app_id),
        &session,
        extra,
    );
    // Replies asking "did you send this?" are deleted from the sent and inbox folders.
    let deleted_folder = world.folder_id(&person);
    let reply_id = world.item_id(&person);
    let reply_message = world.internet_message_id();
    let extra = json!({
        "AffectedItems": [{"Id": reply_id, "InternetMessageId": reply_message, "ParentFolder": {"Id": sent_folder, "Path": "\\Sent Items"}, "Subject": subject}],
        "Folder": {"Id": sent_folder, "Path": "\\Sent Items"},
        "DestFolder": {"Id": deleted_folder, "Path": "\\Deleted Items"},
        "CrossMailboxOperation": false,
        "AppAccessContext": {"AADSessionId": foothold.session_id},
    });
    world.push_mailbox_audit(
        "MoveToDeletedItems",
        &person,
        time + Duration::minutes(gen.range(3, 30)),
        &foothold.replay.ip,
        "Client=OWA;Action=ViaProxy",
        Some(apps::OUTLOOK_WEB.app_id),
        &session,
        extra,
    );
}
