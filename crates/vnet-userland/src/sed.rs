//! sed (placeholder while being written).
use crate::Ctx;
pub fn main(_ctx: &mut Ctx, _args: &[String]) -> i32 { 1 }
