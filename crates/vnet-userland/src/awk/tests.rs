//! Differential tests: each case runs through this awk (over a MemFs) and,
//! when it is installed, through the real /usr/bin/mawk (in a temporary
//! directory holding the same files); stdout, stderr and status must match.

use crate::Ctx;
use vnet_fs::MemFs;

struct Out {
    out: Vec<u8>,
    err: Vec<u8>,
    rc: i32,
}

fn ours(name: &str, args: &[&str], stdin: &str, files: &[(&str, &str)]) -> Out {
    let mut fs = MemFs::new();
    for (p, d) in files {
        fs = fs.with_file(p, d.as_bytes());
    }
    let mut ctx = Ctx::new(&mut fs, Some(stdin.as_bytes().to_vec()));
    let args: Vec<String> = args.iter().map(|s| s.to_string()).collect();
    let rc = if name == "awk" {
        super::awk(&mut ctx, &args)
    } else {
        super::mawk(&mut ctx, &args)
    };
    Out {
        out: ctx.out,
        err: ctx.err,
        rc,
    }
}

fn real(name: &str, args: &[&str], stdin: &str, files: &[(&str, &str)]) -> Option<Out> {
    use std::io::Write;
    use std::os::unix::process::CommandExt;
    use std::process::{Command, Stdio};
    if !std::path::Path::new("/usr/bin/mawk").exists() {
        return None;
    }
    static N: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);
    let dir = std::env::temp_dir().join(format!(
        "vnet-awk-{}-{}",
        std::process::id(),
        N.fetch_add(1, std::sync::atomic::Ordering::SeqCst)
    ));
    std::fs::create_dir_all(&dir).ok()?;
    for (p, d) in files {
        std::fs::write(dir.join(p), d).ok()?;
    }
    let mut child = Command::new("/usr/bin/mawk")
        .arg0(name)
        .args(args)
        .current_dir(&dir)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .ok()?;
    child.stdin.take()?.write_all(stdin.as_bytes()).ok()?;
    let o = child.wait_with_output().ok()?;
    let _ = std::fs::remove_dir_all(&dir);
    Some(Out {
        out: o.stdout,
        err: o.stderr,
        rc: o.status.code().unwrap_or(-1),
    })
}

/// Runs a case both ways; returns a description of the difference.
fn differ(name: &str, args: &[&str], stdin: &str, files: &[(&str, &str)]) -> Option<String> {
    let a = ours(name, args, stdin, files);
    let b = real(name, args, stdin, files)?;
    if a.out == b.out && a.err == b.err && a.rc == b.rc {
        return None;
    }
    Some(format!(
        "{name} {args:?}\n  ours: rc={} out={:?} err={:?}\n  mawk: rc={} out={:?} err={:?}",
        a.rc,
        String::from_utf8_lossy(&a.out),
        String::from_utf8_lossy(&a.err),
        b.rc,
        String::from_utf8_lossy(&b.out),
        String::from_utf8_lossy(&b.err)
    ))
}

const TEXT: &str = "alice 10 x\nbob 20 y\ncarol 5 x\n\ndave 15 z\n";
const PASSWD: &str = "root:x:0:0:root:/root:/bin/bash\ndaemon:x:1:1:daemon:/usr/sbin:/usr/sbin/nologin\nalice:x:1000:1000:Alice,,,:/home/alice:/bin/bash\nbob:x:1001:1001::/home/bob:/bin/sh\n";
const IPADDR: &str = "1: lo    inet 127.0.0.1/8 scope host lo\\       valid_lft forever preferred_lft forever\n2: eth0    inet 10.0.0.1/24 brd 10.0.0.255 scope global eth0\\       valid_lft forever preferred_lft forever\n3: eth1    inet 192.168.1.5/24 scope global eth1\n";

