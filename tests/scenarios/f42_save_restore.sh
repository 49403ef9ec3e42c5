# area: ip
# `ip route save` / `ip route restore` and `ip addr save` / `ip addr
# restore` (ip-route(8), ip-address(8)): the binary dump on a file,
# restored after a flush (routes in restore's three passes), shown with
# showdump, and the errors of a file that is not a dump.
ip link add v1 type veth peer name v2
ip link set v1 up
ip link set v2 up
sysctl -qw net.ipv6.conf.v1.disable_ipv6=1
sysctl -qw net.ipv6.conf.v2.disable_ipv6=1
ip addr add 10.0.0.1/24 dev v1
ip addr add 10.0.0.9/24 dev v1 label v1:x
ip addr add 10.5.0.1/16 brd + dev v2
ip route add 10.9.0.0/24 via 10.0.0.2
ip route add 10.8.0.0/24 dev v2 metric 50
ip route add blackhole 10.7.0.0/16
ip route add 10.6.0.0/24 via 10.0.0.3 table 100
ip route save > routes.bin
echo "rc=$?"
wc -c < routes.bin
# The magic, then the first message without its sequence number and port id
# (the time and the pid of the ip process that saved it).
od -A d -t x1 -N 12 routes.bin
od -A d -t x1 -j 20 -N 40 routes.bin
ip route save table 100 > t100.bin
wc -c < t100.bin
ip addr save dev v1 > addrs.bin
echo "rc=$?"
wc -c < addrs.bin
ip addr flush dev v1
ip route flush 10.9.0.0/24
ip route flush table 100
ip route show
ip addr restore < addrs.bin
echo "rc=$?"
ip addr show dev v1
ip route show
ip route restore < routes.bin
echo "rc=$?"
ip route show
ip route restore < routes.bin
echo "rc=$?"
ip route restore < t100.bin
ip route show table 100
ip route showdump < routes.bin
echo "rc=$?"
ip addr showdump < addrs.bin
echo "rc=$?"
echo garbage > junk.bin
ip route restore < junk.bin
echo "rc=$?"
ip addr restore < junk.bin
echo "rc=$?"
ip route showdump < junk.bin
echo "rc=$?"
