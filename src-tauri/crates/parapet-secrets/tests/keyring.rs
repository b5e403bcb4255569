//! Round trip through the real OS keyring (Secret Service under the README's test command).

use parapet_secrets::{Keyring, SecretKey, SecretsError, Sensitive};
use parapet_testkit::in_ci;

#[test]
fn secret_round_trips_through_the_os_keyring() {
    let keyring = Keyring::open(format!("app.parapet.test.{}", std::process::id()));
    if let Err(error @ (SecretsError::Unavailable(_) | SecretsError::AccessDenied(_))) =
        keyring.check()
    {
        assert!(
            !in_ci(),
            "the OS keyring is required in CI: {error}; run ./dev test"
        );
        eprintln!("KEYRING TEST NOT RUN (outside CI): {error}; run ./dev test");
        return;
    }
    let key = SecretKey::new("tenant:contoso:client-secret");
    let secret = Sensitive::new("s3cr3t-value~with.chars".to_string());
    keyring.set(&key, &secret).unwrap();
    assert_eq!(
        keyring.get(&key).unwrap().unwrap().expose(),
        secret.expose()
    );
    keyring
        .set(&key, &Sensitive::new("rotated".into()))
        .unwrap();
    assert_eq!(keyring.get(&key).unwrap().unwrap().expose(), "rotated");
    keyring.delete(&key).unwrap();
    assert!(keyring.get(&key).unwrap().is_none());
    keyring.delete(&key).unwrap();
}

/// Test binaries run their tests on parallel threads, each probing the keyring first; the
/// probes must not trip over each other (CI once failed on exactly that).
#[test]
fn concurrent_checks_on_one_keyring_all_succeed() {
    let keyring = std::sync::Arc::new(Keyring::open(format!(
        "app.parapet.test.concurrent.{}",
        std::process::id()
    )));
    if let Err(error @ (SecretsError::Unavailable(_) | SecretsError::AccessDenied(_))) =
        keyring.check()
    {
        assert!(
            !in_ci(),
            "the OS keyring is required in CI: {error}; run ./dev test"
        );
        eprintln!("KEYRING TEST NOT RUN (outside CI): {error}; run ./dev test");
        return;
    }
    let threads: Vec<_> = (0..8)
        .map(|_| {
            let keyring = keyring.clone();
            std::thread::spawn(move || (0..5).try_for_each(|_| keyring.check()))
        })
        .collect();
    for thread in threads {
        thread.join().unwrap().unwrap();
    }
}
