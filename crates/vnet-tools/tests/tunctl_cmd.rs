//! `tunctl` against transcripts recorded from uml-utilities' tunctl
//! (Debian 12) on a real kernel, replayed on the simulated kernel.

#[path = "bridge_common.rs"]
mod common;
use common::Lab;
use vnet_core::dev::DevKind;

/// tests/scenarios/f03_tunctl.sh, recorded on Linux 6.18.
const F03_TUNCTL: &str = r##"$ tunctl help
[stderr]
Create: tunctl [-b] [-u owner] [-g group] [-t device-name] [-f tun-clone-device]
Delete: tunctl -d device-name [-f tun-clone-device]

The default tun clone device is /dev/net/tun - some systems use
/dev/misc/net/tun instead

-b will result in brief output (just the device name)
[exit 1]
$ tunctl -t tap0
Set 'tap0' persistent and owned by uid 0
$ tunctl -b -t tap1
tap1
$ tunctl
Set 'tap2' persistent and owned by uid 0
$ tunctl -u 4242 -t tap3
Set 'tap3' persistent and owned by uid 4242
$ tunctl -g 4343 -t tap4
Set 'tap4' persistent and owned by gid 4343
$ ip tuntap list
tap0: tap persist user 0
tap1: tap persist user 0
tap2: tap persist user 0
tap3: tap persist user 4242
tap4: tap persist group 4343
$ ip tuntap show
tap0: tap persist user 0
tap1: tap persist user 0
tap2: tap persist user 0
tap3: tap persist user 4242
tap4: tap persist group 4343
$ ip link
1: lo: <LOOPBACK,UP,LOWER_UP> mtu 65536 qdisc noqueue state UNKNOWN mode DEFAULT group default qlen 1000
    link/loopback 00:00:00:00:00:00 brd 00:00:00:00:00:00
2: tap0: <BROADCAST,MULTICAST> mtu 1500 qdisc noop state DOWN mode DEFAULT group default qlen 1000
    link/ether ca:40:10:c2:d4:41 brd ff:ff:ff:ff:ff:ff
3: tap1: <BROADCAST,MULTICAST> mtu 1500 qdisc noop state DOWN mode DEFAULT group default qlen 1000
    link/ether 12:d0:af:d3:f8:ae brd ff:ff:ff:ff:ff:ff
4: tap2: <BROADCAST,MULTICAST> mtu 1500 qdisc noop state DOWN mode DEFAULT group default qlen 1000
    link/ether 4a:8d:82:e5:ee:0b brd ff:ff:ff:ff:ff:ff
5: tap3: <BROADCAST,MULTICAST> mtu 1500 qdisc noop state DOWN mode DEFAULT group default qlen 1000
    link/ether de:84:b5:c4:6d:b9 brd ff:ff:ff:ff:ff:ff
6: tap4: <BROADCAST,MULTICAST> mtu 1500 qdisc noop state DOWN mode DEFAULT group default qlen 1000
    link/ether be:35:24:39:d8:c7 brd ff:ff:ff:ff:ff:ff
$ ip -br link
lo               UNKNOWN        00:00:00:00:00:00 <LOOPBACK,UP,LOWER_UP> 
tap0             DOWN           ca:40:10:c2:d4:41 <BROADCAST,MULTICAST> 
tap1             DOWN           12:d0:af:d3:f8:ae <BROADCAST,MULTICAST> 
tap2             DOWN           4a:8d:82:e5:ee:0b <BROADCAST,MULTICAST> 
tap3             DOWN           de:84:b5:c4:6d:b9 <BROADCAST,MULTICAST> 
tap4             DOWN           be:35:24:39:d8:c7 <BROADCAST,MULTICAST> 
$ ip -d link show tap0
2: tap0: <BROADCAST,MULTICAST> mtu 1500 qdisc noop state DOWN mode DEFAULT group default qlen 1000
    link/ether ca:40:10:c2:d4:41 brd ff:ff:ff:ff:ff:ff promiscuity 0  allmulti 0 minmtu 68 maxmtu 65521 
    tun type tap pi off vnet_hdr off persist on user root addrgenmode eui64 numtxqueues 1 numrxqueues 1 gso_max_size 65536 gso_max_segs 65535 tso_max_size 65536 tso_max_segs 65535 gro_max_size 65536 
