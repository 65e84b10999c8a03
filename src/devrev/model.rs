//! DevRev's engagement and the request bodies of its endpoints, from DevRev's
//! published OpenAPI description (beta, `/engagements.*`).

use crate::json::Json;
use serde::{Deserialize, Serialize};
use tsify::Tsify;

/// Values of `engagement_type` that `create` accepts.
pub const CREATE_TYPES: &[&str] = &["call", "default", "email", "linked_in", "offline"];
/// Values of `engagement_type` that list and count filters accept (and that
/// DevRev may return).
pub const TYPES: &[&str] = &[
    "call",
    "conversation",
    "custom",
    "default",
    "email",
    "linked_in",
    "meeting",
    "offline",
    "survey",
];
/// Most ids a `members`, `parents` or `artifacts` list may hold.
pub const MAX_MEMBERS: usize = 50;

/// A summary of a user, account, opportunity, artifact or tag, as DevRev embeds it.
#[derive(Clone, Debug, Default, Serialize, Deserialize, Tsify)]
pub struct DevRevSummary {
    /// Globally unique object ID (a DON such as `don:identity:dvrv-us-1:devo/0:devu/1`).
    pub id: String,
    /// Human-readable ID unique to the Dev organization (`DEVU-1`, `ACC-12`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[tsify(optional)]
    pub display_id: Option<String>,
    /// Display name, for users.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[tsify(optional)]
    pub display_name: Option<String>,
    /// Name, for tags and other named objects.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[tsify(optional)]
    pub name: Option<String>,
    /// Full name, for users.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[tsify(optional)]
    pub full_name: Option<String>,
    /// Email, for users.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[tsify(optional)]
    pub email: Option<String>,
    /// The object's kind (`dev_user`, `rev_user`, `account`, `opportunity`...).
    #[serde(default, rename = "type", skip_serializing_if = "Option::is_none")]
    #[tsify(optional)]
    pub kind: Option<String>,
}

/// A tag on an engagement, with its optional value.
#[derive(Clone, Debug, Default, Serialize, Deserialize, Tsify)]
pub struct DevRevTagWithValue {
    /// The tag.
    pub tag: DevRevSummary,
    /// The value of the association, where the tag has allowed values.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[tsify(optional)]
    pub value: Option<String>,
}

/// An engagement as DevRev returns it. Fields DevRev adds later are kept
/// (the object is handed through as received).
#[derive(Clone, Debug, Default, Serialize, Deserialize, Tsify)]
pub struct DevRevEngagement {
    /// Globally unique object ID.
    pub id: String,
    /// Human-readable ID (`ENG-12`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[tsify(optional)]
    pub display_id: Option<String>,
    /// The title.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[tsify(optional)]
    pub title: Option<String>,
    /// The description.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[tsify(optional)]
    pub description: Option<String>,
    /// The type of engagement.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[tsify(optional, type = "DevRevEngagementType")]
    pub engagement_type: Option<String>,
    /// When the engagement was scheduled (RFC 3339).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[tsify(optional)]
    pub scheduled_date: Option<String>,
    /// The users who took part.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[tsify(optional)]
    pub members: Option<Vec<DevRevSummary>>,
    /// The accounts and opportunities it is associated with.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[tsify(optional)]
    pub parents: Option<Vec<DevRevSummary>>,
    /// External reference.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[tsify(optional)]
    pub external_ref: Option<String>,
    /// External URL.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[tsify(optional)]
    pub external_url: Option<String>,
    /// Tags.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[tsify(optional)]
    pub tags: Option<Vec<DevRevTagWithValue>>,
    /// Artifacts (files) attached.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[tsify(optional)]
    pub artifacts: Option<Vec<DevRevSummary>>,
    /// Who created it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[tsify(optional)]
    pub created_by: Option<DevRevSummary>,
    /// When it was created (RFC 3339).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[tsify(optional)]
    pub created_date: Option<String>,
    /// Who last modified it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[tsify(optional)]
    pub modified_by: Option<DevRevSummary>,
    /// When it was last modified (RFC 3339).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[tsify(optional)]
    pub modified_date: Option<String>,
}

