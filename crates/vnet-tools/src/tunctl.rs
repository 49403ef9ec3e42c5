//! TODO
use crate::Cmd;

pub fn main(c: &mut Cmd, _args: &[String]) -> i32 {
    c.eprint("not implemented\n");
    1
}
