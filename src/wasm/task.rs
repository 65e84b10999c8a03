//! The executor behind every Promise the exported methods return.
//!
//! Contract, for code that uses it: [`spawn`] a `'static` future that
//! resolves to `Result<JsValue, JsValue>` and get a Promise of it; inside,
//! await any JS Promise as a `wasm_bindgen_futures::JsFuture` (its waker is
//! this executor's, so the task that awaited it is the one polled again).
//! Nothing runs until the JS entry has installed a scheduler
//! ([`set_scheduler`]); each poll ([`poll`]) is called by it in a microtask.
//!
//! Why not `wasm_bindgen_futures::future_to_promise`: a trap (a panic is
//! one) inside a poll it runs in a microtask of its own would leave the
//! caller's Promise unsettled, and Node ends the process on the uncaught
//! error. Here every poll runs inside `pkg/src/api.js`'s `try`: on a trap it
//! rejects the calls in flight and starts a fresh instance.

use js_sys::{Function, Promise};
use std::cell::RefCell;
use std::future::Future;
use std::pin::Pin;
use std::task::{Context, Poll, RawWaker, RawWakerVTable, Waker};
use wasm_bindgen::prelude::*;

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
    let mut settle = None;
    let promise = Promise::new(&mut |resolve, reject| settle = Some((resolve, reject)));
    let Some((resolve, reject)) = settle else {
        return promise;
    };
    let task = Task {
        future,
        resolve,
        reject,
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
    promise
}

/// Polls task `id` once (called by the JS scheduler). A task woken after it
/// finished, or polled twice, is ignored.
#[wasm_bindgen(js_name = __poll, skip_typescript)]
pub fn poll(id: u32) {
    let task = TASKS.with(|t| t.borrow_mut().get_mut(id as usize).and_then(Option::take));
    let Some(mut task) = task else { return };
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