/// A tag to set, by id, with an optional value.
#[derive(Clone, Debug, Default, Serialize, Deserialize, Tsify)]
#[serde(deny_unknown_fields)]
pub struct DevRevSetTag {
    /// The tag's id.
    pub id: String,
    /// The value, where the tag has allowed values.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[tsify(optional)]
    pub value: Option<String>,
}

/// The body of `create`: `members`, `scheduled_date` and `title` are required.
#[derive(Clone, Debug, Default, Serialize, Deserialize, Tsify)]
#[serde(deny_unknown_fields)]
pub struct DevRevCreate {
    // Required fields are `Option` so that a missing one reaches validation
    // (which names it) instead of failing in serde; TypeScript marks them required.
    /// The title.
    #[tsify(type = "string")]
    pub title: Option<String>,
    /// When it was scheduled (RFC 3339).
    #[tsify(type = "string")]
    pub scheduled_date: Option<String>,
    /// IDs of the users who took part: 1 to 50.
    #[tsify(type = "string[]")]
    pub members: Option<Vec<String>>,
    /// The description.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[tsify(optional)]
    pub description: Option<String>,
    /// The type: `call`, `default`, `email`, `linked_in` or `offline`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[tsify(optional, type = "DevRevCreateEngagementType")]
    pub engagement_type: Option<String>,
    /// The account or opportunity it was created in.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[tsify(optional)]
    pub parent: Option<String>,
    /// The accounts and opportunities it is associated with.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[tsify(optional)]
    pub parents: Option<Vec<String>>,
    /// IDs of artifacts to attach.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[tsify(optional)]
    pub artifacts: Option<Vec<String>>,
    /// External reference.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[tsify(optional)]
    pub external_ref: Option<String>,
    /// External URL.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[tsify(optional)]
    pub external_url: Option<String>,
    /// Tags to set.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[tsify(optional)]
    pub tags: Option<Vec<DevRevSetTag>>,
}

/// `{ set: [...] }`: replaces a list field with the given ids.
#[derive(Clone, Debug, Default, Serialize, Deserialize, Tsify)]
#[serde(deny_unknown_fields)]
pub struct DevRevSetIds {
    /// The new ids.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[tsify(optional)]
    pub set: Option<Vec<String>>,
}

/// `{ set: [...] }` for tags.
#[derive(Clone, Debug, Default, Serialize, Deserialize, Tsify)]
#[serde(deny_unknown_fields)]
pub struct DevRevSetTags {
    /// The new tags.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[tsify(optional)]
    pub set: Option<Vec<DevRevSetTag>>,
}

/// The body of `update`: the engagement's `id` and the fields to change.
#[derive(Clone, Debug, Default, Serialize, Deserialize, Tsify)]
#[serde(deny_unknown_fields)]
pub struct DevRevUpdate {
    /// The engagement's id (required; `Option` so validation can name it when missing).
    #[tsify(type = "string")]
    pub id: Option<String>,
    /// New title.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[tsify(optional)]
    pub title: Option<String>,
    /// New description.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[tsify(optional)]
    pub description: Option<String>,
    /// New scheduled date (RFC 3339), or `null` to clear it.
    #[serde(default, with = "nullable", skip_serializing_if = "Option::is_none")]
    #[tsify(optional, type = "string | null")]
    pub scheduled_date: Option<Option<String>>,
    /// Replaces the members (1 to 50 when given).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[tsify(optional)]
    pub members: Option<DevRevSetIds>,
    /// Replaces the parents (at most 50).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[tsify(optional)]
    pub parents: Option<DevRevSetIds>,
    /// Replaces the artifacts.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[tsify(optional)]
    pub artifacts: Option<DevRevSetIds>,
    /// Replaces the tags.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[tsify(optional)]
    pub tags: Option<DevRevSetTags>,
    /// New external reference.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[tsify(optional)]
    pub external_ref: Option<String>,
    /// New external URL.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[tsify(optional)]
    pub external_url: Option<String>,
}