/// (args, stdin) cases.
fn cases() -> Vec<(Vec<&'static str>, &'static str)> {
    vec![
        (vec!["{print $2, $4}"], IPADDR),
        (vec!["-F:", "$3>=1000 {print $1}"], PASSWD),
        (vec!["-F", ":", "{print NF, $NF}"], PASSWD),
        (vec!["{s += $2} END {print s, s/NR, NR}"], TEXT),
        (vec!["{c[$3]++} END {for (k in c) print k, c[k]}"], TEXT),
        (vec!["{printf \"%-8s|%5.1f|%03d\\n\", $1, $2, NR}"], TEXT),
        (vec!["NR==FNR {a[$1]=$2; next} $1 in a {print $1, a[$1], $2}", "-", "-"], TEXT),
        (vec!["/bob/,/dave/"], TEXT),
        (vec!["!/x/"], TEXT),
        (vec!["NF"], TEXT),
        (vec!["length > 8"], TEXT),
        (vec!["{ $2 = $2 * 2; print; print NF }"], TEXT),
        (vec!["{ NF = 2; print }", "OFS=-"], TEXT),
        (vec!["BEGIN { OFS = \"-\" } { $1 = $1; print }"], TEXT),
        (vec!["{ $7 = \"new\"; print; print NF }"], "a b c\n"),
        (vec!["BEGIN { RS = \"\" } { print NR \": \" $1 \" \" NF }"], "a b\nc\n\n\nd e f\n\n"),
        (vec!["BEGIN { RS = \";\" } { print NR, $0 }"], "a;b;c\n"),
        (vec!["BEGIN { RS = \"[0-9]+\" } { print NR \"[\" $0 \"]\" }"], "a12b345c\n"),
        (vec!["BEGIN { x = \"10\"; y = 9; print (x < y), (x+0 < y), (\"abc\" < \"abd\") }"], ""),
        (vec!["{ print ($1 < $2), ($1 == $2) }"], "10 9\n10 10.0\nabc abd\n1e1 10\n 0x1A 26\n"),
        (vec!["BEGIN { print 1/3, 100000 * 100000, 2^31, 0.1 + 0.2, -0, 1e300 * 1e300, int(-3.7) }"], ""),
        (vec!["BEGIN { CONVFMT = \"%.2f\"; a = 3.14159; b = a \"\"; print b; OFMT = \"%.3f\"; print a, 17 }"], ""),
        (vec!["BEGIN { printf \"%d %i %o %x %X %u %c %e %E %f %g %G %s %%\\n\", 42.9, -3, 8, 255, 255, 3, 65, 1234.5, 0.001, 3.14159, 1e-5, 1e20, \"str\" }"], ""),
        (vec!["BEGIN { printf \"[%5s][%-5s][%.2s][%*d][%-*d][%.*f]\\n\", \"ab\", \"ab\", \"abc\", 4, 7, 4, 7, 1, 2.55 }"], ""),
        (vec!["BEGIN { printf \"%+d % d %05.1f %#o %#x %c|\\n\", 5, 5, 2.25, 8, 255, \"xyz\" }"], ""),
        (vec!["BEGIN { s = \"hello world\"; print substr(s, 1, 5), substr(s, 7), substr(s, 0, 2), substr(s, -1, 3), substr(s, 20) \"|\" }"], ""),
        (vec!["BEGIN { print index(\"foobar\", \"bar\"), index(\"foo\", \"\"), length(\"abc\"), toupper(\"aBc\"), tolower(\"XyZ\") }"], ""),
        (vec!["BEGIN { n = split(\"a:b:c\", arr, \":\"); print n, arr[1], arr[3]; n = split(\"  a  b \", w); print n, w[1] w[2]; n = split(\"abc\", c, \"\"); print n, c[2] }"], ""),
        (vec!["BEGIN { n = split(\"a1b22c333d\", p, /[0-9]+/); for (i = 1; i <= n; i++) printf \"%s,\", p[i]; print \"\" }"], ""),
        (vec!["{ n = gsub(/o/, \"0\"); print n, $0 }"], "foo boo\nbar\n"),
        (vec!["{ sub(/[0-9]+/, \"<&>\"); print } "], "abc 123 def 456\n"),
        (vec!["BEGIN { s = \"aaa\"; gsub(/a/, \"\\\\&\", s); print s; t = \"abc\"; gsub(//, \"-\", t); print t; u = \"hello\"; gsub(/l*/, \"X\", u); print u }"], ""),
        (vec!["BEGIN { if (match(\"foobarbaz\", /ba[rz]/)) print RSTART, RLENGTH; print match(\"abc\", /x/), RSTART, RLENGTH }"], ""),
        (vec!["BEGIN { x = sprintf(\"%05.2f|%s\", 3.14159, \"a\"); print x; print length(x) }"], ""),
        (vec!["BEGIN { print int(3.9), sqrt(16), exp(0), log(1), sin(0), cos(0), atan2(0, -1) }"], ""),
        (vec!["BEGIN { srand(1); print rand(), rand(); print srand(7) }"], ""),
        (vec!["BEGIN { a[1,2] = 3; for (k in a) { split(k, p, SUBSEP); print p[1], p[2] }; if ((1,2) in a) print \"yes\" }"], ""),
        (vec!["BEGIN { a[\"x\"]; delete a[\"x\"]; print length(a); a[1]; a[2]; delete a; print length(a) }"], ""),
        (vec!["function fact(n) { return n <= 1 ? 1 : n * fact(n - 1) } BEGIN { print fact(10) }"], ""),
        (vec!["function fill(arr, n,   i) { for (i = 1; i <= n; i++) arr[i] = i * i } BEGIN { fill(sq, 5); for (i = 1; i <= 5; i++) printf \"%d \", sq[i]; print \"\" }"], ""),
        (vec!["BEGIN { i = 0; while (1) { if (++i > 5) break; if (i % 2) continue; print i }; do { print \"do\", i-- } while (i > 4) }"], ""),
        (vec!["{ print; exit 3 } END { print \"end\" }"], TEXT),
        (vec!["BEGIN { exit } END { print \"end runs\" }"], ""),
        (vec!["BEGIN { x; print length(x), x + 0, (x == 0), (x == \"\") }"], ""),
        (vec!["BEGIN { print 1 \" \" -1; print 2 - 1 \"x\"; print 1 > 2 ? \"/dev/stdout\" : \"b\" }"], ""),
        (vec!["BEGIN { x = 5; x += 2; x -= 1; x *= 3; x /= 2; x %= 5; x ^= 2; print x; print x++ + ++x, x--, --x, x }"], ""),
        (vec!["BEGIN { print 2 ^ 3 ^ 2, -2 ^ 2, 2 ** 3, !0, !1, !\"\", !\"a\" }"], ""),
        (vec!["{ print $1 ~ /^[a-c]/, $1 !~ \"o\" }"], TEXT),
        (vec!["BEGIN { while ((getline line) > 0) n++; print n, NR }"], TEXT),
        (vec!["NR == 2 { getline; print \"after getline:\", $0, NR } NR == 4 { getline x; print \"x=\" x, $0 }"], TEXT),
        (vec!["BEGIN { printf \"%d %d\\n\" }"], ""),
        (vec!["BEGIN { printf \"%z\\n\", 1 }"], ""),
        (vec!["{ print $(-1) }"], "a\n"),
        (vec!["{print $1"], ""),
        (vec!["BEGIN{x=1+}"], ""),
        (vec!["BEGIN{print \"abc}"], ""),
        (vec!["{ print @ }"], ""),
        (vec!["/abc"], ""),
        (vec!["BEGIN{f()}"], ""),
        (vec!["{print}", "nofile"], ""),
        (vec![], ""),
        (vec!["-v", "x=a\\tb", "-v", "n=5", "BEGIN { print x, n + 1 }"], ""),
        (vec!["{ print v, $0 }", "v=1", "-", ], "a\n"),
        (vec!["BEGIN { print ARGC, ARGV[0], ARGV[1] }", "foo"], ""),
        (vec!["BEGIN { print length() }"], ""),
        (vec!["-W", "version"], ""),
        (vec!["-F"], ""),
        (vec!["-v", "x", "BEGIN { }"], ""),
        (vec!["-f", "/nonexistent/prog.awk"], ""),
        (vec!["--version"], ""),
        (vec!["-x", "1"], ""),
        (vec!["{ print length }"], "abc\n\nxy z\n"),
        (vec!["BEGIN { a[10];a[9];a[1];a[2];a[\"b\"];a[\"a\"];a[\"B\"]; a[-1]; a[1.5]; for(k in a) printf \"%s \", k; print \"\" }"], ""),
        (vec!["BEGIN { n = split(\"z y x w v u t s r q p o n m l\", a); for (k in a) printf \"%s=%s \", k, a[k]; print \"\" }"], ""),
        (vec!["{ w[$1] = NR } END { for (k in w) print k, w[k] }"], "eth0\nlo\neth1\nwlan0\nbr0\nveth1\nveth2\ndocker0\ntun0\nvxlan100\n"),
        (vec!["BEGIN { for (i = 0; i < 100; i++) a[i * 37 % 101] = i; for (k in a) printf \"%s \", k; print \"\" }"], ""),
        (vec!["BEGIN { for (i = 0; i < 1000; i++) a[\"k\" i] = i; n = 0; for (k in a) { if (n++ < 20) printf \"%s \", k }; print \"\" }"], ""),
        (vec!["BEGIN { getline x < \"nofile\"; print \"r\" (getline y < \"nofile\") }"], ""),
        (vec!["BEGIN { print substr(\"hello\", 2) > \"/dev/stderr\" }"], ""),
        (vec!["-F", "[:,]", "{ print $2, NF }"], "a:b,c\nx,y:z:w\n"),
        (vec!["-F", "\\t", "{ print $2 }"], "a\tb c\td\n"),
        (vec!["-F", "|", "{ print $2 }"], "a|b|c\n"),
        (vec!["-F", ".", "{ print $2 }"], "a.b.c\n"),
        (vec!["BEGIN { FS = \",\" } { print $2 }"], "a,b,c\n1,2,3\n"),
        (vec!["{ FS = \",\"; print $1 }"], "a,b c\nd,e f\n"),
        (vec!["BEGIN { x = \"A\"; y = x++; print x, y; s = \"3x\"; print s + 1, -s, +s }"], ""),
        (vec!["BEGIN { print index(\"abc\", 98), 1e3, 1e-3, 123456789, 1234567890123, 0.000001234 }"], ""),
        (vec!["BEGIN { print -3 % 2, 7 % -3, 5.5 % 2 }"], ""),
        (vec!["{ $0 = \"x y z\"; print NF, $2 }"], "a\n"),
        (vec!["END { print $0, NF, NR }"], TEXT),
        (vec!["BEGIN { print 1==1.0, \"1\"==1, \"a\" > \"B\", 10 > 9, \"10\" > \"9\" }"], ""),
        (vec!["{ if ($2 > 10) print $1, \"big\"; else if ($2 > 5) print $1, \"mid\"; else print $1, \"small\" }"], TEXT),
        (vec!["BEGIN { printf \"a\" \"b\" \"\\n\"; printf(\"%s-%s\\n\", \"x\", \"y\") }"], ""),
        (vec!["BEGIN { print(1)(2); print (1,2) }"], ""),
        (vec!["BEGIN { x[1]=1; x=2 }"], ""),
        (vec!["BEGIN { nextfile }"], ""),
        (vec!["function f(a) { a = 1 } BEGIN { next }"], ""),
        (vec!["BEGIN { print length(12345), length(1/4) }"], ""),
        (vec!["{ $3 = \"\"; print; print NF }"], "a b c d\n"),
        (vec!["BEGIN { s = \"The Quick Fox\"; while (match(s, /[A-Z]/)) { printf \"%s@%d \", substr(s, RSTART, 1), RSTART; s = substr(s, RSTART + 1) }; print \"\" }"], ""),
        (vec!["{ for (i = NF; i > 0; i--) printf \"%s%s\", $i, (i > 1 ? OFS : ORS) }"], TEXT),
        (vec!["BEGIN { \n  x = 1\n  if (x)\n    print \"yes\"\n  else\n    print \"no\"\n  for (i = 0;\n       i < 2;\n       i++)\n    print i\n}"], ""),
        (vec!["# comment\nBEGIN { print \"a\" # trailing\n} ; END { print \"b\" }"], ""),
        (vec!["BEGIN { a = \"x\" ; a = a a a; print a; print 1 2, 3 4 }"], ""),
        (vec!["BEGIN { print substr(\"abc\", 2, 1e10), substr(\"abc\", \"x\") }"], ""),
        (vec!["BEGIN { printf \"%s %s %s\\n\", 1e6, 1e16, 123456.7 }"], ""),
        (vec!["BEGIN { printf \"%.3s|%c|%c|%5c|\\n\", 3.14159, 256 + 66, \"\", \"q\" }"], ""),
        (vec!["BEGIN { x = 0.1; y = x * 3; print y, (y == 0.3) }"], ""),
        (vec!["BEGIN { print toupper(substr(\"hello\", 1, 1)) substr(\"hello\", 2) }"], ""),
        (vec!["{ a[NR] = $0 } END { for (i = NR; i >= 1; i--) print a[i] }"], TEXT),
        (vec!["BEGIN { RS = \"\"; FS = \":\" } { print NF \": \" $1 }"], "a:b\nc:d\n\ne\n"),
        (vec!["$2 ~ /^1/ && $3 == \"x\" || $1 == \"dave\""], TEXT),
        (vec!["BEGIN { print \"a\\tb\\\\c\\\"d\\/e\\qf\\101\" }"], ""),
        (vec!["BEGIN { print 100 == \"100\", \"abc\" ~ \"b\", \"a.c\" ~ /a\\.c/, \"abc\" ~ \"a.c\" }"], ""),
        (vec!["BEGIN { $0 = \"a b c\"; $5 = \"e\"; print; print NF; $0 = \"\"; print NF }"], ""),
        (vec!["BEGIN { print -\"\", 1/0 }"], ""),
        (vec!["BEGIN { print \"x\" ~ /()/ }"], ""),
        (vec!["{ print(); print() > \"/dev/stdout\"; print ($1, $2); print ($1)($2) }"], "x y\n"),
        (vec!["{ printf() }"], "x y\n"),
        (vec!["function f() { next } { f() }"], "a\n"),
        (vec!["BEGIN { a = \"x\" b = \"y\" }"], ""),
        (vec!["BEGIN { x = 1 + y = 2 }"], ""),
        (vec!["BEGIN { x == y = 3; a || b = 4; x = 1 ? y = 2 : z = 3; print x, y, z, b }"], ""),
        (vec!["BEGIN { $0 = \"a b\"; $1 = $2 = \"z\"; x += y -= 2; print; print x, y, (q = 2) + 1 }"], ""),
        (vec!["function f() { exit 3 } { f() } END { print \"end\" }"], "a\n"),
        (vec!["BEGIN { print \"-\" ~ /[\\-]/, \"b\" ~ /[a\\-c]/, \"^\" ~ /[a^]/, \"x\" ~ /[^^]/, \"]\" ~ /[^]]/ }"], ""),
        (vec!["BEGIN { print \"]\" ~ /[\\]]/, \"\\\\\" ~ /[\\\\]/, \"[\" ~ /[[]/, \"=\" ~ /[[:alnum:]=]/ }"], ""),
        (vec!["BEGIN { print \"+x\" ~ /+x/ }"], ""),
        (vec!["BEGIN { r = \"[abc\"; print \"a\" ~ r }"], ""),
        (vec!["BEGIN { print \"a\" ~ /(ab/ }"], ""),
        (vec!["BEGIN { print \"a<b\" ~ /\\<b/, \"ab)\" ~ /ab)/, \"a{2}\" ~ /a{2}/ }"], ""),
        (vec!["function f(a) { a[1]=1; print a }"], ""),
        (vec!["function f(a) { a[1]=1 } BEGIN { x = 1; f(x) }"], ""),
        (vec!["function f(a) { return a+1 } BEGIN { f(1, 2) }"], ""),
        (vec!["function f(a) { a[1] = 1 } BEGIN { f(y); print length(y) }"], ""),
        (vec!["BEGIN { x[\"a\"] = 1; f(x) }\nfunction f(s) { print s }"], ""),
        (vec!["BEGIN { print length(x); x[1] }"], ""),
        (vec!["BEGIN { x = (1"], ""),
        (vec!["BEGIN { if (1)\n"], ""),
        (vec!["{ print $1 }}"], ""),
        (vec!["BEGIN { print ) }"], ""),
        (vec!["BEGIN { print 1 >= 0 }"], ""),
        (vec!["BEGIN { split(\"a\") }"], ""),
        (vec!["BEGIN { f = 1 } function f() {}"], ""),
        (vec!["{ print ($5 == 0), ($5 == \"\"), length($5) }"], "a b\n"),
        (vec!["BEGIN { print substr(\"hello\", 2^40) \"|\" substr(\"hello\", -2^40, 2^41) \"|\" }"], ""),
        (vec!["BEGIN { n = split(\"abc\", a, //); print n, a[1], \"\\x41\\x4a\" }"], ""),

        (vec!["BEGIN { print 1 % 0 }"], ""),
    ]
}

