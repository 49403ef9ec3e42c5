//! `vnet shell` at a terminal (a pseudo-terminal here): Ctrl-C interrupts
//! the foreground program as on a real terminal — ping prints its
//! statistics — and the shell and its lab live on; history is kept in the
//! lab directory.

use std::io::{Read, Write};
use std::os::fd::{FromRawFd, OwnedFd};
use std::os::unix::process::CommandExt;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

/// A vnet shell on a new pseudo-terminal: (master side, child); None
/// where the machine has no pseudo-terminals.
fn spawn_shell(lab: &std::path::Path) -> Option<(std::fs::File, std::process::Child)> {
    let (mut master, mut slave) = (0, 0);
    // SAFETY: openpty writes two descriptors into the given integers.
    let rc = unsafe {
        libc::openpty(
            &mut master,
            &mut slave,
            std::ptr::null_mut(),
            std::ptr::null(),
            std::ptr::null(),
        )
    };
    if rc != 0 {
        return None;
    }
    // SAFETY: both descriptors were just opened and are owned here alone.
    let (master, slave) = unsafe { (OwnedFd::from_raw_fd(master), OwnedFd::from_raw_fd(slave)) };
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_vnet"));
    cmd.args(["shell", "--lab"])
        .arg(lab)
        .stdin(Stdio::from(slave.try_clone().unwrap()))
        .stdout(Stdio::from(slave.try_clone().unwrap()))
        .stderr(Stdio::from(slave));
    // SAFETY: setsid and ioctl are async-signal-safe; the child makes the
    // terminal its controlling one so that ^C becomes SIGINT.
    unsafe {
        cmd.pre_exec(|| {
            libc::setsid();
            libc::ioctl(0, libc::TIOCSCTTY, 0);
            Ok(())
        });
    }
    let child = cmd.spawn().expect("vnet shell");
    Some((std::fs::File::from(master), child))
}

/// Reads what the terminal shows for `d`.
fn read_for(master: &mut std::fs::File, d: Duration, out: &mut Vec<u8>) {
    use std::os::fd::AsRawFd;
    let end = Instant::now() + d;
    while Instant::now() < end {
        let mut p = libc::pollfd {
            fd: master.as_raw_fd(),
            events: libc::POLLIN,
            revents: 0,
        };
        // SAFETY: one valid pollfd.
        if unsafe { libc::poll(&mut p, 1, 50) } > 0 {
            let mut buf = [0u8; 4096];
            match master.read(&mut buf) {
                Ok(0) | Err(_) => return,
                Ok(n) => out.extend_from_slice(&buf[..n]),
            }
        }
    }
}

#[test]
fn ctrl_c_interrupts_the_program_not_the_shell() {
    let dir = std::env::temp_dir().join(format!("vnet-interactive-{}", std::process::id()));
    let lab = dir.join("lab");
    let Some((mut t, mut child)) = spawn_shell(&lab) else {
        eprintln!("SKIPPED: no pseudo-terminal (openpty failed)");
        return;
    };
    let mut out = Vec::new();
    read_for(&mut t, Duration::from_millis(300), &mut out);
    t.write_all(b"ping 127.0.0.1\r").unwrap();
    read_for(&mut t, Duration::from_millis(2600), &mut out);
    t.write_all(b"\x03").unwrap();
    read_for(&mut t, Duration::from_millis(400), &mut out);
    t.write_all(b"echo status $?\r").unwrap();
    read_for(&mut t, Duration::from_millis(300), &mut out);
    t.write_all(b"exit 7\r").unwrap();
    read_for(&mut t, Duration::from_millis(300), &mut out);
    let status = child.wait().unwrap();
    let text = String::from_utf8_lossy(&out).replace('\r', "");
    // The replies came one a second, as the wall clock went.
    let replies = text.matches("bytes from 127.0.0.1").count();
    assert!((2..=4).contains(&replies), "{replies} replies:\n{text}");
    let header = text.find("PING 127.0.0.1").expect("PING line");
    assert!(header < text.find("bytes from").unwrap(), "{text}");
    assert!(
        text.contains(&format!(
            "{replies} packets transmitted, {replies} received, 0% packet loss"
        )),
        "{text}"
    );
    assert!(text.contains("status 0"), "the shell lives on: {text}");
    assert_eq!(status.code(), Some(7));
    let hist = std::fs::read_to_string(lab.join("history")).unwrap();
    assert!(
        hist.contains("ping 127.0.0.1\necho status $?\nexit 7"),
        "{hist}"
    );
    let _ = std::fs::remove_dir_all(&dir);
}
