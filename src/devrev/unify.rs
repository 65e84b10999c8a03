//! One view across both APIs: a DevRev engagement in the unified Engagement shape.

use super::model::{DevRevEngagement, DevRevSummary};
use crate::error::Error;
use crate::json::{Json, JsonExt};
use crate::truto::model::{Engagement, Ref};

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
/// # Errors
/// `decode` when the value is not a DevRev engagement (no string `id`).
pub fn to_engagement(devrev: &Json) -> Result<Json, Error> {
    to_engagement_keeping(devrev, devrev.clone())
}

/// As [`to_engagement`], reading `devrev` but keeping `original` as `remote_data`
/// (the JavaScript layer reads a plain copy and keeps the caller's object).
pub fn to_engagement_keeping(devrev: &Json, original: Json) -> Result<Json, Error> {
    let e = read_engagement(devrev)?;
    let members = e.members.unwrap_or_default();
    let parents = e.parents.unwrap_or_default();
    let refs = |list: &[DevRevSummary], kind: Kind| -> Vec<Ref> {
        list.iter()
            .filter(|s| kind_of(s) == kind)
            .map(|s| Ref { id: s.id.clone() })
            .collect()
    };
    let contacts = refs(&members, Kind::Customer);
    let opportunities = refs(&parents, Kind::Opportunity);
    let unified = Engagement {
        id: e.id,
        engagement_type: e.engagement_type.map(|t| match t.as_str() {
            "conversation" => "chat".to_owned(),
            _ => t,
        }),
        subject: e.title,
        content: e.description,
        start_time: e.scheduled_date,
        owner: refs(&members, Kind::User).into_iter().next(),
        account: refs(&parents, Kind::Account).into_iter().next(),
        contact: (!contacts.is_empty()).then_some(contacts),
        opportunity: (!opportunities.is_empty()).then_some(opportunities),
        created_at: e.created_date,
        updated_at: e.modified_date,
        remote_data: Some(original),
        ..Engagement::default()
    };
    Json::from_serialize(&unified).map_err(|why| Error::decode("invalid_engagement", why))
}

#[cfg(not(target_arch = "wasm32"))]
fn read_engagement(devrev: &Json) -> Result<DevRevEngagement, Error> {
    devrev.decode().map_err(|why| {
        Error::decode(
            "invalid_engagement",
            format!("not a DevRev engagement: {why}"),
        )
    })
}

/// In wasm, read without serde (see `crate::wasm::from_js`).
#[cfg(target_arch = "wasm32")]
fn read_engagement(devrev: &Json) -> Result<DevRevEngagement, Error> {
    use crate::wasm::from_js::FromJs;
    DevRevEngagement::from_js(&devrev.0, &crate::wasm::from_js::Path::Root("engagement")).map_err(
        |why| {
            Error::decode(
                "invalid_engagement",
                format!("not a DevRev engagement: {}", why.message()),
            )
        },
    )
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
fn kind_of(s: &DevRevSummary) -> Kind {
    let from = |t: &str| match t {
        "dev_user" | "sys_user" | "service_account" => Kind::User,
        "rev_user" => Kind::Customer,
        "account" => Kind::Account,
        "opportunity" => Kind::Opportunity,
        _ => Kind::Other,
    };
    if let Some(kind) = s.kind.as_deref().map(from).filter(|k| *k != Kind::Other) {
        return kind;
    }
    let id = s.id.to_ascii_lowercase();
    let tail = id.rsplit(':').next().unwrap_or_default();
    let object = tail.split('/').next().unwrap_or_default();
    match object {
        "devu" | "svcacc" | "sysu" => Kind::User,
        "revu" => Kind::Customer,
        "account" => Kind::Account,
        "opportunity" => Kind::Opportunity,
        _ => match id.split('-').next().unwrap_or_default() {
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
    }
}
