//! The checks of DevRev's requests, run before anything is sent (the shared
//! ones are in [`crate::validate`]). They read the wire form.

use super::model as devrev;
use crate::error::Error;
use crate::json::{Json, JsonExt};
use crate::validate::{date, id, one_of};

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
