//! The executor behind every Promise the exported methods return, and the
//! one way its futures wait for a JS Promise ([`wait`]).
//!
//! A trap (a panic is one) inside a future polled in a microtask the package
//! does not control would leave the caller's Promise unsettled, and Node ends
//! the process on the uncaught error. So the JS entry (`pkg/src/api.js`)
//! installs a scheduler with [`set_scheduler`], and every poll ([`poll`]) runs
//! inside its `try`: on a trap it rejects the calls in flight and starts a
//! fresh instance.
//!
//! No wasm-bindgen closures and no wasm-bindgen-futures: a Promise is watched
//! by a few lines of JS (`src/wasm/task.js`) that call the scheduler when it
//! settles. Closures cost their glue, their shims and a finalizer registry
//! (about 1 KB gzip of `.wasm` and JS), more than this whole executor.

use js_sys::{Array, Function, Promise};
use std::cell::{Cell, RefCell};
use std::future::Future;
use std::pin::Pin;
use std::task::{Context, Poll, RawWaker, RawWakerVTable, Waker};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

#[wasm_bindgen(module = "/src/wasm/task.js")]
extern "C" {
    /// `[promise, resolve, reject]`: a new Promise and the functions that settle it.
    fn deferred() -> Array;
    /// A cell `[state, value]` that `promise` settles into (state 0 pending,
    /// 1 fulfilled, 2 rejected); `schedule(id)` is called when it does.
    fn watch(promise: &Promise, schedule: &Function, id: u32) -> Array;
}

/// A spawned future and the functions that settle its Promise. Boxed, so
/// that the executor is one copy of code whatever the future.
struct Task {
    future: Pin<Box<dyn Future<Output = Result<JsValue, JsValue>>>>,
    resolve: Function,
    reject: Function,
}

thread_local! {
    static SCHEDULER: RefCell<Option<Function>> = const { RefCell::new(None) };
    static TASKS: RefCell<Vec<Option<Task>>> = const { RefCell::new(Vec::new()) };
    static FREE: RefCell<Vec<u32>> = const { RefCell::new(Vec::new()) };
    /// The task being polled: the one a [`Wait`] wakes.
    static CURRENT: Cell<u32> = const { Cell::new(0) };
}

fn schedule(id: u32) {
    SCHEDULER.with(|s| {
        if let Some(f) = s.borrow().as_ref() {
            let _ = f.call1(&JsValue::UNDEFINED, &JsValue::from(id));
        }
    });
}

/// A waker that holds its task's id in place of a pointer: nothing to
/// allocate, count or free.
static WAKER: RawWakerVTable = RawWakerVTable::new(
    |id| RawWaker::new(id, &WAKER),
    |id| schedule(id as usize as u32),
    |id| schedule(id as usize as u32),
    |_| {},
);

/// Runs `future` and returns a Promise of its result. Without a scheduler
/// (see [`set_scheduler`]) nothing could poll it, so the Promise rejects.
pub(crate) fn spawn<F>(future: F) -> Promise
where
    F: Future<Output = Result<JsValue, JsValue>> + 'static,
{
    start(Box::pin(future))
}

fn start(future: Pin<Box<dyn Future<Output = Result<JsValue, JsValue>>>>) -> Promise {
    if SCHEDULER.with(|s| s.borrow().is_none()) {
        return Promise::reject(&JsValue::from_str("crm-engagements: no scheduler"));
    }
    let parts = deferred();
    let task = Task {
        future,
        resolve: parts.get(1).unchecked_into(),
        reject: parts.get(2).unchecked_into(),
    };
    let id = FREE.with(|f| f.borrow_mut().pop()).unwrap_or_else(|| {
        TASKS.with(|t| {
            let mut t = t.borrow_mut();
            t.push(None);
            (t.len() - 1) as u32
        })
    });
    TASKS.with(|t| t.borrow_mut()[id as usize] = Some(task));
    schedule(id);
    parts.get(0).unchecked_into()
}

/// Waits for `promise`: its value, or `Err` with the reason it was rejected.
/// For the futures this executor runs (the task polled is the one woken).
pub(crate) fn wait(promise: Promise) -> Wait {
    Wait {
        promise: Some(promise),
        cell: None,
    }
}

/// The future of [`wait`].
#[derive(Debug)]
pub(crate) struct Wait {
    /// Not yet watched.
    promise: Option<Promise>,
    /// What it settles into, once watched.
    cell: Option<Array>,
}

impl Future for Wait {
    type Output = Result<JsValue, JsValue>;

    fn poll(mut self: Pin<&mut Self>, _: &mut Context<'_>) -> Poll<Self::Output> {
        if let Some(promise) = self.promise.take() {
            let scheduler = SCHEDULER.with(|s| s.borrow().clone());
            let Some(scheduler) = scheduler else {
                return Poll::Ready(Err(JsValue::UNDEFINED));
            };
            self.cell = Some(watch(&promise, &scheduler, CURRENT.with(Cell::get)));
            return Poll::Pending;
        }
        let Some(cell) = &self.cell else {
            return Poll::Ready(Err(JsValue::UNDEFINED));
        };
        match cell.get(0).as_f64() {
            Some(1.0) => Poll::Ready(Ok(cell.get(1))),
            Some(2.0) => Poll::Ready(Err(cell.get(1))),
            _ => Poll::Pending,
        }
    }
}

/// Polls task `id` once (called by the JS scheduler). A task woken after it
/// finished, or polled twice, is ignored.
#[wasm_bindgen(js_name = __poll, skip_typescript)]
pub fn poll(id: u32) {
    let task = TASKS.with(|t| t.borrow_mut().get_mut(id as usize).and_then(Option::take));
    let Some(mut task) = task else { return };
    CURRENT.with(|c| c.set(id));
    // SAFETY: the vtable's functions take the data pointer as an id and
    // never dereference it.
    let waker = unsafe { Waker::from_raw(RawWaker::new(id as usize as *const (), &WAKER)) };
    let (settle, value) = match task.future.as_mut().poll(&mut Context::from_waker(&waker)) {
        Poll::Pending => return TASKS.with(|t| t.borrow_mut()[id as usize] = Some(task)),
        Poll::Ready(Ok(value)) => (task.resolve, value),
        Poll::Ready(Err(reason)) => (task.reject, reason),
    };
    FREE.with(|f| f.borrow_mut().push(id));
    let _ = settle.call1(&JsValue::UNDEFINED, &value);
}

/// Installs the JS scheduler: `schedule(id)` must call `__poll(id)` soon, in a
/// later microtask. The package's entry (`pkg/src/api.js`) installs one
/// before any call; nothing runs without it.
#[wasm_bindgen(js_name = __setScheduler, skip_typescript)]
pub fn set_scheduler(schedule: Function) {
    SCHEDULER.with(|s| *s.borrow_mut() = Some(schedule));
}

/// Test hook: traps the instance at once, as a panic would. Used by the tests
/// of the recovery path; calling it only restarts the module.
#[wasm_bindgen(js_name = __testTrap, skip_typescript)]
pub fn test_trap() {
    std::process::abort();
}

/// Test hook: a Promise whose first poll traps the instance.
#[wasm_bindgen(js_name = __testTrapLater, skip_typescript)]
pub fn test_trap_later() -> Promise {
    spawn(async {
        std::process::abort();
    })
}
