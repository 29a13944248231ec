//! Upgrade-authority gate for `initialize` and two-step admin handover.
