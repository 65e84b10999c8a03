//! Cursor pagination shared by both providers, with loop guards.
//!
//! A [`Paginator`] holds at most one page of items and the cursors already
//! sent. It ends on an absent cursor or an empty page, and ends with a
//! `decode` error (code `cursor_loop`) when the API hands back a cursor it has
//! already been given, instead of fetching the same pages forever.

use crate::checkpoint::Position;
use crate::error::Error;
use crate::json::{Json, JsonExt};
use std::future::Future;

/// One page as the pagination needs it.
#[derive(Debug)]
pub struct Page {
    /// The page's items, in order.
    pub items: Items,
    /// The cursor of the following page; `None` on the last page.
    pub cursor: Option<String>,
    /// The HTTP requests it took (retries included).
    pub attempts: u32,
}

/// A page's items: the API's own JSON array, left whole (in wasm a page then
/// crosses into JavaScript as one handle, not item by item), or a list.
#[derive(Clone, Debug)]
pub enum Items {
    /// A JSON array, read item by item only when asked.
    Array(Json),
    /// Items taken out one by one (the values of a keyed result, a page's rest).
    List(Vec<Json>),
}

impl Boundary {
    /// `items` without the ones to drop, noting those at `at`.
    fn sift(&mut self, items: Items) -> Items {
        let list = match items {
            Items::Array(array) => array.items().unwrap_or_default(),
            Items::List(list) => list,
        };
        let mut kept = Vec::with_capacity(list.len());
        for item in list {
            let id = item.string_at("id");
            let when = item
                .string_at("start_time")
                .and_then(|t| crate::time::parse_rfc3339(&t));
            if let (Some(id), Some(when)) = (&id, when) {
                if self.at == Some(when) && !self.found.contains(id) {
                    self.found.push(id.clone());
                }
                if self.drop.contains(id) {
                    continue;
                }
            }
            kept.push(item);
        }
        Items::List(kept)
    }
}

impl Items {
    /// How many items.
    pub fn len(&self) -> usize {
        match self {
            Items::Array(a) => a.array_len().unwrap_or(0),
            Items::List(v) => v.len(),
        }
    }

    /// Whether there are none.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

impl From<Vec<Json>> for Items {
    fn from(items: Vec<Json>) -> Self {
        Items::List(items)
    }
}

/// How a `listAll` runs: at most `max_items` engagements and `max_requests`
/// HTTP requests, from the start or from the checkpoint `resume`.
#[derive(Clone, Debug, Default)]
pub struct Listing {
    /// Stop after this many engagements.
    pub max_items: Option<u64>,
    /// Stop before sending more than this many requests (retries included).
    pub max_requests: Option<u32>,
    /// A checkpoint of the same query to go on from.
    pub resume: Option<String>,
}

impl Listing {
    /// The pages of a listing of fingerprint `fp` starting at `cursor`, or
    /// where `resume` says.
    ///
    /// # Errors
    /// `validation` (`bad_checkpoint`, `checkpoint_mismatch`) for a `resume`
    /// that is not a checkpoint of this query.
    pub fn pages(&self, cursor: Option<String>, fp: u64) -> Result<Paginator, Error> {
        let pages = Paginator::new(cursor, self.max_items).with_budget(self.max_requests);
        Ok(match &self.resume {
            Some(text) => {
                let at = crate::checkpoint::decode(text, fp)?;
                if at.window != 0 {
                    return Err(crate::checkpoint::bad_checkpoint());
                }
                pages.resuming(at)
            }
            None => pages,
        })
    }
}

/// The state of one `listAll` iteration.
#[derive(Debug)]
pub struct Paginator {
    cursor: Option<String>,
    started: bool,
    finished: bool,
    /// Cursors already sent (a listing has tens to hundreds of pages: a Vec
    /// is enough, and keeps a hash table out of the wasm).
    seen: Vec<String>,
    buffer: Buffer,
    pending_error: Option<Error>,
    yielded: u64,
    max_items: Option<u64>,
    /// Pages taken in so far.
    pages_read: u32,
    /// The cursor that fetched the current page (`None`: the first page).
    page_cursor: Option<String>,
    /// The current page's length, and where in it the items last handed out
    /// begin (what `take_items` took, or the next item `step` gives).
    page_len: usize,
    chunk_start: usize,
    /// Items to drop from the first page: a checkpoint taken mid-page.
    skip: usize,
    /// HTTP requests the iteration may still send (`maxRequests`).
    requests_left: Option<u32>,
    /// The last page was read: nothing follows (not a budget, a limit or a stop).
    exhausted: bool,
    /// Where windows of one listing meet (see [`Boundary`]).
    boundary: Boundary,
}

/// Deduplication where two windows of a long listing meet: a boundary
/// instant can be in both when the API's filter includes both its ends.
/// Items are read as unified engagements (`id`, `start_time`).
#[derive(Debug, Default, Clone)]
pub struct Boundary {
    /// Ids the previous window already yielded at this window's start: dropped.
    pub drop: Vec<String>,
    /// This window's end, when another window follows.
    pub at: Option<i64>,
    /// Ids of this window's items at `at`: the next window drops them.
    pub found: Vec<String>,
}

/// The current page: a whole array read by index, or a list of items kept
/// last-first, so the next one pops off the end (a `Vec`: a `VecDeque` and its
/// drain cost 1.5 KB of `.wasm` for this one queue).
#[derive(Debug)]
enum Buffer {
    Array {
        array: Json,
        len: usize,
        next: usize,
    },
    List(Vec<Json>),
}

impl Buffer {
    fn empty() -> Self {
        Buffer::List(Vec::new())
    }

