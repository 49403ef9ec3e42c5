//! `route` against transcripts recorded from net-tools 2.10 (Debian 12) on a
//! real kernel (6.18), replayed on the simulated kernel.

#[path = "ifconfig_common.rs"]
mod common;
use common::replay;

/// Listings (-n, -e, -ee, names from /etc/hosts and /etc/networks),
/// SIOCADDRT/SIOCDELRT semantics (routes of equal metric go first, deletion
/// of the first match from the metric given, reject routes, alias devices),
/// the checks of route itself, and its usage texts and exit codes.
const FORMS: &str = r####"$ ip netns add t
$ ip netns exec t route
Kernel IP routing table
Destination     Gateway         Genmask         Flags Metric Ref    Use Iface
[exit 1]
$ ip netns exec t route -n
Kernel IP routing table
Destination     Gateway         Genmask         Flags Metric Ref    Use Iface
[exit 1]
$ ip netns exec t ip link set lo up
$ ip netns exec t route -n
Kernel IP routing table
Destination     Gateway         Genmask         Flags Metric Ref    Use Iface
$ ip netns exec t ip link add v0 type veth peer name v1
$ ip netns exec t ip addr add 192.168.1.10/24 dev v0
$ ip netns exec t ip link set v0 up
$ ip netns exec t ip link set v1 up
$ ip netns exec t ip addr add 169.254.0.1/16 dev v1
$ ip netns exec t ip addr add 127.0.0.2/8 dev v1
$ ip netns exec t ip addr add 10.99.0.1/16 dev v1 label v1:0
$ ip netns exec t route
Kernel IP routing table
Destination     Gateway         Genmask         Flags Metric Ref    Use Iface
10.99.0.0       0.0.0.0         255.255.0.0     U     0      0        0 v1
loopback        0.0.0.0         255.0.0.0       U     0      0        0 v1
link-local      0.0.0.0         255.255.0.0     U     0      0        0 v1
192.168.1.0     0.0.0.0         255.255.255.0   U     0      0        0 v0
$ ip netns exec t route add default gw 192.168.1.1
$ ip netns exec t route add -net 10.0.0.0/8 gw 192.168.1.1 metric 3
$ ip netns exec t route add -net 10.0.0.0/8 gw 192.168.1.2 metric 3
$ ip netns exec t route add -net 10.0.0.0/8 gw 192.168.1.2 metric 3
[stderr]
SIOCADDRT: File exists
[exit 7]
$ ip netns exec t route add -net 10.0.0.0/8 dev v0 metric 3
$ ip netns exec t route add -host 127.0.0.1 dev v0
$ ip netns exec t route add -host 192.168.1.1 dev v0
$ ip netns exec t route add -net 0.0.0.0/1 dev v0
$ ip netns exec t route add -net 128.0.0.0 netmask 128.0.0.0 dev v0
$ ip netns exec t route add -net 10.0.0.0/16 dev v0
$ ip netns exec t ip route add blackhole 10.20.0.0/16
$ ip netns exec t ip route add prohibit 10.21.0.0/16
$ ip netns exec t ip route add throw 10.22.0.0/16
$ ip netns exec t ip route add 10.25.0.0/16 dev v0 table 100
$ ip netns exec t route
Kernel IP routing table
Destination     Gateway         Genmask         Flags Metric Ref    Use Iface
0.0.0.0         0.0.0.0         128.0.0.0       U     0      0        0 v0
default         192.168.1.1     0.0.0.0         UG    0      0        0 v0
10.0.0.0        0.0.0.0         255.255.0.0     U     0      0        0 v0
10.0.0.0        0.0.0.0         255.0.0.0       U     3      0        0 v0
10.0.0.0        192.168.1.2     255.0.0.0       UG    3      0        0 v0
10.0.0.0        192.168.1.1     255.0.0.0       UG    3      0        0 v0
10.20.0.0       0.0.0.0         255.255.0.0     U     0      0        0 *
10.21.0.0       -               255.255.0.0     !     0      -        0 -
10.22.0.0       0.0.0.0         255.255.0.0     U     0      0        0 *
10.99.0.0       0.0.0.0         255.255.0.0     U     0      0        0 v1
loopback        0.0.0.0         255.0.0.0       U     0      0        0 v1
localhost       0.0.0.0         255.255.255.255 UH    0      0        0 v0
128.0.0.0       0.0.0.0         128.0.0.0       U     0      0        0 v0
link-local      0.0.0.0         255.255.0.0     U     0      0        0 v1
192.168.1.0     0.0.0.0         255.255.255.0   U     0      0        0 v0
192.168.1.1     0.0.0.0         255.255.255.255 UH    0      0        0 v0
$ ip netns exec t route -n
Kernel IP routing table
Destination     Gateway         Genmask         Flags Metric Ref    Use Iface
0.0.0.0         0.0.0.0         128.0.0.0       U     0      0        0 v0
0.0.0.0         192.168.1.1     0.0.0.0         UG    0      0        0 v0
10.0.0.0        0.0.0.0         255.255.0.0     U     0      0        0 v0
10.0.0.0        0.0.0.0         255.0.0.0       U     3      0        0 v0
10.0.0.0        192.168.1.2     255.0.0.0       UG    3      0        0 v0
10.0.0.0        192.168.1.1     255.0.0.0       UG    3      0        0 v0
10.20.0.0       0.0.0.0         255.255.0.0     U     0      0        0 *
10.21.0.0       -               255.255.0.0     !     0      -        0 -
10.22.0.0       0.0.0.0         255.255.0.0     U     0      0        0 *
10.99.0.0       0.0.0.0         255.255.0.0     U     0      0        0 v1
127.0.0.0       0.0.0.0         255.0.0.0       U     0      0        0 v1
127.0.0.1       0.0.0.0         255.255.255.255 UH    0      0        0 v0
128.0.0.0       0.0.0.0         128.0.0.0       U     0      0        0 v0
169.254.0.0     0.0.0.0         255.255.0.0     U     0      0        0 v1
192.168.1.0     0.0.0.0         255.255.255.0   U     0      0        0 v0
192.168.1.1     0.0.0.0         255.255.255.255 UH    0      0        0 v0
$ ip netns exec t route -e
Kernel IP routing table
Destination     Gateway         Genmask         Flags   MSS Window  irtt Iface
0.0.0.0         0.0.0.0         128.0.0.0       U         0 0          0 v0
default         192.168.1.1     0.0.0.0         UG        0 0          0 v0
10.0.0.0        0.0.0.0         255.255.0.0     U         0 0          0 v0
10.0.0.0        0.0.0.0         255.0.0.0       U         0 0          0 v0
10.0.0.0        192.168.1.2     255.0.0.0       UG        0 0          0 v0
10.0.0.0        192.168.1.1     255.0.0.0       UG        0 0          0 v0
10.20.0.0       0.0.0.0         255.255.0.0     U         0 0          0 *
10.21.0.0       -               255.255.0.0     !         - -          - -
10.22.0.0       0.0.0.0         255.255.0.0     U         0 0          0 *
10.99.0.0       0.0.0.0         255.255.0.0     U         0 0          0 v1
loopback        0.0.0.0         255.0.0.0       U         0 0          0 v1
localhost       0.0.0.0         255.255.255.255 UH        0 0          0 v0
128.0.0.0       0.0.0.0         128.0.0.0       U         0 0          0 v0
link-local      0.0.0.0         255.255.0.0     U         0 0          0 v1
192.168.1.0     0.0.0.0         255.255.255.0   U         0 0          0 v0
192.168.1.1     0.0.0.0         255.255.255.255 UH        0 0          0 v0
$ ip netns exec t route -ee
Kernel IP routing table
Destination     Gateway         Genmask         Flags Metric Ref    Use Iface    MSS   Window irtt
0.0.0.0         0.0.0.0         128.0.0.0       U     0      0        0 v0       0     0      0
default         192.168.1.1     0.0.0.0         UG    0      0        0 v0       0     0      0
10.0.0.0        0.0.0.0         255.255.0.0     U     0      0        0 v0       0     0      0
10.0.0.0        0.0.0.0         255.0.0.0       U     3      0        0 v0       0     0      0
10.0.0.0        192.168.1.2     255.0.0.0       UG    3      0        0 v0       0     0      0
10.0.0.0        192.168.1.1     255.0.0.0       UG    3      0        0 v0       0     0      0
10.20.0.0       0.0.0.0         255.255.0.0     U     0      0        0 *        0     0      0
10.21.0.0       -               255.255.0.0     !     0      -        0 -        -     -      -
10.22.0.0       0.0.0.0         255.255.0.0     U     0      0        0 *        0     0      0
10.99.0.0       0.0.0.0         255.255.0.0     U     0      0        0 v1       0     0      0
loopback        0.0.0.0         255.0.0.0       U     0      0        0 v1       0     0      0
localhost       0.0.0.0         255.255.255.255 UH    0      0        0 v0       0     0      0
128.0.0.0       0.0.0.0         128.0.0.0       U     0      0        0 v0       0     0      0
link-local      0.0.0.0         255.255.0.0     U     0      0        0 v1       0     0      0
192.168.1.0     0.0.0.0         255.255.255.0   U     0      0        0 v0       0     0      0
192.168.1.1     0.0.0.0         255.255.255.255 UH    0      0        0 v0       0     0      0
$ ip netns exec t route -nee
Kernel IP routing table
Destination     Gateway         Genmask         Flags Metric Ref    Use Iface    MSS   Window irtt
0.0.0.0         0.0.0.0         128.0.0.0       U     0      0        0 v0       0     0      0
0.0.0.0         192.168.1.1     0.0.0.0         UG    0      0        0 v0       0     0      0
10.0.0.0        0.0.0.0         255.255.0.0     U     0      0        0 v0       0     0      0
10.0.0.0        0.0.0.0         255.0.0.0       U     3      0        0 v0       0     0      0
10.0.0.0        192.168.1.2     255.0.0.0       UG    3      0        0 v0       0     0      0
10.0.0.0        192.168.1.1     255.0.0.0       UG    3      0        0 v0       0     0      0
10.20.0.0       0.0.0.0         255.255.0.0     U     0      0        0 *        0     0      0
10.21.0.0       -               255.255.0.0     !     0      -        0 -        -     -      -
10.22.0.0       0.0.0.0         255.255.0.0     U     0      0        0 *        0     0      0
10.99.0.0       0.0.0.0         255.255.0.0     U     0      0        0 v1       0     0      0
127.0.0.0       0.0.0.0         255.0.0.0       U     0      0        0 v1       0     0      0
127.0.0.1       0.0.0.0         255.255.255.255 UH    0      0        0 v0       0     0      0
128.0.0.0       0.0.0.0         128.0.0.0       U     0      0        0 v0       0     0      0
169.254.0.0     0.0.0.0         255.255.0.0     U     0      0        0 v1       0     0      0
192.168.1.0     0.0.0.0         255.255.255.0   U     0      0        0 v0       0     0      0
192.168.1.1     0.0.0.0         255.255.255.255 UH    0      0        0 v0       0     0      0
$ ip netns exec t route add 10.30.0.1 dev v0
$ ip netns exec t route add 10.30.0.0 dev v0
$ ip netns exec t route add -net 10.31.0.0 dev v0
[stderr]
SIOCADDRT: Invalid argument
[exit 7]
$ ip netns exec t route add -net 10.32.0.1 dev v0
[stderr]
SIOCADDRT: Invalid argument
[exit 7]
$ ip netns exec t route add -host 10.33.0.0 netmask 255.255.0.0 dev v0
[stderr]
route: netmask 0000ffff doesn't make sense with host route
Usage: inet_route [-vF] del {-host|-net} Target[/prefix] [gw Gw] [metric M] [[dev] If]
       inet_route [-vF] add {-host|-net} Target[/prefix] [gw Gw] [metric M]
                              [netmask N] [mss Mss] [window W] [irtt I]
                              [mod] [dyn] [reinstate] [[dev] If]
       inet_route [-vF] add {-host|-net} Target[/prefix] [metric M] reject
       inet_route [-FC] flush      NOT supported
