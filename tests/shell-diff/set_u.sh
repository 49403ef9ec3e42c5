set -u
echo a
echo ${undefined:-default}
echo $undefined
echo never
