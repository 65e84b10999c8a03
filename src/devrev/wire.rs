//! DevRev's request types on the wire: each one's fields, in order, with their
//! Rust types (see [`crate::wire`] for what is built from these lists).

use super::model::{
    DevRevCountRequest, DevRevCreate, DevRevListRequest, DevRevSetIds, DevRevSetTag, DevRevSetTags,
    DevRevUpdate,
};
use crate::wire::wire_struct;

wire_struct!(DevRevSetTag {
    id: String = "id",
    value: Option<String> = "value",
});
wire_struct!(DevRevSetIds {
    set: Option<Vec<String>> = "set",
});
wire_struct!(DevRevSetTags {
    set: Option<Vec<DevRevSetTag>> = "set",
});
wire_struct!(DevRevCreate {
    title: Option<String> = "title",
    scheduled_date: Option<String> = "scheduled_date",
    members: Option<Vec<String>> = "members",
    description: Option<String> = "description",
    engagement_type: Option<String> = "engagement_type",
    parent: Option<String> = "parent",
    parents: Option<Vec<String>> = "parents",
    artifacts: Option<Vec<String>> = "artifacts",
    external_ref: Option<String> = "external_ref",
    external_url: Option<String> = "external_url",
    tags: Option<Vec<DevRevSetTag>> = "tags",
});
wire_struct!(DevRevUpdate {
    id: Option<String> = "id",
    title: Option<String> = "title",
    description: Option<String> = "description",
    scheduled_date: Option<Option<String>> = "scheduled_date" nullable,
    members: Option<DevRevSetIds> = "members",
    parents: Option<DevRevSetIds> = "parents",
    artifacts: Option<DevRevSetIds> = "artifacts",
    tags: Option<DevRevSetTags> = "tags",
    external_ref: Option<String> = "external_ref",
    external_url: Option<String> = "external_url",
});
wire_struct!(DevRevListRequest {
    cursor: Option<String> = "cursor",
    limit: Option<u32> = "limit",
    mode: Option<String> = "mode",
    types: Option<Vec<String>> = "type",
    members: Option<Vec<String>> = "members",
    parent: Option<Vec<String>> = "parent",
    external_ref: Option<Vec<String>> = "external_ref",
    sort_by: Option<Vec<String>> = "sort_by",
});
wire_struct!(DevRevCountRequest {
    types: Option<Vec<String>> = "type",
    members: Option<Vec<String>> = "members",
    parent: Option<Vec<String>> = "parent",
    external_ref: Option<Vec<String>> = "external_ref",
});