[exit 3]
$ ip netns exec t route add -net 10.34.0.0 netmask 255.255.0.0 gw 192.168.1.0
$ ip netns exec t route add -net 10.36.0.0 netmask 255.255.0.0 gw 10.0.0.0
$ ip netns exec t route add -net 10.38.0.0 netmask 255.255.0.0 gw 192.168.1.1 dev v1
[stderr]
SIOCADDRT: Network is unreachable
[exit 7]
$ ip netns exec t route add -net 10.39.0.0 netmask 255.255.0.0 gw 192.168.1.1 dev v0 extra
[stderr]
Usage: inet_route [-vF] del {-host|-net} Target[/prefix] [gw Gw] [metric M] [[dev] If]
       inet_route [-vF] add {-host|-net} Target[/prefix] [gw Gw] [metric M]
                              [netmask N] [mss Mss] [window W] [irtt I]
                              [mod] [dyn] [reinstate] [[dev] If]
       inet_route [-vF] add {-host|-net} Target[/prefix] [metric M] reject
       inet_route [-FC] flush      NOT supported
[exit 3]
$ ip netns exec t route add -net 10.40.0.0 netmask 255.255.0.0 metric x dev v0
[stderr]
Usage: inet_route [-vF] del {-host|-net} Target[/prefix] [gw Gw] [metric M] [[dev] If]
       inet_route [-vF] add {-host|-net} Target[/prefix] [gw Gw] [metric M]
                              [netmask N] [mss Mss] [window W] [irtt I]
                              [mod] [dyn] [reinstate] [[dev] If]
       inet_route [-vF] add {-host|-net} Target[/prefix] [metric M] reject
       inet_route [-FC] flush      NOT supported
