//! `TestEnv::send_expect_error` on oracle instructions: every program numbers its errors from
//! 6000, so the assertion must check which program failed, and at which instruction.
use anchor_lang::error::ErrorCode;
use receivables::errors::ReceivablesError;
use rwa_oracle::errors::OracleError;
use rwa_testkit::{
    authority::program_data_address, failing_program, oracle::*, prelude::*, registry,
};

/// A receivables instruction that fails `ReceivablesError::InvalidGuardian` (6000, the number
/// of `OracleError::InvalidStaleness`).
async fn receivables_failure(fx: &mut OracleFixture) -> Instruction {
    let admin = fx.admin.pubkey();
    fx.env.set_upgrade_authority(&receivables::ID, &admin);
    let program_data = program_data_address(&receivables::ID);
    let ix = registry::initialize_ix(&admin, &program_data, Pubkey::default());
    let same_number = (ReceivablesError::InvalidGuardian, OracleError::InvalidStaleness);
    assert_eq!((u32::from(same_number.0), u32::from(same_number.1)), (6000, 6000));
    ix
}

#[tokio::test]
async fn the_failing_program_is_read_from_the_runtime_log_of_a_native_builtin() {
    let mut fx = OracleFixture::new().await;
    let failure = fx.env.send_expect_failure(&[read_feed_ix(&fx.feed_id, 600)], &[]).await;
    assert_eq!(failing_program(&failure.logs), Some(rwa_oracle::ID));
    let ix = receivables_failure(&mut fx).await;
    let admin = fx.admin.insecure_clone();
    let failure = fx.env.send_expect_failure(&[ix], &[&admin]).await;
    assert_eq!(failing_program(&failure.logs), Some(receivables::ID));
    failure.assert_error(0, receivables::ID, ReceivablesError::InvalidGuardian);
}

#[tokio::test]
#[should_panic(expected = "raised by program 26qb6MRuvoqQN4gKJ7nBES5roEGnNSUxohSs7LmXuQNy, \
                           but program 8xeUKRHnR97J61AKMwnFf3CR4hYCfMhRkNG729fUwspR raised")]
async fn another_programs_error_with_the_same_number_does_not_satisfy_the_assertion() {
    let mut fx = OracleFixture::new().await;
    let ix = receivables_failure(&mut fx).await;
    let admin = fx.admin.insecure_clone();
    fx.env.send_expect_error(&[ix], &[&admin], OracleError::InvalidStaleness).await;
}

#[tokio::test]
async fn the_same_failure_satisfies_the_assertion_for_the_program_that_raised_it() {
    let mut fx = OracleFixture::new().await;
    let ix = receivables_failure(&mut fx).await;
    let admin = fx.admin.insecure_clone();
    fx.env.send_expect_error(&[ix], &[&admin], ReceivablesError::InvalidGuardian).await;
}

#[tokio::test]
#[should_panic(expected = "from instruction 1, but instruction 0 failed")]
async fn by_default_the_last_instruction_must_be_the_one_that_fails() {
    let mut fx = OracleFixture::new().await;
    let id = fx.feed_id;
    let ixs = [read_feed_ix(&id, 600), set_paused_ix(&fx.admin.pubkey(), false)];
    let admin = fx.admin.insecure_clone();
    fx.env.send_expect_error(&ixs, &[&admin], OracleError::TooFewPublishers).await;
}

#[tokio::test]
async fn an_earlier_instruction_is_named_by_its_index() {
    let mut fx = OracleFixture::new().await;
    let id = fx.feed_id;
    let ixs = [read_feed_ix(&id, 600), set_paused_ix(&fx.admin.pubkey(), false)];
    let admin = fx.admin.insecure_clone();
    fx.env.send_expect_error_at(&ixs, &[&admin], 0, OracleError::TooFewPublishers).await;
}

#[tokio::test]
#[should_panic(expected = "raised by program 8xeUKRHnR97J61AKMwnFf3CR4hYCfMhRkNG729fUwspR, \
                           but program 26qb6MRuvoqQN4gKJ7nBES5roEGnNSUxohSs7LmXuQNy raised")]
async fn an_anchor_error_is_expected_from_the_program_of_the_failing_instruction() {
    // the oracle refuses a non-admin with ConstraintHasOne; naming the program explicitly as
    // receivables must fail, as inferring it from the instruction (the oracle) passes
    let mut fx = OracleFixture::new().await;
    let p = fx.publishers[0].insecure_clone();
    let ix = confirm_ix(&p.pubkey(), &fx.feed_id);
    fx.env.send_expect_error(std::slice::from_ref(&ix), &[&p], ErrorCode::ConstraintHasOne).await;
    fx.env
        .send_expect_error_from(&[ix], &[&p], 0, receivables::ID, ErrorCode::ConstraintHasOne)
        .await;
}
