//! Simulated processes: programs (ping, tcpdump, sleep) are state machines
//! polled in virtual time, in the foreground or in the background (`&`).

use vnet_core::{Time, World};

/// What a poll decided.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Step {
    /// Poll again at this time, or whenever packets arrive (None).
    Wait(Option<Time>),
    Exit(i32),
}

/// A program's output so far, drained by the machine after each poll.
#[derive(Default)]
pub struct Io {
    pub out: Vec<u8>,
    pub err: Vec<u8>,
    /// The program called fflush(stdout) after writing `out` (tcpdump
    /// before its statistics): what stdio held reaches the file first.
    pub flush: bool,
}

pub trait Program {
    /// Makes progress at `w.now`: reads sockets, sends, prints.
    fn poll(&mut self, w: &mut World, io: &mut Io) -> Step;
    /// SIGINT (Ctrl-C): finish as the real program does on it.
    fn interrupt(&mut self, w: &mut World, io: &mut Io) -> i32;
    /// A signal other than SIGKILL (`timeout`, `kill -SIG`): the status
    /// it exits with, or None when it catches the signal and runs on. By
    /// default SIGINT is [`interrupt`](Self::interrupt) and any other
    /// signal kills it silently (128 + the signal), as for a program that
    /// handles only SIGINT (ping, nc, sleep); those whose default action is
    /// to ignore (0, SIGCHLD, SIGCONT, SIGURG, SIGWINCH) or stop it leave
    /// it running.
    fn signal(&mut self, w: &mut World, io: &mut Io, sig: i32) -> Option<i32> {
        match sig {
            2 => Some(self.interrupt(w, io)),
            0 | 17..=23 | 28 => None,
            _ => Some(128 + sig),
        }
    }
    /// Whether the program would run forever unless interrupted (ping
    /// without -c/-w, tcpdump without -c); only those get the script runner's
    /// automatic Ctrl-C.
    fn endless(&self) -> bool {
        false
    }
    /// Whether the program flushes its stdout after each write (ping's
    /// fflush after every line, nc's write(2), `tcpdump -l`) rather than
    /// leaving it to stdio's buffering (see crate::stdio).
    fn flushes(&self) -> bool {
        false
    }
    /// Releases sockets and devices (called once, after exit).
    fn close(&mut self, _w: &mut World) {}
}