[exit 3]
$ ip netns exec t route add -net 10.41.0.0 netmask 255.255.0.0 mod dyn reinstate dev v0
$ ip netns exec t route add -net 10.42.0.0 netmask 255.255.0.0 dev v1:0
$ ip netns exec t route add -net 10.42.0.0 netmask 255.255.0.0 dev v1:7
[stderr]
SIOCADDRT: No such device
[exit 7]
$ ip netns exec t route add -net 10.43.0.0/16 netmask 255.255.0.0 dev v0
[stderr]
Usage: inet_route [-vF] del {-host|-net} Target[/prefix] [gw Gw] [metric M] [[dev] If]
       inet_route [-vF] add {-host|-net} Target[/prefix] [gw Gw] [metric M]
                              [netmask N] [mss Mss] [window W] [irtt I]
                              [mod] [dyn] [reinstate] [[dev] If]
       inet_route [-vF] add {-host|-net} Target[/prefix] [metric M] reject
       inet_route [-FC] flush      NOT supported
[exit 3]
$ ip netns exec t route add -net 10.44.0.0/33 dev v0
[stderr]
route: netmask doesn't match route address
Usage: inet_route [-vF] del {-host|-net} Target[/prefix] [gw Gw] [metric M] [[dev] If]
       inet_route [-vF] add {-host|-net} Target[/prefix] [gw Gw] [metric M]
                              [netmask N] [mss Mss] [window W] [irtt I]
                              [mod] [dyn] [reinstate] [[dev] If]
       inet_route [-vF] add {-host|-net} Target[/prefix] [metric M] reject
       inet_route [-FC] flush      NOT supported
