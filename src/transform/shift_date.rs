//! `shift_date`: moves dates and timestamps by a keyed offset within `±max`.
//!
//! With `per = "<column>"` the offset is drawn from (domain, that column's value), so every date
//! of one entity — in every table whose rule names the same `domain` — moves by the same offset
//! and the intervals between one person's events survive. With `per = "row"` (the default) the
//! offset is drawn from (domain, the value itself): equal dates stay equal, intervals do not.
//!
//! The offset is never zero (an unshifted date is the original date) and is a whole number of
//! granules: seconds, days for `date` columns and `keep_time_of_day`, weeks for `keep_weekday`.
//! One uniform fraction `r` is drawn per entity and scaled to the column's granule
//! (`1 + floor(r · max/granule)` granules, sign drawn separately), so a `date` column and a
//! `timestamp` column sharing a domain and `max` move by the same amount to within a day.

use serde::Deserialize;

use super::datetime::{self, Layout, Parsed, PgTime, DAY};
use super::keyed::{scaled, word, Keyed};
use super::{Applied, Bound, ColumnContext, RowContext, Transform, TransformError};

/// Parameters of `shift_date`.
#[derive(Debug, Clone, Deserialize, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct ShiftDate {
    /// The largest shift, `<integer><s|m|h|d>`: `"60s"`, `"72h"`, `"30d"`.
    pub max: String,
    /// `"row"` (the default: each value keyed by itself) or the column naming the entity whose
    /// dates move together, e.g. `"customer_id"`.
    #[serde(default)]
    pub per: Option<String>,
    /// For text columns: chrono patterns the dates are written in; each value keeps its own.
    #[serde(default)]
    pub formats: Vec<String>,
    /// Key domain. Rules that must share offsets (one customer's dates in several tables) must
    /// name the same domain. Default: the `per` column's name with `per`, else the column.
    #[serde(default)]
    pub domain: Option<String>,
    /// Shift by whole days, so the time of day stays.
    #[serde(default)]
    pub keep_time_of_day: bool,
    /// Shift by whole weeks, so the weekday (and the time of day) stays.
    #[serde(default)]
    pub keep_weekday: bool,
}

/// Parses `<integer><s|m|h|d>` into seconds.
pub(crate) fn parse_span(text: &str) -> Result<i64, String> {
    let t = text.trim();
    let unit = match t.as_bytes().last() {
        Some(b's') => 1,
        Some(b'm') => 60,
        Some(b'h') => 3600,
        Some(b'd') => DAY,
        _ => 0,
    };
    let n: i64 = t[..t.len().saturating_sub(1)].parse().unwrap_or(0);
    if unit == 0 || n <= 0 || n > 1_000_000_000 {
        return Err(format!(
            "`max = {text:?}`: write a positive whole number and a unit s, m, h or d (\"72h\", \"30d\")"
        ));
    }
    Ok(n * unit)
}

impl ShiftDate {
    /// The entity column, unless the rule shifts per row.
    pub fn entity_column(&self) -> Option<&str> {
        self.per.as_deref().filter(|p| *p != "row")
    }

    pub fn bind(&self, ctx: &ColumnContext<'_>) -> Result<Bound, String> {
        let ty = ctx.require_type("shift_date")?;
        let layout = Layout::of(ty, &self.formats, "shift_date")?;
        let max = parse_span(&self.max)?;
        let granule = if self.keep_weekday {
            7 * DAY
        } else if self.keep_time_of_day || layout.date_only() {
            DAY
        } else {
            1
        };
        let units = max / granule;
        if units == 0 {
            return Err(format!(
                "`max = {:?}` is less than one step of this column's shift ({} s): raise `max`",
                self.max, granule
            ));
        }
        let domain = self.domain.as_deref().or(self.entity_column());
        Ok(Bound::Apply(Box::new(ShiftDateTransform {
            keyed: Keyed::new(ctx, "shift_date", domain),
            layout,
            granule,
            units: units as u64,
        })))
    }
}

#[derive(Debug)]
struct ShiftDateTransform {
    keyed: Keyed,
    layout: Layout,
    /// Seconds per step.
    granule: i64,
    /// Largest number of steps.
    units: u64,
}

impl ShiftDateTransform {
    /// The offset in seconds for this entity (or value): never zero, within ±max.
    fn offset(&self, selector: &[u8]) -> i64 {
        let d = self.keyed.digest(selector);
        let steps = 1 + scaled(word(&d, 0), self.units) as i64;
        let sign = if d[8] & 1 == 1 { -1 } else { 1 };
        sign * steps * self.granule
    }
}

fn refused(what: &str) -> TransformError {
    TransformError(format!("`shift_date`: {what}"))
}

impl Transform for ShiftDateTransform {
    fn apply(
        &self,
        input: &[u8],
        ctx: &RowContext<'_>,
        out: &mut Vec<u8>,
    ) -> Result<Applied, TransformError> {
        if datetime::is_infinity(input) {
            out.extend_from_slice(input);
            return Ok(Applied::Value);
        }
        // A row without its entity falls back to the value's own offset.
        let offset = self.offset(ctx.entity.unwrap_or(input));
        match &self.layout {
            Layout::Date | Layout::Timestamp => {
                let with_time = matches!(self.layout, Layout::Timestamp);
                let t = datetime::parse_pg(input, with_time)
                    .ok_or_else(|| refused("a value is not in pg_dump's ISO date/time form"))?;
                let shifted = match t.secs {
                    None => PgTime {
                        days: t.days + offset / DAY,
                        ..t
                    },
                    Some(s) => {
                        let total = s + offset;
                        PgTime {
                            days: t.days + total.div_euclid(DAY),
                            secs: Some(total.rem_euclid(DAY)),
                            tail: t.tail,
                        }
                    }
                };
                datetime::write_pg(&shifted, out)
                    .ok_or_else(|| refused("a shifted value leaves PostgreSQL's date range"))?;
            }
            Layout::Formats(formats) => {
                let s = std::str::from_utf8(input).map_err(|_| refused("a value is not UTF-8"))?;
                let (parsed, format) = Parsed::read(s, formats)
                    .ok_or_else(|| refused("a value matches none of the rule's `formats`"))?;
                parsed
                    .shifted(offset)
                    .and_then(|p| p.write(format, out))
                    .ok_or_else(|| refused("a shifted value cannot be written in its format"))?;
            }
        }
        Ok(Applied::Value)
    }
}

#[cfg(test)]
#[path = "shift_date_tests.rs"]
mod tests;
