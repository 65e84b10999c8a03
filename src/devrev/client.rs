//! The DevRev engagements operations. Every call is a `POST` with a JSON body.

use super::model::{DevRevCountRequest, DevRevCreate, DevRevListRequest, DevRevUpdate};
use crate::call::{send, CallOptions, Outgoing, Sent};
use crate::config::{ClientConfig, ClientOptions};
use crate::error::Error;
use crate::json::{Json, JsonExt};
use crate::paginate::{next_item, next_page, Items, Page, Paginator};
use crate::retry::Provider;
use crate::transport::{Method, ReadAs, ResponseBody, Transport};
use crate::validate;

/// DevRev's API origin.
pub const DEFAULT_BASE_URL: &str = "https://api.devrev.ai";

/// A client of DevRev's engagements endpoints over any [`Transport`].
#[derive(Debug)]
pub struct DevRevClient<T> {
    transport: T,
    config: ClientConfig,
}

/// The state of one DevRev `listAll` iteration.
#[derive(Debug)]
pub struct DevRevListAll {
    request: DevRevListRequest,
    backwards: bool,
    pages: Paginator,
}

impl<T: Transport> DevRevClient<T> {
    /// A client.
    ///
    /// # Errors
    /// `config` for bad options (see [`ClientConfig::new`]).
    pub fn new(transport: T, options: ClientOptions) -> Result<Self, Error> {
        Ok(DevRevClient {
            transport,
            config: ClientConfig::new(options, DEFAULT_BASE_URL)?,
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
        validate::devrev_list(&request)?;
        let backwards = request.mode.as_deref() == Some("before");
        Ok(self.fetch_page(&request, backwards, options).await?.0)
    }

    /// Starts a `listAll` iteration, following `next_cursor` (or `prev_cursor`
    /// with `mode: "before"`); drive it with [`DevRevClient::next`].
    ///
    /// # Errors
    /// `validation` for a bad request.
    pub fn list_all(
        &self,
        mut request: DevRevListRequest,
        max_items: Option<u64>,
    ) -> Result<DevRevListAll, Error> {
        validate::devrev_list(&request)?;
        let cursor = request.cursor.take();
        Ok(DevRevListAll {
            backwards: request.mode.as_deref() == Some("before"),
            request,
            pages: Paginator::new(cursor, max_items),
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
        let (request, backwards) = (&state.request, state.backwards);
        next_item(&mut state.pages, |cursor| {
            self.page_at(request, backwards, cursor, options)
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
        let (request, backwards) = (&state.request, state.backwards);
        next_page(&mut state.pages, |cursor| {
            self.page_at(request, backwards, cursor, options)
        })
        .await
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
        validate::id(id)?;
        let sent = self
            .post("/engagements.get", &IdBody { id }, true, options)
            .await?;
        unwrap_engagement(&sent)
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
        validate::devrev_create(&body)?;
        let sent = self
            .post("/engagements.create", &body, false, options)
            .await?;
        unwrap_engagement(&sent)
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
        validate::devrev_update(&body)?;
        let sent = self
            .post("/engagements.update", &body, false, options)
            .await?;
        unwrap_engagement(&sent)
    }

    /// Deletes an engagement: `POST /engagements.delete {id}`.
    ///
    /// # Errors
    /// `validation` for an empty id; `http` 404 for an unknown one.
    pub async fn delete(&self, id: &str, options: &CallOptions<T::Signal>) -> Result<(), Error> {
        validate::id(id)?;
        self.post("/engagements.delete", &IdBody { id }, false, options)
            .await
            .map(|_| ())
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
        validate::devrev_types(filter.types.as_deref(), "filter.type")?;
        let sent = self
            .post("/engagements.count", &filter, true, options)
            .await?;
        sent.response
            .body
            .json()
            .and_then(|b| b.member("count"))
            .and_then(|c| c.number())
            .filter(|c| c.is_finite() && *c >= 0.0)
            .ok_or_else(|| {
                sent.decode_error("invalid_body", "the count response has no numeric `count`")
            })
    }

    async fn post<B: serde::Serialize>(
        &self,
        path: &str,
        body: &B,
        repeatable: bool,
        options: &CallOptions<T::Signal>,
    ) -> Result<Sent<T::Body>, Error> {
        let body = Json::stringify(body)
            .map_err(|e| Error::validation("invalid_body", Some("body"), e))?;
        let out = Outgoing {
            method: Method::Post,
            path: path.to_owned(),
            body: Some(body),
            read: ReadAs::Json,
            repeatable,
            idempotency_key: false,
        };
        send(
            &self.transport,
            &self.config,
            Provider::DevRev,
            out,
            options,
        )
        .await
    }

    /// The page of `request` at `cursor` (the request is copied: the future
    /// borrows only the client and the options).
    fn page_at<'a>(
        &'a self,
        request: &DevRevListRequest,
        backwards: bool,
        cursor: Option<String>,
        options: &'a CallOptions<T::Signal>,
    ) -> impl std::future::Future<Output = Result<Page, Error>> + 'a {
        let mut request = request.clone();
        request.cursor = cursor;
        async move { Ok(self.fetch_page(&request, backwards, options).await?.1) }
    }

    async fn fetch_page(
        &self,
        request: &DevRevListRequest,
        backwards: bool,
        options: &CallOptions<T::Signal>,
    ) -> Result<(Json, Page), Error> {
        let sent = self
            .post("/engagements.list", request, true, options)
            .await?;
        let envelope = sent.response.body.json().ok_or_else(|| {
            sent.decode_error("invalid_body", "the list response body is not JSON")
        })?;
        let page = page_of(&envelope, backwards).map_err(|mut e| {
            e.set_attempts(sent.attempts);
            e
        })?;
        Ok((envelope, page))
    }
}

#[derive(serde::Serialize)]
struct IdBody<'a> {
    id: &'a str,
}

/// `{ engagement: {...} }` -> the engagement.
fn unwrap_engagement<B: ResponseBody>(sent: &Sent<B>) -> Result<Json, Error> {
    sent.response
        .body
        .json()
        .and_then(|b| b.member("engagement"))
        .filter(JsonExt::is_object)
        .ok_or_else(|| sent.decode_error("invalid_body", "the response has no `engagement` object"))
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
    Ok(Page { items, cursor })
}
