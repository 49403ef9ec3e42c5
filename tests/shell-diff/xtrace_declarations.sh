set -x
export A=1 B
readonly R=2
declare D=3
typeset T=4
export "S=a b"
f() { local L=5; declare M=6; }
f
