//! rwa-oracle integration tests, one module per instruction, on `rwa_testkit::oracle`.
mod accept_admin;
mod audit_probes;
mod confirm_held_value;
mod create_feed;
mod harness;
mod initialize;
mod manage_publisher;
mod propose_admin;
mod read_feed;
mod read_grade_risk;
mod read_pyth_price;
mod set_feed_paused;
mod set_grade;
mod set_guardian;
mod set_paused;
mod submit_observation;
