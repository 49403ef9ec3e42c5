printf 'echo one\nreturn 7\necho two\n' > r.sh
. ./r.sh
echo "st=$?"
