//! One view across both APIs: a DevRev engagement in the unified Engagement shape.
//!
//! It reads only the fields it maps, through [`JsonExt`], and builds the result
//! the same way: no typed decode and no serializer, which in the wasm build
//! would cost more than the mapping itself.

use crate::error::Error;
use crate::json::{Json, JsonExt};

/// Maps a DevRev engagement onto Truto's unified `Engagement`, so one table can
/// list both sources:
///
/// | DevRev | unified |
/// | --- | --- |
/// | `id` | `id` |
/// | `title` | `subject` |
/// | `description` | `content` |
/// | `scheduled_date` | `start_time` |
/// | `engagement_type` | `engagement_type` (`conversation` becomes `chat`) |
/// | first `dev_user` member | `owner` |
/// | `rev_user` members (customers) | `contact` |
/// | parent accounts (first) | `account` |
/// | parent opportunities | `opportunity` |
/// | `created_date`, `modified_date` | `created_at`, `updated_at` |
/// | the whole DevRev object | `remote_data` |
///
/// Every field of the unified shape is present, `null` when DevRev has no
/// counterpart. Fields DevRev adds later are kept in `remote_data`.
///
/// # Errors
/// `decode` when the value is not a DevRev engagement: not an object, no
/// string `id`, or a mapped field of the wrong type.
pub fn to_engagement(devrev: &Json) -> Result<Json, Error> {
    to_engagement_keeping(devrev, devrev.clone())
}

/// As [`to_engagement`], reading `devrev` but keeping `original` as `remote_data`
/// (the JavaScript layer reads a plain copy and keeps the caller's object).
pub fn to_engagement_keeping(devrev: &Json, original: Json) -> Result<Json, Error> {
    if !devrev.is_object() {
        return Err(bad("it is not an object"));
    }
    let id = devrev
        .member("id")
        .filter(|id| id.string().is_some())
        .ok_or_else(|| bad("`id` must be a string"))?;
    // Read in this order (the type, the summaries, then the strings of the
    // object below), so a value with several wrong fields is refused for the
    // same one as it always was.
    let engagement_type = match text(devrev, "engagement_type")? {
        t if t.string().as_deref() == Some("conversation") => Json::text("chat"),
        t => t,
    };
    let members = summaries(devrev, "members")?;
    let parents = summaries(devrev, "parents")?;
    let refs = |list: &[(String, Kind)], kind: Kind| -> Vec<Json> {
        list.iter()
            .filter(|(_, k)| *k == kind)
            .map(|(id, _)| Json::object(vec![("id", Json::text(id))]))
            .collect()
    };
    let first = |list: Vec<Json>| list.into_iter().next().unwrap_or_else(Json::null);
    let all = |list: Vec<Json>| {
        if list.is_empty() {
            Json::null()
        } else {
            Json::array(list)
        }
    };
    // In the order of `Engagement`'s fields.
    Ok(Json::object(vec![
        ("id", id),
        ("engagement_type", engagement_type),
        ("subject", text(devrev, "title")?),
        ("content", text(devrev, "description")?),
        ("start_time", text(devrev, "scheduled_date")?),
        ("end_time", Json::null()),
        ("direction", Json::null()),
        ("status", Json::null()),
        ("duration", Json::null()),
        ("owner", first(refs(&members, Kind::User))),
        ("account", first(refs(&parents, Kind::Account))),
        ("contact", all(refs(&members, Kind::Customer))),
        ("opportunity", all(refs(&parents, Kind::Opportunity))),
        ("lead", Json::null()),
        ("project", Json::null()),
        ("notes", Json::null()),
        ("phone_numbers", Json::null()),
        ("internal_notes", Json::null()),
        ("custom_fields", Json::null()),
        ("created_at", text(devrev, "created_date")?),
        ("updated_at", text(devrev, "modified_date")?),
        ("remote_data", original),
    ]))
}

/// DevRev's `key`: a string, `null` when absent or null.
fn text(devrev: &Json, key: &str) -> Result<Json, Error> {
    match devrev.member(key) {
        None => Ok(Json::null()),
        Some(v) if v.is_null() || v.string().is_some() => Ok(v),
        Some(_) => Err(bad(&format!("`{key}` must be a string"))),
    }
}

#[cold]
fn bad(why: &str) -> Error {
    Error::decode(
        "invalid_engagement",
        format!("not a DevRev engagement: {why}"),
    )
}

/// The ids and kinds of a list of summaries (`members`, `parents`).
fn summaries(devrev: &Json, key: &str) -> Result<Vec<(String, Kind)>, Error> {
    let Some(list) = devrev.member(key).filter(|v| !v.is_null()) else {
        return Ok(Vec::new());
    };
    let items = list
        .items()
        .ok_or_else(|| bad(&format!("`{key}` must be an array")))?;
    items
        .iter()
        .map(|item| {
            let id = item.member("id").and_then(|id| id.string());
            let kind = match item.member("type").filter(|t| !t.is_null()) {
                None => Some(None),
                Some(t) => t.string().map(Some),
            };
            match (id, kind) {
                (Some(id), Some(kind)) => {
                    let kind = kind_of(&id, kind.as_deref());
                    Ok((id, kind))
                }
                _ => Err(bad(&format!(
                    "`{key}` must hold objects with a string `id` (and `type`)"
                ))),
            }
        })
        .collect::<Result<Vec<_>, _>>()
}

#[derive(PartialEq, Eq, Clone, Copy)]
enum Kind {
    User,
    Customer,
    Account,
    Opportunity,
    Other,
}

