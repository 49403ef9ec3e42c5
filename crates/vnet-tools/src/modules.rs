//! Kernel modules: modprobe, lsmod, modinfo.
use crate::Cmd;

pub fn modprobe(_c: &mut Cmd, _a: &[String]) -> i32 {
    0
}
pub fn lsmod(_c: &mut Cmd, _a: &[String]) -> i32 {
    0
}
pub fn modinfo(_c: &mut Cmd, _a: &[String]) -> i32 {
    0
}
