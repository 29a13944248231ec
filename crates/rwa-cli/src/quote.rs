//! `rwa quote`: offline valuation of a cash-flow schedule with rwa-math, exactly as dcf-pricer
//! values a pool's remaining flows on chain.
//!
//! A schedule is a CSV file with a header naming `due_ts` and `amount` (other columns, such as
//! an invoice number, are ignored; blank lines and lines starting with `#` are skipped), or a
//! JSON array of `{"due_ts": .., "amount": ..}` objects. `due_ts` is unix seconds, `amount` a
//! positive whole number of base units. Every refusal is one line naming the row.
use std::fmt;
use std::path::Path;

use rwa_math::{
    biased_risk, value_cash_flows, wide::U256, CashFlow, Fixed, FlowStatus, MathError, Quote,
    RiskParams, WriteDownStep, MAX_CASH_FLOWS, MAX_HORIZON_SECS, MAX_WRITE_DOWN_STEPS,
    SECONDS_PER_DAY,
};
use serde::Serialize;

/// One flow of a schedule file and where it came from.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub struct Flow {
    /// 1-based position among the flows (the data rows of a CSV, the entries of a JSON array).
    pub row: usize,
    /// 1-based line of a CSV file; `None` for JSON.
    #[serde(skip)]
    pub line: Option<usize>,
    pub due_ts: i64,
    pub amount: u64,
}

/// Why a schedule file was refused: one line, naming the row where there is one.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ScheduleError {
    /// The row (1-based) and, for CSV, the line the error is about.
    pub row: Option<usize>,
    pub line: Option<usize>,
    pub message: String,
}

impl ScheduleError {
    fn at(row: usize, line: Option<usize>, message: impl Into<String>) -> Self {
        ScheduleError { row: Some(row), line, message: message.into() }
    }

    fn file(message: impl Into<String>) -> Self {
        ScheduleError { row: None, line: None, message: message.into() }
    }

    fn of(flow: &Flow, message: impl Into<String>) -> Self {
        Self::at(flow.row, flow.line, message)
    }
}

impl fmt::Display for ScheduleError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match (self.row, self.line) {
            (Some(row), Some(line)) => write!(f, "row {row} (line {line}): {}", self.message),
            (Some(row), None) => write!(f, "row {row}: {}", self.message),
            (None, Some(line)) => write!(f, "line {line}: {}", self.message),
            (None, None) => f.write_str(&self.message),
        }
    }
}

impl std::error::Error for ScheduleError {}

/// The file formats `rwa quote` reads.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Format {
    Csv,
    Json,
}

impl Format {
    /// JSON for a `.json` file or text that starts with `[` or `{`; CSV otherwise.
    pub fn detect(path: &Path, text: &str) -> Format {
        let json_ext = path.extension().is_some_and(|e| e.eq_ignore_ascii_case("json"));
        let t = text.trim_start_matches('\u{feff}').trim_start();
        if json_ext || t.starts_with('[') || t.starts_with('{') {
            Format::Json
        } else {
            Format::Csv
        }
    }
}

/// Reads and checks the schedule at `path` (CSV or JSON, see the module docs).
pub fn read_schedule(path: &Path) -> Result<Vec<Flow>, ScheduleError> {
    let bytes = std::fs::read(path).map_err(|e| {
        ScheduleError::file(format!("cannot read the file: {e}; check the path and permissions"))
    })?;
    let text = String::from_utf8(bytes)
        .map_err(|_| ScheduleError::file("not UTF-8 text; save it as a UTF-8 CSV or JSON file"))?;
    parse_schedule(&text, Format::detect(path, &text))
}

/// Parses and checks a schedule's text.
pub fn parse_schedule(text: &str, format: Format) -> Result<Vec<Flow>, ScheduleError> {
    let flows = match format {
        Format::Csv => parse_csv(text)?,
        Format::Json => parse_json(text)?,
    };
    check_schedule(&flows)?;
    Ok(flows)
}

const EXPECTED_HEADER: &str = "due_ts,amount";

