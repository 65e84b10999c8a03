//! The DevRev engagements operations. Every call is a `POST` with a JSON body.

use super::model::{DevRevCountRequest, DevRevCreate, DevRevListRequest, DevRevUpdate};
use super::validate::{devrev_create, devrev_list, devrev_types, devrev_update};
use crate::call::{Answer, Call, CallOptions, Conn, Expect, Outgoing, PageShape};
use crate::config::{ClientConfig, ClientOptions};
use crate::error::Error;
use crate::json::{Json, JsonExt};
use crate::paginate::{next_item, next_page, Items, Listing, Page, Paginator};
use crate::retry::Provider;
use crate::transport::{Method, ReadAs, Transport};
use crate::validate;
use crate::wire::{with_field, Kind, ToJson, Wire};
use std::rc::Rc;

/// DevRev's API origin.
pub const DEFAULT_BASE_URL: &str = "https://api.devrev.ai";

/// A client of DevRev's engagements endpoints over any [`Transport`].
#[derive(Debug)]
pub struct DevRevClient<T> {
    conn: Rc<Conn<T>>,
}

/// The state of one DevRev `listAll` iteration.
#[derive(Debug)]
pub struct DevRevListAll {
    /// The request's wire form, without `cursor`.
    request: Json,
    backwards: bool,
    /// The request's digest, which its checkpoints carry.
    fingerprint: u64,
    pages: Paginator,
}

impl DevRevListAll {
    /// The request's wire form (without `cursor`), its direction
    /// (`true`: following `prev_cursor`) and the pages, apart.
    pub fn split(&mut self) -> (&Json, bool, &mut Paginator) {
        (&self.request, self.backwards, &mut self.pages)
    }

    /// The checkpoint just after the last item used, `handed` being how many
    /// of the last chunk were (see [`Paginator::position`]).
    pub fn checkpoint(&self, handed: usize) -> String {
        crate::checkpoint::encode(self.fingerprint, &self.pages.position(handed))
    }

    /// Whether nothing remains after those items: the listing truly ended.
    pub fn complete(&self, handed: usize) -> bool {
        self.pages.position(handed).done
    }
}

impl<T: Transport> DevRevClient<T> {
    /// A client.
    ///
    /// # Errors
    /// `config` for bad options (see [`ClientConfig::new`]).
    pub fn new(transport: T, options: ClientOptions) -> Result<Self, Error> {
        Ok(DevRevClient {
            conn: Rc::new(Conn::new(
                transport,
                ClientConfig::new(options, DEFAULT_BASE_URL)?,
            )),
        })
    }

    /// One page: `POST /engagements.list`. Resolves to DevRev's envelope
    /// `{ engagements, next_cursor?, prev_cursor? }` as sent.
    ///
    /// # Errors
    /// `validation` before sending; then `http`, `network`, `timeout`,
    /// `aborted`, or `decode` for a body that is not an envelope.
    pub async fn list(
        &self,
        request: DevRevListRequest,
        options: &CallOptions<T::Signal>,
    ) -> Result<Json, Error> {
        self.conn
            .run(self.list_call(request)?, options)
            .await?
            .json()
    }

    /// The [`Call`] of [`DevRevClient::list`].
    ///
    /// # Errors
    /// `validation` for a bad request.
    pub fn list_call(&self, request: DevRevListRequest) -> Result<Call, Error> {
        self.list_call_json(&request.to_json())
    }

    /// [`DevRevClient::list_call`] from the request's wire form (see [`crate::wire`]).
    ///
    /// # Errors
    /// `validation` for a bad request.
    pub fn list_call_json(&self, request: &Json) -> Result<Call, Error> {
        devrev_list(request)?;
        let expect = Expect::Page(page_shape(backwards(request)));
        post("/engagements.list", request, true, expect)
    }

    /// The transport and configuration this client's calls go through:
    /// [`Conn::run`] sends a prepared [`Call`]. Shared, so a call can own it
    /// while it runs.
    pub fn conn(&self) -> &Rc<Conn<T>> {
        &self.conn
    }

    /// Starts a `listAll` iteration, following `next_cursor` (or `prev_cursor`
    /// with `mode: "before"`); drive it with [`DevRevClient::next`].
    ///
    /// # Errors
    /// `validation` for a bad request.
    pub fn list_all(
        &self,
        request: DevRevListRequest,
        max_items: Option<u64>,
    ) -> Result<DevRevListAll, Error> {
        self.list_all_json(&request.to_json(), max_items)
    }

    /// [`DevRevClient::list_all`] from the request's wire form.
    ///
    /// # Errors
    /// `validation` for a bad request.
    pub fn list_all_json(
        &self,
        request: &Json,
        max_items: Option<u64>,
    ) -> Result<DevRevListAll, Error> {
        let listing = Listing {
            max_items,
            ..Listing::default()
        };
        self.list_all_with(request, &listing)
    }