    fn remaining(&self) -> usize {
        match self {
            Buffer::Array { len, next, .. } => len.saturating_sub(*next),
            Buffer::List(q) => q.len(),
        }
    }

    fn pop(&mut self) -> Option<Json> {
        match self {
            Buffer::Array { array, len, next } => {
                if *next >= *len {
                    return None;
                }
                *next += 1;
                array.at(*next - 1)
            }
            Buffer::List(q) => q.pop(),
        }
    }
}

/// What to do next.
#[derive(Debug)]
pub enum Step {
    /// Hand this item to the caller.
    Item(Json),
    /// Fetch the page at this cursor (`None`: the first page) and `accept` it.
    Fetch(Option<String>),
    /// Fail with this error; the iteration is over.
    Fail(Error),
    /// The iteration is over.
    Done,
}

impl Paginator {
    /// Starts at `cursor` (`None`: the first page), yielding at most `max_items`.
    pub fn new(cursor: Option<String>, max_items: Option<u64>) -> Self {
        Paginator {
            cursor: cursor.filter(|c| !c.is_empty()),
            started: false,
            finished: false,
            seen: Vec::new(),
            buffer: Buffer::empty(),
            pending_error: None,
            yielded: 0,
            max_items,
            pages_read: 0,
            page_cursor: None,
            page_len: 0,
            chunk_start: 0,
            skip: 0,
            requests_left: None,
            exhausted: false,
            boundary: Boundary::default(),
        }
    }

    /// The same listing's next window: from its first page, with what is left
    /// of `maxItems` and `maxRequests`, and `boundary` to deduplicate by.
    pub fn next_window(&mut self, boundary: Boundary) {
        let (yielded, max_items, requests_left) =
            (self.yielded, self.max_items, self.requests_left);
        *self = Paginator::new(None, max_items).with_budget(requests_left);
        self.yielded = yielded;
        self.boundary = boundary;
    }

    /// Deduplicates at window edges by `boundary` (see [`Boundary`]).
    pub fn with_boundary(mut self, boundary: Boundary) -> Self {
        self.boundary = boundary;
        self
    }

    /// The boundary state: what the next window drops, what this one dropped.
    pub fn boundary(&self) -> &Boundary {
        &self.boundary
    }

    /// The ids the next window drops, taken out.
    pub fn take_found(&mut self) -> Vec<String> {
        std::mem::take(&mut self.boundary.found)
    }

    /// Whether the last page was read (the listing, or its window, truly ended).
    pub fn is_exhausted(&self) -> bool {
        self.exhausted
    }

    /// Sends at most `max_requests` HTTP requests (retries included); then the
    /// iteration ends, incomplete, and [`Paginator::position`] says where.
    pub fn with_budget(mut self, max_requests: Option<u32>) -> Self {
        self.requests_left = max_requests;
        self
    }

