//! The generator's only source of randomness: one seeded PRNG per concern, so adding records of
//! one kind never shifts the values drawn for another (and snapshots stay comparable across
//! versions of the generator for unchanged features).

use chrono::Duration;
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};

/// A seeded random stream with the draws the generator needs.
pub(crate) struct Gen {
    rng: StdRng,
}

impl Gen {
    /// The stream for `label` under `seed`: independent of every other label's stream.
    pub(crate) fn new(seed: u64, label: &str) -> Self {
        // FNV-1a over the label, mixed into the seed; StdRng's seed_from_u64 then spreads it.
        let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
        for byte in label.bytes() {
            hash ^= u64::from(byte);
            hash = hash.wrapping_mul(0x0100_0000_01b3);
        }
        Gen {
            rng: StdRng::seed_from_u64(seed ^ hash.rotate_left(17)),
        }
    }

    /// A child stream, e.g. one per user, so users do not share draws.
    pub(crate) fn fork(&mut self, label: &str) -> Gen {
        let seed = self.rng.gen::<u64>();
        Gen::new(seed, label)
    }

    pub(crate) fn below(&mut self, n: usize) -> usize {
        if n == 0 {
            0
        } else {
            self.rng.gen_range(0..n)
        }
    }

    pub(crate) fn range(&mut self, low: i64, high_inclusive: i64) -> i64 {
        if high_inclusive <= low {
            low
        } else {
            self.rng.gen_range(low..=high_inclusive)
        }
    }

    pub(crate) fn unit(&mut self) -> f64 {
        self.rng.gen::<f64>()
    }

    pub(crate) fn chance(&mut self, probability: f64) -> bool {
        self.unit() < probability
    }

    pub(crate) fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        let index = self.below(items.len());
        &items[index]
    }

    /// An index drawn with the given weights (all zero: the first).
    pub(crate) fn weighted(&mut self, weights: &[f64]) -> usize {
        let total: f64 = weights.iter().sum();
        let mut point = self.unit() * total;
        for (index, weight) in weights.iter().enumerate() {
            if point < *weight {
                return index;
            }
            point -= weight;
        }
        0
    }

    /// Poisson-distributed count with mean `mean` (Knuth for small means, normal beyond).
    pub(crate) fn poisson(&mut self, mean: f64) -> usize {
        if mean <= 0.0 {
            return 0;
        }
        if mean > 30.0 {
            let normal = (-2.0 * self.unit().max(1e-12).ln()).sqrt()
                * (std::f64::consts::TAU * self.unit()).cos();
            return (mean + normal * mean.sqrt()).round().max(0.0) as usize;
        }
        let limit = (-mean).exp();
        let mut product = self.unit();
        let mut count = 0;
        while product > limit {
            product *= self.unit();
            count += 1;
        }
        count
    }

    /// A random version-4 GUID, lower case, as Entra writes object ids.
    pub(crate) fn guid(&mut self) -> String {
        let mut bytes: [u8; 16] = self.rng.gen();
        bytes[6] = (bytes[6] & 0x0f) | 0x40;
        bytes[8] = (bytes[8] & 0x3f) | 0x80;
        let hex: String = bytes.iter().map(|b| format!("{b:02x}")).collect();
        format!(
            "{}-{}-{}-{}-{}",
            &hex[0..8],
            &hex[8..12],
            &hex[12..16],
            &hex[16..20],
            &hex[20..32]
        )
    }

    /// `len` characters of base64url (token identifiers, grant ids).
    pub(crate) fn base64url(&mut self, len: usize) -> String {
        const ALPHABET: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
        (0..len)
            .map(|_| char::from(ALPHABET[self.below(ALPHABET.len())]))
            .collect()
    }

    /// Upper-case hex digits (PUIDs, Exchange server names).
    pub(crate) fn hex_upper(&mut self, len: usize) -> String {
        (0..len)
            .map(|_| char::from(b"0123456789ABCDEF"[self.below(16)]))
            .collect()
    }

    /// A sub-second fraction at 100 ns resolution, for times built from whole seconds.
    pub(crate) fn ticks(&mut self) -> Duration {
        Duration::nanoseconds(self.rng.gen_range(0..10_000_000_i64) * 100)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn labels_give_independent_reproducible_streams() {
        let first: Vec<String> = (0..3).map(|_| Gen::new(7, "users").guid()).collect();
        assert_eq!(first[0], first[1], "same seed and label must repeat");
        let mut users = Gen::new(7, "users");
        let mut signins = Gen::new(7, "signins");
        assert_ne!(users.guid(), signins.guid());
        assert_ne!(Gen::new(8, "users").guid(), first[0]);
    }

    #[test]
    fn guids_are_version_4() {
        let mut gen = Gen::new(1, "guid");
        for _ in 0..100 {
            let guid = gen.guid();
            assert_eq!(guid.len(), 36);
            assert_eq!(&guid[14..15], "4");
            assert!(matches!(&guid[19..20], "8" | "9" | "a" | "b"), "{guid}");
        }
    }

    #[test]
    fn poisson_mean_is_close() {
        let mut gen = Gen::new(3, "poisson");
        for mean in [0.5, 4.0, 60.0] {
            let total: usize = (0..4000).map(|_| gen.poisson(mean)).sum();
            let observed = total as f64 / 4000.0;
            assert!(
                (observed - mean).abs() < mean * 0.1 + 0.05,
                "{mean} vs {observed}"
            );
        }
    }
}