    /// [`DevRevClient::list_all_json`] with a request budget and a checkpoint
    /// to resume from.
    ///
    /// # Errors
    /// `validation` for a bad request, or a `resume` that is not a checkpoint of it.
    pub fn list_all_with(&self, request: &Json, listing: &Listing) -> Result<DevRevListAll, Error> {
        devrev_list(request)?;
        let cursor = request.string_at("cursor");
        let backwards = backwards(request);
        let request = with_field(request, LIST, "cursor", None);
        let fingerprint = crate::checkpoint::fingerprint(&[&request, &Json::from_bool(backwards)]);
        Ok(DevRevListAll {
            pages: listing.pages(cursor, fingerprint)?,
            backwards,
            fingerprint,
            request,
        })
    }

    /// The next engagement of a `listAll` iteration; `None` at the end.
    ///
    /// # Errors
    /// As [`DevRevClient::list`]; `decode` with code `cursor_loop` when the API
    /// repeats a cursor.
    pub async fn next(
        &self,
        state: &mut DevRevListAll,
        options: &CallOptions<T::Signal>,
    ) -> Result<Option<Json>, Error> {
        let (request, backwards, pages) = state.split();
        next_item(pages, |cursor, cap| {
            let call = self.page_call(request, backwards, cursor);
            async move { self.conn.run_within(call?, options, cap).await?.page() }
        })
        .await
    }

    /// The next page of a `listAll` iteration (its items), `None` at the end.
    ///
    /// # Errors
    /// As [`DevRevClient::next`].
    pub async fn next_page(
        &self,
        state: &mut DevRevListAll,
        options: &CallOptions<T::Signal>,
    ) -> Result<Option<Items>, Error> {
        let (request, backwards, pages) = state.split();
        next_page(pages, |cursor, cap| {
            let call = self.page_call(request, backwards, cursor);
            async move { self.conn.run_within(call?, options, cap).await?.page() }
        })
        .await
    }

    /// The [`Call`] of the page of a `listAll` request (its wire form, see
    /// [`DevRevListAll::split`]) at `cursor`.
    ///
    /// # Errors
    /// `validation` when the request cannot be written.
    pub fn page_call(
        &self,
        request: &Json,
        backwards: bool,
        cursor: Option<String>,
    ) -> Result<Call, Error> {
        let request = with_field(request, LIST, "cursor", cursor.as_deref().map(Json::text));
        post(
            "/engagements.list",
            &request,
            true,
            Expect::Page(page_shape(backwards)),
        )
    }

    /// Ends a `listAll` iteration early: no further request is made.
    pub fn stop(&self, state: &mut DevRevListAll) {
        state.pages.finish();
    }

    /// One engagement: `POST /engagements.get {id}`, unwrapped.
    ///
    /// # Errors
    /// `validation` for an empty id; `http` 404 for an unknown one.
    pub async fn get(&self, id: &str, options: &CallOptions<T::Signal>) -> Result<Json, Error> {
        self.conn.run(self.get_call(id)?, options).await?.json()
    }

    /// The [`Call`] of [`DevRevClient::get`].
    ///
    /// # Errors
    /// `validation` for an empty id.
    pub fn get_call(&self, id: &str) -> Result<Call, Error> {
        validate::id(id)?;
        post("/engagements.get", &id_body(id), true, Expect::Engagement)
    }

    /// Creates an engagement: `POST /engagements.create`, unwrapped. DevRev
    /// documents no idempotency key, so it is retried only when DevRev cannot
    /// have acted on it (429, 503).
    ///
    /// # Errors
    /// `validation` without `title`, `scheduled_date` or 1–50 `members`, with
    /// an `engagement_type` outside the create enum or a non-RFC 3339 date.
    pub async fn create(
        &self,
        body: DevRevCreate,
        options: &CallOptions<T::Signal>,
    ) -> Result<Json, Error> {
        self.conn
            .run(self.create_call(body)?, options)
            .await?
            .json()
    }

    /// The [`Call`] of [`DevRevClient::create`].
    ///
    /// # Errors
    /// As [`DevRevClient::create`], before sending.
    pub fn create_call(&self, body: DevRevCreate) -> Result<Call, Error> {
        self.create_call_json(&body.to_json())
    }

    /// [`DevRevClient::create_call`] from the body's wire form.
    ///
    /// # Errors
    /// As [`DevRevClient::create`], before sending.
    pub fn create_call_json(&self, body: &Json) -> Result<Call, Error> {
        devrev_create(body)?;
        post("/engagements.create", body, false, Expect::Engagement)
    }

    /// Updates an engagement: `POST /engagements.update` (the body carries `id`), unwrapped.
    ///
    /// # Errors
    /// As [`DevRevClient::create`], for the fields given.
    pub async fn update(
        &self,
        body: DevRevUpdate,
        options: &CallOptions<T::Signal>,
    ) -> Result<Json, Error> {
        self.conn
            .run(self.update_call(body)?, options)
            .await?
            .json()
    }

