//! `generalize_date`: truncates dates and timestamps to the start of their `unit` (`year`,
//! `quarter`, `month`, ISO `week`, `day`), keeping the column's type and format.
//!
//! Timestamps become midnight of that day, without fractional seconds; a `timestamptz` keeps its
//! offset. Text columns read and write their values with `formats`, like `shift_date`.
//! `infinity` and `-infinity` pass unchanged; other unreadable values are errors (`on_error`).

use serde::Deserialize;

use super::datetime::{self, Layout, Parsed, PgTime, Unit};
use super::{Applied, Bound, ColumnContext, RowContext, Transform, TransformError};

/// Parameters of `generalize_date`.
#[derive(Debug, Clone, Deserialize, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct GeneralizeDate {
    /// `year`, `quarter`, `month`, `week` (back to Monday) or `day`.
    pub unit: Unit,
    /// For text columns: chrono patterns the dates are written in; each value keeps its own.
    #[serde(default)]
    pub formats: Vec<String>,
}

impl GeneralizeDate {
    pub fn bind(&self, ctx: &ColumnContext<'_>) -> Result<Bound, String> {
        let ty = ctx.require_type("generalize_date")?;
        let layout = Layout::of(ty, &self.formats, "generalize_date")?;
        Ok(Bound::Apply(Box::new(GeneralizeDateTransform {
            unit: self.unit,
            layout,
        })))
    }
}

#[derive(Debug)]
struct GeneralizeDateTransform {
    unit: Unit,
    layout: Layout,
}

fn refused(what: &str) -> TransformError {
    TransformError(format!("`generalize_date`: {what}"))
}

/// The offset part of a timestamp's tail (after any fraction).
fn offset_of(tail: &[u8]) -> &[u8] {
    let start = tail
        .iter()
        .position(|&b| b == b'+' || b == b'-')
        .unwrap_or(tail.len());
    &tail[start..]
}

impl Transform for GeneralizeDateTransform {
    fn apply(
        &self,
        input: &[u8],
        _ctx: &RowContext<'_>,
        out: &mut Vec<u8>,
    ) -> Result<Applied, TransformError> {
        if datetime::is_infinity(input) {
            out.extend_from_slice(input);
            return Ok(Applied::Value);
        }
        match &self.layout {
            Layout::Date | Layout::Timestamp => {
                let with_time = matches!(self.layout, Layout::Timestamp);
                let t = datetime::parse_pg(input, with_time)
                    .ok_or_else(|| refused("a value is not in pg_dump's ISO date/time form"))?;
                let cut = PgTime {
                    days: self.unit.truncate_days(t.days),
                    secs: t.secs.map(|_| 0),
                    tail: offset_of(t.tail),
                };
                datetime::write_pg(&cut, out)
                    .ok_or_else(|| refused("a value leaves PostgreSQL's date range"))?;
            }
            Layout::Formats(formats) => {
                let s = std::str::from_utf8(input).map_err(|_| refused("a value is not UTF-8"))?;
                let (parsed, format) = Parsed::read(s, formats)
                    .ok_or_else(|| refused("a value matches none of the rule's `formats`"))?;
                parsed
                    .truncated(self.unit)
                    .and_then(|p| p.write(format, out))
                    .ok_or_else(|| refused("a value cannot be written in its format"))?;
            }
        }
        Ok(Applied::Value)
    }
}

#[cfg(test)]
mod tests {
    use super::super::testutil::{bind, run, try_bind, value};

    #[test]
    fn table() {
        for (unit, sql, input, want) in [
            ("year", "date", "1984-07-23", "1984-01-01"),
            ("quarter", "date", "1984-08-23", "1984-07-01"),
            (
                "month",
                "timestamp without time zone",
                "2020-05-17 10:11:12.5",
                "2020-05-01 00:00:00",
            ),
            ("week", "date", "2024-08-15", "2024-08-12"),
            (
                "day",
                "timestamp with time zone",
                "2020-01-01 10:00:00.123+05:30",
                "2020-01-01 00:00:00+05:30",
            ),
            (
                "month",
                "timestamp with time zone",
                "2020-01-09 10:00:00-08",
                "2020-01-01 00:00:00-08",
            ),
            ("year", "date", "0044-03-15 BC", "0044-01-01 BC"),
            ("year", "date", "infinity", "infinity"),
        ] {
            let t = bind(
                &format!("transform = \"generalize_date\", unit = \"{unit}\""),
                sql,
            );
            assert_eq!(value(&*t, input), want, "{unit} {input}");
        }
        let t = bind(
            r#"transform = "generalize_date", unit = "month", formats = ["%m/%d/%Y", "%Y-%m-%d"]"#,
            "text",
        );
        assert_eq!(value(&*t, "07/23/1984"), "07/01/1984");
        assert_eq!(value(&*t, "1984-07-23"), "1984-07-01");
        assert!(run(&*t, "23.07.1984", None).is_err());
        assert!(try_bind(
            r#"transform = "generalize_date", unit = "month""#,
            "text",
            1
        )
        .is_err());
        assert!(try_bind(r#"transform = "generalize_date", unit = "hour""#, "date", 1).is_err());
    }
}