/// CSV with a header naming `due_ts` and `amount` in any order; other columns are ignored.
fn parse_csv(text: &str) -> Result<Vec<Flow>, ScheduleError> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let mut lines = text
        .lines()
        .enumerate()
        .map(|(i, l)| (i + 1, l.trim()))
        .filter(|(_, l)| !l.is_empty() && !l.starts_with('#'));
    let (header_line, header) = lines.next().ok_or_else(|| {
        ScheduleError::file(format!(
            "the file is empty; write a header `{EXPECTED_HEADER}`, then one flow a line"
        ))
    })?;
    let names: Vec<String> = split_csv(header).iter().map(|c| c.to_ascii_lowercase()).collect();
    let column = |name: &str| names.iter().position(|c| c == name);
    let (due_col, amount_col) = match (column("due_ts"), column("amount")) {
        (Some(d), Some(a)) => (d, a),
        (due, _) => {
            let missing = if due.is_none() { "due_ts" } else { "amount" };
            let hint = if names.first().is_some_and(|c| c.parse::<i64>().is_ok()) {
                format!("the first line must be the header `{EXPECTED_HEADER}`")
            } else {
                format!("the header must name `{EXPECTED_HEADER}`")
            };
            return Err(ScheduleError {
                row: None,
                line: Some(header_line),
                message: format!("missing column `{missing}`: {hint}"),
            });
        }
    };
    let mut flows = Vec::new();
    for (row, (line, text)) in lines.enumerate() {
        let row = row + 1;
        let cells = split_csv(text);
        let cell = |col: usize, name: &str| -> Result<&str, ScheduleError> {
            match cells.get(col).map(|c| c.as_str()) {
                Some("") => Err(ScheduleError::at(row, Some(line), format!("`{name}` is empty"))),
                Some(c) => Ok(c),
                None => Err(ScheduleError::at(
                    row,
                    Some(line),
                    format!(
                        "missing column `{name}`: {} field(s), the header has {}",
                        cells.len(),
                        names.len()
                    ),
                )),
            }
        };
        let due_ts = parse_due_ts(cell(due_col, "due_ts")?, row, Some(line))?;
        let amount = parse_amount(cell(amount_col, "amount")?, row, Some(line))?;
        flows.push(Flow { row, line: Some(line), due_ts, amount });
    }
    Ok(flows)
}

/// The fields of one CSV line, trimmed; a field in double quotes may hold commas (and `""` for
/// a quote).
fn split_csv(line: &str) -> Vec<String> {
    let mut fields = vec![];
    let mut field = String::new();
    let (mut quoted, mut chars) = (false, line.chars().peekable());
    while let Some(c) = chars.next() {
        match c {
            '"' if quoted && chars.peek() == Some(&'"') => {
                field.push('"');
                chars.next();
            }
            '"' => quoted = !quoted,
            ',' if !quoted => fields.push(std::mem::take(&mut field).trim().to_string()),
            c => field.push(c),
        }
    }
    fields.push(field.trim().to_string());
    fields
}

fn parse_due_ts(text: &str, row: usize, line: Option<usize>) -> Result<i64, ScheduleError> {
    text.parse::<i64>().map_err(|_| {
        ScheduleError::at(
            row,
            line,
            format!("due_ts `{text}` is not a unix timestamp (whole seconds since 1970)"),
        )
    })
}

fn parse_amount(text: &str, row: usize, line: Option<usize>) -> Result<u64, ScheduleError> {
    let err = |m: String| Err(ScheduleError::at(row, line, m));
    if let Some(rest) = text.strip_prefix('-') {
        if !rest.is_empty() && rest.chars().all(|c| c.is_ascii_digit() || c == '.') {
            return err(format!("amount {text} is negative: every flow must be a positive amount"));
        }
    }
    let digits = text.strip_prefix('+').unwrap_or(text);
    if digits.is_empty() || !digits.chars().all(|c| c.is_ascii_digit()) {
        return err(format!(
            "amount `{text}` is not a whole number of base units (e.g. 1500000 for 1.5 at 6 decimals)"
        ));
    }
    match digits.parse::<u64>() {
        Ok(0) => err("amount is zero: every flow must be a positive amount; drop the row".into()),
        Ok(a) => Ok(a),
        Err(_) => err(format!("amount {text} is above the largest amount, {}", u64::MAX)),
    }
}

