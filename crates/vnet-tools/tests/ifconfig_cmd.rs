//! `ifconfig` against transcripts recorded from net-tools 2.10 (Debian 12)
//! on a real kernel (6.18), replayed on the simulated kernel.

#[path = "ifconfig_common.rs"]
mod common;
use common::{replay, Lab};

/// Listing order (nstrcmp), aliases, the short format, tun/loopback/ether
/// hardware lines, address/netmask/broadcast/dstaddr semantics of the
/// SIOCSIF* ioctls, add/del aliases, hardware addresses, MTU, renaming, and
/// the error messages and exit codes. Recorded in a namespace with IPv6
/// disabled, so that no autoconfiguration traffic moves the counters.
const FORMS: &str = r####"$ ip netns add t
$ ip netns exec t sysctl -qw net.ipv6.conf.all.disable_ipv6=1 net.ipv6.conf.default.disable_ipv6=1
$ ip netns exec t ifconfig
$ ip netns exec t ifconfig -a
lo: flags=8<LOOPBACK>  mtu 65536
        loop  txqueuelen 1000  (Local Loopback)
        RX packets 0  bytes 0 (0.0 B)
        RX errors 0  dropped 0  overruns 0  frame 0
        TX packets 0  bytes 0 (0.0 B)
        TX errors 0  dropped 0 overruns 0  carrier 0  collisions 0

$ ip netns exec t ifconfig -s
Iface      MTU    RX-OK RX-ERR RX-DRP RX-OVR    TX-OK TX-ERR TX-DRP TX-OVR Flg
$ ip netns exec t ifconfig lo up
$ ip netns exec t ifconfig
lo: flags=73<UP,LOOPBACK,RUNNING>  mtu 65536
        inet 127.0.0.1  netmask 255.0.0.0
        loop  txqueuelen 1000  (Local Loopback)
        RX packets 0  bytes 0 (0.0 B)
        RX errors 0  dropped 0  overruns 0  frame 0
        TX packets 0  bytes 0 (0.0 B)
        TX errors 0  dropped 0 overruns 0  carrier 0  collisions 0

$ ip netns exec t ip tuntap add dev tun0 mode tun
$ ip netns exec t ip link add eth10 type veth peer name eth2
$ ip netns exec t ip link add a1 type veth peer name A0
$ ip netns exec t ifconfig -a
A0: flags=4098<BROADCAST,MULTICAST>  mtu 1500
        ether 6a:2e:b5:24:89:a1  txqueuelen 1000  (Ethernet)
        RX packets 0  bytes 0 (0.0 B)
        RX errors 0  dropped 0  overruns 0  frame 0
        TX packets 0  bytes 0 (0.0 B)
        TX errors 0  dropped 0 overruns 0  carrier 0  collisions 0

a1: flags=4098<BROADCAST,MULTICAST>  mtu 1500
        ether 12:f5:b6:3d:7a:6d  txqueuelen 1000  (Ethernet)
        RX packets 0  bytes 0 (0.0 B)
        RX errors 0  dropped 0  overruns 0  frame 0
        TX packets 0  bytes 0 (0.0 B)
        TX errors 0  dropped 0 overruns 0  carrier 0  collisions 0

eth2: flags=4098<BROADCAST,MULTICAST>  mtu 1500
        ether 2e:44:b8:f0:90:21  txqueuelen 1000  (Ethernet)
        RX packets 0  bytes 0 (0.0 B)
        RX errors 0  dropped 0  overruns 0  frame 0
        TX packets 0  bytes 0 (0.0 B)
        TX errors 0  dropped 0 overruns 0  carrier 0  collisions 0

eth10: flags=4098<BROADCAST,MULTICAST>  mtu 1500
        ether fe:70:55:42:63:0c  txqueuelen 1000  (Ethernet)
        RX packets 0  bytes 0 (0.0 B)
        RX errors 0  dropped 0  overruns 0  frame 0
        TX packets 0  bytes 0 (0.0 B)
        TX errors 0  dropped 0 overruns 0  carrier 0  collisions 0

lo: flags=73<UP,LOOPBACK,RUNNING>  mtu 65536
        inet 127.0.0.1  netmask 255.0.0.0
        loop  txqueuelen 1000  (Local Loopback)
        RX packets 0  bytes 0 (0.0 B)
        RX errors 0  dropped 0  overruns 0  frame 0
        TX packets 0  bytes 0 (0.0 B)
        TX errors 0  dropped 0 overruns 0  carrier 0  collisions 0

tun0: flags=4240<POINTOPOINT,NOARP,MULTICAST>  mtu 1500
        unspec 00-00-00-00-00-00-00-00-00-00-00-00-00-00-00-00  txqueuelen 500  (UNSPEC)
        RX packets 0  bytes 0 (0.0 B)
        RX errors 0  dropped 0  overruns 0  frame 0
        TX packets 0  bytes 0 (0.0 B)
        TX errors 0  dropped 0 overruns 0  carrier 0  collisions 0

