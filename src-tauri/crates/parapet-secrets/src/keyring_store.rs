use crate::{SecretsError, Sensitive};

/// One keyring call at a time in this process. The Secret Service answers concurrent calls of
/// one client unreliably (CI saw "no result found" for a value just written by another
/// thread), and the OS keyring is a process-wide resource anyway; the calls are short.
static ONE_CALL_AT_A_TIME: std::sync::Mutex<()> = std::sync::Mutex::new(());

fn exclusive() -> std::sync::MutexGuard<'static, ()> {
    ONE_CALL_AT_A_TIME
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner)
}

/// Where one secret lives in the keyring: a service namespace plus an account name.
///
/// Names are not secret (e.g. `tenant:<id>:client-secret`); only the stored value is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SecretKey(String);

impl SecretKey {
    /// A key with a free-form, non-secret name.
    pub fn new(name: impl Into<String>) -> Self {
        Self(name.into())
    }

    /// The key's name as stored in the keyring.
    pub fn name(&self) -> &str {
        &self.0
    }
}

/// The OS keyring (Secret Service on Linux, Keychain on macOS, Credential Manager on Windows).
///
/// Every entry is namespaced under `service`, so the demo workspace and tests never touch a
/// real workspace's secrets.
#[derive(Debug, Clone)]
pub struct Keyring {
    service: String,
}

impl Keyring {
    /// Opens the platform keyring under a service namespace (e.g. `app.parapet.desktop`).
    ///
    /// keyring v3 silently falls back to an in-memory mock store when no platform store is
    /// compiled in; selecting the platform builder here makes a missing store an error instead.
    pub fn open(service: impl Into<String>) -> Self {
        Self {
            service: service.into(),
        }
    }

    /// Stores or replaces a secret.
    pub fn set(&self, key: &SecretKey, value: &Sensitive<String>) -> Result<(), SecretsError> {
        let _one = exclusive();
        self.entry(key)?
            .set_password(value.expose())
            .map_err(|e| map_error(key, e))
    }

    /// Returns a secret, or `None` when no such entry exists.
    pub fn get(&self, key: &SecretKey) -> Result<Option<Sensitive<String>>, SecretsError> {
        let _one = exclusive();
        match self.entry(key)?.get_password() {
            Ok(value) => Ok(Some(Sensitive::new(value))),
            Err(keyring::Error::NoEntry) => Ok(None),
            Err(e) => Err(map_error(key, e)),
        }
    }

    /// Removes a secret; removing a missing one is not an error.
    pub fn delete(&self, key: &SecretKey) -> Result<(), SecretsError> {
        let _one = exclusive();
        match self.entry(key)?.delete_credential() {
            Ok(()) | Err(keyring::Error::NoEntry) => Ok(()),
            Err(e) => Err(map_error(key, e)),
        }
    }

    /// Writes, reads back and deletes a probe entry: proves the store really persists.
    ///
    /// Each call uses its own entry: two concurrent checks sharing one would delete each
    /// other's probe between write and read-back and report a working keyring as broken.
    pub fn check(&self) -> Result<(), SecretsError> {
        static NEXT_PROBE: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);
        let serial = NEXT_PROBE.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        let probe = SecretKey::new(format!(
            "parapet-keyring-probe-{}-{serial}",
            std::process::id()
        ));
        self.set(&probe, &Sensitive::new("probe".to_string()))?;
        // Removed whatever the read-back says, so a failing check leaves no entry behind.
        let read = self.get(&probe);
        self.delete(&probe)?;
        match read? {
            Some(value) if value.expose() == "probe" => Ok(()),
            _ => Err(SecretsError::Unavailable(
                "a stored value could not be read back".into(),
            )),
        }
    }

    fn entry(&self, key: &SecretKey) -> Result<keyring::Entry, SecretsError> {
        keyring::Entry::new(&self.service, key.name()).map_err(|e| map_error(key, e))
    }
}

fn map_error(key: &SecretKey, error: keyring::Error) -> SecretsError {
    match error {
        keyring::Error::PlatformFailure(e) => SecretsError::Unavailable(e.to_string()),
        keyring::Error::NoStorageAccess(e) => SecretsError::AccessDenied(e.to_string()),
        other => SecretsError::Keyring {
            key: key.name().to_string(),
            reason: other.to_string(),
        },
    }
}
