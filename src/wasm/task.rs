//! The executor behind every Promise the exported methods return.
//!
//! A trap (a panic is one) inside a future polled by wasm-bindgen-futures
//! happens in a microtask the package does not control: the caller's Promise
//! never settles and Node ends the process on the uncaught error. So the JS
//! entry (`pkg/src/api.js`) installs a scheduler with [`set_scheduler`], and every
//! poll ([`poll`]) runs inside its `try`: on a trap it rejects the calls in
//! flight and starts a fresh instance. Without one (the raw glue, as
//! wasm-bindgen-test uses it) polls run in plain microtasks
//! (`microtasks` in `src/wasm/task.js`): one executor either way, and none of
//! wasm-bindgen-futures' own (its queue and `future_to_promise` cost 2 KB).

use js_sys::{Function, Promise};
use std::cell::RefCell;
use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;
use std::task::{Context, Poll, Wake, Waker};
use wasm_bindgen::prelude::*;

#[wasm_bindgen(module = "/src/wasm/task.js")]
extern "C" {
    /// A scheduler that calls `poll(id)` in a later microtask.
    fn microtasks(poll: &JsValue) -> Function;
}

type Task = Pin<Box<dyn Future<Output = ()>>>;

thread_local! {
    static SCHEDULER: RefCell<Option<Function>> = const { RefCell::new(None) };
    static TASKS: RefCell<Vec<Option<Task>>> = const { RefCell::new(Vec::new()) };
    static FREE: RefCell<Vec<u32>> = const { RefCell::new(Vec::new()) };
}

/// Wakes task `id` by asking the JS scheduler for a poll.
struct TaskWaker(u32);

impl Wake for TaskWaker {
    fn wake(self: Arc<Self>) {
        schedule(self.0);
    }
}

fn schedule(id: u32) {
    SCHEDULER.with(|s| {
        if let Some(f) = s.borrow().as_ref() {
            let _ = f.call1(&JsValue::UNDEFINED, &JsValue::from(id));
        }
    });
}

/// Runs `future` and returns a Promise of its result.
pub(crate) fn spawn<F>(future: F) -> Promise
where
    F: Future<Output = Result<JsValue, JsValue>> + 'static,
{
    if SCHEDULER.with(|s| s.borrow().is_none()) {
        let poll = Closure::<dyn Fn(u32)>::new(poll).into_js_value();
        set_scheduler(microtasks(&poll));
    }
    let mut settle: Option<(Function, Function)> = None;
    let promise = Promise::new(&mut |resolve, reject| settle = Some((resolve, reject)));
    if let Some((resolve, reject)) = settle {
        let task: Task = Box::pin(async move {
            let (settle, value) = match future.await {
                Ok(v) => (resolve, v),
                Err(e) => (reject, e),
            };
            let _ = settle.call1(&JsValue::UNDEFINED, &value);
        });
        let id = FREE.with(|f| f.borrow_mut().pop()).unwrap_or_else(|| {
            TASKS.with(|t| {
                let mut t = t.borrow_mut();
                t.push(None);
                (t.len() - 1) as u32
            })
        });
        TASKS.with(|t| t.borrow_mut()[id as usize] = Some(task));
        schedule(id);
    }
    promise
}

/// Polls task `id` once (called by the JS scheduler). A task woken after it
/// finished, or polled twice, is ignored.
#[wasm_bindgen(js_name = __poll, skip_typescript)]
pub fn poll(id: u32) {
    let task = TASKS.with(|t| t.borrow_mut().get_mut(id as usize).and_then(Option::take));
    let Some(mut task) = task else { return };
    let waker = Waker::from(Arc::new(TaskWaker(id)));
    match task.as_mut().poll(&mut Context::from_waker(&waker)) {
        Poll::Pending => TASKS.with(|t| t.borrow_mut()[id as usize] = Some(task)),
        Poll::Ready(()) => FREE.with(|f| f.borrow_mut().push(id)),
    }
}

/// Installs the JS scheduler: `schedule(id)` must call `__poll(id)` soon, in a
/// later microtask.
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