$ ip netns exec t ifconfig -a -s
Iface      MTU    RX-OK RX-ERR RX-DRP RX-OVR    TX-OK TX-ERR TX-DRP TX-OVR Flg
A0               1500        0      0      0 0             0      0      0      0 BM
a1               1500        0      0      0 0             0      0      0      0 BM
eth2             1500        0      0      0 0             0      0      0      0 BM
eth10            1500        0      0      0 0             0      0      0      0 BM
lo              65536        0      0      0 0             0      0      0      0 LRU
tun0             1500        0      0      0 0             0      0      0      0 MOP
$ ip netns exec t ifconfig tun0 10.8.0.1 pointopoint 10.8.0.2
$ ip netns exec t ifconfig tun0
tun0: flags=4241<UP,POINTOPOINT,NOARP,MULTICAST>  mtu 1500
        inet 10.8.0.1  netmask 255.255.255.255  destination 10.8.0.2
        unspec 00-00-00-00-00-00-00-00-00-00-00-00-00-00-00-00  txqueuelen 500  (UNSPEC)
        RX packets 0  bytes 0 (0.0 B)
        RX errors 0  dropped 0  overruns 0  frame 0
        TX packets 0  bytes 0 (0.0 B)
        TX errors 0  dropped 0 overruns 0  carrier 0  collisions 0

$ ip netns exec t ifconfig tun0 10.9.0.1/24
$ ip netns exec t ifconfig tun0
tun0: flags=4241<UP,POINTOPOINT,NOARP,MULTICAST>  mtu 1500
        inet 10.9.0.1  netmask 255.255.255.0  destination 10.9.0.1
        unspec 00-00-00-00-00-00-00-00-00-00-00-00-00-00-00-00  txqueuelen 500  (UNSPEC)
        RX packets 0  bytes 0 (0.0 B)
        RX errors 0  dropped 0  overruns 0  frame 0
        TX packets 0  bytes 0 (0.0 B)
        TX errors 0  dropped 0 overruns 0  carrier 0  collisions 0

$ ip netns exec t ip link set eth10 up
$ ip netns exec t ip link set eth2 up
$ ip netns exec t ip addr add 10.3.0.1/24 dev eth2
$ ip netns exec t ip addr add 10.3.0.2/24 dev eth2
$ ip netns exec t ip addr add 10.4.0.1/24 dev eth2 label eth2:foo
$ ip netns exec t ip addr add 10.5.0.1/24 dev eth2 label eth2:7
$ ip netns exec t ifconfig
eth2: flags=4163<UP,BROADCAST,RUNNING,MULTICAST>  mtu 1500
        inet 10.3.0.1  netmask 255.255.255.0  broadcast 0.0.0.0
        ether 2e:44:b8:f0:90:21  txqueuelen 1000  (Ethernet)
        RX packets 0  bytes 0 (0.0 B)
        RX errors 0  dropped 0  overruns 0  frame 0
        TX packets 0  bytes 0 (0.0 B)
        TX errors 0  dropped 0 overruns 0  carrier 0  collisions 0

eth2:7: flags=4163<UP,BROADCAST,RUNNING,MULTICAST>  mtu 1500
        inet 10.5.0.1  netmask 255.255.255.0  broadcast 0.0.0.0
        ether 2e:44:b8:f0:90:21  txqueuelen 1000  (Ethernet)

eth10: flags=4163<UP,BROADCAST,RUNNING,MULTICAST>  mtu 1500
        ether fe:70:55:42:63:0c  txqueuelen 1000  (Ethernet)
        RX packets 0  bytes 0 (0.0 B)
        RX errors 0  dropped 0  overruns 0  frame 0
        TX packets 0  bytes 0 (0.0 B)
        TX errors 0  dropped 0 overruns 0  carrier 0  collisions 0

eth2:foo: flags=4163<UP,BROADCAST,RUNNING,MULTICAST>  mtu 1500
        inet 10.4.0.1  netmask 255.255.255.0  broadcast 0.0.0.0
        ether 2e:44:b8:f0:90:21  txqueuelen 1000  (Ethernet)

lo: flags=73<UP,LOOPBACK,RUNNING>  mtu 65536
        inet 127.0.0.1  netmask 255.0.0.0
        loop  txqueuelen 1000  (Local Loopback)
        RX packets 0  bytes 0 (0.0 B)
        RX errors 0  dropped 0  overruns 0  frame 0
        TX packets 0  bytes 0 (0.0 B)
        TX errors 0  dropped 0 overruns 0  carrier 0  collisions 0

tun0: flags=4241<UP,POINTOPOINT,NOARP,MULTICAST>  mtu 1500
        inet 10.9.0.1  netmask 255.255.255.0  destination 10.9.0.1
        unspec 00-00-00-00-00-00-00-00-00-00-00-00-00-00-00-00  txqueuelen 500  (UNSPEC)
        RX packets 0  bytes 0 (0.0 B)
        RX errors 0  dropped 0  overruns 0  frame 0
        TX packets 0  bytes 0 (0.0 B)
        TX errors 0  dropped 0 overruns 0  carrier 0  collisions 0

$ ip netns exec t ifconfig -a -s
Iface      MTU    RX-OK RX-ERR RX-DRP RX-OVR    TX-OK TX-ERR TX-DRP TX-OVR Flg
A0               1500        0      0      0 0             0      0      0      0 BM
a1               1500        0      0      0 0             0      0      0      0 BM
eth2             1500        0      0      0 0             0      0      0      0 BMRU
eth2:7           1500      - no statistics available -                        BMRU
eth10            1500        0      0      0 0             0      0      0      0 BMRU
eth2:foo         1500      - no statistics available -                        BMRU
lo              65536        0      0      0 0             0      0      0      0 LRU
tun0             1500        0      0      0 0             0      0      0      0 MOPU
$ ip netns exec t ifconfig eth2:7
eth2:7: flags=4163<UP,BROADCAST,RUNNING,MULTICAST>  mtu 1500
        inet 10.5.0.1  netmask 255.255.255.0  broadcast 0.0.0.0
        ether 2e:44:b8:f0:90:21  txqueuelen 1000  (Ethernet)

