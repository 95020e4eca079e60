//! Test support: a global allocator that counts each thread's allocations, so a test can check
//! that a kernel allocates nothing (or a bounded amount) where it runs in parallel. In threaded
//! WebAssembly every allocation takes the allocator's one global spin lock, and two threads
//! allocating at a high rate spend more CPU than one (issue #9). Only in the lib's test binary.

use std::alloc::{GlobalAlloc, Layout, System};
use std::cell::Cell;

thread_local! {
    static ALLOCATIONS: Cell<usize> = const { Cell::new(0) };
}

struct Counting;

// SAFETY: every call is forwarded to the system allocator unchanged.
unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        let _ = ALLOCATIONS.try_with(|n| n.set(n.get() + 1));
        // SAFETY: the caller upholds `alloc`'s contract.
        unsafe { System.alloc(layout) }
    }

    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        let _ = ALLOCATIONS.try_with(|n| n.set(n.get() + 1));
        // SAFETY: the caller upholds `alloc_zeroed`'s contract.
        unsafe { System.alloc_zeroed(layout) }
    }

    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        let _ = ALLOCATIONS.try_with(|n| n.set(n.get() + 1));
        // SAFETY: the caller upholds `realloc`'s contract.
        unsafe { System.realloc(ptr, layout, new_size) }
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        // SAFETY: the caller upholds `dealloc`'s contract.
        unsafe { System.dealloc(ptr, layout) }
    }
}

#[global_allocator]
static ALLOCATOR: Counting = Counting;

/// Allocations made by this thread so far.
pub fn count() -> usize {
    ALLOCATIONS.with(Cell::get)
}

/// Runs `f` on a rayon pool of one thread (so its parallel steps, with or without the `parallel`
/// feature, all run on that thread and no other test's allocations are counted) and returns its
/// result with the allocations it made, `f`'s result included.
pub fn counted<T: Send>(f: impl FnOnce() -> T + Send) -> (T, usize) {
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(1)
        .build()
        .expect("a one-thread pool");
    pool.install(|| {
        let before = count();
        let out = f();
        (out, count() - before)
    })
}

/// `count` texts of 100 words each from a 400-word vocabulary (`w0` .. `w399`), every word in
/// about a quarter of the texts: input for allocation-counting tests of word-level kernels.
pub fn word_texts(count: usize) -> Vec<String> {
    (0..count)
        .map(|k| {
            let words: Vec<String> = (0..100)
                .map(|w| format!("w{}", (k * 37 + w * 11) % 400))
                .collect();
            words.join(" ")
        })
        .collect()
}