$ ip -d link show tap3
5: tap3: <BROADCAST,MULTICAST> mtu 1500 qdisc noop state DOWN mode DEFAULT group default qlen 1000
    link/ether de:84:b5:c4:6d:b9 brd ff:ff:ff:ff:ff:ff promiscuity 0  allmulti 0 minmtu 68 maxmtu 65521 
    tun type tap pi off vnet_hdr off persist on user 4242 addrgenmode eui64 numtxqueues 1 numrxqueues 1 gso_max_size 65536 gso_max_segs 65535 tso_max_size 65536 tso_max_segs 65535 gro_max_size 65536 
$ ifconfig tap0
tap0: flags=4098<BROADCAST,MULTICAST>  mtu 1500
        ether ca:40:10:c2:d4:41  txqueuelen 1000  (Ethernet)
        RX packets 0  bytes 0 (0.0 B)
        RX errors 0  dropped 0  overruns 0  frame 0
        TX packets 0  bytes 0 (0.0 B)
        TX errors 0  dropped 0 overruns 0  carrier 0  collisions 0

$ ip link set tap0 up
$ ip link show tap0
2: tap0: <NO-CARRIER,BROADCAST,MULTICAST,UP> mtu 1500 qdisc pfifo_fast state DOWN mode DEFAULT group default qlen 1000
    link/ether ca:40:10:c2:d4:41 brd ff:ff:ff:ff:ff:ff
$ ip -br link show tap0
tap0             DOWN           ca:40:10:c2:d4:41 <NO-CARRIER,BROADCAST,MULTICAST,UP> 
$ ip addr add 192.168.10.1/24 dev tap0
$ ip addr show tap0
2: tap0: <NO-CARRIER,BROADCAST,MULTICAST,UP> mtu 1500 qdisc pfifo_fast state DOWN group default qlen 1000
    link/ether ca:40:10:c2:d4:41 brd ff:ff:ff:ff:ff:ff
    inet 192.168.10.1/24 scope global tap0
       valid_lft forever preferred_lft forever
$ ip -br addr show tap0
tap0             DOWN           192.168.10.1/24 
$ ip route
192.168.10.0/24 dev tap0 proto kernel scope link src 192.168.10.1 linkdown 
$ ip -j link show tap0
[{"ifindex":2,"ifname":"tap0","flags":["NO-CARRIER","BROADCAST","MULTICAST","UP"],"mtu":1500,"qdisc":"pfifo_fast","operstate":"DOWN","linkmode":"DEFAULT","group":"default","txqlen":1000,"link_type":"ether","address":"ca:40:10:c2:d4:41","broadcast":"ff:ff:ff:ff:ff:ff"}]
$ ifconfig tap0
tap0: flags=4099<UP,BROADCAST,MULTICAST>  mtu 1500
        inet 192.168.10.1  netmask 255.255.255.0  broadcast 0.0.0.0
        ether ca:40:10:c2:d4:41  txqueuelen 1000  (Ethernet)
        RX packets 0  bytes 0 (0.0 B)
        RX errors 0  dropped 0  overruns 0  frame 0
        TX packets 0  bytes 0 (0.0 B)
        TX errors 0  dropped 0 overruns 0  carrier 0  collisions 0

$ tunctl -d tap1
Set 'tap1' nonpersistent
$ tunctl -d tap0
Set 'tap0' nonpersistent
$ ip link
1: lo: <LOOPBACK,UP,LOWER_UP> mtu 65536 qdisc noqueue state UNKNOWN mode DEFAULT group default qlen 1000
    link/loopback 00:00:00:00:00:00 brd 00:00:00:00:00:00
