//! The script's stdin as a stream read on demand (`Shell::set_stdin_source`)
//! and the SIGPIPE status of a pipeline's writer (`System::stdin_unread`).

use std::io;
use vnet_fs::stream::{Shared, Stream};
use vnet_shell::{Shell, Sink, System};

/// Commands: `cat` (its stdin, or the script's when none is given),
/// `gen N` (N bytes of `x\n` lines), `first` (prints the first line of
/// its stdin and reports the rest unread).
struct Host {
    source: Shared,
    unread: usize,
}

impl System for Host {
    fn exec(
        &mut self,
        argv: &[String],
        stdin: Option<Vec<u8>>,
        out: &mut Sink,
        _err: &mut Sink,
    ) -> i32 {
        let input = |h: &mut Host, stdin: Option<Vec<u8>>| {
            stdin.unwrap_or_else(|| h.source.borrow_mut().read_to_end(1 << 20).0)
        };
        self.unread = 0;
        match argv[0].as_str() {
            "cat" => {
                let data = input(self, stdin);
                self.write(out, &data).unwrap();
                0
            }
            "gen" => {
                let n: usize = argv[1].parse().unwrap();
                self.write(out, &b"x\n".repeat(n / 2)).unwrap();
                0
            }
            "first" => {
                let data = input(self, stdin);
                let end = data
                    .iter()
                    .position(|&b| b == b'\n')
                    .map_or(data.len(), |p| p + 1);
                self.unread = data.len() - end;
                self.write(out, &data[..end]).unwrap();
                0
            }
            _ => 127,
        }
    }
    fn spawn(&mut self, _: &[String], _: Option<Vec<u8>>, _: Sink, _: Sink) -> u32 {
        0
    }
    fn wait(&mut self, _: &[u32]) -> i32 {
        0
    }
    fn write(&mut self, sink: &mut Sink, data: &[u8]) -> io::Result<()> {
        if let Sink::Buffer(b) = sink {
            b.extend_from_slice(data);
        }
        Ok(())
    }
    fn read_file(&mut self, _: &str) -> io::Result<Vec<u8>> {
        Err(io::ErrorKind::NotFound.into())
    }
    fn stdin_unread(&mut self) -> usize {
        self.unread
    }
}

fn run(script: &str, stdin: Box<dyn io::Read>) -> (String, Shared) {
    let source = Stream::shared(stdin, false);
    let mut host = Host {
        source: source.clone(),
        unread: 0,
    };
    let mut sh = Shell::new("t.sh");
    sh.set_stdin_source(source.clone());
    let (mut out, mut err) = (Sink::Buffer(Vec::new()), Sink::Buffer(Vec::new()));
    sh.run_script_to(script, &mut host, &mut out, &mut err);
    match out {
        Sink::Buffer(b) => (String::from_utf8_lossy(&b).into_owned(), source),
        _ => unreachable!(),
    }
}

#[test]
fn read_takes_a_line_and_the_next_command_the_rest() {
    let script =
        "read a; echo \"a=$a\"\nread -n 2 b; echo \"b=$b\"\ncat\nread c; echo \"c=$? [$c]\"\n";
    let (out, _) = run(script, Box::new(&b"one\ntwo\nthree\n"[..]));
    assert_eq!(out, "a=one\nb=tw\no\nthree\nc=1 []\n");
}

#[test]
fn a_pipe_given_to_a_group_is_not_the_scripts_stdin() {
    // The second cat finds the pipe's end, not the script's stdin.
    let (out, source) = run("echo hi | { cat; cat; }\n", Box::new(&b"script\n"[..]));
    assert_eq!(out, "hi\n");
    assert_eq!(source.borrow_mut().read_to_end(100).0, b"script\n");
}

#[test]
fn nothing_is_read_until_a_command_reads() {
    // An endless stdin: a script that never reads it ends.
    let (out, _) = run("echo a\ngen 10 | first\n", Box::new(io::repeat(b'y')));
    assert_eq!(out, "a\nx\n");
    // `read` takes one line of an endless stream.
    let (out, _) = run("read x; echo ${#x}\n", Box::new(io::repeat(b'y').take(100)));
    assert_eq!(out, "100\n");
}

#[test]
fn a_writer_left_with_more_than_a_pipe_holds_dies_of_sigpipe() {
    let script = "gen 1000000 | first; echo \"${PIPESTATUS[@]}\"\n\
                  gen 1000 | first; echo \"${PIPESTATUS[@]}\"\n\
                  gen 1000000 | { read l; echo $l; }; echo \"${PIPESTATUS[@]}\"\n\
                  set -o pipefail; gen 1000000 | first; echo $?\n";
    let (out, _) = run(script, Box::new(io::empty()));
    assert_eq!(out, "x\n141 0\nx\n0 0\nx\n141 0\nx\n141\n");
}

use std::io::Read;
