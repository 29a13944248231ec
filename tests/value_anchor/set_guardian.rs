//! `set_guardian`: the admin rotates the guardian; the generic bodies are in
//! `rwa_integration_tests::authority`.
use rwa_testkit::authority::ValueAnchor;

rwa_integration_tests::authority_tests!(ValueAnchor:
    set_guardian_replaces_the_guardian,
    set_guardian_by_anyone_but_the_admin_is_refused,
    set_guardian_refuses_the_default_pubkey,
);