$ ip netns exec t ifconfig eth2:foo
eth2:foo: flags=4163<UP,BROADCAST,RUNNING,MULTICAST>  mtu 1500
        inet 10.4.0.1  netmask 255.255.255.0  broadcast 0.0.0.0
        ether 2e:44:b8:f0:90:21  txqueuelen 1000  (Ethernet)

$ ip netns exec t ifconfig eth2:9
eth2:9: flags=4163<UP,BROADCAST,RUNNING,MULTICAST>  mtu 1500
        ether 2e:44:b8:f0:90:21  txqueuelen 1000  (Ethernet)

$ ip netns exec t ifconfig eth2:9 up
[stderr]
SIOCSIFFLAGS: Cannot assign requested address
[exit 255]
$ ip netns exec t ifconfig nosuch:1
[stderr]
nosuch:1: error fetching interface information: Device not found
[exit 1]
$ ip netns exec t ifconfig eth2 promisc
$ ip netns exec t ifconfig -s eth2
Iface      MTU    RX-OK RX-ERR RX-DRP RX-OVR    TX-OK TX-ERR TX-DRP TX-OVR Flg
eth2             1500        0      0      0 0             0      0      0      0 BMPRU
$ ip netns exec t ifconfig eth2 -promisc
$ ip netns exec t ifconfig eth2 -arp
$ ip netns exec t ifconfig eth2
eth2: flags=4291<UP,BROADCAST,RUNNING,NOARP,MULTICAST>  mtu 1500
        inet 10.3.0.1  netmask 255.255.255.0  broadcast 0.0.0.0
        ether 2e:44:b8:f0:90:21  txqueuelen 1000  (Ethernet)
        RX packets 0  bytes 0 (0.0 B)
        RX errors 0  dropped 0  overruns 0  frame 0
        TX packets 0  bytes 0 (0.0 B)
        TX errors 0  dropped 0 overruns 0  carrier 0  collisions 0

$ ip netns exec t ifconfig eth2 arp
$ ip netns exec t ifconfig eth2 -broadcast
[stderr]
Warning: Interface eth2 still in BROADCAST mode.
$ ip netns exec t ifconfig eth2 add 10.6.0.1
$ ip netns exec t ifconfig -s
Iface      MTU    RX-OK RX-ERR RX-DRP RX-OVR    TX-OK TX-ERR TX-DRP TX-OVR Flg
eth2             1500        0      0      0 0             0      0      0      0 BMRU
eth2:1           1500      - no statistics available -                        BMRU
eth2:7           1500      - no statistics available -                        BMRU
eth10            1500        0      0      0 0             0      0      0      0 BMRU
eth2:foo         1500      - no statistics available -                        BMRU
lo              65536        0      0      0 0             0      0      0      0 LRU
tun0             1500        0      0      0 0             0      0      0      0 MOPU
$ ip netns exec t ifconfig eth2:1
eth2:1: flags=4163<UP,BROADCAST,RUNNING,MULTICAST>  mtu 1500
        inet 10.6.0.1  netmask 255.255.255.0  broadcast 0.0.0.0
        ether 2e:44:b8:f0:90:21  txqueuelen 1000  (Ethernet)

$ ip netns exec t ifconfig eth2 del 10.6.0.1
$ ip netns exec t ifconfig -s
Iface      MTU    RX-OK RX-ERR RX-DRP RX-OVR    TX-OK TX-ERR TX-DRP TX-OVR Flg
eth2             1500        0      0      0 0             0      0      0      0 BMRU
eth2:7           1500      - no statistics available -                        BMRU
eth10            1500        0      0      0 0             0      0      0      0 BMRU
eth2:foo         1500      - no statistics available -                        BMRU
lo              65536        0      0      0 0             0      0      0      0 LRU
tun0             1500        0      0      0 0             0      0      0      0 MOPU
$ ip netns exec t ifconfig eth2 10.3.0.9 netmask 255.255.255.0 broadcast 10.3.0.200
$ ip netns exec t ifconfig eth2
eth2: flags=4163<UP,BROADCAST,RUNNING,MULTICAST>  mtu 1500
        inet 10.3.0.9  netmask 255.255.255.0  broadcast 10.3.0.200
        ether 2e:44:b8:f0:90:21  txqueuelen 1000  (Ethernet)
        RX packets 0  bytes 0 (0.0 B)
        RX errors 0  dropped 0  overruns 0  frame 0
        TX packets 0  bytes 0 (0.0 B)
        TX errors 0  dropped 0 overruns 0  carrier 0  collisions 0

$ ip netns exec t ifconfig eth2 netmask 255.255.0.0
$ ip netns exec t ifconfig eth2
eth2: flags=4163<UP,BROADCAST,RUNNING,MULTICAST>  mtu 1500
        inet 10.3.0.9  netmask 255.255.0.0  broadcast 10.3.0.200
        ether 2e:44:b8:f0:90:21  txqueuelen 1000  (Ethernet)
        RX packets 0  bytes 0 (0.0 B)
        RX errors 0  dropped 0  overruns 0  frame 0
        TX packets 0  bytes 0 (0.0 B)
        TX errors 0  dropped 0 overruns 0  carrier 0  collisions 0

