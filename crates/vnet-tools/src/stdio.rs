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
//! A tool records what it writes in an [`Output`]: stdout and stderr bytes
//! plus where each stderr write fell among the stdout bytes. [`Stdout`]
//! then decides which stdout bytes have reached the file at each moment.

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

/// Which stream a write went to.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Fd {
    Out,
    Err,
}

/// What a program wrote, in the order it wrote it.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Output {
    pub out: Vec<u8>,
    pub err: Vec<u8>,
    /// After each stderr write: (stdout bytes, stderr bytes) written so far.
    marks: Vec<(usize, usize)>,
}

impl Output {
    /// A stdout write.
    pub fn print(&mut self, b: &[u8]) {
        self.out.extend_from_slice(b);
    }
    /// A stderr write, placed after the stdout bytes written so far.
    pub fn eprint(&mut self, b: &[u8]) {
        if b.is_empty() {
            return;
        }
        self.err.extend_from_slice(b);
        self.marks.push((self.out.len(), self.err.len()));
    }
    /// Appends another output after this one, keeping its order.
    pub fn append(&mut self, o: Output) {
        let (base_o, base_e) = (self.out.len(), self.err.len());
        // Stderr bytes of `self` written directly (without a mark) count as
        // written last.
        self.seal();
        self.out.extend_from_slice(&o.out);
        self.err.extend_from_slice(&o.err);
        self.marks
            .extend(o.marks.iter().map(|&(a, b)| (a + base_o, b + base_e)));
    }
    /// Marks stderr bytes pushed without [`Output::eprint`] as written now.
    fn seal(&mut self) {
        let e = self.marks.last().map_or(0, |m| m.1);
        if self.err.len() > e {
            self.marks.push((self.out.len(), self.err.len()));
        }
    }
    pub fn is_empty(&self) -> bool {
        self.out.is_empty() && self.err.is_empty()
    }
    /// The writes in the order the program made them (stderr bytes pushed
    /// without a mark come after all of stdout).
    pub fn writes(&self) -> Vec<(Fd, &[u8])> {
        let mut v = Vec::new();
        let (mut o, mut e) = (0, 0);
        for &(mo, me) in &self.marks {
            if mo > o {
                v.push((Fd::Out, &self.out[o..mo]));
                o = mo;
            }
            if me > e {
                v.push((Fd::Err, &self.err[e..me]));
                e = me;
            }
        }
        if self.out.len() > o {
            v.push((Fd::Out, &self.out[o..]));
        }
        if self.err.len() > e {
            v.push((Fd::Err, &self.err[e..]));
        }
        v
    }
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
    fn writes_keep_program_order() {
        let mut o = Output::default();
        o.print(b"a\n");
        o.eprint(b"E1\n");
        o.print(b"b\n");
        o.err.extend_from_slice(b"late\n");
        let w = o.writes();
        assert_eq!(
            w,
            vec![
                (Fd::Out, &b"a\n"[..]),
                (Fd::Err, &b"E1\n"[..]),
                (Fd::Out, &b"b\n"[..]),
                (Fd::Err, &b"late\n"[..])
            ]
        );
    }

    #[test]
    fn append_shifts_the_marks() {
        let mut a = Output::default();
        a.print(b"x");
        a.err.extend_from_slice(b"unmarked");
        let mut b = Output::default();
        b.eprint(b"e");
        b.print(b"y");
        a.append(b);
        let w = a.writes();
        assert_eq!(
            w,
            vec![
                (Fd::Out, &b"x"[..]),
                (Fd::Err, &b"unmarked"[..]),
                (Fd::Err, &b"e"[..]),
                (Fd::Out, &b"y"[..])
            ]
        );
    }

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
