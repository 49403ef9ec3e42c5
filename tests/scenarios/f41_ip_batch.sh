# area: ip
# `ip -batch FILE` and `ip -force -batch`, as provisioning scripts feed
# many commands to one ip process (ip(8)): comments, quoting, errors with
# their line numbers, `-` for stdin, object defaults per line.
cat > cmds.txt <<'X'
# a comment
link add v1 type veth peer name v2
link set v1 up

addr add 10.0.0.1/24 dev v1
route add 10.9.0.0/24 via 10.0.0.2 dev v1 onlink
link set v1 alias "uplink to the lab"
X
ip -batch cmds.txt
echo "rc=$?"
ip addr show v1
ip route show
cat > bad.txt <<'X'
addr add 10.0.1.1/24 dev v1
addr add 10.0.1.1/24 dev v1
link set nosuch up
addr add 10.0.2.1/24 dev v1
X
ip -batch bad.txt
echo "rc=$?"
ip -force -batch bad.txt
echo "rc=$?"
ip -br addr show v1
printf 'link show v1\naddr show dev lo\n' | ip -batch -
echo "rc=$?"
printf 'link show v1\n' | ip -o -batch -
ip -batch nosuch.txt
echo "rc=$?"
printf 'foo bar\n' | ip -batch -
echo "rc=$?"
printf 'route get 10.9.0.5\nroute\n' | ip -4 -batch -
echo "rc=$?"
printf 'link set v1 down\nlink set v1 up\n' | ip -n nosuch -batch -
echo "rc=$?"
printf 'netns add nsb\nlink set v2 netns nsb\n' | ip -batch -
ip netns
ip -n nsb link
printf 'help\n' | ip -batch -
echo "rc=$?"
printf '\n\n   \n' | ip -batch -
echo "rc=$?"
ip -batch
echo "rc=$?"
