//! The one place that chooses between rayon and the calling thread.
//!
//! Every batch kernel maps independent tasks through [`map_tasks`] and then combines the results in
//! task order, so the output is the same with or without the `parallel` feature and on any number
//! of threads.

/// Runs `f` on one of the pool's threads and waits for it: a batch of parallel steps started from
/// outside the pool then enters it once, instead of once per step.
///
/// Each step started from a thread outside the pool hands its work over and sleeps until it is
/// done: a wake-up on the way in and one on the way out. In threaded WebAssembly each takes tens
/// of microseconds (`Atomics.wait` and `notify`), and a 400-text cosine matrix has about ten
/// steps: entering once took its call in Node from 3.45 to 2.80 ms on one thread and from 2.08 to
/// 1.80 ms on two (issue #9). Keeping the other threads awake through the call as well (a task
/// spinning on `rayon::yield_now` until `f` returned) made the median no better and the slow
/// calls slower: with both cores spinning, Node's own threads took them from the pool.
/// Without the `parallel` feature, or already on a pool thread, `f` just runs.
pub fn on_pool<R: Send>(f: impl FnOnce() -> R + Send) -> R {
    #[cfg(feature = "parallel")]
    {
        if rayon::current_thread_index().is_none() {
            return rayon::scope(|_| f());
        }
    }
    f()
}

/// The threads batch kernels run on: the pool's, or 1 without the `parallel` feature.
pub fn threads() -> usize {
    #[cfg(feature = "parallel")]
    {
        rayon::current_num_threads()
    }
    #[cfg(not(feature = "parallel"))]
    {
        1
    }
}

/// Runs `f(0..count)` and returns the results in task order.
pub fn map_tasks<T, F>(count: usize, f: F) -> Vec<T>
where
    T: Send,
    F: Fn(usize) -> T + Sync + Send,
{
    #[cfg(feature = "parallel")]
    {
        use rayon::prelude::*;
        (0..count).into_par_iter().map(f).collect()
    }
    #[cfg(not(feature = "parallel"))]
    {
        (0..count).map(f).collect()
    }
}

/// Like [`map_tasks`], with a per-worker scratch value made by `init` (reused across tasks).
pub fn map_tasks_with<S, T, I, F>(count: usize, init: I, f: F) -> Vec<T>
where
    T: Send,
    I: Fn() -> S + Sync + Send,
    F: Fn(&mut S, usize) -> T + Sync + Send,
{
    #[cfg(feature = "parallel")]
    {
        use rayon::prelude::*;
        (0..count).into_par_iter().map_init(init, f).collect()
    }
    #[cfg(not(feature = "parallel"))]
    {
        let mut scratch = init();
        (0..count).map(|i| f(&mut scratch, i)).collect()
    }
}

/// Runs `f` on every item (owned, e.g. disjoint `&mut` slices of one buffer) with a per-worker
/// scratch value made by `init`, and returns the results in item order.
pub fn for_each_with<S, I, T, R, F>(items: Vec<I>, init: T, f: F) -> Vec<R>
where
    I: Send,
    R: Send,
    T: Fn() -> S + Sync + Send,
    F: Fn(&mut S, I) -> R + Sync + Send,
{
    #[cfg(feature = "parallel")]
    {
        use rayon::prelude::*;
        items.into_par_iter().map_init(init, f).collect()
    }
    #[cfg(not(feature = "parallel"))]
    {
        let mut scratch = init();
        items
            .into_iter()
            .map(|item| f(&mut scratch, item))
            .collect()
    }
}
