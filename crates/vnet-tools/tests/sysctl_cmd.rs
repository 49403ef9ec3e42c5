//! `sysctl` against transcripts recorded from procps-ng 4.0.2 (Debian 12)
//! on a real kernel (6.18), replayed on the simulated kernel.

#[path = "ifconfig_common.rs"]
mod common;
use common::{replay, Lab};

/// Reads and writes in dotted and slash form, several keys, -n -b -N -e -q
/// -w --dry-run, -a with -r patterns, -p files (comments, bad lines, globs,
/// exclusions), --system on a default Debian, and every error and usage path.
const FORMS: &str = r####"$ ip link add v0 type veth peer name v1
$ sysctl net.ipv4.conf.v0.forwarding net.ipv4.ip_default_ttl
net.ipv4.conf.v0.forwarding = 0
net.ipv4.ip_default_ttl = 64
$ sysctl net.ipv4.nosuch net.ipv4.nosuch2
[stderr]
sysctl: cannot stat /proc/sys/net/ipv4/nosuch: No such file or directory
sysctl: cannot stat /proc/sys/net/ipv4/nosuch2: No such file or directory
[exit 2]
$ sysctl net.ipv4.nosuch net.ipv4.ip_forward
net.ipv4.ip_forward = 0
[stderr]
sysctl: cannot stat /proc/sys/net/ipv4/nosuch: No such file or directory
[exit 1]
$ sysctl net.ipv4.ip_forward=1
net.ipv4.ip_forward = 1
$ sysctl -w net.ipv4.ip_forward=1 net.ipv4.ip_default_ttl=65
net.ipv4.ip_forward = 1
net.ipv4.ip_default_ttl = 65
$ sysctl -w net.ipv4.ip_forward = 1
[stderr]
sysctl: command line(0): invalid syntax, continuing...
[exit 1]
$ sysctl -w net.ipv4.ip_forward= 0
[stderr]
sysctl: setting key "net.ipv4.ip_forward": Invalid argument
[exit 1]
$ sysctl -w "net.ipv4.ip_forward = 1"
net.ipv4.ip_forward = 1
$ sysctl -w net.ipv4.ip_forward=01
net.ipv4.ip_forward = 01
$ sysctl net.ipv4.ip_forward
net.ipv4.ip_forward = 1
$ sysctl -w net.ipv4.nosuch=1
[stderr]
sysctl: cannot stat /proc/sys/net/ipv4/nosuch: No such file or directory
[exit 1]
$ sysctl -e net.ipv4.nosuch
$ sysctl -e -w net.ipv4.nosuch=1
$ sysctl -N net.ipv4.ip_forward
net.ipv4.ip_forward
$ sysctl -b net.ipv4.ip_forward
1
$ sysctl -n net.ipv4.ip_local_port_range
32768	60999
$ sysctl net.ipv4.ip_local_port_range
net.ipv4.ip_local_port_range = 32768	60999
$ sysctl -w net.ipv4.ip_local_port_range="10000 20000"
net.ipv4.ip_local_port_range = 10000 20000
$ sysctl net.ipv4.ip_local_port_range
net.ipv4.ip_local_port_range = 10000	20000
$ sysctl net/ipv4/conf/v0/rp_filter
net.ipv4.conf.v0.rp_filter = 0
$ sysctl net.ipv4.conf.v0/rp_filter
[stderr]
sysctl: cannot stat /proc/sys/net/ipv4/conf/v0.rp_filter: No such file or directory
[exit 1]
$ sysctl -a -r 'ip_forward$'
net.ipv4.ip_forward = 1
$ sysctl -ar '\.rp_filter'
net.ipv4.conf.all.rp_filter = 0
net.ipv4.conf.default.rp_filter = 0
net.ipv4.conf.lo.rp_filter = 0
net.ipv4.conf.v0.rp_filter = 0
net.ipv4.conf.v1.rp_filter = 0
$ sysctl -a -N -r 'conf\.(all|lo)\.(arp|rp)_filter$'
net.ipv4.conf.all.arp_filter
net.ipv4.conf.all.rp_filter
net.ipv4.conf.lo.arp_filter
net.ipv4.conf.lo.rp_filter
$ sysctl -x net.ipv4.ip_forward
net.ipv4.ip_forward = 1
$ sysctl --version
sysctl from procps-ng 4.0.2
$ sysctl -q net.ipv4.ip_forward
net.ipv4.ip_forward = 1
$ sysctl -w
[stderr]
sysctl: no variables specified
Try `sysctl --help' for more information.
[exit 1]
$ sysctl -N -q net.ipv4.ip_forward
[stderr]
sysctl: options -N and -q cannot coexist
Try `sysctl --help' for more information.
[exit 1]
$ sysctl -n net.ipv4.ip_forward net.ipv4.ip_default_ttl
1
65
$ sysctl net.ipv4.ip_forward -n
1
$ sysctl -w net.ipv4=1
[stderr]
sysctl: setting key "net.ipv4": Invalid argument
$ sysctl -w net.ipv4.ip_forward=
[stderr]
sysctl: setting key "net.ipv4.ip_forward": Invalid argument
[exit 1]
$ sysctl ""
[stderr]
sysctl: "" is an unknown key
[exit 255]
$ sysctl net.ipv4.conf.all.forwarding=1
net.ipv4.conf.all.forwarding = 1
$ sysctl net.ipv4.conf.v0.forwarding net.ipv4.conf.default.forwarding net.ipv4.ip_forward
net.ipv4.conf.v0.forwarding = 1
net.ipv4.conf.default.forwarding = 1
net.ipv4.ip_forward = 1
$ sysctl net.ipv4.conf.v0.forwarding=0
net.ipv4.conf.v0.forwarding = 0
$ sysctl net.ipv4.conf.all.forwarding net.ipv4.ip_forward
net.ipv4.conf.all.forwarding = 1
net.ipv4.ip_forward = 1
$ sysctl --dry-run -w net.ipv4.ip_forward=0
net.ipv4.ip_forward = 0
$ sysctl -n net.ipv4.ip_forward
1
$ printf 'net.ipv4.ip_forward = 0\n# c\n; c2\nnet.ipv4.ip_default_ttl=63\nbad line\n-net.ipv4.nosuch = 1\nnet.ipv4.nosuch2 = 1\n\nnet.ipv4.conf.*.rp_filter = 1\n-net.ipv4.conf.lo.rp_filter\n' > s.conf
$ sysctl -p s.conf
net.ipv4.ip_forward = 0
net.ipv4.ip_default_ttl = 63
net.ipv4.conf.all.rp_filter = 1
net.ipv4.conf.default.rp_filter = 1
net.ipv4.conf.v0.rp_filter = 1
net.ipv4.conf.v1.rp_filter = 1
[stderr]
sysctl: s.conf(5): invalid syntax, continuing...
sysctl: cannot stat /proc/sys/net/ipv4/nosuch: No such file or directory
sysctl: cannot stat /proc/sys/net/ipv4/nosuch2: No such file or directory
[exit 1]
$ sysctl net.ipv4.ip_forward net.ipv4.ip_default_ttl net.ipv4.conf.lo.rp_filter net.ipv4.conf.v1.rp_filter
net.ipv4.ip_forward = 0
net.ipv4.ip_default_ttl = 63
net.ipv4.conf.lo.rp_filter = 0
net.ipv4.conf.v1.rp_filter = 1
$ sysctl -p nosuchfile.conf
[stderr]
sysctl: cannot open "nosuchfile.conf": No such file or directory
[exit 1]
$ sysctl -pnosuchfile.conf
[stderr]
sysctl: cannot open "nosuchfile.conf": No such file or directory
[exit 1]
$ sysctl --load=nosuchfile.conf
[stderr]
sysctl: cannot open "nosuchfile.conf": No such file or directory
[exit 1]
$ sysctl -p
$ sysctl --system
* Applying /usr/lib/sysctl.d/50-pid-max.conf ...
* Applying /usr/lib/sysctl.d/99-protect-links.conf ...
* Applying /etc/sysctl.d/99-sysctl.conf ...
* Applying /etc/sysctl.conf ...
kernel.pid_max = 4194304
fs.protected_fifos = 1
fs.protected_hardlinks = 1
fs.protected_regular = 2
fs.protected_symlinks = 1
$ sysctl -Z

