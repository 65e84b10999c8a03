//! Truto's unified CRM engagement, and the query and body types of its endpoints.
//!
//! Field names are the API's own snake_case. These structs generate the
//! package's TypeScript declarations (tsify), so their docs are the JSDoc users see.

use crate::json::Json;
use serde::{Deserialize, Serialize};
use tsify::Tsify;

/// A reference to another CRM record.
#[derive(Clone, Debug, Default, Serialize, Deserialize, Tsify)]
pub struct Ref {
    /// The record's unique identifier.
    pub id: String,
}

/// A phone number attached to a call engagement.
#[derive(Clone, Debug, Default, Serialize, Deserialize, Tsify)]
#[serde(deny_unknown_fields)]
pub struct PhoneNumber {
    /// The unique identifier of the phone number.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[tsify(optional)]
    pub id: Option<String>,
    /// The phone number.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[tsify(optional)]
    pub number: Option<String>,
    /// The extension of the phone number.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[tsify(optional)]
    pub extension: Option<String>,
    /// The phone number type.
    #[serde(default, rename = "type", skip_serializing_if = "Option::is_none")]
    #[tsify(optional)]
    pub kind: Option<String>,
}

/// An engagement as Truto's unified CRM model returns it.
///
/// Fields an integration does not support are absent or `null`.
#[derive(Clone, Debug, Default, Serialize, Deserialize, Tsify)]
pub struct Engagement {
    /// The engagement's unique identifier.
    pub id: String,
    /// The engagement's type: `call`, `email`, `meeting`, `note`, `task`, `chat`, or the CRM's own.
    #[serde(default)]
    #[tsify(optional, type = "EngagementType | null")]
    pub engagement_type: Option<String>,
    /// The engagement's subject.
    #[serde(default)]
    #[tsify(optional, type = "string | null")]
    pub subject: Option<String>,
    /// The engagement's content.
    #[serde(default)]
    #[tsify(optional, type = "string | null")]
    pub content: Option<String>,
    /// The engagement's start time (RFC 3339).
    #[serde(default)]
    #[tsify(optional, type = "string | null")]
    pub start_time: Option<String>,
    /// The engagement's end time (RFC 3339).
    #[serde(default)]
    #[tsify(optional, type = "string | null")]
    pub end_time: Option<String>,
    /// The engagement's direction.
    #[serde(default)]
    #[tsify(optional, type = "Direction | null")]
    pub direction: Option<String>,
    /// The engagement's status.
    #[serde(default)]
    #[tsify(optional, type = "EngagementStatus | null")]
    pub status: Option<String>,
    /// The engagement's duration, as the CRM reports it.
    #[serde(default)]
    #[tsify(optional, type = "string | number | null")]
    pub duration: Option<Json>,
    /// The engagement's owner.
    #[serde(default)]
    #[tsify(optional, type = "Ref | null")]
    pub owner: Option<Ref>,
    /// The engagement's account.
    #[serde(default)]
    #[tsify(optional, type = "Ref | null")]
    pub account: Option<Ref>,
    /// The engagement's contacts.
    #[serde(default)]
    #[tsify(optional, type = "Ref[] | null")]
    pub contact: Option<Vec<Ref>>,
    /// The engagement's opportunities.
    #[serde(default)]
    #[tsify(optional, type = "Ref[] | null")]
    pub opportunity: Option<Vec<Ref>>,
    /// The engagement's leads.
    #[serde(default)]
    #[tsify(optional, type = "Ref[] | null")]
    pub lead: Option<Vec<Ref>>,
    /// The engagement's project.
    #[serde(default)]
    #[tsify(optional, type = "Ref | null")]
    pub project: Option<Ref>,
    /// The engagement's notes.
    #[serde(default)]
    #[tsify(optional, type = "Ref[] | null")]
    pub notes: Option<Vec<Ref>>,
    /// Phone numbers of a call.
    #[serde(default)]
    #[tsify(optional, type = "PhoneNumber[] | null")]
    pub phone_numbers: Option<Vec<PhoneNumber>>,
    /// The engagement's internal notes.
    #[serde(default)]
    #[tsify(optional, type = "string | null")]
    pub internal_notes: Option<String>,
    /// All the custom fields present on the engagement.
    #[serde(default)]
    #[tsify(optional, type = "Record<string, unknown> | null")]
    pub custom_fields: Option<Json>,
    /// The date and time of the engagement's creation (RFC 3339).
    #[serde(default)]
    #[tsify(optional, type = "string | null")]
    pub created_at: Option<String>,
    /// The date and time of the engagement's last update (RFC 3339).
    #[serde(default)]
    #[tsify(optional, type = "string | null")]
    pub updated_at: Option<String>,
    /// Raw data returned from the remote API call.
    #[serde(default)]
    #[tsify(optional, type = "Record<string, unknown> | null")]
    pub remote_data: Option<Json>,
}