#[test]
fn matches_real_mawk() {
    let mut fails = Vec::new();
    let mut ran = 0;
    for (args, input) in cases() {
        ran += 1;
        if let Some(d) = differ("awk", &args, input, &[]) {
            fails.push(d);
        }
    }
    assert!(ran > 40);
    assert!(
        fails.is_empty(),
        "{} of {ran} differ:\n{}",
        fails.len(),
        fails.join("\n")
    );
}

#[test]
fn files_and_redirection() {
    let files = [
        ("a.txt", "1 one\n2 two\n3 three\n"),
        ("b.txt", "2 deux\n3 trois\n4 quatre\n"),
    ];
    let cases: Vec<Vec<&str>> = vec![
        vec!["NR==FNR { a[$1] = $2; next } $1 in a { print $1, a[$1], $2 }", "a.txt", "b.txt"],
        vec!["{ print FILENAME, FNR, NR }", "a.txt", "b.txt"],
        vec!["FNR == 1 && NR > 1 { print \"--\" } { print }", "a.txt", "b.txt"],
        vec!["BEGIN { while ((getline l < \"a.txt\") > 0) print \"got\", l; close(\"a.txt\"); getline l < \"a.txt\"; print l }"],
        vec!["{ print $2 > \"out.txt\" } END { close(\"out.txt\"); while ((getline l < \"out.txt\") > 0) print \"read\", l }", "a.txt"],
        vec!["{ print $2 >> \"b.txt\" } END { close(\"b.txt\"); while ((getline l < \"b.txt\") > 0) print l }", "a.txt"],
        vec!["{ nextfile } END { print NR }", "a.txt", "b.txt"],
        vec!["{ print }", "a.txt", "missing.txt"],
        vec!["-f", "prog.awk", "a.txt"],
        vec!["BEGIN { print \"x\" > \"nodir/out\" }"],
    ];
    let mut files = files.to_vec();
    files.push(("prog.awk", "{ print $2 }\nEND { print NR }\n"));
    let mut fails = Vec::new();
    for args in cases {
        if let Some(d) = differ("mawk", &args, "", &files) {
            fails.push(d);
        }
    }
    assert!(fails.is_empty(), "{}", fails.join("\n"));
}