4: tap2: <BROADCAST,MULTICAST> mtu 1500 qdisc noop state DOWN mode DEFAULT group default qlen 1000
    link/ether 4a:8d:82:e5:ee:0b brd ff:ff:ff:ff:ff:ff
5: tap3: <BROADCAST,MULTICAST> mtu 1500 qdisc noop state DOWN mode DEFAULT group default qlen 1000
    link/ether de:84:b5:c4:6d:b9 brd ff:ff:ff:ff:ff:ff
6: tap4: <BROADCAST,MULTICAST> mtu 1500 qdisc noop state DOWN mode DEFAULT group default qlen 1000
    link/ether be:35:24:39:d8:c7 brd ff:ff:ff:ff:ff:ff
$ ip tuntap list
tap2: tap persist user 0
tap3: tap persist user 4242
tap4: tap persist group 4343
"##;

/// Options, owners, names and errors, recorded on Linux 6.18.
const OPTIONS: &str = r##"$ tunctl -h
[stderr]
tunctl: invalid option -- 'h'
Create: tunctl [-b] [-u owner] [-g group] [-t device-name] [-f tun-clone-device]
Delete: tunctl -d device-name [-f tun-clone-device]

The default tun clone device is /dev/net/tun - some systems use
/dev/misc/net/tun instead

-b will result in brief output (just the device name)
[exit 1]
$ tunctl -x
[stderr]
tunctl: invalid option -- 'x'
Create: tunctl [-b] [-u owner] [-g group] [-t device-name] [-f tun-clone-device]
Delete: tunctl -d device-name [-f tun-clone-device]

The default tun clone device is /dev/net/tun - some systems use
/dev/misc/net/tun instead

-b will result in brief output (just the device name)
[exit 1]
$ tunctl -t
[stderr]
tunctl: option requires an argument -- 't'
Create: tunctl [-b] [-u owner] [-g group] [-t device-name] [-f tun-clone-device]
Delete: tunctl -d device-name [-f tun-clone-device]

The default tun clone device is /dev/net/tun - some systems use
/dev/misc/net/tun instead

-b will result in brief output (just the device name)
[exit 1]
$ tunctl -t tap0 extra
[stderr]
Create: tunctl [-b] [-u owner] [-g group] [-t device-name] [-f tun-clone-device]
Delete: tunctl -d device-name [-f tun-clone-device]

The default tun clone device is /dev/net/tun - some systems use
/dev/misc/net/tun instead

-b will result in brief output (just the device name)
[exit 1]
$ tunctl -b
tap0
$ tunctl -t tap0
Set 'tap0' persistent and owned by uid 0
$ tunctl -n -t tun0
[stderr]
tunctl: invalid option -- 'n'
Create: tunctl [-b] [-u owner] [-g group] [-t device-name] [-f tun-clone-device]
Delete: tunctl -d device-name [-f tun-clone-device]

The default tun clone device is /dev/net/tun - some systems use
/dev/misc/net/tun instead

-b will result in brief output (just the device name)
[exit 1]
$ tunctl -p -t tap5
[stderr]
tunctl: invalid option -- 'p'
Create: tunctl [-b] [-u owner] [-g group] [-t device-name] [-f tun-clone-device]
Delete: tunctl -d device-name [-f tun-clone-device]

The default tun clone device is /dev/net/tun - some systems use
/dev/misc/net/tun instead

-b will result in brief output (just the device name)
[exit 1]
$ tunctl -u root -t tap6
Set 'tap6' persistent and owned by uid 0
$ tunctl -u nosuchuser -t tap7
[stderr]
'nosuchuser' is neither a username nor a numeric uid.
Create: tunctl [-b] [-u owner] [-g group] [-t device-name] [-f tun-clone-device]
Delete: tunctl -d device-name [-f tun-clone-device]

