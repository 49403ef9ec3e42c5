pub fn main(c: &mut crate::Cmd, _args: &[String]) -> i32 {
    c.eprint("x\n");
    1
}
