//! Facts detection relies on: app ids, user-agent markers, folder names, keywords, permission
//! names. Parapet keeps its own lists; each fact cites where it is documented (see
//! shared/reference/detection-knowledge.md §3). No list here is copied from a copyleft source.

/// Tenants that own Microsoft's first-party service principals.
const MICROSOFT_TENANTS: &[&str] = &[
    "f8cdef31-a31e-4b4a-93e4-5f571e91255a",
    "72f988bf-86f1-41af-91ab-2d7cd011db47",
];

pub fn is_microsoft_tenant(id: &str) -> bool {
    MICROSOFT_TENANTS.iter().any(|t| t.eq_ignore_ascii_case(id))
}

pub const OFFICE_HOME: &str = "4765445b-32c6-49b0-83e6-1d93765276ca";
pub const AUTH_BROKER: &str = "29d9ed98-a469-4536-ade2-f981bc1d605e";

/// Apps abused for mail theft (huntresslabs/rogueapps 2024-10, randomaccess3/detections,
/// CIPP-API MaliciousApps.json, Analyzer Application-Blacklist: app ids only, cited as facts).
const ROGUE_APPS: &[(&str, &str)] = &[
    ("e9a7fea1-1cc0-4cd9-a31b-9137ca5deedd", "eM Client"),
    (
        "ff8d92dc-3d82-41d6-bcbd-b9174d163620",
        "PerfectData Software",
    ),
    (
        "a245e8c0-b53c-4b67-9b45-751d1dff8e6b",
        "Newsletter Software Supermailer",
    ),
    ("4761b959-9780-4c2d-87a3-512b4638f767", "rclone"),
    ("b15665d9-eda6-4092-8539-0eec376afd59", "rclone"),
    ("a43e5392-f48b-46a4-a0f1-098b5eeb4757", "CloudSponge"),
    ("caffae8c-0882-4c81-9a27-d1803af53a40", "SigParser"),
    ("77468577-4f6e-40e7-b745-11d3d0c28095", "Fastmail"),
    ("179d5108-412b-4c95-8e34-06786784ab39", "PostBox"),
    ("946c777c-bc85-489e-b034-392389ae23d6", "Spike"),
    ("2ef68ccc-8a4d-42ff-ae88-2d7bb89ad139", "Mail_Backup"),
    ("858d7e42-35f0-44b7-9033-df309239a47f", "ZoomInfo"),
    ("497ac034-5120-4c1a-929a-0351f5c09918", "ZoomInfo"),
    ("412445a2-0794-487e-9dd6-d57d9593b249", "CubeBackup"),
    ("62db40a4-2c7e-4373-a609-eda138798962", "Edison Mail"),
    ("231575bc-9f6c-4539-9241-5cfae696b630", "Foxmail"),
    ("b1c4926a-5fb6-4aad-b920-709c957be148", "Horizon Tech"),
    ("9af771d1-1288-43f0-91a6-adadcbd212b5", "Jotform"),
    (
        "1a9b8d93-0d60-4835-896f-83016de95ff5",
        "Teleforge Directory",
    ),
];

pub fn rogue_app(app_id: &str) -> Option<&'static str> {
    ROGUE_APPS
        .iter()
        .find(|(id, _)| id.eq_ignore_ascii_case(app_id))
        .map(|(_, name)| *name)
}

/// User-agent markers of HTTP libraries and attack tools: a person in a browser never sends
/// these (Analyzer UserAgent-Blacklist red tier and Elastic's offensive-tool rules, as facts).
const SCRIPTED_AGENTS: &[&str] = &[
    "axios/",
    "agentaxios",
    "python-requests",
    "node-fetch",
    "undici",
    "okhttp/",
    "go-http-client",
    "go-resty",
    "guzzlehttp",
    "fasthttp",
    "curl/",
    "aadinternals",
    "roadtools",
    "teamfiltration",
    "azurehound",
    "bloodhound",
    "bav2ropc",
    "kali365",
    "python-urllib",
    "aiohttp",
    "httpx/",
    "libwww-perl",
    "wget/",
];

/// The scripted-client family a user agent belongs to, if any ("axios", "python-requests", …).
pub fn scripted_agent(user_agent: &str) -> Option<&'static str> {
    let ua = user_agent.to_ascii_lowercase();
    if ua == "node" || ua.starts_with("node/") || ua.starts_with("node ") {
        return Some("node");
    }
    SCRIPTED_AGENTS
        .iter()
        .find(|m| ua.contains(*m))
        .map(|m| m.trim_end_matches('/'))
}

/// Folders attackers hide mail in (English names; Hawk/Osprey/CIPP document these targets).
const HIDING_FOLDERS: &[&str] = &[
    "rss feeds",
    "rss subscriptions",
    "rss",
    "archive",
    "conversation history",
    "junk email",
    "junk e-mail",
    "deleted items",
    "notes",
    "calendar",
    "sync issues",
    "rss-abonnements",
    "archiv",
];

pub fn is_hiding_folder(folder: &str) -> bool {
    let f = folder
        .trim()
        .trim_start_matches('\\')
        .trim_start_matches('/')
        .to_ascii_lowercase();
    HIDING_FOLDERS.iter().any(|h| *h == f)
}