/// A JSON array of `{"due_ts": .., "amount": ..}` (numbers, or strings holding whole numbers).
fn parse_json(text: &str) -> Result<Vec<Flow>, ScheduleError> {
    let value: serde_json::Value = serde_json::from_str(text.trim_start_matches('\u{feff}'))
        .map_err(|e| ScheduleError {
            row: None,
            line: Some(e.line()),
            message: format!("invalid JSON: {e}"),
        })?;
    let entries = value.as_array().ok_or_else(|| {
        ScheduleError::file(r#"expected a JSON array of {"due_ts": .., "amount": ..} objects"#)
    })?;
    let mut flows = Vec::with_capacity(entries.len());
    for (i, entry) in entries.iter().enumerate() {
        let row = i + 1;
        let obj = entry.as_object().ok_or_else(|| {
            ScheduleError::at(row, None, r#"not an object; write {"due_ts": .., "amount": ..}"#)
        })?;
        let field = |name: &str| -> Result<String, ScheduleError> {
            match obj.get(name) {
                None | Some(serde_json::Value::Null) => Err(ScheduleError::at(
                    row,
                    None,
                    format!("missing field `{name}`: each entry needs `due_ts` and `amount`"),
                )),
                Some(serde_json::Value::String(s)) => Ok(s.trim().to_string()),
                Some(serde_json::Value::Number(n)) => Ok(n.to_string()),
                Some(other) => Ok(other.to_string()),
            }
        };
        let due_ts = parse_due_ts(&field("due_ts")?, row, None)?;
        let amount = parse_amount(&field("amount")?, row, None)?;
        flows.push(Flow { row, line: None, due_ts, amount });
    }
    Ok(flows)
}

/// What rwa-math needs of a schedule, each refusal naming its row: at least one flow, at most
/// `MAX_CASH_FLOWS`, due times strictly ascending (sorted, no duplicates), amounts that add up
/// within `u64`.
pub fn check_schedule(flows: &[Flow]) -> Result<(), ScheduleError> {
    if flows.is_empty() {
        return Err(ScheduleError::file(
            "no flows: add one line per flow under the header `due_ts,amount`",
        ));
    }
    if let Some(f) = flows.get(MAX_CASH_FLOWS) {
        return Err(ScheduleError::of(
            f,
            format!(
                "too many flows: a schedule holds at most {MAX_CASH_FLOWS} (rwa-math \
                 MAX_CASH_FLOWS), this file has {}; split it",
                flows.len()
            ),
        ));
    }
    let mut total: u64 = 0;
    for (i, f) in flows.iter().enumerate() {
        if i > 0 {
            let prev = &flows[i - 1];
            if f.due_ts == prev.due_ts {
                return Err(ScheduleError::of(
                    f,
                    format!(
                        "due_ts {} repeats row {}: merge flows due at the same time into one",
                        f.due_ts, prev.row
                    ),
                ));
            }
            if f.due_ts < prev.due_ts {
                return Err(ScheduleError::of(
                    f,
                    format!(
                        "due_ts {} is before row {}'s {}: sort the flows by due date, earliest \
                         first",
                        f.due_ts, prev.row, prev.due_ts
                    ),
                ));
            }
        }
        total = total.checked_add(f.amount).ok_or_else(|| {
            ScheduleError::of(
                f,
                format!("the amounts add up past the largest amount, {}", u64::MAX),
            )
        })?;
    }
    Ok(())
}

/// The valuation's inputs, in basis points at the edge as the CLI takes them.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct QuoteInputs {
    /// Valuation time, unix seconds.
    pub now: i64,
    pub rate_bps: u64,
    pub spread_bps: u64,
    pub pd_bps: u64,
    pub lgd_bps: u64,
    /// The grade's overdue write-down steps: (days late, fraction in bps).
    pub write_down: Vec<(u32, u64)>,
}

/// Why a quote's inputs were refused.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum QuoteError {
    Schedule(ScheduleError),
    Input(String),
}

impl fmt::Display for QuoteError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            QuoteError::Schedule(e) => e.fmt(f),
            QuoteError::Input(m) => f.write_str(m),
        }
    }
}

impl std::error::Error for QuoteError {}

impl From<ScheduleError> for QuoteError {
    fn from(e: ScheduleError) -> Self {
        QuoteError::Schedule(e)
    }
}

