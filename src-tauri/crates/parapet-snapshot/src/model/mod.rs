//! Typed snapshot records, one module per area.
//!
//! Every record type has typed fields for what Parapet reasons about, named as in Rust and
//! (de)serialized under Microsoft's names, plus `extra` with every other field verbatim. Required
//! fields are plain types; a record missing one, or carrying one of the wrong type, fails to read
//! with an error naming the field. Optional fields are `Option`s; `null` and absence both read as
//! `None` (a `null` is remembered in `extra` so it is re-emitted).
//!
//! Required fields (everything else is optional):
//!
//! | record | required |
//! |---|---|
//! | [`TenantInfo`] | `id, displayName, defaultDomainName, verifiedDomains, snapshotTime, licenses{entraIdP1, entraIdP2}` |
//! | [`User`] | `id, userPrincipalName` |
//! | [`SubscribedSku`] | `skuId` |
//! | [`SignIn`] | `id, createdDateTime, userId, status{errorCode}` |
//! | [`DirectoryAudit`] | `id, activityDateTime` |
//! | [`AuditRecord`] | `CreationTime, Id, Operation, RecordType, UserId` |
//! | [`Mailbox`] | `userId` |
//! | [`MessageRule`], [`Message`], [`Device`], [`Application`], [`ConditionalAccessPolicy`] | `id` |
//! | [`AuthenticationMethod`] | `@odata.type, id` |
//! | [`ServicePrincipal`] | `id, appId` |
//! | [`OAuth2PermissionGrant`] | `id, clientId, resourceId` |
//! | [`AppRoleAssignment`] | `id, appRoleId, principalId, resourceId` |
//! | [`MailboxPermission`] | `Identity, User` |
//! | [`RecipientPermission`] | `Identity, Trustee` |
//! | [`InboundConnector`], [`TransportRule`] | `Identity` |

mod apps;
mod audit;
mod devices;
mod directory;
mod exchange;
mod mail;
mod policy;
mod signin;
mod tenant;

pub use apps::{
    AppRoleAssignment, Application, KeyCredential, OAuth2PermissionGrant, PasswordCredential,
    RedirectUris, RequiredResourceAccess, ResourceAccess, ServicePrincipal, VerifiedPublisher,
};
pub use audit::{
    AppIdentity, AuditActivityInitiator, AuditRecord, AuditUserIdentity, DirectoryAudit,
    ExchangeFolder, ExchangeItem, IdentityTypeValue, KeyValue, ModifiedProperty, NameValue,
    TargetResource,
};
pub use devices::Device;
pub use directory::{
    AssignedLicense, AuthenticationMethod, LicenseUnits, ServicePlanInfo, SubscribedSku, User,
};
pub use exchange::{InboundConnector, MailboxPermission, RecipientPermission, TransportRule};
pub use mail::{
    EmailAddress, Mailbox, Message, MessageRule, MessageRuleActions, MessageRulePredicates,
    Recipient,
};
pub use policy::{
    ConditionalAccessApplications, ConditionalAccessConditions, ConditionalAccessGrantControls,
    ConditionalAccessLocations, ConditionalAccessPolicy, ConditionalAccessUsers,
};
pub use signin::{
    AuthenticationDetail, DeviceDetail, GeoCoordinates, MfaDetail, SignIn, SignInLocation,
    SignInStatus,
};
pub use tenant::{Licenses, TenantInfo};

pub use crate::record::Spellings;