/// Words an attacker filters on to hide replies, warnings or payment mail (THOR HEARTH#193,
/// Elastic phishing-evasion rule).
const WATCHED_WORDS: &[&str] = &[
    "invoice",
    "payment",
    "wire",
    "ach",
    "bank",
    "routing",
    "deposit",
    "payroll",
    "remittance",
    "statement",
    "password",
    "phish",
    "hack",
    "suspicious",
    "fraud",
    "scam",
    "spam",
    "virus",
    "compromis",
    "security",
    "helpdesk",
    "help desk",
    "it support",
    "undeliverable",
    "mfa",
    "verify",
    "account",
];

pub fn watched_words(keywords: &[String]) -> Vec<String> {
    keywords
        .iter()
        .filter(|k| {
            let k = k.to_ascii_lowercase();
            WATCHED_WORDS.iter().any(|w| k.contains(w))
        })
        .cloned()
        .collect()
}

/// Words that an attacker rarely filters on but an honest bookkeeping rule often does; used to
/// tell "forward invoices to AP" apart from "hide the bank's fraud warning".
pub fn is_detection_word(keyword: &str) -> bool {
    let k = keyword.to_ascii_lowercase();
    [
        "phish",
        "hack",
        "suspicious",
        "fraud",
        "scam",
        "spam",
        "virus",
        "compromis",
        "helpdesk",
        "security",
    ]
    .iter()
    .any(|w| k.contains(w))
}

/// Rule names that say nothing: one symbol, punctuation only, or 1–3 characters (UAL-Analyzer
/// and Elastic document 1–5; 3 keeps short honest names like "News" or "Tax" out).
pub fn is_meaningless_rule_name(name: &str) -> bool {
    let n = name.trim();
    if n.is_empty() || n.chars().all(|c| !c.is_alphanumeric()) {
        return true;
    }
    let letters: Vec<char> = n.chars().filter(|c| c.is_alphanumeric()).collect();
    if n.chars().count() <= 3 && !n.chars().any(char::is_whitespace) {
        let lower = n.to_ascii_lowercase();
        return !["tax", "hr", "it", "ceo", "cfo", "ap", "ar", "pto"].contains(&lower.as_str());
    }
    // "aaaa", "xxxxx": one repeated character.
    letters.len() >= 2
        && letters.iter().all(|c| c.eq_ignore_ascii_case(&letters[0]))
        && n.len() <= 8
}

/// Delegated or application permissions that read, send or exfiltrate mail and files
/// (Hawk tiers; detection-knowledge §3.5).
pub fn risky_scopes(scopes: &[String]) -> Vec<String> {
    scopes
        .iter()
        .filter(|s| {
            let s = s.as_str();
            s.starts_with("Mail.")
                || s == "full_access_as_app"
                || s == "EWS.AccessAsUser.All"
                || s == "IMAP.AccessAsUser.All"
                || s == "POP.AccessAsUser.All"
                || s == "SMTP.Send"
                || s.starts_with("MailboxSettings.ReadWrite")
                || s.starts_with("Files.ReadWrite.All")
                || s.starts_with("Sites.")
                || s == "Directory.ReadWrite.All"
                || s == "AppRoleAssignment.ReadWrite.All"
                || s == "RoleManagement.ReadWrite.Directory"
                || s.starts_with("Contacts.")
        })
        .cloned()
        .collect()
}

/// Mail gateways whose names show up in connector names and sender domains (Analyzer
/// ASN-Whitelist names these vendors).
pub fn is_mail_gateway_name(text: &str) -> bool {
    let t = text.to_ascii_lowercase();
    [
        "mimecast",
        "proofpoint",
        "pphosted",
        "barracuda",
        "ironport",
        "cisco",
        "zscaler",
        "trendmicro",
        "sophos",
        "messagelabs",
        "symantec",
        "forcepoint",
        "spamtitan",
        "mailguard",
        "hornetsecurity",
        "libraesva",
    ]
    .iter()
    .any(|v| t.contains(v))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rule_names() {
        let cases = [
            (".", true),
            ("..", true),
            (",", true),
            ("a", true),
            ("aa", true),
            ("aaaa", true),
            (" ", true),
            ("News", false),
            ("Receipts", false),
            ("Tax", false),
            ("Teams notifications", false),
            ("Invoices to AP", false),
        ];
        for (name, want) in cases {
            assert_eq!(is_meaningless_rule_name(name), want, "rule name {name:?}");
        }
    }

    #[test]
    fn scripted_agents() {
        let cases = [
            ("axios/1.7.9", Some("axios")),
            ("python-requests/2.32.3", Some("python-requests")),
            ("Go-http-client/1.1", Some("go-http-client")),
            ("okhttp/4.12.0", Some("okhttp")),
            ("node", Some("node")),
            (
                "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36",
                None,
            ),
            ("Outlook-iOS/2.0", None),
            ("python/3.12.10 (Windows-11) msal-python", None),
        ];
        for (ua, want) in cases {
            assert_eq!(scripted_agent(ua), want, "user agent {ua:?}");
        }
    }

    #[test]
    fn hiding_folders() {
        for f in [
            "RSS Subscriptions",
            "Archive",
            "Conversation History",
            "\\RSS Feeds",
        ] {
            assert!(is_hiding_folder(f), "{f}");
        }
        for f in ["Receipts", "Newsletters", "Notifications", ""] {
            assert!(!is_hiding_folder(f), "{f}");
        }
    }
}
