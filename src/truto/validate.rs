//! The checks of Truto's requests, run before anything is sent (the shared
//! ones are in [`crate::validate`]). They read the wire form.

use crate::error::Error;
use crate::json::{Json, JsonExt};
use crate::time::add_one_year;
use crate::validate::{date, one_of};

/// Values of `direction`.
pub const DIRECTIONS: &[&str] = &["inbound", "outbound", "missed"];
/// Values of `status`.
pub const STATUSES: &[&str] = &["inbox", "draft", "scheduled", "outbox", "sent"];

/// The query of a Truto list call (its wire form). `long`: a range over one
/// year is allowed (`listAll` splits it into windows of at most one year).
pub fn truto_list(q: &Json, stream: bool, long: bool) -> Result<(), Error> {
    if !stream && q.string_at("truto_response_format").as_deref() == Some("stream") {
        return Err(Error::validation(
            "stream_not_supported",
            Some("query.truto_response_format"),
            "truto_response_format \"stream\" returns a byte stream: use listStream() instead of list()/listAll()",
        ));
    }
    one_of(
        q.string_at("direction").as_deref(),
        DIRECTIONS,
        "query.direction",
    )?;
    one_of(q.string_at("status").as_deref(), STATUSES, "query.status")?;
    if q.member("limit").and_then(|l| l.number()) == Some(0.0) {
        return Err(Error::validation(
            "invalid_limit",
            Some("query.limit"),
            "limit must be at least 1",
        ));
    }
    for (key, field) in [
        ("account", "query.account.id"),
        ("contact", "query.contact.id"),
        ("owner", "query.owner.id"),
        ("opportunity", "query.opportunity.id"),
        ("lead", "query.lead.id"),
    ] {
        if q.member(key)
            .is_some_and(|r| r.string_at("id").unwrap_or_default().is_empty())
        {
            return Err(Error::validation(
                "invalid_id",
                Some(field),
                format!("{field} must not be empty"),
            ));
        }
    }
    let start = date(q.string_at("start_time").as_deref(), "query.start_time")?;
    let end = date(q.string_at("end_time").as_deref(), "query.end_time")?;
    if let (Some(start), Some(end)) = (start, end) {
        if start >= end {
            return Err(Error::validation(
                "invalid_time_range",
                Some("query.end_time"),
                "start_time must be before end_time",
            ));
        }
        if end > add_one_year(start) && !long {
            return Err(Error::validation(
                "invalid_time_range",
                Some("query.end_time"),
                "the range from start_time to end_time must not exceed one year",
            ));
        }
    }
    Ok(())
}

/// The query of a Truto delete call (its wire form).
pub fn truto_delete(q: &Json) -> Result<(), Error> {
    one_of(
        q.string_at("direction").as_deref(),
        DIRECTIONS,
        "query.direction",
    )?;
    one_of(q.string_at("status").as_deref(), STATUSES, "query.status")
}

/// A Truto create or update body (its wire form).
pub fn truto_body(b: &Json) -> Result<(), Error> {
    one_of(
        b.string_at("direction").as_deref(),
        DIRECTIONS,
        "body.direction",
    )?;
    one_of(b.string_at("status").as_deref(), STATUSES, "body.status")?;
    let start = date(b.string_at("start_time").as_deref(), "body.start_time")?;
    let end = date(b.string_at("end_time").as_deref(), "body.end_time")?;
    date(b.string_at("created_at").as_deref(), "body.created_at")?;
    if let (Some(start), Some(end)) = (start, end) {
        if end < start {
            return Err(Error::validation(
                "invalid_time_range",
                Some("body.end_time"),
                "end_time must not precede start_time",
            ));
        }
    }
    Ok(())
}

/// The integrated account id from the query, else the client's.
pub fn integrated_account(
    from_query: Option<&str>,
    from_client: Option<&str>,
) -> Result<String, Error> {
    from_query
        .filter(|s| !s.is_empty())
        .or(from_client.filter(|s| !s.is_empty()))
        .map(str::to_owned)
        .ok_or_else(|| {
            Error::validation(
                "missing_integrated_account_id",
                Some("query.integrated_account_id"),
                "integrated_account_id is required: pass it in the query or set integratedAccountId on the client",
            )
        })
}
