//! `propose_admin`: the admin offers its role; the generic bodies are in
//! `rwa_integration_tests::authority`.
use rwa_testkit::authority::RwaOracle;

rwa_integration_tests::authority_tests!(RwaOracle:
    propose_admin_offers_the_role_and_the_admin_keeps_it,
    propose_admin_by_anyone_but_the_admin_is_refused,
    proposing_the_default_pubkey_withdraws_the_offer,
    a_new_proposal_replaces_the_earlier_one,
);