/// Parses `--write-down` steps, `DAYS:BPS` separated by commas (`30:1000,90:5000,180:10000`).
pub fn parse_write_down(text: &str) -> Result<Vec<(u32, u64)>, String> {
    text.split(',')
        .filter(|s| !s.trim().is_empty())
        .map(|step| {
            let (d, b) = step.trim().split_once(':').ok_or_else(|| {
                format!("write-down step `{step}` is not DAYS:BPS (e.g. 30:1000 for 10% from 30 days late)")
            })?;
            let days = d.trim().parse::<u32>().map_err(|_| format!("write-down step `{step}`: `{d}` is not a number of days"))?;
            let bps = b.trim().parse::<u64>().map_err(|_| format!("write-down step `{step}`: `{b}` is not a number of basis points"))?;
            Ok((days, bps))
        })
        .collect()
}

/// The risk inputs as dcf-pricer forms them (`rwa_math::biased_risk`): discount rate = rate +
/// spread, PD and LGD capped at 100%, each converted from bps rounded up (against the holder),
/// with zero confidence (an offline quote has no oracle interval).
pub fn risk_params(inputs: &QuoteInputs) -> Result<RiskParams, QuoteError> {
    let bad = |flag: &str, v: u64, max: u64, what: &str| {
        QuoteError::Input(format!(
            "--{flag} {v} is above {max} ({what}); pass basis points, e.g. 450 for 4.50%"
        ))
    };
    if inputs.pd_bps > 10_000 {
        return Err(bad("pd-bps", inputs.pd_bps, 10_000, "100%: a probability"));
    }
    if inputs.lgd_bps > 10_000 {
        return Err(bad("lgd-bps", inputs.lgd_bps, 10_000, "100%: a loss given default"));
    }
    let max_rate = 100_000; // rwa_math::MAX_ANNUAL_RATE, 1000%
    if inputs.rate_bps.saturating_add(inputs.spread_bps) > max_rate {
        return Err(QuoteError::Input(format!(
            "--rate-bps + --spread-bps = {} is above {max_rate} (1000% a year, the highest rate \
             rwa-math values at)",
            inputs.rate_bps.saturating_add(inputs.spread_bps)
        )));
    }
    let fixed = |bps: u64| Fixed::from_bps_ceil(bps).map_err(math_input);
    let quote = |bps: u64| -> Result<Quote, QuoteError> {
        Ok(Quote { value: fixed(bps)?, confidence: Fixed::ZERO })
    };
    biased_risk(
        quote(inputs.rate_bps)?,
        quote(inputs.spread_bps)?,
        quote(inputs.pd_bps)?,
        quote(inputs.lgd_bps)?,
    )
    .map_err(math_input)
}

fn math_input(e: MathError) -> QuoteError {
    QuoteError::Input(format!("rwa-math refused the inputs: {e:?}"))
}

/// The write-down steps as rwa-math takes them, checked.
pub fn write_down_steps(inputs: &QuoteInputs) -> Result<Vec<WriteDownStep>, QuoteError> {
    let steps = &inputs.write_down;
    if steps.len() > MAX_WRITE_DOWN_STEPS {
        return Err(QuoteError::Input(format!(
            "--write-down has {} steps; a grade has at most {MAX_WRITE_DOWN_STEPS}",
            steps.len()
        )));
    }
    let mut out = Vec::with_capacity(steps.len());
    for (i, &(days_late, bps)) in steps.iter().enumerate() {
        if bps > 10_000 {
            return Err(QuoteError::Input(format!(
                "--write-down step {days_late}:{bps} writes down more than 100% (10000 bps)"
            )));
        }
        if i > 0 && (days_late <= steps[i - 1].0 || bps < steps[i - 1].1) {
            return Err(QuoteError::Input(format!(
                "--write-down step {days_late}:{bps}: steps must grow in days late and never \
                 decrease in fraction"
            )));
        }
        out.push(WriteDownStep {
            days_late,
            fraction: Fixed::from_bps_floor(bps).map_err(math_input)?,
        });
    }
    Ok(out)
}

/// One flow's share of the valuation.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct FlowValue {
    pub row: usize,
    pub due_ts: i64,
    /// `due_ts` as a UTC date and time.
    pub due: String,
    /// `due_ts - now`: positive for performing flows, zero or negative for overdue ones.
    pub seconds_ahead: i64,
    pub amount: u64,
    /// What this flow adds to the value, rounded down to base units (the total is rounded once,
    /// so it can exceed the sum of these by less than one base unit a flow).
    pub value: u64,
    /// `value / amount` before rounding, to nine decimals.
    pub factor: String,
    /// `performing` or `overdue`.
    pub status: &'static str,
}