The default tun clone device is /dev/net/tun - some systems use
/dev/misc/net/tun instead

-b will result in brief output (just the device name)
[exit 1]
$ tunctl -g root -t tap8
Set 'tap8' persistent and owned by gid 0
$ tunctl -g nosuchgroup -t tap9
[stderr]
'nosuchgroup' is neither a groupname nor a numeric group.
Create: tunctl [-b] [-u owner] [-g group] [-t device-name] [-f tun-clone-device]
Delete: tunctl -d device-name [-f tun-clone-device]

The default tun clone device is /dev/net/tun - some systems use
/dev/misc/net/tun instead

-b will result in brief output (just the device name)
[exit 1]
$ tunctl -u 1000 -g 1000 -t tap10
Set 'tap10' persistent and owned by uid 1000 gid 1000
$ tunctl -u abc12 -t tap11
[stderr]
'abc12' is neither a username nor a numeric uid.
Create: tunctl [-b] [-u owner] [-g group] [-t device-name] [-f tun-clone-device]
Delete: tunctl -d device-name [-f tun-clone-device]

The default tun clone device is /dev/net/tun - some systems use
/dev/misc/net/tun instead

-b will result in brief output (just the device name)
[exit 1]
$ tunctl -u 12abc -t tap12
[stderr]
'12abc' is neither a username nor a numeric uid.
Create: tunctl [-b] [-u owner] [-g group] [-t device-name] [-f tun-clone-device]
Delete: tunctl -d device-name [-f tun-clone-device]

The default tun clone device is /dev/net/tun - some systems use
/dev/misc/net/tun instead

-b will result in brief output (just the device name)
[exit 1]
$ tunctl -g 12abc -t tap13
[stderr]
'12abc' is neither a groupname nor a numeric group.
Create: tunctl [-b] [-u owner] [-g group] [-t device-name] [-f tun-clone-device]
Delete: tunctl -d device-name [-f tun-clone-device]

The default tun clone device is /dev/net/tun - some systems use
/dev/misc/net/tun instead

-b will result in brief output (just the device name)
[exit 1]
$ tunctl -t tap0
Set 'tap0' persistent and owned by uid 0
$ tunctl -t lo
[stderr]
TUNSETIFF: Invalid argument
[exit 1]
$ tunctl -d nosuch
Set 'nosuch' nonpersistent
$ tunctl -d lo
[stderr]
TUNSETIFF: Invalid argument
[exit 1]
$ tunctl -d tun0
Set 'tun0' nonpersistent
$ tunctl -d
[stderr]
tunctl: option requires an argument -- 'd'
Create: tunctl [-b] [-u owner] [-g group] [-t device-name] [-f tun-clone-device]
Delete: tunctl -d device-name [-f tun-clone-device]

The default tun clone device is /dev/net/tun - some systems use
/dev/misc/net/tun instead

-b will result in brief output (just the device name)
[exit 1]
$ tunctl -t 'a b'
[stderr]
TUNSETIFF: Invalid argument
[exit 1]
$ tunctl -t abcdefghijklmnopqrstu
Set 'abcdefghijklmno' persistent and owned by uid 0
$ tunctl -t tap%d
Set 'tap1' persistent and owned by uid 0
$ tunctl -t tun%d
Set 'tun0' persistent and owned by uid 0
$ tunctl -n
[stderr]
tunctl: invalid option -- 'n'
Create: tunctl [-b] [-u owner] [-g group] [-t device-name] [-f tun-clone-device]
Delete: tunctl -d device-name [-f tun-clone-device]

The default tun clone device is /dev/net/tun - some systems use
/dev/misc/net/tun instead

