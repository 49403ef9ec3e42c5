# ip rule and ip -6 rule: the default rules, every selector and action as
# iproute2 prints it, automatic priorities, deletion matching, flush, the
# filters of `ip rule show`, and the errors.
ip rule
ip rule list
ip -6 rule show
ip -j rule
ip -4 rule show table main
ip rule add from 10.0.0.1 table 100
ip rule add from 10.1.0.0/16 to 192.168.0.0/24 lookup 200
ip rule add fwmark 7 lookup 100
ip rule add fwmark 0x10/0xff table 101 pref 500
ip rule add iif lo table main priority 600
ip rule add oif nosuch0 table 102
ip rule add iif nosuch1 table 102
ip rule add tos 0x10 table 103
ip rule add dsfield 0x08 table 103
ip rule add ipproto tcp dport 80 table 104
ip rule add ipproto udp sport 1000-2000 table 104
ip rule add ipproto 47 table 104
ip rule add uidrange 1000-1999 table 105
ip rule add not from 10.9.0.0/16 table 106
ip rule add to 10.8.0.0/16 unreachable
ip rule add to 10.7.0.0/16 prohibit
ip rule add to 10.6.0.0/16 blackhole
ip rule add to 10.5.0.0/16 type unreachable
ip rule add from all table 107 suppress_prefixlength 0
ip rule add table 108 suppress_ifgroup 1
ip rule add from 10.4.0.0/16 goto 32766
ip rule add from 10.3.0.0/16 nop
ip rule add from 10.2.0.0/16 table 109 protocol static
ip rule add from 10.2.0.0/16 table 110 protocol kernel
ip rule add from 10.2.0.0/16 table local pref 10
ip rule add from 10.2.0.0/16 table default pref 20
ip rule add from 10.2.0.0/16 table 100000 pref 30
ip rule add pref 40 table 100
ip rule add pref 50
ip rule add l3mdev pref 1000
ip rule
ip -d rule
ip rule show table 100
ip rule list pref 500
ip rule show from 10.1.0.0/16
ip rule show fwmark 7
ip rule show iif lo
ip rule show not
ip -j rule show pref 500
ip -j rule show table 104
ip -j rule show iif nosuch1
# errors
ip rule add from 10.0.0.1 table 100
echo "exit $?"
ip rule add
echo "exit $?"
ip rule del
echo "exit $?"
ip rule add from 10.0.0.1 table 100 pref 1
ip rule add from 10.0.0.1 table 100 pref 1
echo "exit $?"
ip rule add fwmark abc table 100
echo "exit $?"
ip rule add fwmark 1/xyz table 100
echo "exit $?"
ip rule add pref abc table 100
echo "exit $?"
ip rule add table abc
echo "exit $?"
ip rule add from 10.0.0.1 bogus
echo "exit $?"
ip rule add tos 0x300 table 1
echo "exit $?"
ip rule add uidrange 5 table 1
echo "exit $?"
ip rule add sport x table 1
echo "exit $?"
ip rule add ipproto nosuchproto table 1
echo "exit $?"
ip rule add suppress_prefixlength -1 table 1
echo "exit $?"
ip rule add from 300.0.0.1 table 1
echo "exit $?"
ip rule add from 10.0.0.0/40 table 1
echo "exit $?"
ip rule add goto 1 pref 100
echo "exit $?"
ip rule add goto 5
echo "exit $?"
ip rule add l3mdev table 5
echo "exit $?"
ip rule add iif 0123456789abcdefgh table 1
echo "exit $?"
ip rule add from 10.0.0.1 nat 1.2.3.4
echo "exit $?"
ip rule frob
echo "exit $?"
ip rule show bogus
echo "exit $?"
ip rule del from 10.99.0.0/16
echo "exit $?"
ip rule del table 999
echo "exit $?"
ip rule del pref 12345
echo "exit $?"
# deleting
ip rule del from 10.0.0.1 table 100
ip rule del pref 1
ip rule del fwmark 7
ip rule del table 104
ip rule del table 104
ip rule del to 10.8.0.0/16
ip rule del pref 1000
ip rule del iif nosuch1
ip rule
ip rule flush table 103
ip rule
ip rule flush
ip rule
ip rule add from 10.0.0.2 table 100
ip rule add from 10.0.0.3 table 100
ip rule
ip rule del pref 0
ip rule
ip rule add from all lookup local pref 0
ip rule add from 10.0.0.4 table 100
ip rule
# IPv6 rules
ip -6 rule add from 2001:db8::/32 table 100
ip -6 rule add to 2001:db8:1::1 table 101 pref 200
ip -6 rule add fwmark 3 table 102
ip -6 rule add from 2001:db8::1 unreachable
ip -6 rule
ip -6 rule add from 10.0.0.1 table 1
echo "exit $?"
ip rule add from 2001:db8::1 table 1
echo "exit $?"
ip -6 rule del from 2001:db8::/32
ip -6 rule flush
ip -6 rule
# devices that come and go
ip link add v0 type veth peer name v1
ip rule add iif v0 table 100 pref 300
ip rule add oif v1 table 100 pref 301
ip rule show pref 300
ip link del v0
ip rule show pref 300
ip rule show pref 301
ip link add v1 type veth peer name v2
ip rule show pref 301
ip netns add other
ip netns exec other ip rule
ip netns exec other ip -6 rule
