set -o nonsense; echo $?
set -Q; echo $?
