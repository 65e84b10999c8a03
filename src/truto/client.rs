//! The Truto engagements operations: build the request, send it through the
//! shared call loop, check the answer's shape.

use super::model::{DeleteQuery, EngagementInput, ListQuery, RecordQuery};
use super::validate::{integrated_account, truto_body, truto_delete, truto_list};
use crate::call::{Answer, Call, CallOptions, Conn, Expect, Outgoing};
use crate::checkpoint::Position;
use crate::config::{ClientConfig, ClientOptions};
use crate::error::Error;
use crate::json::{Json, JsonExt};
use crate::paginate::{next_item, next_page, Boundary, Items, Listing, Page, Paginator};
use crate::query::{encode, encode_segment};
use crate::retry::Provider;
use crate::time::{add_one_year, format_rfc3339, parse_rfc3339};
use crate::transport::{Method, ReadAs, Transport};
use crate::validate;
use crate::wire::{with_field, Kind, ToJson, Wire};
use std::rc::Rc;

/// Truto's API origin.
pub const DEFAULT_BASE_URL: &str = "https://api.truto.one";
const PATH: &str = "/unified/crm/engagements";

/// A client of Truto's engagements endpoints over any [`Transport`].
#[derive(Debug)]
pub struct TrutoClient<T> {
    conn: Rc<Conn<T>>,
    integrated_account_id: Option<String>,
}

/// The state of one `listAll` iteration: the query and at most one page.
#[derive(Debug)]
pub struct ListAll {
    /// The current window's query, in wire form, without `next_cursor`.
    query: Json,
    /// The whole query (its own range), in wire form, without `next_cursor`.
    base: Json,
    /// The query's digest, which its checkpoints carry.
    fingerprint: u64,
    pages: Paginator,
    /// A range over one year, split (`start_time`, `end_time`, and the end as
    /// an instant when another window follows); empty for one range.
    windows: Vec<Window>,
    window: usize,
}

/// One window of a long listing.
#[derive(Debug, Clone)]
struct Window {
    start: String,
    end: String,
    /// The end as epoch ms, where the next window begins (`None`: the last).
    boundary: Option<i64>,
}

impl ListAll {
    /// The current query's wire form (without `next_cursor`) and the pages,
    /// apart: a driver reads the one while it advances the other.
    pub fn split(&mut self) -> (&Json, &mut Paginator) {
        (&self.query, &mut self.pages)
    }

    /// Moves on to the next window of a range over one year, once the current
    /// one is read to its end; `false` when there is none (or the iteration
    /// stopped for another reason: a budget, a limit, an error).
    pub fn next_window(&mut self) -> bool {
        if self.window + 1 >= self.windows.len() || !self.pages.is_exhausted() {
            return false;
        }
        self.window += 1;
        let found = self.pages.take_found();
        self.query = window_query(&self.base, &self.windows[self.window]);
        self.pages.next_window(Boundary {
            drop: found,
            at: self.windows[self.window].boundary,
            found: Vec::new(),
        });
        true
    }

    fn position(&self, handed: usize) -> Position {
        let mut at = self.pages.position(handed);
        at.window = self.window;
        if at.done && self.window + 1 < self.windows.len() {
            // This window is over, the next one not begun.
            at = Position {
                window: self.window + 1,
                drop: self.pages.boundary().found.clone(),
                ..Position::default()
            };
        }
        at
    }

    /// The checkpoint just after the last item used, `handed` being how many
    /// of the last chunk were (see [`Paginator::position`]).
    pub fn checkpoint(&self, handed: usize) -> String {
        crate::checkpoint::encode(self.fingerprint, &self.position(handed))
    }

    /// Whether nothing remains after those items: the listing truly ended.
    pub fn complete(&self, handed: usize) -> bool {
        self.position(handed).done
    }
}

/// `base` over the range of `window`.
fn window_query(base: &Json, window: &Window) -> Json {
    let q = with_field(base, LIST, "start_time", Some(Json::text(&window.start)));
    with_field(&q, LIST, "end_time", Some(Json::text(&window.end)))
}