#[test]
fn output_file_lands_in_fs() {
    let mut fs = MemFs::new();
    let mut ctx = Ctx::new(&mut fs, Some(b"a b\nc d\n".to_vec()));
    let rc = super::awk(&mut ctx, &["{ print $2 > \"/o.txt\" }".to_string()]);
    assert_eq!(rc, 0);
    use vnet_fs::Fs;
    assert_eq!(fs.read("/o.txt").unwrap(), b"b\nd\n");
}

#[test]
fn pipes_are_not_simulated() {
    let o = ours("awk", &["BEGIN { print \"x\" | \"sort\" }"], "", &[]);
    assert_eq!(o.rc, 2);
    assert_eq!(String::from_utf8_lossy(&o.err), super::interp::PIPES_MSG);
    let o = ours(
        "awk",
        &["BEGIN { \"date\" | getline d; print \"no\" }"],
        "",
        &[],
    );
    assert_eq!(o.rc, 2);
    assert!(o.out.is_empty());
}

#[test]
fn deep_recursion_stops() {
    let o = ours(
        "awk",
        &["function f(n) { return f(n + 1) } BEGIN { f(1) }"],
        "",
        &[],
    );
    assert_eq!(o.rc, 2);
    assert!(String::from_utf8_lossy(&o.err).contains("nesting too deep"));
    let deep = format!("BEGIN {{ x = {}1{} }}", "(".repeat(500), ")".repeat(500));
    let o = ours("awk", &[&deep], "", &[]);
    assert_eq!(o.rc, 2);
    // long left-associative chains nest the tree as deep
    for op in ["+", " ", "*", "<", "&&", "||", "~"] {
        let long = format!("BEGIN {{ x = 1{} }}", format!("{op}1").repeat(5000));
        let o = ours("awk", &[&long], "", &[]);
        assert_eq!(o.rc, 2, "{op}");
        assert!(
            String::from_utf8_lossy(&o.err).contains("program limit exceeded"),
            "{op}"
        );
    }
}

