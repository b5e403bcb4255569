//! Microsoft first-party applications, resources, licences (SKUs) and the user agents of the
//! clients people use, with Microsoft's real ids.

/// Microsoft's own tenant: the `appOwnerOrganizationId` of every first-party service principal.
pub const MICROSOFT_TENANT: &str = "f8cdef31-a31e-4b4a-93e4-5f571e91255a";

/// A first-party app or resource.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct App {
    pub app_id: &'static str,
    pub name: &'static str,
}

const fn app(app_id: &'static str, name: &'static str) -> App {
    App { app_id, name }
}

pub const GRAPH: App = app("00000003-0000-0000-c000-000000000000", "Microsoft Graph");
pub const EXCHANGE: App = app(
    "00000002-0000-0ff1-ce00-000000000000",
    "Office 365 Exchange Online",
);
pub const SHAREPOINT: App = app(
    "00000003-0000-0ff1-ce00-000000000000",
    "Office 365 SharePoint Online",
);
pub const AAD_GRAPH: App = app(
    "00000002-0000-0000-c000-000000000000",
    "Windows Azure Active Directory",
);
pub const TEAMS_SERVICES: App = app(
    "cc15fd57-2c6c-4117-a88c-83b1d56b4bbe",
    "Microsoft Teams Services",
);
pub const DEVICE_REGISTRATION: App = app(
    "01cb2876-7ebd-4aa4-9cc9-d28bd4d359a9",
    "Device Registration Service",
);
pub const OFFICE_PORTAL: App = app(
    "00000006-0000-0ff1-ce00-000000000000",
    "Microsoft Office 365 Portal",
);
pub const OFFICE_HOME: App = app("4765445b-32c6-49b0-83e6-1d93765276ca", "OfficeHome");
pub const OUTLOOK_WEB: App = app("9199bf20-a13f-4107-85dc-02114787ef48", "One Outlook Web");
pub const OUTLOOK_MOBILE: App = app("27922004-5251-4030-b22d-91ecd9a37ea4", "Outlook Mobile");
pub const MICROSOFT_OFFICE: App = app("d3590ed6-52b3-4102-aeff-aad2292ab01c", "Microsoft Office");
pub const TEAMS: App = app("1fec8e78-bce4-4aaf-ab1b-5451cc387264", "Microsoft Teams");
pub const ONEDRIVE_SYNC: App = app(
    "ab9b8c07-8f02-4f72-87fa-80105867a763",
    "OneDrive SyncEngine",
);
pub const SHAREPOINT_WEB: App = app(
    "08e18876-6177-487e-b8b5-cf950c1e598c",
    "SharePoint Online Web Client Extensibility",
);
pub const AUTH_BROKER: App = app(
    "29d9ed98-a469-4536-ade2-f981bc1d605e",
    "Microsoft Authentication Broker",
);
pub const AUTHENTICATOR: App = app(
    "4813382a-8fa7-425e-ab75-3b753aab3abb",
    "Microsoft Authenticator App",
);
pub const EXCHANGE_POWERSHELL: App = app(
    "fb78d390-0c51-40cd-8e17-fdbfab77341b",
    "Microsoft Exchange REST API Based Powershell",
);
pub const GRAPH_CLI: App = app(
    "14d82eec-204b-4c2f-b7e8-296a70dab67e",
    "Microsoft Graph Command Line Tools",
);
pub const AZURE_PORTAL: App = app("c44b4083-3bb0-49c1-b47d-974e53cbdf3c", "Azure Portal");
pub const WINDOWS_SIGN_IN: App = app("38aa3b87-a06d-4817-b275-7a316988d93b", "Windows Sign In");
pub const COMPANY_PORTAL: App = app(
    "9ba1a5c7-f17a-4de9-a1f1-6178c8d51223",
    "Microsoft Intune Company Portal",
);

/// Service principals every Microsoft 365 tenant has.
pub const FIRST_PARTY_SERVICE_PRINCIPALS: &[App] = &[
    GRAPH,
    EXCHANGE,
    SHAREPOINT,
    AAD_GRAPH,
    TEAMS_SERVICES,
    DEVICE_REGISTRATION,
    OFFICE_PORTAL,
    OFFICE_HOME,
    OUTLOOK_WEB,
    OUTLOOK_MOBILE,
    MICROSOFT_OFFICE,
    TEAMS,
    ONEDRIVE_SYNC,
    SHAREPOINT_WEB,
    AUTH_BROKER,
    AUTHENTICATOR,
    EXCHANGE_POWERSHELL,
    GRAPH_CLI,
    AZURE_PORTAL,
    WINDOWS_SIGN_IN,
    COMPANY_PORTAL,
];

