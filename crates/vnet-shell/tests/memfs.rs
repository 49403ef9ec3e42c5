//! The file-dependent cases of `tests/shell-diff` (globbing, file tests,
//! `cd`) run over an in-memory file tree ([`vnet_fs::MemFs`]) and compared
//! with real bash run in a temporary directory: this checks the shell's
//! side of [`System::metadata`], [`System::read_dir`] and
//! [`System::chdir`] whatever the host System implements. Skipped (with a
//! message) when `/bin/bash` is missing.

use std::io;
use std::path::Path;
use std::process::{Command, Stdio};

use vnet_fs::{Fs, MemFs};
use vnet_shell::{Shell, Sink, System};

/// The cases to run, by file-name prefix.
const CASES: &[&str] = &["glob_", "test_files", "cd_"];

/// A host over a MemFs whose only commands are `cat` and `touch`.
struct MemHost {
    fs: MemFs,
    out: Vec<u8>,
    err: Vec<u8>,
}

impl MemHost {
    fn put(&mut self, sink: &mut Sink, data: &[u8]) {
        let _ = self.write(sink, data);
    }
}

impl System for MemHost {
    fn exec(
        &mut self,
        argv: &[String],
        stdin: Option<Vec<u8>>,
        stdout: &mut Sink,
        stderr: &mut Sink,
    ) -> i32 {
        if matches!(stderr, Sink::Stdout) {
            // 2>&1 into a pipe: stderr after stdout is all this double needs.
            let mut e = Sink::Buffer(Vec::new());
            let st = self.exec(argv, stdin, stdout, &mut e);
            if let Sink::Buffer(b) = e {
                let _ = self.write(stdout, &b);
            }
            return st;
        }
        match argv[0].as_str() {
            "cat" if argv.len() == 1 => {
                let data = stdin.unwrap_or_default();
                self.put(stdout, &data);
                0
            }
            "cat" => {
                let mut status = 0;
                for f in &argv[1..] {
                    match self.fs.read(f) {
                        Ok(d) => self.put(stdout, &d),
                        Err(e) => {
                            let msg = format!("cat: {f}: {}\n", vnet_fs::strerror(&e));
                            self.put(stderr, msg.as_bytes());
                            status = 1;
                        }
                    }
                }
                status
            }
            name => {
                let msg = format!("{name}: command not found\n");
                self.put(stderr, msg.as_bytes());
                127
            }
        }
    }

    fn spawn(&mut self, _: &[String], _: Option<Vec<u8>>, _: Sink, _: Sink) -> u32 {
        0
    }

    fn wait(&mut self, _: &[u32]) -> i32 {
        0
    }

    fn write(&mut self, sink: &mut Sink, data: &[u8]) -> io::Result<()> {
        match sink {
            Sink::Terminal => self.out.extend_from_slice(data),
            Sink::Buffer(b) => b.extend_from_slice(data),
            Sink::Null | Sink::Stdout => {}
            Sink::File { path, append } => match path.as_str() {
                "/dev/stderr" => self.err.extend_from_slice(data),
                "/dev/null" => {}
                _ => self.fs.write(path, data, *append)?,
            },
        }
        Ok(())
    }

    fn read_file(&mut self, path: &str) -> io::Result<Vec<u8>> {
        self.fs.read(path)
    }

    fn chdir(&mut self, dir: &str) -> io::Result<()> {
        self.fs.set_cwd(dir)
    }

    fn metadata(&mut self, path: &str) -> io::Result<vnet_fs::Meta> {
        self.fs.metadata(path)
    }

    fn read_dir(&mut self, path: &str) -> io::Result<Vec<String>> {
        self.fs.read_dir(path)
    }
}

#[test]
fn file_cases_match_bash_over_memfs() {
    if !Path::new("/bin/bash").exists() {
        println!("memfs: skipped, /bin/bash is missing");
        return;
    }
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../tests/shell-diff");
    let mut cases: Vec<_> = std::fs::read_dir(&dir)
        .unwrap()
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| {
            let name = p.file_name().unwrap().to_string_lossy().into_owned();
            name.ends_with(".sh") && CASES.iter().any(|c| name.starts_with(c))
        })
        .collect();
    cases.sort();
    assert!(cases.len() >= 5, "{cases:?}");
    let mut failures = Vec::new();
    for case in &cases {
        let name = case.file_name().unwrap().to_string_lossy().into_owned();
        let src = std::fs::read_to_string(case).unwrap();
        // bash in a fresh directory holding the script.
        let tmp = std::env::temp_dir().join(format!("vnet-memfs-{}-{name}", std::process::id()));
        let _ = std::fs::remove_dir_all(&tmp);
        std::fs::create_dir_all(&tmp).unwrap();
        std::fs::write(tmp.join(&name), &src).unwrap();
        let o = Command::new("/bin/bash")
            .arg(&name)
            .current_dir(&tmp)
            .env_clear()
            .env("PATH", "/usr/bin:/bin")
            .env("LC_ALL", "C")
            .stdin(Stdio::null())
            .output()
            .unwrap();
        let _ = std::fs::remove_dir_all(&tmp);
        // The shell over a MemFs laid out alike: the script in /work, a /tmp.
        let mut fs = MemFs::new()
            .with_file(&format!("/work/{name}"), src.as_bytes())
            .with_file("/tmp/.keep", b"");
        fs.set_cwd("/work").unwrap();
        let mut host = MemHost {
            fs,
            out: Vec::new(),
            err: Vec::new(),
        };
        let mut sh = Shell::new(&name);
        sh.set_cwd("/work");
        let mut out = Sink::Terminal;
        let mut err = Sink::File {
            path: "/dev/stderr".into(),
            append: true,
        };
        let status = sh.run_script_to(&src, &mut host, &mut out, &mut err);
        let got = (
            status,
            String::from_utf8_lossy(&host.out).into_owned(),
            String::from_utf8_lossy(&host.err).into_owned(),
        );
        // bash's /tmp is the real one: only the cd cases look at it, and
        // only through pwd.
        let want = (
            o.status.code().unwrap_or(-1),
            String::from_utf8_lossy(&o.stdout).into_owned(),
            String::from_utf8_lossy(&o.stderr).into_owned(),
        );
        if got != want {
            failures.push(format!("{name}:\n  bash: {want:?}\n  vnet: {got:?}"));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
