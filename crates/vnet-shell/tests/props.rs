//! Property tests: any input made of shell-ish pieces is handled without a
//! panic or a hang, by the splitter, the script runner and the line runner.

use proptest::prelude::*;
use vnet_shell::{split_commands, LineResult, Shell, Sink, System};

/// Every external command fails, reads nothing and prints its name.
struct Quiet;

impl System for Quiet {
    fn exec(&mut self, argv: &[String], _: Option<Vec<u8>>, out: &mut Sink, _: &mut Sink) -> i32 {
        let _ = self.write(out, argv[0].as_bytes());
        1
    }
    fn spawn(&mut self, _: &[String], _: Option<Vec<u8>>, _: Sink, _: Sink) -> u32 {
        1
    }
    fn wait(&mut self, _: &[u32]) -> i32 {
        0
    }
    fn write(&mut self, sink: &mut Sink, data: &[u8]) -> std::io::Result<()> {
        if let Sink::Buffer(b) = sink {
            b.extend_from_slice(data);
        }
        Ok(())
    }
    fn read_file(&mut self, _: &str) -> std::io::Result<Vec<u8>> {
        Ok(b"x\n".to_vec())
    }
}

/// Pieces of shell syntax. `while`/`until` are left out of what is run: a
/// loop whose condition is `echo` would never end, as in any shell (and so
/// is a script with both `for` and `((`: `for ((;;))`).
const PIECES: &[&str] = &[
    "echo",
    "cmd",
    "a",
    "x=1",
    "$x",
    "${x}",
    "${x:-d}",
    "${#x}",
    "${x%a}",
    "${",
    "}",
    "$?",
    "'",
    "\"",
    "\\",
    "\\\n",
    "$(",
    "$((",
    "))",
    "(",
    ")",
    "`",
    "{",
    ";",
    ";;",
    "&",
    "&&",
    "||",
    "|",
    "!",
    "\n",
    " ",
    "#",
    "for",
    "in",
    "do",
    "done",
    "if",
    "then",
    "elif",
    "else",
    "fi",
    ">",
    ">>",
    "<",
    "2>&1",
    "&>",
    ">&",
    "/dev/null",
    "/f",
    "*",
    "%",
    "1",
    "0",
    "/",
    "exit",
    "break",
    "continue",
    "set",
    "-e",
    "-x",
    "cd",
    "wait",
    "é",
    "case",
    "esac",
    "a)",
    ";&",
    ";;&",
    "[[",
    "]]",
    "==",
    "=~",
    "-f",
    "-eq",
    "((",
    "<<",
    "<<-",
    "EOF",
    "'EOF'",
    "<<<",
    "f()",
    "f",
    "function",
    "local",
    "return",
    "shift",
    "$1",
    "$@",
    "\"$@\"",
    "${x/a/b}",
    "${x:1:2}",
    "${x^^}",
    "${!x}",
    "${a[@]}",
    "${a[$x]}",
    "a=(",
    "a[1]=",
    "$'",
    "{1..3}",
    "{a,b}",
    "read",
    "printf",
    "%s",
    "%d",
    "trap",
    "EXIT",
    "ERR",
    "eval",
    "source",
    "test",
    "[",
    "]",
    "let",
    "getopts",
    "$RANDOM",
    "*.txt",
    "sh",
    "-c",
    "exec",
    "set",
    "-u",
    "--",
    "< <(",
    "OPTIND=",
    "-ab",
    "3>&1",
    ">&3",
    "4>&-",
    "${x:?e}",
    "${@:1}",
    "${!a[@]}",
    "[a-",
    "[[:alpha:]]",
    "mapfile",
    "shopt",
    "-s",
    "nullglob",
    "${a[${#a[@]}-1]}",
    "a[$x]=",
    "$SECONDS",
    "2**-1",
];

/// `for ((;;))` would never end: such scripts are left out.
fn endless(p: &[&str]) -> bool {
    p.contains(&"for") && p.contains(&"((")
}

fn script() -> impl Strategy<Value = String> {
    prop::collection::vec(prop::sample::select(PIECES), 0..40)
        .prop_filter("endless loop", |p| !endless(p))
        .prop_map(|p| p.join(" "))
}

fn script_no_sep() -> impl Strategy<Value = String> {
    prop::collection::vec(prop::sample::select(PIECES), 0..40)
        .prop_filter("endless loop", |p| !endless(p))
        .prop_map(|p| p.concat())
}

proptest! {
    #[test]
    fn splitting_never_panics(src in script(), glued in script_no_sep()) {
        for src in [src, glued] {
            for unit in split_commands(&src) {
                prop_assert!(!unit.trim().is_empty());
                prop_assert!(src.contains(&unit));
            }
        }
    }

    #[test]
    fn running_never_panics(src in script(), glued in script_no_sep()) {
        for src in [src, glued] {
            let mut sh = Shell::new("p");
            let (mut out, mut err) = (Sink::Buffer(Vec::new()), Sink::Buffer(Vec::new()));
            let status = sh.run_script_to(&src, &mut Quiet, &mut out, &mut err);
            prop_assert!((0..=255).contains(&status));
            prop_assert!(matches!(out, Sink::Buffer(_)) && matches!(err, Sink::Buffer(_)));

            let mut sh = Shell::new("p");
            for line in src.split('\n') {
                let (mut out, mut err) = (Sink::Buffer(Vec::new()), Sink::Buffer(Vec::new()));
                let r = sh.run_line_to(line, &mut Quiet, &mut out, &mut err);
                if sh.exited().is_some() {
                    break;
                }
                if let LineResult::Complete(status) = r {
                    prop_assert_eq!(status, sh.last_status());
                }
            }
        }
    }
}

proptest! {
    /// Arbitrary text (mostly ASCII punctuation, where the syntax is).
    #[test]
    fn arbitrary_text_never_panics(src in "[ -~\n\t]{0,120}") {
        let _ = split_commands(&src);
        let mut sh = Shell::new("p");
        let (mut out, mut err) = (Sink::Buffer(Vec::new()), Sink::Buffer(Vec::new()));
        let status = sh.run_script_to(&src, &mut Quiet, &mut out, &mut err);
        prop_assert!((0..=255).contains(&status));
    }
}
