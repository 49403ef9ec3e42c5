//! The standard input of `vnet run` itself, which the script's commands
//! read when they do not redirect theirs (`printf 'a\n' | vnet run lab.sh`
//! with `read x` or `grep foo` in it), as bash hands its stdin on.
//!
//! Nothing is read until a command reads: a script that never reads its
//! stdin works on a terminal or on an endless pipe (`yes | vnet run`).
//! The shell's `read` takes one line and leaves the rest for the next
//! command (bash reads a pipe byte by byte for that); a tool takes what is
//! left, in chunks, up to a bound (see [`Stream::read_to_end`]). One
//! [`Shared`] handle is held by the shell and by the machine, so they
//! share the offset, as a file descriptor's duplicates do.

use std::cell::RefCell;
use std::io::Read;
use std::rc::Rc;

/// How much one read(2) takes.
const CHUNK: usize = 64 * 1024;

/// A byte stream read on demand.
pub struct Stream {
    src: Box<dyn Read>,
    /// Read from `src` and not yet consumed, from `pos`.
    buf: Vec<u8>,
    pos: usize,
    eof: bool,
    tty: bool,
}

/// The handle the shell and the machine share.
pub type Shared = Rc<RefCell<Stream>>;

impl Stream {
    /// A stream over `src`; `tty` says it is a terminal (a tool that runs
    /// in virtual time, like nc, then does not wait for it).
    pub fn new(src: Box<dyn Read>, tty: bool) -> Stream {
        Stream {
            src,
            buf: Vec::new(),
            pos: 0,
            eof: false,
            tty,
        }
    }

    /// [`Stream::new`] in a [`Shared`] handle.
    pub fn shared(src: Box<dyn Read>, tty: bool) -> Shared {
        Rc::new(RefCell::new(Stream::new(src, tty)))
    }

    /// Whether the stream is a terminal.
    pub fn is_tty(&self) -> bool {
        self.tty
    }

    /// Reads one more chunk into the buffer; false at end of file (or on
    /// an error, which a shell's read takes as the end too).
    fn fill(&mut self) -> bool {
        if self.eof {
            return false;
        }
        if self.pos == self.buf.len() {
            self.buf.clear();
            self.pos = 0;
        }
        let start = self.buf.len();
        self.buf.resize(start + CHUNK, 0);
        let n = loop {
            match self.src.read(&mut self.buf[start..]) {
                Ok(n) => break n,
                Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
                Err(_) => break 0,
            }
        };
        self.buf.truncate(start + n);
        if n == 0 {
            self.eof = true;
        }
        n > 0
    }

    /// The next byte; None at end of file.
    pub fn byte(&mut self) -> Option<u8> {
        if self.pos == self.buf.len() && !self.fill() {
            return None;
        }
        let b = self.buf[self.pos];
        self.pos += 1;
        Some(b)
    }

    /// What is left, up to `limit` bytes, and whether more remained (the
    /// reader then did not get the end of its input: see the caller).
    pub fn read_to_end(&mut self, limit: usize) -> (Vec<u8>, bool) {
        let mut out = Vec::new();
        loop {
            let room = limit - out.len();
            let have = &self.buf[self.pos..];
            let take = have.len().min(room);
            out.extend_from_slice(&have[..take]);
            self.pos += take;
            if out.len() == limit {
                // Full: is there more? (One byte of it is then lost, as
                // a reader that stops takes a chunk with it on a pipe.)
                let more = self.pos < self.buf.len() || self.fill();
                return (out, more);
            }
            if !self.fill() {
                return (out, false);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_line_then_the_rest() {
        let mut s = Stream::new(Box::new(&b"ab\ncd\n"[..]), false);
        assert_eq!(s.byte(), Some(b'a'));
        assert_eq!(s.byte(), Some(b'b'));
        assert_eq!(s.read_to_end(100), (b"\ncd\n".to_vec(), false));
        assert_eq!(s.byte(), None);
    }

    #[test]
    fn an_endless_source_is_cut_at_the_limit() {
        let mut s = Stream::new(Box::new(std::io::repeat(b'y')), false);
        let (data, more) = s.read_to_end(200_000);
        assert_eq!(data.len(), 200_000);
        assert!(more);
        // Nothing was read before a reader asked.
        let s = Stream::new(Box::new(std::io::repeat(b'y')), false);
        assert!(s.buf.is_empty());
    }

    #[test]
    fn exactly_the_limit_is_not_more() {
        let mut s = Stream::new(Box::new(&b"abcd"[..]), false);
        assert_eq!(s.read_to_end(4), (b"abcd".to_vec(), false));
    }
}