-b will result in brief output (just the device name)
[exit 1]
$ tunctl
Set 'tap2' persistent and owned by uid 0
$ tunctl -b
tap3
$ tunctl -f /dev/nosuch -t x
[stderr]
Failed to open '/dev/nosuch' : No such file or directory
[exit 1]
$ tunctl -d tap0 -t tap1
Set 'tap1' nonpersistent
$ tunctl -t tap0 -d tap1
Set 'tap1' nonpersistent
$ ip tuntap list
tap0: tap persist user 0
tap6: tap persist user 0
tap8: tap persist group 0
tap10: tap persist user 1000 group 1000
abcdefghijklmno: tap persist user 0
tun0: tap persist user 0
tap2: tap persist user 0
tap3: tap persist user 0
$ ip link
1: lo: <LOOPBACK,UP,LOWER_UP> mtu 65536 qdisc noqueue state UNKNOWN mode DEFAULT group default qlen 1000
    link/loopback 00:00:00:00:00:00 brd 00:00:00:00:00:00
2: tap0: <BROADCAST,MULTICAST> mtu 1500 qdisc noop state DOWN mode DEFAULT group default qlen 1000
    link/ether f2:e7:cd:c3:6e:eb brd ff:ff:ff:ff:ff:ff
3: tap6: <BROADCAST,MULTICAST> mtu 1500 qdisc noop state DOWN mode DEFAULT group default qlen 1000
    link/ether a6:f4:20:ea:75:1a brd ff:ff:ff:ff:ff:ff
4: tap8: <BROADCAST,MULTICAST> mtu 1500 qdisc noop state DOWN mode DEFAULT group default qlen 1000
    link/ether a2:e5:38:df:ee:a1 brd ff:ff:ff:ff:ff:ff
5: tap10: <BROADCAST,MULTICAST> mtu 1500 qdisc noop state DOWN mode DEFAULT group default qlen 1000
    link/ether 8e:96:1c:0b:eb:20 brd ff:ff:ff:ff:ff:ff
8: abcdefghijklmno: <BROADCAST,MULTICAST> mtu 1500 qdisc noop state DOWN mode DEFAULT group default qlen 1000
    link/ether 1a:3f:b9:aa:91:3b brd ff:ff:ff:ff:ff:ff
10: tun0: <BROADCAST,MULTICAST> mtu 1500 qdisc noop state DOWN mode DEFAULT group default qlen 1000
    link/ether 86:0e:90:6a:84:3b brd ff:ff:ff:ff:ff:ff
11: tap2: <BROADCAST,MULTICAST> mtu 1500 qdisc noop state DOWN mode DEFAULT group default qlen 1000
    link/ether c6:e0:50:25:08:20 brd ff:ff:ff:ff:ff:ff
12: tap3: <BROADCAST,MULTICAST> mtu 1500 qdisc noop state DOWN mode DEFAULT group default qlen 1000
    link/ether aa:f9:63:00:45:76 brd ff:ff:ff:ff:ff:ff
$ ip link set tap5 up
[stderr]
Cannot find device "tap5"
[exit 1]
$ tunctl -d tap5
Set 'tap5' nonpersistent
$ ip link
1: lo: <LOOPBACK,UP,LOWER_UP> mtu 65536 qdisc noqueue state UNKNOWN mode DEFAULT group default qlen 1000
    link/loopback 00:00:00:00:00:00 brd 00:00:00:00:00:00
2: tap0: <BROADCAST,MULTICAST> mtu 1500 qdisc noop state DOWN mode DEFAULT group default qlen 1000
    link/ether f2:e7:cd:c3:6e:eb brd ff:ff:ff:ff:ff:ff
3: tap6: <BROADCAST,MULTICAST> mtu 1500 qdisc noop state DOWN mode DEFAULT group default qlen 1000
    link/ether a6:f4:20:ea:75:1a brd ff:ff:ff:ff:ff:ff
4: tap8: <BROADCAST,MULTICAST> mtu 1500 qdisc noop state DOWN mode DEFAULT group default qlen 1000
    link/ether a2:e5:38:df:ee:a1 brd ff:ff:ff:ff:ff:ff