$ ip netns exec t ifconfig eth2 netmask 255.255.255.128 10.3.0.10
$ ip netns exec t ifconfig eth2
eth2: flags=4163<UP,BROADCAST,RUNNING,MULTICAST>  mtu 1500
        inet 10.3.0.10  netmask 255.0.0.0  broadcast 10.255.255.255
        ether 2e:44:b8:f0:90:21  txqueuelen 1000  (Ethernet)
        RX packets 0  bytes 0 (0.0 B)
        RX errors 0  dropped 0  overruns 0  frame 0
        TX packets 0  bytes 0 (0.0 B)
        TX errors 0  dropped 0 overruns 0  carrier 0  collisions 0

$ ip netns exec t ifconfig eth2 10.7.0.1/32
$ ip netns exec t ifconfig eth2
eth2: flags=4163<UP,BROADCAST,RUNNING,MULTICAST>  mtu 1500
        inet 10.7.0.1  netmask 0.0.0.0  broadcast 255.255.255.255
        ether 2e:44:b8:f0:90:21  txqueuelen 1000  (Ethernet)
        RX packets 0  bytes 0 (0.0 B)
        RX errors 0  dropped 0  overruns 0  frame 0
        TX packets 0  bytes 0 (0.0 B)
        TX errors 0  dropped 0 overruns 0  carrier 0  collisions 0

$ ip netns exec t ifconfig eth2 10.7.0.1/010
$ ip netns exec t ifconfig eth2
eth2: flags=4163<UP,BROADCAST,RUNNING,MULTICAST>  mtu 1500
        inet 10.7.0.1  netmask 255.0.0.0  broadcast 10.255.255.255
        ether 2e:44:b8:f0:90:21  txqueuelen 1000  (Ethernet)
        RX packets 0  bytes 0 (0.0 B)
        RX errors 0  dropped 0  overruns 0  frame 0
        TX packets 0  bytes 0 (0.0 B)
        TX errors 0  dropped 0 overruns 0  carrier 0  collisions 0

$ ip netns exec t ifconfig eth2 172.20.1.1
$ ip netns exec t ifconfig eth2
eth2: flags=4163<UP,BROADCAST,RUNNING,MULTICAST>  mtu 1500
        inet 172.20.1.1  netmask 255.255.0.0  broadcast 172.20.255.255
        ether 2e:44:b8:f0:90:21  txqueuelen 1000  (Ethernet)
        RX packets 0  bytes 0 (0.0 B)
        RX errors 0  dropped 0  overruns 0  frame 0
        TX packets 0  bytes 0 (0.0 B)
        TX errors 0  dropped 0 overruns 0  carrier 0  collisions 0

$ ip netns exec t ifconfig eth2 192.168.7.7/25
$ ip netns exec t ifconfig eth2
eth2: flags=4163<UP,BROADCAST,RUNNING,MULTICAST>  mtu 1500
        inet 192.168.7.7  netmask 255.255.255.128  broadcast 192.168.7.127
        ether 2e:44:b8:f0:90:21  txqueuelen 1000  (Ethernet)
        RX packets 0  bytes 0 (0.0 B)
        RX errors 0  dropped 0  overruns 0  frame 0
        TX packets 0  bytes 0 (0.0 B)
        TX errors 0  dropped 0 overruns 0  carrier 0  collisions 0

$ ip netns exec t ifconfig eth2 240.1.2.3
$ ip netns exec t ifconfig eth2
eth2: flags=4163<UP,BROADCAST,RUNNING,MULTICAST>  mtu 1500
        inet 240.1.2.3  netmask 255.255.255.255  broadcast 0.0.0.0
        ether 2e:44:b8:f0:90:21  txqueuelen 1000  (Ethernet)
        RX packets 0  bytes 0 (0.0 B)
        RX errors 0  dropped 0  overruns 0  frame 0
        TX packets 0  bytes 0 (0.0 B)
        TX errors 0  dropped 0 overruns 0  carrier 0  collisions 0

$ ip netns exec t ifconfig eth2 224.0.0.5
[stderr]
SIOCSIFADDR: Invalid argument
[exit 1]
$ ip netns exec t ifconfig eth2 0x0a000001
$ ip netns exec t ifconfig eth2
eth2: flags=4163<UP,BROADCAST,RUNNING,MULTICAST>  mtu 1500
        inet 10.0.0.1  netmask 255.0.0.0  broadcast 10.255.255.255
        ether 2e:44:b8:f0:90:21  txqueuelen 1000  (Ethernet)
        RX packets 0  bytes 0 (0.0 B)
        RX errors 0  dropped 0  overruns 0  frame 0
        TX packets 0  bytes 0 (0.0 B)
        TX errors 0  dropped 0 overruns 0  carrier 0  collisions 0