[exit 3]
$ ip netns exec t route add -net 10.45.0.0/abc dev v0
[stderr]
Usage: inet_route [-vF] del {-host|-net} Target[/prefix] [gw Gw] [metric M] [[dev] If]
       inet_route [-vF] add {-host|-net} Target[/prefix] [gw Gw] [metric M]
                              [netmask N] [mss Mss] [window W] [irtt I]
                              [mod] [dyn] [reinstate] [[dev] If]
       inet_route [-vF] add {-host|-net} Target[/prefix] [metric M] reject
       inet_route [-FC] flush      NOT supported
[exit 3]
$ ip netns exec t route add -net 10.47.0.0 netmask 255.255.0.0 gw loopback
[stderr]
route: loopback: cannot use a NETWORK as gateway!
Usage: inet_route [-vF] del {-host|-net} Target[/prefix] [gw Gw] [metric M] [[dev] If]
       inet_route [-vF] add {-host|-net} Target[/prefix] [gw Gw] [metric M]
                              [netmask N] [mss Mss] [window W] [irtt I]
                              [mod] [dyn] [reinstate] [[dev] If]
       inet_route [-vF] add {-host|-net} Target[/prefix] [metric M] reject
       inet_route [-FC] flush      NOT supported
[exit 3]
$ ip netns exec t route add -net loopback dev v0
[stderr]
SIOCADDRT: Invalid argument
[exit 7]
$ ip netns exec t route add -net link-local netmask 255.255.0.0 dev v0
$ ip netns exec t route add -host localhost dev v0
[stderr]
SIOCADDRT: File exists
[exit 7]
$ ip netns exec t route add -net 10.49.0.0 netmask 255.255.0.0 dev v0 metric 0
$ ip netns exec t route add -net 10.50.0.0 netmask 255.255.0.0
[stderr]
SIOCADDRT: No such device
[exit 7]
$ ip netns exec t route add -net 10.51.0.0 netmask 255.255.0.0 reject metric 5
$ ip netns exec t route add -host 10.52.0.1 reject
$ ip netns exec t route add -net 10.53.0.0 netmask 255.0.255.0 dev v0
[stderr]
route: bogus netmask 255.0.255.0
Usage: inet_route [-vF] del {-host|-net} Target[/prefix] [gw Gw] [metric M] [[dev] If]
       inet_route [-vF] add {-host|-net} Target[/prefix] [gw Gw] [metric M]
                              [netmask N] [mss Mss] [window W] [irtt I]
                              [mod] [dyn] [reinstate] [[dev] If]
       inet_route [-vF] add {-host|-net} Target[/prefix] [metric M] reject
       inet_route [-FC] flush      NOT supported
