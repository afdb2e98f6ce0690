//! The worker threads (`--threads`): a pool, or none when documents are judged one by one on
//! the reading thread.
//!
//! Each way of sharing out work has its one-thread form here, beside the pool's, so that the
//! rest of the tool says what is done, not on how many threads.

use std::sync::Arc;

use rayon::prelude::*;
use rayon::ThreadPool;

use crate::error::{Error, Result};

/// The worker threads: cheap to clone, the pool being shared.
#[derive(Clone)]
pub struct Threads {
    /// `None` for one thread: the work is done on the calling thread, in order.
    pool: Option<Arc<ThreadPool>>,
}

impl Threads {
    /// `threads` worker threads; for 1, none but the calling thread.
    ///
    /// # Errors
    ///
    /// The threads cannot be started.
    pub fn new(threads: usize) -> Result<Threads> {
        let pool = if threads > 1 {
            Some(Arc::new(pool(threads)?))
        } else {
            None
        };
        Ok(Threads { pool })
    }

    /// The pool, when there is one.
    pub fn pool(&self) -> Option<&ThreadPool> {
        self.pool.as_deref()
    }

    /// How many threads share the work.
    pub fn count(&self) -> usize {
        self.pool
            .as_ref()
            .map_or(1, |pool| pool.current_num_threads())
    }

    /// Runs `first` on a worker thread while `second` runs on this one; with one thread,
    /// `first` and then `second`.
    pub fn alongside<A: Send, B>(
        &self,
        first: impl FnOnce() -> A + Send,
        second: impl FnOnce() -> B,
    ) -> (A, B) {
        match &self.pool {
            None => {
                let a = first();
                (a, second())
            }
            Some(pool) => {
                let mut a = None;
                let b = pool.in_place_scope(|scope| {
                    scope.spawn(|_| a = Some(first()));
                    second()
                });
                (a.expect("the scope waits for the work it spawned"), b)
            }
        }
    }

    /// Runs `first` and `second` at once on the pool; with one thread, one after the other.
    pub fn join(&self, first: impl FnOnce() + Send, second: impl FnOnce() + Send) {
        match &self.pool {
            Some(pool) => {
                pool.install(|| rayon::join(first, second));
            }
            None => {
                first();
                second();
            }
        }
    }

    /// `f` of each item, in order, the items shared out among the threads.
    pub fn map<T: Sync, R: Send>(&self, items: &[T], f: impl Fn(&T) -> R + Sync + Send) -> Vec<R> {
        match &self.pool {
            Some(pool) => pool.install(|| items.par_iter().map(f).collect()),
            None => items.iter().map(f).collect(),
        }
    }

    /// `f` of each item with its index, the items shared out among the threads.
    pub fn for_each_mut<T: Send>(&self, items: &mut [T], f: impl Fn(usize, &mut T) + Sync + Send) {
        match &self.pool {
            Some(pool) => pool.install(|| {
                items
                    .par_iter_mut()
                    .enumerate()
                    .for_each(|(i, item)| f(i, item));
            }),
            None => items
                .iter_mut()
                .enumerate()
                .for_each(|(i, item)| f(i, item)),
        }
    }
}

/// A pool of `threads` threads.
fn pool(threads: usize) -> Result<ThreadPool> {
    rayon::ThreadPoolBuilder::new()
        .num_threads(threads)
        .build()
        .map_err(|e| Error::runtime(format!("cannot start {threads} threads: {e}")))
}
