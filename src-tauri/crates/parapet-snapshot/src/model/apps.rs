//! Applications and consent: service principals, app registrations, delegated grants and
//! application-permission assignments.

use chrono::{DateTime, Utc};

use crate::record::record;

record! {
    /// `servicePrincipals.json`: one item of `GET /servicePrincipals`.
    pub struct ServicePrincipal {
        required {
            /// Object id (what grants and assignments refer to).
            id: String = "id",
            app_id: String = "appId",
        }
        optional {
            display_name: String = "displayName",
            app_display_name: String = "appDisplayName",
            account_enabled: bool = "accountEnabled",
            /// Differs from the tenant id for third-party (multi-tenant) apps.
            app_owner_organization_id: String = "appOwnerOrganizationId",
            /// `Application`, `ManagedIdentity`, `Legacy`, `SocialIdp`.
            service_principal_type: String = "servicePrincipalType",
            sign_in_audience: String = "signInAudience",
            created_date_time: DateTime<Utc> = "createdDateTime",
            publisher_name: String = "publisherName",
            verified_publisher: VerifiedPublisher = "verifiedPublisher",
            homepage: String = "homepage",
            reply_urls: Vec<String> = "replyUrls",
            service_principal_names: Vec<String> = "servicePrincipalNames",
            tags: Vec<String> = "tags",
            password_credentials: Vec<PasswordCredential> = "passwordCredentials",
            key_credentials: Vec<KeyCredential> = "keyCredentials",
        }
    }
}

record! {
    /// `verifiedPublisher` of an app or service principal.
    pub struct VerifiedPublisher {
        required {}
        optional {
            display_name: String = "displayName",
            verified_publisher_id: String = "verifiedPublisherId",
            added_date_time: DateTime<Utc> = "addedDateTime",
        }
    }
}

record! {
    /// A client secret's metadata. Graph never lists the secret itself (`secretText` is null);
    /// if one is present it stays in `extra` and `Debug` redacts it.
    pub struct PasswordCredential {
        required {}
        optional {
            key_id: String = "keyId",
            display_name: String = "displayName",
            hint: String = "hint",
            start_date_time: DateTime<Utc> = "startDateTime",
            end_date_time: DateTime<Utc> = "endDateTime",
        }
    }
}

record! {
    /// A certificate credential's metadata.
    pub struct KeyCredential {
        required {}
        optional {
            key_id: String = "keyId",
            display_name: String = "displayName",
            /// `AsymmetricX509Cert`, `X509CertAndPassword`.
            key_type: String = "type",
            /// `Verify` or `Sign`.
            usage: String = "usage",
            start_date_time: DateTime<Utc> = "startDateTime",
            end_date_time: DateTime<Utc> = "endDateTime",
        }
    }
}

record! {
    /// `applications.json`: one app registration of `GET /applications`.
    pub struct Application {
        required {
            id: String = "id",
        }
        optional {
            app_id: String = "appId",
            display_name: String = "displayName",
            created_date_time: DateTime<Utc> = "createdDateTime",
            sign_in_audience: String = "signInAudience",
            publisher_domain: String = "publisherDomain",
            is_fallback_public_client: bool = "isFallbackPublicClient",
            identifier_uris: Vec<String> = "identifierUris",
            public_client: RedirectUris = "publicClient",
            web: RedirectUris = "web",
            spa: RedirectUris = "spa",
            required_resource_access: Vec<RequiredResourceAccess> = "requiredResourceAccess",
            password_credentials: Vec<PasswordCredential> = "passwordCredentials",
            key_credentials: Vec<KeyCredential> = "keyCredentials",
        }
    }
}

record! {
    /// The `web`, `spa` or `publicClient` settings of an application.
    pub struct RedirectUris {
        required {}
        optional {
            redirect_uris: Vec<String> = "redirectUris",
        }
    }
}

record! {
    /// Permissions an application asks for on one resource API.
    pub struct RequiredResourceAccess {
        required {}
        optional {
            /// App id of the resource, e.g. `00000003-0000-0000-c000-000000000000` for Graph.
            resource_app_id: String = "resourceAppId",
            resource_access: Vec<ResourceAccess> = "resourceAccess",
        }
    }
}

record! {
    /// One permission: a delegated `Scope` or an application `Role`, by id.
    pub struct ResourceAccess {
        required {}
        optional {
            id: String = "id",
            /// `Scope` (delegated) or `Role` (application).
            access_type: String = "type",
        }
    }
}

record! {
    /// `oauth2PermissionGrants.json`: a delegated consent of `GET /oauth2PermissionGrants`.
    pub struct OAuth2PermissionGrant {
        required {
            id: String = "id",
            /// Object id of the client's service principal (not an app id).
            client_id: String = "clientId",
            /// Object id of the resource's service principal.
            resource_id: String = "resourceId",
        }
        optional {
            /// `AllPrincipals` (tenant-wide) or `Principal` (one user, `principalId`).
            consent_type: String = "consentType",
            principal_id: String = "principalId",
            /// Space-separated scopes; see [`OAuth2PermissionGrant::scopes`].
            scope: String = "scope",
        }
    }
}

impl OAuth2PermissionGrant {
    /// The granted scopes, split on whitespace.
    pub fn scopes(&self) -> impl Iterator<Item = &str> {
        self.scope.as_deref().unwrap_or("").split_whitespace()
    }
}

record! {
    /// `appRoleAssignments.json`: an application permission granted to a service principal.
    pub struct AppRoleAssignment {
        required {
            id: String = "id",
            app_role_id: String = "appRoleId",
            /// Object id of the service principal (or user/group) holding the role.
            principal_id: String = "principalId",
            /// Object id of the resource's service principal.
            resource_id: String = "resourceId",
        }
        optional {
            principal_display_name: String = "principalDisplayName",
            principal_type: String = "principalType",
            resource_display_name: String = "resourceDisplayName",
            created_date_time: DateTime<Utc> = "createdDateTime",
            deleted_date_time: DateTime<Utc> = "deletedDateTime",
        }
    }
}
