//! Timestamps for `created`/`modified`: RFC 3339 in UTC, second precision,
//! so they sort as strings and read well in the RON file.

use time::OffsetDateTime;
use time::format_description::well_known::Rfc3339;

/// The current time as an RFC 3339 UTC string, e.g. `2026-11-28T10:15:00Z`.
pub fn now_rfc3339() -> String {
    let now = OffsetDateTime::now_utc();
    let now = now.replace_nanosecond(0).unwrap_or(now);
    now.format(&Rfc3339)
        .unwrap_or_else(|_| "1970-01-01T00:00:00Z".to_owned())
}

#[cfg(test)]
mod tests {
    #[test]
    fn now_is_rfc3339_utc() {
        let s = super::now_rfc3339();
        assert_eq!(s.len(), 20, "{s}");
        assert!(s.ends_with('Z'));
        assert!(
            time::OffsetDateTime::parse(&s, &time::format_description::well_known::Rfc3339).is_ok()
        );
    }
}