/// What an id points at: from the summary's `type`, else from the id itself
/// (`don:identity:...:devu/1`, `DEVU-1`, `don:core:...:account/2`, `ACC-2`...).
fn kind_of(id: &str, kind: Option<&str>) -> Kind {
    let from = |t: &str| match t {
        "dev_user" | "sys_user" | "service_account" => Kind::User,
        "rev_user" => Kind::Customer,
        "account" => Kind::Account,
        "opportunity" => Kind::Opportunity,
        _ => Kind::Other,
    };
    if let Some(kind) = kind.map(from).filter(|k| *k != Kind::Other) {
        return kind;
    }
    let id = id.to_ascii_lowercase();
    let last = id.rsplit_once(':').map_or(id.as_str(), |(_, last)| last);
    let object = last.split_once('/').map_or(last, |(object, _)| object);
    match object {
        "devu" | "svcacc" | "sysu" => Kind::User,
        "revu" => Kind::Customer,
        "account" => Kind::Account,
        "opportunity" => Kind::Opportunity,
        _ => match id.split_once('-').map_or(id.as_str(), |(prefix, _)| prefix) {
            "devu" => Kind::User,
            "revu" => Kind::Customer,
            "acc" => Kind::Account,
            "opp" => Kind::Opportunity,
            _ => Kind::Other,
        },
    }
}

#[cfg(test)]
#[cfg(not(target_arch = "wasm32"))]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn maps_fields_and_ids_by_kind() {
        let devrev = json!({
            "id": "don:core:dvrv-us-1:devo/0:engagement/7",
            "title": "QBR", "description": "Quarterly review",
            "engagement_type": "conversation",
            "scheduled_date": "2024-05-01T10:00:00Z",
            "members": [
                {"id": "don:identity:dvrv-us-1:devo/0:revu/9", "type": "rev_user"},
                {"id": "don:identity:dvrv-us-1:devo/0:devu/1"},
                {"id": "DEVU-2"}
            ],
            "parents": [
                {"id": "don:core:dvrv-us-1:devo/0:opportunity/3"},
                {"id": "ACC-12"}
            ],
            "created_date": "2024-04-01T00:00:00Z",
            "modified_date": "2024-04-02T00:00:00Z",
            "future_field": 1
        });
        let e = to_engagement(&devrev).unwrap();
        assert_eq!(e["id"], devrev["id"]);
        assert_eq!(e["subject"], "QBR");
        assert_eq!(e["content"], "Quarterly review");
        assert_eq!(e["engagement_type"], "chat");
        assert_eq!(e["start_time"], "2024-05-01T10:00:00Z");
        assert_eq!(
            e["owner"],
            json!({"id": "don:identity:dvrv-us-1:devo/0:devu/1"})
        );
        assert_eq!(
            e["contact"],
            json!([{"id": "don:identity:dvrv-us-1:devo/0:revu/9"}])
        );
        assert_eq!(e["account"], json!({"id": "ACC-12"}));
        assert_eq!(
            e["opportunity"],
            json!([{"id": "don:core:dvrv-us-1:devo/0:opportunity/3"}])
        );
        assert_eq!(e["created_at"], "2024-04-01T00:00:00Z");
        assert_eq!(e["updated_at"], "2024-04-02T00:00:00Z");
        assert_eq!(e["remote_data"], devrev, "the original is kept whole");
    }

    #[test]
    fn refuses_what_is_not_an_engagement() {
        let e = to_engagement(&json!({"title": "no id"})).unwrap_err();
        assert_eq!(e.kind(), crate::ErrorKind::Decode);
        assert!(to_engagement(&json!([1])).is_err());
        for bad in [
            json!({"id": 7}),
            json!({"id": "E-1", "title": 1}),
            json!({"id": "E-1", "members": {"id": "DEVU-1"}}),
            json!({"id": "E-1", "members": [{"name": "no id"}]}),
            json!({"id": "E-1", "parents": [{"id": "ACC-1", "type": 3}]}),
        ] {
            let e = to_engagement(&bad).unwrap_err();
            assert_eq!(e.kind(), crate::ErrorKind::Decode, "{bad}");
            assert_eq!(e.code(), Some("invalid_engagement"), "{bad}");
        }
    }

    #[test]
    fn every_unified_field_is_present_and_later_devrev_fields_are_kept() {
        let devrev = json!({"id": "E-1", "tags": [{"weird": true}], "new_field": {"x": 1}});
        let e = to_engagement(&devrev).unwrap();
        let keys: Vec<&str> = e.as_object().unwrap().keys().map(String::as_str).collect();
        assert_eq!(
            keys,
            [
                "id",
                "engagement_type",
                "subject",
                "content",
                "start_time",
                "end_time",
                "direction",
                "status",
                "duration",
                "owner",
                "account",
                "contact",
                "opportunity",
                "lead",
                "project",
                "notes",
                "phone_numbers",
                "internal_notes",
                "custom_fields",
                "created_at",
                "updated_at",
                "remote_data",
            ]
        );
        assert_eq!(e["owner"], json!(null));
        assert_eq!(e["contact"], json!(null));
        assert_eq!(e["remote_data"], devrev);
        // The keys are exactly the fields of the typed `Engagement`, in order.
        let typed = serde_json::to_value(crate::truto::model::Engagement::default()).unwrap();
        let typed: Vec<&str> = typed
            .as_object()
            .unwrap()
            .keys()
            .map(String::as_str)
            .collect();
        assert_eq!(keys, typed);
    }
}