/// The worst case for the stack: the deepest recursion evaluating the
/// most deeply nested expression the parser accepts, on a 2 MiB thread
/// (a test thread's default stack) in a debug build.
#[test]
fn deepest_program_fits_a_small_stack() {
    let mut depth = 1;
    let mut ok_prog = String::new();
    // find the deepest nesting the parser accepts
    for n in (10..200).rev() {
        let p = format!(
            "function f(n) {{ if (n > 0) return f(n - 1); return {}n{} }} BEGIN {{ print f(99) }}",
            "(".repeat(n),
            ")".repeat(n)
        );
        if ours("awk", &[&p], "", &[]).rc == 0 {
            depth = n;
            ok_prog = p;
            break;
        }
    }
    assert!(depth > 30, "nesting {depth}");
    let h = std::thread::Builder::new()
        .stack_size(2 << 20)
        .spawn(move || ours("awk", &[&ok_prog], "", &[]))
        .unwrap();
    let o = h.join().unwrap();
    assert_eq!(String::from_utf8_lossy(&o.out), "0\n");
}

#[test]
fn clock_seed_is_fixed() {
    // mawk seeds from the clock; here the clock seed is 1, so runs repeat
    let o = ours(
        "awk",
        &["BEGIN { a = rand(); print srand(), srand(9), srand(); srand(1); print (rand() == a) }"],
        "",
        &[],
    );
    assert_eq!(String::from_utf8_lossy(&o.out), "1 1 9\n1\n");
}

