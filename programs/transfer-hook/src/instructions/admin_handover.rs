//! Admin role: `propose_admin`, `accept_admin` (two-step handover) and `set_guardian`, as every
//! program has them (`rwa_guard::admin_handover!`).
use crate::{seeds, state::HookConfig};

rwa_guard::admin_handover!(HookConfig, seeds::CONFIG);
