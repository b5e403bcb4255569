use crate::support::{everything, generate, written_files};

#[test]
fn same_seed_gives_byte_identical_files_and_truth() {
    let first = generate(&everything(7));
    let second = generate(&everything(7));
    assert_eq!(first.truth, second.truth);
    let (a, b) = (
        written_files(&first.snapshot),
        written_files(&second.snapshot),
    );
    assert_eq!(a.len(), b.len());
    for ((name, left), (_, right)) in a.iter().zip(&b) {
        assert!(
            left == right,
            "{name} differs between two runs with the same seed"
        );
    }
}

#[test]
fn different_seeds_give_different_tenants() {
    let first = generate(&everything(7));
    let second = generate(&everything(8));
    for name in [
        "users.json",
        "signIns.json",
        "auditRecords.json",
        "tenant.json",
    ] {
        let a = written_files(&first.snapshot)
            .into_iter()
            .find(|(n, _)| n == name)
            .unwrap()
            .1;
        let b = written_files(&second.snapshot)
            .into_iter()
            .find(|(n, _)| n == name)
            .unwrap()
            .1;
        assert_ne!(a, b, "{name} should depend on the seed");
    }
}
