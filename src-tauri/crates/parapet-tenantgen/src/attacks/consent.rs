//! Consent phishing: the user grants a rogue multi-tenant app mail access, and the app reads
//! mail from its servers. Also used by the legitimate-consent look-alike.

use chrono::{DateTime, Duration, Utc};
use serde_json::json;

use crate::activity::audit::{modified, target, Initiator};
use crate::activity::signin::{Proof, SeenDevice, SignInEvent};
use crate::catalog::apps::{self, App, ThirdPartyApp, ROGUE_APPS};
use crate::rng::Gen;
use crate::tenant::apps::{grant_id, third_party_sp};
use crate::truth::{Artifact, CompromiseState, Compromised, GroundTruth};
use crate::world::{Spot, World};

use super::aitm::Rent;

/// The app a user consents to (borrowed, so tenant-owned apps fit too).
pub(crate) struct ConsentApp<'a> {
    pub app_id: &'a str,
    pub name: &'a str,
    pub owner_tenant: &'a str,
    pub verified_publisher: Option<&'a str>,
    pub scopes: &'a str,
}

impl<'a> From<&'a ThirdPartyApp> for ConsentApp<'a> {
    fn from(app: &'a ThirdPartyApp) -> Self {
        ConsentApp {
            app_id: app.app_id,
            name: app.name,
            owner_tenant: app.owner_tenant,
            verified_publisher: app.verified_publisher,
            scopes: app.scopes,
        }
    }
}

/// The grant and service principal a user's consent created.
pub(crate) struct Consent {
    pub grant_id: String,
    pub sp_id: String,
}

/// The directory trail of a user consenting to `app` from `ip`: the service principal, the
/// delegated grant and the consent itself, plus the objects in the snapshot.
pub(crate) fn user_consents(
    world: &mut World,
    gen: &mut Gen,
    user: usize,
    app: &ConsentApp<'_>,
    time: DateTime<Utc>,
    ip: &str,
    user_agent: &str,
) -> Consent {
    let person = world.people[user].clone();
    let sp = third_party_sp(
        gen,
        app.app_id,
        app.name,
        app.owner_tenant,
        app.verified_publisher,
        time,
    );
    let sp_id = sp["id"].as_str().unwrap_or_default().to_owned();
    world.service_principals.push(sp);
    let graph_sp = world
        .sp_ids
        .get(apps::GRAPH.app_id)
        .cloned()
        .unwrap_or_default();
    let grant = grant_id(&sp_id, &graph_sp, Some(&person.id));
    world.grants.push(json!({
        "clientId": sp_id, "consentType": "Principal", "id": grant, "principalId": person.id,
        "resourceId": graph_sp, "scope": app.scopes,
    }));
    let initiator = || Initiator::User {
        person: &person,
        ip,
    };
    let correlation = world.ids.guid();
    world.push_directory_audit(
        time,
        "Directory",
        &correlation,
        "ApplicationManagement",
        "Add service principal",
        "Core Directory",
        "Add",
        initiator(),
        vec![target(
            &sp_id,
            Some(app.name),
            "ServicePrincipal",
            None,
            vec![modified(
                "AppId",
                Some("[]"),
                &format!("[\"{}\"]", app.app_id),
            )],
        )],
        &[],
        "",
    );
    let correlation = world.ids.guid();
    let granted = time + Duration::seconds(2) + gen.ticks();
    let scope = format!("\"{}\"", app.scopes);
    world.push_directory_audit(
        granted,
        "Directory",
        &correlation,
        "ApplicationManagement",
        "Add delegated permission grant",
        "Core Directory",
        "Assign",
        initiator(),
        vec![
            target(
                &graph_sp,
                Some("Microsoft Graph"),
                "ServicePrincipal",
                None,
                vec![
                    modified("DelegatedPermissionGrant.Scope", Some("\"\""), &scope),
                    modified(
                        "DelegatedPermissionGrant.ConsentType",
                        Some("\"\""),
                        "\"Principal\"",
                    ),
                    modified(
                        "ServicePrincipal.ObjectID",
                        Some("\"\""),
                        &format!("\"{sp_id}\""),
                    ),
                ],
            ),
            target(&sp_id, None, "ServicePrincipal", None, vec![]),
        ],
        &[],
        "",
    );
    let permissions = format!(
        "\"[] => [Id: {grant}, ClientId: {sp_id}, PrincipalId: {}, ResourceId: {graph_sp}, ConsentType: Principal, Scope: {}, CreatedDateTime: , LastModifiedDateTime ]; \"",
        person.id, app.scopes
    );
    world.push_directory_audit(
        granted + Duration::milliseconds(300),
        "Directory",
        &correlation,
        "ApplicationManagement",
        "Consent to application",
        "Core Directory",
        "Assign",
        initiator(),
        vec![target(
            &sp_id,
            Some(app.name),
            "ServicePrincipal",
            None,
            vec![
                modified("ConsentContext.IsAdminConsent", None, "\"False\""),
                modified("ConsentContext.IsAppOnly", None, "\"False\""),
                modified("ConsentContext.OnBehalfOfAll", None, "\"False\""),
                modified(
                    "ConsentContext.Tags",
                    None,
                    "\"WindowsAzureActiveDirectoryIntegratedApp\"",
                ),
                modified("ConsentAction.Permissions", None, &permissions),
                modified(
                    "TargetId.ServicePrincipalNames",
                    None,
                    &format!("\"{}\"", app.app_id),
                ),
            ],
        )],
        &[("User-Agent", user_agent), ("AppId", app.app_id)],
        "",
    );
    Consent {
        grant_id: grant,
        sp_id,
    }
}