/// Random sequences of array operations (stores, lookups, `in`, deletes,
/// loads by split, enough keys to double the hash table) must leave the
/// keys in mawk's `for (k in a)` order.
#[test]
fn array_order_matches_mawk_under_random_operations() {
    let mut seed: u64 = 0x5eed;
    let mut rnd = move |n: u64| {
        seed = seed
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        (seed >> 33) % n
    };
    let mut fails = Vec::new();
    for case in 0..12 {
        let mut ops = Vec::new();
        if rnd(3) == 0 {
            let words: Vec<String> = (0..rnd(40)).map(|i| format!("w{i}")).collect();
            ops.push(format!("n = split(\"{}\", a)", words.join(" ")));
        }
        let count = if case % 3 == 0 { 1500 } else { 80 };
        for _ in 0..count {
            let key = match rnd(5) {
                0 | 1 => format!("{}", rnd(2000) as i64 - 5),
                2 => format!("\"{}\"", rnd(300)),
                3 => format!("\"k{}\"", rnd(2000)),
                _ => format!("{}.5", rnd(20)),
            };
            ops.push(match rnd(10) {
                0..=5 => format!("a[{key}] = {}", rnd(10)),
                6 => format!("if ({key} in a) c++"),
                7 | 8 => format!("delete a[{key}]"),
                _ => format!("x = a[{key}]"),
            });
        }
        let prog = format!(
            "BEGIN {{ {}; for (k in a) printf \"%s=%s \", k, a[k]; print \"\"; print length(a), c }}",
            ops.join("; ")
        );
        if let Some(d) = differ("mawk", &[&prog], "", &[]) {
            fails.push(d.chars().take(2000).collect::<String>());
        }
    }
    assert!(fails.is_empty(), "{}", fails.join("\n"));
}

