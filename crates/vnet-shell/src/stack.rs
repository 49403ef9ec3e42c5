//! A stack budget: how deep the shell may recurse, in bytes rather than
//! levels, because a level's cost differs tenfold between debug and release
//! builds and between constructs (a nested `if` costs more than a `{`).
//!
//! The first shell entry point on a thread (running a script, a line, or
//! parsing) records where the stack was; the parser and the executor refuse
//! to go deeper once [`BUDGET`] bytes below it are used. Test harness threads
//! have 2 MB of stack and `vnet run`'s main thread 8 MB, so 1 MB leaves room
//! for the commands a System runs from the deepest level.

use std::cell::Cell;

/// Bytes of stack the shell may use below its entry point.
const BUDGET: usize = 1 << 20;

thread_local! {
    static BASE: Cell<usize> = const { Cell::new(0) };
}

/// Where the stack is now (an address inside this call's frame).
#[inline(never)]
fn here() -> usize {
    let marker = 0u8;
    std::hint::black_box(&marker) as *const u8 as usize
}

/// Marks the outermost entry point; dropping it forgets the mark.
pub(crate) struct Entry(bool);

/// Records the stack position if no entry point on this thread has.
pub(crate) fn enter() -> Entry {
    BASE.with(|b| match b.get() {
        0 => {
            b.set(here());
            Entry(true)
        }
        _ => Entry(false),
    })
}

impl Drop for Entry {
    fn drop(&mut self) {
        if self.0 {
            BASE.with(|b| b.set(0));
        }
    }
}

/// True when the budget is used up (the stack grows down on every
/// platform vnet runs on; growing up, this never trips).
pub(crate) fn low() -> bool {
    used() > BUDGET
}

/// A last-resort check for the executor's every command, a quarter of the
/// budget beyond [`low`], so that functions, `eval` and `$(…)` report
/// their own limits first.
pub(crate) fn exhausted() -> bool {
    used() > BUDGET + BUDGET / 4
}

fn used() -> usize {
    match BASE.with(Cell::get) {
        0 => 0,
        base => base.saturating_sub(here()),
    }
}