/// The app using the user's delegated token from its own servers.
#[allow(clippy::too_many_arguments)]
pub(crate) fn app_uses_token(
    world: &mut World,
    gen: &mut Gen,
    user: usize,
    app: &ThirdPartyApp,
    from: DateTime<Utc>,
    spot: &Spot,
    user_agent: &str,
    reads_mail: bool,
) {
    let person = world.people[user].clone();
    let client = App {
        app_id: app.app_id,
        name: app.name,
    };
    let session = world.ids.guid();
    let mut time = from + Duration::minutes(gen.range(3, 30));
    while time < world.end {
        let event = SignInEvent {
            person: &person,
            time,
            app: client,
            resource: apps::GRAPH,
            spot,
            user_agent,
            device: SeenDevice::Unregistered {
                os: "",
                browser: String::new(),
            },
            interactive: false,
            client_app: "Mobile Apps and Desktop clients",
            error_code: 0,
            proof: Proof::Refresh,
            mfa_required: true,
            protocol: "none",
            session_id: session.clone(),
            risk: None,
        };
        world.push_sign_in(&event);
        if reads_mail {
            let count = gen.range(20, 120);
            let mut items = Vec::new();
            for _ in 0..count.min(30) {
                let message_id = world.internet_message_id();
                items.push(json!({"InternetMessageId": message_id, "SizeInBytes": gen.range(8_000, 2_000_000)}));
            }
            let folder = world.folder_id(&person);
            let extra = json!({
                "OperationProperties": [{"Name": "MailAccessType", "Value": "Bind"}, {"Name": "IsThrottled", "Value": "False"}],
                "OperationCount": count,
                "Folders": [{"FolderItems": items, "Id": folder, "Path": "\\Inbox"}],
            });
            let mailbox_session = world.ids.guid();
            world.push_mailbox_audit(
                "MailItemsAccessed",
                &person,
                time + Duration::seconds(5),
                &spot.ip,
                "Client=REST;Client=RESTSystem;;",
                Some(app.app_id),
                &mailbox_session,
                extra,
            );
        }
        time += Duration::hours(gen.range(6, 30)) + gen.ticks();
    }
}

pub(crate) fn illicit(
    world: &mut World,
    gen: &mut Gen,
    victim: usize,
    rent: &mut Rent<'_>,
    truth: &mut GroundTruth,
) {
    let app = *gen.pick(ROGUE_APPS);
    let person = world.people[victim].clone();
    let time = world.days_before_end(gen, 4, 25);
    // The lure links to Microsoft's genuine consent page, so the user consents from home.
    let received = time - Duration::minutes(gen.range(2, 30));
    let message_id = format!(
        "<{}@mail-delivery-docs.com>",
        gen.hex_upper(20).to_lowercase()
    );
    let message = world.message_json(
        &person,
        received,
        ("Document Center", "share@mail-delivery-docs.com"),
        &[(&person.display, &person.upn)],
        "You have received a secure document",
        "inbox",
        &message_id,
    );
    world.push_message(&person.id, received, message);
    let home = person.home.clone();
    let event = SignInEvent {
        person: &person,
        time,
        app: App {
            app_id: app.app_id,
            name: app.name,
        },
        resource: apps::GRAPH,
        spot: &home,
        user_agent: person.desktop.browser_ua,
        device: crate::activity::benign::desktop_device(&person),
        interactive: true,
        client_app: "Browser",
        error_code: 0,
        proof: Proof::ClaimInToken,
        mfa_required: true,
        protocol: "none",
        session_id: world.ids.guid(),
        risk: None,
    };
    world.push_sign_in(&event);
    let consent = user_consents(
        world,
        gen,
        victim,
        &(&app).into(),
        time + Duration::seconds(20),
        &home.ip,
        person.desktop.browser_ua,
    );
    let (network, place) = rent(gen);
    let backend = Spot::draw(gen, &network, place);
    app_uses_token(
        world,
        gen,
        victim,
        &app,
        time,
        &backend,
        "python-requests/2.31.0",
        true,
    );
    truth.compromised.push(Compromised {
        user_principal_name: person.upn,
        state: CompromiseState::Active,
        persistence: vec![
            Artifact {
                kind: "oauth_grant".into(),
                id: consent.grant_id,
            },
            Artifact {
                kind: "service_principal".into(),
                id: consent.sp_id,
            },
        ],
    });
}
