//! Checks that run before any request is sent. A failure is a `validation`
//! error naming the offending field; nothing reaches the network.
//!
//! They read the wire form (see `crate::wire`): the typed Rust API and the
//! JavaScript API run the same checks. Here are the shared ones; each
//! provider's own are in its folder (`crate::truto::validate`,
//! `crate::devrev::validate`).

use crate::error::Error;
use crate::time::parse_rfc3339;

/// A record id: a non-empty string that is not `.` or `..` (which no URL can
/// carry as a path segment: fetch would resolve them away).
pub fn id(id: &str) -> Result<(), Error> {
    if id.is_empty() || id == "." || id == ".." {
        return Err(Error::validation(
            "invalid_id",
            Some("id"),
            "id must be a non-empty string (and not `.` or `..`)",
        ));
    }
    Ok(())
}

/// An optional value that must be one of `allowed`.
pub fn one_of(value: Option<&str>, allowed: &[&str], field: &str) -> Result<(), Error> {
    match value {
        Some(v) if !allowed.contains(&v) => Err(Error::validation(
            "invalid_enum",
            Some(field),
            format!("{field} must be one of {}; got \"{v}\"", allowed.join(", ")),
        )),
        _ => Ok(()),
    }
}

/// An optional RFC 3339 date-time; returns its instant in ms.
pub fn date(value: Option<&str>, field: &str) -> Result<Option<i64>, Error> {
    match value {
        None => Ok(None),
        Some(v) => parse_rfc3339(v).map(Some).ok_or_else(|| {
            Error::validation(
                "invalid_date",
                Some(field),
                format!(
                    "{field} must be an RFC 3339 date-time such as 2024-05-01T09:30:00Z; got \"{v}\""
                ),
            )
        }),
    }
}