/// Random printf conversions (flags, widths, precisions, `*`) of random
/// numbers and strings, and number-to-string conversions, against mawk.
#[test]
fn printf_matches_mawk_on_random_formats() {
    let mut seed: u64 = 0xf0f0;
    let mut rnd = move |n: u64| {
        seed = seed
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        (seed >> 33) % n
    };
    const NUMS: &[&str] = &[
        "0",
        "-0",
        "0.5",
        "2.5",
        "-2.5",
        "1e-5",
        "123456789",
        "2147483648",
        "-2147483649",
        "4294967296",
        "1e300",
        "0.1",
        "999999.5",
        "9999995",
        "\"12abc\"",
        "\"\"",
        "\"0x1f\"",
        "\" 3 \"",
        "-435.2817",
        "22/7",
    ];
    let mut fails = Vec::new();
    for _ in 0..40 {
        let mut specs = Vec::new();
        let mut args = Vec::new();
        for _ in 0..=rnd(3) {
            let c = b"dioxXucseEfgG"[rnd(13) as usize] as char;
            let flags: String = (0..rnd(3))
                .map(|_| b"-+ #0"[rnd(5) as usize] as char)
                .collect();
            let width = match rnd(4) {
                0 => "*".to_string(),
                1 => rnd(12).to_string(),
                _ => String::new(),
            };
            let prec = match rnd(5) {
                0 => format!(".{}", rnd(10)),
                1 => ".".to_string(),
                2 if c != 's' && c != 'c' => ".*".to_string(),
                _ => String::new(),
            };
            for _ in 0..(width.matches('*').count() + prec.matches('*').count()) {
                args.push(format!("{}", rnd(30) as i64 - 15));
            }
            args.push(NUMS[rnd(NUMS.len() as u64) as usize].to_string());
            specs.push(format!("%{flags}{width}{prec}{c}"));
        }
        let n = NUMS[rnd(NUMS.len() as u64) as usize];
        let prog = format!(
            "BEGIN {{ printf \"{}\\n\", {}; print {n}; x = {n} \"\"; print x }}",
            specs.join("|"),
            args.join(", ")
        );
        if let Some(d) = differ("mawk", &[&prog], "", &[]) {
            fails.push(d);
        }
    }
    assert!(fails.is_empty(), "{}", fails.join("\n"));
}

