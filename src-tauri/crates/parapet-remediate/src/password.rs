//! Strong one-time passwords from the operating system's random source.

use parapet_secrets::Sensitive;
use rand::rngs::OsRng;
use rand::seq::SliceRandom;
use rand::Rng;

/// Length of generated passwords (Entra allows up to 256).
pub const PASSWORD_LENGTH: usize = 20;

const UPPER: &[u8] = b"ABCDEFGHJKLMNPQRSTUVWXYZ";
const LOWER: &[u8] = b"abcdefghijkmnopqrstuvwxyz";
const DIGITS: &[u8] = b"23456789";
// Symbols Entra accepts; quotes, backslash and space are left out so the password can be read
// out over the phone and pasted anywhere.
const SYMBOLS: &[u8] = b"!@#$%^&*-_=+?.";

/// A new password of [`PASSWORD_LENGTH`] characters with at least one upper-case letter,
/// lower-case letter, digit and symbol, drawn from [`OsRng`].
pub fn generate_password() -> Sensitive<String> {
    let mut rng = OsRng;
    let classes = [UPPER, LOWER, DIGITS, SYMBOLS];
    let all: Vec<u8> = classes.concat();
    let mut chars: Vec<u8> = classes
        .iter()
        .map(|class| class[rng.gen_range(0..class.len())])
        .collect();
    while chars.len() < PASSWORD_LENGTH {
        chars.push(all[rng.gen_range(0..all.len())]);
    }
    chars.shuffle(&mut rng);
    Sensitive::new(chars.into_iter().map(char::from).collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_password_has_all_classes_and_they_differ() {
        let mut seen = std::collections::HashSet::new();
        for _ in 0..200 {
            let p = generate_password().into_inner();
            assert_eq!(p.len(), PASSWORD_LENGTH);
            for class in [UPPER, LOWER, DIGITS, SYMBOLS] {
                assert!(p.bytes().any(|b| class.contains(&b)), "{p} lacks a class");
            }
            assert!(seen.insert(p));
        }
    }
}
