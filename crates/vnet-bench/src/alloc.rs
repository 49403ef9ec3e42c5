//! A global allocator that keeps the number of live heap bytes, so memory
//! cases report what the structures really cost (capacity slack, hash
//! tables and all), not an estimate.

use std::alloc::{GlobalAlloc, Layout, System};
use std::sync::atomic::{AtomicIsize, Ordering::Relaxed};

static LIVE: AtomicIsize = AtomicIsize::new(0);

/// The system allocator, counting. Install with
/// `#[global_allocator] static A: vnet_bench::Counting = vnet_bench::Counting;`.
pub struct Counting;

unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, l: Layout) -> *mut u8 {
        let p = unsafe { System.alloc(l) };
        if !p.is_null() {
            LIVE.fetch_add(l.size() as isize, Relaxed);
        }
        p
    }
    unsafe fn alloc_zeroed(&self, l: Layout) -> *mut u8 {
        let p = unsafe { System.alloc_zeroed(l) };
        if !p.is_null() {
            LIVE.fetch_add(l.size() as isize, Relaxed);
        }
        p
    }
    unsafe fn dealloc(&self, p: *mut u8, l: Layout) {
        unsafe { System.dealloc(p, l) };
        LIVE.fetch_sub(l.size() as isize, Relaxed);
    }
    unsafe fn realloc(&self, p: *mut u8, l: Layout, n: usize) -> *mut u8 {
        let q = unsafe { System.realloc(p, l, n) };
        if !q.is_null() {
            LIVE.fetch_add(n as isize - l.size() as isize, Relaxed);
        }
        q
    }
}

/// Live heap bytes, or None when [`Counting`] is not the global allocator
/// (nothing was ever counted).
pub fn live_bytes() -> Option<usize> {
    let v = LIVE.load(Relaxed);
    (v > 0).then_some(v as usize)
}