#[test]
fn huge_nf_is_refused() {
    for prog in ["BEGIN { NF = 1e9 }", "BEGIN { $100000000 = 1 }"] {
        let o = ours("awk", &[prog], "", &[]);
        assert_eq!(o.rc, 2, "{prog}");
        assert!(
            String::from_utf8_lossy(&o.err).starts_with("awk: program limit exceeded"),
            "{prog}"
        );
    }
    // reading a far field allocates nothing
    let o = ours(
        "awk",
        &["{ print \"[\" $100000000 \"]\", NF }"],
        "a b\n",
        &[],
    );
    assert_eq!(String::from_utf8_lossy(&o.out), "[] 2\n");
}

#[test]
fn exit_status_is_a_byte() {
    // the kernel keeps the low 8 bits of exit(): mawk's exit 263 is 7
    assert_eq!(ours("awk", &["BEGIN { exit 256 + 7 }"], "", &[]).rc, 7);
    assert_eq!(ours("awk", &["BEGIN { exit -1 }"], "", &[]).rc, 255);
}

mod fuzz {
    use super::ours;
    use proptest::prelude::*;

    /// Pieces of awk programs, without loops or functions (so that every
    /// program ends).
    const PIECES: &[&str] = &[
        "BEGIN",
        "END",
        "{",
        "}",
        "(",
        ")",
        "[",
        "]",
        ";",
        "\n",
        ",",
        "$",
        "$0",
        "$1",
        "NF",
        "NR",
        "x",
        "a",
        "a[1]",
        "a[x]",
        "+",
        "-",
        "*",
        "/",
        "%",
        "^",
        "!",
        "=",
        "+=",
        "++",
        "--",
        "==",
        "<",
        ">",
        "!~",
        "~",
        "&&",
        "||",
        "?",
        ":",
        "in",
        "1",
        "0",
        "2.5",
        "\"s\"",
        "\"\"",
        "/re/",
        "/[a-c]+/",
        "print",
        "printf",
        "\"%d %s\\n\"",
        "getline",
        "next",
        "exit",
        "delete",
        "if",
        "else",
        "length",
        "substr(",
        "split(",
        "sub(",
        "gsub(",
        "match(",
        "sprintf(",
        "index(",
        "toupper(",
        "int(",
        "rand()",
        "srand(",
        ">",
        "\"/out\"",
        "|",
        "close(",
        "FS",
        "OFS",
        "RS",
        "\"\\\\\"",
        "\"[\"",
        "\"(\"",
    ];

    proptest! {
        #![proptest_config(ProptestConfig { cases: 300, ..ProptestConfig::default() })]
        #[test]
        fn random_programs_never_panic(
            picks in prop::collection::vec(0..PIECES.len(), 0..30),
            input in "[a-c0-9 :\\n]{0,40}",
        ) {
            let prog: Vec<&str> = picks.iter().map(|&i| PIECES[i]).collect();
            let prog = prog.join(" ");
            let o = ours("awk", &[&prog], &input, &[]);
            prop_assert!((0..=255).contains(&o.rc), "rc {} for {:?}", o.rc, prog);
        }

        #[test]
        fn random_regexes_never_panic(re in "[a-c()|*+?\\[\\]^$.\\\\{}-]{0,12}", input in "[a-c\\]\\[]{0,12}") {
            let prog = "{ r = $0; print match(\"".to_string() + &input.replace('\\', "") + "\", r); gsub(r, \"x\"); n = split($0, p, r) }";
            let _ = ours("awk", &[&prog], &format!("{re}\n"), &[]);
        }
    }
}
