//! The bounds of instant tools (`vnet_userland::Limits`): output stops at
//! the pipe bound with `Hit::Output`, interpreters at the step budget with
//! `Hit::Steps`, a cut stdin is flagged, and the tools that stop reading
//! early say where (so that their answer stands).

use vnet_fs::stream::Stream;
use vnet_fs::MemFs;
use vnet_userland::{lookup, Ctx, Hit, Limits};

/// What one run left in its Ctx.
struct Ran {
    rc: i32,
    out: Vec<u8>,
    hit: Option<Hit>,
    cut: bool,
    stopped_at: Option<usize>,
}

fn run(tool: &str, args: &[&str], stdin: Option<&[u8]>, limits: Limits) -> Ran {
    let mut fs = MemFs::new();
    let mut c = Ctx::new(&mut fs, stdin.map(<[u8]>::to_vec));
    c.limits = limits;
    let args: Vec<String> = args.iter().map(|s| s.to_string()).collect();
    let rc = lookup(tool).expect("a tool")(&mut c, &args);
    Ran {
        rc,
        out: c.out,
        hit: c.hit,
        cut: c.stdin_cut,
        stopped_at: c.stopped_at,
    }
}

fn small(pipe: usize, steps: u64) -> Limits {
    Limits { pipe, steps }
}

#[test]
fn endless_writers_stop_at_the_pipe_bound() {
    for (tool, args) in [
        ("seq", &["1e12"][..]),
        ("seq", &["-f", "%g", "1", "1e12"][..]),
        ("awk", &["BEGIN{while(1)print \"y\"}"][..]),
        ("awk", &["BEGIN{while(1)printf \"%d\\n\", i++}"][..]),
        ("awk", &["BEGIN{while(1)print \"y\" > \"/dev/stderr\"}"][..]),
    ] {
        let r = run(tool, args, None, small(10_000, u64::MAX));
        assert_eq!(r.hit, Some(Hit::Output), "{tool} {args:?}");
        assert!(r.out.len() <= 10_000, "{tool} {args:?}: {}", r.out.len());
    }
    let r = run("sed", &[":a;p;ba"], Some(b"x\n"), small(10_000, u64::MAX));
    assert_eq!(r.hit, Some(Hit::Output));
    assert!(r.out.len() <= 10_000);
    // Under the bound nothing changes.
    let r = run("seq", &["3"], None, small(10_000, 10));
    assert_eq!((r.rc, r.out, r.hit), (0, b"1\n2\n3\n".to_vec(), None));
}

#[test]
fn endless_loops_stop_at_the_step_budget() {
    for prog in [
        "BEGIN{while(1);}",
        "BEGIN{for(;;){}}",
        "BEGIN{do x++; while(1)}",
        "function f(){while(1);} BEGIN{f()}",
    ] {
        let r = run("awk", &[prog], None, small(1 << 20, 5_000));
        assert_eq!(r.hit, Some(Hit::Steps), "{prog}");
        assert!(r.out.is_empty());
    }
    let r = run("sed", &[":a;ba"], Some(b"x\n"), small(1 << 20, 5_000));
    assert_eq!(r.hit, Some(Hit::Steps));
    // A program that ends is not stopped.
    let r = run(
        "awk",
        &["BEGIN{for(i=0;i<10;i++)s+=i; print s}"],
        None,
        small(1 << 20, 5_000),
    );
    assert_eq!((r.out, r.hit), (b"45\n".to_vec(), None));
}

#[test]
fn a_full_pipe_is_a_cut_stdin_that_early_readers_need_not_finish() {
    let data: Vec<u8> = b"a\nb\nc\nd\n".repeat(250); // 2000 bytes
    let lim = small(data.len(), u64::MAX);
    // Readers that stop early: where they stopped.
    for (tool, args, at) in [
        ("head", &["-2"][..], 4),
        ("head", &["-c", "3"][..], 3),
        ("grep", &["-m1", "b"][..], 4),
        ("grep", &["-q", "c"][..], 6),
        ("sed", &["2q"][..], 4),
        ("awk", &["NR==3{print; exit}"][..], 6),
    ] {
        let r = run(tool, args, Some(&data), lim);
        assert!(r.cut, "{tool} {args:?}");
        assert_eq!(r.stopped_at, Some(at), "{tool} {args:?}");
    }
    // Readers that need all of it: no stop, so the machine halts.
    for (tool, args) in [
        ("wc", &["-l"][..]),
        ("cat", &[][..]),
        ("head", &["-n", "-1"][..]),
        ("grep", &["-c", "a"][..]),
        ("sed", &["-n", "$p"][..]),
        ("awk", &["END{print NR}"][..]),
    ] {
        let r = run(tool, args, Some(&data), lim);
        assert!(r.cut, "{tool} {args:?}");
        assert_eq!(r.stopped_at, None, "{tool} {args:?}");
    }
    // Below the bound it is not cut.
    let r = run("wc", &["-l"], Some(&data), small(data.len() + 1, u64::MAX));
    assert!(!r.cut);
    assert_eq!(r.out, b"1000\n");
}

#[test]
fn the_scripts_stdin_is_read_only_when_a_tool_reads_it() {
    let mut fs = MemFs::new();
    // An endless source: a tool that does not read it is unaffected.
    let src = Stream::shared(Box::new(std::io::repeat(b'y')), false);
    let mut c = Ctx::new(&mut fs, None);
    c.source = Some(src.clone());
    c.limits = small(1 << 16, u64::MAX);
    assert_eq!(lookup("seq").unwrap()(&mut c, &["2".to_string()]), 0);
    assert_eq!(c.out, b"1\n2\n");
    assert!(!c.stdin_cut);
    // One that reads all of it is cut at the bound.
    let mut c = Ctx::new(&mut fs, None);
    c.source = Some(src.clone());
    c.limits = small(1 << 16, u64::MAX);
    assert_eq!(lookup("wc").unwrap()(&mut c, &["-c".to_string()]), 0);
    assert!(c.stdin_cut);
    // A finite source: a first tool takes it all, the next finds its end.
    let src = Stream::shared(Box::new(&b"x\ny\n"[..]), false);
    let mut c = Ctx::new(&mut fs, None);
    c.source = Some(src.clone());
    assert_eq!(lookup("cat").unwrap()(&mut c, &[]), 0);
    assert_eq!((c.out.as_slice(), c.stdin_cut), (&b"x\ny\n"[..], false));
    let mut c = Ctx::new(&mut fs, None);
    c.source = Some(src);
    assert_eq!(lookup("wc").unwrap()(&mut c, &["-l".to_string()]), 0);
    assert_eq!(c.out, b"0\n");
}
