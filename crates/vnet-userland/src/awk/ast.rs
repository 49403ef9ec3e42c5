//! The parsed program.

use super::value::Str;

/// A variable: a global slot or a slot of the running function's frame.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Var {
    Global(usize),
    Local(usize),
}

/// The builtin variables own the first global slots, in this order.
pub const SPECIALS: &[&str] = &[
    "NF", "NR", "FNR", "FS", "OFS", "ORS", "RS", "SUBSEP", "RSTART", "RLENGTH", "CONVFMT", "OFMT",
    "FILENAME", "ENVIRON", "ARGC", "ARGV",
];
pub const NF: usize = 0;
pub const NR: usize = 1;
pub const FNR: usize = 2;
pub const FS: usize = 3;
pub const OFS: usize = 4;
pub const ORS: usize = 5;
pub const RS: usize = 6;
pub const SUBSEP: usize = 7;
pub const RSTART: usize = 8;
pub const RLENGTH: usize = 9;
pub const CONVFMT: usize = 10;
pub const OFMT: usize = 11;
pub const FILENAME: usize = 12;
pub const ENVIRON: usize = 13;
pub const ARGC: usize = 14;
pub const ARGV: usize = 15;

#[derive(Clone, Copy, Debug, PartialEq)]
pub enum BinOp {
    Add,
    Sub,
    Mul,
    Div,
    Mod,
    Pow,
}

#[derive(Clone, Copy, Debug, PartialEq)]
pub enum CmpOp {
    Lt,
    Le,
    Gt,
    Ge,
    Eq,
    Ne,
}

#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Builtin {
    Length,
    Substr,
    Index,
    Split,
    Sub,
    Gsub,
    Match,
    Sprintf,
    Tolower,
    Toupper,
    Int,
    Sqrt,
    Exp,
    Log,
    Sin,
    Cos,
    Atan2,
    Rand,
    Srand,
    System,
    Close,
    Fflush,
}

#[derive(Debug)]
pub enum LValue {
    Var(Var),
    Index(Var, Vec<Expr>),
    Field(Box<Expr>),
}

#[derive(Debug)]
pub enum GetlineSrc {
    /// The main input.
    Main,
    File(Box<Expr>),
    Cmd(Box<Expr>),
}

#[derive(Debug)]
pub enum Expr {
    Num(f64),
    Str(Str),
    /// A regex literal (index into the program's regexes); as a value it
    /// is `$0 ~ /re/`.
    Regex(usize),
    Lv(LValue),
    Assign(Option<BinOp>, Box<LValue>, Box<Expr>),
    Cond(Box<Expr>, Box<Expr>, Box<Expr>),
    And(Box<Expr>, Box<Expr>),
    Or(Box<Expr>, Box<Expr>),
    Not(Box<Expr>),
    Neg(Box<Expr>),
    UPlus(Box<Expr>),
    Bin(BinOp, Box<Expr>, Box<Expr>),
    Cmp(CmpOp, Box<Expr>, Box<Expr>),
    Concat(Box<Expr>, Box<Expr>),
    /// `x ~ re` (negated for `!~`).
    Match(bool, Box<Expr>, Box<Expr>),
    In(Vec<Expr>, Var),
    IncDec {
        pre: bool,
        inc: bool,
        lv: Box<LValue>,
    },
    Call(usize, Vec<Expr>),
    Builtin(Builtin, Vec<Expr>),
    Getline(GetlineSrc, Option<Box<LValue>>),
    Group(Box<Expr>),
}

#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Redir {
    Trunc,
    Append,
    Pipe,
}

#[derive(Debug)]
pub enum Stmt {
    Expr(Expr),
    Print(Vec<Expr>, Option<(Redir, Expr)>),
    Printf(Vec<Expr>, Option<(Redir, Expr)>),
    If(Expr, Box<Stmt>, Option<Box<Stmt>>),
    While(Expr, Box<Stmt>),
    Do(Box<Stmt>, Expr),
    For(
        Option<Box<Stmt>>,
        Option<Expr>,
        Option<Box<Stmt>>,
        Box<Stmt>,
    ),
    ForIn(Var, Var, Box<Stmt>),
    Block(Vec<Stmt>),
    Next,
    NextFile,
    Exit(Option<Expr>),
    Return(Option<Expr>),
    Break,
    Continue,
    Delete(Var, Option<Vec<Expr>>),
}

#[derive(Debug)]
pub enum Pattern {
    All,
    Expr(Expr),
    Range(Expr, Expr),
}

#[derive(Debug)]
pub struct Item {
    pub pattern: Pattern,
    /// None: print $0.
    pub action: Option<Vec<Stmt>>,
}

#[derive(Debug)]
pub struct Func {
    pub name: String,
    pub nparams: usize,
    pub body: Vec<Stmt>,
    pub defined: bool,
}

#[derive(Debug, Default)]
pub struct Program {
    pub begin: Vec<Stmt>,
    pub items: Vec<Item>,
    pub end: Vec<Stmt>,
    pub funcs: Vec<Func>,
    pub globals: Vec<String>,
    /// Regex literals' source text.
    pub regexes: Vec<Vec<u8>>,
}