/// The body of `create` and `update`: the unified engagement's writable fields.
///
/// Unknown fields are refused (a typo would otherwise be dropped silently);
/// put integration-specific data in `remote_data`, which Truto passes on as is.
#[derive(Clone, Debug, Default, Serialize, Deserialize, Tsify)]
#[serde(deny_unknown_fields)]
pub struct EngagementInput {
    /// The engagement's type. Required by some integrations (HubSpot, Salesforce, Close...).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[tsify(optional, type = "EngagementType")]
    pub engagement_type: Option<String>,
    /// The engagement's subject.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[tsify(optional)]
    pub subject: Option<String>,
    /// The engagement's content.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[tsify(optional)]
    pub content: Option<String>,
    /// The engagement's owner.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[tsify(optional)]
    pub owner: Option<Ref>,
    /// The engagement's contacts.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[tsify(optional)]
    pub contact: Option<Vec<Ref>>,
    /// The engagement's account.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[tsify(optional)]
    pub account: Option<Ref>,
    /// The engagement's opportunities.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[tsify(optional)]
    pub opportunity: Option<Vec<Ref>>,
    /// Leads associated with the engagement.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[tsify(optional)]
    pub lead: Option<Vec<Ref>>,
    /// The project associated with the engagement.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[tsify(optional)]
    pub project: Option<Ref>,
    /// The start time (RFC 3339). Meetings only, in most integrations.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[tsify(optional)]
    pub start_time: Option<String>,
    /// The end time (RFC 3339); must not precede `start_time`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[tsify(optional)]
    pub end_time: Option<String>,
    /// The direction of a call.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[tsify(optional, type = "Direction")]
    pub direction: Option<String>,
    /// The engagement's status.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[tsify(optional, type = "EngagementStatus")]
    pub status: Option<String>,
    /// The engagement's duration.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[tsify(optional)]
    pub duration: Option<String>,
    /// The engagement's internal notes.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[tsify(optional)]
    pub internal_notes: Option<String>,
    /// Phone numbers of a call.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[tsify(optional)]
    pub phone_numbers: Option<Vec<PhoneNumber>>,
    /// Custom fields, by the CRM's field name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[tsify(optional, type = "Record<string, unknown>")]
    pub custom_fields: Option<Json>,
    /// The creation time to record (RFC 3339), where the CRM allows it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[tsify(optional)]
    pub created_at: Option<String>,
    /// The CRM user to attribute the engagement to (some integrations).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[tsify(optional)]
    pub user_id: Option<String>,
    /// Passed as is to the remote API, untransformed by Truto.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[tsify(optional, type = "Record<string, unknown>")]
    pub remote_data: Option<Json>,
}

/// Truto's response formats. `stream` is only for `listStream`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, Tsify)]
#[serde(rename_all = "snake_case")]
pub enum ResponseFormat {
    /// Unified mappings applied (the default).
    Unified,
    /// The remote API's response, unprocessed.
    Raw,
    /// Unified mappings applied, in normalized form.
    Normalized,
    /// The body as a stream.
    Stream,
}

impl ResponseFormat {
    /// The wire name: `unified`, `raw`, `normalized` or `stream`.
    pub fn as_str(self) -> &'static str {
        match self {
            ResponseFormat::Unified => "unified",
            ResponseFormat::Raw => "raw",
            ResponseFormat::Normalized => "normalized",
            ResponseFormat::Stream => "stream",
        }
    }
}