Usage:
 sysctl [options] [variable[=value] ...]

Options:
  -a, --all            display all variables
  -A                   alias of -a
  -X                   alias of -a
      --deprecated     include deprecated parameters to listing
      --dry-run        Print the key and values but do not write
  -b, --binary         print value without new line
  -e, --ignore         ignore unknown variables errors
  -N, --names          print variable names without values
  -n, --values         print only values of the given variable(s)
  -p, --load[=<file>]  read values from file
  -f                   alias of -p
      --system         read values from all system directories
  -r, --pattern <expression>
                       select setting that match expression
  -q, --quiet          do not echo variable set
  -w, --write          enable writing a value to variable
  -o                   does nothing
  -x                   does nothing
  -d                   alias of -h

 -h, --help     display this help and exit
 -V, --version  output version information and exit

For more details see sysctl(8).
[stderr]
sysctl: invalid option -- 'Z'
$ sysctl --bogus

Usage:
 sysctl [options] [variable[=value] ...]

Options:
  -a, --all            display all variables
  -A                   alias of -a
  -X                   alias of -a
      --deprecated     include deprecated parameters to listing
      --dry-run        Print the key and values but do not write
  -b, --binary         print value without new line
  -e, --ignore         ignore unknown variables errors
  -N, --names          print variable names without values
  -n, --values         print only values of the given variable(s)
  -p, --load[=<file>]  read values from file
  -f                   alias of -p
      --system         read values from all system directories
  -r, --pattern <expression>
                       select setting that match expression
  -q, --quiet          do not echo variable set
  -w, --write          enable writing a value to variable
  -o                   does nothing
  -x                   does nothing
  -d                   alias of -h

 -h, --help     display this help and exit
 -V, --version  output version information and exit