/// A range over one year as consecutive windows of at most one year each,
/// meeting at an instant (an engagement there is deduplicated by id); an
/// empty list for a range of one year or less.
fn windows(query: &Json) -> Vec<Window> {
    let (Some(start), Some(end)) = (query.string_at("start_time"), query.string_at("end_time"))
    else {
        return Vec::new();
    };
    let (Some(from), Some(until)) = (parse_rfc3339(&start), parse_rfc3339(&end)) else {
        return Vec::new();
    };
    if add_one_year(from) >= until {
        return Vec::new();
    }
    let mut out = Vec::new();
    let (mut at, mut text) = (from, start);
    loop {
        let next = add_one_year(at);
        if next >= until {
            out.push(Window {
                start: text,
                end,
                boundary: None,
            });
            return out;
        }
        let next_text = format_rfc3339(next);
        out.push(Window {
            start: text,
            end: next_text.clone(),
            boundary: Some(next),
        });
        (at, text) = (next, next_text);
    }
}

impl<T: Transport> TrutoClient<T> {
    /// A client; `integrated_account_id` is the default for every call.
    ///
    /// # Errors
    /// `config` for bad options (see [`ClientConfig::new`]).
    pub fn new(
        transport: T,
        options: ClientOptions,
        integrated_account_id: Option<String>,
    ) -> Result<Self, Error> {
        Ok(TrutoClient {
            conn: Rc::new(Conn::new(
                transport,
                ClientConfig::new(options, DEFAULT_BASE_URL)?,
            )),
            integrated_account_id: integrated_account_id.filter(|s| !s.is_empty()),
        })
    }

    /// The transport.
    pub fn transport(&self) -> &T {
        self.conn.transport()
    }

    /// One page: `GET /unified/crm/engagements`. Resolves to Truto's envelope
    /// `{ result, next_cursor, ... }` as sent.
    ///
    /// # Errors
    /// `validation` before sending; then `http`, `network`, `timeout`,
    /// `aborted`, or `decode` for a body that is not an envelope.
    pub async fn list(
        &self,
        query: ListQuery,
        options: &CallOptions<T::Signal>,
    ) -> Result<Json, Error> {
        self.conn.run(self.list_call(query)?, options).await?.json()
    }

    /// The [`Call`] of [`TrutoClient::list`].
    ///
    /// # Errors
    /// `validation` for a bad query.
    pub fn list_call(&self, query: ListQuery) -> Result<Call, Error> {
        self.list_call_json(&query.to_json())
    }

    /// [`TrutoClient::list_call`] from the query's wire form (see [`crate::wire`]).
    ///
    /// # Errors
    /// `validation` for a bad query.
    pub fn list_call_json(&self, query: &Json) -> Result<Call, Error> {
        let query = self.list_query(query, false)?;
        let out = read(Method::Get, path_with(PATH, &query)?, None, ReadAs::Json);
        Ok(call(out, Expect::Page(page_of)))
    }

    /// `GET /unified/crm/engagements` with `truto_response_format=stream`:
    /// resolves to the unread 2xx body.
    ///
    /// # Errors
    /// As [`TrutoClient::list`], without `decode`.
    pub async fn list_stream(
        &self,
        query: ListQuery,
        options: &CallOptions<T::Signal>,
    ) -> Result<T::Body, Error> {
        match self
            .conn
            .run(self.list_stream_call(query)?, options)
            .await?
        {
            Answer::Body(body) => Ok(body),
            _ => Err(Error::decode(
                "invalid_body",
                "the response has no body to stream",
            )),
        }
    }

    /// The [`Call`] of [`TrutoClient::list_stream`].
    ///
    /// # Errors
    /// `validation` for a bad query.
    pub fn list_stream_call(&self, query: ListQuery) -> Result<Call, Error> {
        self.list_stream_call_json(&query.to_json())
    }

    /// [`TrutoClient::list_stream_call`] from the query's wire form.
    ///
    /// # Errors
    /// `validation` for a bad query.
    pub fn list_stream_call_json(&self, query: &Json) -> Result<Call, Error> {
        let query = self.list_query(query, true)?;
        let stream = Some(Json::text("stream"));
        let query = with_field(&query, LIST, "truto_response_format", stream);
        let out = read(Method::Get, path_with(PATH, &query)?, None, ReadAs::Stream);
        Ok(call(out, Expect::Stream))
    }

    /// The transport and configuration this client's calls go through:
    /// [`Conn::run`] sends a prepared [`Call`]. Shared, so a call can own it
    /// while it runs.
    pub fn conn(&self) -> &Rc<Conn<T>> {
        &self.conn
    }

    /// Starts a `listAll` iteration; drive it with [`TrutoClient::next`].
    ///
    /// # Errors
    /// `validation` for a bad query.
    pub fn list_all(&self, query: ListQuery, max_items: Option<u64>) -> Result<ListAll, Error> {
        self.list_all_json(&query.to_json(), max_items)
    }

