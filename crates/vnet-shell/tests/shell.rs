//! Behaviour of the shell against a fake System. Expected texts are bash's
//! (bash 5.2 run on the same scripts, with `t.sh` as the script name).

use std::collections::BTreeMap;
use std::io;

use vnet_shell::{split_commands, Feed, LineResult, Shell, Sink, System};

/// A fake host: a few commands, an in-memory file view, deferred jobs.
#[derive(Default)]
struct Fake {
    files: BTreeMap<String, Vec<u8>>,
    terminal: Vec<u8>,
    /// Every argv given to `exec`, in order.
    log: Vec<Vec<String>>,
    /// Spawned jobs, run only when waited for.
    jobs: Vec<Option<(Vec<String>, Sink, Sink)>>,
    /// Every `write` to a file: (path, append, data).
    file_writes: Vec<(String, bool, String)>,
    /// Every `chdir`.
    dirs: Vec<String>,
    /// Every timed stdin announced with `stdin_feed`.
    feeds: Vec<Feed>,
}

impl Fake {
    fn with_file(mut self, path: &str, data: &str) -> Self {
        self.files.insert(path.into(), data.into());
        self
    }

    fn file(&self, path: &str) -> String {
        String::from_utf8_lossy(&self.files[path]).into_owned()
    }

    fn put(&mut self, sink: &mut Sink, text: &str) {
        self.write(sink, text.as_bytes()).unwrap();
    }
}

impl System for Fake {
    fn exec(
        &mut self,
        argv: &[String],
        stdin: Option<Vec<u8>>,
        out: &mut Sink,
        err: &mut Sink,
    ) -> i32 {
        if matches!(err, Sink::Stdout) {
            // 2>&1 into a pipe: stderr after stdout is all this double needs.
            let mut e = Sink::Buffer(Vec::new());
            let st = self.exec(argv, stdin, out, &mut e);
            if let Sink::Buffer(b) = e {
                self.write(out, &b).unwrap();
            }
            return st;
        }
        self.log.push(argv.to_vec());
        let args: Vec<&str> = argv[1..].iter().map(String::as_str).collect();
        match argv[0].as_str() {
            "cat" if args.is_empty() => {
                let data = stdin.unwrap_or_default();
                self.write(out, &data).unwrap();
                0
            }
            "cat" => {
                let mut status = 0;
                for f in args {
                    match self.files.get(f).cloned() {
                        Some(data) => self.write(out, &data).unwrap(),
                        None => {
                            self.put(err, &format!("cat: {f}: No such file or directory\n"));
                            status = 1;
                        }
                    }
                }
                status
            }
            "fail" => 1,
            "sleep" => 0,
            // Prints each argument in <> so tests see the exact fields.
            "args" => {
                let text: String = args.iter().map(|a| format!("<{a}>")).collect();
                self.put(out, &format!("{text}\n"));
                0
            }
            // Writes to stdout and stderr.
            "both" => {
                self.put(out, "out\n");
                self.put(err, "err\n");
                0
            }
            "[" => {
                let num = |s: &str| s.parse::<i64>().unwrap();
                let ok = match args[..] {
                    [a, "-lt", b, "]"] => num(a) < num(b),
                    [a, "=", b, "]"] => a == b,
                    [a, "!=", b, "]"] => a != b,
                    _ => panic!("unsupported test {args:?}"),
                };
                i32::from(!ok)
            }
            name => {
                self.put(err, &format!("{name}: command not found\n"));
                127
            }
        }
    }

    fn spawn(
        &mut self,
        argv: &[String],
        _stdin: Option<Vec<u8>>,
        stdout: Sink,
        stderr: Sink,
    ) -> u32 {
        self.jobs.push(Some((argv.to_vec(), stdout, stderr)));
        self.jobs.len() as u32
    }

    fn stdin_feed(&mut self, feed: Feed) {
        self.feeds.push(feed);
    }

    fn wait(&mut self, jobs: &[u32]) -> i32 {
        let ids: Vec<u32> = match jobs {
            [] => (1..=self.jobs.len() as u32).collect(),
            ids => ids.to_vec(),
        };
        let mut status = 0;
        for id in ids {
            if let Some((argv, mut out, mut err)) = self.jobs[id as usize - 1].take() {
                status = self.exec(&argv, None, &mut out, &mut err);
            }
        }
        status
    }

