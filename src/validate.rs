//! Checks that run before any request is sent. A failure is a `validation`
//! error naming the offending field; nothing reaches the network.
//!
//! They read the wire form (see `crate::wire`): the typed Rust API and the
//! JavaScript API run the same checks.

use crate::devrev::model as devrev;
use crate::error::Error;
use crate::json::{Json, JsonExt};
use crate::time::{add_one_year, parse_rfc3339};

/// Values of `direction`.
pub const DIRECTIONS: &[&str] = &["inbound", "outbound", "missed"];
/// Values of `status`.
pub const STATUSES: &[&str] = &["inbox", "draft", "scheduled", "outbox", "sent"];

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

/// The query of a Truto list call (its wire form).
pub fn truto_list(q: &Json, stream: bool) -> Result<(), Error> {
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
        if end > add_one_year(start) {
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

/// A DevRev list request (its wire form).
pub fn devrev_list(r: &Json) -> Result<(), Error> {
    one_of(
        r.string_at("mode").as_deref(),
        &["after", "before"],
        "request.mode",
    )?;
    devrev_types(r, "request.type")
}

/// DevRev's `type` filter of `r` (`field` names it in errors): each in the list enum.
pub fn devrev_types(r: &Json, field: &str) -> Result<(), Error> {
    for t in strings(r, "type").unwrap_or_default() {
        one_of(Some(&t), devrev::TYPES, field)?;
    }
    Ok(())
}

/// A string-array member of a wire object.
fn strings(j: &Json, key: &str) -> Option<Vec<String>> {
    let items = j.member(key)?.items()?;
    Some(
        items
            .iter()
            .map(|v| v.string().unwrap_or_default())
            .collect(),
    )
}

fn count_in(ids: &[String], min: usize, field: &str) -> Result<(), Error> {
    if ids.len() < min || ids.len() > devrev::MAX_MEMBERS {
        return Err(Error::validation(
            "invalid_count",
            Some(field),
            format!(
                "{field} must hold {min} to {} ids; got {}",
                devrev::MAX_MEMBERS,
                ids.len()
            ),
        ));
    }
    if ids.iter().any(String::is_empty) {
        return Err(Error::validation(
            "invalid_id",
            Some(field),
            format!("{field} holds an empty id"),
        ));
    }
    Ok(())
}

fn required(value: Option<String>, field: &str) -> Result<String, Error> {
    value.filter(|v| !v.trim().is_empty()).ok_or_else(|| {
        Error::validation("missing_field", Some(field), format!("{field} is required"))
    })
}

/// A DevRev create body (its wire form).
pub fn devrev_create(b: &Json) -> Result<(), Error> {
    required(b.string_at("title"), "body.title")?;
    let scheduled = required(b.string_at("scheduled_date"), "body.scheduled_date")?;
    date(Some(&scheduled), "body.scheduled_date")?;
    let members = strings(b, "members").ok_or_else(|| {
        Error::validation(
            "missing_field",
            Some("body.members"),
            "body.members is required",
        )
    })?;
    count_in(&members, 1, "body.members")?;
    one_of(
        b.string_at("engagement_type").as_deref(),
        devrev::CREATE_TYPES,
        "body.engagement_type",
    )?;
    if let Some(parents) = strings(b, "parents") {
        count_in(&parents, 0, "body.parents")?;
    }
    Ok(())
}

/// A DevRev update body (its wire form).
pub fn devrev_update(b: &Json) -> Result<(), Error> {
    id(&b.string_at("id").unwrap_or_default()).map_err(|_| {
        Error::validation(
            "invalid_id",
            Some("body.id"),
            "body.id must be the engagement's id",
        )
    })?;
    date(
        b.string_at("scheduled_date").as_deref(),
        "body.scheduled_date",
    )?;
    if b.member("title").is_some_and(|t| !t.is_null()) {
        required(b.string_at("title"), "body.title")?;
    }
    let set = |key: &str| b.member(key).and_then(|m| strings(&m, "set"));
    if let Some(set) = set("members") {
        count_in(&set, 1, "body.members.set")?;
    }
    if let Some(set) = set("parents") {
        count_in(&set, 0, "body.parents.set")?;
    }
    Ok(())
}