/// A third-party multi-tenant app: (app id, name, publisher tenant, verified publisher).
#[derive(Debug, Clone, Copy)]
pub struct ThirdPartyApp {
    pub app_id: &'static str,
    pub name: &'static str,
    pub owner_tenant: &'static str,
    pub verified_publisher: Option<&'static str>,
    /// Delegated scopes a user consents to.
    pub scopes: &'static str,
}

/// Legitimate business apps users consent to (their real app ids where published).
pub const BUSINESS_APPS: &[ThirdPartyApp] = &[
    ThirdPartyApp {
        app_id: "04ba6411-ba97-495d-ad79-3eb7973275e6",
        name: "Calendly",
        owner_tenant: "064422b7-90f7-4798-b5fc-c3c51c951a84",
        verified_publisher: Some("Calendly LLC"),
        scopes: "openid profile email offline_access User.Read Calendars.ReadWrite",
    },
    ThirdPartyApp {
        app_id: "143e4357-31f5-4ab8-b86f-aa0b52760450",
        name: "DocuSign",
        owner_tenant: "465d5f74-6181-49d5-ba0b-b3d939434aeb",
        verified_publisher: Some("DocuSign"),
        scopes: "openid profile email offline_access User.Read",
    },
    ThirdPartyApp {
        app_id: "3f72d998-3abb-4da6-acf3-96d9521c1077",
        name: "Adobe Acrobat",
        owner_tenant: "ee96bd39-4cbf-471f-aa7a-a4f25bfa94d2",
        verified_publisher: Some("Adobe Inc."),
        scopes: "openid profile email offline_access User.Read Files.ReadWrite.All",
    },
];

/// Apps abused for illicit consent (public rogue-app catalogues; detection-knowledge.md §3.4).
pub const ROGUE_APPS: &[ThirdPartyApp] = &[
    ThirdPartyApp {
        app_id: "ff8d92dc-3d82-41d6-bcbd-b9174d163620",
        name: "PerfectData Software",
        owner_tenant: "b4a3c7e2-5d1f-4f0a-9b2e-7c6d8e9f0a1b",
        verified_publisher: None,
        scopes: "Mail.Read Mail.ReadWrite offline_access User.Read",
    },
    ThirdPartyApp {
        app_id: "a245e8c0-b53c-4b67-9b45-751d1dff8e6b",
        name: "Newsletter Software Supermailer",
        owner_tenant: "6c2f0e1a-8b3d-4e5f-a7c9-1d2e3f4a5b6c",
        verified_publisher: None,
        scopes: "Mail.Read Mail.Send Contacts.Read offline_access",
    },
    ThirdPartyApp {
        app_id: "a43e5392-f48b-46a4-a0f1-098b5eeb4757",
        name: "CloudSponge",
        owner_tenant: "9e8d7c6b-5a4f-4e3d-8c2b-1a0f9e8d7c6b",
        verified_publisher: None,
        scopes: "Contacts.Read Mail.Read Mail.Send offline_access",
    },
];

/// Delegated Graph permission ids of the scopes the generator uses (for app registrations).
pub const GRAPH_SCOPE_IDS: &[(&str, &str)] = &[
    ("User.Read", "e1fe6dd8-ba31-4d61-89e7-88639da4683d"),
    ("Mail.Read", "570282fd-fa5c-430d-a7fd-fc8dc98a9dca"),
    ("offline_access", "7427e0e9-2fba-42fe-b0c0-848c9e6a8182"),
    ("Mail.Send", "e383f46e-2787-4529-855e-0e479a3ffac0"),
];

/// A licence with its real SKU id and the service plans it carries.
#[derive(Debug, Clone, Copy)]
pub struct Sku {
    pub sku_id: &'static str,
    pub part_number: &'static str,
    pub plans: &'static [(&'static str, &'static str)],
}

const EXCHANGE_S_STANDARD: (&str, &str) = (
    "9aaf7827-d63c-4b61-89c3-182f06f82e5c",
    "EXCHANGE_S_STANDARD",
);
const EXCHANGE_S_ENTERPRISE: (&str, &str) = (
    "efb87545-963c-4e0d-99df-69c6916d9eb0",
    "EXCHANGE_S_ENTERPRISE",
);
const TEAMS1: (&str, &str) = ("57ff2da0-773e-42df-b2af-ffb7a2317929", "TEAMS1");
const SHAREPOINT_STANDARD: (&str, &str) =
    ("c7699d2e-19aa-44de-8edf-1736da088ca1", "SHAREPOINTSTANDARD");
const SHAREPOINT_ENTERPRISE: (&str, &str) = (
    "5dbe027f-2339-4123-9542-606e4d348a72",
    "SHAREPOINTENTERPRISE",
);
const OFFICE_SUBSCRIPTION: (&str, &str) =
    ("43de0ff5-c92c-492b-9116-175376d08c38", "OFFICESUBSCRIPTION");
