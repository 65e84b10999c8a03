//! The pages behind the async iterator that `listAll` returns.
//!
//! The iterator users get is `pkg/src/api.js`'s: it hands out items in JS
//! and calls [`EngagementIterator::next_page`] once per page. Page calls are
//! served one at a time, in order, even when one is made before the previous
//! settled; [`EngagementIterator::stop`] (what `break` leads to) ends the
//! iteration with no further request.

use super::devrev::DevRevCore;
use super::error::to_js;
use super::truto::TrutoCore;
use crate::call::CallOptions;
use crate::devrev::DevRevListAll;
use crate::error::Error;
use crate::json::{Json, JsonExt};
use crate::paginate::{self, Items, Page, Paginator};
use crate::truto::ListAll;
use js_sys::Promise;
use std::cell::RefCell;
use std::rc::Rc;
use wasm_bindgen::prelude::*;
use web_sys::AbortSignal;

/// Where the items come from.
#[derive(Debug)]
pub(crate) enum Source {
    /// A Truto `listAll`.
    Truto {
        core: Rc<TrutoCore>,
        state: ListAll,
        options: CallOptions<AbortSignal>,
    },
    /// A DevRev `listAll`.
    DevRev {
        core: Rc<DevRevCore>,
        state: DevRevListAll,
        options: CallOptions<AbortSignal>,
    },
}

/// What fetching a page of a [`Source`] needs, borrowed apart from its pages.
enum Fetcher<'a> {
    Truto(&'a TrutoCore, &'a Json),
    DevRev(&'a DevRevCore, &'a Json, bool),
}

impl Fetcher<'_> {
    /// The page at `cursor`: one future type for both providers, sent through
    /// the same `Conn::run` as every other call.
    async fn page(
        &self,
        cursor: Option<String>,
        options: &CallOptions<AbortSignal>,
        max_attempts: Option<u32>,
    ) -> Result<Page, Error> {
        let (call, conn) = match self {
            Fetcher::Truto(core, query) => (core.page_call(query, cursor)?, core.conn()),
            Fetcher::DevRev(core, request, backwards) => {
                (core.page_call(request, *backwards, cursor)?, core.conn())
            }
        };
        conn.run_within(call, options, max_attempts).await?.page()
    }
}

impl Source {
    fn split(&mut self) -> (&mut Paginator, Fetcher<'_>, &CallOptions<AbortSignal>) {
        match self {
            Source::Truto {
                core,
                state,
                options,
            } => {
                let (query, pages) = state.split();
                (pages, Fetcher::Truto(core, query), options)
            }
            Source::DevRev {
                core,
                state,
                options,
            } => {
                let (request, backwards, pages) = state.split();
                (pages, Fetcher::DevRev(core, request, backwards), options)
            }
        }
    }

    /// The checkpoint after `handed` items of the last chunk, and whether
    /// nothing remains after them.
    fn position(&self, handed: usize) -> (String, bool) {
        match self {
            Source::Truto { state, .. } => (state.checkpoint(handed), state.complete(handed)),
            Source::DevRev { state, .. } => (state.checkpoint(handed), state.complete(handed)),
        }
    }

    /// The next page's items (the rest of the current page), as an array,
    /// fetching as needed; `None` at the end. One driver for both.
    async fn advance(&mut self) -> Result<Option<JsValue>, Error> {
        loop {
            let (pages, fetcher, options) = self.split();
            if paginate::fill(pages, |cursor, cap| fetcher.page(cursor, options, cap)).await? {
                return Ok(Some(page_array(pages.take_items())));
            }
            // A range over one year goes on in its next window.
            let more = match self {
                Source::Truto { state, .. } => state.next_window(),
                Source::DevRev { .. } => false,
            };
            if !more {
                return Ok(None);
            }
        }
    }
}

#[derive(Debug)]
enum State {
    Ready(Box<Source>),
    /// Failed before the first request (bad query or options).
    Invalid(Error),
    /// A `next()` is running; where the iteration stood when it began.
    Busy(String, bool),
    /// Over; the source is kept for its checkpoint.
    Done(Option<Box<Source>>),
}

#[derive(Debug)]
struct Inner {
    state: RefCell<State>,
    /// The last `next()` promise: the following call waits for it.
    tail: RefCell<Option<Promise>>,
    /// Set by `return()` while a `next()` is running.
    stopped: RefCell<bool>,
}

#[wasm_bindgen(typescript_custom_section)]
const TS_ITERATOR: &'static str = r#"
/**
 * An async iterator over engagements (Truto's or DevRev's). Use it with `for await`.
 */
