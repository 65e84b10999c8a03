//! Truto's request types on the wire: each one's fields, in order, with their
//! Rust types (see [`crate::wire`] for what is built from these lists).

use super::model::{
    DeleteQuery, EngagementInput, ListQuery, PhoneNumber, RecordQuery, Ref, ResponseFormat,
};
use crate::json::{Json, JsonExt};
use crate::wire::{wire_struct, Kind, ToJson, Wire};

impl Wire for ResponseFormat {
    const KIND: Kind = Kind::Enum(
        &["unified", "raw", "normalized", "stream"],
        "one of unified, raw, normalized, stream",
    );
}

impl ToJson for ResponseFormat {
    fn to_json(&self) -> Json {
        Json::text(self.as_str())
    }
}

wire_struct!(Ref { id: String = "id" });
wire_struct!(PhoneNumber {
    id: Option<String> = "id",
    number: Option<String> = "number",
    extension: Option<String> = "extension",
    kind: Option<String> = "type",
});
wire_struct!(EngagementInput {
    engagement_type: Option<String> = "engagement_type",
    subject: Option<String> = "subject",
    content: Option<String> = "content",
    owner: Option<Ref> = "owner",
    contact: Option<Vec<Ref>> = "contact",
    account: Option<Ref> = "account",
    opportunity: Option<Vec<Ref>> = "opportunity",
    lead: Option<Vec<Ref>> = "lead",
    project: Option<Ref> = "project",
    start_time: Option<String> = "start_time",
    end_time: Option<String> = "end_time",
    direction: Option<String> = "direction",
    status: Option<String> = "status",
    duration: Option<String> = "duration",
    internal_notes: Option<String> = "internal_notes",
    phone_numbers: Option<Vec<PhoneNumber>> = "phone_numbers",
    custom_fields: Option<Json> = "custom_fields",
    created_at: Option<String> = "created_at",
    user_id: Option<String> = "user_id",
    remote_data: Option<Json> = "remote_data",
});
wire_struct!(ListQuery {
    integrated_account_id: Option<String> = "integrated_account_id",
    engagement_type: Option<String> = "engagement_type",
    start_time: Option<String> = "start_time",
    end_time: Option<String> = "end_time",
    account: Option<Ref> = "account",
    contact: Option<Ref> = "contact",
    owner: Option<Ref> = "owner",
    opportunity: Option<Ref> = "opportunity",
    lead: Option<Ref> = "lead",
    contact_id: Option<String> = "contact_id",
    status: Option<String> = "status",
    created_at: Option<String> = "created_at",
    updated_at: Option<String> = "updated_at",
    sort_by: Option<String> = "sort_by",
    subject: Option<String> = "subject",
    content: Option<String> = "content",
    direction: Option<String> = "direction",
    limit: Option<u32> = "limit",
    next_cursor: Option<String> = "next_cursor",
    truto_response_format: Option<ResponseFormat> = "truto_response_format",
    truto_key_by: Option<String> = "truto_key_by",
    truto_ignore_limit: Option<bool> = "truto_ignore_limit",
    truto_ignore_remote_data: Option<bool> = "truto_ignore_remote_data",
    truto_exclude_fields: Option<Vec<String>> = "truto_exclude_fields",
    remote_query: Option<Json> = "remote_query",
});
wire_struct!(RecordQuery {
    integrated_account_id: Option<String> = "integrated_account_id",
    engagement_type: Option<String> = "engagement_type",
    truto_response_format: Option<ResponseFormat> = "truto_response_format",
    truto_ignore_remote_data: Option<bool> = "truto_ignore_remote_data",
    truto_exclude_fields: Option<Vec<String>> = "truto_exclude_fields",
    remote_query: Option<Json> = "remote_query",
});
wire_struct!(DeleteQuery {
    integrated_account_id: Option<String> = "integrated_account_id",
    engagement_type: Option<String> = "engagement_type",
    sort_by: Option<String> = "sort_by",
    content: Option<String> = "content",
    subject: Option<String> = "subject",
    direction: Option<String> = "direction",
    created_at: Option<String> = "created_at",
    updated_at: Option<String> = "updated_at",
    status: Option<String> = "status",
    account: Option<Ref> = "account",
    contact: Option<Vec<Ref>> = "contact",
    truto_response_format: Option<ResponseFormat> = "truto_response_format",
    truto_ignore_remote_data: Option<bool> = "truto_ignore_remote_data",
    truto_exclude_fields: Option<Vec<String>> = "truto_exclude_fields",
    remote_query: Option<Json> = "remote_query",
});
