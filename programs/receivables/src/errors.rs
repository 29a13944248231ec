use anchor_lang::prelude::*;

#[error_code]
pub enum ReceivablesError {
    #[msg("the guardian must be a real key, distinct from the default pubkey")]
    InvalidGuardian,
    #[msg("the registry is paused")]
    Paused,
    #[msg("issuer limits must allow at least one pool and a positive face value")]
    InvalidIssuerLimits,
    #[msg("the issuer is not approved")]
    IssuerNotApproved,
    #[msg("the issuer has reached its pool count limit")]
    PoolLimitReached,
    #[msg("the pool would take the issuer over its outstanding face value limit")]
    FaceValueLimitExceeded,
    #[msg("the cash-flow schedule is empty or longer than MAX_SCHEDULE_LEN")]
    InvalidScheduleLength,
    #[msg("the cash-flow schedule must be strictly ascending in due time, all in the future")]
    ScheduleNotSorted,
    #[msg("every scheduled cash flow must be positive")]
    ZeroCashFlow,
    #[msg("the scheduled cash flows add up to less than the face value")]
    ScheduleBelowFaceValue,
    #[msg("the face value must be positive and a whole multiple of the unit size")]
    InvalidUnitSize,
    #[msg("the risk grade is not one the protocol knows")]
    InvalidGrade,
    #[msg("the document URI is longer than MAX_URI_LEN")]
    UriTooLong,
    #[msg("the pool is not in the state this instruction needs")]
    InvalidPoolStatus,
    #[msg("only the pool's issuer may do this")]
    NotPoolIssuer,
    #[msg("minting would take the unit supply above the face value in units")]
    OverMint,
    #[msg("the servicer is not approved")]
    ServicerNotApproved,
    #[msg("only the pool's servicer may do this")]
    NotPoolServicer,
    #[msg("only the guardian or the admin may pause, and only the admin may unpause")]
    Unauthorized,
    #[msg("the amount must be positive")]
    ZeroAmount,
    #[msg("the repayment is more than the schedule still expects")]
    RepaymentExceedsOutstanding,
    #[msg("the write-down is more than the schedule still expects")]
    WriteDownExceedsOutstanding,
    #[msg("no scheduled cash flow is overdue")]
    NothingOverdue,
    #[msg("units to redeem must be positive and at most the outstanding supply")]
    InvalidRedeemAmount,
    #[msg("the units redeemed are worth less than one base unit of currency")]
    RedemptionRoundsToZero,
    #[msg("arithmetic overflow")]
    MathOverflow,
    #[msg("the currency mint is not one the registry accepts")]
    CurrencyNotAccepted,
    #[msg("the registry already accepts this currency mint")]
    CurrencyAlreadyAccepted,
    #[msg("the registry already accepts MAX_CURRENCIES currency mints")]
    TooManyCurrencies,
    #[msg("the schedule's first cash flow is already due: update the schedule before activating")]
    ScheduleAlreadyDue,
    #[msg("the servicer's transfer credited nothing to the vault")]
    NothingReceived,
    #[msg("the default grace period has not passed: only the servicer may close the pool yet")]
    GracePeriodNotOver,
    #[msg("the new servicer is the pool's servicer already")]
    SameServicer,
    #[msg("every cash flow of a schedule must fall due at the same time of day")]
    ScheduleNotDayAligned,
    #[msg("the schedule promises more than MAX_SCHEDULE_TO_FACE times the face value")]
    ScheduleAboveFaceBound,
    #[msg("the account data is not a receivables pool")]
    InvalidPoolData,
    #[msg(
        "unit metadata out of bounds: name 1..=32 bytes, symbol 1..=10 bytes (Token-2022 units)"
    )]
    InvalidUnitMetadata,
    #[msg("permissioned units need the Token-2022 unit program (the transfer hook is a Token-2022 extension)")]
    PermissionedUnitsNeedToken2022,
    #[msg("permissioned units need the transfer-hook program, attestor, mint gate and extra-account-metas accounts")]
    TransferHookAccountsMissing,
    #[msg("a permissioned pool's units are minted only to an associated token account of a holder attested by the mint's attestor (mint gate, attestor and attestation as remaining accounts)")]
    UnitHolderNotAllowed,
}
