declare -A ip
ip[h1]=10.0.0.1
ip[h2]=10.0.0.2
host=h2
echo "${ip[h1]} ${ip[$host]} ${#ip[@]}"
ip[h1]+=0
echo "${ip[h1]}"
declare -A m=([a]=1 [b]="two words")
echo "${m[a]}|${m[b]}|${m[zz]-unset}"
unset 'm[a]'; echo ${#m[@]}
f() { local -A loc=([k]=v); echo "${loc[k]}"; }; f; echo "[${loc[k]-}]"
for k in h1 h2; do echo "$k -> ${ip[$k]}"; done
[[ -v ip[h1] ]] && echo has-h1