    /// Starts where `position` (a checkpoint's) says: at its page, past its
    /// offset; a finished listing yields nothing and sends nothing.
    pub fn resuming(mut self, position: Position) -> Self {
        self.boundary.drop = position.drop;
        self.cursor = position.cursor.filter(|c| !c.is_empty());
        self.skip = position.offset;
        if position.done {
            self.started = true;
            self.cursor = None;
            self.finished = true;
        }
        self
    }

    /// How many requests the next page may take (`None`: no budget).
    pub fn requests_left(&self) -> Option<u32> {
        self.requests_left
    }

    /// Where the iteration stands once `handed` items of the last chunk
    /// (what [`Paginator::take_items`] or [`Paginator::step`] gave) are used.
    pub fn position(&self, handed: usize) -> Position {
        let at = |cursor: &Option<String>, offset, done| Position {
            cursor: cursor.clone(),
            offset,
            done,
            drop: self.boundary.drop.clone(),
            window: 0,
        };
        if !self.started || self.pages_read == 0 {
            return at(&self.cursor, self.skip, self.finished && self.started);
        }
        let offset = self.chunk_start + handed;
        if offset < self.page_len {
            return at(&self.page_cursor, offset, false);
        }
        at(&self.cursor, 0, self.cursor.is_none())
    }

    /// How many more items `max_items` allows.
    fn allowed(&self) -> usize {
        self.max_items
            .map_or(usize::MAX, |max| max.saturating_sub(self.yielded) as usize)
    }

    /// The next step of the iteration.
    pub fn step(&mut self) -> Step {
        if self.allowed() == 0 {
            self.finish();
        }
        if let Some(item) = self.buffer.pop() {
            self.yielded += 1;
            self.chunk_start = self.page_len - self.buffer.remaining();
            return Step::Item(item);
        }
        self.after_page()
    }

    /// With the current page used up: fail, end, or fetch the next page.
    fn after_page(&mut self) -> Step {
        if let Some(error) = self.pending_error.take() {
            self.finish();
            return Step::Fail(error);
        }
        if self.finished {
            return Step::Done;
        }
        if self.started && self.cursor.is_none() {
            self.exhausted = true;
            self.finish();
            return Step::Done;
        }
        if self.requests_left == Some(0) {
            // Out of requests: over, with the cursor kept for the checkpoint.
            self.finished = true;
            return Step::Done;
        }
        self.started = true;
        self.page_cursor = self.cursor.clone();
        if let Some(c) = &self.cursor {
            if !self.seen.contains(c) {
                self.seen.push(c.clone());
            }
        }
        Step::Fetch(self.cursor.clone())
    }

    /// Whether items of the current page remain to be handed out (and
    /// `max_items` allows one more).
    pub fn has_items(&self) -> bool {
        self.buffer.remaining() > 0 && self.allowed() > 0
    }

    /// The items not handed out yet (at most what `max_items` still allows),
    /// taken out at once. A page nobody has read from leaves whole: in wasm it
    /// crosses into JavaScript as one array, not item by item.
    pub fn take_items(&mut self) -> Items {
        let n = self.buffer.remaining().min(self.allowed());
        self.yielded += n as u64;
        self.chunk_start = self.page_len - self.buffer.remaining();
        match std::mem::replace(&mut self.buffer, Buffer::empty()) {
            Buffer::Array {
                array,
                len,
                next: 0,
            } if n == len => Items::Array(array),
            Buffer::Array { array, next, .. } => {
                Items::List((next..next + n).filter_map(|i| array.at(i)).collect())
            }
            Buffer::List(mut q) => {
                let mut next = q.split_off(q.len().saturating_sub(n));
                next.reverse();
                Items::List(next)
            }
        }
    }

    /// Takes in the page fetched for the last `Step::Fetch`.
    pub fn accept(&mut self, mut page: Page) {
        let empty = page.items.is_empty();
        if !self.boundary.drop.is_empty() || self.boundary.at.is_some() {
            page.items = self.boundary.sift(page.items);
        }
        self.pages_read += 1;
        if let Some(left) = &mut self.requests_left {
            *left = left.saturating_sub(page.attempts.max(1));
        }
        self.page_len = page.items.len();
        let skip = std::mem::take(&mut self.skip).min(self.page_len);
        self.chunk_start = skip;
        self.buffer = match page.items {
            Items::Array(array) => Buffer::Array {
                len: self.page_len,
                array,
                next: skip,
            },
            Items::List(mut v) => {
                v.reverse();
                v.truncate(v.len() - skip);
                Buffer::List(v)
            }
        };
        match page.cursor.filter(|c| !c.is_empty()) {
            _ if empty => self.cursor = None,
            Some(c) if self.seen.contains(&c) => {
                self.pending_error = Some(Error::decode(
                    "cursor_loop",
                    "the API returned a cursor it had already returned; stopping to avoid an endless loop",
                ));
                self.cursor = None;
            }
            next => self.cursor = next,
        }
    }

