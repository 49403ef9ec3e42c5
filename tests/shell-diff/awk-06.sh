# awk: NR==FNR join of two files
echo '10.0.0.1 router' > hosts.txt
echo '10.0.0.2 server' >> hosts.txt
echo '10.0.0.2 up' > state.txt
echo '10.0.0.3 down' >> state.txt
awk 'NR==FNR {name[$1]=$2; next} $1 in name {print name[$1], $2}' hosts.txt state.txt