const AAD_PREMIUM: (&str, &str) = ("41781fb2-bc02-4b7c-bd55-b576c07bb09d", "AAD_PREMIUM");
const AAD_PREMIUM_P2: (&str, &str) = ("eec0eb4f-6444-4f95-aba0-50c24d67f998", "AAD_PREMIUM_P2");
const MFA_PREMIUM: (&str, &str) = ("8a256a2b-b617-496d-b51b-e76466e88db0", "MFA_PREMIUM");
const INTUNE_A: (&str, &str) = ("c1ec4a95-1f05-45b3-a911-aa3fa01094f5", "INTUNE_A");

pub const SPB: Sku = Sku {
    sku_id: "cbdc14ab-d96c-4c30-b9f4-6ada7cdc1d46",
    part_number: "SPB",
    plans: &[
        EXCHANGE_S_STANDARD,
        AAD_PREMIUM,
        MFA_PREMIUM,
        INTUNE_A,
        TEAMS1,
        SHAREPOINT_STANDARD,
        OFFICE_SUBSCRIPTION,
    ],
};
pub const SPE_E5: Sku = Sku {
    sku_id: "06ebc4ee-1bb5-47dd-8120-11324bc54e06",
    part_number: "SPE_E5",
    plans: &[
        EXCHANGE_S_ENTERPRISE,
        AAD_PREMIUM,
        AAD_PREMIUM_P2,
        MFA_PREMIUM,
        INTUNE_A,
        TEAMS1,
        SHAREPOINT_ENTERPRISE,
        OFFICE_SUBSCRIPTION,
    ],
};
pub const BUSINESS_STANDARD: Sku = Sku {
    sku_id: "f245ecc8-75af-4f8e-b61f-27d8114de5f3",
    part_number: "O365_BUSINESS_PREMIUM",
    plans: &[
        EXCHANGE_S_STANDARD,
        TEAMS1,
        SHAREPOINT_STANDARD,
        OFFICE_SUBSCRIPTION,
    ],
};
pub const EXCHANGE_STANDARD: Sku = Sku {
    sku_id: "4b9405b0-7788-4568-add1-99614e613b69",
    part_number: "EXCHANGESTANDARD",
    plans: &[EXCHANGE_S_STANDARD],
};
pub const FLOW_FREE: Sku = Sku {
    sku_id: "f30db892-07e9-47e9-837c-80727f46fd3d",
    part_number: "FLOW_FREE",
    plans: &[],
};

/// Desktop browsers: (user agent, `deviceDetail.operatingSystem`, `deviceDetail.browser`).
pub const DESKTOP_BROWSERS: &[(&str, &str, &str)] = &[
    ("Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/142.0.0.0 Safari/537.36 Edg/142.0.0.0", "Windows10", "Edge 142.0.0"),
    ("Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/142.0.0.0 Safari/537.36", "Windows10", "Chrome 142.0.0"),
    ("Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/141.0.0.0 Safari/537.36 Edg/141.0.0.0", "Windows10", "Edge 141.0.0"),
    ("Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/142.0.0.0 Safari/537.36", "MacOs", "Chrome 142.0.0"),
    ("Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/26.0 Safari/605.1.15", "MacOs", "Safari 26.0"),
    ("Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:145.0) Gecko/20100101 Firefox/145.0", "Windows10", "Firefox 145.0"),
];

/// Phones: (model, OS, OS version, Outlook user agent, browser name).
pub const PHONES: &[(&str, &str, &str, &str, &str)] = &[
    (
        "iPhone 16 Pro",
        "Ios",
        "18.6.2",
        "Outlook-iOS/2.0",
        "Mobile Safari",
    ),
    (
        "iPhone 15",
        "Ios",
        "18.5",
        "Outlook-iOS/2.0",
        "Mobile Safari",
    ),
    (
        "iPhone 14",
        "Ios",
        "18.6.2",
        "Outlook-iOS/2.0",
        "Mobile Safari",
    ),
    (
        "SM-S928U",
        "Android",
        "15",
        "Outlook-Android/2.0",
        "Chrome Mobile",
    ),
    (
        "Pixel 9",
        "Android",
        "16",
        "Outlook-Android/2.0",
        "Chrome Mobile",
    ),
];

/// Desktop Outlook (Microsoft 365 Apps) user agent.
pub const OUTLOOK_DESKTOP_UA: &str =
    "Microsoft Office/16.0 (Windows NT 10.0; Microsoft Outlook 16.0.19328; Pro)";
pub const ONEDRIVE_UA: &str =
    "Microsoft SkyDriveSync 25.194.1005.0002 ship; Windows NT 10.0 (26100)";
pub const TEAMS_UA: &str = "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/130.0.0.0 Safari/537.36 Edg/130.0.0.0 Teams/25290.205.3958.8180";
