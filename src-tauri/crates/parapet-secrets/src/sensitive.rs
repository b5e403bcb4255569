use std::fmt;

/// A value that must never be printed, logged or persisted outside the keyring.
///
/// Serializing it is a bug: it fails with an error rather than writing the value, so a struct
/// holding a `Sensitive` cannot be written to SQLite, an export or an IPC reply by mistake.
#[derive(Clone, Default, PartialEq, Eq)]
pub struct Sensitive<T>(T);

impl<T> Sensitive<T> {
    /// Wraps a secret value.
    pub fn new(value: T) -> Self {
        Self(value)
    }

    /// The secret itself; every call site is a place where the secret leaves protection.
    pub fn expose(&self) -> &T {
        &self.0
    }

    /// Unwraps the secret, for handing it to the keyring or the one screen that shows it.
    pub fn into_inner(self) -> T {
        self.0
    }
}

impl<T> From<T> for Sensitive<T> {
    fn from(value: T) -> Self {
        Self(value)
    }
}

impl<T> fmt::Debug for Sensitive<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("<redacted>")
    }
}

impl<T> fmt::Display for Sensitive<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("<redacted>")
    }
}

impl<T> serde::Serialize for Sensitive<T> {
    fn serialize<S: serde::Serializer>(&self, _serializer: S) -> Result<S::Ok, S::Error> {
        Err(serde::ser::Error::custom(
            "a Sensitive value cannot be serialized",
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::Sensitive;

    #[test]
    fn debug_and_display_redact() {
        let secret = Sensitive::new(String::from("hunter2-token"));
        assert_eq!(format!("{secret:?}"), "<redacted>");
        assert_eq!(format!("{secret}"), "<redacted>");
        #[derive(Debug)]
        #[allow(dead_code)]
        struct Holder {
            token: Sensitive<String>,
        }
        let printed = format!("{:?}", Holder { token: secret });
        assert!(!printed.contains("hunter2"), "{printed}");
    }

    #[test]
    fn serialization_is_refused() {
        let secret = Sensitive::new("p@ss".to_string());
        let error = serde_json::to_string(&secret).unwrap_err();
        assert!(!error.to_string().contains("p@ss"));
        #[derive(serde::Serialize)]
        struct Holder {
            secret: Sensitive<String>,
        }
        assert!(serde_json::to_value(Holder { secret }).is_err());
    }

    #[test]
    fn expose_gives_the_value() {
        let secret = Sensitive::from(vec![1u8, 2, 3]);
        assert_eq!(secret.expose(), &vec![1, 2, 3]);
        assert_eq!(secret.into_inner(), vec![1, 2, 3]);
    }
}
