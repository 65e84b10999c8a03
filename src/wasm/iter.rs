//! The async iterator returned by `listAll`.
//!
//! Calls to `next()` are served one at a time, in order, even when a caller
//! does not await each before the next; `return()` (what `break` calls) ends
//! the iteration with no further request.

use super::devrev::DevRevCore;
use super::error::to_js;
use super::truto::TrutoCore;
use crate::call::CallOptions;
use crate::devrev::DevRevListAll;
use crate::error::Error;
use crate::json::Json;
use crate::paginate::{self, Items, Page, Paginator};
use crate::truto::ListAll;
use js_sys::{Object, Promise, Reflect, Symbol};
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
    ) -> Result<Page, Error> {
        let (call, conn) = match self {
            Fetcher::Truto(core, query) => (core.page_call(query, cursor)?, core.conn()),
            Fetcher::DevRev(core, request, backwards) => {
                (core.page_call(request, *backwards, cursor)?, core.conn())
            }
        };
        conn.run(call, options).await?.page()
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

    /// The next item (`page`: the rest of the current page, as an array),
    /// fetching as needed; `None` at the end. One driver for both.
    async fn advance(&mut self, page: bool) -> Result<Option<JsValue>, Error> {
        let (pages, fetcher, options) = self.split();
        if !paginate::fill(pages, |cursor| fetcher.page(cursor, options)).await? {
            return Ok(None);
        }
        Ok(if page {
            Some(page_array(pages.take_items()))
        } else {
            match pages.step() {
                paginate::Step::Item(item) => Some(item.0),
                _ => None,
            }
        })
    }
}

#[derive(Debug)]
enum State {
    Ready(Box<Source>),
    /// Failed before the first request (bad query or options).
    Invalid(Error),
    /// A `next()` is running.
    Busy,
    Done,
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
export interface EngagementIterator {
  /** Returns the iterator itself, so it works with `for await`. */
  [Symbol.asyncIterator](): EngagementIterator;
}
"#;

/// An async iterator over engagements (Truto's or DevRev's). Use it with `for await`.
#[wasm_bindgen]
#[derive(Debug)]
pub struct EngagementIterator {
    inner: Rc<Inner>,
}

fn result(value: JsValue, done: bool) -> JsValue {
    let obj = Object::new();
    let _ = Reflect::set(&obj, &JsValue::from_str("value"), &value);
    let _ = Reflect::set(&obj, &JsValue::from_str("done"), &JsValue::from_bool(done));
    obj.into()
}

impl EngagementIterator {
    /// The iterator as a JS value, async-iterable (`[Symbol.asyncIterator]()` returns itself).
    pub(crate) fn new_js(source: Result<Source, Error>) -> JsValue {
        let state = match source {
            Ok(s) => State::Ready(Box::new(s)),
            Err(e) => State::Invalid(e),
        };
        let iter = EngagementIterator {
            inner: Rc::new(Inner {
                state: RefCell::new(state),
                tail: RefCell::new(None),
                stopped: RefCell::new(false),
            }),
        };
        let js: JsValue = iter.into();
        // `Object.prototype.valueOf` returns `this`: an identity method that
        // needs no eval (forbidden in Workers) and holds no reference.
        if let Ok(proto) = Reflect::get_prototype_of(&js) {
            let object_proto = Reflect::get_prototype_of(&Object::new().into());
            let value_of =
                object_proto.and_then(|p| Reflect::get(&p, &JsValue::from_str("valueOf")));
            if let Ok(f) = value_of {
                let _ = Reflect::set(&proto, &Symbol::async_iterator(), &f);
            }
        }
        js
    }
}

/// One step of the iteration: an item (`{ value, done }`) or, with `page`,
/// the next page's items as an array (`null` at the end).
async fn advance(inner: Rc<Inner>, page: bool) -> Result<JsValue, JsValue> {
    let state = std::mem::replace(&mut *inner.state.borrow_mut(), State::Busy);
    let (next, source) = match state {
        State::Ready(mut source) => (source.advance(page).await, Some(source)),
        State::Invalid(e) => (Err(e), None),
        State::Busy | State::Done => (Ok(None), None),
    };
    let finished = *inner.stopped.borrow() || !matches!(next, Ok(Some(_)));
    *inner.state.borrow_mut() = match source {
        Some(s) if !finished => State::Ready(s),
        _ => State::Done,
    };
    match next {
        Ok(Some(value)) if page => Ok(value),
        Ok(None) if page => Ok(JsValue::NULL),
        Ok(Some(item)) => Ok(result(item, false)),
        Ok(None) => Ok(result(JsValue::UNDEFINED, true)),
        Err(e) => Err(to_js(&e)),
    }
}

/// A page as a JS array: the API's own array when it is handed out whole.
fn page_array(items: Items) -> JsValue {
    match items {
        Items::Array(array) => array.0,
        Items::List(items) => {
            let array = js_sys::Array::new_with_length(items.len() as u32);
            for (i, item) in items.into_iter().enumerate() {
                array.set(i as u32, item.0);
            }
            array.into()
        }
    }
}

#[wasm_bindgen]
impl EngagementIterator {
    /// The next engagement: `{ value, done: false }`, or `{ done: true }` at the end.
    #[wasm_bindgen(unchecked_return_type = "Promise<IteratorResult<Engagement, undefined>>")]
    pub fn next(&self) -> Promise {
        self.step(false)
    }

    /// The next page's engagements as an array, `null` at the end. What the
    /// package's `for await` support uses: one crossing per page, not per item.
    /// Not in the `.d.ts`: the package's iterator (pkg/src/api.js) serves
    /// items from these pages and has no `nextPage` of its own.
    #[wasm_bindgen(js_name = nextPage, skip_typescript)]
    pub fn next_page(&self) -> Promise {
        self.step(true)
    }

    fn step(&self, page: bool) -> Promise {
        let inner = self.inner.clone();
        let prev = inner.tail.borrow_mut().take();
        let p = super::task::spawn(async move {
            if let Some(prev) = prev {
                let _ = super::task::wait(prev).await;
            }
            advance(inner, page).await
        });
        *self.inner.tail.borrow_mut() = Some(p.clone());
        p
    }

    /// Ends the iteration (what `break` in `for await` calls): no further request.
    #[wasm_bindgen(
        js_name = "return",
        unchecked_return_type = "Promise<IteratorResult<Engagement, undefined>>"
    )]
    pub fn finish(&self) -> Promise {
        *self.inner.stopped.borrow_mut() = true;
        let mut state = self.inner.state.borrow_mut();
        if !matches!(*state, State::Busy) {
            *state = State::Done;
        }
        Promise::resolve(&result(JsValue::UNDEFINED, true))
    }
}