    /// Ends the iteration: later steps are `Done`, and the buffer is dropped
    /// (the cursor stays, for [`Paginator::position`]).
    pub fn finish(&mut self) {
        self.finished = true;
        self.buffer = Buffer::empty();
    }

    /// Whether the iteration is over.
    pub fn is_finished(&self) -> bool {
        self.finished
    }
}

/// Fetches pages (through `fetch`, given the cursor; `None`: the first page)
/// until an item can be handed out (`true`) or the iteration is over
/// (`false`). An error ends the iteration: later calls return `false`
/// without fetching.
pub async fn fill<F, Fut>(pages: &mut Paginator, mut fetch: F) -> Result<bool, Error>
where
    F: FnMut(Option<String>, Option<u32>) -> Fut,
    Fut: Future<Output = Result<Page, Error>>,
{
    loop {
        if pages.allowed() == 0 {
            pages.finish();
        }
        if pages.has_items() {
            return Ok(true);
        }
        match pages.after_page() {
            Step::Fetch(cursor) => match fetch(cursor, pages.requests_left()).await {
                Ok(page) => pages.accept(page),
                Err(error) => {
                    pages.finish();
                    return Err(error);
                }
            },
            Step::Fail(error) => return Err(error),
            Step::Item(_) | Step::Done => return Ok(false),
        }
    }
}

/// The next item of an iteration, fetching pages as needed; `Ok(None)` at the end.
pub async fn next_item<F, Fut>(pages: &mut Paginator, fetch: F) -> Result<Option<Json>, Error>
where
    F: FnMut(Option<String>, Option<u32>) -> Fut,
    Fut: Future<Output = Result<Page, Error>>,
{
    if !fill(pages, fetch).await? {
        return Ok(None);
    }
    Ok(match pages.step() {
        Step::Item(item) => Some(item),
        _ => None,
    })
}

/// The rest of the current page (fetching the next when it is used up);
/// `Ok(None)` at the end. Empty pages are skipped.
pub async fn next_page<F, Fut>(pages: &mut Paginator, fetch: F) -> Result<Option<Items>, Error>
where
    F: FnMut(Option<String>, Option<u32>) -> Fut,
    Fut: Future<Output = Result<Page, Error>>,
{
    Ok(if fill(pages, fetch).await? {
        Some(pages.take_items())
    } else {
        None
    })
}

#[cfg(test)]
#[cfg(not(target_arch = "wasm32"))]
mod tests {
    use super::*;
    use serde_json::json;

    fn page(items: &[i32], cursor: Option<&str>) -> Page {
        Page {
            items: Items::Array(json!(items)),
            cursor: cursor.map(str::to_owned),
            attempts: 1,
        }
    }

    /// Runs the paginator against canned pages keyed by cursor.
    fn run(
        pages: &[(Option<&str>, Page)],
        max: Option<u64>,
    ) -> (Vec<i64>, Vec<Option<String>>, Option<Error>) {
        let mut p = Paginator::new(None, max);
        let (mut items, mut fetched) = (vec![], vec![]);
        let mut pages: Vec<_> = pages
            .iter()
            .map(|(c, pg)| (c.map(str::to_owned), Some(pg)))
            .collect();
        loop {
            match p.step() {
                Step::Item(v) => items.push(v.as_i64().unwrap()),
                Step::Fetch(c) => {
                    fetched.push(c.clone());
                    let slot = pages
                        .iter_mut()
                        .find(|(k, pg)| *k == c && pg.is_some())
                        .expect("no such page");
                    let pg = slot.1.take().unwrap();
                    p.accept(Page {
                        items: pg.items.clone(),
                        cursor: pg.cursor.clone(),
                        attempts: 1,
                    });
                }
                Step::Fail(e) => return (items, fetched, Some(e)),
                Step::Done => return (items, fetched, None),
            }
        }
    }