/// A schedule's valuation and its breakdown.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Valuation {
    /// Fair value in base units, rounded down: what dcf-pricer's `value_cash_flows` gives.
    pub value: u64,
    /// Sum of the amounts.
    pub undiscounted: u64,
    pub inputs: QuoteInputs,
    /// Whether every flow is due at one time of day (receivables refuses other schedules with
    /// `ScheduleNotDayAligned`).
    pub day_aligned: bool,
    pub flows: Vec<FlowValue>,
}

/// Values `flows` at `inputs.now`, as dcf-pricer would for an Active pool with these flows
/// outstanding.
pub fn quote(flows: &[Flow], inputs: &QuoteInputs) -> Result<Valuation, QuoteError> {
    check_schedule(flows)?;
    let risk = risk_params(inputs)?;
    let steps = write_down_steps(inputs)?;
    if let Some(f) =
        flows.iter().find(|f| f.due_ts.saturating_sub(inputs.now) > MAX_HORIZON_SECS as i64)
    {
        return Err(ScheduleError::of(
            f,
            format!(
                "due_ts {} is more than 50 years after --now {}: rwa-math values flows at most \
                 50 years ahead",
                f.due_ts, inputs.now
            ),
        )
        .into());
    }
    let cash_flows = |n: usize| {
        flows[..n].iter().map(|f| CashFlow {
            due_ts: f.due_ts,
            amount: f.amount,
            status: FlowStatus::Scheduled,
        })
    };
    let value = |n: usize| {
        value_cash_flows(cash_flows(n), inputs.now, &risk, &steps)
            .map_err(|e| QuoteError::Input(format!("rwa-math refused the schedule: {e:?}")))
    };
    let total = value(flows.len())?;
    // Each flow's contribution: the valuation walks the schedule in order and carries its
    // state forward, so the value of the first k flows is exactly the running sum after k.
    let mut breakdown = Vec::with_capacity(flows.len());
    let mut before = U256::ZERO;
    let mut prefix = Vec::with_capacity(flows.len());
    for n in 1..=flows.len() {
        prefix.push(if n == flows.len() { total.value_q127 } else { value(n)?.value_q127 });
    }
    for (f, after) in flows.iter().zip(prefix) {
        let contribution = sub(after, before);
        before = after;
        let tau = f.due_ts - inputs.now;
        breakdown.push(FlowValue {
            row: f.row,
            due_ts: f.due_ts,
            due: crate::format::datetime(f.due_ts),
            seconds_ahead: tau,
            amount: f.amount,
            value: contribution
                .shr(127)
                .to_u128()
                .and_then(|v| u64::try_from(v).ok())
                .unwrap_or(u64::MAX),
            factor: factor(contribution, f.amount),
            status: if tau > 0 { "performing" } else { "overdue" },
        });
    }
    let time_of_day = flows[0].due_ts.rem_euclid(SECONDS_PER_DAY as i64);
    Ok(Valuation {
        value: total.value,
        undiscounted: total.undiscounted,
        inputs: inputs.clone(),
        day_aligned: flows
            .iter()
            .all(|f| f.due_ts.rem_euclid(SECONDS_PER_DAY as i64) == time_of_day),
        flows: breakdown,
    })
}

/// `a - b` for `a >= b` (limbs least significant first).
fn sub(a: U256, b: U256) -> U256 {
    let mut out = [0u64; 4];
    let mut borrow = false;
    for (o, (x, y)) in out.iter_mut().zip(a.0.iter().zip(b.0)) {
        let (d, b1) = x.overflowing_sub(y);
        let (d, b2) = d.overflowing_sub(borrow as u64);
        *o = d;
        borrow = b1 | b2;
    }
    debug_assert!(!borrow, "prefix values never decrease");
    U256(out)
}

/// `contribution / 2^127 / amount` as a decimal with nine places, rounded down.
fn factor(contribution: U256, amount: u64) -> String {
    // contribution < amount x 2^127 (every factor is at most 1): scale by 1e9 in 256 bits
    let scaled = mul_u64(contribution, 1_000_000_000).shr(127).to_u128().unwrap_or(u128::MAX);
    let f = scaled / amount as u128;
    format!("{}.{:09}", f / 1_000_000_000, f % 1_000_000_000)
}