5: tap10: <BROADCAST,MULTICAST> mtu 1500 qdisc noop state DOWN mode DEFAULT group default qlen 1000
    link/ether 8e:96:1c:0b:eb:20 brd ff:ff:ff:ff:ff:ff
8: abcdefghijklmno: <BROADCAST,MULTICAST> mtu 1500 qdisc noop state DOWN mode DEFAULT group default qlen 1000
    link/ether 1a:3f:b9:aa:91:3b brd ff:ff:ff:ff:ff:ff
10: tun0: <BROADCAST,MULTICAST> mtu 1500 qdisc noop state DOWN mode DEFAULT group default qlen 1000
    link/ether 86:0e:90:6a:84:3b brd ff:ff:ff:ff:ff:ff
11: tap2: <BROADCAST,MULTICAST> mtu 1500 qdisc noop state DOWN mode DEFAULT group default qlen 1000
    link/ether c6:e0:50:25:08:20 brd ff:ff:ff:ff:ff:ff
12: tap3: <BROADCAST,MULTICAST> mtu 1500 qdisc noop state DOWN mode DEFAULT group default qlen 1000
    link/ether aa:f9:63:00:45:76 brd ff:ff:ff:ff:ff:ff
$ ip link add v0 type veth peer name v0p
$ tunctl -t v0
[stderr]
TUNSETIFF: Invalid argument
[exit 1]
$ tunctl -d v0
[stderr]
TUNSETIFF: Invalid argument
[exit 1]
"##;

#[test]
fn f03_tunctl_scenario() {
    let mut lab = Lab::new();
    lab.replay(F03_TUNCTL, &[]);
    lab.finish();
}

#[test]
fn options_owners_and_errors() {
    let mut lab = Lab::new();
    lab.replay(OPTIONS, &[]);
    lab.finish();
}

#[test]
fn creates_persistent_taps_with_owner_and_group() {
    let mut lab = Lab::new();
    lab.replay(
        "$ tunctl -u 1000 -g 1000 -t tap10\nSet 'tap10' persistent and owned by uid 1000 gid 1000\n\
         $ tunctl -g users\nSet 'tap0' persistent and owned by gid 100\n",
        &[],
    );
    lab.finish();
    let w = &lab.m.world;
    let d = w.ns(0).dev_by_name("tap10").unwrap();
    assert!(matches!(
        d.kind,
        DevKind::Tun {
            tap: true,
            persist: true,
            owner: Some(1000),
            group: Some(1000),
            ..
        }
    ));
    let d = w.ns(0).dev_by_name("tap0").unwrap();
    assert!(matches!(
        d.kind,
        DevKind::Tun {
            tap: true,
            persist: true,
            owner: None,
            group: Some(100),
            ..
        }
    ));
    assert!(!d.up && d.mac != vnet_core::Mac::ZERO);
}

#[test]
fn delete_of_a_missing_device_uses_up_an_index() {
    let mut lab = Lab::new();
    lab.replay(
        "$ tunctl -d nosuch\nSet 'nosuch' nonpersistent\n$ tunctl -b\ntap0\n",
        &[],
    );
    lab.finish();
    // lo is 1, the vanished nosuch took 2.
    assert_eq!(lab.m.world.ns(0).ifindex_of("tap0"), Some(3));
    assert_eq!(lab.m.world.ns(0).ifindex_of("nosuch"), None);
}

#[test]
fn a_tap_held_by_a_program_is_busy() {
    let mut lab = Lab::new();
    lab.replay(
        "$ tunctl -t tap0\nSet 'tap0' persistent and owned by uid 0\n",
        &[],
    );
    let i = lab.idx(0, "tap0");
    lab.w().tun_attach(0, i, true).unwrap();
    lab.replay(
        "$ tunctl -d tap0\n[stderr]\nTUNSETIFF: Device or resource busy\n[exit 1]\n",
        &[],
    );
    lab.finish();
}
