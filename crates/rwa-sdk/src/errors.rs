//! Error decoding: an Anchor error number raised in a program's frame to the error's program,
//! name and message.
//!
//! Every protocol program numbers its own errors in its own range (rwa-oracle and receivables
//! from 6000, dcf-pricer 6400, value-anchor 6600, buyback-reserve 6800, transfer-hook 7000;
//! the shared
//! `rwa_guard::GuardError` from 9000; Anchor's framework errors below 6000), and a program that
//! reads another program's state in-process raises that program's errors too (docs/DESIGN.md,
//! point 8). [`decode_error`] therefore looks a number up in every enum that can meet in the
//! frame of the program given: e.g. 6403 in value-anchor's frame is dcf-pricer's
//! `PricerPaused`.
//!
//! The tables list every variant of every enum; each table also holds an exhaustive `match`
//! over its enum, so a variant added to a program fails to compile here until it is listed.
use anchor_lang::prelude::Pubkey;
use solana_sdk::{instruction::InstructionError, transaction::TransactionError};

/// One decoded error.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DecodedError {
    /// The program whose error enum defines it: `rwa-oracle`, `receivables`, `dcf-pricer`,
    /// `value-anchor`, `buyback-reserve`, `rwa-guard` (the shared checks) or `anchor` (the
    /// framework's `ErrorCode`).
    pub program: &'static str,
    /// The error number.
    pub code: u32,
    /// The variant's name, e.g. `EpochBudgetExceeded`.
    pub name: String,
    /// The variant's message (`#[msg]`).
    pub message: String,
}

impl std::fmt::Display for DecodedError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}::{} ({}): {}", self.program, self.name, self.code, self.message)
    }
}

/// One error enum's lookup: its program name and a number-to-variant function.
struct Table {
    program: &'static str,
    lookup: fn(u32) -> Option<(String, String)>,
}

impl Table {
    fn decode(&self, code: u32) -> Option<DecodedError> {
        let (name, message) = (self.lookup)(code)?;
        Some(DecodedError { program: self.program, code, name, message })
    }
}

/// Defines `$fn(code) -> Option<(name, message)>` over every listed variant of `$enum`, with
/// an exhaustive match that stops compilation when the enum gains a variant not listed.
macro_rules! error_table {
    ($fn:ident, $enum:path, [$($variant:ident),* $(,)?]) => {
        fn $fn(code: u32) -> Option<(String, String)> {
            use $enum as E;
            #[allow(dead_code)]
            fn exhaustive(e: E) {
                match e {
                    $(E::$variant)|* => {}
                }
            }
            [$(E::$variant),*]
                .into_iter()
                .find(|e| u32::from(*e) == code)
                .map(|e| (e.name(), e.to_string()))
        }
    };
}

error_table!(
    oracle,
    rwa_oracle::errors::OracleError,
    [
        InvalidStaleness,
        InvalidMinPublishers,
        InvalidGuardian,
        InvalidFeedParams,
        Unauthorized,
        UnauthorizedPublisher,
        PublisherAlreadyAdded,
        PublisherNotFound,
        TooManyPublishers,
        FeedPaused,
        FutureTimestamp,
        ObservationNotNewer,
        StaleObservation,
        ValueOutOfBounds,
        ConfidenceTooWide,
        StaleFeed,
        TooFewPublishers,
        DeviationTooLarge,
        NothingPending,
        FeedKindMismatch,
        PythFeedMismatch,
        PythNotFullyVerified,
        NonPositivePrice,
        InvalidWriteDown,
        InvalidGrade,
        MathOverflow,
        SingleSourceFeed,
        FeedStateInconsistent,
    ]
);

error_table!(
    receivables,
    receivables::errors::ReceivablesError,
    [
        InvalidGuardian,
        Paused,
        InvalidIssuerLimits,
        IssuerNotApproved,
        PoolLimitReached,
        FaceValueLimitExceeded,
        InvalidScheduleLength,
        ScheduleNotSorted,
        ZeroCashFlow,
        ScheduleBelowFaceValue,
        InvalidUnitSize,
        InvalidGrade,
        UriTooLong,
        InvalidPoolStatus,
        NotPoolIssuer,
        OverMint,
        ServicerNotApproved,
        NotPoolServicer,
        Unauthorized,
        ZeroAmount,
        RepaymentExceedsOutstanding,
        WriteDownExceedsOutstanding,
        NothingOverdue,
        InvalidRedeemAmount,
        RedemptionRoundsToZero,
        MathOverflow,
        CurrencyNotAccepted,
        CurrencyAlreadyAccepted,
        TooManyCurrencies,
        ScheduleAlreadyDue,
        NothingReceived,
        GracePeriodNotOver,
        SameServicer,
        ScheduleNotDayAligned,
        ScheduleAboveFaceBound,
        InvalidPoolData,
        InvalidUnitMetadata,
        PermissionedUnitsNeedToken2022,
        TransferHookAccountsMissing,
        UnitHolderNotAllowed,
    ]
);

