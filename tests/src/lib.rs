//! Integration tests live in one directory per program (`tests/<program>/`), one file per
//! instruction. This library holds the bodies of the tests every program shares
//! ([`authority`]: `initialize` by the upgrade authority only, the two-step admin handover and
//! guardian rotation), generic over the program; [`authority_tests!`] runs them under each
//! program's test binary.
pub mod authority;

/// A small deterministic generator (64-bit LCG) for the random-sequence tests, so that every run
/// of a seed is the same.
pub struct Lcg(pub u64);

impl Lcg {
    /// The next value in `0..bound` (`0` when `bound` is zero).
    pub fn next(&mut self, bound: u64) -> u64 {
        self.0 =
            self.0.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1_442_695_040_888_963_407);
        (self.0 >> 33) % bound.max(1)
    }
}

/// Declares one `#[tokio::test]` per name, running the generic test of the same name in
/// [`authority`] on `$program` (an `rwa_testkit::authority::Administered` marker):
///
/// ```text
/// rwa_integration_tests::authority_tests!(RwaOracle: accept_admin_with_nothing_pending_is_refused);
/// ```
#[macro_export]
macro_rules! authority_tests {
    ($program:ty: $($test:ident),+ $(,)?) => {
        $(
            #[tokio::test]
            async fn $test() {
                $crate::authority::$test::<$program>().await;
            }
        )+
    };
}
