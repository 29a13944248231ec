//! Integration tests live in one directory per program (`tests/<program>/`), one file per
//! instruction. This library holds the bodies of the tests every program shares
//! ([`authority`]: `initialize` by the upgrade authority only, the two-step admin handover and
//! guardian rotation), generic over the program; [`authority_tests!`] runs them under each
//! program's test binary.
pub mod authority;

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
