//! The time, and fresh ids and secrets.

use lapor_domain::TrackingId;
use time::OffsetDateTime;
use ulid::Ulid;

/// The time.
pub trait Clock: Send + Sync {
    fn now(&self) -> OffsetDateTime;
}

#[derive(Clone, Copy, Debug, Default)]
pub struct SystemClock;

impl Clock for SystemClock {
    fn now(&self) -> OffsetDateTime {
        OffsetDateTime::now_utc()
    }
}

/// Fresh ids and secrets.
pub trait Ids: Send + Sync {
    /// A new ULID.
    fn ulid(&self) -> Ulid;
    /// A tracking number drawn from [`TrackingId::RANGE`].
    fn tracking_number(&self) -> u64;
    /// `n` bytes from a cryptographically secure generator.
    fn secret(&self, n: usize) -> Vec<u8>;
}

/// Ids from the operating system's random generator.
#[derive(Clone, Copy, Debug, Default)]
pub struct RandomIds;

impl Ids for RandomIds {
    fn ulid(&self) -> Ulid {
        // Monotonic within the process: the entries and messages of one change, made in the
        // same millisecond, sort in the order they were made (notifications list by id).
        static GENERATOR: std::sync::Mutex<ulid::Generator> =
            std::sync::Mutex::new(ulid::Generator::new());
        let mut generator = GENERATOR
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        // It fails only past 2^80 ids in one millisecond.
        generator.generate().unwrap_or_else(|_| Ulid::generate())
    }

    fn tracking_number(&self) -> u64 {
        use rand::Rng;
        rand::rng().random_range(TrackingId::RANGE)
    }

    fn secret(&self, n: usize) -> Vec<u8> {
        use rand::RngCore;
        // The thread generator is a CSPRNG seeded (and reseeded) from the operating system.
        let mut bytes = vec![0; n];
        rand::rng().fill_bytes(&mut bytes);
        bytes
    }
}
