: > g.txt
set -f
echo *.txt
set +f
echo *.txt