[exit 3]
$ ip netns exec t route add default gw 300.1.1.1
[stderr]
300.1.1.1: Unknown host
[exit 6]
$ ip netns exec t route -n
Kernel IP routing table
Destination     Gateway         Genmask         Flags Metric Ref    Use Iface
0.0.0.0         0.0.0.0         128.0.0.0       U     0      0        0 v0
0.0.0.0         192.168.1.1     0.0.0.0         UG    0      0        0 v0
10.0.0.0        0.0.0.0         255.255.0.0     U     0      0        0 v0
10.0.0.0        0.0.0.0         255.0.0.0       U     3      0        0 v0
10.0.0.0        192.168.1.2     255.0.0.0       UG    3      0        0 v0
10.0.0.0        192.168.1.1     255.0.0.0       UG    3      0        0 v0
10.20.0.0       0.0.0.0         255.255.0.0     U     0      0        0 *
10.21.0.0       -               255.255.0.0     !     0      -        0 -
10.22.0.0       0.0.0.0         255.255.0.0     U     0      0        0 *
10.30.0.0       0.0.0.0         255.255.255.255 UH    0      0        0 v0
10.30.0.1       0.0.0.0         255.255.255.255 UH    0      0        0 v0
10.34.0.0       192.168.1.0     255.255.0.0     UG    0      0        0 v0
10.36.0.0       10.0.0.0        255.255.0.0     UG    0      0        0 v0
10.41.0.0       0.0.0.0         255.255.0.0     U     0      0        0 v0
10.42.0.0       0.0.0.0         255.255.0.0     U     0      0        0 v1
10.49.0.0       0.0.0.0         255.255.0.0     U     0      0        0 v0
10.51.0.0       -               255.255.0.0     !     5      -        0 -
10.52.0.1       -               255.255.255.255 !H    0      -        0 -
10.99.0.0       0.0.0.0         255.255.0.0     U     0      0        0 v1
127.0.0.0       0.0.0.0         255.0.0.0       U     0      0        0 v1
127.0.0.1       0.0.0.0         255.255.255.255 UH    0      0        0 v0
128.0.0.0       0.0.0.0         128.0.0.0       U     0      0        0 v0
169.254.0.0     0.0.0.0         255.255.0.0     U     0      0        0 v0
169.254.0.0     0.0.0.0         255.255.0.0     U     0      0        0 v1
192.168.1.0     0.0.0.0         255.255.255.0   U     0      0        0 v0
192.168.1.1     0.0.0.0         255.255.255.255 UH    0      0        0 v0
$ ip netns exec t route -e
Kernel IP routing table
Destination     Gateway         Genmask         Flags   MSS Window  irtt Iface
0.0.0.0         0.0.0.0         128.0.0.0       U         0 0          0 v0
default         192.168.1.1     0.0.0.0         UG        0 0          0 v0
10.0.0.0        0.0.0.0         255.255.0.0     U         0 0          0 v0
10.0.0.0        0.0.0.0         255.0.0.0       U         0 0          0 v0
10.0.0.0        192.168.1.2     255.0.0.0       UG        0 0          0 v0
10.0.0.0        192.168.1.1     255.0.0.0       UG        0 0          0 v0
10.20.0.0       0.0.0.0         255.255.0.0     U         0 0          0 *
10.21.0.0       -               255.255.0.0     !         - -          - -
10.22.0.0       0.0.0.0         255.255.0.0     U         0 0          0 *
10.30.0.0       0.0.0.0         255.255.255.255 UH        0 0          0 v0
10.30.0.1       0.0.0.0         255.255.255.255 UH        0 0          0 v0
10.34.0.0       192.168.1.0     255.255.0.0     UG        0 0          0 v0
10.36.0.0       10.0.0.0        255.255.0.0     UG        0 0          0 v0
10.41.0.0       0.0.0.0         255.255.0.0     U         0 0          0 v0
10.42.0.0       0.0.0.0         255.255.0.0     U         0 0          0 v1
10.49.0.0       0.0.0.0         255.255.0.0     U         0 0          0 v0
10.51.0.0       -               255.255.0.0     !         - -          - -
10.52.0.1       -               255.255.255.255 !H        - -          - -
10.99.0.0       0.0.0.0         255.255.0.0     U         0 0          0 v1
loopback        0.0.0.0         255.0.0.0       U         0 0          0 v1
localhost       0.0.0.0         255.255.255.255 UH        0 0          0 v0
128.0.0.0       0.0.0.0         128.0.0.0       U         0 0          0 v0
link-local      0.0.0.0         255.255.0.0     U         0 0          0 v0
link-local      0.0.0.0         255.255.0.0     U         0 0          0 v1
192.168.1.0     0.0.0.0         255.255.255.0   U         0 0          0 v0
192.168.1.1     0.0.0.0         255.255.255.255 UH        0 0          0 v0
$ ip netns exec t route del 10.30.0.1
$ ip netns exec t route del -net 10.0.0.0/8
$ ip netns exec t route -n
Kernel IP routing table
Destination     Gateway         Genmask         Flags Metric Ref    Use Iface
0.0.0.0         0.0.0.0         128.0.0.0       U     0      0        0 v0
0.0.0.0         192.168.1.1     0.0.0.0         UG    0      0        0 v0
10.0.0.0        0.0.0.0         255.255.0.0     U     0      0        0 v0
10.0.0.0        192.168.1.2     255.0.0.0       UG    3      0        0 v0
10.0.0.0        192.168.1.1     255.0.0.0       UG    3      0        0 v0
10.20.0.0       0.0.0.0         255.255.0.0     U     0      0        0 *
10.21.0.0       -               255.255.0.0     !     0      -        0 -
10.22.0.0       0.0.0.0         255.255.0.0     U     0      0        0 *
10.30.0.0       0.0.0.0         255.255.255.255 UH    0      0        0 v0
10.34.0.0       192.168.1.0     255.255.0.0     UG    0      0        0 v0
10.36.0.0       10.0.0.0        255.255.0.0     UG    0      0        0 v0
10.41.0.0       0.0.0.0         255.255.0.0     U     0      0        0 v0
10.42.0.0       0.0.0.0         255.255.0.0     U     0      0        0 v1
10.49.0.0       0.0.0.0         255.255.0.0     U     0      0        0 v0
10.51.0.0       -               255.255.0.0     !     5      -        0 -
10.52.0.1       -               255.255.255.255 !H    0      -        0 -
10.99.0.0       0.0.0.0         255.255.0.0     U     0      0        0 v1
127.0.0.0       0.0.0.0         255.0.0.0       U     0      0        0 v1
127.0.0.1       0.0.0.0         255.255.255.255 UH    0      0        0 v0
128.0.0.0       0.0.0.0         128.0.0.0       U     0      0        0 v0
169.254.0.0     0.0.0.0         255.255.0.0     U     0      0        0 v0
169.254.0.0     0.0.0.0         255.255.0.0     U     0      0        0 v1
192.168.1.0     0.0.0.0         255.255.255.0   U     0      0        0 v0
192.168.1.1     0.0.0.0         255.255.255.255 UH    0      0        0 v0
$ ip netns exec t route del -net 10.0.0.0/8 metric 3
$ ip netns exec t route del -net 10.0.0.0/8 gw 192.168.1.2
[stderr]
SIOCDELRT: No such process
[exit 7]
$ ip netns exec t route del -net 10.0.0.0/8 dev v1
[stderr]
SIOCDELRT: No such process
[exit 7]
$ ip netns exec t route del -net 10.0.0.0/8 dev v0
$ ip netns exec t route del -net 10.20.0.0/16
[stderr]
SIOCDELRT: No such process
[exit 7]
$ ip netns exec t route del -net 10.21.0.0/16 reject
[stderr]
SIOCDELRT: No such process
[exit 7]
$ ip netns exec t route del -net 10.51.0.0/16 reject
$ ip netns exec t route del -net 10.52.0.1/32
[stderr]
SIOCDELRT: Invalid argument
[exit 7]
$ ip netns exec t route del -host 10.52.0.1 reject
$ ip netns exec t route del -net 10.42.0.0/16 dev v1:0
$ ip netns exec t route -n
Kernel IP routing table
Destination     Gateway         Genmask         Flags Metric Ref    Use Iface
0.0.0.0         0.0.0.0         128.0.0.0       U     0      0        0 v0
0.0.0.0         192.168.1.1     0.0.0.0         UG    0      0        0 v0
10.0.0.0        0.0.0.0         255.255.0.0     U     0      0        0 v0
10.20.0.0       0.0.0.0         255.255.0.0     U     0      0        0 *
10.21.0.0       -               255.255.0.0     !     0      -        0 -
10.22.0.0       0.0.0.0         255.255.0.0     U     0      0        0 *
10.30.0.0       0.0.0.0         255.255.255.255 UH    0      0        0 v0
10.34.0.0       192.168.1.0     255.255.0.0     UG    0      0        0 v0
10.36.0.0       10.0.0.0        255.255.0.0     UG    0      0        0 v0
10.41.0.0       0.0.0.0         255.255.0.0     U     0      0        0 v0
10.49.0.0       0.0.0.0         255.255.0.0     U     0      0        0 v0
10.99.0.0       0.0.0.0         255.255.0.0     U     0      0        0 v1
127.0.0.0       0.0.0.0         255.0.0.0       U     0      0        0 v1
127.0.0.1       0.0.0.0         255.255.255.255 UH    0      0        0 v0
128.0.0.0       0.0.0.0         128.0.0.0       U     0      0        0 v0
169.254.0.0     0.0.0.0         255.255.0.0     U     0      0        0 v0
169.254.0.0     0.0.0.0         255.255.0.0     U     0      0        0 v1
192.168.1.0     0.0.0.0         255.255.255.0   U     0      0        0 v0
192.168.1.1     0.0.0.0         255.255.255.255 UH    0      0        0 v0
$ ip netns exec t route del
Usage: inet_route [-vF] del {-host|-net} Target[/prefix] [gw Gw] [metric M] [[dev] If]
       inet_route [-vF] add {-host|-net} Target[/prefix] [gw Gw] [metric M]
                              [netmask N] [mss Mss] [window W] [irtt I]
                              [mod] [dyn] [reinstate] [[dev] If]
       inet_route [-vF] add {-host|-net} Target[/prefix] [metric M] reject
       inet_route [-FC] flush      NOT supported