export class EngagementIterator<T = Engagement> {
    private constructor();
    free(): void;
    [Symbol.dispose](): void;
    /**
     * The next engagement: `{ value, done: false }`, or `{ done: true }` at the end.
     */
    next(): Promise<IteratorResult<T, undefined>>;
    /**
     * Ends the iteration (what `break` in `for await` calls): no further request.
     */
    return(): Promise<IteratorResult<T, undefined>>;
    /**
     * Where the iteration stands: an opaque, URL-safe string for the position
     * just after the last item yielded (its page's cursor, the offset in it and
     * a digest of the query; never the token). `listAll(query, { resume })`
     * with the same query yields exactly the items after it. `undefined` when
     * the query was refused.
     *
     * ```ts
     * const it = truto.listAll(query, { maxRequests: 40, resume: await kv.get("at") ?? undefined });
     * for await (const e of it) await save(e);
     * if (!it.complete) await kv.put("at", it.checkpoint()!);
     * ```
     */
    checkpoint(): string | undefined;
    /**
     * `true` once the listing truly ended (its last page read and handed out);
     * `false` while it runs, and when `maxRequests`, `maxItems` or `break`
     * stopped it first.
     */
    readonly complete: boolean;
}
export interface EngagementIterator<T = Engagement> {
  /** Returns the iterator itself, so it works with `for await`. */
  [Symbol.asyncIterator](): EngagementIterator<T>;
}
"#;

/// The pages of a `listAll`, for the async iterator users get: that one is
/// `pkg/src/api.js`'s (declared above), which serves items from these pages
/// in JS, one call into the instance per page rather than per item.
#[wasm_bindgen(skip_typescript)]
#[derive(Debug)]
pub struct EngagementIterator {
    inner: Rc<Inner>,
}

impl EngagementIterator {
    /// The iterator over `source`, as a JS value.
    pub(crate) fn new_js(source: Result<Source, Error>) -> JsValue {
        let state = match source {
            Ok(s) => State::Ready(Box::new(s)),
            Err(e) => State::Invalid(e),
        };
        EngagementIterator {
            inner: Rc::new(Inner {
                state: RefCell::new(state),
                tail: RefCell::new(None),
                stopped: RefCell::new(false),
            }),
        }
        .into()
    }
}

/// One step of the iteration: the next page's items as an array (`null` at the end).
async fn advance(inner: Rc<Inner>, handed: usize) -> Result<JsValue, JsValue> {
    let state = std::mem::replace(&mut *inner.state.borrow_mut(), State::Done(None));
    let (next, source) = match state {
        State::Ready(mut source) => {
            let (at, complete) = source.position(handed);
            *inner.state.borrow_mut() = State::Busy(at, complete);
            (source.advance().await, Some(source))
        }
        State::Invalid(e) => (Err(e), None),
        done @ (State::Busy(..) | State::Done(_)) => {
            *inner.state.borrow_mut() = done;
            return Ok(JsValue::NULL);
        }
    };
    let finished = *inner.stopped.borrow() || !matches!(next, Ok(Some(_)));
    *inner.state.borrow_mut() = match source {
        Some(s) if !finished => State::Ready(s),
        s => State::Done(s),
    };
    match next {
        Ok(Some(page)) => Ok(page),
        Ok(None) => Ok(JsValue::NULL),
        Err(e) => Err(to_js(&e)),
    }
}

/// A page as a JS array: the API's own array when it is handed out whole.
fn page_array(items: Items) -> JsValue {
    match items {
        Items::Array(array) => array.0,
        Items::List(items) => Json::array(items).0,
    }
}

#[wasm_bindgen]
impl EngagementIterator {
    /// The next page's engagements as an array, `null` at the end. A call
    /// made before the previous one settled runs after it.
    #[wasm_bindgen(js_name = nextPage)]
    pub fn next_page(&self, handed: u32) -> Promise {
        let inner = self.inner.clone();
        let prev = inner.tail.borrow_mut().take();
        let p = super::task::spawn(async move {
            if let Some(prev) = prev {
                let _ = wasm_bindgen_futures::JsFuture::from(prev).await;
            }
            advance(inner, handed as usize).await
        });
        *self.inner.tail.borrow_mut() = Some(p.clone());
        p
    }

    /// Ends the iteration (what `break` in `for await` leads to): no further
    /// request, and a page on its way is the last.
    pub fn stop(&self) {
        *self.inner.stopped.borrow_mut() = true;
        let mut state = self.inner.state.borrow_mut();
        if let State::Ready(_) | State::Invalid(_) = *state {
            let source = match std::mem::replace(&mut *state, State::Done(None)) {
                State::Ready(s) => Some(s),
                _ => None,
            };
            *state = State::Done(source);
        }
    }

    /// The checkpoint just after the last item handed out, `handed` being how
    /// many of the last page's array were; `undefined` for an iteration that
    /// never started (a bad query).
    pub fn checkpoint(&self, handed: u32) -> Option<String> {
        self.position(handed).map(|(at, _)| at)
    }

    /// Whether nothing remains after the items handed out.
    pub fn complete(&self, handed: u32) -> bool {
        self.position(handed).is_some_and(|(_, complete)| complete)
    }
}

impl EngagementIterator {
    fn position(&self, handed: u32) -> Option<(String, bool)> {
        match &*self.inner.state.borrow() {
            State::Ready(s) | State::Done(Some(s)) => Some(s.position(handed as usize)),
            State::Busy(at, complete) => Some((at.clone(), *complete)),
            State::Invalid(_) | State::Done(None) => None,
        }
    }
}
