//! Every tool, any arguments drawn from its options and tricky values, any
//! input: no panic, and an exit status a shell could see (0..=3).

use proptest::prelude::*;
use vnet_fs::{Fs, MemFs};
use vnet_userland::{lookup, Ctx};

const TOOLS: &[&str] = &[
    "head",
    "tail",
    "wc",
    "cat",
    "tee",
    "rev",
    "paste",
    "nl",
    "uniq",
    "cut",
    "sort",
    "tr",
    "seq",
    "expr",
    "ls",
    "touch",
    "mkdir",
    "rmdir",
    "rm",
    "cp",
    "mv",
    "mktemp",
    "basename",
    "dirname",
    "realpath",
    "readlink",
    "tac",
    "comm",
    "md5sum",
    "sha1sum",
    "sha256sum",
    "od",
];

const TOKENS: &[&str] = &[
    "-n",
    "-c",
    "-5",
    "+2",
    "-n-1",
    "-c+0",
    "-k",
    "2,1",
    "-k1.0",
    "-k2.3b,3.1n",
    "-t",
    ":",
    "-d",
    "-f",
    "1-",
    "-2",
    "3-1",
    ",",
    "-s",
    "-w",
    "-u",
    "-r",
    "-R",
    "-p",
    "-a",
    "-A",
    "-l",
    "-F",
    "-h",
    "-V",
    "-g",
    "-M",
    "-z",
    "-i",
    "--",
    "-",
    "a",
    "d",
    "nofile",
    "d/e",
    "/",
    ".",
    "..",
    "[:alpha:]",
    "[a*]",
    "[=a=]",
    "a-z",
    "\\",
    "\\0",
    "%g",
    "%",
    "%%",
    "1e308",
    "-1e308",
    "0.1",
    "nan",
    "inf",
    "0x1p3",
    "(",
    ")",
    "+",
    ":",
    "*",
    "\\(a*\\)*",
    "\\{1,\\}",
    "[",
    "^$",
    "XXX",
    "fooXXXXXX",
    "99999999999999999999999999",
    "-0",
    "",
    " ",
    "é",
    "--lines=",
    "--al",
];

fn fs() -> MemFs {
    let mut fs = MemFs::new()
        .with_file("/w/a", b"one\ntwo\n\nthree")
        .with_file("/w/d/e", b"x:y\n");
    fs.set_cwd("/w").unwrap();
    fs
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 1000, ..ProptestConfig::default() })]
    #[test]
    fn tools_never_panic(
        tool in 0..TOOLS.len(),
        args in proptest::collection::vec(0..TOKENS.len(), 0..6),
        stdin in proptest::collection::vec(any::<u8>(), 0..64),
    ) {
        let mut fs = fs();
        let util = lookup(TOOLS[tool]).unwrap();
        let argv: Vec<String> = args.iter().map(|&i| TOKENS[i].to_string()).collect();
        let mut c = Ctx::new(&mut fs, Some(stdin));
        let rc = util(&mut c, &argv);
        prop_assert!((0..=3).contains(&rc), "{} {:?} -> {}", TOOLS[tool], argv, rc);
        prop_assert!(c.out.len() < 80 << 20);
    }
}
