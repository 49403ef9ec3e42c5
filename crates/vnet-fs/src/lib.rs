//! vnet-fs: the file tree a lab script sees.
//!
//! Every path a script or a command names goes through an [`Fs`]: the
//! shell's redirections and `cd`, `cat`, `grep FILE`, `sed -i`,
//! `tcpdump -w`, `iptables-restore FILE`. Paths are spelled as the script
//! spells them (absolute, or relative to [`Fs::cwd`]); an implementation
//! normalises them first ([`normalize`]) and decides what each names:
//! a simulated file (`/proc`, `/sys`, `/dev`, `/etc`), a file of the lab's
//! directory, or nothing the script may touch (`Permission denied`).
//!
//! Errors are [`std::io::Error`]s; [`strerror`] gives the text real tools
//! print for them (`No such file or directory`).
//!
//! Implementations: [`MemFs`] (in memory, for tests) and [`Tree`] (`lab.rs`:
//! the lab's confined tree — its real directory, a private `/tmp`, a
//! simulated part the caller supplies as a [`Special`], nothing else; see
//! the README's "Safety").

pub mod lab;
mod mem;
pub mod stream;

pub use lab::{Bound, NoSpecial, Node, Special, Tree};
pub use mem::MemFs;

use std::io;

/// What a path names.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    File,
    Dir,
    Symlink,
    /// `/dev/null`, `/dev/zero`, `/dev/urandom`.
    CharDev,
}

/// `stat(2)` as the tools need it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Meta {
    pub kind: Kind,
    /// Size in bytes (0 for simulated `/proc` and `/sys` files, as there).
    pub len: u64,
    /// Permission bits (`0o644`).
    pub mode: u32,
}

/// A file tree. Relative paths resolve against [`Fs::cwd`].
pub trait Fs {
    /// The working directory: absolute and normalised.
    fn cwd(&self) -> String;
    /// `cd`: moves to a directory (an error if `path` is not one).
    fn set_cwd(&mut self, path: &str) -> io::Result<()>;
    /// The whole content of a file.
    fn read(&mut self, path: &str) -> io::Result<Vec<u8>>;
    /// Writes a file: truncating (creating it) or appending. An empty write
    /// is an open: it creates or truncates, and must not change a simulated
    /// value (`> /proc/sys/...`).
    fn write(&mut self, path: &str, data: &[u8], append: bool) -> io::Result<()>;
    /// `stat(2)`, following symlinks.
    fn metadata(&mut self, path: &str) -> io::Result<Meta>;
    /// The names in a directory, sorted bytewise, without `.` and `..`.
    fn read_dir(&mut self, path: &str) -> io::Result<Vec<String>>;
    /// `mkdir(2)`: the parent must exist.
    fn create_dir(&mut self, path: &str) -> io::Result<()>;
    /// `unlink(2)`.
    fn remove_file(&mut self, path: &str) -> io::Result<()>;
    /// `rmdir(2)`: the directory must be empty.
    fn remove_dir(&mut self, path: &str) -> io::Result<()>;
    /// `rename(2)`.
    fn rename(&mut self, from: &str, to: &str) -> io::Result<()>;
    /// `chmod(2)`: sets the permission bits (`mode & 0o7777`) of what
    /// `path` names, following symlinks. Simulated files refuse
    /// (`EPERM`, as `/proc/sys` does).
    fn set_mode(&mut self, path: &str, mode: u32) -> io::Result<()>;
}

/// Joins `path` to `cwd` (when relative) and removes `//`, `.` and `..`
/// lexically: `/..` is `/`, as the kernel resolves it.
pub fn normalize(cwd: &str, path: &str) -> String {
    let mut parts: Vec<&str> = Vec::new();
    let joined = if path.starts_with('/') {
        path.to_string()
    } else {
        format!("{cwd}/{path}")
    };
    for c in joined.split('/') {
        match c {
            "" | "." => {}
            ".." => {
                parts.pop();
            }
            c => parts.push(c),
        }
    }
    format!("/{}", parts.join("/"))
}

/// The message `strerror(3)` gives for an error, as tools print it.
pub fn strerror(e: &io::Error) -> &'static str {
    use io::ErrorKind as K;
    match e.raw_os_error() {
        Some(1) => return "Operation not permitted",
        Some(2) => return "No such file or directory",
        Some(6) => return "No such device or address",
        Some(13) => return "Permission denied",
        Some(16) => return "Device or resource busy",
        Some(17) => return "File exists",
        Some(18) => return "Invalid cross-device link",
        Some(20) => return "Not a directory",
        Some(21) => return "Is a directory",
        Some(22) => return "Invalid argument",
        Some(27) => return "File too large",
        Some(28) => return "No space left on device",
        Some(30) => return "Read-only file system",
        Some(36) => return "File name too long",
        Some(39) => return "Directory not empty",
        Some(40) => return "Too many levels of symbolic links",
        _ => {}
    }
    match e.kind() {
        K::NotFound => "No such file or directory",
        K::PermissionDenied => "Permission denied",
        K::AlreadyExists => "File exists",
        K::NotADirectory => "Not a directory",
        K::IsADirectory => "Is a directory",
        K::DirectoryNotEmpty => "Directory not empty",
        K::InvalidInput | K::InvalidData => "Invalid argument",
        K::StorageFull => "No space left on device",
        K::ReadOnlyFilesystem => "Read-only file system",
        K::InvalidFilename => "File name too long",
        _ => "Input/output error",
    }
}

/// An error of the kind `errno` names (`libc`'s numbers), for
/// implementations: `err(libc::ENOENT)`.
pub fn err(errno: i32) -> io::Error {
    io::Error::from_raw_os_error(errno)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn normalize_removes_dots_and_slashes() {
        assert_eq!(normalize("/lab", "a/./b//c/../d"), "/lab/a/b/d");
        assert_eq!(normalize("/lab", "//proc/sys"), "/proc/sys");
        assert_eq!(normalize("/lab", "/./proc/../proc/sys"), "/proc/sys");
        assert_eq!(normalize("/lab/x", "../../../../proc"), "/proc");
        assert_eq!(normalize("/", ".."), "/");
    }

    #[test]
    fn strerror_names_errno_and_kinds() {
        assert_eq!(strerror(&err(2)), "No such file or directory");
        assert_eq!(
            strerror(&io::Error::from(io::ErrorKind::PermissionDenied)),
            "Permission denied"
        );
    }
}
