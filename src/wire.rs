//! The request types written as JSON, with the same code on every target.
//!
//! Queries and bodies go on the wire as JSON built through [`JsonExt`]'s
//! constructors, not through serde: in the wasm build a serde serializer into
//! JavaScript values cost more than everything it wrote. Each type lists its
//! wire fields once, in [`wire_struct!`], which also gives the wasm build its
//! reader (see `crate::wasm::from_js`), so reading and writing cannot drift.
//! Absent optional fields are left out; `Some(None)` (a field cleared with
//! `null`) is written as `null`.

use crate::devrev::model::{
    DevRevCountRequest, DevRevCreate, DevRevListRequest, DevRevSetIds, DevRevSetTag, DevRevSetTags,
    DevRevUpdate,
};
use crate::json::{Json, JsonExt};
use crate::truto::model::{
    DeleteQuery, EngagementInput, ListQuery, PhoneNumber, RecordQuery, Ref, ResponseFormat,
};

/// A value that can be written as JSON.
pub trait ToJson {
    /// This value as JSON.
    fn to_json(&self) -> Json;
}

/// A struct field: written under its name, or left out when absent.
pub trait Field {
    /// Appends `(name, value)` to `out` unless the field is absent.
    fn put(&self, name: &'static str, out: &mut Vec<(&'static str, Json)>);
}

impl ToJson for String {
    fn to_json(&self) -> Json {
        Json::text(self)
    }
}

impl ToJson for bool {
    fn to_json(&self) -> Json {
        Json::from_bool(*self)
    }
}

impl ToJson for u32 {
    fn to_json(&self) -> Json {
        Json::from_u32(*self)
    }
}

impl ToJson for Json {
    fn to_json(&self) -> Json {
        self.clone()
    }
}

impl ToJson for ResponseFormat {
    fn to_json(&self) -> Json {
        Json::text(self.as_str())
    }
}

impl<T: ToJson> ToJson for Vec<T> {
    fn to_json(&self) -> Json {
        Json::array(self.iter().map(ToJson::to_json).collect())
    }
}

/// `None` is `null` here: as a field, an outer `None` is left out instead.
impl<T: ToJson> ToJson for Option<T> {
    fn to_json(&self) -> Json {
        self.as_ref().map_or_else(Json::null, ToJson::to_json)
    }
}

impl<T: ToJson> Field for Option<T> {
    fn put(&self, name: &'static str, out: &mut Vec<(&'static str, Json)>) {
        if let Some(value) = self {
            out.push((name, value.to_json()));
        }
    }
}

impl Field for String {
    fn put(&self, name: &'static str, out: &mut Vec<(&'static str, Json)>) {
        out.push((name, Json::text(self)));
    }
}

/// Lists a struct's wire fields once, in order: `field = "wire_name"`, with
/// `via reader` for a field the wasm build reads with a special reader.
/// Gives [`ToJson`] on every target and, in wasm, `FromJs` (unknown keys refused).
macro_rules! wire_struct {
    ($ty:ident { $($field:ident = $wire:literal $(via $reader:path)?),* $(,)? }) => {
        impl ToJson for $ty {
            fn to_json(&self) -> Json {
                let mut out = Vec::new();
                $(Field::put(&self.$field, $wire, &mut out);)*
                Json::object(out)
            }
        }
        #[cfg(target_arch = "wasm32")]
        crate::wasm::from_js::from_js_struct!($ty { $($field = $wire $(via $reader)?),* });
        // Compiles only if every field of the struct is listed above.
        const _: fn($ty) = |value| {
            let $ty { $($field: _),* } = value;
        };
    };
}

wire_struct!(Ref { id = "id" });
wire_struct!(PhoneNumber {
    id = "id", number = "number", extension = "extension", kind = "type",
});
wire_struct!(EngagementInput {
    engagement_type = "engagement_type", subject = "subject", content = "content",
    owner = "owner", contact = "contact", account = "account", opportunity = "opportunity",
    lead = "lead", project = "project", start_time = "start_time", end_time = "end_time",
    direction = "direction", status = "status", duration = "duration",
    internal_notes = "internal_notes", phone_numbers = "phone_numbers",
    custom_fields = "custom_fields", created_at = "created_at", user_id = "user_id",
    remote_data = "remote_data",
});
wire_struct!(ListQuery {
    integrated_account_id = "integrated_account_id", engagement_type = "engagement_type",
    start_time = "start_time", end_time = "end_time", account = "account", contact = "contact",
    owner = "owner", opportunity = "opportunity", lead = "lead", contact_id = "contact_id",
    status = "status", created_at = "created_at", updated_at = "updated_at",
    sort_by = "sort_by", subject = "subject", content = "content", direction = "direction",
    limit = "limit", next_cursor = "next_cursor", truto_response_format = "truto_response_format",
    truto_key_by = "truto_key_by", truto_ignore_limit = "truto_ignore_limit",
    truto_ignore_remote_data = "truto_ignore_remote_data",
    truto_exclude_fields = "truto_exclude_fields", remote_query = "remote_query",
});
wire_struct!(RecordQuery {
    integrated_account_id = "integrated_account_id", engagement_type = "engagement_type",
    truto_response_format = "truto_response_format",
    truto_ignore_remote_data = "truto_ignore_remote_data",
    truto_exclude_fields = "truto_exclude_fields", remote_query = "remote_query",
});
wire_struct!(DeleteQuery {
    integrated_account_id = "integrated_account_id", engagement_type = "engagement_type",
    sort_by = "sort_by", content = "content", subject = "subject", direction = "direction",
    created_at = "created_at", updated_at = "updated_at", status = "status",
    account = "account", contact = "contact", truto_response_format = "truto_response_format",
    truto_ignore_remote_data = "truto_ignore_remote_data",
    truto_exclude_fields = "truto_exclude_fields", remote_query = "remote_query",
});
wire_struct!(DevRevSetTag { id = "id", value = "value" });
wire_struct!(DevRevSetIds { set = "set" });
wire_struct!(DevRevSetTags { set = "set" });
wire_struct!(DevRevCreate {
    title = "title", scheduled_date = "scheduled_date", members = "members",
    description = "description", engagement_type = "engagement_type", parent = "parent",
    parents = "parents", artifacts = "artifacts", external_ref = "external_ref",
    external_url = "external_url", tags = "tags",
});
wire_struct!(DevRevUpdate {
    id = "id", title = "title", description = "description",
    scheduled_date = "scheduled_date" via crate::wasm::from_js::nullable_string,
    members = "members", parents = "parents", artifacts = "artifacts", tags = "tags",
    external_ref = "external_ref", external_url = "external_url",
});
wire_struct!(DevRevListRequest {
    cursor = "cursor", limit = "limit", mode = "mode", types = "type", members = "members",
    parent = "parent", external_ref = "external_ref", sort_by = "sort_by",
});
wire_struct!(DevRevCountRequest {
    types = "type", members = "members", parent = "parent", external_ref = "external_ref",
});