$ ip netns exec t route add
Usage: inet_route [-vF] del {-host|-net} Target[/prefix] [gw Gw] [metric M] [[dev] If]
       inet_route [-vF] add {-host|-net} Target[/prefix] [gw Gw] [metric M]
                              [netmask N] [mss Mss] [window W] [irtt I]
                              [mod] [dyn] [reinstate] [[dev] If]
       inet_route [-vF] add {-host|-net} Target[/prefix] [metric M] reject
       inet_route [-FC] flush      NOT supported
$ ip netns exec t route flush
[stderr]
Flushing `inet' routing table not supported
Usage: inet_route [-vF] del {-host|-net} Target[/prefix] [gw Gw] [metric M] [[dev] If]
       inet_route [-vF] add {-host|-net} Target[/prefix] [gw Gw] [metric M]
                              [netmask N] [mss Mss] [window W] [irtt I]
                              [mod] [dyn] [reinstate] [[dev] If]
       inet_route [-vF] add {-host|-net} Target[/prefix] [metric M] reject
       inet_route [-FC] flush      NOT supported
[exit 3]
$ ip netns exec t route -C
Kernel IP routing cache
Source          Destination     Gateway         Flags Metric Ref    Use Iface
$ ip netns exec t route -A inet -n
Kernel IP routing table
Destination     Gateway         Genmask         Flags Metric Ref    Use Iface
0.0.0.0         0.0.0.0         128.0.0.0       U     0      0        0 v0
0.0.0.0         192.168.1.1     0.0.0.0         UG    0      0        0 v0
10.0.0.0        0.0.0.0         255.255.0.0     U     0      0        0 v0
10.20.0.0       0.0.0.0         255.255.0.0     U     0      0        0 *
10.21.0.0       -               255.255.0.0     !     0      -        0 -
10.22.0.0       0.0.0.0         255.255.0.0     U     0      0        0 *
10.30.0.0       0.0.0.0         255.255.255.255 UH    0      0        0 v0
10.34.0.0       192.168.1.0     255.255.0.0     UG    0      0        0 v0
10.36.0.0       10.0.0.0        255.255.0.0     UG    0      0        0 v0
10.41.0.0       0.0.0.0         255.255.0.0     U     0      0        0 v0
10.49.0.0       0.0.0.0         255.255.0.0     U     0      0        0 v0
10.99.0.0       0.0.0.0         255.255.0.0     U     0      0        0 v1
127.0.0.0       0.0.0.0         255.0.0.0       U     0      0        0 v1
127.0.0.1       0.0.0.0         255.255.255.255 UH    0      0        0 v0
128.0.0.0       0.0.0.0         128.0.0.0       U     0      0        0 v0
169.254.0.0     0.0.0.0         255.255.0.0     U     0      0        0 v0
169.254.0.0     0.0.0.0         255.255.0.0     U     0      0        0 v1
192.168.1.0     0.0.0.0         255.255.255.0   U     0      0        0 v0
192.168.1.1     0.0.0.0         255.255.255.255 UH    0      0        0 v0
$ ip netns exec t route -A bogus
[stderr]
Unknown address family `bogus'.
[exit 1]
$ ip netns exec t route -x
Usage: route [-nNvee] [-FC] [<AF>]           List kernel routing tables
       route [-v] [-FC] {add|del|flush} ...  Modify routing table for AF.

       route {-h|--help} [<AF>]              Detailed usage syntax for specified AF.
       route {-V|--version}                  Display version/author and exit.

        -v, --verbose            be verbose
        -n, --numeric            don't resolve names
        -e, --extend             display other/more information
        -F, --fib                display Forwarding Information Base (default)
        -C, --cache              display routing cache instead of FIB

  <AF>=Use -4, -6, '-A <af>' or '--<af>'; default: inet
  List of possible address families (which support routing):
