//! A scenario run in vnet as `scripts/transcript.sh` runs it on a kernel:
//! one command at a time, each with its stdout, stderr and exit status.

use std::io::Write;
use vnet_core::World;
use vnet_fs::Tree;
use vnet_shell::{LineResult, Shell, Sink};
use vnet_tools::Machine;
use vnet_transcript::Entry;

/// Runs `src` (named `name` in messages) in a fresh lab whose files are
/// `tree` (the shell starts in its working directory), calling `each` with
/// every command's entry as it completes. `terminal` gets what background
/// jobs write to no file.
pub fn run(
    world: World,
    name: &str,
    src: &str,
    tree: Tree,
    terminal: Box<dyn Write>,
    mut each: impl FnMut(Entry) -> std::io::Result<()>,
) -> std::io::Result<()> {
    let mut m = Machine::new(world, terminal);
    m.fs = tree;
    let mut sh = Shell::new(name);
    sh.set_cwd(m.fs.cwd());
    for cmd in vnet_shell::split_commands(src) {
        let (mut o, mut e) = (Sink::Buffer(Vec::new()), Sink::Buffer(Vec::new()));
        let status = match sh.run_line_to(&cmd, &mut m, &mut o, &mut e) {
            LineResult::Complete(s) => s,
            LineResult::Incomplete => {
                sh.discard_pending();
                2
            }
        };
        let (Sink::Buffer(o), Sink::Buffer(e)) = (o, e) else {
            unreachable!("buffers stay buffers")
        };
        each(Entry {
            command: cmd,
            stdout: String::from_utf8_lossy(&o).into_owned(),
            stderr: String::from_utf8_lossy(&e).into_owned(),
            exit: status,
        })?;
        if sh.exited().is_some() {
            break;
        }
    }
    // As scripts/transcript.sh shows it: the EXIT trap as a last `exit`.
    let (mut o, mut e) = (Sink::Buffer(Vec::new()), Sink::Buffer(Vec::new()));
    if sh.exited().is_none() {
        if let Some(status) = sh.finish_to(&mut m, &mut o, &mut e) {
            let (Sink::Buffer(o), Sink::Buffer(e)) = (o, e) else {
                unreachable!("buffers stay buffers")
            };
            each(Entry {
                command: "exit".into(),
                stdout: String::from_utf8_lossy(&o).into_owned(),
                stderr: String::from_utf8_lossy(&e).into_owned(),
                exit: status,
            })?;
        }
    }
    m.kill_all();
    Ok(())
}

/// `vnet run --transcript`: the transcript on stdout as it is made.
pub fn print(world: World, name: &str, src: &str, tree: Tree) -> std::io::Result<()> {
    let mut out = std::io::stdout();
    run(
        world,
        name,
        src,
        tree,
        Box::new(std::io::stdout()),
        |entry| out.write_all(vnet_transcript::render(&[entry]).as_bytes()),
    )
}

/// The whole transcript of `src`, run in a fresh lab from `seed` inside a
/// scratch directory (as transcript.sh gives the kernel one).
pub fn collect(seed: u64, name: &str, src: &str) -> std::io::Result<Vec<Entry>> {
    let dir = tempdir("vnet-diff-cwd")?;
    let mut entries = Vec::new();
    let tree = vnet_tools::fs::lab_tree(&dir, &dir.join(".vnet"), &[], &[])?;
    let r = run(
        World::new(seed),
        name,
        src,
        tree,
        Box::new(std::io::sink()),
        |e| {
            entries.push(e);
            Ok(())
        },
    );
    let _ = std::fs::remove_dir_all(&dir);
    r.map(|()| entries)
}

/// A fresh, empty directory under the system's temporary directory.
pub fn tempdir(prefix: &str) -> std::io::Result<std::path::PathBuf> {
    use std::sync::atomic::{AtomicU32, Ordering};
    static NEXT: AtomicU32 = AtomicU32::new(0);
    let n = NEXT.fetch_add(1, Ordering::Relaxed);
    let dir = std::env::temp_dir().join(format!("{prefix}-{}-{n}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir)?;
    Ok(dir)
}