    /// [`TrutoClient::list_all`] from the query's wire form.
    ///
    /// # Errors
    /// `validation` for a bad query.
    pub fn list_all_json(&self, query: &Json, max_items: Option<u64>) -> Result<ListAll, Error> {
        let listing = Listing {
            max_items,
            ..Listing::default()
        };
        self.list_all_with(query, &listing)
    }

    /// [`TrutoClient::list_all_json`] with a request budget and a checkpoint
    /// to resume from.
    ///
    /// # Errors
    /// `validation` for a bad query, or a `resume` that is not a checkpoint of it.
    pub fn list_all_with(&self, query: &Json, listing: &Listing) -> Result<ListAll, Error> {
        truto_list(query, false, true)?;
        let query = self.with_account(query, LIST)?;
        let cursor = query.string_at("next_cursor");
        let base = with_field(&query, LIST, "next_cursor", None);
        let windows = windows(&base);
        if !windows.is_empty() && base.string_at("truto_response_format").as_deref() == Some("raw")
        {
            return Err(Error::validation(
                "invalid_time_range",
                Some("query.end_time"),
                "a range over one year is split into windows, whose edges are deduplicated by the unified id: not with truto_response_format \"raw\"",
            ));
        }
        let fingerprint = crate::checkpoint::fingerprint(&[&base]);
        let resume = match &listing.resume {
            Some(text) => Some(crate::checkpoint::decode(text, fingerprint)?),
            None => None,
        };
        let window = resume.as_ref().map_or(0, |at| at.window);
        if window >= windows.len().max(1) {
            return Err(crate::checkpoint::bad_checkpoint());
        }
        let boundary = Boundary {
            at: windows.get(window).and_then(|w| w.boundary),
            ..Boundary::default()
        };
        let pages = Paginator::new(if window == 0 { cursor } else { None }, listing.max_items)
            .with_budget(listing.max_requests)
            .with_boundary(boundary);
        let pages = match resume {
            Some(at) => pages.resuming(at),
            None => pages,
        };
        Ok(ListAll {
            query: windows
                .get(window)
                .map_or_else(|| base.clone(), |w| window_query(&base, w)),
            base,
            fingerprint,
            pages,
            windows,
            window,
        })
    }

    /// The next engagement of a `listAll` iteration, fetching the next page when
    /// the current one is used up; `None` at the end. After an error the
    /// iteration is over.
    ///
    /// # Errors
    /// As [`TrutoClient::list`]; `decode` with code `cursor_loop` when the API
    /// repeats a cursor.
    pub async fn next(
        &self,
        state: &mut ListAll,
        options: &CallOptions<T::Signal>,
    ) -> Result<Option<Json>, Error> {
        loop {
            let (query, pages) = state.split();
            let item = next_item(pages, |cursor, cap| {
                let call = self.page_call(query, cursor);
                async move { self.conn.run_within(call?, options, cap).await?.page() }
            })
            .await?;
            if item.is_some() || !state.next_window() {
                return Ok(item);
            }
        }
    }

    /// The next page of a `listAll` iteration (its items), `None` at the end.
    ///
    /// # Errors
    /// As [`TrutoClient::next`].
    pub async fn next_page(
        &self,
        state: &mut ListAll,
        options: &CallOptions<T::Signal>,
    ) -> Result<Option<Items>, Error> {
        loop {
            let (query, pages) = state.split();
            let items = next_page(pages, |cursor, cap| {
                let call = self.page_call(query, cursor);
                async move { self.conn.run_within(call?, options, cap).await?.page() }
            })
            .await?;
            if items.is_some() || !state.next_window() {
                return Ok(items);
            }
        }
    }

    /// The [`Call`] of the page of a `listAll` query (its wire form, see
    /// [`ListAll::split`]) at `cursor`.
    ///
    /// # Errors
    /// `validation` when the query cannot be encoded.
    pub fn page_call(&self, query: &Json, cursor: Option<String>) -> Result<Call, Error> {
        let query = with_field(
            query,
            LIST,
            "next_cursor",
            cursor.as_deref().map(Json::text),
        );
        let out = read(Method::Get, path_with(PATH, &query)?, None, ReadAs::Json);
        Ok(call(out, Expect::Page(page_of)))
    }

    /// Ends a `listAll` iteration early: no further request is made.
    pub fn stop(&self, state: &mut ListAll) {
        state.pages.finish();
    }