error_table!(
    hook,
    transfer_hook::errors::HookError,
    [
        InvalidGuardian,
        Unauthorized,
        AttestorNotApproved,
        InvalidExpiry,
        InvalidJurisdiction,
        AlreadyRevoked,
        MintNotHooked,
        NotMintAuthority,
        NotTransferring,
        TokenAccountMismatch,
        NotAttested,
        AttestationExpired,
        AttestationRevoked,
        InvalidState,
        SameAttestor,
        InvalidHolder,
        DestinationOwnerMutable,
    ]
);

error_table!(
    pricer,
    dcf_pricer::errors::PricerError,
    [
        InvalidRateAge,
        InvalidGuardian,
        Unauthorized,
        PricerPaused,
        InvalidPricingParams,
        GradeMismatch,
        BenchmarkFeedMismatch,
        FeedKindMismatch,
        VaultMismatch,
        UnitMintMismatch,
        PoolNotPriceable,
        NoUnitsOutstanding,
        RiskInputOutOfRange,
        ValuationFailed,
        NeverRefreshed,
        StaleRate,
        PoolNotExitable,
        PriceAboveComputed,
        MathOverflow,
        PoolChangedSinceRefresh,
        PoolMismatch,
    ]
);

error_table!(
    value_anchor,
    value_anchor::errors::AnchorTokenError,
    [
        UnsupportedReserveDecimals,
        FeeTooHigh,
        InvalidGuardian,
        InvalidParams,
        Unauthorized,
        Paused,
        CurrencyMismatch,
        PricingMismatch,
        TooManyPools,
        IntakeStopped,
        SlippageExceeded,
        PoolCeilingExceeded,
        GlobalCeilingExceeded,
        CapacityExceeded,
        StaleBacking,
        Undercollateralised,
        PsmSideHalted,
        InsufficientStableReserve,
        InvalidAmount,
        RoundsToZero,
        PoolNotCollectable,
        NothingOwed,
        AccountMismatch,
        NothingReceived,
        MathOverflow,
        PoolAccountsMissing,
        PoolInDefault,
        NoShortfall,
        NoFeeRecipient,
        NothingToSweep,
        AnchorTokenProgramMismatch,
        InvalidAnchorName,
        InvalidAnchorSymbol,
        InvalidAnchorUri,
        AnchorMetadataNeedsToken2022,
    ]
);

error_table!(
    reserve,
    buyback_reserve::errors::ReserveError,
    [
        InvalidExitCurve,
        InvalidGuardian,
        InvalidParams,
        Unauthorized,
        Paused,
        AccountMismatch,
        CurrencyMismatch,
        TooManyPools,
        PoolAccountsMissing,
        StaleHolding,
        EpochBudgetExceeded,
        PoolCapExceeded,
        BidBudgetExceeded,
        InsufficientCash,
        SlippageExceeded,
        InvalidAmount,
        RoundsToZero,
        FirstDepositTooSmall,
        NoExitRequested,
        CooldownActive,
        WindowClosed,
        ExitsFrozen,
        ClaimPending,
        PoolNotCollectable,
        NothingOwed,
        PoolInDefault,
        ProtocolTokenExists,
        NoProtocolToken,
        NothingReceived,
        MathOverflow,
        StableRedemptionAvailable,
        AnchorTokenProgramMismatch,
    ]
);

error_table!(
    guard,
    rwa_guard::GuardError,
    [
        UnsafeMintExtension,
        NotAMint,
        NotUpgradeAuthority,
        InvalidProgramData,
        ProgramImmutable,
        NotAdmin,
        NotPendingAdmin,
        NoPendingAdmin,
    ]
);