    fn write(&mut self, sink: &mut Sink, data: &[u8]) -> io::Result<()> {
        match sink {
            Sink::Terminal => self.terminal.extend_from_slice(data),
            Sink::Buffer(buf) => buf.extend_from_slice(data),
            Sink::Null | Sink::Stdout => {}
            Sink::File { path, append } => {
                let text = String::from_utf8_lossy(data).into_owned();
                self.file_writes.push((path.clone(), *append, text.clone()));
                if path.starts_with("/ro/") {
                    return Err(io::ErrorKind::PermissionDenied.into());
                }
                if path.starts_with("/proc/") && !self.files.contains_key(path.as_str()) {
                    return Err(io::ErrorKind::NotFound.into());
                }
                if path.ends_with("ip_forward")
                    && !data.is_empty()
                    && text != "0\n"
                    && text != "1\n"
                {
                    return Err(io::ErrorKind::InvalidInput.into());
                }
                if path.starts_with("/proc/") && data.is_empty() {
                    return Ok(()); // opening a sysctl with O_TRUNC keeps its value
                }
                let file = self.files.entry(path.clone()).or_default();
                if !*append || path.starts_with("/proc/") {
                    file.clear();
                }
                file.extend_from_slice(data);
            }
        }
        Ok(())
    }

    fn chdir(&mut self, dir: &str) -> io::Result<()> {
        if dir.starts_with("/nosuch") {
            return Err(io::ErrorKind::NotFound.into());
        }
        self.dirs.push(dir.to_string());
        Ok(())
    }

    fn read_file(&mut self, path: &str) -> io::Result<Vec<u8>> {
        self.files
            .get(path)
            .cloned()
            .ok_or_else(|| io::ErrorKind::NotFound.into())
    }
}

struct Run {
    sys: Fake,
    sh: Shell,
    out: String,
    err: String,
    status: i32,
}

fn run_in(sys: Fake, src: &str) -> Run {
    let mut sys = sys;
    let mut sh = Shell::new("t.sh");
    let (mut out, mut err) = (Sink::Buffer(Vec::new()), Sink::Buffer(Vec::new()));
    let status = sh.run_script_to(src, &mut sys, &mut out, &mut err);
    let text = |s: Sink| match s {
        Sink::Buffer(b) => String::from_utf8(b).unwrap(),
        other => panic!("sink came back as {other:?}"),
    };
    Run {
        sys,
        sh,
        out: text(out),
        err: text(err),
        status,
    }
}

fn run(src: &str) -> Run {
    run_in(Fake::default(), src)
}

/// Runs and returns stdout, asserting nothing went to stderr.
fn stdout(src: &str) -> String {
    let r = run(src);
    assert_eq!(r.err, "", "stderr of {src:?}");
    r.out
}

