//! stdio as glibc does it, so output interleaves as on a real machine.
//!
//! A program's stdout is line-buffered when it is a terminal and fully
//! buffered otherwise (a file or a pipe: BUFSIZ, 4096 bytes, flushed when
//! full and at exit); stderr is unbuffered. So `bash lab.sh > log 2>&1`
//! puts `conntrack -L`'s summary line (stderr) *before* its table (stdout),
//! while a terminal shows the table first. Programs that flush on their own
//! (ping after each line, `tcpdump -l`) say so through
//! [`crate::proc::Program::flushes`].
//!
//! [`Stdout`] decides which of a program's stdout bytes have reached the
//! file at each moment; the machine writes stderr at once. Within one poll
//! of a program (or one instant tool) stdout and stderr are kept apart, so
//! their order there is approximated: stdout first, then stderr.

/// glibc's buffer for a file or a pipe (st_blksize on Linux).
pub const BUFSIZ: usize = 4096;

/// How a stream holds back what a program writes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Buffering {
    /// A terminal: flushed at each newline.
    Line,
    /// A file or a pipe: flushed when more than [`BUFSIZ`] bytes are held.
    Full,
}

/// A program's stdout buffer.
#[derive(Clone, Debug, Default)]
pub struct Stdout {
    held: Vec<u8>,
}

impl Stdout {
    /// The program writes `data`; returns what reaches the file now.
    pub fn write(&mut self, mode: Buffering, data: &[u8]) -> Vec<u8> {
        self.held.extend_from_slice(data);
        let n = match mode {
            // _IO_LINE_BUF: everything up to the last newline of this write.
            Buffering::Line if data.contains(&b'\n') => self
                .held
                .iter()
                .rposition(|&c| c == b'\n')
                .map_or(0, |i| i + 1),
            Buffering::Line => 0,
            // A write that overflows the buffer flushes it and writes
            // whole blocks directly; a buffer exactly full waits.
            Buffering::Full if self.held.len() > BUFSIZ => {
                self.held.len() - self.held.len() % BUFSIZ
            }
            Buffering::Full => 0,
        };
        self.held.drain(..n).collect()
    }
    /// fflush(stdout) or exit: everything held.
    pub fn flush(&mut self) -> Vec<u8> {
        std::mem::take(&mut self.held)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn full_buffering_flushes_whole_blocks_past_bufsiz() {
        let mut s = Stdout::default();
        assert!(s.write(Buffering::Full, &[b'x'; 4000]).is_empty());
        assert!(
            s.write(Buffering::Full, &[b'x'; 96]).is_empty(),
            "exactly full waits"
        );
        assert_eq!(s.write(Buffering::Full, b"y").len(), 4096);
        assert_eq!(s.write(Buffering::Full, &[b'z'; 9000]).len(), 8192);
        assert_eq!(s.flush().len(), 9001 - 8192);
    }

    #[test]
    fn line_buffering_flushes_through_the_last_newline() {
        let mut s = Stdout::default();
        assert!(s.write(Buffering::Line, b"par").is_empty());
        assert_eq!(s.write(Buffering::Line, b"tial\nnext"), b"partial\n");
        assert_eq!(s.flush(), b"next");
    }
}