/// A field that may be absent (`None`), `null` (`Some(None)`: clear it) or set.
mod nullable {
    use serde::{Deserialize, Deserializer, Serialize, Serializer};

    pub fn deserialize<'de, D: Deserializer<'de>>(
        d: D,
    ) -> Result<Option<Option<String>>, D::Error> {
        Option::<String>::deserialize(d).map(Some)
    }

    pub fn serialize<S: Serializer>(v: &Option<Option<String>>, s: S) -> Result<S::Ok, S::Error> {
        v.serialize(s)
    }
}

/// The body of `list` (and the filter of `listAll`).
#[derive(Clone, Debug, Default, Serialize, Deserialize, Tsify)]
#[serde(deny_unknown_fields)]
pub struct DevRevListRequest {
    /// The cursor to resume from.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[tsify(optional)]
    pub cursor: Option<String>,
    /// The maximum number of engagements per page.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[tsify(optional)]
    pub limit: Option<u32>,
    /// `after` (default): entries after the cursor; `before`: entries before it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[tsify(optional, type = "\"after\" | \"before\"")]
    pub mode: Option<String>,
    /// Only these types.
    #[serde(default, rename = "type", skip_serializing_if = "Option::is_none")]
    #[tsify(optional, type = "DevRevEngagementType[]")]
    pub types: Option<Vec<String>>,
    /// Only engagements with these members.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[tsify(optional)]
    pub members: Option<Vec<String>>,
    /// Only engagements with these parents.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[tsify(optional)]
    pub parent: Option<Vec<String>>,
    /// Only engagements with these external references.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[tsify(optional)]
    pub external_ref: Option<Vec<String>>,
    /// Sort order, such as `"scheduled_date:desc"`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[tsify(optional)]
    pub sort_by: Option<Vec<String>>,
}

/// The filter of `count`.
#[derive(Clone, Debug, Default, Serialize, Deserialize, Tsify)]
#[serde(deny_unknown_fields)]
pub struct DevRevCountRequest {
    /// Only these types.
    #[serde(default, rename = "type", skip_serializing_if = "Option::is_none")]
    #[tsify(optional, type = "DevRevEngagementType[]")]
    pub types: Option<Vec<String>>,
    /// Only engagements with these members.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[tsify(optional)]
    pub members: Option<Vec<String>>,
    /// Only engagements with these parents.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[tsify(optional)]
    pub parent: Option<Vec<String>>,
    /// Only engagements with these external references.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[tsify(optional)]
    pub external_ref: Option<Vec<String>>,
}

/// One page of `list`, as DevRev sends it.
#[derive(Clone, Debug, Serialize, Deserialize, Tsify)]
pub struct DevRevListResponse {
    /// The engagements.
    #[tsify(type = "DevRevEngagement[]")]
    pub engagements: Json,
    /// The cursor of the next page; absent on the last page.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[tsify(optional)]
    pub next_cursor: Option<String>,
    /// The cursor of the previous page; absent on the first.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[tsify(optional)]
    pub prev_cursor: Option<String>,
}

#[wasm_bindgen::prelude::wasm_bindgen(typescript_custom_section)]
const TS_DEVREV: &'static str = r#"
/** Engagement types DevRev returns and list filters take. */
export type DevRevEngagementType =
  | "call" | "conversation" | "custom" | "default" | "email"
  | "linked_in" | "meeting" | "offline" | "survey";
/** Engagement types `create` accepts. */
export type DevRevCreateEngagementType = "call" | "default" | "email" | "linked_in" | "offline";
/** DevRev may return fields this version does not know; they are kept. */
export interface DevRevEngagement { [field: string]: unknown }
"#;