    /// One engagement: `GET /unified/crm/engagements/{id}`.
    ///
    /// # Errors
    /// `validation` for an empty id; `http` 404 for an unknown one; `decode`
    /// when the body is not an object.
    pub async fn get(
        &self,
        id: &str,
        query: RecordQuery,
        options: &CallOptions<T::Signal>,
    ) -> Result<Json, Error> {
        self.conn
            .run(self.get_call(id, query)?, options)
            .await?
            .json()
    }

    /// The [`Call`] of [`TrutoClient::get`].
    ///
    /// # Errors
    /// `validation` for an empty id or a bad query.
    pub fn get_call(&self, id: &str, query: RecordQuery) -> Result<Call, Error> {
        self.get_call_json(id, &query.to_json())
    }

    /// [`TrutoClient::get_call`] from the query's wire form.
    ///
    /// # Errors
    /// `validation` for an empty id or a bad query.
    pub fn get_call_json(&self, id: &str, query: &Json) -> Result<Call, Error> {
        validate::id(id)?;
        let query = self.record_query(query, RECORD)?;
        let out = read(Method::Get, record_path(id, &query)?, None, ReadAs::Json);
        Ok(call(out, Expect::Object))
    }

    /// Creates an engagement: `POST /unified/crm/engagements`, with an
    /// `Idempotency-Key` that every retry reuses.
    ///
    /// # Errors
    /// `validation` for a bad body or query; then as [`TrutoClient::get`].
    pub async fn create(
        &self,
        body: EngagementInput,
        query: RecordQuery,
        options: &CallOptions<T::Signal>,
    ) -> Result<Json, Error> {
        self.conn
            .run(self.create_call(body, query)?, options)
            .await?
            .json()
    }

    /// The [`Call`] of [`TrutoClient::create`].
    ///
    /// # Errors
    /// `validation` for a bad body or query.
    pub fn create_call(&self, body: EngagementInput, query: RecordQuery) -> Result<Call, Error> {
        self.create_call_json(&body.to_json(), &query.to_json())
    }

    /// [`TrutoClient::create_call`] from the body's and query's wire forms.
    ///
    /// # Errors
    /// `validation` for a bad body or query.
    pub fn create_call_json(&self, body: &Json, query: &Json) -> Result<Call, Error> {
        truto_body(body)?;
        let query = self.record_query(query, RECORD)?;
        let out = write(Method::Post, path_with(PATH, &query)?, json_body(body)?);
        Ok(call(out, Expect::Object))
    }

    /// Updates an engagement: `PATCH /unified/crm/engagements/{id}` with the
    /// fields given, and an `Idempotency-Key` that every retry reuses.
    ///
    /// # Errors
    /// As [`TrutoClient::create`].
    pub async fn update(
        &self,
        id: &str,
        body: EngagementInput,
        query: RecordQuery,
        options: &CallOptions<T::Signal>,
    ) -> Result<Json, Error> {
        self.conn
            .run(self.update_call(id, body, query)?, options)
            .await?
            .json()
    }

    /// The [`Call`] of [`TrutoClient::update`].
    ///
    /// # Errors
    /// `validation` for an empty id, a bad body or query.
    pub fn update_call(
        &self,
        id: &str,
        body: EngagementInput,
        query: RecordQuery,
    ) -> Result<Call, Error> {
        self.update_call_json(id, &body.to_json(), &query.to_json())
    }

    /// [`TrutoClient::update_call`] from the body's and query's wire forms.
    ///
    /// # Errors
    /// `validation` for an empty id, a bad body or query.
    pub fn update_call_json(&self, id: &str, body: &Json, query: &Json) -> Result<Call, Error> {
        validate::id(id)?;
        truto_body(body)?;
        let query = self.record_query(query, RECORD)?;
        let out = write(Method::Patch, record_path(id, &query)?, json_body(body)?);
        Ok(call(out, Expect::Object))
    }

    /// Deletes an engagement: `DELETE /unified/crm/engagements/{id}`. Resolves
    /// to the response body (Truto answers `{ id }`), `null` when empty.
    ///
    /// # Errors
    /// As [`TrutoClient::get`].
    pub async fn delete(
        &self,
        id: &str,
        query: DeleteQuery,
        options: &CallOptions<T::Signal>,
    ) -> Result<Json, Error> {
        self.conn
            .run(self.delete_call(id, query)?, options)
            .await?
            .json()
    }

    /// The [`Call`] of [`TrutoClient::delete`].
    ///
    /// # Errors
    /// `validation` for an empty id or a bad query.
    pub fn delete_call(&self, id: &str, query: DeleteQuery) -> Result<Call, Error> {
        self.delete_call_json(id, &query.to_json())
    }

