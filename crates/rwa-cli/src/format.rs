//! How `rwa` writes numbers, dates and tables for people.

/// `base` base units of a token with `decimals` decimals, as `1,234.567890`.
pub fn units(base: u64, decimals: u8) -> String {
    signed_units(base as i128, decimals)
}

/// As [`units`], signed (`-1,234.567890`, `+0.000001` when `plus`).
pub fn signed_units(base: i128, decimals: u8) -> String {
    let sign = if base < 0 { "-" } else { "" };
    let magnitude = base.unsigned_abs();
    let scale = 10u128.pow(decimals as u32);
    let whole = group(magnitude / scale);
    if decimals == 0 {
        return format!("{sign}{whole}");
    }
    let frac = magnitude % scale;
    format!("{sign}{whole}.{frac:0width$}", width = decimals as usize)
}

/// A change: `+1,234.567890` or `-1,234.567890` (zero without a sign).
pub fn delta(base: i128, decimals: u8) -> String {
    if base > 0 {
        format!("+{}", signed_units(base, decimals))
    } else {
        signed_units(base, decimals)
    }
}

/// `n` with thousands separators: `1,234,567`.
pub fn group(n: u128) -> String {
    let digits = n.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// Basis points as a percentage: `450` -> `4.50%`.
pub fn bps(bps: u64) -> String {
    format!("{}.{:02}%", bps / 100, bps % 100)
}

/// A fraction `numerator / denominator` as a percentage with `places` decimals, rounded down.
pub fn percent(numerator: u128, denominator: u128, places: u32) -> String {
    if denominator == 0 {
        return "n/a".to_string();
    }
    let scale = 10u128.pow(places);
    let scaled = numerator.saturating_mul(100 * scale) / denominator;
    if places == 0 {
        return format!("{scaled}%");
    }
    format!("{}.{:0width$}%", scaled / scale, scaled % scale, width = places as usize)
}

/// A unix timestamp as an ISO-8601 UTC date and time: `2027-01-15 08:00:00`.
pub fn datetime(ts: i64) -> String {
    let (date, secs) = (ts.div_euclid(86_400), ts.rem_euclid(86_400));
    let (y, m, d) = civil_from_days(date);
    format!("{y:04}-{m:02}-{d:02} {:02}:{:02}:{:02}", secs / 3_600, secs / 60 % 60, secs % 60)
}

/// A unix timestamp's UTC date: `2027-01-15`.
pub fn date(ts: i64) -> String {
    let (y, m, d) = civil_from_days(ts.div_euclid(86_400));
    format!("{y:04}-{m:02}-{d:02}")
}

/// A duration in seconds as days (and hours, minutes, seconds when not whole): `30d`, `-10d`,
/// `1d 2h 0m 5s`.
pub fn days(secs: i64) -> String {
    let sign = if secs < 0 { "-" } else { "" };
    let s = secs.unsigned_abs();
    let (d, rest) = (s / 86_400, s % 86_400);
    if rest == 0 {
        format!("{sign}{d}d")
    } else {
        format!("{sign}{d}d {}h {}m {}s", rest / 3_600, rest / 60 % 60, rest % 60)
    }
}

/// Year, month, day of the proleptic Gregorian calendar from days since 1970-01-01
/// (H. Hinnant's `civil_from_days`).
fn civil_from_days(z: i64) -> (i64, u32, u32) {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1_460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    let y = yoe + era * 400 + i64::from(m <= 2);
    (y, m, d)
}

/// Column alignment in a [`Table`].
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Align {
    Left,
    Right,
}

/// A plain-text table: a header row, a rule, rows; columns padded to their widest cell.
#[derive(Clone, Debug)]
pub struct Table {
    headers: Vec<String>,
    align: Vec<Align>,
    rows: Vec<Vec<String>>,
}

impl Table {
    /// A table with `headers`; a header starting with `>` is right-aligned (the `>` is dropped).
    pub fn new(headers: &[&str]) -> Table {
        let align = headers
            .iter()
            .map(|h| if h.starts_with('>') { Align::Right } else { Align::Left })
            .collect();
        let headers = headers.iter().map(|h| h.trim_start_matches('>').to_string()).collect();
        Table { headers, align, rows: vec![] }
    }

    pub fn row(&mut self, cells: Vec<String>) -> &mut Table {
        debug_assert_eq!(cells.len(), self.headers.len(), "a row has one cell a column");
        self.rows.push(cells);
        self
    }

    /// The table's lines, each indented by `indent` spaces, without trailing spaces.
    pub fn lines(&self, indent: usize) -> Vec<String> {
        let widths: Vec<usize> = (0..self.headers.len())
            .map(|c| {
                self.rows
                    .iter()
                    .map(|r| r[c].chars().count())
                    .chain([self.headers[c].chars().count()])
                    .max()
                    .unwrap_or(0)
            })
            .collect();
        let render = |cells: &[String]| {
            let mut line = " ".repeat(indent);
            for (c, cell) in cells.iter().enumerate() {
                if c > 0 {
                    line.push_str("  ");
                }
                let pad = widths[c] - cell.chars().count();
                match self.align[c] {
                    Align::Left => {
                        line.push_str(cell);
                        line.push_str(&" ".repeat(pad));
                    }
                    Align::Right => {
                        line.push_str(&" ".repeat(pad));
                        line.push_str(cell);
                    }
                }
            }
            line.trim_end().to_string()
        };
        let mut out = vec![render(&self.headers)];
        let rule: Vec<String> = widths.iter().map(|w| "-".repeat(*w)).collect();
        out.push(render(&rule));
        out.extend(self.rows.iter().map(|r| render(r)));
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn amounts_group_thousands_and_keep_every_decimal() {
        assert_eq!(units(1_234_567_890, 6), "1,234.567890");
        assert_eq!(units(0, 6), "0.000000");
        assert_eq!(units(999, 0), "999");
        assert_eq!(units(u64::MAX, 6), "18,446,744,073,709.551615");
        assert_eq!(delta(-1, 6), "-0.000001");
        assert_eq!(delta(1_000_000, 6), "+1.000000");
        assert_eq!(group(1_000), "1,000");
        assert_eq!(bps(450), "4.50%");
        assert_eq!(percent(1, 3, 2), "33.33%");
    }

    #[test]
    fn dates_are_utc() {
        assert_eq!(datetime(0), "1970-01-01 00:00:00");
        assert_eq!(datetime(1_800_000_000), "2027-01-15 08:00:00");
        assert_eq!(date(951_782_400), "2000-02-29");
        assert_eq!(days(30 * 86_400), "30d");
        assert_eq!(days(-10 * 86_400), "-10d");
        assert_eq!(days(86_400 + 7_205), "1d 2h 0m 5s");
    }

    #[test]
    fn tables_pad_columns() {
        let mut t = Table::new(&["name", ">value"]);
        t.row(vec!["a".into(), "1.00".into()]).row(vec!["long name".into(), "100.00".into()]);
        assert_eq!(
            t.lines(2),
            vec![
                "  name        value",
                "  ---------  ------",
                "  a            1.00",
                "  long name  100.00"
            ]
        );
    }
}
