set -u; a=(); echo ${a[@]:-empty}
echo ${#undefined_q}
echo never