#[test]
fn quoting_and_escapes() {
    assert_eq!(
        stdout(r#"X=1; args 'a b' "c $X" d\ e '' "" $EMPTY x"$EMPTY"y 'it''s' "q\"\$\\\n" \$X"#),
        "<a b><c 1><d e><><><xy><its><q\"$\\\\n><$X>\n"
    );
}

#[test]
fn comments_and_line_continuation() {
    assert_eq!(
        stdout("# comment\nargs a \\\n  b # trailing\nargs 'x # not a comment'\n"),
        "<a><b>\n<x # not a comment>\n"
    );
}

#[test]
fn unquoted_expansions_are_split_on_blanks() {
    assert_eq!(
        stdout("X='a  b '; args $X \"$X\" pre$X"),
        "<a><b><a  b ><prea><b>\n"
    );
}

#[test]
fn parameter_forms() {
    assert_eq!(
        stdout("X=v; args ${X} ${X}w ${U:-def} ${X:+alt} ${U-} \"${U:-a b}\" $0 $#"),
        "<v><vw><def><alt><a b><t.sh><0>\n"
    );
    let r = run("export Y=2 Z; X=1");
    assert_eq!(
        (r.sh.var("X"), r.sh.var("Y"), r.sh.var("Z")),
        (Some("1"), Some("2"), None)
    );
}

#[test]
fn command_substitution_and_arithmetic() {
    assert_eq!(
        stdout(
            r#"X=$(echo hi); args "$X" $(echo a b) "$(echo $(echo in))" `echo bq` $((1 + 2 * 3)) $((X2 - 1))"#
        ),
        "<hi><a><b><in><bq><7><-1>\n"
    );
    assert_eq!(
        stdout("i=4; echo $(( (i + 2) % 4 )) $((i > 3 && $i < 5))"),
        "2 1\n"
    );
    // `$?` is the substitution's status; its variables and `exit` stay inside.
    assert_eq!(
        stdout("X=1; Y=$(X=2; fail); echo $? $X; echo $(exit 3) $?"),
        "1 1\n3\n"
    );
    assert_eq!(
        stdout("i=0; while [ $i -lt 3 ]; do : $((i++)); done; echo $i $((i+=2)) $i"),
        "3 5 5\n"
    );
}

#[test]
fn an_expansion_error_abandons_the_rest_of_the_command() {
    let r = run("echo $((1/0)); echo same\nfor i in 1; do echo ${a b}; done; echo same\necho $?\nx=$(echo $((1/0)); echo in); echo \"[$x] $?\"");
    assert_eq!(r.out, "1\n[] 1\n");
    assert_eq!(
        r.err,
        "t.sh: line 1: 1/0: division by 0 (error token is \"0\")\n\
         t.sh: line 2: ${a b}: bad substitution\n\
         t.sh: line 4: 1/0: division by 0 (error token is \"0\")\n"
    );
    assert_eq!(run("set -e\necho $((1/0))\necho next").out, "next\n");
}

#[test]
fn pattern_operators() {
    assert_eq!(
        stdout(
            r#"x=abc/def.txt; echo ${#x} ${x%/*} ${x##*/} ${x#*/} ${x%%.*} ${x/def/X} ${x//[a-c]/_} "${x/"."/-}" ${x/*./}"#
        ),
        "11 abc def.txt def.txt abc/def abc/X.txt ___/def.txt abc/def-txt txt\n"
    );
}

#[test]
fn and_or_and_negation() {
    assert_eq!(
        stdout(
            "fail && echo no || echo yes; true && echo and; ! fail && echo neg; ! true; echo $?"
        ),
        "yes\nand\nneg\n1\n"
    );
    assert_eq!(stdout("fail || fail\necho $?"), "1\n");
}

#[test]
fn set_e_stops_at_the_first_unchecked_failure() {
    let r = run("set -e\nfail || true\nif fail; then :; fi\nwhile fail; do :; done\n! true\nfail && true\necho reached\nfail\necho not reached\n");
    assert_eq!(r.out, "reached\n");
    assert_eq!((r.status, r.sh.exited()), (1, Some(1)));
    // A failure inside a compound command stops the shell too.
    let r = run("set -e; for i in 1 2; do echo $i; fail; done; echo no");
    assert_eq!((r.out.as_str(), r.status), ("1\n", 1));
    // A failing assignment from $(...) counts; set +e turns it off.
    assert_eq!(run("set -e; X=$(fail); echo no").out, "");
    assert_eq!(run("set -e; set +e; fail; echo yes").out, "yes\n");
}

#[test]
fn for_loops_one_line_and_multi_line() {
    assert_eq!(stdout("for x in a b c; do echo $x; done"), "a\nb\nc\n");
    assert_eq!(
        stdout("L='1 2'\nfor x in $L \"3 4\"\ndo\n  echo \"[$x]\"\ndone\necho $x"),
        "[1]\n[2]\n[3 4]\n3 4\n"
    );
    assert_eq!(
        stdout("for i in 1 2 3; do for j in a b c; do [ $j = b ] && continue 2; [ $i = 3 ] && break 2; echo $i$j; done; done"),
        "1a\n2a\n"
    );
    assert_eq!(
        stdout("for x in; do echo no; done; for x; do echo no; done"),
        ""
    );
}

#[test]
fn while_until_and_if() {
    assert_eq!(
        stdout("i=0; while [ $i -lt 3 ]; do echo $i; i=$((i+1)); done; until [ $i = 0 ]; do i=$((i-1)); done; echo $i"),
        "0\n1\n2\n0\n"
    );
    let src = "for v in 1 2 3; do\n  if [ $v = 1 ]; then echo one\n  elif [ $v = 2 ]\n  then\n    echo two\n  else echo other; fi\ndone";
    assert_eq!(stdout(src), "one\ntwo\nother\n");
    assert_eq!(stdout("if fail; then echo no; fi; echo $?"), "0\n");
}

#[test]
fn groups_and_subshells() {
    assert_eq!(
        stdout("X=1; (X=2; echo $X; exit 4); echo $X $?; { X=3; echo g; }; echo $X"),
        "2\n1 4\ng\n3\n"
    );
}

#[test]
fn pipelines_pass_output_along() {
    let r = run("echo hello | cat | cat\nfail | cat; echo $?\ncat </dev/null | fail; echo $?");
    assert_eq!(r.out, "hello\n0\n1\n");
    assert_eq!(
        r.sys.log[..2],
        [vec!["cat".to_string()], vec!["cat".to_string()]]
    );
    assert_eq!(stdout("set -o pipefail; fail | cat; echo $?"), "1\n");
    // A compound stage reads the pipe and feeds the next one.
    assert_eq!(
        stdout("for x in a b; do echo $x; done | cat | { cat; echo end; }"),
        "a\nb\nend\n"
    );
}

#[test]
fn output_redirections_truncate_and_append() {
    let r = run(
        "echo a > /f; echo b >> /f; cat /f\necho x > /g; fail > /g\n> /h\n{ echo 1; echo 2; } > /i",
    );
    assert_eq!(r.out, "a\nb\n");
    assert_eq!(r.sys.file("/f"), "a\nb\n");
    assert_eq!(
        r.sys.file("/g"),
        "",
        "`> f` truncates even when nothing is written"
    );
    assert_eq!(r.sys.file("/h"), "");
    assert_eq!(r.sys.file("/i"), "1\n2\n");
    // The open is an empty write with the redirection's mode; the command
    // then writes in append mode.
    assert_eq!(
        r.sys.file_writes[..2],
        [
            ("/f".to_string(), false, String::new()),
            ("/f".to_string(), true, "a\n".to_string())
        ]
    );
}

#[test]
fn stderr_redirections() {
    let r = run("both 2>&1 | cat > /p\nboth > /f 2>&1\nboth &> /g\nboth 2>&1 >/dev/null\nboth 2>/dev/null\nboth >&2\necho x 1>&2");
    assert_eq!(r.sys.file("/p"), "out\nerr\n");
    assert_eq!(r.sys.file("/f"), "out\nerr\n");
    assert_eq!(r.sys.file("/g"), "out\nerr\n");
    // `2>&1 >/dev/null`: stderr goes where stdout went before.
    assert_eq!(r.out, "err\nout\n");
    assert_eq!(r.err, "out\nerr\nx\n");
    let r = run("both 2> /e > /o");
    assert_eq!(
        (r.sys.file("/o"), r.sys.file("/e")),
        ("out\n".into(), "err\n".into())
    );
}

#[test]
fn input_redirection() {
    let r = run_in(
        Fake::default().with_file("/in", "data\n"),
        "cat < /in; cat < /missing; echo $?",
    );
    assert_eq!(r.out, "data\n1\n");
    assert_eq!(r.err, "t.sh: line 1: /missing: No such file or directory\n");
}

#[test]
fn failed_redirection_skips_the_command() {
    let sys = Fake::default().with_file("/proc/sys/net/ipv4/ip_forward", "0\n");
    let src = "echo 1 > /proc/sys/net/ipv4/nosuch\necho $?\nfail > /ro/x || echo $?\necho 1 > /proc/sys/net/ipv4/ip_forward\necho foo > /proc/sys/net/ipv4/ip_forward\necho $?\nX=\necho a > $X";
    let r = run_in(sys, src);
    assert_eq!(r.out, "1\n1\n1\n");
    assert_eq!(
        r.err,
        "t.sh: line 1: /proc/sys/net/ipv4/nosuch: No such file or directory\n\
         t.sh: line 3: /ro/x: Permission denied\n\
         t.sh: line 5: echo: write error: Invalid argument\n\
         t.sh: line 8: $X: ambiguous redirect\n"
    );
    assert!(r.sys.log.is_empty(), "`fail` must not run: {:?}", r.sys.log);
    assert_eq!(r.sys.file("/proc/sys/net/ipv4/ip_forward"), "1\n");
}

#[test]
fn background_jobs_and_wait() {
    let r =
        run("sleep 1 > /j &\necho started $!\nboth 2>/dev/null &\nwait %1; echo $?\nwait\nwait x");
    assert_eq!(r.out, "started 1\n0\n");
    assert_eq!(r.sys.log, [vec!["sleep", "1"], vec!["both"]]);
    assert!(r.sys.files.contains_key("/j"));
    assert_eq!(
        r.err,
        "t.sh: line 6: wait: `x': not a pid or valid job spec\n"
    );
    assert_eq!(r.status, 1);
    // A job's terminal output reaches the terminal; a job cannot write into
    // the caller's buffer after the command returned, so it gets its own.
    let mut sys = Fake::default();
    Shell::new("t.sh").run_script("both &\nwait", &mut sys);
    assert_eq!(sys.terminal, b"out\nerr\n");
    let r = run("both &");
    assert!(matches!(&r.sys.jobs[0], Some((_, Sink::Buffer(b), Sink::Buffer(_))) if b.is_empty()));
}

#[test]
fn command_not_found_is_the_systems_business() {
    let r = run("nosuch arg; echo $?");
    assert_eq!(
        (r.out.as_str(), r.err.as_str()),
        ("127\n", "nosuch: command not found\n")
    );
    assert_eq!(r.sys.log, [vec!["nosuch", "arg"]]);
}

#[test]
fn syntax_errors_are_reported_like_bash() {
    let r = run("echo a\nfor x in a; do echo $x; done done\necho b");
    assert_eq!(r.out, "a\n", "commands before the error run, none after");
    assert_eq!(
        r.err,
        "t.sh: line 2: syntax error near unexpected token `done'\nt.sh: line 2: `for x in a; do echo $x; done done'\n"
    );
    assert_eq!(r.status, 2);
    let cases = [
        (
            "echo a\nfor x in 1; do\necho $x\n",
            "t.sh: line 4: syntax error: unexpected end of file\n",
        ),
        (
            "echo 'abc\necho b\n",
            "t.sh: line 1: unexpected EOF while looking for matching `''\n",
        ),
        (
            "echo >",
            "t.sh: line 1: syntax error near unexpected token `newline'\nt.sh: line 1: `echo >'\n",
        ),
        (
            "echo a; ; b",
            "t.sh: line 1: syntax error near unexpected token `;'\nt.sh: line 1: `echo a; ; b'\n",
        ),
        (
            "if true; then\n  echo; fi\nfi",
            "t.sh: line 3: syntax error near unexpected token `fi'\nt.sh: line 3: `fi'\n",
        ),
    ];
    for (src, err) in cases {
        let r = run(src);
        assert_eq!((r.err.as_str(), r.status), (err, 2), "{src:?}");
    }
    let r = run("for 1 in a; do echo; done");
    assert_eq!(
        (r.err.as_str(), r.status),
        ("t.sh: line 1: `1': not a valid identifier\n", 1)
    );
}

#[test]
fn exit_ends_the_script() {
    let r = run("echo a; exit 3; echo b");
    assert_eq!(
        (r.out.as_str(), r.status, r.sh.exited()),
        ("a\n", 3, Some(3))
    );
    let r = run("fail; exit");
    assert_eq!((r.status, r.sh.exited()), (1, Some(1)));
    let r = run("exit abc");
    assert_eq!(
        (r.status, r.err.as_str()),
        (2, "t.sh: line 1: exit: abc: numeric argument required\n")
    );
}

#[test]
fn echo_options() {
    assert_eq!(
        stdout(
            r#"echo -n n; echo -e "a\tb\c" x; echo -ne "\x41\0101\n"; echo -x -e; echo -E 'a\n'; echo"#
        ),
        "na\tbAA\n-x -e\na\\n\n\n"
    );
}

#[test]
fn xtrace_shows_expanded_commands() {
    let r = run("set -x; X=1; echo \"a b\" c'd' $X > /dev/null");
    assert_eq!(r.err, "+ X=1\n+ echo 'a b' cd 1\n");
}

#[test]
fn cd_tracks_the_directory() {
    let r = run("cd /tmp; pwd; cd ../var/./log; pwd; cd -; echo $PWD $OLDPWD\n(cd /etc; pwd); pwd\ncd /nosuch; echo $? $PWD");
    assert_eq!(
        r.out,
        "/tmp\n/var/log\n/tmp\n/tmp /var/log\n/etc\n/tmp\n1 /tmp\n"
    );
    assert_eq!(
        r.err,
        "t.sh: line 3: cd: /nosuch: No such file or directory\n"
    );
    assert_eq!(
        r.sys.dirs,
        ["/tmp", "/var/log", "/tmp", "/etc", "/tmp"],
        "a subshell's cd is undone"
    );
}

#[test]
fn run_line_asks_for_more_input() {
    let mut sys = Fake::default();
    let mut sh = Shell::new("vnet");
    assert_eq!(
        sh.run_line("for x in a b", &mut sys),
        LineResult::Incomplete
    );
    assert_eq!(sh.run_line("do echo $x", &mut sys), LineResult::Incomplete);
    assert_eq!(sh.run_line("done", &mut sys), LineResult::Complete(0));
    assert_eq!(sys.terminal, b"a\nb\n");
    for (lines, out) in [
        (&["echo 'a", "b'"][..], "a\nb\n"),
        (&["echo a \\", "b"], "a b\n"),
        (&["true &&", "echo c"], "c\n"),
        (&["echo $(echo d", ")"], "d\n"),
    ] {
        sys.terminal.clear();
        for line in &lines[..lines.len() - 1] {
            assert_eq!(
                sh.run_line(line, &mut sys),
                LineResult::Incomplete,
                "{line:?}"
            );
        }
        assert_eq!(
            sh.run_line(lines[lines.len() - 1], &mut sys),
            LineResult::Complete(0)
        );
        assert_eq!(String::from_utf8_lossy(&sys.terminal), out);
    }
}

#[test]
fn run_line_keeps_state_and_reports_errors() {
    let mut sys = Fake::default();
    let mut sh = Shell::new("vnet");
    assert_eq!(sh.run_line("X=5; fail", &mut sys), LineResult::Complete(1));
    assert_eq!(
        sh.run_line("", &mut sys),
        LineResult::Complete(1),
        "empty line does nothing"
    );
    assert_eq!(
        sh.run_line("  # just a comment", &mut sys),
        LineResult::Complete(1)
    );
    assert_eq!(sh.var("X"), Some("5"));
    assert_eq!(sh.last_status(), 1);
    assert_eq!(sh.run_line("echo a; fi", &mut sys), LineResult::Complete(2));
    assert_eq!(
        String::from_utf8_lossy(&sys.terminal),
        "vnet: line 4: syntax error near unexpected token `fi'\nvnet: line 4: `echo a; fi'\n",
        "nothing on a line with a syntax error runs; lines are counted across calls"
    );
    sh.run_line("for x in a", &mut sys);
    sh.discard_pending();
    assert_eq!(sh.run_line("exit 3", &mut sys), LineResult::Complete(3));
    assert_eq!(sh.exited(), Some(3));
    assert!(sys.log.iter().all(|argv| argv[0] == "fail"));
}

#[test]
fn split_commands_gives_top_level_units() {
    let src = "#!/bin/sh\n# setup\n\nip link add a \\\n   type veth   # trailing\necho one; echo two\nfor i in 1 2\ndo\n  # inside\n  echo $i\ndone\nif true; then echo ok; fi\n  indented\n";
    assert_eq!(
        split_commands(src),
        [
            "ip link add a \\\n   type veth   # trailing",
            "echo one; echo two",
            "for i in 1 2\ndo\n  # inside\n  echo $i\ndone",
            "if true; then echo ok; fi",
            "  indented",
        ]
    );
    assert_eq!(
        split_commands("echo a\ndone\necho b\nfor x in 1; do\necho"),
        ["echo a", "done", "echo b", "for x in 1; do\necho"]
    );
    assert!(split_commands("\n# only comments\n\n").is_empty());
}

#[test]
fn a_first_stage_that_only_echoes_and_sleeps_feeds_the_last_one_in_time() {
    let mut sys = Fake::default();
    let mut sh = Shell::new("t.sh");
    sh.run_script("(echo a; sleep 2; echo b; sleep 0.5) | cat\n", &mut sys);
    assert_eq!(
        sys.feeds,
        vec![Feed {
            chunks: vec![(0, b"a\n".to_vec()), (2_000_000, b"b\n".to_vec())],
            eof: 2_500_000,
        }]
    );
    // The sleeps did not run: time passes alongside the reader.
    assert!(!sys.log.iter().any(|a| a[0] == "sleep"), "{:?}", sys.log);
    assert_eq!(String::from_utf8_lossy(&sys.terminal), "a\nb\n");
}

#[test]
fn a_backgrounded_feeder_pipeline_becomes_a_job_of_its_last_stage() {
    let mut sys = Fake::default();
    let mut sh = Shell::new("t.sh");
    sh.run_script("{ echo x; sleep 1; } | cat > f &\necho $!\n", &mut sys);
    assert_eq!(sys.jobs.len(), 1);
    assert_eq!(sys.jobs[0].as_ref().unwrap().0, vec!["cat".to_string()]);
    assert_eq!(sys.feeds.len(), 1);
    assert_eq!(sys.feeds[0].eof, 1_000_000);
    assert_eq!(String::from_utf8_lossy(&sys.terminal), "1\n");
}

#[test]
fn a_first_stage_running_other_commands_runs_before_the_next_stage() {
    let mut sys = Fake::default();
    let mut sh = Shell::new("t.sh");
    sh.run_script("(echo a; sleep 1; args z) | cat\n", &mut sys);
    assert!(sys.feeds.is_empty());
    assert!(sys.log.iter().any(|a| a[0] == "sleep"));
    assert_eq!(String::from_utf8_lossy(&sys.terminal), "a\n<z>\n");
}

#[test]
fn run_line_waits_for_functions_case_and_here_documents() {
    let mut sys = Fake::default();
    let mut sh = Shell::new("vnet");
    for (lines, out) in [
        (&["f() {", "  echo in f", "}", "f"][..], "in f\n"),
        (&["case b in", "a) echo A;;", "b) echo B;;", "esac"], "B\n"),
        (&["cat <<EOF", "line $((1+1))", "EOF"], "line 2\n"),
        (&["[[ a == a &&", "b == b ]] && echo yes"], "yes\n"),
    ] {
        sys.terminal.clear();
        for line in &lines[..lines.len() - 1] {
            let r = sh.run_line(line, &mut sys);
            // A complete definition runs at once; the rest waits.
            assert!(
                r == LineResult::Incomplete || *line == "}",
                "{line:?}: {r:?}"
            );
        }
        let last = sh.run_line(lines[lines.len() - 1], &mut sys);
        assert_eq!(last, LineResult::Complete(0), "{lines:?}");
        assert_eq!(String::from_utf8_lossy(&sys.terminal), out, "{lines:?}");
    }
}

#[test]
fn split_commands_keeps_here_documents_with_their_command() {
    let src = "cat <<EOF > f\nbody $x\nEOF\necho next\nf() {\n  echo\n}\n";
    assert_eq!(
        split_commands(src),
        [
            "cat <<EOF > f\nbody $x\nEOF",
            "echo next",
            "f() {\n  echo\n}"
        ]
    );
}

#[test]
fn read_takes_lines_from_the_scripts_stdin() {
    let mut sys = Fake::default();
    let mut sh = Shell::new("t.sh");
    sh.set_stdin(b"one two\nthree\n".to_vec());
    sh.set_args(&["arg1".to_string()]);
    let (mut out, mut err) = (Sink::Buffer(Vec::new()), Sink::Buffer(Vec::new()));
    let src = "read a b\necho \"$a|$b|$1\"\nread c; echo $c\nread d; echo \"st=$? [$d]\"\n";
    sh.run_script_to(src, &mut sys, &mut out, &mut err);
    assert_eq!(
        out,
        Sink::Buffer(b"one|two|arg1\nthree\nst=1 []\n".to_vec())
    );
    // What a command takes from stdin is gone for the next read.
    let r = run("{ read x; cat; read y; echo \"[$x][$y]\"; } <<EOF\n1\n2\n3\nEOF\n");
    assert_eq!(r.out, "2\n3\n[1][]\n");
}

/// A Fake that knows which commands exist and reports jobs.
struct Known(Fake, Vec<(u32, i32)>);

impl System for Known {
    fn exec(&mut self, argv: &[String], i: Option<Vec<u8>>, o: &mut Sink, e: &mut Sink) -> i32 {
        self.0.exec(argv, i, o, e)
    }
    fn spawn(&mut self, argv: &[String], i: Option<Vec<u8>>, o: Sink, e: Sink) -> u32 {
        self.0.spawn(argv, i, o, e)
    }
    fn wait(&mut self, jobs: &[u32]) -> i32 {
        self.0.wait(jobs)
    }
    fn write(&mut self, sink: &mut Sink, data: &[u8]) -> io::Result<()> {
        self.0.write(sink, data)
    }
    fn read_file(&mut self, path: &str) -> io::Result<Vec<u8>> {
        self.0.read_file(path)
    }
    fn has_command(&mut self, name: &str) -> Option<bool> {
        Some(["cat", "args", "sleep"].contains(&name))
    }
    fn which(&mut self, name: &str) -> Option<String> {
        self.has_command(name)
            .filter(|k| *k)
            .map(|_| format!("/usr/bin/{name}"))
    }
    fn signal(&mut self, job: u32, sig: i32) -> bool {
        self.1.push((job, sig));
        true
    }
    fn job_status(&mut self, job: u32) -> Option<i32> {
        (job == 2).then_some(0)
    }
    fn random_seed(&mut self) -> u64 {
        42
    }
}

#[test]
fn the_system_can_say_what_exists() {
    let mut sys = Known(Fake::default(), Vec::new());
    let mut sh = Shell::new("t.sh");
    let (mut out, mut err) = (Sink::Buffer(Vec::new()), Sink::Buffer(Vec::new()));
    let src = "nosuch a\necho $?\ncommand -v cat nosuch echo; echo $?\ntype cat\n";
    sh.run_script_to(src, &mut sys, &mut out, &mut err);
    assert_eq!(
        out,
        Sink::Buffer(b"127\n/usr/bin/cat\necho\n1\ncat is /usr/bin/cat\n".to_vec())
    );
    assert_eq!(
        err,
        Sink::Buffer(b"t.sh: line 1: nosuch: command not found\n".to_vec())
    );
    assert!(
        sys.0.log.is_empty(),
        "an unknown command never reaches exec"
    );
}

#[test]
fn job_control_goes_through_the_system() {
    let mut sys = Known(Fake::default(), Vec::new());
    let mut sh = Shell::new("t.sh");
    let (mut out, mut err) = (Sink::Buffer(Vec::new()), Sink::Buffer(Vec::new()));
    let src = "sleep 10 &\nsleep 20 &\nargs x &\njobs\nkill -INT %1\nkill -9 %3\nkill %1\nkill -0 %2; echo $?\nkill %7; echo $?\n";
    sh.run_script_to(src, &mut sys, &mut out, &mut err);
    let out = match out {
        Sink::Buffer(b) => String::from_utf8(b).unwrap(),
        _ => unreachable!(),
    };
    assert_eq!(
        out,
        // Job 2 had ended when job 3 started, so the previous job (`-`) is
        // the newest one still running, job 1 (bash's set_current_job).
        "[1]-  Running                 sleep 10 &\n[2]   Done                    sleep 20\n[3]+  Running                 args x &\n1\n1\n"
    );
    // Job 2 was reported done, so %3 is the third job, with spawn id 3.
    assert_eq!(sys.1, [(1, 2), (3, 9), (1, 15)]);
    // `jobs` reported job 2 done, which forgets it, as bash does.
    assert_eq!(
        err,
        Sink::Buffer(
            b"t.sh: line 8: kill: %2: no such job\nt.sh: line 9: kill: %7: no such job\n".to_vec()
        )
    );
}

#[test]
fn random_is_seeded_by_the_system_and_by_assignment() {
    let mut a = Known(Fake::default(), Vec::new());
    let mut sh = Shell::new("t.sh");
    let (mut out1, mut err) = (Sink::Buffer(Vec::new()), Sink::Buffer(Vec::new()));
    sh.run_script_to("echo $RANDOM $RANDOM", &mut a, &mut out1, &mut err);
    let mut sh = Shell::new("t.sh");
    let mut out2 = Sink::Buffer(Vec::new());
    sh.run_script_to("echo $RANDOM $RANDOM", &mut a, &mut out2, &mut err);
    assert_eq!(out1, out2, "the same seed gives the same numbers");
    // bash 5.2: RANDOM=42; echo $RANDOM $RANDOM
    assert_eq!(stdout("RANDOM=42; echo $RANDOM $RANDOM"), "17772 26794\n");
}

#[test]
fn globbing_and_file_tests_use_metadata_and_read_dir() {
    struct Tree(Fake);
    impl System for Tree {
        fn exec(&mut self, a: &[String], i: Option<Vec<u8>>, o: &mut Sink, e: &mut Sink) -> i32 {
            self.0.exec(a, i, o, e)
        }
        fn spawn(&mut self, a: &[String], i: Option<Vec<u8>>, o: Sink, e: Sink) -> u32 {
            self.0.spawn(a, i, o, e)
        }
        fn wait(&mut self, jobs: &[u32]) -> i32 {
            self.0.wait(jobs)
        }
        fn write(&mut self, sink: &mut Sink, data: &[u8]) -> io::Result<()> {
            self.0.write(sink, data)
        }
        fn read_file(&mut self, path: &str) -> io::Result<Vec<u8>> {
            self.0.read_file(path)
        }
        fn metadata(&mut self, path: &str) -> io::Result<vnet_fs::Meta> {
            let (kind, mode) = match path {
                "d" | "/d" | "." => (vnet_fs::Kind::Dir, 0o755),
                "d/x.sh" => (vnet_fs::Kind::File, 0o755),
                "a.txt" | "b.txt" | "d/y.txt" => (vnet_fs::Kind::File, 0o644),
                _ => return Err(io::ErrorKind::NotFound.into()),
            };
            Ok(vnet_fs::Meta { kind, len: 3, mode })
        }
        fn read_dir(&mut self, path: &str) -> io::Result<Vec<String>> {
            match path {
                "." => Ok(vec!["a.txt".into(), "b.txt".into(), "d".into()]),
                "d" => Ok(vec!["x.sh".into(), "y.txt".into()]),
                _ => Err(io::ErrorKind::NotFound.into()),
            }
        }
    }
    let mut sys = Tree(Fake::default());
    let mut sh = Shell::new("t.sh");
    let (mut out, mut err) = (Sink::Buffer(Vec::new()), Sink::Buffer(Vec::new()));
    let src = "args *.txt d/* */*.txt *.none '*'.txt\n[ -d d ] && [ -f a.txt ] && [ ! -e c ] && echo tests\n[ -x d/x.sh ] && [ ! -x a.txt ] && [[ -s b.txt ]] && echo more\n";
    sh.run_script_to(src, &mut sys, &mut out, &mut err);
    assert_eq!(
        out,
        Sink::Buffer(
            b"<a.txt><b.txt><d/x.sh><d/y.txt><d/y.txt><*.none><*.txt>\ntests\nmore\n".to_vec()
        )
    );
}

#[test]
fn seconds_follows_the_systems_clock() {
    /// A clock that only `sleep N` advances.
    struct Clocked(Fake, u64);
    impl System for Clocked {
        fn exec(&mut self, a: &[String], i: Option<Vec<u8>>, o: &mut Sink, e: &mut Sink) -> i32 {
            if a[0] == "sleep" {
                self.1 += a[1].parse::<u64>().unwrap();
            }
            self.0.exec(a, i, o, e)
        }
        fn spawn(&mut self, a: &[String], i: Option<Vec<u8>>, o: Sink, e: Sink) -> u32 {
            self.0.spawn(a, i, o, e)
        }
        fn wait(&mut self, jobs: &[u32]) -> i32 {
            self.0.wait(jobs)
        }
        fn write(&mut self, sink: &mut Sink, data: &[u8]) -> io::Result<()> {
            self.0.write(sink, data)
        }
        fn read_file(&mut self, path: &str) -> io::Result<Vec<u8>> {
            self.0.read_file(path)
        }
        fn clock_secs(&mut self) -> u64 {
            self.1
        }
    }
    let mut sys = Clocked(Fake::default(), 100);
    let mut sh = Shell::new("t.sh");
    let (mut out, mut err) = (Sink::Buffer(Vec::new()), Sink::Buffer(Vec::new()));
    let src = "sleep 3; echo $SECONDS\nend=$((SECONDS + 5))\nwhile [ $SECONDS -lt $end ]; do sleep 2; done\necho $SECONDS\nSECONDS=1; echo $((SECONDS))\n";
    sh.run_script_to(src, &mut sys, &mut out, &mut err);
    assert_eq!(out, Sink::Buffer(b"3\n9\n1\n".to_vec()));
}
