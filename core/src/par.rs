//! The one place that chooses between rayon and the calling thread.
//!
//! Every batch kernel maps independent tasks through [`map_tasks`] and then combines the results in
//! task order, so the output is the same with or without the `parallel` feature and on any number
//! of threads.

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