    /// [`TrutoClient::delete_call`] from the query's wire form.
    ///
    /// # Errors
    /// `validation` for an empty id or a bad query.
    pub fn delete_call_json(&self, id: &str, query: &Json) -> Result<Call, Error> {
        validate::id(id)?;
        truto_delete(query)?;
        let query = self.record_query(query, &<DeleteQuery as Wire>::KIND)?;
        let out = read(Method::Delete, record_path(id, &query)?, None, ReadAs::Json);
        Ok(call(out, Expect::AnyJson))
    }

    fn account(&self, from_query: Option<String>) -> Result<String, Error> {
        integrated_account(from_query.as_deref(), self.integrated_account_id.as_deref())
    }

    /// The query with the integrated account id filled in.
    fn with_account(&self, query: &Json, kind: &Kind) -> Result<Json, Error> {
        let account = self.account(query.string_at("integrated_account_id"))?;
        Ok(with_field(
            query,
            kind,
            "integrated_account_id",
            Some(Json::text(&account)),
        ))
    }

    fn list_query(&self, query: &Json, stream: bool) -> Result<Json, Error> {
        truto_list(query, stream, false)?;
        self.with_account(query, LIST)
    }

    fn record_query(&self, query: &Json, kind: &Kind) -> Result<Json, Error> {
        refuse_stream(query)?;
        self.with_account(query, kind)
    }
}

/// Checks a list envelope: `result` an array (or an object keyed by
/// `truto_key_by`, whose values are the items) and `next_cursor` a string or null.
pub fn page_of(envelope: &Json) -> Result<Page, Error> {
    let bad = |why: &str| Error::decode("invalid_envelope", format!("the list response {why}"));
    if !envelope.is_object() {
        return Err(bad("is not a JSON object"));
    }
    let result = envelope
        .member("result")
        .ok_or_else(|| bad("has no `result`"))?;
    let items = if result.array_len().is_some() {
        Items::Array(result)
    } else {
        result
            .entries()
            .map(|e| Items::List(e.into_iter().map(|(_, v)| v).collect()))
            .ok_or_else(|| bad("has a `result` that is neither an array nor an object"))?
    };
    let cursor = match envelope.member("next_cursor") {
        None => None,
        Some(c) if c.is_null() => None,
        Some(c) => Some(
            c.string()
                .ok_or_else(|| bad("has a `next_cursor` that is not a string"))?,
        ),
    };
    Ok(Page {
        items,
        cursor,
        attempts: 1,
    })
}

/// The wire kind of the list query.
const LIST: &Kind = &<ListQuery as Wire>::KIND;
/// The wire kind of the query of `get`, `create` and `update`.
const RECORD: &Kind = &<RecordQuery as Wire>::KIND;

/// `stream` is a list format: only `listStream` takes it.
fn refuse_stream(query: &Json) -> Result<(), Error> {
    if query.string_at("truto_response_format").as_deref() == Some("stream") {
        return Err(Error::validation(
            "stream_not_supported",
            Some("query.truto_response_format"),
            "truto_response_format \"stream\" is only supported by listStream()",
        ));
    }
    Ok(())
}

fn query_string(query: &Json) -> Result<String, Error> {
    let encoded = encode(query)?;
    Ok(if encoded.is_empty() {
        encoded
    } else {
        format!("?{encoded}")
    })
}

fn path_with(path: &str, query: &Json) -> Result<String, Error> {
    Ok(format!("{path}{}", query_string(query)?))
}

fn record_path(id: &str, query: &Json) -> Result<String, Error> {
    Ok(format!(
        "{PATH}/{}{}",
        encode_segment(id),
        query_string(query)?
    ))
}

fn json_body(body: &Json) -> Result<String, Error> {
    body.to_text()
        .map_err(|e| Error::validation("invalid_body", Some("body"), e))
}

fn call(out: Outgoing, expect: Expect) -> Call {
    Call {
        provider: Provider::Truto,
        out,
        expect,
    }
}

fn read(method: Method, path: String, body: Option<String>, read: ReadAs) -> Outgoing {
    Outgoing {
        method,
        path,
        body,
        read,
        repeatable: true,
        idempotency_key: false,
        fixed_headers: &[],
    }
}

/// A Truto write: repeatable because it carries an `Idempotency-Key`.
fn write(method: Method, path: String, body: String) -> Outgoing {
    Outgoing {
        idempotency_key: true,
        ..read(method, path, Some(body), ReadAs::Json)
    }
}