error_table!(
    framework,
    anchor_lang::error::ErrorCode,
    [
        InstructionMissing,
        InstructionFallbackNotFound,
        InstructionDidNotDeserialize,
        InstructionDidNotSerialize,
        IdlInstructionStub,
        IdlInstructionInvalidProgram,
        IdlAccountNotEmpty,
        EventInstructionStub,
        ConstraintMut,
        ConstraintHasOne,
        ConstraintSigner,
        ConstraintRaw,
        ConstraintOwner,
        ConstraintRentExempt,
        ConstraintSeeds,
        ConstraintExecutable,
        ConstraintState,
        ConstraintAssociated,
        ConstraintAssociatedInit,
        ConstraintClose,
        ConstraintAddress,
        ConstraintZero,
        ConstraintTokenMint,
        ConstraintTokenOwner,
        ConstraintMintMintAuthority,
        ConstraintMintFreezeAuthority,
        ConstraintMintDecimals,
        ConstraintSpace,
        ConstraintAccountIsNone,
        ConstraintTokenTokenProgram,
        ConstraintMintTokenProgram,
        ConstraintAssociatedTokenTokenProgram,
        ConstraintMintGroupPointerExtension,
        ConstraintMintGroupPointerExtensionAuthority,
        ConstraintMintGroupPointerExtensionGroupAddress,
        ConstraintMintGroupMemberPointerExtension,
        ConstraintMintGroupMemberPointerExtensionAuthority,
        ConstraintMintGroupMemberPointerExtensionMemberAddress,
        ConstraintMintMetadataPointerExtension,
        ConstraintMintMetadataPointerExtensionAuthority,
        ConstraintMintMetadataPointerExtensionMetadataAddress,
        ConstraintMintCloseAuthorityExtension,
        ConstraintMintCloseAuthorityExtensionAuthority,
        ConstraintMintPermanentDelegateExtension,
        ConstraintMintPermanentDelegateExtensionDelegate,
        ConstraintMintTransferHookExtension,
        ConstraintMintTransferHookExtensionAuthority,
        ConstraintMintTransferHookExtensionProgramId,
        ConstraintDuplicateMutableAccount,
        AccountAlreadyMigrated,
        AccountNotMigrated,
        ConstraintMintPausableExtension,
        ConstraintMintPausableAuthority,
        RequireViolated,
        RequireEqViolated,
        RequireKeysEqViolated,
        RequireNeqViolated,
        RequireKeysNeqViolated,
        RequireGtViolated,
        RequireGteViolated,
        AccountDiscriminatorAlreadySet,
        AccountDiscriminatorNotFound,
        AccountDiscriminatorMismatch,
        AccountDidNotDeserialize,
        AccountDidNotSerialize,
        AccountNotEnoughKeys,
        AccountNotMutable,
        AccountOwnedByWrongProgram,
        InvalidProgramId,
        InvalidProgramExecutable,
        AccountNotSigner,
        AccountNotSystemOwned,
        AccountNotInitialized,
        AccountNotProgramData,
        AccountNotAssociatedTokenAccount,
        AccountSysvarMismatch,
        AccountReallocExceedsLimit,
        AccountDuplicateReallocs,
        DeclaredProgramIdMismatch,
        TryingToInitPayerAsProgramAccount,
        InvalidNumericConversion,
        Deprecated,
    ]
);

const ORACLE: Table = Table { program: "rwa-oracle", lookup: oracle };
const RECEIVABLES: Table = Table { program: "receivables", lookup: receivables };
const PRICER: Table = Table { program: "dcf-pricer", lookup: pricer };
const VALUE_ANCHOR: Table = Table { program: "value-anchor", lookup: value_anchor };
const RESERVE: Table = Table { program: "buyback-reserve", lookup: reserve };
const HOOK: Table = Table { program: "transfer-hook", lookup: hook };
const GUARD: Table = Table { program: "rwa-guard", lookup: guard };
const FRAMEWORK: Table = Table { program: "anchor", lookup: framework };

