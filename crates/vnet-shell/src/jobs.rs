//! The job table: jobs started with `&`, numbered as `jobs` and `%N` know
//! them, with bash's current (`+`) and previous (`-`) job (jobs.c's
//! set_current_job and reset_current).

/// A job started with `&`.
#[derive(Debug, Clone)]
pub(crate) struct Job {
    pub num: u32,
    pub id: u32,
    pub command: String,
}

#[derive(Debug, Clone, Default)]
pub(crate) struct JobTable {
    jobs: Vec<Job>,
    /// Job numbers of the current and previous job.
    current: Option<u32>,
    previous: Option<u32>,
}

impl JobTable {
    pub fn iter(&self) -> impl DoubleEndedIterator<Item = &Job> {
        self.jobs.iter()
    }

    pub fn next_num(&self) -> u32 {
        self.jobs.iter().map(|j| j.num).max().unwrap_or(0) + 1
    }

    /// A job started: it becomes the current job; the previous one is the
    /// newest job older than it still running (or, with none, the current
    /// job itself, which `jobs` then marks `+` only). `running` says
    /// whether a job (by id) has not ended yet.
    pub fn start(&mut self, command: String, id: u32, running: impl Fn(u32) -> bool) -> u32 {
        let num = self.next_num();
        self.jobs.push(Job { num, id, command });
        self.set_current(num, &running);
        num
    }

    fn set_current(&mut self, num: u32, running: &impl Fn(u32) -> bool) {
        if self.current != Some(num) {
            self.previous = self.current;
            self.current = Some(num);
        }
        let cur_running = self.find(num).is_some_and(|j| running(j.id));
        let older = self
            .jobs
            .iter()
            .rev()
            .filter(|j| !cur_running || j.num < num)
            .find(|j| j.num != num && running(j.id));
        self.previous = Some(older.map_or(num, |j| j.num));
    }

    /// Removes the jobs `gone` selects; when the current or previous job
    /// goes, the newest running job becomes current (reset_current).
    pub fn remove(&mut self, gone: impl Fn(&Job) -> bool, running: impl Fn(u32) -> bool) {
        let before: Vec<u32> = self.jobs.iter().map(|j| j.num).collect();
        self.jobs.retain(|j| !gone(j));
        let lost =
            |n: Option<u32>| n.is_some_and(|n| before.contains(&n) && self.find(n).is_none());
        if lost(self.current) || lost(self.previous) {
            match self
                .jobs
                .iter()
                .rev()
                .find(|j| running(j.id))
                .map(|j| j.num)
            {
                Some(n) => self.set_current(n, &running),
                None => (self.current, self.previous) = (None, None),
            }
        }
    }

    pub fn find(&self, num: u32) -> Option<&Job> {
        self.jobs.iter().find(|j| j.num == num)
    }

    pub fn current(&self) -> Option<&Job> {
        self.current.and_then(|n| self.find(n))
    }

    pub fn previous(&self) -> Option<&Job> {
        self.previous.and_then(|n| self.find(n))
    }

    /// `+`, `-` or a space, as `jobs` marks a job.
    pub fn mark(&self, num: u32) -> char {
        if self.current == Some(num) {
            '+'
        } else if self.previous == Some(num) {
            '-'
        } else {
            ' '
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn marks(t: &JobTable) -> String {
        t.iter().map(|j| t.mark(j.num)).collect()
    }

    /// `true & sleep 1 & true &` (the trues ended at once): bash lists
    /// `[1]   Done`, `[2]-  Running`, `[3]+  Done`.
    #[test]
    fn previous_is_the_newest_older_running_job() {
        let mut t = JobTable::default();
        let running = |id: u32| id == 2;
        for id in 1..=3 {
            t.start(format!("j{id}"), id, running);
        }
        assert_eq!(marks(&t), " -+");
        // `true & true & true &`: only the last is marked.
        let mut t = JobTable::default();
        for id in 1..=3 {
            t.start(format!("j{id}"), id, |_| false);
        }
        assert_eq!(marks(&t), "  +");
        // Three running: `[1] [2]- [3]+`.
        let mut t = JobTable::default();
        for id in 1..=3 {
            t.start(format!("j{id}"), id, |_| true);
        }
        assert_eq!(marks(&t), " -+");
    }

    #[test]
    fn removing_the_current_job_makes_the_newest_running_one_current() {
        let mut t = JobTable::default();
        for id in 1..=3 {
            t.start(format!("j{id}"), id, |_| true);
        }
        t.remove(|j| j.num == 3, |id| id != 3);
        assert_eq!(marks(&t), "-+");
        t.remove(|_| true, |_| false);
        assert!(t.current().is_none() && t.previous().is_none());
    }
}
