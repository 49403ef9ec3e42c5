//! Kernel error numbers, as netlink and syscalls return them to the tools.

use serde::{Deserialize, Serialize};
use std::fmt;

/// The errno values the simulated kernel returns, with their strerror() text.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Errno {
    EPERM,
    ENOENT,
    ESRCH,
    EBUSY,
    EEXIST,
    ENODEV,
    EINVAL,
    ENOSPC,
    ERANGE,
    ENOBUFS,
    EOPNOTSUPP,
    EADDRNOTAVAIL,
    ENETUNREACH,
    EHOSTUNREACH,
    ENOTSUP,
    EAFNOSUPPORT,
    EMSGSIZE,
    EACCES,
    ELOOP,
    ENETDOWN,
    EADDRINUSE,
    ECONNREFUSED,
    ECONNRESET,
    ETIMEDOUT,
    EINPROGRESS,
    ENOTCONN,
    EPIPE,
    EISCONN,
    ENOPROTOOPT,
    EXFULL,
    ENXIO,
    ENOTTY,
    EPROTONOSUPPORT,
    ENOTEMPTY,
}

impl Errno {
    pub fn strerror(self) -> &'static str {
        use Errno::*;
        match self {
            EPERM => "Operation not permitted",
            ENOENT => "No such file or directory",
            ESRCH => "No such process",
            EBUSY => "Device or resource busy",
            EEXIST => "File exists",
            ENODEV => "No such device",
            EINVAL => "Invalid argument",
            ENOSPC => "No space left on device",
            ERANGE => "Numerical result out of range",
            ENOBUFS => "No buffer space available",
            EOPNOTSUPP | ENOTSUP => "Operation not supported",
            EADDRNOTAVAIL => "Cannot assign requested address",
            ENETUNREACH => "Network is unreachable",
            EHOSTUNREACH => "No route to host",
            EAFNOSUPPORT => "Address family not supported by protocol",
            EMSGSIZE => "Message too long",
            EACCES => "Permission denied",
            ELOOP => "Too many levels of symbolic links",
            ENETDOWN => "Network is down",
            EADDRINUSE => "Address already in use",
            ECONNREFUSED => "Connection refused",
            ECONNRESET => "Connection reset by peer",
            ETIMEDOUT => "Connection timed out",
            EINPROGRESS => "Operation now in progress",
            ENOTCONN => "Transport endpoint is not connected",
            EPIPE => "Broken pipe",
            EISCONN => "Transport endpoint is already connected",
            ENOPROTOOPT => "Protocol not available",
            EXFULL => "Exchange full",
            ENXIO => "No such device or address",
            ENOTTY => "Inappropriate ioctl for device",
            EPROTONOSUPPORT => "Protocol not supported",
            ENOTEMPTY => "Directory not empty",
        }
    }
}

/// An error from the kernel: an errno and, as netlink's extended ack gives it,
/// an optional message (iproute2 prints it as `Error: <msg>.`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct KernelError {
    pub errno: Errno,
    pub extack: Option<&'static str>,
}

impl KernelError {
    pub fn new(errno: Errno) -> Self {
        KernelError {
            errno,
            extack: None,
        }
    }
    pub fn ext(errno: Errno, msg: &'static str) -> Self {
        KernelError {
            errno,
            extack: Some(msg),
        }
    }
}

impl From<Errno> for KernelError {
    fn from(e: Errno) -> Self {
        KernelError::new(e)
    }
}

impl fmt::Display for KernelError {
    fn fmt(&self, f: &mut fmt::Formatter) -> fmt::Result {
        match self.extack {
            Some(m) => write!(f, "{m}"),
            None => write!(f, "{}", self.errno.strerror()),
        }
    }
}

impl std::error::Error for KernelError {}

pub type KResult<T> = Result<T, KernelError>;