[stderr]
route: invalid option -- 'x'
    inet (DARPA Internet) inet6 (IPv6) ax25 (AMPR AX.25) 
    netrom (AMPR NET/ROM) rose (AMPR ROSE) ipx (Novell IPX) 
    ddp (Appletalk DDP) x25 (CCITT X.25) 
$ ip netns exec t route -h
Usage: route [-nNvee] [-FC] [<AF>]           List kernel routing tables
       route [-v] [-FC] {add|del|flush} ...  Modify routing table for AF.

       route {-h|--help} [<AF>]              Detailed usage syntax for specified AF.
       route {-V|--version}                  Display version/author and exit.

        -v, --verbose            be verbose
        -n, --numeric            don't resolve names
        -e, --extend             display other/more information
        -F, --fib                display Forwarding Information Base (default)
        -C, --cache              display routing cache instead of FIB

  <AF>=Use -4, -6, '-A <af>' or '--<af>'; default: inet
  List of possible address families (which support routing):
[stderr]
    inet (DARPA Internet) inet6 (IPv6) ax25 (AMPR AX.25) 
    netrom (AMPR NET/ROM) rose (AMPR ROSE) ipx (Novell IPX) 
    ddp (Appletalk DDP) x25 (CCITT X.25) 
$ ip netns exec t route -A inet -h
Usage: inet_route [-vF] del {-host|-net} Target[/prefix] [gw Gw] [metric M] [[dev] If]
       inet_route [-vF] add {-host|-net} Target[/prefix] [gw Gw] [metric M]
                              [netmask N] [mss Mss] [window W] [irtt I]
                              [mod] [dyn] [reinstate] [[dev] If]
       inet_route [-vF] add {-host|-net} Target[/prefix] [metric M] reject
       inet_route [-FC] flush      NOT supported