/// The query of `list`, `listAll` and `listStream`.
#[derive(Clone, Debug, Default, Serialize, Deserialize, Tsify)]
#[serde(deny_unknown_fields)]
pub struct ListQuery {
    /// The integrated account to use; falls back to the client's `integratedAccountId`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[tsify(optional)]
    pub integrated_account_id: Option<String>,
    /// Filter by type.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[tsify(optional, type = "EngagementType")]
    pub engagement_type: Option<String>,
    /// Engagements starting at or after this time (RFC 3339); must precede `end_time`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[tsify(optional)]
    pub start_time: Option<String>,
    /// Engagements before this time (RFC 3339); at most one year after `start_time`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[tsify(optional)]
    pub end_time: Option<String>,
    /// Filter by account.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[tsify(optional)]
    pub account: Option<Ref>,
    /// Filter by contact.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[tsify(optional)]
    pub contact: Option<Ref>,
    /// Filter by owner.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[tsify(optional)]
    pub owner: Option<Ref>,
    /// Filter by opportunity.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[tsify(optional)]
    pub opportunity: Option<Ref>,
    /// Filter by lead.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[tsify(optional)]
    pub lead: Option<Ref>,
    /// Filter by contact id (integrations that take it instead of `engagement_type`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[tsify(optional)]
    pub contact_id: Option<String>,
    /// Filter by status.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[tsify(optional, type = "EngagementStatus")]
    pub status: Option<String>,
    /// Filter by creation time.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[tsify(optional)]
    pub created_at: Option<String>,
    /// Filter by last update time.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[tsify(optional)]
    pub updated_at: Option<String>,
    /// Sort field (`created_at`, `updated_at`, `end_time`, `subject`: the values Truto documents, per integration).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[tsify(optional)]
    pub sort_by: Option<String>,
    /// Filter by subject.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[tsify(optional)]
    pub subject: Option<String>,
    /// Filter by content.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[tsify(optional)]
    pub content: Option<String>,
    /// Filter by direction.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[tsify(optional, type = "Direction")]
    pub direction: Option<String>,
    /// Page size.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[tsify(optional)]
    pub limit: Option<u32>,
    /// The cursor of the page to fetch (from a previous page's `next_cursor`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[tsify(optional)]
    pub next_cursor: Option<String>,
    /// `unified` (default), `raw` or `normalized`; `stream` only through `listStream`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[tsify(optional)]
    pub truto_response_format: Option<ResponseFormat>,
    /// Key `result` by this field instead of returning an array.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[tsify(optional)]
    pub truto_key_by: Option<String>,
    /// Ignore `limit` and return everything the remote API gives in one page.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[tsify(optional)]
    pub truto_ignore_limit: Option<bool>,
    /// Leave `remote_data` out of the response.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[tsify(optional)]
    pub truto_ignore_remote_data: Option<bool>,
    /// Fields to leave out of the response.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[tsify(optional)]
    pub truto_exclude_fields: Option<Vec<String>>,
    /// Query parameters passed untransformed to the remote API (`remote_query[foo]=bar`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[tsify(optional, type = "Record<string, unknown>")]
    pub remote_query: Option<Json>,
}

/// The query of `get`, `create` and `update`.
#[derive(Clone, Debug, Default, Serialize, Deserialize, Tsify)]
#[serde(deny_unknown_fields)]
pub struct RecordQuery {
    /// The integrated account to use; falls back to the client's `integratedAccountId`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[tsify(optional)]
    pub integrated_account_id: Option<String>,
    /// The engagement's type, which some integrations require on writes.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[tsify(optional, type = "EngagementType")]
    pub engagement_type: Option<String>,
    /// `unified` (default), `raw` or `normalized`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[tsify(optional)]
    pub truto_response_format: Option<ResponseFormat>,
    /// Leave `remote_data` out of the response.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[tsify(optional)]
    pub truto_ignore_remote_data: Option<bool>,
    /// Fields to leave out of the response.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[tsify(optional)]
    pub truto_exclude_fields: Option<Vec<String>>,
    /// Query parameters passed untransformed to the remote API.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[tsify(optional, type = "Record<string, unknown>")]
    pub remote_query: Option<Json>,
}