/// The error enums that can meet in `program_id`'s frame (their ranges do not overlap), or
/// `None` for a program that is not one of the six.
fn frame(program_id: &Pubkey) -> Option<&'static [Table]> {
    let tables: &'static [Table] = if *program_id == rwa_oracle::ID {
        &[ORACLE, GUARD, FRAMEWORK]
    } else if *program_id == receivables::ID {
        &[RECEIVABLES, GUARD, FRAMEWORK]
    } else if *program_id == dcf_pricer::ID {
        // a refresh reads the oracle's feeds in-process
        &[PRICER, ORACLE, GUARD, FRAMEWORK]
    } else if *program_id == value_anchor::ID {
        // exits read the pricer's rate and the pools' versions in-process
        &[VALUE_ANCHOR, PRICER, RECEIVABLES, GUARD, FRAMEWORK]
    } else if *program_id == transfer_hook::ID {
        &[HOOK, GUARD, FRAMEWORK]
    } else if *program_id == buyback_reserve::ID {
        // sales read the pricer's rate, share valuations value-anchor's backing
        &[RESERVE, VALUE_ANCHOR, PRICER, RECEIVABLES, GUARD, FRAMEWORK]
    } else {
        return None;
    };
    Some(tables)
}

/// The error number `code` raised in `program_id`'s frame: which program's enum defines it,
/// its name and its message. `None` when `program_id` is not one of the five protocol
/// programs or no enum that can meet in its frame has that number.
pub fn decode_error(program_id: &Pubkey, code: u32) -> Option<DecodedError> {
    frame(program_id)?.iter().find_map(|t| t.decode(code))
}

/// The program of the innermost failing frame: the first `Program <id> failed: ...` log line
/// (a failing callee logs its failure before its callers do). The runtime writes these lines
/// for SBF programs and native builtins alike.
pub fn failing_program(logs: &[String]) -> Option<Pubkey> {
    logs.iter().find_map(|line| {
        let (id, _) = line.strip_prefix("Program ")?.split_once(" failed: ")?;
        id.parse().ok()
    })
}

