//! Hostile nesting ends in an error, never a stack overflow: each script
//! runs on a thread with a 2 MB stack (the size of a test harness thread;
//! `vnet run`'s main thread has 8 MB).

use std::io;

use vnet_shell::{Shell, Sink, System};

/// A host with no commands.
struct Bare;

impl System for Bare {
    fn exec(&mut self, _: &[String], _: Option<Vec<u8>>, _: &mut Sink, _: &mut Sink) -> i32 {
        127
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
}

/// Runs `src` on a 2 MB thread: (status, stdout, stderr).
fn run_small_stack(src: String) -> (i32, String, String) {
    std::thread::Builder::new()
        .stack_size(2 << 20)
        .spawn(move || {
            let mut sh = Shell::new("t.sh");
            let (mut out, mut err) = (Sink::Buffer(Vec::new()), Sink::Buffer(Vec::new()));
            let st = sh.run_script_to(&src, &mut Bare, &mut out, &mut err);
            let text = |s: Sink| match s {
                Sink::Buffer(b) => String::from_utf8_lossy(&b).into_owned(),
                _ => String::new(),
            };
            (st, text(out), text(err))
        })
        .unwrap()
        .join()
        .expect("the shell thread overflowed or panicked")
}

#[test]
fn deep_groups_and_ifs_are_refused() {
    let (st, _, err) = run_small_stack(format!("{}\n", "{ ".repeat(10_000)));
    assert_eq!(st, 2, "{err}");
    let groups = format!("{}echo x{}\n", "{ ".repeat(10_000), "; }".repeat(10_000));
    let (st, out, err) = run_small_stack(groups);
    assert_eq!((st, out.as_str()), (2, ""));
    assert!(err.contains("nesting too deep"), "{err}");
    let ifs = format!(
        "{}echo x{}\n",
        "if true; then ".repeat(10_000),
        "; fi".repeat(10_000)
    );
    let (st, _, err) = run_small_stack(ifs);
    assert_eq!(st, 2, "{err}");
}

#[test]
fn moderate_nesting_runs() {
    let groups = format!("{}echo deep{}\n", "{ ".repeat(30), "; }".repeat(30));
    assert_eq!(run_small_stack(groups).1, "deep\n");
    let subst = format!("echo {}deep{}\n", "$(echo ".repeat(20), ")".repeat(20));
    assert_eq!(run_small_stack(subst).1, "deep\n");
    let parens = format!("echo $(({}1{}))\n", "(".repeat(200), ")".repeat(200));
    assert_eq!(run_small_stack(parens).1, "1\n");
}

#[test]
fn deep_substitutions_are_refused() {
    let subst = format!("echo {}x{}\n", "$(".repeat(5_000), ")".repeat(5_000));
    let (st, _, err) = run_small_stack(subst);
    assert_eq!(st, 2, "{err}");
    let ticks = format!("echo {}x{}\n", "${a:-".repeat(5_000), "}".repeat(5_000));
    let (st, _, err) = run_small_stack(ticks);
    assert_eq!(st, 2, "{err}");
}

#[test]
fn deep_arithmetic_is_an_expression_error() {
    let parens = format!(
        "echo $(({}1{}))\necho next\n",
        "(".repeat(100_000),
        ")".repeat(100_000)
    );
    let (_, out, err) = run_small_stack(parens);
    assert_eq!(out, "next\n");
    assert!(err.contains("expression recursion level exceeded"), "{err}");
    let nested = format!(
        "echo {}1{}\necho next\n",
        "$((".repeat(2_000),
        "))".repeat(2_000)
    );
    let (_, out, _) = run_small_stack(nested);
    assert!(out.ends_with("next\n"), "{out}");
}

#[test]
fn runaway_recursion_stops_with_bash_message() {
    let (st, out, err) = run_small_stack("f() { f; }\nf\necho after $?\n".into());
    assert!(
        err.starts_with("t.sh: line 1: f: maximum function nesting level exceeded"),
        "{err}"
    );
    assert_eq!((st, out.as_str()), (0, "after 1\n"));
    // Recursion through $(…) and a pipeline at every level.
    let (_, _, err) = run_small_stack("g() { echo $(g | cat); }\ng\n".into());
    assert!(err.contains("maximum"), "{err}");
    // Mutual recursion through eval and sh -c.
    let (_, _, err) = run_small_stack("h() { eval h; }\nh\n".into());
    assert!(err.contains("maximum") || err.contains("too deep"), "{err}");
    let (_, _, err) = run_small_stack("k() { sh -c k; }\nk\n".into());
    assert!(
        err.contains("k: command not found") || err.is_empty(),
        "{err}"
    );
}

#[test]
fn deep_test_expressions_are_refused() {
    let args = "! ".repeat(50_000);
    let (st, _, err) = run_small_stack(format!("[ {args} a ]\necho $?\n"));
    assert_eq!(st, 0, "{err}");
    let conds = format!("[[ {}a{} ]]\n", "( ".repeat(10_000), " )".repeat(10_000));
    let (st, _, _) = run_small_stack(conds);
    assert_eq!(st, 2);
}