/// The query of `delete`: the record query plus the filters some integrations take.
#[derive(Clone, Debug, Default, Serialize, Deserialize, Tsify)]
#[serde(deny_unknown_fields)]
pub struct DeleteQuery {
    /// The integrated account to use; falls back to the client's `integratedAccountId`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[tsify(optional)]
    pub integrated_account_id: Option<String>,
    /// The engagement's type, which some integrations require.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[tsify(optional, type = "EngagementType")]
    pub engagement_type: Option<String>,
    /// Sort field (`created_at`, `updated_at`; Pipeliner).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[tsify(optional)]
    pub sort_by: Option<String>,
    /// Content (email engagements; Planhat).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[tsify(optional)]
    pub content: Option<String>,
    /// Subject (email engagements; Planhat).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[tsify(optional)]
    pub subject: Option<String>,
    /// Direction (email engagements).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[tsify(optional, type = "Direction")]
    pub direction: Option<String>,
    /// Creation time.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[tsify(optional)]
    pub created_at: Option<String>,
    /// Last update time.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[tsify(optional)]
    pub updated_at: Option<String>,
    /// Status.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[tsify(optional, type = "EngagementStatus")]
    pub status: Option<String>,
    /// Account.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[tsify(optional)]
    pub account: Option<Ref>,
    /// Contacts.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[tsify(optional)]
    pub contact: Option<Vec<Ref>>,
    /// `unified` (default), `raw` or `normalized`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[tsify(optional)]
    pub truto_response_format: Option<ResponseFormat>,
    /// Leave `remote_data` out of the response.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[tsify(optional)]
    pub truto_ignore_remote_data: Option<bool>,
    /// Fields to leave out of the response.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[tsify(optional)]
    pub truto_exclude_fields: Option<Vec<String>>,
    /// Query parameters passed untransformed to the remote API.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[tsify(optional, type = "Record<string, unknown>")]
    pub remote_query: Option<Json>,
}

/// One page of `list`: Truto's envelope, as the API sends it. Its TypeScript
/// (generic over what `result` holds, which the query decides) is written by
/// hand in `TS_LIST_RESPONSE` below.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct ListResponse {
    /// The engagements: an array, or an object keyed by `truto_key_by`.
    /// With `truto_response_format: "raw"` the items are the remote API's own objects.
    pub result: Json,
    /// The cursor of the next page; `null` on the last page.
    #[serde(default)]
    pub next_cursor: Option<String>,
    /// The cursor of the previous page, where the integration gives one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub prev_cursor: Option<String>,
    /// The number of items in this page.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub result_count: Option<f64>,
    /// Whether the remote API returned only part of the data.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub is_partial_response: Option<bool>,
}

#[wasm_bindgen::prelude::wasm_bindgen(typescript_custom_section)]
const TS_LIST_RESPONSE: &'static str = r#"
/**
 * One page of `list`: Truto's envelope, as the API sends it. `R` is what
 * `result` holds, which `list`'s overloads derive from the query: an array of
 * engagements, an object keyed by `truto_key_by`, or (with
 * `truto_response_format: "raw"`) the remote API's own items.
 */
export interface ListResponse<R = Engagement[] | Record<string, Engagement>> {
    /**
     * The engagements: an array, or an object keyed by `truto_key_by`.
     * With `truto_response_format: "raw"` the items are the remote API's own objects.
     */
    result: R;
    /**
     * The cursor of the next page; `null` on the last page.
     */
    next_cursor: string | null;
    /**
     * The cursor of the previous page, where the integration gives one.
     */
    prev_cursor?: string;
    /**
     * The number of items in this page.
     */
    result_count?: number;
    /**
     * Whether the remote API returned only part of the data.
     */
    is_partial_response?: boolean;
}
"#;

/// What `delete` resolves to: Truto answers with the deleted id.
#[derive(Clone, Debug, Serialize, Deserialize, Tsify)]
pub struct DeleteResponse {
    /// The deleted engagement's id.
    pub id: String,
}

#[wasm_bindgen::prelude::wasm_bindgen(typescript_custom_section)]
const TS_ENUMS: &'static str = r#"
/** The direction of a call or email. */
export type Direction = "inbound" | "outbound" | "missed";
/** The status of an engagement (mostly emails). */
export type EngagementStatus = "inbox" | "draft" | "scheduled" | "outbox" | "sent";
/** The kind of engagement. Integrations accept a subset; some have their own values. */
export type EngagementType = "call" | "email" | "meeting" | "note" | "task" | "chat" | (string & {});
"#;