$ ip netns exec t ifconfig eth2 0.0.0.0
$ ip netns exec t ifconfig eth2
eth2: flags=4163<UP,BROADCAST,RUNNING,MULTICAST>  mtu 1500
        ether 2e:44:b8:f0:90:21  txqueuelen 1000  (Ethernet)
        RX packets 0  bytes 0 (0.0 B)
        RX errors 0  dropped 0  overruns 0  frame 0
        TX packets 0  bytes 0 (0.0 B)
        TX errors 0  dropped 0 overruns 0  carrier 0  collisions 0

$ ip netns exec t ifconfig eth2:3 10.11.0.1
$ ip netns exec t ifconfig eth2:3
eth2:3: flags=4163<UP,BROADCAST,RUNNING,MULTICAST>  mtu 1500
        inet 10.11.0.1  netmask 255.0.0.0  broadcast 10.255.255.255
        ether 2e:44:b8:f0:90:21  txqueuelen 1000  (Ethernet)

$ ip netns exec t ifconfig eth2:3 0
$ ip netns exec t ifconfig eth2:3
eth2:3: flags=4163<UP,BROADCAST,RUNNING,MULTICAST>  mtu 1500
        ether 2e:44:b8:f0:90:21  txqueuelen 1000  (Ethernet)

$ ip netns exec t ifconfig eth2 dstaddr 10.1.1.1
[stderr]
SIOCSIFDSTADDR: Cannot assign requested address
[exit 1]
$ ip netns exec t ifconfig eth2 netmask 255.0.255.0
[stderr]
SIOCSIFNETMASK: Cannot assign requested address
[exit 1]
$ ip netns exec t ifconfig eth2 broadcast 10.1.1.255
[stderr]
SIOCSIFBRDADDR: Cannot assign requested address
[exit 1]
$ ip netns exec t ifconfig eth2 hw ether zz:00
[stderr]
zz:00: invalid ether address.
[exit 1]
$ ip netns exec t ifconfig eth2 hw ether 00:00:00:00:00:00
[stderr]
SIOCSIFHWADDR: Cannot assign requested address
[exit 1]
$ ip netns exec t ifconfig eth2 hw ether 01:00:00:00:00:01
[stderr]
SIOCSIFHWADDR: Cannot assign requested address
[exit 1]
$ ip netns exec t ifconfig eth2 hw ether 02:00:00:00:00:01
$ ip netns exec t ifconfig eth2 hw loop 00:11
[stderr]
hw address type `loop' has no handler to set address. failed.
[exit 1]
$ ip netns exec t ifconfig eth2 hw bogus 00:11
[stderr]
Usage:
  ifconfig [-a] [-v] [-s] <interface> [[<AF>] <address>]
  [add <address>[/<prefixlen>]]
  [del <address>[/<prefixlen>]]
  [[-]broadcast [<address>]]  [[-]pointopoint [<address>]]
  [netmask <address>]  [dstaddr <address>]  [tunnel <address>]
  [outfill <NN>] [keepalive <NN>]
  [hw <HW> <address>]  [mtu <NN>]
  [[-]trailers]  [[-]arp]  [[-]allmulti]
  [multicast]  [[-]promisc]
  [mem_start <NN>]  [io_addr <NN>]  [irq <NN>]  [media <type>]
  [txqueuelen <NN>]
  [name <newname>]
  [[-]dynamic]
  [up|down] ...

  <HW>=Hardware Type.
  List of possible hardware types:
    loop (Local Loopback) slip (Serial Line IP) cslip (VJ Serial Line IP) 
    slip6 (6-bit Serial Line IP) cslip6 (VJ 6-bit Serial Line IP) adaptive (Adaptive Serial Line IP) 
    ash (Ash) ether (Ethernet) ax25 (AMPR AX.25) 
    netrom (AMPR NET/ROM) rose (AMPR ROSE) tunnel (IPIP Tunnel) 
    ppp (Point-to-Point Protocol) hdlc ((Cisco)-HDLC) lapb (LAPB) 
    arcnet (ARCnet) dlci (Frame Relay DLCI) frad (Frame Relay Access Device) 
    sit (IPv6-in-IPv4) fddi (Fiber Distributed Data Interface) hippi (HIPPI) 
    irda (IrLAP) ec (Econet) x25 (generic X.25) 
    eui64 (Generic EUI-64) 
  <AF>=Address family. Default: inet
  List of possible address families:
    unix (UNIX Domain) inet (DARPA Internet) inet6 (IPv6) 
    ax25 (AMPR AX.25) netrom (AMPR NET/ROM) rose (AMPR ROSE) 
    ipx (Novell IPX) ddp (Appletalk DDP) ec (Econet) 
    ash (Ash) x25 (CCITT X.25) 
[exit 3]
$ ip netns exec t ifconfig lo hw ether 02:00:00:00:00:05
[stderr]
SIOCSIFHWADDR: Invalid argument
[exit 1]
$ ip netns exec t ifconfig tun0 hw ether 02:00:00:00:00:05
[stderr]
SIOCSIFHWADDR: Operation not supported
[exit 1]
$ ip netns exec t ifconfig eth2 mtu 67
[stderr]
SIOCSIFMTU: Invalid argument
[exit 1]
$ ip netns exec t ifconfig eth2 mtu -5
[stderr]
SIOCSIFMTU: Invalid argument
[exit 1]
$ ip netns exec t ifconfig eth2 mtu 9000
$ ip netns exec t ifconfig eth2 txqueuelen 500
$ ip netns exec t ifconfig eth2 mtu 70000
[stderr]
SIOCSIFMTU: Invalid argument
[exit 1]
$ ip netns exec t ifconfig eth2
eth2: flags=4163<UP,BROADCAST,RUNNING,MULTICAST>  mtu 9000
        ether 02:00:00:00:00:01  txqueuelen 500  (Ethernet)
        RX packets 0  bytes 0 (0.0 B)
        RX errors 0  dropped 0  overruns 0  frame 0
        TX packets 0  bytes 0 (0.0 B)
        TX errors 0  dropped 0 overruns 0  carrier 0  collisions 0

$ ip netns exec t ifconfig eth2 name eth10
[stderr]
SIOCSIFNAME: File exists
[exit 1]
$ ip netns exec t ifconfig A0 name B0
$ ip netns exec t ifconfig -a -s
Iface      MTU    RX-OK RX-ERR RX-DRP RX-OVR    TX-OK TX-ERR TX-DRP TX-OVR Flg
B0               1500        0      0      0 0             0      0      0      0 BM
a1               1500        0      0      0 0             0      0      0      0 BM
eth2             9000        0      0      0 0             0      0      0      0 BMRU
eth2:7           9000      - no statistics available -                        BMRU
eth10            1500        0      0      0 0             0      0      0      0 BMRU
eth2:foo         9000      - no statistics available -                        BMRU
lo              65536        0      0      0 0             0      0      0      0 LRU
tun0             1500        0      0      0 0             0      0      0      0 MOPU
$ ip netns exec t ifconfig -x
[stderr]
ifconfig: option `-x' not recognised.
ifconfig: `--help' gives usage information.
[exit 1]
$ ip netns exec t ifconfig eth2 mtu
[stderr]
Usage:
  ifconfig [-a] [-v] [-s] <interface> [[<AF>] <address>]
  [add <address>[/<prefixlen>]]
  [del <address>[/<prefixlen>]]
  [[-]broadcast [<address>]]  [[-]pointopoint [<address>]]
  [netmask <address>]  [dstaddr <address>]  [tunnel <address>]
  [outfill <NN>] [keepalive <NN>]
  [hw <HW> <address>]  [mtu <NN>]
  [[-]trailers]  [[-]arp]  [[-]allmulti]
  [multicast]  [[-]promisc]
  [mem_start <NN>]  [io_addr <NN>]  [irq <NN>]  [media <type>]
  [txqueuelen <NN>]
  [name <newname>]
  [[-]dynamic]
  [up|down] ...

  <HW>=Hardware Type.
  List of possible hardware types:
    loop (Local Loopback) slip (Serial Line IP) cslip (VJ Serial Line IP) 
    slip6 (6-bit Serial Line IP) cslip6 (VJ 6-bit Serial Line IP) adaptive (Adaptive Serial Line IP) 
    ash (Ash) ether (Ethernet) ax25 (AMPR AX.25) 
    netrom (AMPR NET/ROM) rose (AMPR ROSE) tunnel (IPIP Tunnel) 
    ppp (Point-to-Point Protocol) hdlc ((Cisco)-HDLC) lapb (LAPB) 
    arcnet (ARCnet) dlci (Frame Relay DLCI) frad (Frame Relay Access Device) 
    sit (IPv6-in-IPv4) fddi (Fiber Distributed Data Interface) hippi (HIPPI) 
    irda (IrLAP) ec (Econet) x25 (generic X.25) 
    eui64 (Generic EUI-64) 
  <AF>=Address family. Default: inet
  List of possible address families:
    unix (UNIX Domain) inet (DARPA Internet) inet6 (IPv6) 
    ax25 (AMPR AX.25) netrom (AMPR NET/ROM) rose (AMPR ROSE) 
    ipx (Novell IPX) ddp (Appletalk DDP) ec (Econet) 
    ash (Ash) x25 (CCITT X.25) 
[exit 3]
$ ip netns exec t ifconfig eth2 bogus
[stderr]
bogus: Host name lookup failure
ifconfig: `--help' gives usage information.
[exit 1]
$ ip netns exec t ifconfig eth2 300.1.1.1
[stderr]
300.1.1.1: Unknown host
ifconfig: `--help' gives usage information.
[exit 1]
$ ip netns exec t ifconfig eth2 10.0.0.1/abc
[stderr]
Usage:
  ifconfig [-a] [-v] [-s] <interface> [[<AF>] <address>]
  [add <address>[/<prefixlen>]]
  [del <address>[/<prefixlen>]]
  [[-]broadcast [<address>]]  [[-]pointopoint [<address>]]
  [netmask <address>]  [dstaddr <address>]  [tunnel <address>]
  [outfill <NN>] [keepalive <NN>]
  [hw <HW> <address>]  [mtu <NN>]
  [[-]trailers]  [[-]arp]  [[-]allmulti]
  [multicast]  [[-]promisc]
  [mem_start <NN>]  [io_addr <NN>]  [irq <NN>]  [media <type>]
  [txqueuelen <NN>]
  [name <newname>]
  [[-]dynamic]
  [up|down] ...

  <HW>=Hardware Type.
  List of possible hardware types:
    loop (Local Loopback) slip (Serial Line IP) cslip (VJ Serial Line IP) 
    slip6 (6-bit Serial Line IP) cslip6 (VJ 6-bit Serial Line IP) adaptive (Adaptive Serial Line IP) 
    ash (Ash) ether (Ethernet) ax25 (AMPR AX.25) 
    netrom (AMPR NET/ROM) rose (AMPR ROSE) tunnel (IPIP Tunnel) 
    ppp (Point-to-Point Protocol) hdlc ((Cisco)-HDLC) lapb (LAPB) 
    arcnet (ARCnet) dlci (Frame Relay DLCI) frad (Frame Relay Access Device) 
    sit (IPv6-in-IPv4) fddi (Fiber Distributed Data Interface) hippi (HIPPI) 
    irda (IrLAP) ec (Econet) x25 (generic X.25) 
    eui64 (Generic EUI-64) 
  <AF>=Address family. Default: inet
  List of possible address families:
    unix (UNIX Domain) inet (DARPA Internet) inet6 (IPv6) 
    ax25 (AMPR AX.25) netrom (AMPR NET/ROM) rose (AMPR ROSE) 
    ipx (Novell IPX) ddp (Appletalk DDP) ec (Econet) 
    ash (Ash) x25 (CCITT X.25) 
[exit 3]
$ ip netns exec t ifconfig nosuch
[stderr]
nosuch: error fetching interface information: Device not found
[exit 1]
$ ip netns exec t ifconfig nosuch 10.0.0.1
[stderr]
SIOCSIFADDR: No such device
nosuch: ERROR while getting interface flags: No such device
[exit 255]
$ ip netns exec t ifconfig nosuch down
[stderr]
nosuch: ERROR while getting interface flags: No such device
[exit 255]
$ ip netns exec t ifconfig nosuch add 10.0.0.1
[stderr]
nosuch: error fetching interface information: Device not found
nosuch: error fetching interface information: Device not found
$ ip netns exec t ifconfig -V
net-tools 2.10
$ ip netns exec t ifconfig B0 10.20.0.1 netmask 255.255.0.0
$ ip netns exec t ifconfig B0
B0: flags=4099<UP,BROADCAST,MULTICAST>  mtu 1500
        inet 10.20.0.1  netmask 255.255.0.0  broadcast 10.20.255.255
        ether 6a:2e:b5:24:89:a1  txqueuelen 1000  (Ethernet)
        RX packets 0  bytes 0 (0.0 B)
        RX errors 0  dropped 0  overruns 0  frame 0
        TX packets 0  bytes 0 (0.0 B)
        TX errors 0  dropped 0 overruns 0  carrier 0  collisions 0

$ ip netns exec t ifconfig B0 down
$ ip netns exec t ifconfig B0
B0: flags=4098<BROADCAST,MULTICAST>  mtu 1500
        inet 10.20.0.1  netmask 255.255.0.0  broadcast 10.20.255.255
        ether 6a:2e:b5:24:89:a1  txqueuelen 1000  (Ethernet)
        RX packets 0  bytes 0 (0.0 B)
        RX errors 0  dropped 0  overruns 0  frame 0
        TX packets 0  bytes 0 (0.0 B)
        TX errors 0  dropped 0 overruns 0  carrier 0  collisions 0

$ ip netns exec t ifconfig B0 add 10.21.0.1
$ ip netns exec t ifconfig B0:0
B0:0: flags=4098<BROADCAST,MULTICAST>  mtu 1500
        ether 6a:2e:b5:24:89:a1  txqueuelen 1000  (Ethernet)

$ ip netns exec t ifconfig -a
B0: flags=4098<BROADCAST,MULTICAST>  mtu 1500
        inet 10.20.0.1  netmask 255.255.0.0  broadcast 10.20.255.255
        ether 6a:2e:b5:24:89:a1  txqueuelen 1000  (Ethernet)
        RX packets 0  bytes 0 (0.0 B)
        RX errors 0  dropped 0  overruns 0  frame 0
        TX packets 0  bytes 0 (0.0 B)
        TX errors 0  dropped 0 overruns 0  carrier 0  collisions 0

a1: flags=4098<BROADCAST,MULTICAST>  mtu 1500
        ether 12:f5:b6:3d:7a:6d  txqueuelen 1000  (Ethernet)
        RX packets 0  bytes 0 (0.0 B)
        RX errors 0  dropped 0  overruns 0  frame 0
        TX packets 0  bytes 0 (0.0 B)
        TX errors 0  dropped 0 overruns 0  carrier 0  collisions 0

eth2: flags=4163<UP,BROADCAST,RUNNING,MULTICAST>  mtu 9000
        ether 02:00:00:00:00:01  txqueuelen 500  (Ethernet)
        RX packets 0  bytes 0 (0.0 B)
        RX errors 0  dropped 0  overruns 0  frame 0
        TX packets 0  bytes 0 (0.0 B)
        TX errors 0  dropped 0 overruns 0  carrier 0  collisions 0

eth2:7: flags=4163<UP,BROADCAST,RUNNING,MULTICAST>  mtu 9000
        inet 10.5.0.1  netmask 255.255.255.0  broadcast 0.0.0.0
        ether 02:00:00:00:00:01  txqueuelen 500  (Ethernet)

eth10: flags=4163<UP,BROADCAST,RUNNING,MULTICAST>  mtu 1500
        ether fe:70:55:42:63:0c  txqueuelen 1000  (Ethernet)
        RX packets 0  bytes 0 (0.0 B)
        RX errors 0  dropped 0  overruns 0  frame 0
        TX packets 0  bytes 0 (0.0 B)
        TX errors 0  dropped 0 overruns 0  carrier 0  collisions 0

eth2:foo: flags=4163<UP,BROADCAST,RUNNING,MULTICAST>  mtu 9000
        inet 10.4.0.1  netmask 255.255.255.0  broadcast 0.0.0.0
        ether 02:00:00:00:00:01  txqueuelen 500  (Ethernet)

lo: flags=73<UP,LOOPBACK,RUNNING>  mtu 65536
        inet 127.0.0.1  netmask 255.0.0.0
        loop  txqueuelen 1000  (Local Loopback)
        RX packets 0  bytes 0 (0.0 B)
        RX errors 0  dropped 0  overruns 0  frame 0
        TX packets 0  bytes 0 (0.0 B)
        TX errors 0  dropped 0 overruns 0  carrier 0  collisions 0

tun0: flags=4241<UP,POINTOPOINT,NOARP,MULTICAST>  mtu 1500
        inet 10.9.0.1  netmask 255.255.255.0  destination 10.9.0.1
        unspec 00-00-00-00-00-00-00-00-00-00-00-00-00-00-00-00  txqueuelen 500  (UNSPEC)
        RX packets 0  bytes 0 (0.0 B)
        RX errors 0  dropped 0  overruns 0  frame 0
        TX packets 0  bytes 0 (0.0 B)
        TX errors 0  dropped 0 overruns 0  carrier 0  collisions 0

"####;

#[test]
fn ifconfig_forms_match_net_tools() {
    replay(FORMS, &["ifconfig"]);
}

/// The RX/TX byte counts with their unit, as recorded: 516 bytes, 6168
/// bytes after `ping -c 3 -s 1000` on lo, 2407848 after 30 pings of 40000.
#[test]
fn byte_counters_print_with_binary_units() {
    for (bytes, shown) in [
        (0u64, "0 (0.0 B)"),
        (516, "516 (516.0 B)"),
        (950, "950 (950.0 B)"),
        (1024, "1024 (1024.0 B)"),
        (2420, "2420 (2.3 KiB)"),
        (6168, "6168 (6.0 KiB)"),
        (2407848, "2407848 (2.2 MiB)"),
        (5_000_000_000, "5000000000 (4.6 GiB)"),
    ] {
        let mut lab = Lab::new();
        let lo = lab.m.world.ns_mut(0).dev_mut(1).unwrap();
        lo.stats.rx_bytes = bytes;
        lo.stats.tx_bytes = bytes;
        let (_, st, out, _) = lab.run("ifconfig lo");
        assert_eq!(st, 0);
        assert!(
            out.contains(&format!("RX packets 0  bytes {shown}\n")),
            "{bytes}: {out}"
        );
        assert!(out.contains(&format!("TX packets 0  bytes {shown}\n")));
    }
}

/// `ifconfig IF ADDR` replaces the address labelled IF (its secondaries go
/// with it) and gives the classful netmask and broadcast; `/24` then narrows
/// the netmask and moves the default broadcast along.
#[test]
fn setting_an_address_replaces_the_labelled_one() {
    let mut lab = Lab::new();
    for c in [
        "ip link add v0 type veth peer name v1",
        "ip addr add 10.3.0.1/24 dev v0",
        "ip addr add 10.3.0.2/24 dev v0",
        "ip addr add 10.4.0.1/24 dev v0 label v0:foo",
        "ifconfig v0 10.9.0.1/24",
    ] {
        assert_eq!(lab.run(c).1, 0, "{c}");
    }
    let n = lab.m.world.ns(0);
    let i = n.ifindex_of("v0").unwrap();
    let got: Vec<(String, u8, Option<std::net::Ipv4Addr>, String)> = n
        .addrs4_of(i)
        .map(|a| {
            (
                a.local.to_string(),
                a.prefix_len,
                a.broadcast,
                a.label.clone(),
            )
        })
        .collect();
    assert_eq!(
        got,
        vec![
            ("10.4.0.1".into(), 24, None, "v0:foo".into()),
            (
                "10.9.0.1".into(),
                24,
                Some("10.9.0.255".parse().unwrap()),
                "v0".into()
            ),
        ]
    );
    // The address brought the device up.
    assert!(n.dev(i).unwrap().up);
}

/// Without -a only interfaces that are up; with it all, sorted by name the
/// way net-tools compares names (numbers by value, aliases after devices).
#[test]
fn listing_sorts_names_like_nstrcmp() {
    let mut lab = Lab::new();
    for c in [
        "ip link add eth10 type veth peer name eth2",
        "ip link add eth1 type veth peer name A0",
        "ip addr add 10.0.0.1/8 dev eth2 label eth2:10",
        "ip addr add 10.0.0.2/8 dev eth2 label eth2:9",
    ] {
        assert_eq!(lab.run(c).1, 0, "{c}");
    }
    let (_, _, out, _) = lab.run("ifconfig -a -s");
    let names: Vec<&str> = out
        .lines()
        .skip(1)
        .map(|l| l.split_whitespace().next().unwrap())
        .collect();
    assert_eq!(
        names,
        ["A0", "eth1", "eth2", "eth2:9", "eth2:10", "eth10", "lo"]
    );
    let (_, _, out, _) = lab.run("ifconfig -s");
    assert_eq!(out.lines().count(), 2, "only lo is up: {out}");
}