    #[test]
    fn follows_cursors_to_the_end() {
        let (items, fetched, err) = run(
            &[
                (None, page(&[1, 2], Some("a"))),
                (Some("a"), page(&[3], Some("b"))),
                (Some("b"), page(&[4], None)),
            ],
            None,
        );
        assert_eq!(items, vec![1, 2, 3, 4]);
        assert_eq!(fetched, vec![None, Some("a".into()), Some("b".into())]);
        assert!(err.is_none());
    }

    #[test]
    fn repeated_cursor_ends_with_cursor_loop_after_the_page() {
        let (items, fetched, err) = run(
            &[
                (None, page(&[1], Some("a"))),
                (Some("a"), page(&[2], Some("a"))),
            ],
            None,
        );
        assert_eq!(items, vec![1, 2]);
        assert_eq!(fetched.len(), 2);
        let err = err.unwrap();
        assert_eq!(err.kind(), crate::ErrorKind::Decode);
        assert_eq!(err.code(), Some("cursor_loop"));
    }

    #[test]
    fn cursor_cycle_through_older_cursor_is_caught() {
        let (_, fetched, err) = run(
            &[
                (None, page(&[1], Some("a"))),
                (Some("a"), page(&[2], Some("b"))),
                (Some("b"), page(&[3], Some("a"))),
            ],
            None,
        );
        assert_eq!(fetched.len(), 3);
        assert_eq!(err.unwrap().code(), Some("cursor_loop"));
    }

    #[test]
    fn empty_page_with_a_cursor_ends() {
        let (items, fetched, err) = run(
            &[
                (None, page(&[1], Some("a"))),
                (Some("a"), page(&[], Some("b"))),
            ],
            None,
        );
        assert_eq!(items, vec![1]);
        assert_eq!(fetched.len(), 2);
        assert!(err.is_none());
    }

    #[test]
    fn empty_string_cursor_is_the_end() {
        let (items, fetched, _) = run(&[(None, page(&[1], Some("")))], None);
        assert_eq!((items, fetched.len()), (vec![1], 1));
    }

    #[test]
    fn max_items_stops_without_fetching_more() {
        let (items, fetched, err) = run(
            &[
                (None, page(&[1, 2], Some("a"))),
                (Some("a"), page(&[3, 4], Some("b"))),
            ],
            Some(3),
        );
        assert_eq!(items, vec![1, 2, 3]);
        assert_eq!(fetched.len(), 2);
        assert!(err.is_none());
        let (items, fetched, _) = run(&[(None, page(&[1, 2], Some("a")))], Some(2));
        assert_eq!((items.len(), fetched.len()), (2, 1));
    }

    #[test]
    fn take_items_respects_max_items() {
        let mut p = Paginator::new(None, Some(3));
        assert!(matches!(p.step(), Step::Fetch(None)));
        p.accept(page(&[1, 2, 3, 4, 5], Some("a")));
        assert!(matches!(p.step(), Step::Item(_)));
        assert_eq!(p.take_items().len(), 2);
        assert!(!p.has_items());
        assert!(
            matches!(p.step(), Step::Done),
            "max reached: no further fetch"
        );
    }

    #[test]
    fn a_list_page_comes_out_in_order_by_step_and_by_take() {
        // Keyed results (`truto_key_by`) arrive as a list, kept last-first inside.
        let list = |v: &[i64]| Items::List(v.iter().map(|n| json!(n)).collect());
        let numbers = |items: Items| match items {
            Items::List(v) => v.iter().map(|j| j.as_i64().unwrap()).collect::<Vec<_>>(),
            Items::Array(a) => a
                .as_array()
                .unwrap()
                .iter()
                .map(|j| j.as_i64().unwrap())
                .collect(),
        };
        let mut p = Paginator::new(None, Some(4));
        assert!(matches!(p.step(), Step::Fetch(None)));
        p.accept(Page {
            items: list(&[1, 2, 3, 4, 5]),
            cursor: Some("a".into()),
            attempts: 1,
        });
        assert!(matches!(p.step(), Step::Item(j) if j == json!(1)));
        assert_eq!(
            numbers(p.take_items()),
            [2, 3, 4],
            "in order, cut at maxItems"
        );
        let mut p = Paginator::new(None, None);
        assert!(matches!(p.step(), Step::Fetch(None)));
        p.accept(Page {
            items: list(&[7, 8, 9]),
            cursor: None,
            attempts: 1,
        });
        let mut seen = Vec::new();
        while let Step::Item(j) = p.step() {
            seen.push(j.as_i64().unwrap());
        }
        assert_eq!(seen, [7, 8, 9]);
    }