For more details see sysctl(8).
[stderr]
sysctl: unrecognized option '--bogus'
$ sysctl --d

Usage:
 sysctl [options] [variable[=value] ...]

Options:
  -a, --all            display all variables
  -A                   alias of -a
  -X                   alias of -a
      --deprecated     include deprecated parameters to listing
      --dry-run        Print the key and values but do not write
  -b, --binary         print value without new line
  -e, --ignore         ignore unknown variables errors
  -N, --names          print variable names without values
  -n, --values         print only values of the given variable(s)
  -p, --load[=<file>]  read values from file
  -f                   alias of -p
      --system         read values from all system directories
  -r, --pattern <expression>
                       select setting that match expression
  -q, --quiet          do not echo variable set
  -w, --write          enable writing a value to variable
  -o                   does nothing
  -x                   does nothing
  -d                   alias of -h

 -h, --help     display this help and exit
 -V, --version  output version information and exit

For more details see sysctl(8).
[stderr]
sysctl: option '--d' is ambiguous; possibilities: '--deprecated' '--dry-run'
$ sysctl -r

Usage:
 sysctl [options] [variable[=value] ...]

Options:
  -a, --all            display all variables
  -A                   alias of -a
  -X                   alias of -a
      --deprecated     include deprecated parameters to listing
      --dry-run        Print the key and values but do not write
  -b, --binary         print value without new line
  -e, --ignore         ignore unknown variables errors
  -N, --names          print variable names without values
  -n, --values         print only values of the given variable(s)
  -p, --load[=<file>]  read values from file
  -f                   alias of -p
      --system         read values from all system directories
  -r, --pattern <expression>
                       select setting that match expression
  -q, --quiet          do not echo variable set
  -w, --write          enable writing a value to variable
  -o                   does nothing
  -x                   does nothing
  -d                   alias of -h

 -h, --help     display this help and exit
 -V, --version  output version information and exit

