# env and printenv over the exported variables
export FOO=bar
env | grep '^FOO='
env -i A=1 B=2 env
env -i A=1 B=2
env - A=2 env
env -i A=1 -- env
env -i A=1 A=2 env
env -u FOO env | grep -c '^FOO='
env -i A=1 env -u A env; echo "st=$?"
env -0 -i A=1 B=2 | tr '\0' '|'
printenv FOO; echo "st=$?"
printenv NOPE; echo "st=$?"
printenv FOO NOPE FOO; echo "st=$?"
printenv 'FOO=bar'; echo "st=$?"
FOO=tmp printenv FOO
BAR=1 env | grep '^BAR='
printenv BAR; echo "st=$?"
env -i A=1 printenv
env -i A=1 printenv A B; echo "st=$?"
env -i X=y sh -c 'echo "X=$X"'
LOCAL=5 sh -c 'echo "LOCAL=$LOCAL"'
unexported=1; env | grep -c unexported
env nosuch; echo "st=$?"
env -i A=1 -u A; echo "st=$?"
env -u; echo "st=$?"
env -Q; echo "st=$?"
env -u A=b true; echo "st=$?"
env -C /nonexistent true; echo "st=$?"
env -C /; echo "st=$?"
env -0 true; echo "st=$?"
printenv -x; echo "st=$?"
env -i A=1 env printenv A
env -v -i -u X A=1 true x 'y z' 2>&1
env -v -u FOO B=2 true 2>&1
env -v -C / true 2>&1