    /// The [`Call`] of [`DevRevClient::update`].
    ///
    /// # Errors
    /// As [`DevRevClient::update`], before sending.
    pub fn update_call(&self, body: DevRevUpdate) -> Result<Call, Error> {
        self.update_call_json(&body.to_json())
    }

    /// [`DevRevClient::update_call`] from the body's wire form.
    ///
    /// # Errors
    /// As [`DevRevClient::update`], before sending.
    pub fn update_call_json(&self, body: &Json) -> Result<Call, Error> {
        devrev_update(body)?;
        post("/engagements.update", body, false, Expect::Engagement)
    }

    /// Deletes an engagement: `POST /engagements.delete {id}`.
    ///
    /// # Errors
    /// `validation` for an empty id; `http` 404 for an unknown one.
    pub async fn delete(&self, id: &str, options: &CallOptions<T::Signal>) -> Result<(), Error> {
        self.conn
            .run(self.delete_call(id)?, options)
            .await
            .map(|_| ())
    }

    /// The [`Call`] of [`DevRevClient::delete`].
    ///
    /// # Errors
    /// `validation` for an empty id.
    pub fn delete_call(&self, id: &str) -> Result<Call, Error> {
        validate::id(id)?;
        post("/engagements.delete", &id_body(id), false, Expect::Nothing)
    }

    /// The number of engagements matching `filter`: `POST /engagements.count`.
    ///
    /// # Errors
    /// `validation` for a bad filter; `decode` when `count` is not a number.
    pub async fn count(
        &self,
        filter: DevRevCountRequest,
        options: &CallOptions<T::Signal>,
    ) -> Result<f64, Error> {
        match self.conn.run(self.count_call(filter)?, options).await? {
            Answer::Count(n) => Ok(n),
            _ => Err(Error::decode("invalid_body", "the answer is not a count")),
        }
    }

    /// The [`Call`] of [`DevRevClient::count`].
    ///
    /// # Errors
    /// `validation` for a bad filter.
    pub fn count_call(&self, filter: DevRevCountRequest) -> Result<Call, Error> {
        self.count_call_json(&filter.to_json())
    }

    /// [`DevRevClient::count_call`] from the filter's wire form.
    ///
    /// # Errors
    /// `validation` for a bad filter.
    pub fn count_call_json(&self, filter: &Json) -> Result<Call, Error> {
        devrev_types(filter, "filter.type")?;
        post("/engagements.count", filter, true, Expect::Count)
    }
}

/// The wire kind of the list request.
const LIST: &Kind = &<DevRevListRequest as Wire>::KIND;

/// `{ "id": ... }`, the body of `get` and `delete`.
fn id_body(id: &str) -> Json {
    Json::object(vec![("id", Json::text(id))])
}

/// Whether a list request goes backwards (`mode: "before"`, following `prev_cursor`).
fn backwards(request: &Json) -> bool {
    request.string_at("mode").as_deref() == Some("before")
}

/// A DevRev call: `POST path` with `body` as JSON. `repeatable`: whether
/// sending it twice is harmless (reads).
/// DevRev's engagements exist only in its beta API, which answers only
/// requests that ask for it: "To use beta APIs, send the following header with
/// your request: `X-Devrev-Scope: beta`" (DevRev's API versioning page).
pub const SCOPE: &[(&str, &str)] = &[("x-devrev-scope", "beta")];

fn post(path: &str, body: &Json, repeatable: bool, expect: Expect) -> Result<Call, Error> {
    let body = body
        .to_text()
        .map_err(|e| Error::validation("invalid_body", Some("body"), e))?;
    Ok(Call {
        provider: Provider::DevRev,
        out: Outgoing {
            method: Method::Post,
            path: path.to_owned(),
            body: Some(body),
            read: ReadAs::Json,
            repeatable,
            idempotency_key: false,
            fixed_headers: SCOPE,
        },
        expect,
    })
}

/// The [`PageShape`] of a list following `next_cursor`, or `prev_cursor` when
/// `backwards`.
fn page_shape(backwards: bool) -> PageShape {
    if backwards {
        |envelope| page_of(envelope, true)
    } else {
        |envelope| page_of(envelope, false)
    }
}

/// Checks a list envelope: `engagements` an array; the cursor to follow
/// (`next_cursor`, or `prev_cursor` going backwards) a string or absent.
pub fn page_of(envelope: &Json, backwards: bool) -> Result<Page, Error> {
    let bad = |why: &str| Error::decode("invalid_envelope", format!("the list response {why}"));
    let items = envelope
        .member("engagements")
        .filter(|e| e.array_len().is_some())
        .map(Items::Array)
        .ok_or_else(|| bad("has no `engagements` array"))?;
    let key = if backwards {
        "prev_cursor"
    } else {
        "next_cursor"
    };
    let cursor = match envelope.member(key) {
        None => None,
        Some(c) if c.is_null() => None,
        Some(c) => Some(
            c.string()
                .ok_or_else(|| bad("has a cursor that is not a string"))?,
        ),
    };
    Ok(Page {
        items,
        cursor,
        attempts: 1,
    })
}