$ ip netns exec t route --version
net-tools 2.10
+NEW_ADDRT +RTF_IRTT +RTF_REJECT +I18N +SELINUX
AF: (inet) +UNIX +INET +INET6 +IPX +AX25 +NETROM +X25 +ATALK +ECONET +ROSE -BLUETOOTH
HW:  +ETHER +ARC +SLIP +PPP +TUNNEL -TR +AX25 +NETROM +X25 +FR +ROSE +ASH +SIT +FDDI +HIPPI +HDLC/LAPB +EUI64 
$ ip netns exec t route -n extra
[stderr]
Usage: route [-nNvee] [-FC] [<AF>]           List kernel routing tables
       route [-v] [-FC] {add|del|flush} ...  Modify routing table for AF.

       route {-h|--help} [<AF>]              Detailed usage syntax for specified AF.
       route {-V|--version}                  Display version/author and exit.

        -v, --verbose            be verbose
        -n, --numeric            don't resolve names
        -e, --extend             display other/more information
        -F, --fib                display Forwarding Information Base (default)
        -C, --cache              display routing cache instead of FIB

  <AF>=Use -4, -6, '-A <af>' or '--<af>'; default: inet
  List of possible address families (which support routing):
    inet (DARPA Internet) inet6 (IPv6) ax25 (AMPR AX.25) 
    netrom (AMPR NET/ROM) rose (AMPR ROSE) ipx (Novell IPX) 
    ddp (Appletalk DDP) x25 (CCITT X.25) 
[exit 3]
$ ip netns exec t ip link set v0 down
$ ip netns exec t route add -net 10.61.0.0 netmask 255.255.0.0 dev v0
[stderr]
SIOCADDRT: Network is down
[exit 7]
$ ip netns exec t route add -net 10.62.0.0 netmask 255.255.0.0 dev nosuch
[stderr]
SIOCADDRT: No such device
[exit 7]
$ ip netns exec t route -n
Kernel IP routing table
Destination     Gateway         Genmask         Flags Metric Ref    Use Iface
10.20.0.0       0.0.0.0         255.255.0.0     U     0      0        0 *
10.21.0.0       -               255.255.0.0     !     0      -        0 -
10.22.0.0       0.0.0.0         255.255.0.0     U     0      0        0 *
10.99.0.0       0.0.0.0         255.255.0.0     U     0      0        0 v1
127.0.0.0       0.0.0.0         255.0.0.0       U     0      0        0 v1
169.254.0.0     0.0.0.0         255.255.0.0     U     0      0        0 v1
"####;

#[test]
fn route_forms_match_net_tools() {
    replay(FORMS, &["route"]);
}

/// The scenario the golden tests record (tests/scenarios/f15_route_cmd.sh).
#[test]
fn route_golden_f15_matches() {
    replay(
        include_str!("../../../tests/golden/f15_route_cmd.out"),
        &["route"],
    );
}