    #[test]
    fn an_untouched_page_leaves_whole() {
        let mut p = Paginator::new(None, None);
        assert!(matches!(p.step(), Step::Fetch(None)));
        p.accept(page(&[1, 2, 3], None));
        assert!(
            matches!(p.take_items(), Items::Array(_)),
            "no item-by-item copy"
        );
        assert!(matches!(p.step(), Step::Done));
    }

    #[test]
    fn finish_stops_everything() {
        let mut p = Paginator::new(None, None);
        assert!(matches!(p.step(), Step::Fetch(None)));
        p.accept(page(&[1, 2], Some("a")));
        p.finish();
        assert!(matches!(p.step(), Step::Done));
        assert!(p.is_finished());
    }

    /// Every item of a listing over pages `[a, b, c]` of `per` items from
    /// `start`, taken one chunk at a time, stopping where `stop(taken)` says;
    /// returns the items and the position after them.
    fn drain(mut p: Paginator, stop: impl Fn(usize) -> bool) -> (Vec<i64>, Position, u32) {
        let book: [(Option<&str>, Vec<i32>, Option<&str>); 3] = [
            (None, vec![1, 2, 3], Some("b")),
            (Some("b"), vec![4, 5, 6], Some("c")),
            (Some("c"), vec![7, 8], None),
        ];
        let (mut items, mut requests) = (Vec::new(), 0);
        loop {
            if stop(items.len()) {
                return (items, p.position(0), requests);
            }
            match p.step() {
                Step::Item(j) => items.push(j.as_i64().unwrap()),
                Step::Fetch(c) => {
                    requests += 1;
                    let (_, page, next) = book
                        .iter()
                        .find(|(k, ..)| k.map(str::to_owned) == c)
                        .unwrap();
                    p.accept(Page {
                        items: Items::Array(json!(page)),
                        cursor: next.map(str::to_owned),
                        attempts: 1,
                    });
                }
                Step::Done | Step::Fail(_) => return (items, p.position(0), requests),
            }
        }
    }

    #[test]
    fn a_position_resumes_exactly_at_every_item() {
        let all: Vec<i64> = (1..=8).collect();
        for cut in 0..=8 {
            let (first, at, _) = drain(Paginator::new(None, None), |n| n == cut);
            assert_eq!(first, all[..cut], "cut {cut}");
            assert_eq!(at.done, cut == 8, "cut {cut}: {at:?}");
            let (rest, end, _) = drain(Paginator::new(None, None).resuming(at.clone()), |_| false);
            assert_eq!([first, rest].concat(), all, "resumed from {at:?}");
            assert!(end.done, "{end:?}");
            let (nothing, _, requests) =
                drain(Paginator::new(None, None).resuming(end.clone()), |_| false);
            assert!(
                nothing.is_empty() && requests == 0,
                "a finished listing resumes to nothing, sending nothing"
            );
        }
    }

    #[test]
    fn a_request_budget_stops_the_listing_where_it_can_go_on() {
        for budget in 0..=3u32 {
            let (first, at, requests) =
                drain(Paginator::new(None, None).with_budget(Some(budget)), |_| {
                    false
                });
            assert_eq!(requests, budget, "budget {budget}");
            assert_eq!(first.len(), [0, 3, 6, 8][budget as usize]);
            assert_eq!(at.done, budget == 3, "budget {budget}: {at:?}");
            let (rest, _, _) = drain(Paginator::new(None, None).resuming(at), |_| false);
            assert_eq!([first, rest].concat(), (1..=8).collect::<Vec<i64>>());
        }
        let mut p = Paginator::new(None, None).with_budget(Some(3));
        assert!(matches!(p.step(), Step::Fetch(None)));
        p.accept(Page {
            items: Items::Array(json!([1])),
            cursor: Some("b".into()),
            attempts: 3,
        });
        assert_eq!(p.requests_left(), Some(0), "a page's retries count");
    }
}
