//! `accept_admin`: the proposed key takes the admin role; the generic bodies are in
//! `rwa_integration_tests::authority`.
use rwa_testkit::authority::DcfPricer;

rwa_integration_tests::authority_tests!(DcfPricer:
    accept_admin_hands_the_role_to_the_proposed_key,
    accept_admin_by_anyone_but_the_proposed_key_is_refused,
    accept_admin_with_nothing_pending_is_refused,
    the_former_admin_loses_every_power_after_accept,
);