/// Decodes a failed transaction's error: the custom error number of the failing instruction,
/// looked up in the frame of the innermost failing program the logs name (a CPI callee), or,
/// without logs, of the program of the failing instruction (`programs[index]`, the program id
/// of each of the transaction's instructions).
pub fn decode_transaction_error(
    error: &TransactionError,
    programs: &[Pubkey],
    logs: &[String],
) -> Option<DecodedError> {
    let TransactionError::InstructionError(index, InstructionError::Custom(code)) = error else {
        return None;
    };
    let program = failing_program(logs).or_else(|| programs.get(*index as usize).copied())?;
    decode_error(&program, *code)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn named(program_id: &Pubkey, code: u32) -> (&'static str, String) {
        let d = decode_error(program_id, code).unwrap();
        assert_eq!(d.code, code);
        assert!(!d.message.is_empty());
        (d.program, d.name)
    }

    fn check<E: Into<u32> + Copy + std::fmt::Display>(
        program_id: &Pubkey,
        program: &str,
        e: E,
        name: &str,
    ) {
        let code: u32 = e.into();
        let d = decode_error(program_id, code).unwrap();
        assert_eq!((d.program, d.name.as_str()), (program, name), "{code}");
        assert_eq!(d.message, e.to_string());
    }

    #[test]
    fn each_programs_own_errors_decode_by_number() {
        use buyback_reserve::errors::ReserveError;
        use dcf_pricer::errors::PricerError;
        use receivables::errors::ReceivablesError;
        use rwa_oracle::errors::OracleError;
        use value_anchor::errors::AnchorTokenError;

        assert_eq!(
            named(&buyback_reserve::ID, 6810),
            ("buyback-reserve", "EpochBudgetExceeded".into())
        );
        check(&buyback_reserve::ID, "buyback-reserve", ReserveError::ExitsFrozen, "ExitsFrozen");
        check(
            &buyback_reserve::ID,
            "buyback-reserve",
            ReserveError::StableRedemptionAvailable,
            "StableRedemptionAvailable",
        );
        assert_eq!(named(&value_anchor::ID, 6615), ("value-anchor", "Undercollateralised".into()));
        check(
            &value_anchor::ID,
            "value-anchor",
            AnchorTokenError::SlippageExceeded,
            "SlippageExceeded",
        );
        check(
            &value_anchor::ID,
            "value-anchor",
            AnchorTokenError::NothingToSweep,
            "NothingToSweep",
        );
        check(&dcf_pricer::ID, "dcf-pricer", PricerError::InvalidRateAge, "InvalidRateAge");
        check(
            &dcf_pricer::ID,
            "dcf-pricer",
            PricerError::PoolChangedSinceRefresh,
            "PoolChangedSinceRefresh",
        );
        check(&rwa_oracle::ID, "rwa-oracle", OracleError::StaleFeed, "StaleFeed");
        check(
            &rwa_oracle::ID,
            "rwa-oracle",
            OracleError::FeedStateInconsistent,
            "FeedStateInconsistent",
        );
        check(
            &receivables::ID,
            "receivables",
            ReceivablesError::InvalidGuardian,
            "InvalidGuardian",
        );
        check(
            &receivables::ID,
            "receivables",
            ReceivablesError::ScheduleNotDayAligned,
            "ScheduleNotDayAligned",
        );
        assert_eq!(u32::from(ReceivablesError::InvalidGuardian), 6000);
    }

    #[test]
    fn the_same_number_decodes_by_the_frame_it_was_raised_in() {
        // 6000: the oracle's first error, and receivables' first; they never share a frame
        assert_eq!(named(&rwa_oracle::ID, 6000).0, "rwa-oracle");
        assert_eq!(named(&receivables::ID, 6000).0, "receivables");
        // the pricer's refresh reads feeds in-process: 6015 there is the oracle's StaleFeed
        assert_eq!(named(&dcf_pricer::ID, 6015), ("rwa-oracle", "StaleFeed".into()));
        // exits read the pricer's rate: StaleRate in value-anchor's and the reserve's frames
        let stale = u32::from(dcf_pricer::errors::PricerError::StaleRate);
        assert_eq!(named(&value_anchor::ID, stale), ("dcf-pricer", "StaleRate".into()));
        assert_eq!(named(&buyback_reserve::ID, stale), ("dcf-pricer", "StaleRate".into()));
        // value-anchor's StaleBacking surfaces in the reserve's share valuations
        let stale = u32::from(value_anchor::errors::AnchorTokenError::StaleBacking);
        assert_eq!(named(&buyback_reserve::ID, stale), ("value-anchor", "StaleBacking".into()));
        // a pricer number means nothing in the oracle's frame
        assert_eq!(decode_error(&rwa_oracle::ID, 6403), None);
        // nor does any number in another program's frame
        assert_eq!(decode_error(&Pubkey::new_unique(), 6810), None);
    }

    #[test]
    fn shared_and_framework_errors_decode_in_every_frame() {
        for id in
            [rwa_oracle::ID, receivables::ID, dcf_pricer::ID, value_anchor::ID, buyback_reserve::ID]
        {
            assert_eq!(named(&id, 9002), ("rwa-guard", "NotUpgradeAuthority".into()));
            check(&id, "rwa-guard", rwa_guard::GuardError::NoPendingAdmin, "NoPendingAdmin");
            check(
                &id,
                "anchor",
                anchor_lang::error::ErrorCode::ConstraintHasOne,
                "ConstraintHasOne",
            );
            check(&id, "anchor", anchor_lang::error::ErrorCode::ConstraintSeeds, "ConstraintSeeds");
            check(&id, "anchor", anchor_lang::error::ErrorCode::Deprecated, "Deprecated");
            assert_eq!(named(&id, 3012), ("anchor", "AccountNotInitialized".into()));
        }
        assert_eq!(decode_error(&value_anchor::ID, 9100), None);
    }

    #[test]
    fn a_failed_transaction_decodes_from_its_innermost_failing_frame() {
        let reserve_code = u32::from(value_anchor::errors::AnchorTokenError::NoShortfall);
        let error = TransactionError::InstructionError(1, InstructionError::Custom(reserve_code));
        let programs = [dcf_pricer::ID, buyback_reserve::ID];
        // without logs: the failing instruction's program
        let d = decode_transaction_error(&error, &programs, &[]).unwrap();
        assert_eq!((d.program, d.name.as_str()), ("value-anchor", "NoShortfall"));
        // with logs naming the callee
        let logs = vec![
            format!("Program {} invoke [1]", buyback_reserve::ID),
            format!("Program {} invoke [2]", value_anchor::ID),
            format!("Program {} failed: custom program error: 0x19e3", value_anchor::ID),
            format!("Program {} failed: custom program error: 0x19e3", buyback_reserve::ID),
        ];
        assert_eq!(failing_program(&logs), Some(value_anchor::ID));
        let d = decode_transaction_error(&error, &programs, &logs).unwrap();
        assert_eq!(d.name, "NoShortfall");
        let other = TransactionError::AccountNotFound;
        assert_eq!(decode_transaction_error(&other, &programs, &logs), None);
    }
}