fn mul_u64(a: U256, m: u64) -> U256 {
    let mut out = [0u64; 4];
    let mut carry: u128 = 0;
    for (o, x) in out.iter_mut().zip(a.0) {
        let p = x as u128 * m as u128 + carry;
        *o = p as u64;
        carry = p >> 64;
    }
    U256(out)
}

/// The valuation as a person reads it: inputs, the per-flow table, the value.
pub fn render(v: &Valuation, decimals: u8) -> Vec<String> {
    use crate::format::{bps, datetime, days, group, units, Table};
    let i = &v.inputs;
    let mut out = vec![
        format!("valuation time  {} UTC ({})", datetime(i.now), i.now),
        format!(
            "discount rate   {} = rate {} + spread {}, compounded per second",
            bps(i.rate_bps + i.spread_bps),
            bps(i.rate_bps),
            bps(i.spread_bps)
        ),
        format!("default risk    PD {} a year, LGD {}", bps(i.pd_bps), bps(i.lgd_bps)),
    ];
    if !i.write_down.is_empty() {
        let steps: Vec<String> =
            i.write_down.iter().map(|(d, b)| format!("{} from {d} days late", bps(*b))).collect();
        out.push(format!("write-down      {}", steps.join(", ")));
    }
    out.push(String::new());
    let mut t = Table::new(&["#", "due (UTC)", ">in", ">amount", ">factor", ">value", "status"]);
    for f in &v.flows {
        t.row(vec![
            f.row.to_string(),
            datetime(f.due_ts),
            days(f.seconds_ahead),
            group(f.amount as u128),
            f.factor.clone(),
            group(f.value as u128),
            f.status.to_string(),
        ]);
    }
    out.extend(t.lines(0));
    out.push(String::new());
    out.push(format!(
        "value           {} base units ({} at {decimals} decimals)",
        v.value,
        units(v.value, decimals)
    ));
    out.push(format!(
        "undiscounted    {} base units; value / undiscounted = {}",
        v.undiscounted,
        crate::format::percent(v.value as u128, v.undiscounted as u128, 4)
    ));
    if v.flows.len() > 1 {
        out.push(
            "                (the value is rounded down once; each flow's value above is \
             rounded down on its own)"
                .to_string(),
        );
    }
    if !v.day_aligned {
        out.push(
            "note            the flows are not all due at one time of day: receivables would \
             refuse this schedule (ScheduleNotDayAligned)"
                .to_string(),
        );
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn csv(text: &str) -> Result<Vec<Flow>, String> {
        parse_schedule(text, Format::Csv).map_err(|e| e.to_string())
    }

    #[test]
    fn csv_columns_may_come_in_any_order_with_extra_columns() {
        let text = "invoice,amount,due_ts\nINV-1,500,1800086400\n\n# note\n\"INV-2, \"\"B\"\"\",700,1800172800\n";
        let flows = csv(text).unwrap();
        assert_eq!(
            flows.iter().map(|f| (f.row, f.line, f.due_ts, f.amount)).collect::<Vec<_>>(),
            vec![(1, Some(2), 1_800_086_400, 500), (2, Some(5), 1_800_172_800, 700)]
        );
    }

    #[test]
    fn quoted_fields_may_hold_commas_and_quotes() {
        assert_eq!(split_csv(r#" "a, ""b""" , 2 ,"#), vec![r#"a, "b""#, "2", ""]);
    }

    #[test]
    fn breakdown_sums_to_the_value() {
        let flows =
            csv("due_ts,amount\n1800086400,1000000\n1802592000,2000000\n1831536000,3000000\n")
                .unwrap();
        let inputs = QuoteInputs {
            now: 1_800_000_000,
            rate_bps: 450,
            spread_bps: 350,
            pd_bps: 300,
            lgd_bps: 4_500,
            write_down: vec![],
        };
        let v = quote(&flows, &inputs).unwrap();
        let sum: u64 = v.flows.iter().map(|f| f.value).sum();
        assert!(sum <= v.value && v.value - sum < flows.len() as u64, "{sum} vs {}", v.value);
    }
}
