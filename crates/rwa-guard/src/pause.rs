//! Who may pause and unpause: the guardian or the admin pause at once; only the admin (the
//! governance timelock in production) unpauses.

/// Whether `signer` may set a program's pause flag to `paused`.
pub fn may_set_pause<K: PartialEq>(signer: &K, admin: &K, guardian: &K, paused: bool) -> bool {
    signer == admin || (paused && signer == guardian)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_guardian_only_pauses_and_the_admin_does_both() {
        let (admin, guardian, other) = (1, 2, 3);
        assert!(may_set_pause(&admin, &admin, &guardian, true));
        assert!(may_set_pause(&admin, &admin, &guardian, false));
        assert!(may_set_pause(&guardian, &admin, &guardian, true));
        assert!(!may_set_pause(&guardian, &admin, &guardian, false));
        assert!(!may_set_pause(&other, &admin, &guardian, true));
    }
}