For more details see sysctl(8).
[stderr]
sysctl: option requires an argument -- 'r'
$ sysctl --all=1

Usage:
 sysctl [options] [variable[=value] ...]

Options:
  -a, --all            display all variables
  -A                   alias of -a
  -X                   alias of -a
      --deprecated     include deprecated parameters to listing
      --dry-run        Print the key and values but do not write
  -b, --binary         print value without new line
  -e, --ignore         ignore unknown variables errors
  -N, --names          print variable names without values
  -n, --values         print only values of the given variable(s)
  -p, --load[=<file>]  read values from file
  -f                   alias of -p
      --system         read values from all system directories
  -r, --pattern <expression>
                       select setting that match expression
  -q, --quiet          do not echo variable set
  -w, --write          enable writing a value to variable
  -o                   does nothing
  -x                   does nothing
  -d                   alias of -h

 -h, --help     display this help and exit
 -V, --version  output version information and exit

For more details see sysctl(8).
[stderr]
sysctl: option '--all' doesn't allow an argument
$ sysctl -h

Usage:
 sysctl [options] [variable[=value] ...]

Options:
  -a, --all            display all variables
  -A                   alias of -a
  -X                   alias of -a
      --deprecated     include deprecated parameters to listing
      --dry-run        Print the key and values but do not write
  -b, --binary         print value without new line
  -e, --ignore         ignore unknown variables errors
  -N, --names          print variable names without values
  -n, --values         print only values of the given variable(s)
  -p, --load[=<file>]  read values from file
  -f                   alias of -p
      --system         read values from all system directories
  -r, --pattern <expression>
                       select setting that match expression
  -q, --quiet          do not echo variable set
  -w, --write          enable writing a value to variable
  -o                   does nothing
  -x                   does nothing
  -d                   alias of -h

 -h, --help     display this help and exit
 -V, --version  output version information and exit

For more details see sysctl(8).
$ sysctl
[stderr]

Usage:
 sysctl [options] [variable[=value] ...]

Options:
  -a, --all            display all variables
  -A                   alias of -a
  -X                   alias of -a
      --deprecated     include deprecated parameters to listing
      --dry-run        Print the key and values but do not write
  -b, --binary         print value without new line
  -e, --ignore         ignore unknown variables errors
  -N, --names          print variable names without values
  -n, --values         print only values of the given variable(s)
  -p, --load[=<file>]  read values from file
  -f                   alias of -p
      --system         read values from all system directories
  -r, --pattern <expression>
                       select setting that match expression
  -q, --quiet          do not echo variable set
  -w, --write          enable writing a value to variable
  -o                   does nothing
  -x                   does nothing
  -d                   alias of -h

 -h, --help     display this help and exit
 -V, --version  output version information and exit

For more details see sysctl(8).
[exit 1]
"####;

#[test]
fn sysctl_forms_match_procps() {
    replay(FORMS, &["sysctl"]);
}

/// The scenario the golden tests record (tests/scenarios/f16_sysctl.sh):
/// namespaces have their own values.
#[test]
fn sysctl_golden_f16_matches() {
    replay(
        include_str!("../../../tests/golden/f16_sysctl.out"),
        &["sysctl"],
    );
}

/// Writes land in the namespace the command runs in.
#[test]
fn writes_reach_the_namespace_of_the_command() {
    let mut lab = Lab::new();
    assert_eq!(lab.run("ip netns add a").1, 0);
    assert_eq!(
        lab.run("ip netns exec a sysctl -w net.ipv4.ip_forward=1").2,
        "net.ipv4.ip_forward = 1\n"
    );
    let a = lab.m.world.netns_by_name("a").unwrap();
    assert!(lab.m.world.ns(a).sysctl.ip_forward());
    assert!(!lab.m.world.ns(0).sysctl.ip_forward());
}
